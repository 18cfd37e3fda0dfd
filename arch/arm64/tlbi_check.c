// SPDX-License-Identifier: GPL-2.0
/*
 * Validation build (make TLBI_CHECK=1): arm64 checks its own TLB
 * maintenance at run time against the ordering rules of the simulation's
 * instruction model (doc/simulation.md A1-A3), per CPU, from the same
 * arm64/tlbi.h wrappers that execute the instructions:
 *   A3  a TLBI issued after a descriptor write with no DSB ISHST / ISH in
 *       between (hyp/mm calls arch_sched_point() before every descriptor
 *       access: in this build it marks "stores may be un-barriered")
 *   A2  a TLBI issued after an MSR VTTBR_EL2 with no ISB in between
 *   A1  a TLBI by IPA / VMALLS12E1 / VMALLE1 whose VMID (VTTBR_EL2 now) is
 *       not the one tlb.c borrowed (tlbi_check_want_vmid())
 * A violation prints "TLBI-CHECK:" with the CPU, the instruction, its
 * operand (the IPA where it has one) and this CPU's last 16 operations,
 * and counts; the hypervisor goes on. Not a ghost stage 2: a missing or
 * too-narrow invalidation is the simulation's to find.
 * Off by default: without CONFIG_TLBI_CHECK this file is empty.
 */
#include <hyp/arch.h>
#include <hyp/console.h>
#include <arm64/tlbi.h>

#ifdef CONFIG_TLBI_CHECK

#define RING	16

static struct tlbi_check_cpu {
	bool unordered;		/* a descriptor access since the last DSB */
	bool vttbr_unsynced;	/* MSR VTTBR_EL2 since the last ISB */
	int want_vmid;		/* -1: no expectation */
	u64 vttbr;		/* last written */
	u64 ring[RING];		/* op << 56 | operand (low 56 bits) */
	unsigned int next;
} cpus[HYP_MAX_CPUS];

u64 tlbi_check_violations;

static struct tlbi_check_cpu *me(void)
{
	unsigned int c = arch_cpu_id();

	return &cpus[c < HYP_MAX_CPUS ? c : 0];
}

static void log_op(struct tlbi_check_cpu *c, unsigned int op, u64 arg)
{
	c->ring[c->next++ % RING] = (u64)op << 56 | (arg & GENMASK(55, 0));
}

/* ring op codes: 0..7 TLBIs (enum arm64_tlbi_op), 8.. barriers, 12 MSR VTTBR, 13 write */
static const char *const op_name[] = {
	"tlbi ipas2e1is", "tlbi ipas2le1is", "tlbi ripas2e1is", "tlbi ripas2le1is",
	"tlbi vmalle1is", "tlbi vmalls12e1is", "tlbi alle1is", "tlbi vmalle1",
	"dsb ish", "dsb ishst", "isb", "?", "msr vttbr_el2", "descriptor access",
};

static void violation(struct tlbi_check_cpu *c, const char *rule, const char *what,
		      unsigned int op, u64 xt)
{
	tlbi_check_violations++;
	pr_err("TLBI-CHECK: cpu%u: %s: %s %#llx (IPA %#llx) %s; last operations:\n",
	       arch_cpu_id(), rule, op_name[op], xt, (xt & GENMASK(35, 0)) << 12, what);
	for (unsigned int i = 0; i < RING; i++) {
		u64 e = c->ring[(c->next + i) % RING];

		if (e)
			pr_err("TLBI-CHECK:   %s %#llx\n", op_name[(e >> 56) & 15],
			       e & GENMASK(55, 0));
	}
}

void arch_sched_point(void)
{
	struct tlbi_check_cpu *c = me();

	if (!c->unordered)
		log_op(c, 13, 0);
	c->unordered = true;
}

void tlbi_check_want_vmid(int vmid)
{
	me()->want_vmid = vmid;
}

void tlbi_check_tlbi(unsigned int op, u64 xt)
{
	struct tlbi_check_cpu *c = me();

	log_op(c, op, xt);
	if (c->unordered)
		violation(c, "A3", "issued before the descriptor writes were ordered "
			  "(no DSB ISHST since)", op, xt);
	if (c->vttbr_unsynced)
		violation(c, "A2", "issued after MSR VTTBR_EL2 without an ISB", op, xt);
	if (op != A64_TLBI_ALLE1IS && c->want_vmid >= 0 &&
	    (int)((c->vttbr >> 48) & 0xffff) != c->want_vmid)
		violation(c, "A1", "issued under another VMID than the one being invalidated",
			  op, xt);
}

void tlbi_check_barrier(unsigned int b)
{
	struct tlbi_check_cpu *c = me();

	log_op(c, 8 + b, 0);
	if (b == A64_DSB_ISH || b == A64_DSB_ISHST)
		c->unordered = false;
	else
		c->vttbr_unsynced = false;
}

void tlbi_check_msr(unsigned int r, u64 v)
{
	struct tlbi_check_cpu *c = me();

	if (r != A64_VTTBR_EL2)
		return;
	log_op(c, 12, v);
	c->vttbr = v;
	c->vttbr_unsynced = true;
}

#endif
