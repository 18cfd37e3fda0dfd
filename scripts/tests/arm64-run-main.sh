#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test-timeout: 760
# make run's main job (scripts/run-main.sh, configs/vms/linux-run.dts):
# U-Boot -> hypervisor -> Debian's kernel with a shell beside the looping
# test VM, driven through the console as a person would (doc/console.md):
#  1. type a command into the Linux shell (it has the focus at boot);
#  2. paste a 4096-byte block (64 lines) into `cat >/tmp/p` at once: the
#     guest's `wc -c` and `md5sum` must match what was sent (no byte lost);
#  3. Ctrl-] three times: the focus moves to the test VM (its lines show in
#     full); three more: the hypervisor, whose key `s` prints the status
#     line and `0` gives the focus back to Linux; a command runs there again;
#  4. "poweroff -f": the test VM keeps looping (the machine stays on; QEMU is
#     stopped by this script), and the console still answers (the
#     hypervisor, which has the input now, prints its status line).
# While Linux has the focus the test VM prints one line per round (its
# summary) and no other. Every step waits for its answer with one deadline,
# below the test's own timeout, and stops early if QEMU is gone; staging and
# run-main errors land in the printed log.
ARM64_TEST_TIMEOUT=${ARM64_TEST_TIMEOUT:-700}
source "$(dirname "$0")/../arm64-testlib.sh"

TEST_NAME=arm64-run-main
LOG=build/test/$TEST_NAME.console.log
RUNLOG=build/test/$TEST_NAME.run-main.log
mkdir -p build/test
make -s --no-print-directory ARCH=arm64 || { echo "FAIL $TEST_NAME: build failed"; exit 1; }
fifo=$(mktemp -u /tmp/hyp-run-main.XXXXXX)
mkfifo "$fifo"
: >"$LOG"
t0=$(date +%s.%N)
deadline=$((SECONDS + ARM64_TEST_TIMEOUT - 10))
TIMEOUT=$ARM64_TEST_TIMEOUT LOG=$LOG RUN_QUIET=1 NO_BUILD=1 INPUT=$fifo \
	DISK=build/test/$TEST_NAME.disk.img ENV=build/test/$TEST_NAME.env.img \
	scripts/run-main.sh >"$RUNLOG" 2>&1 &
pid=$!
exec 3>"$fifo"		# keep the pipe open: QEMU sees no EOF

# wait_for DESCRIPTION CMD...: until CMD succeeds; false (and a FAILS entry)
# at the deadline or when QEMU has exited.
wait_for() {
	local what=$1
	shift
	while ! "$@"; do
		if ! kill -0 "$pid" 2>/dev/null; then
			FAILS+=("QEMU/run-main exited while waiting for: $what")
			return 1
		fi
		if [ "$SECONDS" -ge "$deadline" ]; then
			FAILS+=("deadline (${ARM64_TEST_TIMEOUT}s - 10) passed while waiting for: $what")
			return 1
		fi
		sleep 1
	done
}
in_log() { tr -d '\r' <"$LOG" | grep -Eq -- "$1"; }
count_log() { tr -d '\r' <"$LOG" | grep -Ec -- "$1"; }
recreated_ge() { [ "$(count_log 'vm1 \(tests\): recreated')" -ge "$1" ]; }
ESC3=$'\x1d\x1d\x1d'

# The paste: 64 lines of 63 characters and a newline, 4096 bytes.
paste=$(mktemp /tmp/hyp-paste.XXXXXX)
for ((l = 0; l < 64; l++)); do
	printf 'line%02d-%s\n' "$l" "$(printf '%s' "$l-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ" | cut -c1-56)"
done >"$paste"
paste_md5=$(md5sum <"$paste" | cut -d' ' -f1)
paste_len=$(wc -c <"$paste")

