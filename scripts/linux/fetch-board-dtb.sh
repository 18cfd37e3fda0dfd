#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# A board's device tree from Debian's arm64 kernel package (the same
# linux-image-<abi>-arm64 fetch-debian-kernel.sh unpacks; doc/boards.md):
#
#   fetch-board-dtb.sh zcu102    prints the path of xilinx/zynqmp-zcu102-rev1.0.dtb
#
# The DTB is kept next to the kernel's Image (build/linux/debian-.../). A
# kernel directory unpacked before DTBs were kept gets it from the same
# package version, downloaded again once.
set -euo pipefail
. "$(dirname "$0")/common.sh"

case "${1:-}" in
zcu102) rel=xilinx/zynqmp-zcu102-rev1.0.dtb ;;
*) die "usage: $0 zcu102" ;;
esac
img=$("$(dirname "$0")/fetch-debian-kernel.sh" --print image)
kdir=$(dirname "$img")
out=$kdir/${rel##*/}
if [ ! -f "$out" ]; then
	read -r pkg ver <"$kdir/.complete" || die "$kdir/.complete unreadable"
	tmp=$(mktemp -d "$LINUX_OUT/.dtb.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	chmod 755 "$tmp"
	say "downloading $pkg:arm64 $ver for $rel"
	sb=(); [ "$(id -u)" -eq 0 ] && sb=(-o APT::Sandbox::User=root)
	(cd "$tmp" && apt-get download -q "${sb[@]}" "$pkg:arm64=$ver" >&2) ||
		die "apt-get download $pkg:arm64=$ver failed (network? run 'apt-get update')"
	dpkg-deb --fsys-tarfile "$tmp/${pkg}"_*.deb | tar -x -C "$tmp" --wildcards "*/$rel" ||
		die "no $rel in $pkg"
	f=$(find "$tmp" -path "*/$rel" | head -n1)
	[ -n "$f" ] || die "no $rel in $pkg"
	cp "$f" "$out.tmp" && mv "$out.tmp" "$out"
fi
echo "$out"
