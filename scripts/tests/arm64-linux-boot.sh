#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The minimal Linux kernel (scripts/linux/build-min-kernel.sh) as a VM under
# the hypervisor, 2 vCPUs brought up through the hypervisor's PSCI, beside a
# VM running the guest test kernel on the other two CPUs
# (configs/vms/linux-and-tests.dts), booted through U-Boot.
# Linux jobs (hyp.job= in the guest DTB's bootargs): hypdev.ko, hyptest for
# 12 s (unmap/move/protect/dirty-log/migrate its own pages through /dev/hyp
# while threads access them; doc/linux-guests.md), the verifier for 10 s.
# Pass: init marker, 2 CPUs, /dev/hyp, hyptest PASS with each kind of call done, verifier PASS, Linux powers its VM off, the test
# VM's guest tests 0 failed, both VMs destroyed, no page leaked.
ARM64_TEST_TIMEOUT=${ARM64_TEST_TIMEOUT:-250}
source "$(dirname "$0")/../arm64-testlib.sh"

linux_vm_boot arm64-linux-boot min hypdev,hyptest:12,verifier:10:64 configs/vms/linux-and-tests.dts
expect_linux_vm_ok
expect_test_vm_ok
expect 'hypdev: /dev/hyp ready: hypervisor interface 1, vm0 of 2' "hypdev.ko found the hypervisor"
expect '^(\[linux\] )?linux-guest: hypdev loaded' "hypdev loaded"
L='^(\[linux\] )?hyptest: '
expect "${L}ops: [1-9][0-9]* unmap [1-9][0-9]* move [1-9][0-9]* protect, [1-9][0-9]* writes" "hyptest: unmap, move, protect done"
expect "${L}dirty: [1-9][0-9]* harvests [1-9][0-9]* dirty pages" "hyptest: dirty harvests done"
expect "${L}unmapread: [1-9][0-9]* rounds" "hyptest: unmapread rounds done"
expect "${L}migrate: [1-9][0-9]* calls [1-9][0-9]* pages" "hyptest: page migrations done"
expect "${L}PASS invalidations \\+[1-9]" "hyptest PASS"
expect '^(\[linux\] )?linux-guest: hyptest exit 0' "hyptest exit 0"
expect '^(\[linux\] )?verifier: start 64 MiB' "verifier started"
expect '^(\[linux\] )?verifier: PASS [1-9][0-9]* writes' "verifier PASS"
expect '^(\[linux\] )?linux-guest: verifier exit 0' "verifier exit 0"
finish
