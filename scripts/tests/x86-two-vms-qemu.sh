#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Two x86 VMs at once under SVM/NPT: QEMU TCG -cpu EPYC, 5 CPUs,
# configs/vms-x86/two-vms.dts (tests-a on CPUs 1-2, tests-b on CPUs 3-4).
# Pass iff the two VMs got distinct VMIDs (= ASIDs), each VM's guest tests
# pass (at least 10, 0 failed; the isolation test runs both at once), both
# are destroyed, no page leaked, no hypervisor exception, clean power-off.
# The console log is printed on failure and kept in build/test/.
set -u
cd "$(dirname "$0")/../.."
log=build/test/x86-two-vms-qemu.console.log
err=build/test/x86-two-vms-qemu.stderr.log
mkdir -p build/test
fail() {
	echo "--- $log ---"
	cat "$log"
	echo "--- end of $log ---"
	[ -s "$err" ] && { echo "--- QEMU stderr (TCG feature warnings are expected) ---"; sort -u "$err"; }
	echo "x86-two-vms-qemu: FAIL: $*"
	exit 1
}

make --no-print-directory -s ARCH=x86 >"$log" 2>&1 || fail "build failed"
[ -f build/x86/guest-tests.bin ] ||
	fail "no build/x86/guest-tests.bin (guest-tests/ without its architecture split?)"
start=$(date +%s)
timeout -k 5 280 scripts/run-x86-qemu.sh -c 5 -g two-vms </dev/null >"$log" 2>"$err"
status=$?
secs=$(( $(date +%s) - start ))

[ $status -eq 124 ] && fail "timeout (280 s)"
va=$(sed -n 's/.*vm0 (tests-a): vcpu0 starts on cpu[0-9]* at [0-9a-fx]*, VMID \([0-9]*\).*/\1/p' "$log")
vb=$(sed -n 's/.*vm1 (tests-b): vcpu0 starts on cpu[0-9]* at [0-9a-fx]*, VMID \([0-9]*\).*/\1/p' "$log")
[ -n "$va" ] && [ -n "$vb" ] || fail "a VM did not start"
[ "$va" != "$vb" ] || fail "both VMs have VMID/ASID $va"
for vm in tests-a tests-b; do
	summary=$(grep "^\[$vm\] guest-tests: [0-9]* passed, [0-9]* failed" "$log" | tail -1)
	[ -n "$summary" ] || fail "$vm: no guest-tests summary line"
	passed=$(echo "$summary" | sed 's/.*guest-tests: \([0-9]*\) passed.*/\1/')
	failed=$(echo "$summary" | sed 's/.* \([0-9]*\) failed.*/\1/')
	[ "$failed" -eq 0 ] || fail "$vm: $failed guest test(s) failed"
	[ "$passed" -ge 10 ] || fail "$vm: only $passed guest tests passed, expected at least 10"
	grep -q "($vm): destroyed;" "$log" || fail "$vm not destroyed"
done
grep -Eq '^\[cpu[0-9]+\] I: all VMs destroyed: every page returned' "$log" || fail "pages leaked"
grep -q 'unexpected exception\|PANIC' "$log" && fail "hypervisor exception or panic"
[ $status -eq 1 ] || fail "QEMU exit status $status, expected 1 (clean power-off)"
echo "x86-two-vms-qemu: PASS (ASIDs $va and $vb, ${secs} s)"
