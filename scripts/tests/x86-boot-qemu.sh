#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# x86 boot under QEMU TCG (-cpu EPYC, 4 CPUs). Pass iff the banner reports
# SVM with NPT, all 4 CPUs print on the console, and the hypervisor powers
# off cleanly (isa-debug-exit status 1 = arch_system_off(0)).
# The whole console log is printed on failure; it is kept in build/test/.
set -u
cd "$(dirname "$0")/../.."
NCPUS=4
# Not x86-boot-qemu.log: scripts/test.sh keeps this script's own output there.
log=build/test/x86-boot-qemu.console.log
err=build/test/x86-boot-qemu.stderr.log
mkdir -p build/test
fail() {
	echo "--- $log ---"
	cat "$log"
	echo "--- end of $log ---"
	[ -s "$err" ] && { echo "--- QEMU stderr (TCG feature warnings are expected) ---"; sort -u "$err"; }
	echo "x86-boot-qemu: FAIL: $*"
	exit 1
}

make --no-print-directory -s ARCH=x86 >"$log" 2>&1 || fail "build failed"
start=$(date +%s%N)
timeout -k 5 30 scripts/run-x86-qemu.sh -c $NCPUS </dev/null >"$log" 2>"$err"
status=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))

[ $status -eq 124 ] && fail "timeout (30 s)"
grep -q 'SVM: .*NPT yes' "$log" || fail "banner does not report SVM with NPT"
grep -q 'ASIDs [0-9]' "$log" || fail "banner does not report the number of ASIDs"
grep -q 'flush-by-ASID' "$log" || fail "banner does not report flush-by-ASID"
cpu=0
while [ $cpu -lt $NCPUS ]; do
	grep -q "^\[cpu$cpu\]" "$log" || fail "CPU$cpu never printed"
	cpu=$((cpu + 1))
done
grep -q "all $NCPUS cpus online" "$log" || fail "no 'all $NCPUS cpus online' from the core"
grep -q 'unexpected exception\|PANIC' "$log" && fail "exception or panic"
[ $status -eq 1 ] || fail "QEMU exit status $status, expected 1 (clean power-off)"
echo "x86-boot-qemu: PASS ($NCPUS CPUs, ${ms} ms)"
