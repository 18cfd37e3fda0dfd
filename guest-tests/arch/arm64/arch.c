// SPDX-License-Identifier: GPL-2.0
/* arm64 side of the guest framework: PL011, PSCI, exceptions, caches. */
#include "guest.h"

#define UART_DR		0x00
#define UART_FR		0x18
#define UART_FR_TXFF	(1U << 5)

static volatile u32 *uart_reg(unsigned int off)
{
	return (volatile u32 *)(UART_BASE + off);
}

void arch_putc(char c)
{
	while (*uart_reg(UART_FR) & UART_FR_TXFF)
		;
	*uart_reg(UART_DR) = (u8)c;
}

extern char secondary_entry[];

int arch_cpu_on(unsigned int cpu)
{
	/* context_id = cpu index (start.S ignores it; it reads MPIDR). */
	s64 r = hyp_call(PSCI_CPU_ON, cpu, (u64)secondary_entry, cpu).a0;

	if (r == PSCI_E_INVALID_PARAMS)
		return 1;
	return r ? (int)r : 0;
}

void arch_cpu_off(void)
{
	hyp_call(PSCI_CPU_OFF, 0, 0, 0);
}

bool arch_cpu_is_off(unsigned int cpu)
{
	return hyp_call(PSCI_AFFINITY_INFO, cpu, 0, 0).a0 == 1;
}

void arch_system_off(void)
{
	hyp_call(PSCI_SYSTEM_OFF, 0, 0, 0);
}

void dcache_clean_inval(u64 addr, u64 size)
{
	u64 ctr, line, end = addr + size;

	__asm__ __volatile__("mrs %0, ctr_el0" : "=r"(ctr));
	line = 4UL << ((ctr >> 16) & 0xf);	/* DminLine, in words */
	for (addr &= ~(line - 1); addr < end; addr += line)
		__asm__ __volatile__("dc civac, %0" : : "r"(addr) : "memory");
	__asm__ __volatile__("dsb ish" ::: "memory");
}

void (*el0_hook)(u64 *regs, u64 vector, u64 esr, u64 far, u64 elr, u64 spsr);

/* From start.S's vectors: (saved registers, vector index 0-15). */
void guest_exception(u64 *regs, u64 vector);
void guest_exception(u64 *regs, u64 vector)
{
	u64 esr, far, elr;

	(void)regs;
	__asm__ __volatile__("mrs %0, esr_el1; mrs %1, far_el1; mrs %2, elr_el1"
			     : "=r"(esr), "=r"(far), "=r"(elr));
	/* Vector 8-15: from EL0 (AArch64 8-11, AArch32 12-15): el0_run()'s handler. */
	if (vector >= 8 && el0_hook) {
		u64 spsr;

		__asm__ __volatile__("mrs %0, spsr_el1" : "=r"(spsr));
		el0_hook(regs, vector, esr, far, elr, spsr);
	}
	/* Vector 0-3: current EL with SP_EL0..; & 3 == 0: synchronous. */
	if ((vector & 3) == 0 && fault_record(esr, far)) {
		__asm__ __volatile__("msr elr_el1, %0" : : "r"(elr + 4));
		return;
	}
	fault_unexpected(vector, esr, far, elr);
}
