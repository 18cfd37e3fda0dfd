// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests of the machine model, independent of hyp/mm: a tiny hand-written
 * "manager" builds arm64 stage-2 tables and breaks each rule on purpose. Every
 * negative control must be reported by the model (a check that cannot fail is
 * a defect); the positive control (correct order) must never be.
 */
#include "simtest.h"
#include <hyp/palloc.h>
#include <hyp/arch.h>
#include <hyp/string.h>

#define DESC_TABLE(pa)	((pa) | 3ULL)
#define DESC_PAGE(pa, w) ((pa) | 3ULL | (1ULL << 6) | ((u64)(w) << 7) | (1ULL << 10))

static u64 alloc_page(void)
{
	paddr_t pa;

	if (!palloc_alloc(0, &pa))
		sim_violation("SETUP", 0, 0, 0, "out of memory");
	return pa_addr(pa);
}

static u64 *slot_of(u64 table, u64 ipa, int level)
{
	return (u64 *)pa_to_ptr(pa_init(table)) + ((ipa >> sim_level_shift(level)) & 511);
}

/* Map one 4K page, creating tables; returns the level-3 table. */
static u64 st_map(u64 root, u64 ipa, u64 pa, bool w)
{
	u64 table = root;

	for (int l = 0; l < 3; l++) {
		u64 *p = slot_of(table, ipa, l);

		if (!(*p & 1))
			WRITE_ONCE(*p, DESC_TABLE(alloc_page()));
		table = *p & GENMASK(47, 12);
		arch_sched_point();
	}
	WRITE_ONCE(*slot_of(table, ipa, 3), DESC_PAGE(pa, w));
	arch_sched_point();
	return table;
}

static u64 *st_pte(u64 root, u64 ipa, int level)
{
	u64 table = root;

	for (int l = 0; l < level; l++)
		table = *slot_of(table, ipa, l) & GENMASK(47, 12);
	return slot_of(table, ipa, level);
}

static void st_clear(u64 *p)
{
	WRITE_ONCE(*p, 0);
	arch_sched_point();
}

/* ---- shared scenario: cpu0 runs the guest, cpu1 "manages" ------------------ */

enum st_bug {
	ST_CORRECT, ST_FREE_BEFORE_FLUSH, ST_LEAF_ONLY_TABLE_FREE, ST_TEARDOWN_LIVE,
	ST_X86_SUBSET, ST_NO_FLUSH_GONE, ST_LOST_WRITE, ST_VMID_ALIAS, ST_UAF_READ,
	ST_NO_SYNC,
};

static struct {
	enum st_bug bug;
	u64 root, root2, data, l3;
	struct arch_s2_tlb_ctx ctx, ctx2;
	struct sim_barrier bar;
	volatile int phase;
} st;

#define IPA	0x40201000ULL

static void guest_cpu(unsigned int cpu, void *arg)
{
	u64 v = 0x1234;

	(void)arg;
	arch_s2_load(&st.ctx);
	for (int i = 0; i < 4; i++) {
		sim_guest_access(0, ipa_init(IPA), true, &v);
		sim_guest_access(0, ipa_init(IPA + 0x1000 * (u64)i), false, &v);
	}
	sim_barrier_wait(&st.bar, 2);	/* mapped and used: manager goes */
	if (st.bug == ST_TEARDOWN_LIVE) {
		/* stays loaded a while, as a lazily switched CPU does */
		for (int i = 0; i < 200; i++)
			sim_yield();
	}
	if (st.bug == ST_LOST_WRITE) {
		for (int i = 0; i < 50 && st.phase < 2; i++) {
			v = (u64)i;
			sim_guest_access(0, ipa_init(IPA), true, &v);
			sim_yield();
		}
	}
	sim_barrier_wait(&st.bar, 2);
	arch_s2_load(NULL);
	if (st.bug == ST_VMID_ALIAS) {
		arch_s2_load(&st.ctx2);	/* same VMID, another root, no flush */
		sim_guest_access(1, ipa_init(IPA), false, &v);
		arch_s2_load(NULL);
	}
}

