# docs: targets are added here

# The trace format, byte by byte.
dist_doc_DATA += docs/format.md
