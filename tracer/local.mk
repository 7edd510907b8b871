# tracer: targets are added here
