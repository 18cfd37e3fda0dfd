// SPDX-License-Identifier: GPL-2.0
/* CPU identity, spin hints, halting, interrupt masking, time. */
#include <hyp/arch.h>
#include <arm64/cpu.h>
#include <arm64/cpufeature.h>
#include <arm64/smp.h>
#include <arm64/sysreg.h>

struct arm64_cpu arm64_cpus[HYP_MAX_CPUS];
u8 hyp_stacks[HYP_MAX_CPUS][STACK_SLOT] __aligned(STACK_SLOT) __section(".stacks");
static u8 ovf_stacks[HYP_MAX_CPUS][OVF_STACK_SIZE] __aligned(16);

BUILD_BUG_ON(sizeof(struct arm64_cpu) != ARM64_CPU_SIZE);
BUILD_BUG_ON(__builtin_offsetof(struct arm64_cpu, cpu) != 0);
BUILD_BUG_ON(__builtin_offsetof(struct arm64_cpu, ovf_top) != ARM64_CPU_OVF_TOP);

void arm64_cpus_early_init(void)
{
	for (unsigned int i = 0; i < HYP_MAX_CPUS; i++) {
		arm64_cpus[i].cpu = i;
		arm64_cpus[i].ovf_top = (u64)(uintptr_t)&ovf_stacks[i][OVF_STACK_SIZE];
	}
}

unsigned int arch_cpu_id(void)
{
	return this_arm64_cpu()->cpu;
}

void arch_cpu_relax(void)
{
	__asm__ __volatile__("yield" ::: "memory");
	/* Every spin loop passes here: this is how a panic stops other CPUs. */
	smp_check_stop();
}

unsigned long arch_irq_save(void)
{
	unsigned long flags;

	/* Mask IRQ and FIQ; D and SError stay as they are. */
	__asm__ __volatile__("mrs %0, daif\n\tmsr daifset, #3" : "=r"(flags) : : "memory");
	return flags;
}

void arch_irq_restore(unsigned long flags)
{
	__asm__ __volatile__("msr daif, %0" : : "r"(flags) : "memory");
}

void arch_smp_mb(void)
{
	dmb(ish);
}

u64 arm64_now_ns(void)
{
	u64 cnt, frq;

	isb();	/* do not let the counter read be hoisted before earlier code */
	cnt = read_sysreg(cntpct_el0);
	frq = read_sysreg(cntfrq_el0);
	if (!frq)
		frq = 62500000;	/* QEMU's default; firmware must set CNTFRQ */
	/* Split to stay in 64 bits: cnt % frq < frq < 2^34 for any real timer. */
	return cnt / frq * 1000000000ULL + cnt % frq * 1000000000ULL / frq;
}

u64 arch_counter_ns(void)
{
	return arm64_now_ns();
}

/*
 * VTCR_EL2 for a stage-2 format of hyp/mm (s2_format_arm64(f, ia_bits,
 * levels)): 4 KiB granule, T0SZ = 64 - ia_bits, SL0 from the start level
 * (4 - levels), walks inner-shareable write-back, output size = PA size
 * (at most 48 bits), 16-bit VMIDs where implemented.
 */
u64 arm64_vtcr(unsigned int ia_bits, unsigned int levels)
{
	unsigned int ps = cpu_features.parange > 5 ? 5 : cpu_features.parange;
	/* SL0 for 4K: 0 = start at level 2, 1 = level 1, 2 = level 0. */
	u64 sl0 = levels == 4 ? 2 : levels == 3 ? 1 : 0;
	u64 vtcr = VTCR_RES1 | (64 - ia_bits) | sl0 << 6 | 1ULL << 8 | 1ULL << 10 |
		   3ULL << 12 | (u64)ps << 16;

	if (cpu_features.vmid_bits == 16)
		vtcr |= VTCR_VS;
	return vtcr;
}

void arm64_el2_init(void)
{
	write_sysreg(hcr_el2, HCR_RW);	/* no guest yet: stage 2 off, nothing trapped */
	/* Default until a VM's format is loaded: 39-bit IPA, 3 levels. */
	write_sysreg(vtcr_el2, arm64_vtcr(39, 3));
	write_sysreg(vttbr_el2, 0);
	if (cpu_features.gicv3_sysregs) {
		/* System-register GIC interface; lets EL1 use it too (Enable). */
		write_sysreg(icc_sre_el2, read_sysreg(icc_sre_el2) | BIT(0) | BIT(3));
	}
	isb();
}
