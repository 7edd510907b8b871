# docs: targets are added here

# The trace format, byte by byte.
dist_doc_DATA += docs/format.md
# The tracer's design and its command line (README draft).
dist_doc_DATA += docs/design.md docs/usage.md
dist_doc_DATA += docs/wireshark-plugin.md docs/screenshot-drop.png
dist_doc_DATA += docs/filter.md
dist_doc_DATA += docs/performance.md
# Which kernels ipft runs on, measured by make check-vm.
dist_doc_DATA += docs/kernels.md
