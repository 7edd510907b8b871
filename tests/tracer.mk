# tests of the tracer area
