#!/bin/bash
# fetch-kernel.sh SUITE [CACHE]
# Downloads the Debian amd64 kernel that SUITE's linux-image-amd64 points at
# today (resolved on every run: Debian drops superseded kernels), unpacks it
# under CACHE/<package>_<version>/ and prints that directory.
# Nothing is installed: apt runs with a private configuration under CACHE/apt.
#   SUITE: bookworm (6.1, no CONFIG_FPROBE) | bookworm-backports (6.12) | trixie
set -euo pipefail
suite=$1
cache=${2:-${VM_CACHE:-/var/cache/ipft/vm}}
mkdir -p "$cache" && cache=$(cd "$cache" && pwd)
apt_dir=$cache/apt/$suite
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/debs"

case $suite in
bookworm)           suites="bookworm bookworm-updates" security=bookworm-security ;;
bookworm-backports) suites="bookworm-backports" security= ;;
trixie)             suites="trixie trixie-updates" security=trixie-security ;;
*) echo "fetch-kernel.sh: unknown suite '$suite'" >&2; exit 2 ;;
esac

# Use the mirror this machine's own apt sources name (the only network there is).
sources=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources \
	/etc/apt/sources.list.d/*.list 2>/dev/null | grep -v '^[[:space:]]*#' || true)
mirror=$(echo "$sources" | grep -oE '(https?|file)://[^ ]*/debian/?( |$)' | head -1 | tr -d ' ')
sec_mirror=$(echo "$sources" | grep -oE '(https?|file)://[^ ]*/debian-security/?( |$)' | head -1 | tr -d ' ')
if [ -z "$mirror" ]; then
	echo "fetch-kernel.sh: no Debian mirror in /etc/apt sources" >&2
	exit 2
fi
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
{
	for s in $suites; do echo "deb [signed-by=$keyring] $mirror $s main"; done
	if [ -n "$security" ] && [ -n "$sec_mirror" ]; then
		echo "deb [signed-by=$keyring] $sec_mirror $security main"
	fi
} >"$apt_dir/sources.list"
cat >"$apt_dir/apt.conf" <<CONF
Dir::Etc::SourceList "$apt_dir/sources.list";
Dir::Etc::SourceParts "/nonexistent";
Dir::State::Lists "$apt_dir/lists";
Dir::Cache "$apt_dir/cache";
Dir::State::status "$apt_dir/status";
APT::Sandbox::User "root";
CONF
touch "$apt_dir/status"
export APT_CONFIG=$apt_dir/apt.conf

apt-get -qq update >&2
pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
ver=$(apt-cache show "$pkg" | awk '/^Version:/ { print $2; exit }')
out=$cache/${pkg}_$ver
if [ ! -f "$out/.done" ]; then
	rm -rf "$out"
	(cd "$apt_dir/debs" && apt-get -qq download "$pkg" >&2)
	dpkg -x "$apt_dir/debs/${pkg}_${ver//:/%3a}_amd64.deb" "$out"
	ln -sf "$(cd "$out" && echo boot/vmlinuz-*)" "$out/vmlinuz"
	rm -f "$apt_dir/debs/${pkg}_"*.deb
	touch "$out/.done"
fi
echo "$out"
