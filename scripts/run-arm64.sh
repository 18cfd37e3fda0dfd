#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the hypervisor in QEMU the way a dev board boots it: U-Boot as
# firmware (-bios), distro boot finds boot.scr on the FAT partition of a
# virtio disk, boot.scr loads hyp.bin and booti's it at EL2 with the DTB.
# Console on stdio (quit QEMU with Ctrl-A x).
#
# Environment:
#   BOARD=zcu102    the Xilinx ZCU102 model instead (scripts/run-zcu102.sh)
#   KERNEL_PATH=1   skip the firmware: QEMU loads hyp.bin itself (-kernel)
#   TIMEOUT=secs    non-interactive: stop QEMU after secs, console to LOG;
#                   print the log if QEMU fails or times out
#   LOG=file        console log with TIMEOUT (default build/arm64/run.log)
#   INPUT=file      with TIMEOUT: the console's input (e.g. a named pipe)
#   BOOTARGS="..."  /chosen/bootargs, e.g. "hyp.selftest=abort hyp.panic=poweroff"
#   SMP=4 MEM=1024  CPUs, MiB of RAM
#   GIC=3           GIC version
#   VIRT=on         virtualization=on (CPUs start at EL2); off starts them at EL1
#   QEMU_EXTRA=".." more QEMU arguments, e.g. "-d int,guest_errors -D qemu.log"
#   DISK= ENV=      boot media paths (default build/arm64/{disk,env}.img)
#   NO_BUILD=1      do not run make first
#   BUILD=dir       where hyp.bin and the guest images are (default build/arm64;
#                   e.g. an INJECT= build: make ARCH=arm64 INJECT=x BUILD=dir)
#   RUN_QUIET=1     with TIMEOUT: never print the log (callers that check it)
#   ICOUNT=N        -icount shift=N (virtual time counts instructions: at N=0
#                   one instruction is 1 ns, whatever the host's load) with the
#                   single-threaded TCG icount needs (make bench, doc/bench.md)
set -uo pipefail
cd "$(dirname "$0")/.."
[ "${BOARD:-virt}" = zcu102 ] && exec scripts/run-zcu102.sh

BUILD=${BUILD:-build/arm64}
SMP=${SMP:-4}
MEM=${MEM:-1024}
GIC=${GIC:-3}
VIRT=${VIRT:-on}
UBOOT=${UBOOT:-/usr/lib/u-boot/qemu_arm64/u-boot.bin}
DISK=${DISK:-$BUILD/disk.img}
ENV=${ENV:-$BUILD/env.img}
LOG=${LOG:-$BUILD/run.log}
# SVE/SME off: the hypervisor does not set up their EL2 controls.
CPU="max,sve=off,sme=off"

command -v qemu-system-aarch64 >/dev/null ||
	{ echo "run-arm64: qemu-system-aarch64 missing (apt-get install qemu-system-arm)" >&2; exit 2; }
if [ "${NO_BUILD:-0}" != 1 ]; then
	make -s --no-print-directory ARCH=arm64 || exit 2
fi

if [ -n "${ICOUNT:-}" ]; then
	accel=(-accel tcg,thread=single -icount "shift=$ICOUNT")
else
	accel=(-accel tcg,thread=multi)
fi
args=(-M "virt,virtualization=$VIRT,gic-version=$GIC" -cpu "$CPU" -smp "$SMP" -m "$MEM"
      "${accel[@]}" -nographic -no-reboot)
if [ "${KERNEL_PATH:-0}" = 1 ]; then
	args+=(-kernel "$BUILD/hyp.bin")
	[ -n "${BOOTARGS:-}" ] && args+=(-append "$BOOTARGS")
else
	[ -f "$UBOOT" ] || { echo "run-arm64: $UBOOT missing (apt-get install u-boot-qemu)" >&2; exit 2; }
	BUILD="$BUILD" DISK="$DISK" ENV="$ENV" BOOTARGS="${BOOTARGS:-}" scripts/mkdisk-arm64.sh || exit 2
	args+=(-bios "$UBOOT"
	       -drive "if=none,file=$DISK,format=raw,id=hd0" -device virtio-blk-device,drive=hd0)
	# Without env.img U-Boot still boots, after its 2 s autoboot delay.
	[ -f "$ENV" ] && args+=(-drive "if=pflash,format=raw,unit=1,file=$ENV")
fi
# shellcheck disable=SC2206
[ -n "${QEMU_EXTRA:-}" ] && args+=($QEMU_EXTRA)

if [ -z "${TIMEOUT:-}" ]; then
	exec qemu-system-aarch64 "${args[@]}"
fi

mkdir -p "$(dirname "$LOG")"
start=$(date +%s.%N)
timeout -k 5 "$TIMEOUT" qemu-system-aarch64 "${args[@]}" <"${INPUT:-/dev/null}" >"$LOG" 2>&1
rc=$?
secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
if [ $rc -eq 0 ]; then
	[ "${RUN_QUIET:-0}" = 1 ] || echo "run-arm64: QEMU exited 0 after ${secs}s; console log: $LOG"
	exit 0
fi
if [ "${RUN_QUIET:-0}" != 1 ]; then
	[ $rc -eq 124 ] && why="timed out after ${TIMEOUT}s" || why="exit status $rc"
	echo "run-arm64: FAILED: QEMU $why; console log ($LOG):"
	cat "$LOG"
fi
exit $rc
