#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test-timeout: 240
# arm64: `make run BOARD=zcu102` (scripts/run-main.sh on the ZCU102 model,
# doc/boards.md) ends at a Linux shell, and the console's input reaches it
# through the board's Cadence UART (RX interrupt, SPI 53, routed to the
# Linux VM's vCPU 0): a command typed after the prompt runs, `poweroff -f`
# powers the VM and then the machine off. Measured 65 s under load.
T=${ZCU102_RUN_TIMEOUT:-200}
cd "$(dirname "$0")/../.." || exit 2
mkdir -p build/test
LOG=build/test/arm64-zcu102-run.console.log
fifo=$(mktemp -u /tmp/zcu102-run.XXXXXX)
mkfifo "$fifo" || exit 2
trap 'rm -f "$fifo"' EXIT
make -s --no-print-directory ARCH=arm64 || { echo "FAIL arm64-zcu102-run: build failed"; exit 1; }
# Type only once the shell's prompt is there (the log is polled).
(
	exec 3>"$fifo"
	for _ in $(seq 1 $((T * 2))); do
		grep -q 'built-in shell (ash)' "$LOG" 2>/dev/null && break
		sleep 0.5
	done
	sleep 2
	printf 'echo ZCU102-SHELL-$((6*7))\n' >&3
	sleep 5
	printf 'poweroff -f\n' >&3
	sleep 60
) &
feeder=$!
rm -f "$LOG"
BOARD=zcu102 TIMEOUT=$T INPUT="$fifo" LOG="$LOG" RUN_QUIET=1 scripts/run-main.sh >/dev/null 2>&1
rc=$?
kill "$feeder" 2>/dev/null
sed -i 's/\r$//' "$LOG"
fails=()
grep -q 'console Cadence UART at 0xff000000' "$LOG" || fails+=("no Cadence console in the banner")
grep -q 'console input: UART INTID 53 on cpu' "$LOG" || fails+=("the Cadence UART's SPI 53 not routed to the Linux VM")
grep -q 'built-in shell (ash)' "$LOG" || fails+=("no Linux shell")
grep -q '^\[linux\] ZCU102-SHELL-42' "$LOG" || fails+=("the typed command did not run (console input)")
grep -q 'vm0 (linux): stopping: PSCI SYSTEM_OFF' "$LOG" || fails+=("poweroff -f did not power the VM off")
grep -q 'all VMs powered off; powering off' "$LOG" || fails+=("no hypervisor power-off")
grep -q 'a lost interrupt' "$LOG" && fails+=("$(grep -m1 'a lost interrupt' "$LOG")")
grep -Eq 'HYPERVISOR PANIC|Kernel panic|\] E: ' "$LOG" && fails+=("panic or error: $(grep -Em1 'HYPERVISOR PANIC|Kernel panic|\] E: ' "$LOG")")
[ $rc -eq 0 ] || fails+=("QEMU exit status $rc")
if [ ${#fails[@]} -eq 0 ]; then
	echo "PASS arm64-zcu102-run (console log: $LOG)"
	exit 0
fi
echo "FAIL arm64-zcu102-run:"
printf '  - %s\n' "${fails[@]}"
echo "---- console log ($LOG) ----"
cat "$LOG"
echo "---- end of console log ----"
exit 1
