# SPDX-License-Identifier: GPL-2.0
# Shared by scripts/tests/x86-*.sh (sourced, not run; bash): build, boot once
# in QEMU (SVM/NPT) or bochs (VMX/EPT), then check the console log. The first
# failing check ends the test: it prints the console log (and QEMU's stderr,
# or the errors of bochs' own log), then "NAME: FAIL: why", exit 1. A timeout
# is a failure like any other, so the log is printed then too.
#
#   x86_test NAME SUFFIX            start test NAME: LOG=build/test/NAME.SUFFIX.log
#                                   (not NAME.log: scripts/test.sh keeps the
#                                   script's own output there), build ARCH=x86
#   need_file PATH WHY              the build must have made PATH
#   x86_qemu SECS ARGS...           scripts/run-x86-qemu.sh ARGS under timeout SECS;
#                                   sets STATUS, SECS_TAKEN, MS_TAKEN; with
#                                   X86_HANG_DUMP=1 a timeout first appends
#                                   gdb's view of every CPU to LOG
#   x86_bochs SECS ARGS...          scripts/run-x86-bochs.sh -t SECS -o LOG ARGS;
#                                   sets the same, BLOG = bochs' own log
#   expect REGEX WHY                LOG must match REGEX (grep basic regex), else fail WHY
#   expect_in FILE REGEX WHY        the same for another file (e.g. "$BLOG")
#   reject REGEX WHY                LOG must not match REGEX, else fail WHY
#   expect_status N WHY             the emulator's exit status must be N
#   expect_cpus N                   every CPU printed, "all N cpus online"
#   expect_no_panic [WHAT]          no hypervisor exception or panic
#   guest_tests_ok MIN [VM]         the guest tests' summary line (of VM's
#                                   "[VM] " lines if given): 0 failed, >= MIN
#                                   passed; sets PASSED
#   fail WHY                        print the logs, "NAME: FAIL: WHY", exit 1
#   finish DETAILS                  "NAME: PASS (DETAILS)", exit 0

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2
set -u

fail() {
	echo "--- $LOG ---"
	cat "$LOG" 2>/dev/null
	echo "--- end of $LOG ---"
	if [ -n "${ERR:-}" ] && [ -s "$ERR" ]; then
		echo "--- QEMU stderr (TCG feature warnings are expected) ---"
		sort -u "$ERR"
	fi
	if [ -n "${BLOG:-}" ] && [ -f "$BLOG" ]; then
		echo "--- bochs log (errors) ---"
		grep -v '^[0-9]*i\[' "$BLOG" | tail -40
	fi
	echo "$TEST_NAME: FAIL: $*"
	exit 1
}

x86_test() {
	TEST_NAME=$1
	LOG=build/test/$1.$2.log
	ERR=
	BLOG=
	mkdir -p build/test
	make --no-print-directory -s ARCH=x86 >"$LOG" 2>&1 || fail "build failed"
}

need_file() {
	[ -f "$1" ] || fail "$2"
}

# STATUS 124 (timeout) fails at once: nothing after it is worth checking.
x86_ran() {
	STATUS=$1
	MS_TAKEN=$(( ($(date +%s%N) - $2) / 1000000 ))
	SECS_TAKEN=$(( MS_TAKEN / 1000 ))
	[ "$STATUS" -eq 124 ] && fail "timeout ($3 s)"
	return 0
}

x86_qemu() {
	local secs=$1 start
	shift
	ERR=build/test/$TEST_NAME.stderr.log
	start=$(date +%s%N)
	X86_GDB=$(command -v gdb-multiarch || command -v gdb)
	if [ -n "${X86_HANG_DUMP:-}" ] && [ -n "$X86_GDB" ]; then
		x86_qemu_watched "$secs" "$@"
	else
		timeout -k 5 "$secs" scripts/run-x86-qemu.sh "$@" </dev/null >"$LOG" 2>"$ERR"
	fi
	x86_ran $? "$start" "$secs"
}

