// SPDX-License-Identifier: GPL-2.0
/*
 * Issue 14 item 2, aborts from AArch32 EL0 (doc/guest-fidelity.md "MMIO
 * emulation"): the test kernel drops to AArch32 EL0 (A32, then T32) and
 * runs three instructions there:
 *     ldr r1, [r0]    r0 = the PL011's UARTFR: emulated MMIO, the guest
 *                     goes on at the next instruction (a 16-bit T32 load
 *                     is 2 bytes long: ESR_EL2.IL = 0)
 *     mov r2, #1      must run (r2 = 1 when the abort comes)
 *     ldr r1, [r4]    r4 = an IPA outside the memory map: the hypervisor
 *                     injects a synchronous external abort
 * which must arrive at VBAR_EL1 + 0x600 (lower EL, AArch32; vector 12),
 * EC 0x24, FSC 0x10 (external: only the hypervisor makes one; a stage-1
 * fault would also come to + 0x600, but as a translation or permission
 * fault), FAR = the address, ELR = the third instruction, SPSR = AArch32
 * User (T for T32). The old build sent it to + 0x400 (AArch64 lower EL).
 * SKIP if ID_AA64PFR0_EL1.EL0 says EL0 is AArch64 only.
 *
 * EL0 needs a stage-1 map of its own (mmu.c maps everything EL1-only):
 * VA [2 GiB, 3 GiB) -> IPA [0, 1 GiB) Device, EL0 read/write, never
 * executable (the UART and the unmapped IPA); VA [3 GiB, 4 GiB) -> RAM
 * Normal, read-only, executable at EL0 only (the code). Both under 4 GiB:
 * AArch32 addresses are 32 bits. Removed again after the test.
 */
#include "guest.h"

#define mrs(r) ({ u64 __v; __asm__ __volatile__("mrs %0, " #r : "=r"(__v)); __v; })

#define SZ_1G		0x40000000UL
#define DEV_VA		(2 * SZ_1G)	/* -> IPA 0 */
#define CODE_VA		(3 * SZ_1G)	/* -> PLAT_RAM_BASE */
#define UARTFR		0x18
#define OUT_IPA		0x20000000UL	/* tests.c OUTSIDE_IPA: not RAM, no device */

#define PTE_BLOCK	1UL		/* valid, level-1 block */
#define PTE_ATTR(i)	((u64)(i) << 2)	/* mmu.c: 0 Normal, 1 Device-nGnRE */
#define PTE_AP_EL0	(1UL << 6)	/* AP[1]: EL0 access */
#define PTE_AP_RO	(1UL << 7)	/* AP[2]: read-only */
#define PTE_SH_INNER	(3UL << 8)
#define PTE_AF		(1UL << 10)
#define PTE_PXN		(1UL << 53)
#define PTE_UXN		(1UL << 54)

/* ldr r1, [r0]; mov r2, #1; ldr r1, [r4]; b . */
static const u32 a32_code[] __attribute__((aligned(16))) = {
	0xe5901000, 0xe3a02001, 0xe5941000, 0xeafffffe,
};
/* ldr r1, [r0]; movs r2, #1; ldr r1, [r4]; b . (16-bit encodings) */
static const unsigned short t32_code[] __attribute__((aligned(16))) = {
	0x6801, 0x2201, 0x6821, 0xe7fe,
};

static struct el0_ctx ctx;
static struct { u64 vector, esr, far, elr, spsr, r2; } got;

static void on_el0_exception(u64 *regs, u64 vector, u64 esr, u64 far, u64 elr, u64 spsr)
{
	got.vector = vector;
	got.esr = esr;
	got.far = far;
	got.elr = elr;
	got.spsr = spsr;
	got.r2 = regs[2];
	el0_back(&ctx, 1);
}

static void map_el0(u64 *l1, bool on)
{
	l1[DEV_VA / SZ_1G] = on ? 0 | PTE_BLOCK | PTE_ATTR(1) | PTE_AP_EL0 | PTE_AF | PTE_PXN |
				  PTE_UXN : 0;
	l1[CODE_VA / SZ_1G] = on ? PLAT_RAM_BASE | PTE_BLOCK | PTE_ATTR(0) | PTE_AP_EL0 |
				   PTE_AP_RO | PTE_SH_INNER | PTE_AF | PTE_PXN : 0;
	dcache_clean_inval((u64)l1, 4096);
	__asm__ __volatile__("dsb ish; tlbi vmalle1; dsb ish; isb" ::: "memory");
}

/* Run one sequence (the third instruction at code + third); 0, or FAIL with msg. */
static int run(const char *set, u64 code, u64 spsr, u64 third, char *msg, size_t len)
{
	u64 va = CODE_VA + (code - PLAT_RAM_BASE);
	u64 want_far = DEV_VA + OUT_IPA, want_elr = va + third;

	got.vector = ~0UL;
	if (el0_run(&ctx, va, spsr, DEV_VA + UART_BASE + UARTFR, want_far) != 1)
		FAIL("%s: came back without an exception", set);
	if (got.vector != 12)
		FAIL("%s: abort at VBAR_EL1 + 0x%lx (vector %lu), want + 0x600 (lower EL, AArch32); "
		     "ESR %lx", set, got.vector * 0x80, got.vector, got.esr);
	if (got.esr >> 26 != 0x24 || (got.esr & 0x3f) != 0x10 || !(got.esr & (1UL << 25)))
		FAIL("%s: ESR %lx, want EC 0x24 (data abort, lower EL), FSC 0x10 (external), IL 1",
		     set, got.esr);
	if (got.far != want_far)
		FAIL("%s: FAR %lx, want %lx", set, got.far, want_far);
	if (got.r2 != 1)
		FAIL("%s: r2 = %lu: the instruction after the emulated MMIO load was skipped", set,
		     got.r2);
	if (got.elr != want_elr)
		FAIL("%s: ELR %lx, want %lx (the faulting load)", set, got.elr, want_elr);
	if ((got.spsr & 0x3f) != (spsr & 0x3f))
		FAIL("%s: SPSR %lx, want mode %lx", set, got.spsr, spsr & 0x3f);
	return 0;
}

GTEST(aarch32_el0_abort)
{
	u64 *l1 = (u64 *)(mrs(ttbr0_el1) & ~0xfffUL);
	int r;

	if (((mrs(id_aa64pfr0_el1) >> 4) & 0xf) != 2)
		SKIP("ID_AA64PFR0_EL1 %lx: EL0 is AArch64 only", mrs(id_aa64pfr0_el1));
	if (l1[DEV_VA / SZ_1G] || l1[CODE_VA / SZ_1G])
		FAIL("stage-1 slots for 2-4 GiB already used");
	map_el0(l1, true);
	el0_hook = on_el0_exception;
	/* A32: User mode, A/I/F masked; T32: the same with T */
	r = run("A32", (u64)a32_code, 0x1d0, 8, msg, len);
	if (!r)
		r = run("T32", (u64)t32_code, 0x1f0, 4, msg, len);
	el0_hook = NULL;
	map_el0(l1, false);
	if (!r)
		snprintf(msg, len, "A32 and T32 at VBAR_EL1 + 0x600, ESR %lx", got.esr);
	return r;
}