static void mgr_cpu(unsigned int cpu, void *arg)
{
	u64 *pte = st_pte(st.root, IPA, 3);
	u64 *pmd = st_pte(st.root, IPA, 2);

	(void)arg;
	sim_barrier_wait(&st.bar, 2);
	switch (st.bug) {
	case ST_CORRECT:
		st_clear(pte);
		arch_s2_inval_ipa(&st.ctx, ipa_init(IPA), 3, true);
		arch_s2_inval_sync(&st.ctx);
		sim_check_range("unmap", st.ctx.vmid, st.ctx.root, ipa_init(IPA), PAGE_SIZE, SIM_CHECK_GONE);
		palloc_free(pa_init(st.data), 0);
		st_clear(pmd);
		arch_s2_inval_ipa(&st.ctx, ipa_init(IPA), 2, false);
		arch_s2_inval_sync(&st.ctx);
		palloc_free(pa_init(st.l3), 0);
		break;
	case ST_FREE_BEFORE_FLUSH:
		st_clear(pte);
		palloc_free(pa_init(st.data), 0);	/* R1: before the TLBI */
		arch_s2_inval_ipa(&st.ctx, ipa_init(IPA), 3, true);
		arch_s2_inval_sync(&st.ctx);
		break;
	case ST_NO_SYNC:
		st_clear(pte);
		arch_s2_inval_ipa(&st.ctx, ipa_init(IPA), 3, true);
		palloc_free(pa_init(st.data), 0);	/* R1: issued, not complete */
		arch_s2_inval_sync(&st.ctx);
		break;
	case ST_LEAF_ONLY_TABLE_FREE:
		st_clear(pmd);
		arch_s2_inval_ipa(&st.ctx, ipa_init(IPA), 3, true);	/* walk cache kept */
		arch_s2_inval_sync(&st.ctx);
		palloc_free(pa_init(st.l3), 0);
		break;
	case ST_TEARDOWN_LIVE:
		/* R3: flush once up front while cpu0 still has the VMID loaded */
		arch_s2_inval_vmid(&st.ctx);
		arch_s2_inval_sync(&st.ctx);
		for (int i = 0; i < 100; i++)
			sim_yield();
		st_clear(pmd);
		palloc_free(pa_init(st.l3), 0);
		break;
	case ST_X86_SUBSET:
		st_clear(pte);
		{
			struct arch_s2_tlb_ctx c = st.ctx;

			c.cpus = 1ULL << cpu;	/* only ourselves */
			arch_s2_inval_ipa(&c, ipa_init(IPA), 3, true);
			arch_s2_inval_sync(&c);
		}
		palloc_free(pa_init(st.data), 0);
		break;
	case ST_NO_FLUSH_GONE:
		st_clear(pte);
		sim_check_range("unmap", st.ctx.vmid, st.ctx.root, ipa_init(IPA), PAGE_SIZE,
				SIM_CHECK_GONE);
		break;
	case ST_LOST_WRITE:
		sim_dirty_start(0);
		/* harvest: report the page, write-protect, but forget the TLBI */
		for (int i = 0; i < 5; i++)
			sim_yield();
		WRITE_ONCE(*pte, DESC_PAGE(st.data, false));
		sim_dirty_reported(0, ipa_init(IPA));
		for (int i = 0; i < 60; i++)
			sim_yield();
		st.phase = 2;
		sim_dirty_check_all(0, "final harvest");
		break;
	case ST_VMID_ALIAS:
		break;
	case ST_UAF_READ:
		st_clear(pmd);
		arch_s2_inval_ipa(&st.ctx, ipa_init(IPA), 2, false);
		arch_s2_inval_sync(&st.ctx);
		palloc_free(pa_init(st.l3), 0);
		/* a "lockless walker" still holding the table pointer */
		(void)READ_ONCE(*(volatile u64 *)pa_to_ptr(pa_init(st.l3)));
		break;
	}
	sim_barrier_wait(&st.bar, 2);
}

