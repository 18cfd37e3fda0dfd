# U-Boot boot script for the hypervisor; build with
#   mkimage -A arm64 -T script -C none -d boot.cmd boot.scr
# U-Boot's distro boot finds boot.scr on the first bootable partition and
# sets ${devtype} ${devnum} ${distro_bootpart}; the same script boots QEMU's
# virtio disk and a board's SD card (mmc).
#
# Addresses come from the board's environment: ${kernel_addr_r} (where
# hyp.bin is loaded; booti keeps it there, it is 2 MiB aligned on every
# board that follows the distro conventions) and ${fdt_addr_r}.
#
# DTB: hyp.dtb from the same partition if present (usual on boards), else
# the DTB U-Boot itself runs with (${fdtcontroladdr}; QEMU's on virt).

echo "hyp: boot.scr on ${devtype} ${devnum}:${distro_bootpart}"
if test -e ${devtype} ${devnum}:${distro_bootpart} hyp.dtb; then
	load ${devtype} ${devnum}:${distro_bootpart} ${fdt_addr_r} hyp.dtb
	setenv hyp_fdt ${fdt_addr_r}
else
	setenv hyp_fdt ${fdtcontroladdr}
fi
if load ${devtype} ${devnum}:${distro_bootpart} ${kernel_addr_r} hyp.bin; then
	echo "hyp: booti ${kernel_addr_r} - ${hyp_fdt} (bootargs: ${bootargs})"
	booti ${kernel_addr_r} - ${hyp_fdt}
fi
echo "hyp: loading or starting hyp.bin failed"
