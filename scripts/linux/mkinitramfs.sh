#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The Linux guests' initramfs: busybox-static:arm64 + guest-linux/init +
# the static test programs (verifier, hyptest) + for the minimal kernel
# hypdev.ko built against it:
#
#   build/linux/initrd-<kernel>.img     gzip'd newc cpio; <kernel> = debian | min
#
# Rebuilt only when an input changed (hash of every input in
# build/linux/initrd-<kernel>.key). Prints the image's path on stdout.
#
# Usage: mkinitramfs.sh debian|min
set -euo pipefail
. "$(dirname "$0")/common.sh"

kernel=${1:-}
case $kernel in debian | min) ;; *) die "usage: $0 debian|min" ;; esac
CROSS=aarch64-linux-gnu-
command -v ${CROSS}gcc >/dev/null || die "${CROSS}gcc missing: run scripts/deps.sh"
command -v cpio >/dev/null || die "cpio missing: run scripts/deps.sh"

G=$LINUX_ROOT/guest-linux
# The guest ABI (hypercall numbers, errors, counter indices) for hypdev.ko and hyptest.
HYP_INCLUDE=$LINUX_ROOT/hyp/include
ABI=$HYP_INCLUDE/hyp/abi/hypercall.h
busybox=$("$LINUX_ROOT/scripts/linux/fetch-debian-kernel.sh" --print busybox)
netko=
# The Debian kernel's GEM driver modules (fetch-debian-kernel.sh keeps them).
[ "$kernel" = debian ] && netko=$(dirname "$("$LINUX_ROOT/scripts/linux/fetch-debian-kernel.sh" --print image)")/net
kbuild=
[ "$kernel" = min ] && kbuild=$("$LINUX_ROOT/scripts/linux/build-min-kernel.sh" --print build)

out=$LINUX_OUT/initrd-$kernel.img
keyfile=$LINUX_OUT/initrd-$kernel.key
# (this script by content: it is run by relative and by absolute path)
key=$( { sha256sum <"$0"; sha256sum "$busybox" "$G"/init "$G"/*.c "$G"/hypdev/* "$ABI"; echo "$kbuild"; \
	[ -z "$netko" ] || sha256sum "$netko"/*.ko; \
	${CROSS}gcc --version | head -n1; } | sha256sum | cut -c1-16)
if [ -f "$out" ] && [ "$(cat "$keyfile" 2>/dev/null)" = "$key" ]; then
	echo "$out"
	exit 0
fi

# Static programs.
bin=$LINUX_OUT/bin
mkdir -p "$bin"
for p in verifier hyptest; do
	${CROSS}gcc -static -O2 -std=gnu11 -Wall -Wextra -Werror -pthread -I"$G" -I"$HYP_INCLUDE" \
		-o "$bin/$p" "$G/$p.c" || die "building guest-linux/$p.c failed"
done

stage=$(mktemp -d "$LINUX_OUT/.initrd.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,sbin,dev,proc,sys,tmp,lib/modules}
cp "$busybox" "$stage/bin/busybox"
ln -s busybox "$stage/bin/sh"
cp "$G/init" "$stage/init"
chmod 755 "$stage/init"
cp "$bin/verifier" "$bin/hyptest" "$stage/bin/"
if [ -n "$netko" ]; then
	mkdir -p "$stage/lib/modules/net"
	cp "$netko"/*.ko "$stage/lib/modules/net/"
fi

# hypdev.ko, out of tree against the minimal kernel, built in a copy of its
# sources (Kbuild writes its objects next to them).
if [ -n "$kbuild" ]; then
	mdir=$LINUX_OUT/hypdev-$key
	rm -rf "$LINUX_OUT"/hypdev-*
	mkdir -p "$mdir"
	cp "$G"/hypdev/* "$mdir/"
	make -s -C "$kbuild" M="$mdir" HYP_INCLUDE="$HYP_INCLUDE" ARCH=arm64 CROSS_COMPILE=$CROSS modules >&2 ||
		die "building hypdev.ko against $kbuild failed"
	cp "$mdir/hypdev.ko" "$stage/lib/modules/"
	# ext2.ko for the passed-through disk (doc/passthrough.md): the kernel's own
	# fs/ext2 built out of tree as a module, so the minimal kernel (no block
	# file system) is not rebuilt. Its FIEMAP ioctl needs iomap, which the
	# minimal kernel lacks: it answers EOPNOTSUPP instead.
	edir=$LINUX_OUT/ext2-$key
	rm -rf "$LINUX_OUT"/ext2-*
	cp -r "$kbuild/source/fs/ext2" "$edir"
	sed -i 's/ret = iomap_fiemap(inode, fieinfo, start, len, &ext2_iomap_ops);/ret = -EOPNOTSUPP;/' \
		"$edir/inode.c"
	make -s -C "$kbuild" M="$edir" CONFIG_EXT2_FS=m ARCH=arm64 CROSS_COMPILE=$CROSS modules >&2 ||
		die "building ext2.ko against $kbuild failed"
	cp "$edir/ext2.ko" "$stage/lib/modules/"
fi

(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --quiet) | gzip -9n >"$out.tmp"
mv "$out.tmp" "$out"
echo "$key" >"$keyfile"
say "built $out ($(stat -c %s "$out") bytes)"
echo "$out"
