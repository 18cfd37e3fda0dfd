// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt tests (doc/interrupts.md): the virtual GICv3 and the virtual
 * timer as a guest sees them, and a vCPU that never exits being stopped.
 *
 *   irq_sgi              vCPU 0 sends SGIs to vCPU 1, which spins in a tight
 *                        loop with no exits: each one must arrive (kick), once
 *   irq_vtimer           vCPUs 0 and 1 each take N virtual timer interrupts,
 *                        waiting in WFI: none early, none lost, and WFI waits
 *   irq_vtimer_level     masked, fired, disabled, unmasked: nothing pending,
 *                        nothing delivered (the line follows the timer)
 *   irq_ptimer           the EL1 physical timer (CNTP_*) ticks as on hardware
 *   irq_vtimer_reassert  the handler leaves the timer asserted at its EOI: the
 *                        interrupt must come again at once, with no exit of
 *                        this vCPU and no other interrupt to help it along
 *   irq_isolation        the GIC this VM sees is its own: distributor state
 *                        survives the other VM writing its own, no frame beyond
 *                        this VM's vCPUs, no ITS, no physical GIC
 *   irq_vuart            the emulated PL011: PrimeCell IDs, FR, and its TX
 *                        interrupt (SPI 33) raised, masked and cleared
 *   irq_spin_system_off  (last) leaves the last vCPU spinning forever with
 *                        interrupts masked; the final SYSTEM_OFF must stop it
 *
 * The tests install their own EL1 vector table while they run: IRQs are
 * handled here, everything else goes to the framework's guest_exception().
 */
#include "guest.h"

/*
 * The GIC the guest DTB describes (plat.gic): a GICv3 (ICC_* system
 * registers, GICR frames) or a GICv2 (GICC at 0x08010000, banked SGI/PPI
 * registers in GICD, GICD_SGIR, ITARGETSR) on a GICv2 host (doc/boards.md).
 * irq_isolation checks the frames of either version; none runs without a GIC.
 */
#define NEED_GIC() do {							\
	if (!plat.gic)							\
		SKIP("the guest DTB has no GIC (doc/boards.md)");	\
} while (0)
#define GICC		0x08010000UL	/* GICv2 guests */
#define GICC_CTLR	0x0000
#define GICC_PMR	0x0004
#define GICC_BPR	0x0008
#define GICC_IAR	0x000c
#define GICC_EOIR	0x0010
#define GICD_SGIR	0x0f00
#define GICD_ITARGETSR	0x0800

#define GICD		0x08000000UL
#define GICR(c)		(0x080a0000UL + (u64)(c) * 0x20000UL)
#define GICR_SGI(c)	(GICR(c) + 0x10000UL)
#define GITS		0x08080000UL	/* QEMU virt's ITS: not given to guests */
#define GICD_CTLR	0x0000
#define GICD_TYPER	0x0004
#define GICD_ISENABLER	0x0100
#define GICD_ICENABLER	0x0180
#define GICD_IPRIORITYR	0x0400
#define GICR_TYPER	0x0008
#define GICR_WAKER	0x0014
#define GIC_PIDR2	0xffe8
#define SGI_ISENABLER0	0x0100
#define SGI_ICENABLER0	0x0180

#define SGI_TEST	3
#define PPI_VTIMER	27
#define PPI_PTIMER	30	/* EL1 physical timer (non-secure) */
#define NR_SGIS		200
#define NR_TICKS	20

