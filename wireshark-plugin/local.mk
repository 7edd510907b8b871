# wireshark-plugin: targets are added here
