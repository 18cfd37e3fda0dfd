#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make run's main job (scripts/run-main.sh, configs/vms/linux-run.dts):
# U-Boot -> hypervisor -> Debian's kernel with a shell beside the looping
# test VM. Types a command into the Linux shell through the console (the
# hypervisor's PL011 RX goes to the Linux VM), then "poweroff -f".
# Pass: the shell prompt's job line, the command's output, the test VM
# passed a round and was recreated by SYSTEM_RESET at least once, Linux
# powered its VM off while the test VM kept running (so the machine did not
# power off: QEMU is stopped by the timeout, status 124).
ARM64_TEST_TIMEOUT=${ARM64_TEST_TIMEOUT:-250}
source "$(dirname "$0")/../arm64-testlib.sh"

TEST_NAME=arm64-run-main
LOG=build/test/$TEST_NAME.console.log
mkdir -p build/test
make -s --no-print-directory ARCH=arm64 || { echo "FAIL $TEST_NAME: build failed"; exit 1; }
fifo=$(mktemp -u /tmp/hyp-run-main.XXXXXX)
mkfifo "$fifo"
: >"$LOG"
t0=$(date +%s.%N)
TIMEOUT=$ARM64_TEST_TIMEOUT LOG=$LOG RUN_QUIET=1 NO_BUILD=1 INPUT=$fifo \
	DISK=build/test/$TEST_NAME.disk.img ENV=build/test/$TEST_NAME.env.img \
	scripts/run-main.sh >/dev/null 2>&1 &
pid=$!
exec 3>"$fifo"		# keep the pipe open: QEMU sees no EOF
# Type once the shell is up and the test VM has been recreated once.
for ((i = 0; i < ARM64_TEST_TIMEOUT; i++)); do
	grep -q 'linux-guest: shell' "$LOG" && grep -q 'vm1 (tests): recreated' "$LOG" && break
	kill -0 $pid 2>/dev/null || break
	sleep 1
done
sleep 2
printf 'echo typed-$((6 * 7))-ok\r' >&3
sleep 5
printf 'poweroff -f\r' >&3
# Then the test VM must keep going: one more recreation after Linux is off.
for ((; i < ARM64_TEST_TIMEOUT; i++)); do
	grep -q 'vm0 (linux): destroyed' "$LOG" &&
		[ "$(grep -c 'vm1 (tests): recreated' "$LOG")" -ge 2 ] && break
	kill -0 $pid 2>/dev/null || break
	sleep 1
done
# Stop QEMU: run-main.sh exec'd run-arm64.sh ($pid), whose child timeout(1)
# passes the signal on to QEMU.
pkill -TERM -P "$pid" 2>/dev/null
wait "$pid"
RC=$?
exec 3>&-
rm -f "$fifo"
sed -i 's/\r$//' "$LOG"
SECS=$(awk -v s="$t0" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
expect 'vm0 \(linux\): 2 vCPUs' "Linux VM created"
expect 'console input goes to vm0 \(linux\)' "console input routed to Linux"
expect 'linux-guest: [^ ]+-arm64, 2 cpus, jobs: shell' "Debian kernel, 2 CPUs, shell job"
expect 'linux-guest: shell' "the shell started"
expect '^typed-42-ok' "the typed command ran in the Linux shell"
expect 'vm0 \(linux\): stopping: PSCI SYSTEM_OFF' "poweroff -f powered the Linux VM off"
expect '\[tests\] guest-tests: [1-9][0-9]* passed, 0 failed' "test VM: a round with 0 failed"
expect 'guest-tests: hyp-test,loop: again' "test VM loops"
[ "$(grep -c 'vm1 (tests): recreated' "$LOG")" -ge 2 ] ||
	FAILS+=("test VM recreated fewer than 2 times (it must keep running after Linux is off)")
reject 'all VMs powered off' "the machine powered off"
reject 'Kernel panic|Oops|Internal error|Unable to handle|BUG:|WARNING:' "Linux failure"
reject 'guest-test: [a-z_]+: FAIL' "a failed guest test"
reject 'HYPERVISOR PANIC|unexpected [a-zA-Z]+ exception|BUG_ON' "panic"
finish
