// SPDX-License-Identifier: GPL-2.0
/* The small per-instruction parts of the arch interface. */
#include <hyp/types.h>
#include <hyp/arch.h>
#include <x86/asm.h>

void arch_cpu_relax(void)
{
	cpu_relax();
}

__noreturn void arch_cpu_halt(void)
{
	/* NMIs still wake HLT; loop so that they never get us out. */
	for (;;)
		__asm__ __volatile__("cli; hlt" : : : "memory");
}

unsigned long arch_irq_save(void)
{
	unsigned long flags;

	__asm__ __volatile__("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

void arch_irq_restore(unsigned long flags)
{
	__asm__ __volatile__("pushq %0; popfq" : : "r"(flags) : "memory", "cc");
}

void arch_smp_mb(void)
{
	__asm__ __volatile__("mfence" : : : "memory");
}
