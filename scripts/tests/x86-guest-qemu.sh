#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# x86 guests under SVM/NPT: QEMU TCG -cpu EPYC, 4 CPUs, the VM config
# configs/vms-x86/guest-tests.dts (one VM, 3 vCPUs on CPUs 1-3) and the x86
# guest test kernel as multiboot modules. Pass iff every guest test passes
# (at least 15, 0 failed, x86_shootdown_targets among them), all 3 vCPUs came up through PSCI CPU_ON over
# VMMCALL, the VM was destroyed, no page leaked, no hypervisor exception,
# and QEMU powered off cleanly (exit status 1). The console log is printed
# on failure and kept in build/test/.
source "$(dirname "$0")/../x86-testlib.sh"
x86_test x86-guest-qemu console
need_file build/x86/guest-tests.bin \
	"no build/x86/guest-tests.bin (guest-tests/ without its architecture split?)"
# The guest tests run ~40 s idle; generous for a loaded 2-core machine.
x86_qemu 400 -c 4 -g guest-tests
expect 'backend SVM/NPT' "SVM/NPT backend not selected"
expect 'guest: 3 vCPUs' "the guest did not bring up 3 vCPUs (PSCI CPU_ON over VMMCALL)"
guest_tests_ok 15
expect "guest-test: x86_shootdown_targets: PASS" "x86_shootdown_targets did not pass"
expect "x86: shootdown: cpu1 sent [1-9]" "no shootdown NMIs counted on cpu1"
expect 'vm0 (tests): destroyed;' "VM not destroyed"
expect '^\[cpu[0-9]*\] I: all VMs destroyed: every page returned' "pages leaked"
expect_no_panic "hypervisor exception or panic"
# issue 14: a guest page written by the hypervisor after it was freed (x86_cpu0_restart_vs_unmap)
reject 'written while free' "a freed page was written (use-after-free)"
expect 'guest-test: x86_cpu0_restart_vs_unmap: PASS' "x86_cpu0_restart_vs_unmap did not pass"
expect_status 1 "clean power-off"
finish "$PASSED guest tests, 0 failed, ${SECS_TAKEN} s"
