#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Debug the hypervisor: QEMU starts halted with its gdb stub (-s -S, port
# 1234) in the background, and gdb attaches with build/arm64/hyp.elf's
# symbols. Uses the -kernel boot by default: the image then runs at its link
# address (0x40200000) and the symbols match without an offset. With
# KERNEL_PATH=0 (boot through U-Boot) the image runs at booti's address; the
# boot banner prints "image at X (link Y)": use add-symbol-file -o X-Y.
#
# Environment: as scripts/run-arm64.sh (KERNEL_PATH, BOOTARGS, SMP, MEM,
# QEMU_EXTRA); GDB=<debugger> to pick one; QEMU_ONLY=1 to start only QEMU
# and attach yourself:  gdb-multiarch build/arm64/hyp.elf -ex 'target remote :1234'
set -uo pipefail
cd "$(dirname "$0")/.."

ELF=build/arm64/hyp.elf
find_gdb() {
	local g
	for g in ${GDB:-} gdb-multiarch aarch64-linux-gnu-gdb; do
		command -v "$g" >/dev/null && { echo "$g"; return 0; }
	done
	# A native gdb is fine if it was built with aarch64 support.
	if command -v gdb >/dev/null && gdb -batch -ex 'set architecture aarch64' >/dev/null 2>&1; then
		echo gdb
		return 0
	fi
	return 1
}

make -s --no-print-directory ARCH=arm64 || exit 2
if [ "${QEMU_ONLY:-0}" != 1 ] && ! GDBBIN=$(find_gdb); then
	echo "debug-arm64: no gdb that understands aarch64. Install it with:" >&2
	echo "    apt-get install gdb-multiarch" >&2
	echo "or run QEMU_ONLY=1 $0 and attach a debugger to localhost:1234." >&2
	exit 2
fi

export KERNEL_PATH=${KERNEL_PATH:-1} NO_BUILD=1
export QEMU_EXTRA="${QEMU_EXTRA:-} -s -S"
if [ "${QEMU_ONLY:-0}" = 1 ]; then
	echo "debug-arm64: QEMU halted, gdb stub on localhost:1234 (Ctrl-A x quits QEMU)"
	exec scripts/run-arm64.sh
fi

# QEMU owns the terminal's serial console in a second terminal normally; here
# it runs in the background with its console in a log, gdb in the foreground.
LOG=build/arm64/debug-console.log
scripts/run-arm64.sh </dev/null >"$LOG" 2>&1 &
qemu_pid=$!
trap 'kill $qemu_pid 2>/dev/null' EXIT
echo "debug-arm64: QEMU pid $qemu_pid, console in $LOG (tail -f it in another terminal)"
"$GDBBIN" -q "$ELF" \
	-ex 'set architecture aarch64' \
	-ex 'target remote localhost:1234' \
	-ex 'break arm64_boot_main' \
	-ex 'break panic'
