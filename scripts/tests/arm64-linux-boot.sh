#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The minimal Linux kernel (scripts/linux/build-min-kernel.sh) as a VM under
# the hypervisor, 2 vCPUs brought up through the hypervisor's PSCI, beside a
# VM running the guest test kernel on the other two CPUs
# (configs/vms/linux-and-tests.dts), booted through U-Boot.
# Linux job (hyp.job= in the guest DTB's bootargs): the verifier for 10 s.
# Pass: init marker, 2 CPUs, verifier PASS, Linux powers its VM off, the test
# VM's guest tests 0 failed, both VMs destroyed, no page leaked.
ARM64_TEST_TIMEOUT=${ARM64_TEST_TIMEOUT:-250}
source "$(dirname "$0")/../arm64-testlib.sh"

linux_vm_boot arm64-linux-boot min verifier:10:64 configs/vms/linux-and-tests.dts
expect_linux_vm_ok
expect_test_vm_ok
expect '^verifier: start 64 MiB' "verifier started"
expect '^verifier: PASS [1-9][0-9]* writes' "verifier PASS"
expect '^linux-guest: verifier exit 0' "verifier exit 0"
finish
