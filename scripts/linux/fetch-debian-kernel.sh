#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Fetch Debian 12's arm64 kernel (unmodified, package linux-image-<abi>-arm64)
# and busybox-static:arm64 from Debian's archive, unpacked into
#
#   build/linux/debian-<package>_<version>/Image      (boot/vmlinuz-*: an uncompressed Image)
#   build/linux/busybox-<version>/busybox            (static aarch64 busybox)
#   build/linux/debian-.../zynqmp-zcu102-rev1.0.dtb  (the ZCU102's DTB, doc/boards.md)
#
# The version is the one apt would install now (the linux-image-arm64
# metapackage's current dependency). A directory that is complete is reused
# without touching the network. apt-get update runs only when apt does not know
# the arm64 packages yet (first run: `dpkg --add-architecture arm64`). Offline
# with a cached copy: the cached copy is used, with a warning.
#
# Usage: fetch-debian-kernel.sh [--print image|busybox|all]
#   prints the path(s) on stdout (default: all = Image, then busybox); messages on stderr.
set -euo pipefail
. "$(dirname "$0")/common.sh"

PRINT=all
case "${1:-}" in
"") ;;
--print) PRINT=${2:?--print needs image, busybox or all} ;;
*) die "usage: $0 [--print image|busybox|all]" ;;
esac
case $PRINT in image | busybox | all) ;; *) die "--print: image, busybox or all" ;; esac

for t in apt-get apt-cache dpkg dpkg-deb; do
	command -v $t >/dev/null || die "$t not found: this needs a Debian (12) host"
done

# Newest cached directory matching a glob, for offline fallback.
newest_cached() {
	local d best=
	for d in $LINUX_OUT/$1; do
		[ -f "$d/.complete" ] && best=$d
	done
	printf '%s' "$best"
}

# candidate VERSION of PKG (arch-qualified) or empty
candidate() {
	apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { if ($2 != "(none)") print $2; exit }'
}

apt_knows_arm64() {
	[ -n "$(candidate linux-image-arm64:arm64)" ] && [ -n "$(candidate busybox-static:arm64)" ]
}

ensure_apt_arm64() {
	apt_knows_arm64 && return 0
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		say "adding the arm64 architecture to dpkg (dpkg --add-architecture arm64)"
		as_root dpkg --add-architecture arm64
	fi
	say "apt does not know the arm64 packages yet: apt-get update"
	apt_root update || return 1
	apt_knows_arm64
}

# fetch PKG:arm64 VERSION into DIR (DIR/.complete marks success); EXTRACT is a
# function called with the unpacked root and DIR.
fetch_pkg() {
	local pkg=$1 ver=$2 dir=$3 extract=$4 tmp
	tmp=$(mktemp -d "$LINUX_OUT/.fetch.XXXXXX")
	chmod 755 "$tmp" # apt-get download as root drops to _apt
	say "downloading $pkg:arm64 $ver from Debian's archive"
	local sb=(); [ "$(id -u)" -eq 0 ] && sb=(-o APT::Sandbox::User=root)
	(cd "$tmp" && apt-get download -q "${sb[@]}" "$pkg:arm64=$ver" >&2) ||
		die "apt-get download $pkg:arm64=$ver failed (network? run 'apt-get update')"
	dpkg-deb -x "$tmp"/"${pkg}"_*.deb "$tmp/root" || die "dpkg -x of $pkg failed"
	rm -rf "$dir"
	mkdir -p "$dir"
	"$extract" "$tmp/root" "$dir"
	printf '%s %s\n' "$pkg" "$ver" >"$dir/.complete"
	rm -rf "$tmp"
}

