// SPDX-License-Identifier: GPL-2.0
/*
 * Page migration (hyp/mm/s2_migrate.c) against vCPUs writing the pages being
 * migrated: break, invalidate, copy, make, free. The ground truth is the
 * value: every vCPU owns its pages (one writer per page) and remembers the
 * last value it stored in each; reading back anything else is a lost write
 * (the copy was taken while a stale TLB entry still let the old page be
 * written: INJECT=migrate-copy-before-flush) or a stale read. Freed-page
 * accesses are caught by the model itself (R1).
 */
#include "harness.h"
#include <hyp/palloc.h>
#include <hyp/string.h>
#include <hyp/mm/s2_migrate.h>

#define MG_PAGES	16	/* pages 0..7 written by CPU 0, 8..15 by CPU 1 */
#define MG_WIN		(MG_PAGES * PAGE_SIZE)

static struct {
	struct hvm h;
	struct sim_barrier bar;
	volatile int done;
	u64 last[MG_PAGES][4];	/* value last stored in each slot by its owner (0: none yet) */
} mg;

/* One access with fault handling; false if it never got through. */
static bool mg_access(u64 ipa, bool write, u64 *val)
{
	for (int tries = 0; tries < 64; tries++) {
		enum sim_access r = sim_guest_access(mg.h.handle, ipa_init(ipa), write, val);
		int ret;

		if (r == SIM_ACC_OK)
			return true;
		if (r == SIM_ACC_NOCTX)
			return false;
		ret = s2_handle_fault(&mg.h.vm, ipa_init(ipa), write, false);
		if (ret && ret != -E_AGAIN && ret != -E_EXIST)
			return false;
	}
	return false;
}

static void mg_writer(unsigned int cpu, void *arg)
{
	unsigned int first = cpu ? MG_PAGES / 2 : 0;

	sim_barrier_wait(&mg.bar, 3);
	if (s2_vm_enter(&mg.h.vm))
		goto out;
	for (u64 seq = 1; !mg.done; seq++) {
		unsigned int i = first + (unsigned int)sim_rand_below(MG_PAGES / 2);
		unsigned int k = (unsigned int)sim_rand_below(4);
		u64 ipa = (u64)i * PAGE_SIZE + 8 * k;
		u64 v = (seq << 8) | cpu, got;

		if (s2_vm_exit_requested(&mg.h.vm)) {
			s2_vm_exit(&mg.h.vm);
			if (s2_vm_enter(&mg.h.vm))
				break;
		}
		if (sim_rand_below(2)) {
			if (mg_access(ipa, true, &v))
				mg.last[i][k] = v;
		} else if (mg_access(ipa, false, &got) && got != mg.last[i][k]) {
			sim_violation("lost-write", 0, ipa, 0,
				      "page %u slot %u: read %#llx, last written %#llx (a write was "
				      "lost in a migration, or a stale page was read)",
				      i, k, got, mg.last[i][k]);
		}
	}
	s2_vm_exit(&mg.h.vm);
out:
	sim_barrier_wait(&mg.bar, 3);
}

static void mg_migrator(unsigned int cpu, void *arg)
{
	sim_barrier_wait(&mg.bar, 3);
	for (int n = 0; n < 24; n++) {
		u64 ipa = sim_rand_below(MG_PAGES) * PAGE_SIZE;
		paddr_t pa;

		if (!palloc_alloc(0, &pa))
			break;
		if (s2_migrate(&mg.h.vm, ipa_init(ipa), pa))
			palloc_free(pa, 0);
		for (u64 k = sim_rand_below(12); k; k--)
			sim_yield();
	}
	mg.done = 1;
	sim_barrier_wait(&mg.bar, 3);
}

static void mg_setup_arm(u64 seed, struct sim_config *cfg) { h_setup(cfg, SIM_ARM64, 3, seed); }
static void mg_setup_x86(u64 seed, struct sim_config *cfg) { h_setup(cfg, SIM_X86, 3, seed); }

static int mg_run(u64 seed)
{
	sim_prog_fn progs[3] = { mg_writer, mg_writer, mg_migrator };

	memset(&mg, 0, sizeof(mg));
	h_init(8);
	if (h_vm_create(&mg.h, 0, MG_WIN, H_BACK_NONE, 0))
		return 1;
	if (h_map_owned(&mg.h, 0, MG_WIN, S2_PROT_R | S2_PROT_W, false, 0))
		return 1;
	sim_run(progs, NULL);
	return 0;
}

static const struct simtest t_mg_arm = {
	.name = "migrate-vs-writers-arm64", .setup = mg_setup_arm, .run = mg_run,
	.what = "page migration while vCPUs write the pages: copy only after the "
		"invalidation completed, no write lost",
	.seeds = 200, .soak_seeds = 3000,
};
static const struct simtest t_mg_x86 = {
	.name = "migrate-vs-writers-x86", .setup = mg_setup_x86, .run = mg_run,
	.what = "same on x86",
	.seeds = 150, .soak_seeds = 2000,
};
SIMTEST(t_mg_arm)
SIMTEST(t_mg_x86)
