#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# x86 guests under VMX/EPT: bochs 2.7 corei7_skylake_x, 4 CPUs, GRUB ISO with
# the VM config configs/vms-x86/x86only.dts and guest-x86only.bin as
# multiboot modules (the x86 guest tests only: the full suite is too slow at
# ~75 MIPS). Pass iff the VMX/EPT backend was chosen, 3 vCPUs came up (PSCI
# CPU_ON over VMCALL), every guest test passed (at least 4, among them
# x86_shootdown_targets), the VM was destroyed with every page returned, no
# hypervisor exception, and bochs was shut down through port 0x8900.
# Bounded: 170 s limit (about 17 s at load ~6). Logs in build/test/.
source "$(dirname "$0")/../x86-testlib.sh"
x86_test x86-guest-bochs serial
need_file build/x86/guest-x86only.bin \
	"no build/x86/guest-x86only.bin (guest-tests/ without its architecture split?)"
x86_bochs 170 -c 4 -g x86only
expect 'backend VMX/EPT' "VMX/EPT backend not selected"
expect 'guest: 3 vCPUs' "the guest did not bring up 3 vCPUs (PSCI CPU_ON over VMCALL)"
guest_tests_ok 4
expect 'guest-test: x86_shootdown_targets: PASS' "x86_shootdown_targets did not pass"
expect 'vm0 (tests): destroyed;' "VM not destroyed"
expect '^\[cpu[0-9]*\] I: all VMs destroyed: every page returned' "pages leaked"
expect_no_panic "hypervisor exception or panic"
# issue 14: a guest page written by the hypervisor after it was freed (x86_cpu0_restart_vs_unmap)
reject 'written while free' "a freed page was written (use-after-free)"
expect 'guest-test: x86_cpu0_restart_vs_unmap: PASS' "x86_cpu0_restart_vs_unmap did not pass"
# issue 15: shootdown NMIs taken as VM exits, and NMIs re-armed after them (doc/x86-virt.md)
expect 'guest-test: x86_shootdown_in_guest: PASS' "x86_shootdown_in_guest did not pass"
expect 'took [1-9][0-9]* NMIs as VM exits' "no shootdown NMI was taken as a VM exit"
expect_in "$BLOG" 'Shutdown port: shutdown requested' "no shutdown through port 0x8900"
finish "$PASSED guest tests, 0 failed, ${SECS_TAKEN} s"
