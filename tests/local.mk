# tests: targets are added here
