#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fault injection on the real hypervisor (doc/validation.md): for every
# INJECT_ switch in hyp/mm (the flush-bugs.md catalogue plus the project's
# own), build arm64 with make INJECT=<name>, boot the guest test kernel
# (configs/vms/attack.dts: guest-tests.dts, 3 vCPUs, with run-time race
# widening on, doc/race-widening.md; through U-Boot) with a timeout and
# report which guest test caught it:
#   <name>: caught by <guest test> (<secs>s)
#   <name>: not caught by guest tests (<secs>s)
# The builds happen in a copy of the tree (run-arm64.sh and the test scripts
# use build/arm64; the top Makefile is not touched), so the tree's own build
# is left alone. Env: INJECT_TIMEOUT (s, default 90), KEEP=1 keeps the copy,
# INJECT_VMCFG (default configs/vms/attack.dts; guest-tests.dts = no delays),
# ONLY="a b" runs only those switches. Exit status 0 always: a switch that is
# not caught is a finding, printed, not an error of this script. Last line:
# "test-inject: N caught, N not caught by guest tests".
set -u
cd "$(dirname "$0")/.." || exit 2
SRC=$PWD
TIMEOUT=${INJECT_TIMEOUT:-90}
VMCFG=${INJECT_VMCFG:-configs/vms/attack.dts}
work=$(mktemp -d /tmp/hyp-inject.XXXXXX)
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
mkdir -p "$SRC/build/inject"

if [ -n "${ONLY:-}" ]; then
	names=$ONLY
else
	names=$(grep -rhoE 'INJECT_[A-Z0-9_]+' hyp/mm hyp/include/hyp/mm | grep -v '^INJECT_NAME$' |
		sort -u | sed 's/^INJECT_//' | tr 'A-Z_' 'a-z-')
fi

tar -C "$SRC" --exclude=./build --exclude=./.git -cf - . | tar -C "$work" -xf -
caught=0 missed=0
for n in $names; do
	log=$SRC/build/inject/$n.console.log
	t0=$(date +%s.%N)
	if ! make -C "$work" -s --no-print-directory ARCH=arm64 INJECT="$n" >"$log" 2>&1; then
		echo "$n: build failed (see $log)"
		missed=$((missed + 1))
		continue
	fi
	(cd "$work" && SMP=4 VMCFG="$VMCFG" BOOTARGS="hyp.panic=poweroff" \
		TIMEOUT="$TIMEOUT" LOG="$log" RUN_QUIET=1 NO_BUILD=1 \
		DISK="$work/disk.img" ENV="$work/env.img" scripts/run-arm64.sh) >/dev/null 2>&1
	rc=$?
	secs=$(awk -v s="$t0" -v e="$(date +%s.%N)" 'BEGIN { printf "%.0f", e - s }')
	how=
	if f=$(grep -Eom1 'guest-test: [a-z_0-9]+: FAIL' "$log"); then
		how=$(echo "$f" | awk '{print $2}' | tr -d :)
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
	if [ -n "$how" ]; then
		echo "$n: caught by $how (${secs}s)"
		caught=$((caught + 1))
	else
		echo "$n: not caught by guest tests (${secs}s)"
		missed=$((missed + 1))
	fi
done
echo "test-inject: $caught caught, $missed not caught by guest tests"
