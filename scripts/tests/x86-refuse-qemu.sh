#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A CPU that cannot isolate guests: QEMU -cpu EPYC,-npt (SVM without nested
# paging), with the guest-tests VM config. Pass iff the banner names the
# missing feature ("missing NPT"), the VM is refused ("refusing the VM",
# "VM not started"/"cannot build"), no guest output appears, and the
# hypervisor still boots all CPUs and powers off cleanly (exit status 1).
source "$(dirname "$0")/../x86-testlib.sh"
x86_test x86-refuse-qemu console
x86_qemu 60 -c 4 -g guest-tests -- -cpu EPYC,-npt
expect 'no usable virtualization backend: missing NPT' "missing NPT not reported"
expect 'refusing the VM: it cannot be isolated (missing NPT)' "VM not refused"
reject '^\[tests\]' "the guest ran"
expect 'all 4 cpus online' "the hypervisor did not boot every CPU"
expect_no_panic
expect_status 1 "clean power-off"
finish
