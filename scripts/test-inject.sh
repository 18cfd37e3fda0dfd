#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fault injection on the real hypervisor (doc/validation.md): build arm64
# once as a validation build (make VALIDATION=1: every switch of
# hyp/include/hyp/inject.h compiled in) and for every switch (the
# flush-bugs.md catalogue plus the project's own) boot it with
# hyp.inject=<name> in the boot arguments, running the guest test kernel
# (configs/vms/attack.dts: guest-tests.dts, 3 vCPUs, with run-time race
# widening on, doc/race-widening.md; through U-Boot) with a timeout and
# report which guest test caught it:
#   <name>: caught by <guest test>[, <guest test>...] (<t>s after boot; <secs>s in all)
#   <name>: not caught by guest tests (<secs>s)
# <t>, the time to catch, is from starting QEMU to the first failure line in
# the console (watched once a second). The run is stopped 2 s after it
# (FULL=1: let the guest run to its end and list every failing test).
# The build happens in a copy of the tree (run-arm64.sh and the test scripts
# use build/arm64; the top Makefile is not touched), so the tree's own build
# is left alone. Env: INJECT_TIMEOUT (s, default 280: the correct build's
# attack run takes about 115 s on a loaded 2-core host), KEEP=1 keeps the copy,
# INJECT_VMCFG (default configs/vms/attack.dts; guest-tests.dts = no delays),
# ONLY="a b" runs only those switches. Exit status 0 always: a switch that is
# not caught is a finding, printed, not an error of this script. Last line:
# "test-inject: N caught, N not caught by guest tests".
set -u
cd "$(dirname "$0")/.." || exit 2
SRC=$PWD
TIMEOUT=${INJECT_TIMEOUT:-280}
FULL=${FULL:-0}
# What counts as caught, watched in the console log while the guest runs.
CATCH_RE='guest-test: [a-z_0-9]+: FAIL|guest-tests: aborted|HYPERVISOR PANIC|BUG_ON|unexpected [a-zA-Z]+ exception|pages leaked'
VMCFG=${INJECT_VMCFG:-configs/vms/attack.dts}
work=$(mktemp -d /tmp/hyp-inject.XXXXXX)
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
mkdir -p "$SRC/build/inject"

if [ -n "${ONLY:-}" ]; then
	names=$ONLY
else
	names=$(sed -n 's/^[[:space:]]*X([A-Z0-9_]*,[[:space:]]*"\([a-z0-9-]*\)").*/\1/p' hyp/include/hyp/inject.h)
fi

tar -C "$SRC" --exclude=./build --exclude=./.git -cf - . | tar -C "$work" -xf -
caught=0 missed=0
tb0=$(date +%s)
if ! make -C "$work" -s --no-print-directory ARCH=arm64 VALIDATION=1 >"$SRC/build/inject/build.log" 2>&1; then
	cat "$SRC/build/inject/build.log"
	echo "test-inject: the validation build failed"
	exit 0
fi
echo "test-inject: one validation build for every switch ($(( $(date +%s) - tb0 )) s)"

# Stop one run: run-arm64.sh (pid $1) and what it started (timeout(1), which
# passes the signal on to its QEMU), children first, by process id.
kill_tree() {
	local c
	for c in $(ps -o pid= --ppid "$1"); do
		kill_tree "$c"
	done
	kill "$1" 2>/dev/null
}
for n in $names; do
	log=$SRC/build/inject/$n.console.log
	t0=$(date +%s.%N)
	: >"$log"
	t1=$t0
	: >"$log.run"
	(cd "$work" && exec env SMP=4 VMCFG="$VMCFG" BOOTARGS="hyp.panic=poweroff hyp.inject=$n" \
		TIMEOUT="$TIMEOUT" LOG="$log.run" RUN_QUIET=1 NO_BUILD=1 \
		DISK="$work/disk.img" ENV="$work/env.img" scripts/run-arm64.sh) >/dev/null 2>&1 &
	pid=$!
	ttc=
	while kill -0 "$pid" 2>/dev/null; do
		if [ -z "$ttc" ] && grep -Eq "$CATCH_RE" "$log.run"; then
			ttc=$(awk -v s="$t1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.0f", e - s }')
			if [ "$FULL" != 1 ]; then
				sleep 2	# the failing test's line and its neighbours
				kill_tree "$pid"
			fi
		fi
		sleep 1
	done
	wait "$pid"
	rc=$?
	cat "$log.run" >>"$log"
	rm -f "$log.run"
	[ -n "$ttc" ] || ! grep -Eq "$CATCH_RE" "$log" ||
		ttc=$(awk -v s="$t1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.0f", e - s }')
	secs=$(awk -v s="$t0" -v e="$(date +%s.%N)" 'BEGIN { printf "%.0f", e - s }')
	how=
	if f=$(grep -Eom1 'guest-test: [a-z_0-9]+: FAIL' "$log"); then
		how=$(grep -Eo 'guest-test: [a-z_0-9]+: FAIL' "$log" | awk '{print $2}' | tr -d : |
			paste -sd, | sed 's/,/, /g')
	elif grep -q 'guest-tests: aborted' "$log"; then
		how="an unexpected guest exception (guest-tests: aborted)"
	elif grep -Eq 'HYPERVISOR PANIC|BUG_ON|unexpected [a-zA-Z]+ exception' "$log"; then
		how="a hypervisor panic"
	elif grep -q 'pages leaked' "$log"; then
		how="the page-leak check"
	elif [ "$rc" -eq 124 ]; then
		how="a hang (timeout ${TIMEOUT}s)"
	elif ! grep -Eq 'guest-tests: [0-9]+ passed, 0 failed' "$log"; then
		how="an incomplete run (exit $rc)"
	fi
	if ! grep -q "validation build: fault injection hyp.inject=$n" "$log"; then
		echo "$n: NOT RUN: the banner does not show hyp.inject=$n (see $log)"
		missed=$((missed + 1))
	elif [ -n "$how" ]; then
		echo "$n: caught by $how (${ttc:-$secs}s after boot; ${secs}s in all)"
		caught=$((caught + 1))
	else
		echo "$n: not caught by guest tests (${secs}s)"
		missed=$((missed + 1))
	fi
done
echo "test-inject: $caught caught, $missed not caught by guest tests"
