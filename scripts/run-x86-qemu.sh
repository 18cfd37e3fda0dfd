#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Boot build/x86/hyp.elf under QEMU TCG with an SVM + NPT CPU (-cpu EPYC),
# multiboot through -kernel, console on stdio.
#   scripts/run-x86-qemu.sh [-c CPUS] [-a CMDLINE] [-g VMCONFIG] [-- extra qemu args]
# -g NAME: boot with configs/vms-x86/NAME.dts as the multiboot module
# "vms.dtb" plus every kernel/file it names (from build/x86/), doc/x86-virt.md.
# Exit status (isa-debug-exit): 1 = hypervisor powered off with status 0,
# 2s+1 = powered off with status s, 0 = QEMU quit otherwise (e.g. reset
# with -no-reboot = triple fault).
set -eu
cd "$(dirname "$0")/.."
cpus=4
cmdline=
vmcfg=
while getopts c:a:g: opt; do
	case $opt in
	c) cpus=$OPTARG ;;
	a) cmdline=$OPTARG ;;
	g) vmcfg=$OPTARG ;;
	*) echo "usage: $0 [-c CPUS] [-a CMDLINE] [-g VMCONFIG] [-- qemu args]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
make --no-print-directory -s ARCH=x86 >&2
if [ -n "$vmcfg" ]; then
	dtb=build/x86/vms-x86/$vmcfg.dtb
	[ -f "$dtb" ] || { echo "$0: no $dtb (configs/vms-x86/$vmcfg.dts)" >&2; exit 2; }
	mods="$dtb vms.dtb"
	for f in $(dtc -q -I dtb -O dts "$dtb" | sed -n 's/.*file = "\(.*\)";.*/\1/p' | sort -u); do
		[ -f "build/x86/$f" ] || { echo "$0: kernel file build/x86/$f missing" >&2; exit 2; }
		mods="$mods,build/x86/$f"
	done
	set -- -initrd "$mods" "$@"
fi
exec qemu-system-x86_64 -cpu EPYC -smp "$cpus" -m 256 -nographic -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-kernel build/x86/hyp.elf -append "$cmdline" "$@"
