#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# x86 CPU start-up without ACPI (QEMU -no-acpi: no MADT): the boot CPU
# starts all others with a broadcast INIT-SIPI-SIPI and counts those that
# claim an index. Pass iff 4 CPUs answer, all come online, clean power-off.
set -u
cd "$(dirname "$0")/../.."
NCPUS=4
# Not x86-nomadt-qemu.log: scripts/test.sh keeps this script's own output there.
log=build/test/x86-nomadt-qemu.console.log
mkdir -p build/test
fail() {
	echo "--- $log ---"
	cat "$log"
	echo "--- end of $log ---"
	echo "x86-nomadt-qemu: FAIL: $*"
	exit 1
}

make --no-print-directory -s ARCH=x86 >"$log" 2>&1 || fail "build failed"
timeout -k 5 30 scripts/run-x86-qemu.sh -c $NCPUS -- -no-acpi </dev/null >"$log" 2>/dev/null
status=$?

[ $status -eq 124 ] && fail "timeout (30 s)"
grep -q 'no ACPI MADT' "$log" || fail "a MADT was found: the test does not test the fallback"
grep -q "smp: $NCPUS CPU(s) answered the broadcast start-up" "$log" ||
	fail "not $NCPUS CPUs answered the broadcast start-up"
grep -q "all $NCPUS cpus online" "$log" || fail "no 'all $NCPUS cpus online' from the core"
grep -q 'unexpected exception\|PANIC' "$log" && fail "exception or panic"
[ $status -eq 1 ] || fail "QEMU exit status $status, expected 1 (clean power-off)"
echo "x86-nomadt-qemu: PASS"
