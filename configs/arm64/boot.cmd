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

# VMs (doc/vm-config.md): vms.dtb on the same partition describes them and
# names each VM's module files. Layout from R = ${ramdisk_addr_r}:
#   R              vms.dtb (grown by 4 KiB for the reg properties set here)
#   R + 1 MiB      copy of the host DTB, with /chosen/hyp,vm-config = <R>
#   R + 4 MiB      the modules of vm@0..vm@3 (kernel, ramdisk, dtb of each,
#                  in that order), back to back, each 2 MiB aligned
# Each module node gets reg = <addr size> of its loaded file; a file that is
# missing leaves its node without reg (the hypervisor then refuses that VM).
# The hypervisor reserves all of it before its page allocator takes RAM.
if test -e ${devtype} ${devnum}:${distro_bootpart} vms.dtb; then
	setexpr hyp_vmcfg ${ramdisk_addr_r} + 0
	load ${devtype} ${devnum}:${distro_bootpart} ${hyp_vmcfg} vms.dtb
	fdt addr ${hyp_vmcfg}
	fdt resize 4096
	setexpr hyp_vmimg ${hyp_vmcfg} + 0x400000
	for i in 0 1 2 3; do
		for m in kernel ramdisk dtb; do
			if fdt get value hyp_vmfile /vms/vm@${i}/${m} file; then
				if load ${devtype} ${devnum}:${distro_bootpart} ${hyp_vmimg} ${hyp_vmfile}; then
					fdt set /vms/vm@${i}/${m} reg <0x0 0x${hyp_vmimg} 0x0 0x${filesize}>
					echo "hyp: vm@${i}: ${m} ${hyp_vmfile} at 0x${hyp_vmimg} (0x${filesize} bytes)"
					setexpr hyp_vmimg ${hyp_vmimg} + ${filesize}
					setexpr hyp_vmimg ${hyp_vmimg} + 0x1fffff
					setexpr hyp_vmimg ${hyp_vmimg} / 0x200000
					setexpr hyp_vmimg ${hyp_vmimg} * 0x200000
				else
					echo "hyp: vm@${i}: ${m} ${hyp_vmfile} missing"
				fi
			fi
		done
	done
	setexpr hyp_fdtcopy ${hyp_vmcfg} + 0x100000
	fdt move ${hyp_fdt} ${hyp_fdtcopy} 0x180000
	fdt resize 1024
	fdt set /chosen hyp,vm-config <0x0 0x${hyp_vmcfg}>
	setenv hyp_fdt ${hyp_fdtcopy}
fi
if load ${devtype} ${devnum}:${distro_bootpart} ${kernel_addr_r} hyp.bin; then
	echo "hyp: booti ${kernel_addr_r} - ${hyp_fdt} (bootargs: ${bootargs})"
	booti ${kernel_addr_r} - ${hyp_fdt}
fi
echo "hyp: loading or starting hyp.bin failed"