/* MMIO with plain [Xn] addressing: a trapped access needs ESR.ISV (no writeback). */
static inline u32 rd32(u64 a)
{
	u32 v;

	__asm__ __volatile__("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline u64 rd64(u64 a)
{
	u64 v;

	__asm__ __volatile__("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline u8 rd8(u64 a)
{
	u32 v;

	__asm__ __volatile__("ldrb %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return (u8)v;
}

static inline void wr32(u64 a, u32 v)
{
	__asm__ __volatile__("str %w0, [%1]" : : "r"(v), "r"(a) : "memory");
}

/* Where this vCPU's SGI/PPI bit registers are (same offsets in both). */
static u64 ppi_frame(unsigned int c)
{
	return plat.gic == 2 ? GICD : GICR_SGI(c);
}

static inline void wr8(u64 a, u8 v)
{
	__asm__ __volatile__("strb %w0, [%1]" : : "r"((u32)v), "r"(a) : "memory");
}

#define sysreg_w(r, v) __asm__ __volatile__("msr " #r ", %0; isb" : : "r"((u64)(v)) : "memory")
#define sysreg_r(r) ({ u64 __v; __asm__ __volatile__("mrs %0, " #r : "=r"(__v)); __v; })

void guest_exception(u64 *regs, u64 vector);
void irq_vector(u64 *regs, u64 vector);

/* EL1 vectors: save x0-x18, x29, x30, call irq_vector(regs, index). */
__asm__(
"	.text\n"
"	.balign 2048\n"
"irq_vectors:\n"
"	.irp i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15\n"
"	.balign 128\n"
"	sub	sp, sp, #176\n"
"	stp	x0, x1, [sp, #0]\n"
"	mov	x1, #\\i\n"
"	b	irq_vec_common\n"
"	.endr\n"
"irq_vec_common:\n"
"	stp	x2, x3, [sp, #16]\n"
"	stp	x4, x5, [sp, #32]\n"
"	stp	x6, x7, [sp, #48]\n"
"	stp	x8, x9, [sp, #64]\n"
"	stp	x10, x11, [sp, #80]\n"
"	stp	x12, x13, [sp, #96]\n"
"	stp	x14, x15, [sp, #112]\n"
"	stp	x16, x17, [sp, #128]\n"
"	stp	x18, x19, [sp, #144]\n"
"	stp	x29, x30, [sp, #160]\n"
"	mov	x0, sp\n"
"	bl	irq_vector\n"
"	ldp	x0, x1, [sp, #0]\n"
"	ldp	x2, x3, [sp, #16]\n"
"	ldp	x4, x5, [sp, #32]\n"
"	ldp	x6, x7, [sp, #48]\n"
"	ldp	x8, x9, [sp, #64]\n"
"	ldp	x10, x11, [sp, #80]\n"
"	ldp	x12, x13, [sp, #96]\n"
"	ldp	x14, x15, [sp, #112]\n"
"	ldp	x16, x17, [sp, #128]\n"
"	ldp	x18, x19, [sp, #144]\n"
"	ldp	x29, x30, [sp, #160]\n"
"	add	sp, sp, #176\n"
"	eret\n"
"	.text\n");
extern char irq_vectors[];

struct irq_cpu {
	u32 count[32];		/* SGIs and PPIs taken on this vCPU */
	u32 spi_count;
	u32 spurious;
	u32 early;		/* timer interrupts before the programmed time */
	u32 reassert;		/* irq_vtimer_reassert: EOIs left with the timer asserted */
	u64 old_vbar;
} __attribute__((aligned(64)));
static struct irq_cpu irqs[GUEST_MAX_CPUS];

void irq_vector(u64 *regs, u64 vector)
{
	struct irq_cpu *ic = &irqs[cpu_id()];
	u64 iar;
	u32 intid;

	if (vector != 5) {	/* not "IRQ, current EL with SP_ELx" */
		guest_exception(regs, vector);
		return;
	}
	if (plat.gic == 2) {
		iar = rd32(GICC + GICC_IAR);
		intid = (u32)(iar & 0x3ff);
	} else {
		iar = sysreg_r(icc_iar1_el1);
		intid = (u32)(iar & 0xffffff);
	}
	if (intid >= 1020) {
		WRITE_ONCE(ic->spurious, ic->spurious + 1);
		return;
	}
	if (intid == 33)	/* the vuart: level, drop it by masking */
		wr32(UART_BASE + 0x038, 0);
	if (intid == PPI_VTIMER) {
		if (clock_ticks() < sysreg_r(cntv_cval_el0))
			ic->early++;
		if (ic->reassert) {
			ic->reassert--;		/* still expired: the line stays high */
			sysreg_w(cntv_cval_el0, clock_ticks());
			__asm__ __volatile__("isb" ::: "memory");
		} else {
			sysreg_w(cntv_ctl_el0, 0);	/* drop the level before the EOI */
		}
	}
	if (intid == PPI_PTIMER) {
		if (sysreg_r(cntpct_el0) < sysreg_r(cntp_cval_el0))
			ic->early++;
		sysreg_w(cntp_ctl_el0, 0);
	}
	if (intid < 32)
		WRITE_ONCE(ic->count[intid], ic->count[intid] + 1);
	else
		WRITE_ONCE(ic->spi_count, ic->spi_count + 1);
	if (plat.gic == 2)
		wr32(GICC + GICC_EOIR, (u32)iar);
	else
		sysreg_w(icc_eoir1_el1, iar);
}

/* This vCPU: our vectors, redistributor awake, CPU interface on, @mask enabled. */
static void irq_cpu_on(u32 mask)
{
	unsigned int c = cpu_id();
	struct irq_cpu *ic = &irqs[c];

	for (unsigned int i = 0; i < 32; i++)
		ic->count[i] = 0;
	ic->spi_count = ic->spurious = ic->early = ic->reassert = 0;
	ic->old_vbar = sysreg_r(vbar_el1);
	sysreg_w(vbar_el1, (u64)irq_vectors);
	if (plat.gic == 2) {
		wr32(GICC + GICC_PMR, 0xff);
		wr32(GICC + GICC_BPR, 0);
		wr32(GICC + GICC_CTLR, 1);	/* EnableGrp0: every interrupt is group 0 */
	} else {
		wr32(GICR(c) + GICR_WAKER, rd32(GICR(c) + GICR_WAKER) & ~2U);
		while (rd32(GICR(c) + GICR_WAKER) & 4)
			cpu_relax();
		sysreg_w(icc_pmr_el1, 0xff);
		sysreg_w(icc_bpr1_el1, 0);
		sysreg_w(icc_igrpen1_el1, 1);
	}
	wr32(ppi_frame(c) + SGI_ISENABLER0, mask);
	__asm__ __volatile__("msr daifclr, #2" ::: "memory");
}

static void irq_cpu_off(void)
{
	unsigned int c = cpu_id();

	__asm__ __volatile__("msr daifset, #2" ::: "memory");
	sysreg_w(cntv_ctl_el0, 0);
	wr32(ppi_frame(c) + SGI_ICENABLER0, ~0U);
	if (plat.gic == 2)
		wr32(GICC + GICC_CTLR, 0);
	else
		sysreg_w(icc_igrpen1_el1, 0);
	sysreg_w(vbar_el1, irqs[c].old_vbar);
}

static void gicd_on(void)
{
	/* GICv3: ARE, EnableGrp1, EnableGrp0; GICv2: Enable. */
	wr32(GICD + GICD_CTLR, plat.gic == 2 ? 1 : 0x13);
}

static bool timed_out(u64 start, u64 secs)
{
	return clock_ticks() - start > secs * clock_hz();
}

/*
 * Wait until this vCPU's handler has counted @want interrupts of @intid.
 * The check and the WFI run with IRQs masked: an interrupt taken between a
 * check made with IRQs unmasked and the WFI would leave the WFI waiting for
 * one that already came (the handler disables the timer, so nothing else
 * comes: a hang, seen under load in CI). WFI completes on a pending
 * interrupt whatever PSTATE.I says (Arm ARM D1.6.2, "Wait for Interrupt"),
 * so nothing is lost; it is taken once IRQs are unmasked again.
 * Returns false after @secs seconds from @t0; counts the WFIs in @wfis.
 */
static bool wait_count(unsigned int intid, u32 want, u64 t0, u64 secs, u32 *wfis)
{
	struct irq_cpu *ic = &irqs[cpu_id()];

	for (;;) {
		__asm__ __volatile__("msr daifset, #2" ::: "memory");
		if (READ_ONCE(ic->count[intid]) >= want)
			break;	/* more than @want: the caller's count check fails */
		__asm__ __volatile__("wfi" ::: "memory");
		__asm__ __volatile__("msr daifclr, #2; isb" ::: "memory");
		if (wfis)
			(*wfis)++;
		if (timed_out(t0, secs))
			return false;
	}
	__asm__ __volatile__("msr daifclr, #2" ::: "memory");
	return true;
}

/* ---- SGIs between vCPUs ------------------------------------------------- */

static u32 sgi_stop, sgi_ready;

static void sgi_receiver(void *arg)
{
	(void)arg;
	irq_cpu_on(1U << SGI_TEST);
	store_release(&sgi_ready, 1);
	/* A tight loop: no WFI/WFE/HVC, so no exit unless the hypervisor kicks. */
	while (!READ_ONCE(sgi_stop))
		;
	irq_cpu_off();
}

GTEST(irq_sgi)
{
	u64 t0 = clock_ticks();
	u32 got;

	NEED_GIC();
	if (nr_cpus < 2)
		SKIP("needs 2 vCPUs");
	sgi_stop = sgi_ready = 0;
	gicd_on();
	cpu_run(1, sgi_receiver, NULL);
	while (!load_acquire(&sgi_ready))
		if (timed_out(t0, 5))
			FAIL("vCPU 1 did not set up its GIC");
	for (unsigned int i = 0; i < NR_SGIS; i++) {
		if (plat.gic == 2)	/* to vCPU 1 */
			wr32(GICD + GICD_SGIR, 1U << (16 + 1) | SGI_TEST);
		else
			sysreg_w(icc_sgi1r_el1, (u64)SGI_TEST << 24 | 1U << 1);
		t0 = clock_ticks();
		while (READ_ONCE(irqs[1].count[SGI_TEST]) != i + 1) {
			if (timed_out(t0, 5)) {
				WRITE_ONCE(sgi_stop, 1);
				cpu_wait(1);
				FAIL("SGI %u of %u not received in 5 s (got %u)", i + 1, NR_SGIS,
				     irqs[1].count[SGI_TEST]);
			}
		}
	}
	WRITE_ONCE(sgi_stop, 1);
	cpu_wait(1);
	got = irqs[1].count[SGI_TEST];
	if (got != NR_SGIS || irqs[1].spurious)
		FAIL("vCPU 1 took %u SGIs (want %u), %u spurious", got, NR_SGIS, irqs[1].spurious);
	snprintf(msg, len, "%u SGIs to a vCPU spinning without exits, all taken once", got);
	return 0;
}

/* ---- virtual timer ------------------------------------------------------ */

struct tick_result { u32 ok; u32 wfis; char why[96]; };
static struct tick_result ticks[GUEST_MAX_CPUS];

static void tick_run(void *arg)
{
	struct tick_result *r = &ticks[cpu_id()];
	u64 period = clock_hz() / 1000;	/* 1 ms */

	(void)arg;
	r->ok = 0;
	r->wfis = 0;
	irq_cpu_on(1U << PPI_VTIMER);
	for (unsigned int i = 0; i < NR_TICKS; i++) {
		u64 t0 = clock_ticks();

		sysreg_w(cntv_cval_el0, t0 + period);
		sysreg_w(cntv_ctl_el0, 1);	/* ENABLE, not masked */
		if (!wait_count(PPI_VTIMER, i + 1, t0, 5, &r->wfis)) {
			snprintf(r->why, sizeof(r->why), "tick %u of %u lost (5 s)", i + 1,
				 NR_TICKS);
			irq_cpu_off();
			return;
		}
	}
	irq_cpu_off();
	r->ok = 1;
}

GTEST(irq_vtimer)
{
	unsigned int n = nr_cpus < 2 ? 1 : 2;

	NEED_GIC();
	gicd_on();
	if (n > 1)
		cpu_run(1, tick_run, NULL);
	tick_run(NULL);
	if (n > 1)
		cpu_wait(1);
	for (unsigned int c = 0; c < n; c++) {
		if (!ticks[c].ok)
			FAIL("vCPU %u: %s", c, ticks[c].why);
		if (irqs[c].count[PPI_VTIMER] != NR_TICKS || irqs[c].early)
			FAIL("vCPU %u: %u timer interrupts (want %u), %u early", c,
			     irqs[c].count[PPI_VTIMER], NR_TICKS, irqs[c].early);
		/* One WFI per tick if WFI waits; a returning-at-once WFI spins ~1000s. */
		if (ticks[c].wfis > 3 * NR_TICKS)
			FAIL("vCPU %u: %u WFIs for %u ticks: WFI does not wait", c,
			     ticks[c].wfis, NR_TICKS);
	}
	snprintf(msg, len, "%u vCPUs x %u ticks of 1 ms, none early, WFIs %u/%u", n, NR_TICKS,
		 ticks[0].wfis, n > 1 ? ticks[1].wfis : 0);
	return 0;
}

/*
 * irq_vtimer_level (issue 14, doc/guest-fidelity.md): the timer's interrupt
 * is level-sensitive and follows the timer. Masked at the redistributor, the
 * timer fires (the hypervisor takes the physical PPI); the guest disables
 * the timer: the redistributor must no longer report it pending, and
 * unmasking must deliver nothing. The old build latched it pending.
 */
#define SGI_ISPENDR0	0x0200

GTEST(irq_vtimer_level)
{
	unsigned int c = cpu_id();
	u64 t0, cval;
	u32 pend_fired, pend_after, got;

	NEED_GIC();
	gicd_on();
	irq_cpu_on(0);
	wr32(ppi_frame(c) + SGI_ICENABLER0, 1U << PPI_VTIMER);
	cval = clock_ticks() + clock_hz() / 1000;	/* 1 ms */
	sysreg_w(cntv_cval_el0, cval);
	sysreg_w(cntv_ctl_el0, 1);			/* ENABLE, not masked */
	t0 = clock_ticks();
	while (!(sysreg_r(cntv_ctl_el0) & 4) || clock_ticks() - cval < clock_hz() / 200)
		if (timed_out(t0, 5))
			break;
	/* Exits until the hypervisor has taken the physical PPI (at most 1 s). */
	t0 = clock_ticks();
	do
		pend_fired = rd32(ppi_frame(c) + SGI_ISPENDR0) & (1U << PPI_VTIMER);
	while (!pend_fired && !timed_out(t0, 1));
	sysreg_w(cntv_ctl_el0, 0);			/* the timer stops asserting */
	pend_after = rd32(ppi_frame(c) + SGI_ISPENDR0) & (1U << PPI_VTIMER);
	wr32(ppi_frame(c) + SGI_ISENABLER0, 1U << PPI_VTIMER);
	t0 = clock_ticks();
	while (clock_ticks() - t0 < clock_hz() / 100)
		(void)rd32(ppi_frame(c) + SGI_ISPENDR0);	/* exits: 10 ms for a delivery */
	got = irqs[c].count[PPI_VTIMER];
	irq_cpu_off();
	if (!pend_fired)
		FAIL("the fired timer never showed pending while masked");
	if (pend_after)
		FAIL("timer disabled: GICR_ISPENDR0 still shows PPI 27 pending");
	if (got)
		FAIL("timer disabled, then unmasked: %u interrupt(s) delivered", got);
	return 0;
}

/*
 * irq_ptimer (issue 14, doc/guest-fidelity.md): the EL1 physical timer
 * (CNTP_*) is the guest's, as on hardware: NR_TICKS interrupts of 1 ms,
 * none early. The old build made every CNTP_* access UNDEFINED.
 */
GTEST(irq_ptimer)
{
	unsigned int c = cpu_id();
	u64 t0 = clock_ticks();
	u32 got;

	NEED_GIC();
	gicd_on();
	irq_cpu_on(1U << PPI_PTIMER);
	for (unsigned int i = 0; i < NR_TICKS; i++) {
		sysreg_w(cntp_cval_el0, sysreg_r(cntpct_el0) + clock_hz() / 1000);
		sysreg_w(cntp_ctl_el0, 1);
		if (!wait_count(PPI_PTIMER, i + 1, t0, 5, NULL))
			break;
	}
	got = irqs[c].count[PPI_PTIMER];
	sysreg_w(cntp_ctl_el0, 0);
	irq_cpu_off();
	if (got != NR_TICKS || irqs[c].early)
		FAIL("%u physical timer interrupts (want %u), %u early", got, NR_TICKS,
		     irqs[c].early);
	return 0;
}

/*
 * irq_vtimer_reassert (doc/boards.md, "QEMU's GICv2 and hardware-mapped
 * deactivation"): the handler re-arms the timer in the past before its EOI,
 * so the level-sensitive line is still high when the guest's deactivation
 * reaches the physical PPI through the HW list register. The PPI is then
 * pending again and must be taken again at once, as on a GIC-400. QEMU's
 * GICv2 model re-evaluates only the virtual CPU interface after such a
 * deactivation; without the hypervisor's resample the physical interrupt
 * stayed unsignalled until some other GIC event anywhere (the Linux guests'
 * power-off hang). The vCPU spins without WFI here: nothing else makes it exit.
 */
#define NR_REASSERT	20

GTEST(irq_vtimer_reassert)
{
	struct irq_cpu *ic = &irqs[cpu_id()];
	u64 t0;
	u32 got;

	NEED_GIC();
	gicd_on();
	irq_cpu_on(1U << PPI_VTIMER);
	__asm__ __volatile__("msr daifset, #2" ::: "memory");
	WRITE_ONCE(ic->reassert, NR_REASSERT);
	sysreg_w(cntv_cval_el0, clock_ticks());
	sysreg_w(cntv_ctl_el0, 1);			/* ENABLE, not masked: fires at once */
	__asm__ __volatile__("isb; msr daifclr, #2" ::: "memory");
	t0 = clock_ticks();
	while (READ_ONCE(ic->count[PPI_VTIMER]) < NR_REASSERT + 1 && !timed_out(t0, 2))
		;
	got = READ_ONCE(ic->count[PPI_VTIMER]);
	irq_cpu_off();
	if (got != NR_REASSERT + 1)
		FAIL("%u of %u timer interrupts taken (2 s): the one after an EOI with the line "
		     "still high never came", got, NR_REASSERT + 1);
	if (ic->spurious)
		FAIL("%u spurious", ic->spurious);
	snprintf(msg, len, "%u timer interrupts, each re-asserted at its EOI", got);
	return 0;
}

/* ---- isolation ---------------------------------------------------------- */

static u8 prio_pattern(unsigned int vm, unsigned int i)
{
	return (u8)(0x10 + 0x40 * (vm & 3) + (i & 0x3f));
}

/*
 * The GICv2 form (doc/boards.md): GICD_PIDR2 (at 0xfe8 in a GICv2) says
 * ArchRev 2; no redistributor and no ITS frame at all; nothing past the
 * GICC's two 4 KiB pages, and nothing at QEMU virt's GICv2 GICH/GICV
 * addresses (the hypervisor's own interface is never the guest's).
 */
#define GICV2_PIDR2	0x0fe8
#define GICV2_NOTHING	{ GICC + 0x2000, 0x08030000UL, 0x08040000UL, GICR(0), GITS }

static const char *isolation_v2(u64 *far)
{
	static const u64 none[] = GICV2_NOTHING;

	if ((rd32(GICD + GICV2_PIDR2) & 0xf0) != 0x20)
		return "GICD_PIDR2 is not a GICv2's";
	for (unsigned int i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
		expect_fault();
		(void)rd32(none[i]);
		if (!fault_taken(far)) {
			*far = none[i];
			return "a GICv2 guest reads a GIC frame that is not its own";
		}
	}
	return NULL;
}

GTEST(irq_isolation)
{
	u32 typer;
	unsigned int lines, spis;
	u64 far, t0;
	u32 en = 0x5a5a5a5aU ^ vm_id;
	const char *why;

	NEED_GIC();
	typer = rd32(GICD + GICD_TYPER);
	lines = 32 * ((typer & 0x1f) + 1);
	spis = lines - 32;
	if (((typer >> 5) & 7) != (nr_cpus > 8 ? 7 : nr_cpus - 1))
		FAIL("GICD_TYPER.CPUNumber %u for %u vCPUs", (typer >> 5) & 7, nr_cpus);
	if (plat.gic == 2) {
		why = isolation_v2(&far);
		if (why)
			FAIL("%s (%lx)", why, far);
		goto distributor;
	}
	if ((rd32(GICD + GIC_PIDR2) & 0xf0) != 0x30)
		FAIL("GICD_PIDR2 %x is not a GICv3", rd32(GICD + GIC_PIDR2));
	for (unsigned int c = 0; c < nr_cpus; c++) {
		u64 t = rd64(GICR(c) + GICR_TYPER);

		if ((t >> 32) != c || !!(t & 0x10) != (c == nr_cpus - 1))
			FAIL("GICR %u: TYPER %lx (affinity or Last wrong)", c, t);
	}
	/* No redistributor beyond this VM's vCPUs, no ITS: an abort, not data. */
	expect_fault();
	(void)rd32(GICR(nr_cpus) + GICR_TYPER);
	if (!fault_taken(&far))
		FAIL("GICR frame %u (beyond %u vCPUs) is readable", nr_cpus, nr_cpus);
	expect_fault();
	(void)rd32(GITS);
	if (!fault_taken(&far))
		FAIL("the ITS at %lx is readable", GITS);
distributor:
	/* Our distributor state is ours while the other VM (if any) writes its own. */
	for (unsigned int i = 0; i < spis; i++)
		wr8(GICD + GICD_IPRIORITYR + 32 + i, prio_pattern(vm_id, i));
	wr32(GICD + GICD_ISENABLER + 4, en);
	t0 = clock_ticks();
	while (!timed_out(t0, 1)) {
		for (unsigned int i = 0; i < spis; i++) {
			u8 p = rd8(GICD + GICD_IPRIORITYR + 32 + i);

			if (p != prio_pattern(vm_id, i))
				FAIL("SPI %u priority %x, wrote %x", 32 + i, p,
				     prio_pattern(vm_id, i));
		}
		if (rd32(GICD + GICD_ISENABLER + 4) != en)
			FAIL("SPI enables %x, wrote %x", rd32(GICD + GICD_ISENABLER + 4), en);
	}
	wr32(GICD + GICD_ICENABLER + 4, ~0U);
	for (unsigned int i = 0; i < spis; i++)
		wr8(GICD + GICD_IPRIORITYR + 32 + i, 0);
	if (plat.gic == 2)
		snprintf(msg, len, "vm%u: %u SPIs, own state kept 1 s, GICv2: no GICR, no ITS, "
			 "nothing past GICC's 8 KiB or at GICH/GICV", vm_id, spis);
	else
		snprintf(msg, len, "vm%u: %u SPIs, own state kept 1 s, no GICR %u, no ITS", vm_id,
			 spis, nr_cpus);
	return 0;
}

/* ---- the emulated PL011's interrupt ------------------------------------- */

#define UART_FR		0x018
#define UART_IMSC	0x038
#define UART_RIS	0x03c
#define UART_MIS	0x040
#define UART_ICR	0x044
#define UART_TXI	(1U << 5)
#define UART_SPI	33
#define GICD_IROUTER	0x6000

static u32 uart_id(unsigned long off)
{
	u32 v = 0;

	for (unsigned int i = 0; i < 4; i++)
		v |= (rd32(UART_BASE + off + 4 * i) & 0xff) << (8 * i);
	return v;
}

/* Wait (bounded) until vCPU 0 took @n interrupts from the UART. */
static bool uart_irqs(u32 n, u64 secs)
{
	u64 t0 = clock_ticks();

	while (READ_ONCE(irqs[0].spi_count) < n)
		if (timed_out(t0, secs))
			return false;
	return READ_ONCE(irqs[0].spi_count) == n;
}

GTEST(irq_vuart)
{
	u32 pid = uart_id(0xfe0), cid = uart_id(0xff0), n;

	NEED_GIC();
	if ((pid & 0xfffff) != 0x41011 || cid != 0xb105f00d)
		FAIL("PL011 IDs %x/%x, want 0x00041011/0xb105f00d", pid, cid);
	if (!(rd32(UART_BASE + UART_FR) & (1U << 7)))
		FAIL("FR %x: TX FIFO not empty", rd32(UART_BASE + UART_FR));
	gicd_on();
	irq_cpu_on(0);
	if (plat.gic == 2)	/* vCPU 0 */
		*(volatile u8 *)(GICD + GICD_ITARGETSR + UART_SPI) = 1;
	else
		*(volatile u64 *)(GICD + GICD_IROUTER + 8 * UART_SPI) = 0;
	wr32(GICD + GICD_ISENABLER + 4, 1U << (UART_SPI - 32));
	/* Every character written has raised TXRIS: unmasking it interrupts. */
	wr32(UART_BASE + UART_IMSC, UART_TXI);
	if (!uart_irqs(1, 5))
		FAIL("unmasked TX interrupt: %u interrupts taken, want 1", irqs[0].spi_count);
	/* The handler masked it (IMSC = 0): raw status stays, masked is clear. */
	if (!(rd32(UART_BASE + UART_RIS) & UART_TXI) || rd32(UART_BASE + UART_MIS))
		FAIL("RIS %x MIS %x: want TX raw, nothing masked", rd32(UART_BASE + UART_RIS),
		     rd32(UART_BASE + UART_MIS));
	wr32(UART_BASE + UART_ICR, UART_TXI);
	if (rd32(UART_BASE + UART_RIS) & UART_TXI)
		FAIL("RIS %x after ICR", rd32(UART_BASE + UART_RIS));
	wr32(UART_BASE + UART_IMSC, UART_TXI);
	if (uart_irqs(2, 1))
		FAIL("TX interrupt after ICR without a new character");
	/* A new character raises it again ('\r' prints nothing). */
	wr32(UART_BASE, '\r');
	n = uart_irqs(2, 5) ? 2 : irqs[0].spi_count;
	wr32(UART_BASE + UART_IMSC, 0);
	wr32(UART_BASE + UART_ICR, 0x7ff);
	wr32(GICD + GICD_ICENABLER + 4, 1U << (UART_SPI - 32));
	irq_cpu_off();
	if (n != 2)
		FAIL("after ICR and one more character: %u interrupts, want 2", n);
	return 0;
}

/* ---- stopping a vCPU that never exits ----------------------------------- */

static void spin_forever(void *arg)
{
	(void)arg;
	__asm__ __volatile__("msr daifset, #0xf\n1:\tb 1b" ::: "memory");
}

/*
 * Must stay the last test: the last vCPU never comes back. It is taken out
 * of nr_cpus so that the framework's system_off() does not wait for it; the
 * SYSTEM_OFF must still stop it (arch_vcpu_kick), or the VM never dies.
 */
GTEST(irq_spin_system_off)
{
	unsigned int c = nr_cpus - 1;

	NEED_GIC();
	if (nr_cpus < 2)
		SKIP("needs 2 vCPUs");
	cpu_run(c, spin_forever, NULL);
	nr_cpus--;
	snprintf(msg, len, "vCPU %u now spins forever with interrupts masked; SYSTEM_OFF must "
		 "stop it", c);
	return 0;
}
