#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the hypervisor on QEMU's model of the Xilinx ZCU102 (doc/boards.md):
# four Cortex-A53 at EL2 (virtualization=on), GIC-400 with GICH/GICV, PSCI
# over SMC, two Cadence UARTs (the first is the console, on stdio). QEMU
# loads hyp.bin at EL2 with the board's DTB from Debian's kernel package
# (scripts/linux/fetch-board-dtb.sh) as the board's boot chain would; there
# is no U-Boot for this machine in Debian (doc/boot-arm64.md: a real board
# runs its own U-Boot and our boot.scr).
#
# QEMU's loader rewrites /memory to one bank of -m from address 0: MEM=2048
# is the board DTB's low DDR bank exactly (more would claim the 2-4 GiB
# hole; the high bank at 32 GiB cannot be described through -kernel).
#
# VMs (VMCFG=configs/vms/x.dts, VMFILES_PATH as scripts/mkdisk-arm64.sh):
# what configs/arm64/boot.cmd does on a board, done here with QEMU's generic
# loader: vms.dtb at R = 0x20000000, the modules of vm@0..3 from R + 4 MiB
# (2 MiB aligned) with their reg set, /chosen/hyp,vm-config = R in a copy of
# the board DTB (QEMU's loader keeps /chosen properties it does not set).
#
# Environment (as scripts/run-arm64.sh): TIMEOUT LOG INPUT BOOTARGS SMP
# QEMU_EXTRA NO_BUILD BUILD RUN_QUIET VMCFG VMFILES_PATH; DTB=file overrides
# the board DTB.
set -uo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build/arm64}
SMP=${SMP:-4}
MEM=${MEM:-2048}
LOG=${LOG:-$BUILD/run-zcu102.log}

command -v qemu-system-aarch64 >/dev/null ||
	{ echo "run-zcu102: qemu-system-aarch64 missing (apt-get install qemu-system-arm)" >&2; exit 2; }
if [ "${NO_BUILD:-0}" != 1 ]; then
	make -s --no-print-directory ARCH=arm64 || exit 2
fi
DTB=${DTB:-$(scripts/linux/fetch-board-dtb.sh zcu102)} || exit 2

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
loads=()
if [ -n "${VMCFG:-}" ]; then
	R=$((0x20000000))
	dtc -q -I dts -O dtb -p 4096 -o "$tmp/vms.dtb" "$VMCFG" ||
		{ echo "run-zcu102: bad $VMCFG" >&2; exit 2; }
	IFS=: read -r -a dirs <<< "${VMFILES_PATH:-}:$BUILD:$BUILD/guests"
	at=$((R + 0x400000))
	for i in 0 1 2 3; do
		for m in kernel ramdisk dtb; do
			f=$(fdtget -t s "$tmp/vms.dtb" "/vms/vm@$i/$m" file 2>/dev/null) || continue
			found=
			for d in "${dirs[@]}"; do
				[ -n "$d" ] && [ -f "$d/$f" ] && { found=$d/$f; break; }
			done
			[ -n "$found" ] || { echo "run-zcu102: $VMCFG: vm@$i/$m: $f not found" >&2; exit 2; }
			sz=$(stat -c %s "$found")
			fdtput -t x "$tmp/vms.dtb" "/vms/vm@$i/$m" reg 0 "$(printf %x $at)" 0 "$(printf %x "$sz")"
			loads+=(-device "loader,file=$found,addr=$at,force-raw=on")
			at=$(( (at + sz + 0x1fffff) / 0x200000 * 0x200000 ))
		done
	done
	dtc -q -I dtb -O dtb -p 1024 -o "$tmp/board.dtb" "$DTB" || exit 2
	fdtput -t x "$tmp/board.dtb" /chosen hyp,vm-config 0 "$(printf %x $R)"
	DTB=$tmp/board.dtb
	loads+=(-device "loader,file=$tmp/vms.dtb,addr=$R,force-raw=on")
fi

args=(-M xlnx-zcu102,virtualization=on -smp "$SMP" -m "$MEM" -accel tcg,thread=multi
      -nographic -no-reboot -audiodev none,id=snd0 -kernel "$BUILD/hyp.bin" -dtb "$DTB")
[ -n "${BOOTARGS:-}" ] && args+=(-append "$BOOTARGS")
args+=("${loads[@]}")
# shellcheck disable=SC2206
[ -n "${QEMU_EXTRA:-}" ] && args+=($QEMU_EXTRA)

if [ -z "${TIMEOUT:-}" ]; then
	[ -n "${DUMPDTB:-}" ] && args[1]+=",dumpdtb=$DUMPDTB"
	qemu-system-aarch64 "${args[@]}"
	exit $?
fi
mkdir -p "$(dirname "$LOG")"
start=$(date +%s.%N)
timeout -k 5 "$TIMEOUT" qemu-system-aarch64 "${args[@]}" <"${INPUT:-/dev/null}" >"$LOG" 2>&1
rc=$?
secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
if [ $rc -eq 0 ]; then
	[ "${RUN_QUIET:-0}" = 1 ] || echo "run-zcu102: QEMU exited 0 after ${secs}s; console log: $LOG"
	exit 0
fi
if [ "${RUN_QUIET:-0}" != 1 ]; then
	[ $rc -eq 124 ] && why="timed out after ${TIMEOUT}s" || why="exit status $rc"
	echo "run-zcu102: FAILED: QEMU $why; console log ($LOG):"
	cat "$LOG"
fi
exit $rc
