# U-Boot boot script for Linux WITHOUT the hypervisor: the fair baseline of
# scripts/linux-bench.sh (linux_boot_to_init_bare_uboot, doc/bench.md): the
# same firmware path as boot.cmd (distro boot finds this script on virtio0),
# then the Linux VM's own files booted directly at EL1: linux.img,
# initrd.img, linux.dtb (its /chosen/bootargs kept; U-Boot fixes up /memory
# and the initrd). Build: mkimage -A arm64 -T script -C none -d boot-linux.cmd
# boot.scr (scripts/mkdisk-arm64.sh with BOOT_CMD=configs/arm64/boot-linux.cmd).

echo "linux: boot.scr on ${devtype} ${devnum}:${distro_bootpart}"
# QEMU's U-Boot has no ${fdt_addr_r}: between the kernel (at most 59 MiB from
# ${kernel_addr_r} 0x40400000) and the ramdisk (0x44000000).
if test -z "${fdt_addr_r}"; then
	setenv fdt_addr_r 0x43f00000
fi
load ${devtype} ${devnum}:${distro_bootpart} ${kernel_addr_r} linux.img
load ${devtype} ${devnum}:${distro_bootpart} ${ramdisk_addr_r} initrd.img
setenv linux_rdsize ${filesize}
load ${devtype} ${devnum}:${distro_bootpart} ${fdt_addr_r} linux.dtb
echo "linux: booti ${kernel_addr_r} ${ramdisk_addr_r}:${linux_rdsize} ${fdt_addr_r}"
booti ${kernel_addr_r} ${ramdisk_addr_r}:${linux_rdsize} ${fdt_addr_r}
