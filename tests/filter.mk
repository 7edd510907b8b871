# tests of the filter area
