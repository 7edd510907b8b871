#!/bin/sh
# setup.sh - install what ipft needs from Debian's packages, then configure
# and build it out of tree in build/ (or $IPFT_BUILD).  Idempotent: packages
# already present are not reinstalled, an existing build is reused.
#
#   sh tests/setup.sh            # as root on Debian 12
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${IPFT_BUILD:-$top/build}

# Build and run-time dependencies, by Debian package name.
PKGS="gcc make autoconf automake libtool pkg-config
      clang llvm bpftool libbpf-dev libelf-dev zlib1g-dev libpcap-dev
      libglib2.0-dev wireshark-dev tshark
      iproute2 iputils-ping util-linux procps tcpdump bpftrace nftables ethtool
      qemu-system-x86 busybox-static cpio debootstrap
      openssh-client openssh-server libcap2-bin sudo
      xvfb xauth xdotool wireshark-qt imagemagick"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "setup: missing Debian packages:$missing; run as root to install them" >&2
		exit 1
	fi
	echo "setup: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

cd "$top"
if [ ! -x configure ] || [ configure.ac -nt configure ]; then
	autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
fi
mkdir -p "$build"
cd "$build"
if [ ! -f Makefile ] || [ "$top/configure" -nt config.status ]; then
	"$top/configure" --prefix=/usr/local -q ${IPFT_CONFIGURE_FLAGS:-}
fi
make -s -j"$(nproc)"
echo "setup: built in $build"
