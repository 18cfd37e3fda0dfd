#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Boot build/x86/hyp.elf under QEMU TCG with an SVM + NPT CPU (-cpu EPYC),
# multiboot through -kernel, console on stdio.
#   scripts/run-x86-qemu.sh [-c CPUS] [-a CMDLINE] [-- extra qemu args]
# Exit status (isa-debug-exit): 1 = hypervisor powered off with status 0,
# 2s+1 = powered off with status s, 0 = QEMU quit otherwise (e.g. reset
# with -no-reboot = triple fault).
set -eu
cd "$(dirname "$0")/.."
cpus=4
cmdline=
while getopts c:a: opt; do
	case $opt in
	c) cpus=$OPTARG ;;
	a) cmdline=$OPTARG ;;
	*) echo "usage: $0 [-c CPUS] [-a CMDLINE] [-- qemu args]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
make --no-print-directory -s ARCH=x86 >&2
exec qemu-system-x86_64 -cpu EPYC -smp "$cpus" -m 256 -nographic -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-kernel build/x86/hyp.elf -append "$cmdline" "$@"
