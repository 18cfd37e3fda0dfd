#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test-timeout: 300
# arm64: Debian's unmodified arm64 kernel as a VM on the ZCU102 model
# (configs/vms/zcu102-linux.dts, doc/boards.md): 2 vCPUs on CPUs 1-2, the
# virtual GICv2 from its DTB (configs/guests/linux-gicv2.dts: Linux's irq-gic
# driver), the virtual timer, the emulated PL011, PSCI; the memory verifier
# (hyp.job=verifier:10:64) passes; the VM powers off, no page leaked.
# Measured 72 s under load.
ARM64_TEST_TIMEOUT=${ARM64_TEST_TIMEOUT:-280}
source "$(dirname "$0")/../arm64-testlib.sh"

export LINUX_GUEST_DTS=linux-gicv2
linux_vm_boot arm64-zcu102-linux debian verifier:10:64 configs/vms/zcu102-linux.dts BOARD=zcu102
expect 'arm64: GICv2 GICD 0xf9010000' "the board's GIC-400"
expect 'vm0 \(linux\): 2 vCPUs' "Linux VM created"
expect '\[linux\] .*Root IRQ handler: gic_handle_irq' "Linux's GICv2 driver (irq-gic) took the virtual GICv2"
expect '\[linux\] .*arch_timer: cp15 timer\(s\) running' "Linux uses the arch timer"
expect '\[linux\] .*smp: Brought up 1 node, 2 CPUs' "2 vCPUs through PSCI"
expect '\[linux\] .*ttyAMA0 at MMIO 0x9000000 .*is a PL011' "amba-pl011 bound the vuart"
expect '^\[linux\] linux-guest: [^ ]+-arm64, 2 cpus' "Debian kernel with 2 CPUs"
expect '^\[linux\] verifier: PASS [1-9][0-9]* writes' "verifier PASS"
expect '^\[linux\] linux-guest: done \(status 0\)' "every Linux job succeeded"
expect 'vm0 \(linux\): stopping: PSCI SYSTEM_OFF' "Linux powered its VM off"
expect '^\[cpu[0-9]+\] I: all VMs destroyed: every page returned' "no page leaked"
expect '^\[cpu[0-9]+\] I: all VMs powered off; powering off' "hypervisor power-off"
reject 'Kernel panic|Oops|Internal error|Unable to handle|BUG:|WARNING:|verifier: FAIL' "Linux failure"
reject 'a lost interrupt' "a virtual timer interrupt lost (vtimer_check_lost)"
reject 'HYPERVISOR PANIC|unexpected [a-zA-Z]+ exception|BUG_ON' "panic"
reject '\] E: ' "an error logged by the hypervisor"
expect_rc 0
finish
