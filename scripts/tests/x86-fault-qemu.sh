#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# x86 exception report under QEMU: boot with hyp.selftest=abort (the core
# reads an unmapped address, 0x7fff00000000, above the 4 GiB identity map)
# and hyp.panic=poweroff. Pass iff the report names #PF with its error code
# and CR2, dumps the registers and a backtrace, the core panics, and the
# machine powers off with failure status 1 (QEMU exit status 3).
set -u
cd "$(dirname "$0")/../.."
# Not x86-fault-qemu.log: scripts/test.sh keeps this script's own output there.
log=build/test/x86-fault-qemu.console.log
err=build/test/x86-fault-qemu.stderr.log
mkdir -p build/test
fail() {
	echo "--- $log ---"
	cat "$log"
	echo "--- end of $log ---"
	echo "x86-fault-qemu: FAIL: $*"
	exit 1
}

make --no-print-directory -s ARCH=x86 >"$log" 2>&1 || fail "build failed"
timeout -k 5 30 scripts/run-x86-qemu.sh -c 2 -a "hyp.selftest=abort hyp.panic=poweroff" \
	</dev/null >"$log" 2>"$err"
status=$?

[ $status -eq 124 ] && fail "timeout (30 s)"
grep -q 'unexpected exception 14 (#PF page fault), error code 0x0, CR2 0x7fff00000000' "$log" ||
	fail "no #PF report with error code and CR2"
for r in RIP RSP RAX RBX RCX RDX RSI RDI RBP R8 R9 R10 R11 R12 R13 R14 R15 CR0 CR3 CR4; do
	grep -q "\\b$r " "$log" || fail "register $r missing from the dump"
done
grep -A1 'Backtrace (faulting frame)' "$log" | grep -q '\[<' || fail "no backtrace"
grep -q 'HYPERVISOR PANIC' "$log" || fail "no panic after the report"
[ $status -eq 3 ] || fail "QEMU exit status $status, expected 3 (power-off with status 1)"
echo "x86-fault-qemu: PASS"
