// SPDX-License-Identifier: GPL-2.0
/*
 * fault-during-unmap-{arm64,x86}: a fault on an IPA whose unmap cleared the
 * entry but has not invalidated it yet must not map a new page there (R1/R2,
 * the retry in s2_fault.c; INJECT fault-during-unmap removes it).
 *
 * The random mix found it (random-mix-regressions), but since faults map
 * 2 MiB blocks where they can, its x86 seed no longer reaches the window.
 * Here the window is held open on purpose: cpu0 unmaps one page of a run of
 * 4K pages (so a fault there cannot become a block: the rest of the 2 MiB
 * region stays mapped) in a gather of two pieces, preempted often while the
 * gather is open; cpu1 and cpu2 are vCPUs with demand paging hammering the
 * same 16 pages (writes half the time), so one of them keeps the old
 * translation cached while the other faults the IPA. With the bug the
 * faulting CPU maps a new page beside the cached old one: the next walk of
 * the IPA by the CPU that caches the old page (its own speculation) is a TLB
 * conflict (BBM), before the gather's invalidation lands.
 */
#include "harness.h"
#include <hyp/string.h>

#define FU_PAGES	16
#define FU_FAR		SZ_2M	/* the gather's second piece: another 2 MiB region */

static struct {
	struct hvm h;
	volatile int stop;
} fu;

static void fu_unmapper(unsigned int cpu, void *arg)
{
	for (int round = 0; round < 60; round++) {
		u64 ipas[2] = { sim_rand_below(FU_PAGES) << PAGE_SHIFT,
				FU_FAR + (sim_rand_below(FU_PAGES) << PAGE_SHIFT) };
		u64 sizes[2] = { PAGE_SIZE, PAGE_SIZE };

		for (int k = (int)sim_rand_below(40); k; k--)
			sim_yield();	/* let the vCPUs cache the pages again */
		sim_nap_bias(150);	/* preempted inside the open gather: the window */
		h_unmap_gather(&fu.h, ipas, sizes, 2);
		sim_nap_bias(0);
	}
	fu.stop = 1;
}

static void fu_vcpu(unsigned int cpu, void *arg)
{
	struct h_vcpu vc = { .h = &fu.h, .lo = 0, .hi = FU_PAGES * PAGE_SIZE,
			     .n = 100000, .write_pct = 50, .stop = &fu.stop };

	h_vcpu_run(&vc);
}

static int fu_run(u64 seed)
{
	sim_prog_fn progs[3] = { fu_unmapper, fu_vcpu, fu_vcpu };

	memset(&fu, 0, sizeof(fu));
	h_init(8);
	if (h_vm_create(&fu.h, 0, 2 * SZ_2M, H_BACK_ALLOC, 0) ||
	    h_map_owned(&fu.h, 0, 64 * PAGE_SIZE, S2_PROT_R | S2_PROT_W, false, 0) ||
	    h_map_owned(&fu.h, FU_FAR, 64 * PAGE_SIZE, S2_PROT_R | S2_PROT_W, false, 0))
		return 1;
	sim_run(progs, NULL);
	return 0;
}

static void fu_setup_arm(u64 seed, struct sim_config *cfg)
{
	h_setup(cfg, SIM_ARM64, 3, seed);
}

static void fu_setup_x86(u64 seed, struct sim_config *cfg)
{
	h_setup(cfg, SIM_X86, 3, seed);
}

static const struct simtest t_fu_arm = {
	.name = "fault-during-unmap-arm64", .setup = fu_setup_arm, .run = fu_run,
	.what = "vCPUs fault on a page whose unmap is cleared but not yet invalidated: "
		"no new page before the invalidation (R1/R2, BBM)",
	.seeds = 40, .soak_seeds = 500,
};
static const struct simtest t_fu_x86 = {
	.name = "fault-during-unmap-x86", .setup = fu_setup_x86, .run = fu_run,
	.what = "same on x86",
	.seeds = 40, .soak_seeds = 500,
};
SIMTEST(t_fu_arm)
SIMTEST(t_fu_x86)
