#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build a GRUB (BIOS) rescue ISO that multiboots build/x86/hyp.elf.
#   scripts/mkiso-x86.sh [hyp.elf] [out.iso] [hypervisor command line]
# MODULES="file name ..." (environment): each file is copied to /boot/NAME
# and loaded by GRUB as a multiboot module named NAME (doc/x86-virt.md).
# Needs grub-pc-bin, grub-common, xorriso, mtools.
set -eu
cd "$(dirname "$0")/.."
elf=${1:-build/x86/hyp.elf}
iso=${2:-build/x86/hyp.iso}
cmdline=${3:-}
root=build/x86/isoroot

rm -rf "$root"
mkdir -p "$root/boot/grub"
cp "$elf" "$root/boot/hyp.elf"
# The command line goes after the image on GRUB's multiboot line.
modlines=
set -- ${MODULES:-}
while [ $# -ge 2 ]; do
	cp "$1" "$root/boot/$2"
	modlines="$modlines\tmodule /boot/$2 $2\n"
	shift 2
done
sed -e "s|^\(\s*multiboot /boot/hyp.elf\).*|\1 $cmdline|" \
    -e "s|^\(\s*\)boot$|$modlines\1boot|" configs/x86/grub.cfg \
	> "$root/boot/grub/grub.cfg"
# Only the BIOS platform: bochs has no UEFI firmware here.
grub-mkrescue -o "$iso" -d /usr/lib/grub/i386-pc "$root" >/dev/null 2>&1 || {
	echo "mkiso-x86: grub-mkrescue failed:" >&2
	grub-mkrescue -o "$iso" -d /usr/lib/grub/i386-pc "$root" >&2
	exit 1
}
echo "$iso"
