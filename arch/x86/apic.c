// SPDX-License-Identifier: GPL-2.0
/*
 * Local APIC in xAPIC mode through its MMIO page (identity-mapped by the
 * boot page tables; UC from the MTRRs). Only what SMP start-up and the
 * panic-path NMI need.
 */
#include <hyp/types.h>
#include <hyp/arch.h>
#include <x86/asm.h>
#include <x86/apic.h>

#define APIC_BASE_ENABLE	BIT(11)
#define APIC_BASE_ADDR_MASK	GENMASK(51, 12)

#define APIC_ID			0x020
#define APIC_SVR		0x0f0
#define APIC_ICR_LO		0x300
#define APIC_ICR_HI		0x310
#define APIC_SVR_ENABLE		BIT(8)
#define APIC_SPURIOUS_VECTOR	0xff
#define APIC_ICR_BUSY		BIT(12)

static volatile u32 *lapic;

static u32 lapic_read(u32 reg)
{
	return lapic[reg / 4];
}

static void lapic_write(u32 reg, u32 v)
{
	lapic[reg / 4] = v;
}

void lapic_init(void)
{
	u64 base = rdmsr(MSR_IA32_APIC_BASE);

	if (!(base & APIC_BASE_ENABLE))
		wrmsr(MSR_IA32_APIC_BASE, base | APIC_BASE_ENABLE);
	/* Same physical address on every CPU; written before APs start. */
	lapic = (volatile u32 *)(uintptr_t)(base & APIC_BASE_ADDR_MASK);
	lapic_write(APIC_SVR, APIC_SVR_ENABLE | APIC_SPURIOUS_VECTOR);
}

u32 lapic_id(void)
{
	return lapic_read(APIC_ID) >> 24;
}

bool lapic_wait_idle(void)
{
	unsigned int n = 1000000;

	while ((lapic_read(APIC_ICR_LO) & APIC_ICR_BUSY) && --n)
		cpu_relax();
	return n != 0;
}

void lapic_send_ipi(u32 dest, u32 icr_lo)
{
	lapic_wait_idle();
	lapic_write(APIC_ICR_HI, dest << 24);
	lapic_write(APIC_ICR_LO, icr_lo);	/* this write sends */
}
