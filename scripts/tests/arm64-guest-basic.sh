#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# arm64: one VM running the guest test kernel (configs/vms/guest-tests.dts,
# 3 vCPUs on physical CPUs 1-3), booted through U-Boot like a board.
# Pass: every guest test passed ("guest-tests: N passed, 0 failed"), the VM
# powered itself off, was destroyed, and the hypervisor powered the machine off.
# Generous: TCG on 2 loaded cores can be 4x slower than idle (measured 44-94 s on
# a loaded 2-core host with the reclaim attack tests).
ARM64_TEST_TIMEOUT=${ARM64_TEST_TIMEOUT:-240}
source "$(dirname "$0")/../arm64-testlib.sh"

arm64_boot arm64-guest-basic SMP=4 VMCFG=configs/vms/guest-tests.dts \
	BOOTARGS="hyp.panic=poweroff"
expect 'hyp: vm@0: kernel guest-tests.bin at' "boot.scr loaded the guest image"
expect 'vm0 \(tests\): 3 vCPUs' "VM created"
expect '\[tests\] guest: 3 vCPUs' "guest started its secondaries"
expect '\[tests\] guest-tests: [1-9][0-9]* passed, 0 failed' "guest summary with 0 failed"
reject 'guest-test: [a-z_]+: FAIL' "a failed guest test"
# issue 14 (doc/guest-fidelity.md)
expect 'guest-test: idregs_sanitized: PASS' "ID registers trapped and sanitized"
expect 'guest-test: mmio_sign_extension: PASS' "emulated MMIO loads sign-extend"
expect 'guest-test: irq_vtimer_level: PASS' "the virtual timer line follows the timer"
expect 'guest-test: psci_1_1: PASS' "PSCI 1.1 calls, concurrent CPU_ON"
expect 'guest-test: irq_ptimer: PASS' "the EL1 physical timer is the guest's"
expect 'guest-test: pmu_hidden: PASS' "PMU registers trapped"
expect 'guest-test: aarch32_el0_abort: (PASS|SKIP)' "aborts from AArch32 EL0 at VBAR_EL1 + 0x600"
expect 'guest-test: debug_regs_per_vcpu: PASS' "debug registers per vCPU, reset on CPU_ON"
expect 'guest-test: debug_breakpoint_fires: PASS' "a guest's breakpoint and watchpoint fire at its EL1"
reject 'trapped system register access ESR 0x622' "a debug register access (op0 2) the hypervisor does not emulate"
expect 'vm0 \(tests\): stopping: PSCI SYSTEM_OFF' "VM powered off through PSCI"
expect 'vm0 \(tests\): destroyed;' "VM destroyed"
# Guest-triggered warnings are rate-limited (doc/console.md): the tests'
# reads outside the memory map (2 + warn_flood's 200) print the first 5 and
# then the 2^n-th; every one not printed is counted, in the next printed
# line ("N like it not shown") or in the report when the VM stops.
W='vm0 \(tests\): vcpu[0-9]+: [a-z ]+ at IPA 0x[0-9a-f]+ outside its memory map'
printed=$(grep -Ec "$W" "$LOG")
total=$(grep -Eo "warnings 'outside the memory map' not shown \([0-9]+ in all" "$LOG" | grep -Eo '[0-9]+ in all' | cut -d' ' -f1)
hidden=$(grep -Eo "$W.*\[outside the memory map #[0-9]+; [0-9]+ like it not shown\]" "$LOG" |
	grep -Eo '[0-9]+ like it' | awk '{ s += $1 } END { print s + 0 }')
final=$(grep -Eo "[0-9]+ warnings 'outside the memory map' not shown" "$LOG" | cut -d' ' -f1)
want=0
for ((n = 1; n <= ${total:-0}; n++)); do
	((n <= 5 || (n & (n - 1)) == 0)) && want=$((want + 1))
done
if [ -z "$total" ] || [ "$total" -lt 202 ]; then
	FAILS+=("no rate-limit report with >= 202 reads outside the memory map (got '${total:-none}')")
elif [ "$printed" -ne "$want" ] || [ $((printed + ${hidden:-0} + ${final:-0})) -ne "$total" ]; then
	FAILS+=("rate limit: $printed warning lines printed (want $want of $total), not shown ${hidden:-0} + ${final:-0}")
fi
expect_vms_clean_end
finish
