#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# arm64 interrupts (doc/interrupts.md): two VMs at once (configs/vms/two-vms.dts,
# "a" on CPUs 0-1, "b" on CPUs 2-3), each running the guest test kernel whose
# guest-tests/tests_irq.c exercises its own virtual GIC at the same time.
# Pass, in both VMs: 200 SGIs from vCPU 0 reach vCPU 1 spinning without exits
# (each once: the kick works), 2 vCPUs x 20 virtual-timer interrupts arrive
# through WFI (none early, WFI waits), the distributor state each VM wrote is
# still its own after 1 s of the other writing its own, no GICR beyond its
# vCPUs and no ITS, the vuart's TX interrupt raised/masked/cleared; then a vCPU left spinning forever with interrupts masked
# is stopped by SYSTEM_OFF: both VMs destroyed, every page back, power-off.
ARM64_TEST_TIMEOUT=${ARM64_TEST_TIMEOUT:-200}
source "$(dirname "$0")/../arm64-testlib.sh"

arm64_boot arm64-irq SMP=4 VMCFG=configs/vms/two-vms.dts BOOTARGS="hyp.panic=poweroff"
expect 'gic: GICv3 distributor at 0x8000000, [0-9]+ INTIDs, EOImode=1' "physical GIC driver up"
for v in 0:a 1:b; do
	i=${v%%:*} n=${v#*:}
	expect "\\[$n\\] guest-test: irq_sgi: PASS 200 SGIs" "VM $n: SGIs between vCPUs"
	expect "\\[$n\\] guest-test: irq_vtimer: PASS 2 vCPUs x 20 ticks" "VM $n: virtual timer"
	expect "\\[$n\\] guest-test: irq_vtimer_reassert: PASS 21 timer interrupts" "VM $n: timer re-asserted at its EOI comes again"
	expect "\\[$n\\] guest-test: irq_isolation: PASS vm$i: 64 SPIs" "VM $n: own GIC state"
	expect "\\[$n\\] guest-test: irq_vuart: PASS" "VM $n: emulated PL011 interrupt"
	expect "\\[$n\\] guest-test: irq_spin_system_off: PASS" "VM $n: vCPU left spinning"
	expect "vm$i \\($n\\): stopping: PSCI SYSTEM_OFF" "VM $n powered off through PSCI"
	expect "vm$i \\($n\\): destroyed;" "VM $n destroyed (the spinning vCPU was stopped)"
done
reject 'guest-test: irq_[a-z_]+: (FAIL|SKIP)' "a failed or skipped interrupt test"
reject 'unexpected physical interrupt' "an interrupt the hypervisor did not enable"
reject 'a lost interrupt' "a virtual timer interrupt lost (vtimer_check_lost)"
expect_vms_clean_end
finish
