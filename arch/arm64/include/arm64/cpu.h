/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64 per-CPU state, kept beside the core's struct percpu. TPIDR_EL2 of
 * each CPU points at its struct arm64_cpu from the first instruction after
 * entry (head.S) onwards, so arch_cpu_id() is valid in all C code at EL2.
 */
#ifndef ARM64_CPU_H
#define ARM64_CPU_H

/*
 * Per-CPU stacks. Each CPU's slot is 2 * STACK_SIZE, aligned to its size:
 *
 *   slot + 0           unmapped guard (an overflow faults here)
 *   slot + STACK_SIZE  the stack, growing down from slot + STACK_SLOT
 *
 * so bit STACK_SHIFT of SP is 0 exactly when SP has run into the guard:
 * vectors.S tests that one bit to detect an overflow without a spare
 * register, and moves to the CPU's overflow stack to report it.
 */
#define STACK_SHIFT	14
#define STACK_SIZE	(1 << STACK_SHIFT)
#define STACK_GUARD	STACK_SIZE
#define STACK_SLOT	(2 * STACK_SIZE)
#define OVF_STACK_SIZE	8192

/* struct arm64_cpu layout, for head.S and vectors.S (checked in cpu.c). */
#define ARM64_CPU_SIZE		32
#define ARM64_CPU_OVF_TOP	16

#ifndef __ASSEMBLY__
#include <hyp/types.h>
#include <hyp/arch.h>

struct arm64_vcpu_ctx;

struct arm64_cpu {
	unsigned int cpu;	/* logical index; must stay first (head.S) */
	unsigned int trap_depth; /* nested unexpected exceptions */
	u64 mpidr;		/* MPIDR_EL1 affinity of this CPU */
	u64 ovf_top;		/* top of the overflow stack (vectors.S) */
	struct arm64_vcpu_ctx *vcpu; /* the vCPU running here (arch_vcpu_run), or NULL */
};

extern struct arm64_cpu arm64_cpus[HYP_MAX_CPUS];
extern u8 hyp_stacks[HYP_MAX_CPUS][STACK_SLOT];

/* Fill in what every CPU's struct arm64_cpu needs before it runs C. */
void arm64_cpus_early_init(void);

/* Runtime address minus link address (set by head.S before any C). */
extern s64 hyp_load_offset;

/* CurrentEL at entry of the boot CPU (head.S). */
extern u64 boot_el;

static inline struct arm64_cpu *this_arm64_cpu(void)
{
	struct arm64_cpu *c;

	__asm__ __volatile__("mrs %0, tpidr_el2" : "=r"(c));
	return c;
}

static inline u64 read_mpidr_aff(void)
{
	u64 v;

	__asm__ __volatile__("mrs %0, mpidr_el1" : "=r"(v));
	return v & 0xff00ffffffULL;	/* Aff3..Aff0 */
}

/* Stack bounds [lo, hi) of CPU cpu (guard page excluded). */
static inline uintptr_t stack_lo(unsigned int cpu)
{
	return (uintptr_t)&hyp_stacks[cpu][STACK_GUARD];
}

static inline uintptr_t stack_hi(unsigned int cpu)
{
	return (uintptr_t)&hyp_stacks[cpu][STACK_SLOT];
}

/* Generic timer: nanoseconds since reset (monotonic, per-system counter). */
u64 arm64_now_ns(void);

/* Per-CPU EL2 register set-up (HCR_EL2, VTCR_EL2, VTTBR_EL2, GIC SRE). */
void arm64_el2_init(void);

/* VTCR_EL2 value for a hyp/mm arm64 stage-2 format (ia_bits, levels). */
u64 arm64_vtcr(unsigned int ia_bits, unsigned int levels);

/* Core entry points (hyp/main.c). */
#include <hyp/boot.h>

/* Called from head.S: the boot CPU's C entry, secondaries' C entry. */
__noreturn void arm64_boot_main(const void *dtb);
__noreturn void arm64_secondary_main(unsigned int cpu);

#endif /* __ASSEMBLY__ */
#endif
