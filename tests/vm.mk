# tests of the vm area