steps() {
	wait_for "the Linux shell and one test VM round" \
		eval "in_log 'linux-guest: shell' && recreated_ge 1" || return
	sleep 2
	printf 'echo typed-$((6 * 7))-ok\r' >&3
	wait_for "typed-42-ok" in_log '^\[linux\] typed-42-ok' || return
	# The whole block at once (a terminal's paste), then Ctrl-D.
	printf 'cat >/tmp/p\r' >&3
	sleep 1
	tr '\n' '\r' <"$paste" >&3
	printf '\x04' >&3
	printf 'echo pasted $(wc -c </tmp/p) $(md5sum </tmp/p)\r' >&3
	wait_for "the guest's checksum of the paste" in_log '^\[linux\] pasted [0-9]+ [0-9a-f]{32}' || return
	# Focus: Linux -> tests -> hypervisor -> (key 0) Linux.
	printf '%s' "$ESC3" >&3
	wait_for "focus on the test VM" in_log 'console: input to vm1 \(tests\)' || return
	wait_for "a test VM line in full while it has the focus" \
		eval "sed -n '/console: input to vm1 (tests)/,\$p' '$LOG' | grep -q '^\[tests\] guest-test: '" || return
	printf '%s' "$ESC3" >&3
	wait_for "focus on the hypervisor" in_log 'console: input to the hypervisor' || return
	printf 's' >&3
	wait_for "the hypervisor's status line" in_log 'console: hypervisor has the input; VMs: vm0 \(linux\) running; vm1 \(tests\) running;' || return
	printf '0' >&3
	wait_for "focus back on Linux" eval "[ \$(count_log 'console: input to vm0 \(linux\)') -ge 2 ]" || return
	printf 'echo back-$((2 * 3))\r' >&3
	wait_for "a command after the focus came back" in_log '^\[linux\] back-6' || return
	printf 'poweroff -f\r' >&3
	wait_for "Linux off" in_log 'vm0 \(linux\): destroyed' || return
	# Then the test VM must keep going: one more recreation after Linux is off.
	wait_for "the test VM recreated after Linux is off" \
		recreated_ge $(($(count_log 'vm1 \(tests\): recreated') + 1)) || return
	# The console still answers: the hypervisor has the input now.
	printf 's' >&3
	wait_for "the status line after Linux is off" \
		in_log 'console: hypervisor has the input; VMs: vm0 \(linux\) dead; vm1 \(tests\)'
}

steps
early_exit=0
kill -0 "$pid" 2>/dev/null || early_exit=1
# Stop QEMU: run-main.sh exec'd run-arm64.sh ($pid), whose child timeout(1)
# passes the signal on to QEMU.
pkill -TERM -P "$pid" 2>/dev/null
wait "$pid"
RC=$?
exec 3>&-
rm -f "$fifo"
sed -i 's/\r$//' "$LOG"
SECS=$(awk -v s="$t0" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
[ $early_exit = 1 ] && FAILS+=("QEMU/run-main exited early (status $RC); run-main's output: $(tr '\n' ' ' <"$RUNLOG")")

expect 'vm0 \(linux\): 2 vCPUs' "Linux VM created"
expect 'console: input to vm0 \(linux\); Ctrl-\] three times moves it on' "the console says where input goes and how to move it"
expect 'linux-guest: [^ ]+-arm64, 2 cpus, jobs: shell' "Debian kernel, 2 CPUs, shell job"
expect 'linux-guest: shell' "the shell started"
expect '^\[linux\] typed-42-ok' "the typed command ran in the Linux shell"
got=$(grep -Eo '^\[linux\] pasted [0-9]+ [0-9a-f]{32}' "$LOG" | tail -n1 | cut -d' ' -f3-4)
[ "$got" = "$paste_len $paste_md5" ] ||
	FAILS+=("the 4 KiB paste arrived as '${got:-nothing}', sent '$paste_len $paste_md5'")
expect '^\[linux\] back-6' "a command after the focus went round (tests, hypervisor, key 0)"
expect 'vm0 \(linux\): stopping: PSCI SYSTEM_OFF' "poweroff -f powered the Linux VM off"
# While Linux had the focus: the test VM's rounds as one summary line each.
before=$(awk '/console: input to vm0 \(linux\)/ { on = 1 } on { print } /console: input to vm1 \(tests\)/ { exit }' "$LOG")
grep -Eq '^\[tests\] guest-tests: [1-9][0-9]* passed, 0 failed, [0-9]+ skipped   \(\+[1-9][0-9]* lines not shown' <<<"$before" ||
	FAILS+=("no test VM round summary while Linux had the focus")
if grep -Eq '^\[tests\] guest-test: ' <<<"$before"; then
	FAILS+=("a test VM line other than its summary while Linux had the focus: $(grep -Em1 '^\[tests\] guest-test: ' <<<"$before")")
fi
reject '^\[tests\] guest-tests: [0-9]+ passed, [1-9]' "a test VM round with failures"
reject '^\[tests\] guest-test: [a-z_0-9]+: FAIL' "a failed guest test"
[ "$(grep -c 'vm1 (tests): recreated' "$LOG")" -ge 2 ] ||
	FAILS+=("test VM recreated fewer than 2 times (it must keep running after Linux is off)")
# Every VM line carries its name: nothing from a guest starts a line bare.
bare=$(grep -E '^(linux-guest|guest-tests?|verifier|hyptest):' "$LOG" | head -n1)
[ -z "$bare" ] || FAILS+=("a VM line without its name: $bare")
reject 'all VMs powered off' "the machine powered off"
reject 'Kernel panic|Oops|Internal error|Unable to handle|BUG:|WARNING:' "Linux failure"
reject 'HYPERVISOR PANIC|unexpected [a-zA-Z]+ exception|BUG_ON' "panic"
rm -f "$paste"
if [ ${#FAILS[@]} -ne 0 ] && [ -s "$RUNLOG" ]; then
	echo "---- run-main's own output ($RUNLOG) ----"
	cat "$RUNLOG"
fi
finish
