# bpf: targets are added here
