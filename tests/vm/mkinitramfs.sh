#!/bin/bash
# mkinitramfs.sh KERNEL_DIR OUT.cpio.gz [MODULE[?]...]
# A tiny initramfs: busybox-static, our /init, the files named in $VM_FILES
# ("src:/dest" words; shared libraries of dynamic executables come along via
# ldd) and the named kernel modules with their dependencies, decompressed and
# listed in load order in /modules.order.  MODULE? is left out where the
# kernel has no such module.
set -euo pipefail
kdir=$1 out=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,tmp,run,lib/modules,mnt/host}
cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list); do
	[ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
done
cp "$here/init" "$root/init"
chmod +x "$root/init"

for f in ${VM_FILES:-}; do
	src=${f%%:*} dst=${f#*:}
	mkdir -p "$root$(dirname "$dst")"
	rm -f "$root$dst"  # may be a busybox applet link: never write through it
	cp "$src" "$root$dst"
	if ldd "$src" >/dev/null 2>&1; then
		for lib in $(ldd "$src" | grep -o '/[^ ]*'); do
			mkdir -p "$root$(dirname "$lib")"
			cp -L "$lib" "$root$lib"
		done
	fi
done

# Modules: no kmod here, so dependencies come from each module's .modinfo.
moddir=$(ls -d "$kdir"/lib/modules/* "$kdir"/usr/lib/modules/* 2>/dev/null | head -1 || true)
declare -A added=()
add_module() { # NAME, or NAME? for one that not every kernel has
	local name=${1%\?} path deps dep
	[ -z "${added[$name]:-}" ] || return 0
	added[$name]=1
	path=$(find "$moddir/kernel" \( -name "$name.ko*" -o -name "${name//_/-}.ko*" \) |
		grep -E '\.ko(\.xz|\.zst)?$' | head -1 || true)
	if [ -z "$path" ]; then
		grep -q "/$name.ko" "$moddir/modules.builtin" && return 0
		[ "$1" != "$name?" ] || return 0
		echo "mkinitramfs.sh: module $name not found in $moddir" >&2
		exit 1
	fi
	case $path in
	*.xz) xz -dc "$path" >"$root/lib/modules/$name.ko" ;;
	*.zst) zstd -qdc "$path" >"$root/lib/modules/$name.ko" ;;
	*) cp "$path" "$root/lib/modules/$name.ko" ;;
	esac
	deps=$(strings -a "$root/lib/modules/$name.ko" | sed -n 's/^depends=//p' | head -1)
	for dep in ${deps//,/ }; do add_module "$dep"; done
	echo "$name" >>"$root/modules.order"
}
touch "$root/modules.order"
for m in "$@"; do add_module "$m"; done

(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
