#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test-timeout: 200
# Device passthrough (doc/passthrough.md): the minimal Linux kernel as VM
# "linux" owns QEMU virt's virtio-mmio transport 7, a disk
# (-device virtio-blk-device,bus=virtio-mmio-bus.7; configs/vms/
# linux-virtio-blk.dts): its MMIO page mapped Device-nGnRE at IPA = PA, its
# SPI 23 forwarded to the VM's virtual GICv3 with the list register's HW bit.
# Linux's virtio-blk driver finds /dev/vda, reads the line the script put in
# the disk's first block, writes a line to its second block with O_DIRECT
# (completions are that interrupt) and reads it back; after QEMU exits the
# script finds the guest's line in the image file.
ARM64_TEST_TIMEOUT=${ARM64_TEST_TIMEOUT:-200}
source "$(dirname "$0")/../arm64-testlib.sh"

img=build/test/arm64-linux-virtio-blk.vda.img
mkdir -p build/test
rm -f "$img"
truncate -s 1M "$img"
printf 'hyp-passthrough-disk: written by the host\n' | dd of="$img" conv=notrunc 2>/dev/null

LINUX_GUEST_DTS=linux-virtio linux_vm_boot arm64-linux-virtio-blk min disk \
	configs/vms/linux-virtio-blk.dts UBOOT_BOOT_TARGET=virtio1 \
	QEMU_EXTRA="-drive if=none,file=$img,format=raw,id=vda -device virtio-blk-device,drive=vda,bus=virtio-mmio-bus.7"
expect_linux_vm_ok
expect "vm0 \\(linux\\): RAM identity-mapped: IPA = PA 0x60000000\\+0x8000000" "identity-mapped RAM"
expect 'vm0 \(linux\): passthrough 0xa000000\+0x1000 at IPA 0xa000000 \(device, pinned\)' \
	"the transport's page mapped into the VM"
expect 'virtio_blk virtio0: \[vda\]' "Linux's virtio-blk driver found the disk"
expect '^(\[linux\] )?linux-guest: disk read: hyp-passthrough-disk: written by the host' \
	"Linux read the host's line from the disk"
expect '^(\[linux\] )?linux-guest: disk readback: hyp-passthrough-disk: written by the guest' \
	"Linux read its own write back"
expect '^(\[linux\] )?linux-guest: disk irqs: +[0-9]+: +[1-9][0-9]* .*GICv3 55 ' "the forwarded SPI (INTID 55) was taken"
expect '^(\[linux\] )?linux-guest: disk exit 0' "disk job exit 0"
if [ "$(dd if="$img" bs=4096 skip=1 count=1 2>/dev/null | head -n 1)" != \
     "hyp-passthrough-disk: written by the guest" ]; then
	FAILS+=("the guest's write is not in $img after QEMU exited")
fi
finish
