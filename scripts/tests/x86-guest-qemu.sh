#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# x86 guests under SVM/NPT: QEMU TCG -cpu EPYC, 4 CPUs, the VM config
# configs/vms-x86/guest-tests.dts (one VM, 3 vCPUs on CPUs 1-3) and the x86
# guest test kernel as multiboot modules. Pass iff every guest test passes
# (at least 15, 0 failed, x86_shootdown_targets among them), all 3 vCPUs came up through PSCI CPU_ON over
# VMMCALL, the VM was destroyed, no page leaked, no hypervisor exception,
# and QEMU powered off cleanly (exit status 1). The console log is printed
# on failure and kept in build/test/.
set -u
cd "$(dirname "$0")/../.."
log=build/test/x86-guest-qemu.console.log
err=build/test/x86-guest-qemu.stderr.log
mkdir -p build/test
fail() {
	echo "--- $log ---"
	cat "$log"
	echo "--- end of $log ---"
	[ -s "$err" ] && { echo "--- QEMU stderr (TCG feature warnings are expected) ---"; sort -u "$err"; }
	echo "x86-guest-qemu: FAIL: $*"
	exit 1
}

make --no-print-directory -s ARCH=x86 >"$log" 2>&1 || fail "build failed"
[ -f build/x86/guest-tests.bin ] ||
	fail "no build/x86/guest-tests.bin (guest-tests/ without its architecture split?)"
start=$(date +%s)
# The guest tests run ~40 s idle; generous for a loaded 2-core machine.
timeout -k 5 280 scripts/run-x86-qemu.sh -c 4 -g guest-tests </dev/null >"$log" 2>"$err"
status=$?
secs=$(( $(date +%s) - start ))

[ $status -eq 124 ] && fail "timeout (280 s)"
grep -q 'backend SVM/NPT' "$log" || fail "SVM/NPT backend not selected"
grep -q 'guest: 3 vCPUs' "$log" || fail "the guest did not bring up 3 vCPUs (PSCI CPU_ON over VMMCALL)"
summary=$(grep -o 'guest-tests: [0-9]* passed, [0-9]* failed' "$log" | tail -1)
[ -n "$summary" ] || fail "no guest-tests summary line"
passed=$(echo "$summary" | sed 's/guest-tests: \([0-9]*\) passed.*/\1/')
failed=$(echo "$summary" | sed 's/.* \([0-9]*\) failed/\1/')
[ "$failed" -eq 0 ] || fail "$failed guest test(s) failed"
[ "$passed" -ge 15 ] || fail "only $passed guest tests passed, expected at least 15"
grep -q "guest-test: x86_shootdown_targets: PASS" "$log" || fail "x86_shootdown_targets did not pass"
grep -q "x86: shootdown: cpu1 sent [1-9]" "$log" || fail "no shootdown NMIs counted on cpu1"
grep -q 'vm0 (tests): destroyed;' "$log" || fail "VM not destroyed"
grep -Eq '^\[cpu[0-9]+\] I: all VMs destroyed: every page returned' "$log" || fail "pages leaked"
grep -q 'unexpected exception\|PANIC' "$log" && fail "hypervisor exception or panic"
[ $status -eq 1 ] || fail "QEMU exit status $status, expected 1 (clean power-off)"
echo "x86-guest-qemu: PASS ($passed guest tests, 0 failed, ${secs} s)"
