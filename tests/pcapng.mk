# tests of the pcapng area
