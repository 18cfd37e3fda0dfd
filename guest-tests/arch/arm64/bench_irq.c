// SPDX-License-Identifier: GPL-2.0
/*
 * A virtual interrupt delivered (issue 16 item 3, doc/bench.md): the guest
 * raises an interrupt for itself and waits until its handler has taken it,
 * NR_VIRQ times, in ns (under -icount shift=0: instructions).
 *   virq_sgi_round_trip       an SGI to itself: the trapped ICC_SGI1R_EL1
 *                             write, the vGIC making it pending and filling
 *                             an LR (the LR of the previous one taken back),
 *                             the guest's IRQ exception and handler
 *   virq_vtimer_round_trip    its virtual timer, due at once: the physical
 *                             PPI 27 taken at EL2, forwarded with HW=1 in an
 *                             LR, the guest's handler (disables the timer,
 *                             EOI: deactivates the physical one)
 *   virq_*_hyp_share          the same minus the guest's own instructions:
 *                             the same loop without the interrupt (the trigger
 *                             replaced by as many non-trapping instructions,
 *                             the handler's count done inline) plus the
 *                             handler's other instructions (straight-line
 *                             code between two labels, counted exactly)
 * The handler is a minimal vector (no C): IAR, timer off, EOIR, count.
 */
#include "guest.h"
#include "bench.h"

#define NR_VIRQ		2000
#define SGI_BENCH	5
#define PPI_VTIMER	27
#define GICD		0x08000000UL
#define GICR(c)		(0x080a0000UL + (u64)(c) * 0x20000UL)
#define GICR_SGI(c)	(GICR(c) + 0x10000UL)
#define GICD_CTLR	0x0000
#define GICR_WAKER	0x0014
#define SGI_ISENABLER0	0x0100
#define SGI_ICENABLER0	0x0180

u64 bench_irq_seen;
extern char bench_irq_vectors[], bench_irq_entry[], bench_irq_count[], bench_irq_count_end[],
	bench_irq_end[];

/*
 * Only "IRQ, current EL with SP_ELx" (offset 0x280) is expected while these
 * vectors are installed; every other entry hangs (the bench run times out
 * and prints its console).
 */
__asm__(
"	.text\n"
"	.balign 2048\n"
"	.globl bench_irq_vectors\n"
"bench_irq_vectors:\n"
"	.irp i, 0, 1, 2, 3, 4\n"
"	.balign 128\n"
"	b	.\n"
"	.endr\n"
"	.balign 128\n"
"	.globl bench_irq_entry, bench_irq_count, bench_irq_count_end, bench_irq_end\n"
"bench_irq_entry:\n"
"	stp	x0, x1, [sp, #-16]!\n"
"	mrs	x0, icc_iar1_el1\n"
"	msr	cntv_ctl_el0, xzr\n"		/* the timer's level drops before the EOI */
"	msr	icc_eoir1_el1, x0\n"
"bench_irq_count:\n"
"	adrp	x1, bench_irq_seen\n"
"	ldr	x0, [x1, :lo12:bench_irq_seen]\n"
"	add	x0, x0, #1\n"
"	str	x0, [x1, :lo12:bench_irq_seen]\n"
"bench_irq_count_end:\n"
"	ldp	x0, x1, [sp], #16\n"
"	eret\n"
"bench_irq_end:\n"
"	.irp i, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15\n"
"	.balign 128\n"
"	b	.\n"
"	.endr\n"
"	.text\n");

static inline void wr32(u64 a, u32 v)
{
	__asm__ __volatile__("str %w0, [%1]" : : "r"(v), "r"(a) : "memory");
}

