#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the arm64 boot media for QEMU, without root:
#   build/arm64/disk.img  MBR disk, one bootable FAT16 partition holding
#                         boot.scr (from configs/arm64/boot.cmd) and hyp.bin
#                         -- the layout of a dev board's SD card
#   build/arm64/env.img   U-Boot environment for QEMU's second pflash bank:
#                         U-Boot's own defaults with bootdelay=0, scan only
#                         virtio0, optional bootargs
#
# Env: VMCFG=configs/vms/NAME.dts: also put the VM config (as vms.dtb) and
#      every module file it names (kernel, ramdisk, dtb; looked up in the dirs of VMFILES_PATH (first), $BUILD
#      and $BUILD/guests; VMFILES_PATH is colon-separated) on the
#      partition (doc/vm-config.md). The partition grows to fit them.
#      VMCFG_ALLOW_MISSING=1: a named file that does not exist is left off
#      the disk (tests of the hypervisor's refusal) instead of an error.
#      BOOTARGS="..." becomes U-Boot's ${bootargs} (the DTB's /chosen/bootargs).
#      BOOT_CMD=file: another boot script (default configs/arm64/boot.cmd;
#      configs/arm64/boot-linux.cmd boots Linux without the hypervisor, the
#      benchmark's baseline); EXTRA_FILES=a:b:...: more files on the partition.
#      BUILD=dir (default build/arm64), DISK/ENV output paths, UBOOT=u-boot.bin.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build/arm64}
DISK=${DISK:-$BUILD/disk.img}
ENV=${ENV:-$BUILD/env.img}
BIN=$BUILD/hyp.bin
UBOOT=${UBOOT:-/usr/lib/u-boot/qemu_arm64/u-boot.bin}
PART_START=2048			# sectors: partition at 1 MiB, as SD cards are laid out
PART_KIB=16384			# at least 16 MiB: FAT16 (grown for big VM modules)

for t in mkimage mkfs.vfat mcopy gzip; do
	command -v $t >/dev/null || { echo "mkdisk-arm64: $t missing (u-boot-tools, dosfstools, mtools)" >&2; exit 1; }