extract_kernel() {
	local img
	img=$(ls "$1"/boot/vmlinuz-* 2>/dev/null | head -n1)
	[ -n "$img" ] || die "no boot/vmlinuz-* in the kernel package"
	cp "$img" "$2/Image"
	cp "$1"/boot/config-* "$2/config" 2>/dev/null || true
	# Board device trees (fetch-board-dtb.sh, doc/boards.md).
	cp "$1"/usr/lib/linux-image-*/xilinx/zynqmp-zcu102-rev1.0.dtb "$2/" 2>/dev/null || true
	# The GEM's driver and what it needs, for the initramfs (doc/passthrough.md):
	# macb.ko, libphy, fixed_phy, fwnode_mdio, of_mdio, phylink (uncompressed .ko).
	mkdir -p "$2/net"
	for m in ethernet/cadence/macb phy/libphy phy/fixed_phy phy/phylink mdio/fwnode_mdio mdio/of_mdio; do
		cp "$1"/lib/modules/*/kernel/drivers/net/$m.ko "$2/net/" ||
			die "no drivers/net/$m.ko in the kernel package"
	done
	# arm64 Image header: magic "ARM\x64" at offset 56.
	[ "$(dd if="$2/Image" bs=1 skip=56 count=4 2>/dev/null)" = $'ARM\x64' ] ||
		die "$img is not an uncompressed arm64 Image"
}

extract_busybox() {
	[ -x "$1/bin/busybox" ] || die "no bin/busybox in busybox-static"
	cp "$1/bin/busybox" "$2/busybox"
}

print_paths() {
	case $PRINT in
	image) echo "$kdir/Image" ;;
	busybox) echo "$bdir/busybox" ;;
	all) echo "$kdir/Image"; echo "$bdir/busybox" ;;
	esac
}

# apt-cache look-ups take seconds: their answer is remembered until apt's
# package lists (or dpkg's architectures) change.
lists_key=$( { dpkg --print-foreign-architectures
	stat -c '%n %s %Y' /var/lib/apt/lists/*_Packages* 2>/dev/null; } | sha256sum | cut -c1-16)
resolved=$LINUX_OUT/.debian-resolved
if [ -f "$resolved" ]; then
	read -r rkey kdir bdir <"$resolved" || true
	if [ "$rkey" = "$lists_key" ] && [ -f "$kdir/.complete" ] && [ -f "$kdir/net/macb.ko" ] &&
	   [ -f "$bdir/.complete" ]; then
		print_paths
		exit 0
	fi
fi

kdir= bdir=
if ensure_apt_arm64; then
	# linux-image-arm64 (metapackage) -> linux-image-6.1.0-NN-arm64
	meta_ver=$(candidate linux-image-arm64:arm64)
	kpkg=$(apt-cache show "linux-image-arm64:arm64=$meta_ver" 2>/dev/null |
		sed -n 's/^Depends:.*\(linux-image-[0-9][^ ,]*-arm64\).*/\1/p' | head -n1)
	[ -n "$kpkg" ] || die "cannot tell which kernel linux-image-arm64 $meta_ver depends on"
	kver=$(candidate "$kpkg:arm64")
	[ -n "$kver" ] || die "apt has no candidate for $kpkg:arm64"
	bver=$(candidate busybox-static:arm64)
	# no ':' (epochs) in paths: make and PATH-like lists split on it
	kdir=$LINUX_OUT/debian-${kpkg}_${kver//:/_}
	bdir=$LINUX_OUT/busybox-${bver//:/_}
	# (a directory from before the network modules were kept is fetched again)
	[ -f "$kdir/.complete" ] && [ -f "$kdir/net/macb.ko" ] ||
		fetch_pkg "$kpkg" "$kver" "$kdir" extract_kernel
	[ -f "$bdir/.complete" ] || fetch_pkg busybox-static "$bver" "$bdir" extract_busybox
	# (after an apt-get update above the key changed: compute it again)
	lists_key=$( { dpkg --print-foreign-architectures
		stat -c '%n %s %Y' /var/lib/apt/lists/*_Packages* 2>/dev/null; } | sha256sum | cut -c1-16)
	echo "$lists_key $kdir $bdir" >"$resolved"
else
	kdir=$(newest_cached 'debian-linux-image-*')
	bdir=$(newest_cached 'busybox-*')
	[ -n "$kdir" ] && [ -n "$bdir" ] ||
		die "apt cannot provide the arm64 packages (apt-get update failed: network?) and nothing is cached in $LINUX_OUT"
	say "warning: apt cannot resolve the arm64 packages; using the cached $kdir and $bdir"
fi

print_paths