static inline u32 rd32(u64 a)
{
	u32 v;

	__asm__ __volatile__("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

#define sysreg_w(r, v) __asm__ __volatile__("msr " #r ", %0; isb" : : "r"((u64)(v)) : "memory")
#define sysreg_r(r) ({ u64 __v; __asm__ __volatile__("mrs %0, " #r : "=r"(__v)); __v; })

/* The counter increment the handler does (between bench_irq_count and _end). */
#define COUNT_INLINE							\
	"adrp	x1, bench_irq_seen\n"					\
	"ldr	x0, [x1, :lo12:bench_irq_seen]\n"			\
	"add	x0, x0, #1\n"						\
	"str	x0, [x1, :lo12:bench_irq_seen]\n"

enum virq_kind { VIRQ_SGI, VIRQ_VTIMER, VIRQ_NULL_SGI, VIRQ_NULL_VTIMER };

/* Ticks for NR_VIRQ rounds of @kind; each round's trigger, then wait for the count. */
static u64 virq_loop(enum virq_kind kind)
{
	u64 sgi = (u64)SGI_BENCH << 24 | 1;	/* Aff0 list: vCPU 0, itself */
	u64 one = 1, t0;

	WRITE_ONCE(bench_irq_seen, 0);
	t0 = clock_ticks();
	for (u64 i = 1; i <= NR_VIRQ; i++) {
		switch (kind) {
		case VIRQ_SGI:
			__asm__ __volatile__("msr icc_sgi1r_el1, %0; isb" : : "r"(sgi) : "memory");
			break;
		case VIRQ_VTIMER:
			__asm__ __volatile__("msr cntv_cval_el0, xzr; msr cntv_ctl_el0, %0; isb"
					     : : "r"(one) : "memory");
			break;
		case VIRQ_NULL_SGI:	/* as many instructions, none trapped, and the count */
			__asm__ __volatile__("msr tpidr_el0, %0; isb\n" COUNT_INLINE
					     : : "r"(sgi) : "x0", "x1", "memory");
			break;
		case VIRQ_NULL_VTIMER:
			__asm__ __volatile__("msr cntv_cval_el0, xzr; msr tpidr_el0, %0; isb\n"
					     COUNT_INLINE : : "r"(one) : "x0", "x1", "memory");
			break;
		}
		while (READ_ONCE(bench_irq_seen) != i)
			;
	}
	return clock_ticks() - t0;
}

GTEST(bench_virq)
{
	u64 old_vbar = sysreg_r(vbar_el1), tpidr = sysreg_r(tpidr_el0);
	u64 sgi, vt, null_sgi, null_vt, handler_ps;
	u64 handler = (u64)(bench_irq_end - bench_irq_entry) / 4 -
		      (u64)(bench_irq_count_end - bench_irq_count) / 4;

	BENCH_NEED_4K();
	if (plat.gic != 3)
		SKIP("needs a GICv3 guest (the ICC_* system registers)");
	wr32(GICD + GICD_CTLR, 0x13);		/* ARE, EnableGrp1, EnableGrp0 */
	wr32(GICR(0) + GICR_WAKER, rd32(GICR(0) + GICR_WAKER) & ~2U);
	while (rd32(GICR(0) + GICR_WAKER) & 4)
		cpu_relax();
	sysreg_w(icc_pmr_el1, 0xff);
	sysreg_w(icc_bpr1_el1, 0);
	sysreg_w(icc_igrpen1_el1, 1);
	wr32(GICR_SGI(0) + SGI_ISENABLER0, 1U << SGI_BENCH | 1U << PPI_VTIMER);
	sysreg_w(vbar_el1, (u64)bench_irq_vectors);
	__asm__ __volatile__("msr daifclr, #2; isb" ::: "memory");
	(void)virq_loop(VIRQ_SGI);		/* warm: every path translated */
	(void)virq_loop(VIRQ_VTIMER);
	sgi = virq_loop(VIRQ_SGI);
	vt = virq_loop(VIRQ_VTIMER);
	null_sgi = virq_loop(VIRQ_NULL_SGI);
	null_vt = virq_loop(VIRQ_NULL_VTIMER);
	__asm__ __volatile__("msr daifset, #2; isb" ::: "memory");
	sysreg_w(cntv_ctl_el0, 0);
	wr32(GICR_SGI(0) + SGI_ICENABLER0, ~0U);
	sysreg_w(icc_igrpen1_el1, 0);
	sysreg_w(vbar_el1, old_vbar);
	sysreg_w(tpidr_el0, tpidr);
	sgi = ticks_to_ps(sgi, NR_VIRQ);
	vt = ticks_to_ps(vt, NR_VIRQ);
	null_sgi = ticks_to_ps(null_sgi, NR_VIRQ);
	null_vt = ticks_to_ps(null_vt, NR_VIRQ);
	/* the handler's other instructions as ns: exact under icount (1 insn = 1 ns) */
	handler_ps = handler * 1000;
	put_ns("virq_sgi_round_trip", sgi);
	put_ns("virq_sgi_hyp_share", sgi > null_sgi + handler_ps ? sgi - null_sgi - handler_ps : 0);
	put_ns("virq_vtimer_round_trip", vt);
	put_ns("virq_vtimer_hyp_share", vt > null_vt + handler_ps ? vt - null_vt - handler_ps : 0);
	return 0;
}