done
[ -f "$BIN" ] || { echo "mkdisk-arm64: $BIN missing: run make ARCH=arm64" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- VM config and the files it names ------------------------------------
files=()
if [ -n "${VMCFG:-}" ]; then
	dtc -q -I dts -O dtb -o "$tmp/vms.dtb" "$VMCFG" || { echo "mkdisk-arm64: bad $VMCFG" >&2; exit 1; }
	files+=("$tmp/vms.dtb")
	# VMFILES_PATH first: a test's staged files override what make built.
	IFS=: read -r -a dirs <<< "${VMFILES_PATH:-}:$BUILD:$BUILD/guests"
	for vm in $(fdtget -l "$tmp/vms.dtb" /vms 2>/dev/null); do
		for m in kernel ramdisk dtb; do
			f=$(fdtget -t s "$tmp/vms.dtb" "/vms/$vm/$m" file 2>/dev/null) || continue
			found=
			for d in "${dirs[@]}"; do
				[ -n "$d" ] && [ -f "$d/$f" ] && { found=$d/$f; break; }
			done
			if [ -z "$found" ]; then
				[ "${VMCFG_ALLOW_MISSING:-0}" = 1 ] && continue
				echo "mkdisk-arm64: $VMCFG: /vms/$vm/$m: $f not found in ${dirs[*]}" >&2
				exit 1
			fi
			files+=("$found")
		done
	done
fi

# --- boot.scr + FAT partition ----------------------------------------------
if [ -n "${EXTRA_FILES:-}" ]; then
	IFS=: read -r -a extra <<< "$EXTRA_FILES"
	files+=("${extra[@]}")
fi
mkimage -A arm64 -O linux -T script -C none -n "hyp boot script" \
	-d "${BOOT_CMD:-configs/arm64/boot.cmd}" "$tmp/boot.scr" >/dev/null
# Room for everything (files named twice are copied once) + 10% + 4 MiB.
kib=$(du -k --apparent-size -c "$BIN" $(printf '%s\n' "${files[@]}" | sort -u) 2>/dev/null | tail -1 | cut -f1)
need=$((kib + kib / 10 + 4096))
[ $need -gt $PART_KIB ] && PART_KIB=$need
fat=16 ptype='\x0e'
if [ $PART_KIB -gt $((256 * 1024)) ]; then
	fat=32 ptype='\x0c'		# FAT32 LBA
fi
mkfs.vfat -C -F $fat -n HYPBOOT "$tmp/part.img" $PART_KIB >/dev/null
mcopy -i "$tmp/part.img" "$tmp/boot.scr" "$BIN" ::/
for f in "${files[@]}"; do
	mcopy -o -i "$tmp/part.img" "$f" ::/
done

# --- MBR: one bootable partition, type 0x0e (FAT16 LBA) ---------------------
le32() {	# print a 32-bit little-endian value as \x escapes
	local v=$1
	printf '\\x%02x\\x%02x\\x%02x\\x%02x' $((v & 255)) $((v >> 8 & 255)) \
		$((v >> 16 & 255)) $((v >> 24 & 255))
}
sectors=$((PART_KIB * 2))
truncate -s 0 "$tmp/disk.img"
truncate -s $(((PART_START + sectors) * 512)) "$tmp/disk.img"
entry="\\x80\\xfe\\xff\\xff${ptype}\\xfe\\xff\\xff$(le32 $PART_START)$(le32 $sectors)"
printf "$entry" | dd of="$tmp/disk.img" bs=1 seek=446 conv=notrunc status=none
printf '\x55\xaa' | dd of="$tmp/disk.img" bs=1 seek=510 conv=notrunc status=none
dd if="$tmp/part.img" of="$tmp/disk.img" bs=512 seek=$PART_START conv=notrunc status=none
mv "$tmp/disk.img" "$DISK"

# --- U-Boot environment (pflash bank 1) -------------------------------------
# A stored environment replaces U-Boot's built-in one entirely, so start from
# the built-in one (extracted from u-boot.bin: it begins with "bootcmd=" and
# ends with an empty string) and change only what makes QEMU boots fast:
# bootdelay=0 and scanning only virtio0 (skips the fw_cfg/USB/SCSI probes;
# UBOOT_BOOT_TARGET=virtio1 when a test's own disk sits at a lower virtio-mmio
# address than the boot disk, doc/passthrough.md).
# Layout (CONFIG_ENV_SIZE 256 KiB at the start of bank 1): CRC32 (LE) of the
# rest, then "key=value\0" ..., "\0", zero padding; the flash beyond is 0xff.
ENV_SIZE=$((256 * 1024))
off=$(grep -obUaP 'bootcmd=run distro_bootcmd\x00' "$UBOOT" | head -1 | cut -d: -f1 || true)
if [ -z "$off" ]; then
	echo "mkdisk-arm64: no default environment found in $UBOOT: no env.img" >&2
	rm -f "$ENV"
	exit 0
fi
# (Files, not pipes: an early-closing reader would trip pipefail.)
dd if="$UBOOT" iflag=skip_bytes,count_bytes skip=$off count=$ENV_SIZE status=none |
	tr '\0\n' '\n\001' > "$tmp/env.raw"
sed '/^$/q' "$tmp/env.raw" |
	sed -e 's/^bootdelay=.*/bootdelay=0/' \
	    -e "s/^boot_targets=.*/boot_targets=${UBOOT_BOOT_TARGET:-virtio0}/" \
	    -e '/^bootargs=/d' -e '/^$/d' > "$tmp/env.txt"
t=${UBOOT_BOOT_TARGET:-virtio0}
grep -q "^bootcmd_$t=" "$tmp/env.txt" || grep "^bootcmd_virtio0=" "$tmp/env.txt" |
	sed -e "s/virtio0/$t/" -e "s/devnum=0/devnum=${t#virtio}/" >> "$tmp/env.txt"
[ -n "${BOOTARGS:-}" ] && printf 'bootargs=%s\n' "$BOOTARGS" >> "$tmp/env.txt"
printf '\n' >> "$tmp/env.txt"			# the terminating empty string
tr '\n\001' '\0\n' < "$tmp/env.txt" > "$tmp/env.body"
truncate -s $((ENV_SIZE - 4)) "$tmp/env.body"
# gzip's trailer is the CRC32 of its input, little endian: what U-Boot wants.
gzip -c "$tmp/env.body" | tail -c 8 | head -c 4 > "$tmp/env.img"
cat "$tmp/env.body" >> "$tmp/env.img"
head -c $((64 * 1024 * 1024 - ENV_SIZE)) /dev/zero | tr '\0' '\377' >> "$tmp/env.img"
mv "$tmp/env.img" "$ENV"
