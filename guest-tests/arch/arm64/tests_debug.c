// SPDX-License-Identifier: GPL-2.0
/*
 * Issue 14 item 2, debug registers (doc/guest-fidelity.md "Debug
 * registers"): they are per vCPU, and nothing of another VM, of an earlier
 * vCPU or VM on the same CPU, or of the hypervisor shows through them.
 *
 *   debug_regs_per_vcpu  every vCPU starts with the defined reset state
 *                        (breakpoint/watchpoint registers and MDSCR_EL1 0,
 *                        OS lock locked); each writes values made of its VM
 *                        number and vCPU index to every DBGBVR/BCR/WVR/WCR
 *                        the ID register advertises and to MDSCR_EL1, and
 *                        reads back its own after ~0.3 s of exits; a vCPU
 *                        turned off and on again (PSCI) starts afresh, not
 *                        with its predecessor's values (the old build passed
 *                        them through: they stayed in the CPU).
 */
#include "guest.h"

#define mrs(r) ({ u64 __v; __asm__ __volatile__("mrs %0, " #r : "=r"(__v)); __v; })
#define msr(r, v) __asm__ __volatile__("msr " #r ", %0" :: "r"((u64)(v)))

#define MDSCR_TDCC	(1UL << 12)
#define MDSCR_MDE	(1UL << 15)
#define MDSCR_MASK	(MDSCR_TDCC | MDSCR_MDE | (1UL << 13) | 1UL)	/* TDCC, MDE, KDE, SS */

