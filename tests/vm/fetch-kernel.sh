#!/bin/bash
# fetch-kernel.sh SUITE [CACHE]
# Downloads the Debian amd64 kernel that SUITE's linux-image-amd64 points at
# today (resolved on every run: Debian drops superseded kernels), unpacks it
# under CACHE/<package>_<version>/ and prints that directory.
# Nothing is installed: apt runs with a private configuration under CACHE/apt.
#   SUITE: bullseye (5.10) | bookworm (6.1, no CONFIG_FPROBE) |
#          bookworm-backports (6.12) | trixie | sid | experimental |
#          newest (sid's or experimental's, whichever is newer)
set -euo pipefail
suite=$1
cache=${2:-${VM_CACHE:-/var/cache/ipft/vm}}
mkdir -p "$cache" && cache=$(cd "$cache" && pwd)
apt_dir=$cache/apt/$suite
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/debs"

case $suite in
bullseye)           suites="bullseye bullseye-updates" security=bullseye-security ;;
bookworm)           suites="bookworm bookworm-updates" security=bookworm-security ;;
bookworm-backports) suites="bookworm-backports" security= ;;
trixie)             suites="trixie trixie-updates" security=trixie-security ;;
sid)                suites="sid" security= ;;
experimental)       suites="experimental" security= ;;
newest)             suites="sid experimental" security= ;;
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
# The newest linux-image-amd64 of the suites (experimental's is never apt's
# candidate), and the kernel package that version depends on.
newest() { # the highest of the versions on stdin, in dpkg's order
	local best= v
	while read -r v; do
		if [ -z "$best" ] || dpkg --compare-versions "$v" gt "$best"; then best=$v; fi
	done
	echo "$best"
}
meta=$(apt-cache madison linux-image-amd64 | awk -F' *[|] *' '{ print $2 }' | newest)
pkg=$(apt-cache show "linux-image-amd64=$meta" | sed -n 's/^Depends: *//p' | head -1 |
	tr ',' '\n' | grep -o 'linux-image-[0-9][^ ]*' | head -1)
ver=$(apt-cache show "$pkg" | awk '/^Version:/ { print $2 }' | newest)
out=$cache/${pkg}_$ver
if [ ! -f "$out/.done" ]; then
	rm -rf "$out"
	# Since 7.x the image package is split, at the same version: the kernel
	# in linux-binary-*, its config and modules.builtin in linux-base-*, the
	# modules in linux-modules-*, all under usr/lib/modules/<release>/.
	parts=$(apt-cache show "$pkg=$ver" | sed -n 's/^Depends: *//p' | head -1 | tr ',' '\n' |
		grep -o 'linux-\(base\|binary\|modules\)-[0-9][^ ]*' || true)
	rm -f "$apt_dir/debs/"*.deb
	for p in $pkg $parts; do
		(cd "$apt_dir/debs" && apt-get -qq download "$p=$ver" >&2)
	done
	for deb in "$apt_dir/debs/"*.deb; do dpkg -x "$deb" "$out"; done
	ln -sf "$(cd "$out" && ls boot/vmlinuz-* usr/lib/modules/*/vmlinuz 2>/dev/null | head -1)" "$out/vmlinuz"
	rm -f "$apt_dir/debs/"*.deb
	touch "$out/.done"
fi
echo "$out"
