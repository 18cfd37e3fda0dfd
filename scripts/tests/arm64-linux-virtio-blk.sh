#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test-timeout: 200
# Device passthrough (doc/passthrough.md): the minimal Linux kernel as VM
# "linux" owns QEMU virt's virtio-mmio transport 7, a disk
# (-device virtio-blk-device,bus=virtio-mmio-bus.7; configs/vms/
# linux-virtio-blk.dts): its MMIO page mapped Device-nGnRE at IPA = PA, its
# SPI 23 forwarded to the VM's virtual GICv3 with the list register's HW bit.
# The VM's RAM is identity-mapped (memory-identity: the device DMAs to the
# addresses the driver gives it). Linux's virtio-blk driver finds /dev/vda;
# the guest loads ext2.ko, mounts the ext2 image the script built
# (mkfs.ext2 -d), prints /hello.txt, writes /guest.txt, remounts and reads
# it back (completions are the forwarded interrupt), then resets its VM
# (PSCI SYSTEM_RESET: passthrough SPIs disabled at destroy, identity RAM
# zeroed and remapped, SPIs enabled again at the rebuild); the second boot
# mounts the disk again and finds /guest.txt. After QEMU exits the script
# finds /guest.txt in the image (debugfs).
ARM64_TEST_TIMEOUT=${ARM64_TEST_TIMEOUT:-200}
source "$(dirname "$0")/../arm64-testlib.sh"

PATH=$PATH:/usr/sbin:/sbin	# mkfs.ext2, debugfs (e2fsprogs) for non-root users
img=build/test/arm64-linux-virtio-blk.vda.img
root=build/test/arm64-linux-virtio-blk.root
command -v mkfs.ext2 >/dev/null || { echo "FAIL arm64-linux-virtio-blk: mkfs.ext2 missing: run scripts/deps.sh"; exit 1; }
mkdir -p build/test
rm -rf "$img" "$root"
mkdir -p "$root"
printf 'hyp-passthrough-disk: written by the host\n' > "$root/hello.txt"
mkfs.ext2 -q -F -b 1024 -d "$root" "$img" 1024 ||
	{ echo "FAIL arm64-linux-virtio-blk: mkfs.ext2 -d failed"; exit 1; }

LINUX_GUEST_DTS=linux-virtio linux_vm_boot arm64-linux-virtio-blk min disk \
	configs/vms/linux-virtio-blk.dts UBOOT_BOOT_TARGET=virtio1 \
	QEMU_EXTRA="-drive if=none,file=$img,format=raw,id=vda -device virtio-blk-device,drive=vda,bus=virtio-mmio-bus.7"
expect_linux_vm_ok
expect "vm0 \\(linux\\): RAM identity-mapped: IPA = PA 0x60000000\\+0x8000000" "identity-mapped RAM"
expect 'vm0 \(linux\): passthrough 0xa000000\+0x1000 at IPA 0xa000000 \(device, pinned\)' \
	"the transport's page mapped into the VM"
expect 'virtio_blk virtio0: \[vda\]' "Linux's virtio-blk driver found the disk"
expect '^(\[linux\] )?linux-guest: disk: /dev/vda mounted' "Linux mounted the ext2 disk"
reject 'EXT2-fs.*error' "an ext2 error"
expect '^(\[linux\] )?linux-guest: disk read: hyp-passthrough-disk: written by the host' \
	"Linux read the host's line from the disk"
expect '^(\[linux\] )?linux-guest: disk readback: hyp-passthrough-disk: written by the guest' \
	"Linux read its own write back"
expect '^(\[linux\] )?linux-guest: disk irqs: +[0-9]+: +[1-9][0-9]* .*GICv3 55 ' "the forwarded SPI (INTID 55) was taken"
expect '^(\[linux\] )?linux-guest: disk: resetting the VM' "Linux reset its VM (PSCI SYSTEM_RESET)"
expect 'vm0 \(linux\): destroyed for reset' "the VM was destroyed for the reset (SPI disabled)"
expect '^(\[linux\] )?linux-guest: disk after reset: hyp-passthrough-disk: written by the guest' \
	"after the reset (RAM zeroed and remapped, SPI re-enabled) Linux mounted the disk again"
expect '^(\[linux\] )?linux-guest: disk exit 0' "disk job exit 0"
if [ "$(debugfs -R 'cat /guest.txt' "$img" 2>/dev/null)" != \
     "hyp-passthrough-disk: written by the guest" ]; then
	FAILS+=("the guest's write is not in $img after QEMU exited")
fi
finish
