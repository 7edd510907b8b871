#!/bin/sh
# install-capabilities.sh - let ipft trace without root: the file
# capabilities CAP_BPF and CAP_PERFMON (all that ipft needs: see
# tests/tracer/capabilities.sh), and only for one group's members, as
# Debian does for dumpcap.
#
#   sh extcap/install-capabilities.sh IPFT [GROUP]   (make install-capabilities)
#
# GROUP (default wireshark) gets ipft as root:GROUP, mode 0750; an empty
# GROUP leaves the mode alone, so every user can trace every packet.
set -eu
ipft=${1:?usage: install-capabilities.sh IPFT [GROUP]}
group=${2-wireshark}
say() { echo "install-capabilities: $*" >&2; }

[ "$(id -u)" = 0 ] || { say "run it as root"; exit 1; }
[ -f "$ipft" ] || { say "$ipft: no such file (make install first)"; exit 1; }
command -v setcap >/dev/null || { say "setcap is missing: apt-get install libcap2-bin"; exit 1; }
if [ -n "$group" ]; then
	getent group "$group" >/dev/null ||
		{ say "no group '$group': groupadd --system $group, add the users who may trace, or choose IPFT_CAPS_GROUP"; exit 1; }
	chown "root:$group" "$ipft"
	chmod 0750 "$ipft"
else
	say "warning: no group: every user of this machine can now trace every packet's headers"
fi
# Set last: chown clears file capabilities.
setcap cap_bpf,cap_perfmon+ep "$ipft"
say "$(getcap "$ipft")${group:+, for the group $group}"
