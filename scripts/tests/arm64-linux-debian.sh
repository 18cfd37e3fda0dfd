#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Debian's unmodified arm64 kernel as a VM under the hypervisor, 2 vCPUs
# through the hypervisor's PSCI, beside a VM running the guest test kernel
# (configs/vms/linux-and-tests.dts), booted through U-Boot. Linux runs on the
# virtual GICv3, the virtual timer and the emulated PL011 (doc/interrupts.md).
# Linux job: the verifier for 10 s over 64 MiB.
# Pass: as arm64-linux-boot.sh (init marker, 2 CPUs, verifier PASS, clean
# power-off of both VMs, test VM 0 failed, no page leaked), with the Debian
# kernel. Fetches the kernel and busybox (cached under build/linux) when needed.
ARM64_TEST_TIMEOUT=${ARM64_TEST_TIMEOUT:-280}
source "$(dirname "$0")/../arm64-testlib.sh"

linux_vm_boot arm64-linux-debian debian verifier:10:64 configs/vms/linux-and-tests.dts
expect_linux_vm_ok
expect_test_vm_ok
expect 'console: input to vm0 \(linux\)' "console input goes to Linux"
expect 'arch_timer: cp15 timer\(s\) running' "Linux uses the arch timer"
expect '^(\[linux\] )?linux-guest: [^ ]+-arm64, 2 cpus' "Debian kernel with 2 CPUs"
expect '^(\[linux\] )?verifier: PASS [1-9][0-9]* writes' "verifier PASS"
# Debug registers trap (doc/guest-fidelity.md): Linux touches them at boot; each is emulated.
reject 'trapped system register access ESR 0x622' "a debug register access (op0 2) not emulated"
expect '^(\[linux\] )?linux-guest: verifier exit 0' "verifier exit 0"
finish