static void st_setup_common(u64 seed, struct sim_config *cfg, enum sim_flavour fl)
{
	cfg->ncpus = 2;
	cfg->flavour = fl;
	cfg->mem_size = 16ULL << 20;
	cfg->spec_permille = 400;
	cfg->max_steps = 200000;
	(void)seed;
}

static int st_run(enum st_bug bug)
{
	sim_prog_fn progs[2];

	memset(&st, 0, sizeof(st));
	st.bug = bug;
	st.root = alloc_page();
	st.root2 = alloc_page();
	st.data = alloc_page();
	sim_vm_register(0, 1ULL << 31);
	sim_vm_register(1, 1ULL << 31);
	st.l3 = st_map(st.root, IPA, st.data, true);
	for (u64 i = 1; i < 4; i++)
		st_map(st.root, IPA + i * PAGE_SIZE, alloc_page(), true);
	st_map(st.root2, IPA, alloc_page(), true);
	st.ctx = (struct arch_s2_tlb_ctx){ .vmid = 1, .root = pa_init(st.root), .cpus = 3 };
	st.ctx2 = (struct arch_s2_tlb_ctx){ .vmid = 1, .root = pa_init(st.root2), .cpus = 3 };
	/* cpu0 = guest, cpu1 = manager, whichever runs first */
	progs[0] = guest_cpu;
	progs[1] = mgr_cpu;
	sim_run(progs, NULL);
	return 0;
}

#define SELFTEST(id, bug, fl, rule, desc)					\
	static void setup_##id(u64 seed, struct sim_config *cfg)		\
	{ st_setup_common(seed, cfg, fl); }					\
	static int run_##id(u64 seed) { (void)seed; return st_run(bug); }	\
	static const struct simtest t_##id = {					\
		.name = "model-" #id, .what = desc, .setup = setup_##id,	\
		.run = run_##id, .seeds = 40, .soak_seeds = 400, .expect = rule, \
	};									\
	SIMTEST(t_##id)

SELFTEST(correct_order, ST_CORRECT, SIM_ARM64, NULL,
	 "clear, invalidate, sync, then free: never a violation");
SELFTEST(correct_order_x86, ST_CORRECT, SIM_X86, NULL,
	 "same on x86 (IPI to the ran set)");
SELFTEST(free_before_flush, ST_FREE_BEFORE_FLUSH, SIM_ARM64, "R1",
	 "data page freed before the TLBI: R1 reported");
SELFTEST(free_before_sync, ST_NO_SYNC, SIM_ARM64, "R1",
	 "freed after the TLBI was issued, before it completed: R1 reported");
SELFTEST(leaf_only_table_free, ST_LEAF_ONLY_TABLE_FREE, SIM_ARM64, "R1",
	 "table freed after a leaf-only TLBI (walk cache kept): R1 reported");
SELFTEST(teardown_live, ST_TEARDOWN_LIVE, SIM_ARM64, "R1",
	 "flush-once teardown while another CPU has the VMID loaded: R1 reported");
SELFTEST(x86_ipi_subset, ST_X86_SUBSET, SIM_X86, "R1",
	 "x86 shootdown of the local CPU only: R1 reported");
SELFTEST(gone_without_flush, ST_NO_FLUSH_GONE, SIM_ARM64, "GONE",
	 "unmap returns with no TLBI: 'gone means gone' reported");
SELFTEST(lost_write, ST_LOST_WRITE, SIM_ARM64, "R4",
	 "harvest write-protects without TLBI, stale writable entry: R4 reported");
SELFTEST(vmid_alias, ST_VMID_ALIAS, SIM_ARM64, "R7",
	 "VMID reused for another root without a flush: R7 reported");
SELFTEST(uaf_read, ST_UAF_READ, SIM_ARM64, "R6",
	 "hyp code reads a freed table (mprotect + SIGSEGV): R6 reported");
