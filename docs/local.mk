# docs: targets are added here
