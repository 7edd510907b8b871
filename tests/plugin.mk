# tests of the plugin area