# X86_HANG_DUMP=1 (the fuzz test, doc/fuzzing.md): QEMU with its gdb stub
# on a socket; at the timeout, before QEMU is killed, every CPU's registers
# and backtrace and the hypervisor's wait state (scripts/x86-hang.gdb), two
# samples 2 s apart, go to the end of the console log. Status 124 then,
# as with timeout(1). ARGS must not contain "--" (the stub is added after one).
x86_qemu_watched() {
	local secs=$1 sock pid t0 k
	shift
	sock=$PWD/build/test/$TEST_NAME.gdb.sock
	rm -f "$sock"
	scripts/run-x86-qemu.sh "$@" -- -gdb "unix:$sock,server,nowait" </dev/null >"$LOG" 2>"$ERR" &
	pid=$!
	t0=$(date +%s)
	while kill -0 "$pid" 2>/dev/null; do
		if [ $(($(date +%s) - t0)) -ge "$secs" ]; then
			for k in 1 2; do
				[ "$k" = 1 ] || sleep 2
				echo "--- hang after $secs s: gdb sample $k of every CPU (scripts/x86-hang.gdb) ---"
				timeout 15 "$X86_GDB" -batch -nx -ex 'set architecture i386:x86-64' \
					-ex 'file build/x86/hyp.elf' -ex "target remote $sock" \
					-x scripts/x86-hang.gdb </dev/null 2>&1
			done >>"$LOG"
			kill "$pid" 2>/dev/null
			sleep 2
			kill -9 "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
			rm -f "$sock"
			return 124
		fi
		sleep 1
	done
	wait "$pid"
	k=$?
	rm -f "$sock"
	return $k
}

x86_bochs() {
	local secs=$1 start
	shift
	BLOG=${LOG%.log}-bochs.log		# where run-x86-bochs.sh puts it
	start=$(date +%s%N)
	# X86_BOOTARGS: the hypervisor's command line (e.g. hyp.inject=..., make mutants)
	scripts/run-x86-bochs.sh -t "$secs" -o "$LOG" ${X86_BOOTARGS:+-a "$X86_BOOTARGS"} "$@" >/dev/null 2>&1
	x86_ran $? "$start" "$secs"
	[ -f "$LOG" ] || fail "no serial log"
}

expect() {
	grep -q -- "$1" "$LOG" || fail "$2"
}

expect_in() {
	grep -q -- "$2" "$1" || fail "$3"
}

reject() {
	! grep -q -- "$1" "$LOG" || fail "$2"
}

expect_status() {
	[ "$STATUS" -eq "$1" ] || fail "QEMU exit status $STATUS, expected $1 ($2)"
}

expect_cpus() {
	local cpu
	for ((cpu = 0; cpu < $1; cpu++)); do
		expect "^\[cpu$cpu\]" "CPU$cpu never printed"
	done
	expect "all $1 cpus online" "no 'all $1 cpus online' from the core"
}

expect_no_panic() {
	reject 'unexpected exception\|PANIC' "${1:-exception or panic}"
}

guest_tests_ok() {
	local min=$1 vm=${2:-} summary failed pfx=
	if [ -n "$vm" ]; then
		pfx="$vm: "
		summary=$(grep "^\[$vm\] guest-tests: [0-9]* passed, [0-9]* failed" "$LOG" | tail -1)
	else
		summary=$(grep -o 'guest-tests: [0-9]* passed, [0-9]* failed' "$LOG" | tail -1)
	fi
	[ -n "$summary" ] || fail "${pfx}no guest-tests summary line"
	PASSED=$(echo "$summary" | sed 's/.*guest-tests: \([0-9]*\) passed.*/\1/')
	failed=$(echo "$summary" | sed 's/.* \([0-9]*\) failed.*/\1/')
	[ "$failed" -eq 0 ] || fail "${pfx}$failed guest test(s) failed"
	[ "$PASSED" -ge "$min" ] ||
		fail "${pfx}only $PASSED guest tests passed, expected at least $min"
}

finish() {
	echo "$TEST_NAME: PASS${1:+ ($1)}"
	exit 0
}
