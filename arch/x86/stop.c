// SPDX-License-Identifier: GPL-2.0
/*
 * Panic path: stop every other CPU with an NMI (all-but-self shorthand).
 * An NMI gets through even to a CPU spinning with interrupts masked on a
 * lock; the NMI handler (traps.c) sees x86_stopping and halts. No locks.
 */
#include <hyp/types.h>
#include <hyp/arch.h>
#include <x86/apic.h>
#include <x86/traps.h>

void arch_stop_other_cpus(void)
{
	WRITE_ONCE(x86_stopping, true);
	arch_smp_mb();		/* flag visible before any target takes the NMI */
	lapic_send_ipi(0, APIC_ICR_NMI | APIC_ICR_ALL_BUT_SELF);
	lapic_wait_idle();
}
