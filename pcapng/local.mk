# pcapng: targets are added here
