# samples: targets are added here
