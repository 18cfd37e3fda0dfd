#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Two x86 VMs at once under SVM/NPT: QEMU TCG -cpu EPYC, 5 CPUs,
# configs/vms-x86/two-vms.dts (tests-a on CPUs 1-2, tests-b on CPUs 3-4).
# Pass iff the two VMs got distinct VMIDs (= ASIDs), each VM's guest tests
# pass (at least 10, 0 failed; the isolation test runs both at once), both
# are destroyed, no page leaked, no hypervisor exception, clean power-off.
# The console log is printed on failure and kept in build/test/.
source "$(dirname "$0")/../x86-testlib.sh"
x86_test x86-two-vms-qemu console
need_file build/x86/guest-tests.bin \
	"no build/x86/guest-tests.bin (guest-tests/ without its architecture split?)"
x86_qemu 280 -c 5 -g two-vms
va=$(sed -n 's/.*vm0 (tests-a): vcpu0 starts on cpu[0-9]* at [0-9a-fx]*, VMID \([0-9]*\).*/\1/p' "$LOG")
vb=$(sed -n 's/.*vm1 (tests-b): vcpu0 starts on cpu[0-9]* at [0-9a-fx]*, VMID \([0-9]*\).*/\1/p' "$LOG")
[ -n "$va" ] && [ -n "$vb" ] || fail "a VM did not start"
[ "$va" != "$vb" ] || fail "both VMs have VMID/ASID $va"
for vm in tests-a tests-b; do
	guest_tests_ok 10 "$vm"
	expect "($vm): destroyed;" "$vm not destroyed"
done
expect '^\[cpu[0-9]*\] I: all VMs destroyed: every page returned' "pages leaked"
expect_no_panic "hypervisor exception or panic"
expect_status 1 "clean power-off"
finish "ASIDs $va and $vb, ${SECS_TAKEN} s"