/* op2 4/5/6/7: DBGBVR/BCR/WVR/WCR<n>_EL1 = S2_0_C0_C<n>_<op2> (constant encodings) */
#define ONE(n, k)	case (n) * 8 + (k):					\
		if (w)								\
			msr(s2_0_c0_c##n##_##k, v);				\
		return mrs(s2_0_c0_c##n##_##k)
#define FOUR(n)		ONE(n, 4); ONE(n, 5); ONE(n, 6); ONE(n, 7)

static u64 dbg(unsigned int n, unsigned int op2, bool w, u64 v)
{
	switch (n * 8 + op2) {
	FOUR(0); FOUR(1); FOUR(2); FOUR(3); FOUR(4); FOUR(5); FOUR(6); FOUR(7);
	FOUR(8); FOUR(9); FOUR(10); FOUR(11); FOUR(12); FOUR(13); FOUR(14); FOUR(15);
	default:
		return 0;
	}
}

static unsigned int nr(unsigned int op2)
{
	return ((mrs(id_aa64dfr0_el1) >> (op2 < 6 ? 12 : 20)) & 0xf) + 1;
}

static const char *const names[] = { "DBGBVR", "DBGBCR", "DBGWVR", "DBGWCR" };

/* This vCPU's value for register op2 <n>: VM number and vCPU index in it; E = 0 (off). */
static u64 pattern(unsigned int n, unsigned int op2)
{
	u64 vm = vm_id + 1, c = cpu_id(), lbn = (vm * 4 + c + n) & 0xf;

	switch (op2) {
	case 4:
		return vm << 32 | c << 24 | (u64)n << 8 | 0x40;
	case 5:		/* LBN, BAS 0xf, PMC EL1+EL0 */
		return lbn << 16 | 0xfUL << 5 | 3UL << 1;
	case 6:
		return vm << 32 | c << 24 | (u64)n << 8 | 0x80;
	default:	/* LBN, BAS 0xff, LSC load+store, PAC EL1+EL0 */
		return lbn << 16 | 0xffUL << 5 | 3UL << 3 | 3UL << 1;
	}
}

static u64 mdscr_pattern(void)
{
	return MDSCR_TDCC | ((vm_id + cpu_id()) & 1 ? MDSCR_MDE : 0);
}

struct dbg_result {
	char msg[160];
	int bad;
} __attribute__((aligned(64)));
static struct dbg_result res[GUEST_MAX_CPUS];

#define BAD(...) do { snprintf(r->msg, sizeof(r->msg), __VA_ARGS__); r->bad = 1; return; } while (0)

/* The defined start state: every register 0, MDSCR_EL1 0, OS lock locked. */
static void check_reset(struct dbg_result *r, const char *when)
{
	u64 v;

	for (unsigned int op2 = 4; op2 <= 7; op2++)
		for (unsigned int n = 0; n < nr(op2); n++)
			if ((v = dbg(n, op2, false, 0)))
				BAD("cpu%u %s: %s%u_EL1 = %lx, want 0 (a predecessor's value)",
				    cpu_id(), when, names[op2 - 4], n, v);
	if ((v = mrs(mdscr_el1) & MDSCR_MASK))
		BAD("cpu%u %s: MDSCR_EL1 = %lx, want 0", cpu_id(), when, v);
	if (!(mrs(oslsr_el1) & 2))
		BAD("cpu%u %s: OSLSR_EL1 = %lx: OS lock not locked", cpu_id(), when,
		    mrs(oslsr_el1));
}

static u64 saved[GUEST_MAX_CPUS][4][16];

/* Write this vCPU's values, spend ~0.3 s exiting to the hypervisor, read them back. */
static void own_values(struct dbg_result *r)
{
	unsigned int c = cpu_id();
	u64 v, t0;

	for (unsigned int op2 = 4; op2 <= 7; op2++)
		for (unsigned int n = 0; n < nr(op2); n++) {
			v = dbg(n, op2, true, pattern(n, op2));
			if ((op2 == 4 || op2 == 6) && v != pattern(n, op2))
				BAD("cpu%u: %s%u_EL1 reads %lx right after writing %lx", c,
				    names[op2 - 4], n, v, pattern(n, op2));
			saved[c][op2 - 4][n] = v;
		}
	msr(mdscr_el1, mdscr_pattern());
	__asm__ __volatile__("isb");
	for (t0 = clock_ticks(); clock_ticks() - t0 < clock_hz() / 3;)
		hyp_call(HC_VERSION, 0, 0, 0);		/* exits */
	for (unsigned int op2 = 4; op2 <= 7; op2++)
		for (unsigned int n = 0; n < nr(op2); n++)
			if ((v = dbg(n, op2, false, 0)) != saved[c][op2 - 4][n])
				BAD("vm%u cpu%u: %s%u_EL1 = %lx after exits, wrote %lx", vm_id, c,
				    names[op2 - 4], n, v, saved[c][op2 - 4][n]);
	if ((v = mrs(mdscr_el1) & MDSCR_MASK) != mdscr_pattern())
		BAD("vm%u cpu%u: MDSCR_EL1 = %lx after exits, wrote %lx", vm_id, c, v,
		    mdscr_pattern());
}

static void clear_all(void)
{
	for (unsigned int op2 = 4; op2 <= 7; op2++)
		for (unsigned int n = 0; n < nr(op2); n++)
			dbg(n, op2, true, 0);
	msr(mdscr_el1, 0);
}

static void secondary_work(void *arg)
{
	struct dbg_result *r = &res[cpu_id()];

	(void)arg;
	check_reset(r, "at start");
	if (r->bad)
		return;
	own_values(r);
	msr(oslar_el1, 0);		/* unlocked: the restarted vCPU must find it locked */
	if (!r->bad && (mrs(oslsr_el1) & 2))
		BAD("cpu%u: OSLSR_EL1 = %lx after OSLAR_EL1 = 0", cpu_id(), mrs(oslsr_el1));
}

static void secondary_fresh(void *arg)
{
	(void)arg;
	check_reset(&res[cpu_id()], "after CPU_OFF/CPU_ON");
}

GTEST(debug_regs_per_vcpu)
{
	struct dbg_result *r0 = &res[0], *r1 = &res[1];

	check_reset(r0, "at start");
	if (r0->bad)
		FAIL("%s", r0->msg);
	if (nr_cpus > 1)
		cpu_run(1, secondary_work, NULL);
	own_values(r0);
	clear_all();
	if (r0->bad)
		FAIL("%s", r0->msg);
	snprintf(msg, len, "vm%u: %u breakpoints, %u watchpoints, MDSCR_EL1; %u vCPU(s)%s", vm_id,
		 nr(4), nr(6), nr_cpus, nr_cpus > 1 ? ", vCPU 1 restarted afresh" : "");
	if (nr_cpus < 2)
		return 0;
	cpu_wait(1);
	if (r1->bad)
		FAIL("%s", r1->msg);
	if (cpu_restart(1))
		FAIL("CPU_ON(1) failed after CPU_OFF");
	cpu_run(1, secondary_fresh, NULL);
	cpu_wait(1);
	if (r1->bad)
		FAIL("%s", r1->msg);
	return 0;
}

/*
 * debug_breakpoint_fires: the breakpoints and watchpoints a guest programs
 * work for it (MDCR_EL2.TDE 0: their exceptions come to its EL1): a
 * breakpoint on an instruction at EL1 (EC 0x31) and a watchpoint on a load
 * (EC 0x35, FAR the address). Fails if the hypervisor only kept the values
 * without giving them to the CPU, or routed debug exceptions to EL2.
 */
static volatile u64 watched __attribute__((aligned(8)));

GTEST(debug_breakpoint_fires)
{
	u64 bcr = 0xfUL << 5 | 1UL << 1 | 1;		/* BAS 0xf, PMC EL1, E */
	u64 wcr = 0xffUL << 5 | 1UL << 3 | 1UL << 1 | 1;	/* BAS 0xff, LSC load, PAC EL1, E */
	u64 oslsr = mrs(oslsr_el1), syn, far, addr, v;

	msr(oslar_el1, 0);
	msr(mdscr_el1, MDSCR_MDE | (1UL << 13));	/* MDE, KDE */
	__asm__ __volatile__("isb");
	expect_fault();
	__asm__ __volatile__("adr %0, 1f\n\tmsr s2_0_c0_c0_4, %0\n\tmsr s2_0_c0_c0_5, %1\n\tisb\n\t"
			     "msr daifclr, #8\n\tisb\n1:\tnop\n\tmsr daifset, #8\n\tisb"
			     : "=&r"(addr) : "r"(bcr) : "memory");
	syn = fault_taken(NULL);
	dbg(0, 5, true, 0);
	dbg(0, 4, true, 0);
	expect_fault();
	dbg(0, 6, true, (u64)&watched);
	dbg(0, 7, true, wcr);
	__asm__ __volatile__("isb\n\tmsr daifclr, #8\n\tisb\n\tldr %0, [%1]\n\tmsr daifset, #8\n\tisb"
			     : "=&r"(v) : "r"(&watched) : "memory");
	(void)v;
	v = fault_taken(&far);
	dbg(0, 7, true, 0);
	dbg(0, 6, true, 0);
	msr(mdscr_el1, 0);
	msr(oslar_el1, (oslsr >> 1) & 1);
	__asm__ __volatile__("isb");
	if (syn >> 26 != 0x31)
		FAIL("breakpoint at %lx: ESR %lx, want EC 0x31 (breakpoint, current EL)", addr, syn);
	if (v >> 26 != 0x35)
		FAIL("watchpoint on %lx: ESR %lx, want EC 0x35 (watchpoint, current EL)",
		     (u64)&watched, v);
	if (far != (u64)&watched)
		FAIL("watchpoint: FAR %lx, want %lx", far, (u64)&watched);
	snprintf(msg, len, "breakpoint ESR %lx, watchpoint ESR %lx", syn, v);
	return 0;
}
