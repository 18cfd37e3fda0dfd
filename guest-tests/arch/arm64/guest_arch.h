/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64 side of the guest test-kernel framework (doc/guests.md,
 * "Architecture split"). Included by guest.h only, through the include path
 * guest-tests/guest.mk sets (-Iguest-tests/arch/$(ARCH)): every name here
 * that tests.c and lib.c use has the same meaning on every architecture.
 */
#ifndef GUEST_ARCH_H
#define GUEST_ARCH_H

/* Platform defaults (configs/vms/guest-tests.dts, doc/guests.md). */
#define PLAT_RAM_BASE	0x40000000UL
#define PLAT_RAM_SIZE	0x04000000UL
#define PLAT_UART_BASE	0x09000000UL
/* The stage-1 map (mmu.c) covers RAM in [PLAT_RAM_BASE, + this). */
#define PLAT_RAM_SIZE_MAX 0x40000000UL

/* Full barrier between CPUs of the VM (inner shareable). */
#define smp_mb()	__asm__ __volatile__("dmb ish" ::: "memory")
#define cpu_relax()	__asm__ __volatile__("yield" ::: "memory")
/* Wait for an event from cpu_wake_all(); traps to the hypervisor (HCR_EL2.TWE). */
#define cpu_idle_wait()	__asm__ __volatile__("wfe" ::: "memory")
#define cpu_wake_all()	__asm__ __volatile__("dsb ish; sev" ::: "memory")

/*
 * Hypercall: SMCCC over HVC #0, function ID in x0, arguments in x1-x3,
 * results x0-x3 (a0 = status). doc/hypercalls.md.
 */
struct hyp_res { s64 a0; u64 a1, a2, a3; };
struct hyp_res hyp_call(u64 fn, u64 a1, u64 a2, u64 a3);
/* The same over SMC #0 (trapped by HCR_EL2.TSC): arm64 tests only. */
struct hyp_res smc_call(u64 fn, u64 a1, u64 a2, u64 a3);

/* PSCI 1.0 over HVC (arm64 only: lib.c goes through arch_cpu_*()). */
#define PSCI_VERSION		0x84000000UL
#define PSCI_CPU_OFF		0x84000002UL
#define PSCI_CPU_ON		0xc4000003UL
#define PSCI_AFFINITY_INFO	0xc4000004UL
#define PSCI_SYSTEM_OFF		0x84000008UL
#define PSCI_FEATURES		0x8400000aUL
#define PSCI_E_NOT_SUPPORTED	(-1)
#define PSCI_E_INVALID_PARAMS	(-2)
#define PSCI_E_ALREADY_ON	(-4)

/* This vCPU's index: MPIDR_EL1.Aff0. */
static inline unsigned int cpu_id(void)
{
	u64 v;

	__asm__ __volatile__("mrs %0, mpidr_el1" : "=r"(v));
	return (unsigned int)(v & 0xff);
}

/* Free-running counter (CNTVCT_EL0, ordered by an ISB) and its frequency. */
static inline u64 clock_ticks(void)
{
	u64 v;

	__asm__ __volatile__("isb; mrs %0, cntvct_el0" : "=r"(v) :: "memory");
	return v;
}

static inline u64 clock_hz(void)
{
	u64 v;

	__asm__ __volatile__("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

/* Clean and invalidate [addr, addr + size) to the point of coherency. */
void dcache_clean_inval(u64 addr, u64 size);

/* Console: one byte to the PL011 (busy-waits while its FIFO is full). */
void arch_putc(char c);

/*
 * vCPUs. arch_cpu_on(): start vCPU cpu at the framework's secondary entry;
 * 0 started, 1 there is no such vCPU, < 0 an error. arch_cpu_off() stops
 * the calling vCPU (returns only on failure); arch_cpu_is_off() asks the
 * hypervisor; arch_system_off() powers the VM off (returns only on failure).
 */
int arch_cpu_on(unsigned int cpu);
void arch_cpu_off(void);
bool arch_cpu_is_off(unsigned int cpu);
void arch_system_off(void);

/*
 * Faults: the syndrome passed to fault_record() is ESR_EL1.
 * arch_fault_is_external(): a synchronous external abort on a data access
 * (what the hypervisor injects for an IPA outside the VM's memory map).
 */
static inline bool arch_fault_is_external(u64 esr)
{
	return (esr >> 26) == 0x25 && (esr & 0x3f) == 0x10;
}
#define ARCH_FAULT_EXTERNAL_DESC "EC 0x25 (data abort, same EL), DFSC 0x10 (external)"

/*
 * EL0 (el0.S): el0_run() enters EL0 at pc with SPSR_EL1 = spsr (AArch32:
 * M[4] set), r0/x0 = r0, r4/x4 = r4, and returns the value a handler
 * passes to el0_back() from the exception EL0 takes; such exceptions
 * (vectors 8-15, lower EL) go to el0_hook if set (arch.c), else are
 * unexpected.
 */
struct el0_ctx { u64 regs[14]; };
u64 el0_run(struct el0_ctx *ctx, u64 pc, u64 spsr, u64 r0, u64 r4);
__attribute__((noreturn)) void el0_back(struct el0_ctx *ctx, u64 ret);
extern void (*el0_hook)(u64 *regs, u64 vector, u64 esr, u64 far, u64 elr, u64 spsr);

#endif
