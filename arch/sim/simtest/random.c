// SPDX-License-Identifier: GPL-2.0
/*
 * Randomized runs: every operation of hyp/mm, on several VMs, from every
 * simulated CPU, interleaved by the seed; plus two focused scenarios that
 * the seed documents do not cover: VMID rollover (R7) and block split /
 * collapse (break-before-make).
 */
#include "harness.h"
#include <hyp/palloc.h>
#include <hyp/string.h>

#define MiB	(1ULL << 20)
#define R_VMS	4
#define R_WIN	(8 * MiB)

static struct {
	struct hvm h[R_VMS];
	volatile int busy[R_VMS];	/* harness ops in progress per VM */
	volatile int destroying[R_VMS];
	struct sim_barrier bar;
	unsigned int ncpus;
	unsigned int ops;
} rm;

static bool vm_get(unsigned int v)
{
	if (rm.destroying[v] || !rm.h[v].alive)
		return false;
	rm.busy[v]++;		/* no scheduling point between test and increment */
	return true;
}

static void vm_put(unsigned int v)
{
	rm.busy[v]--;
}

static u64 rpage(u64 lo, u64 hi)
{
	return lo + (sim_rand_below((hi - lo) >> PAGE_SHIFT) << PAGE_SHIFT);
}

static void r_vcpu(unsigned int v)
{
	struct hvm *h = &rm.h[v];
	struct h_vcpu vc = { .h = h, .lo = 0, .hi = R_WIN,
			     .n = 5 + (unsigned int)sim_rand_below(25),
			     .write_pct = 40, .lazy = (unsigned int)sim_rand_below(2) * 50 };

	if (sim_rand_below(2)) {	/* stay near one 2M region */
		vc.lo = sim_rand_below(R_WIN / SZ_2M) * SZ_2M;
		vc.hi = vc.lo + SZ_2M;
	}
	/*
	 * Only the entry is counted as "busy" (h_vcpu_run drops it after its
	 * first s2_vm_enter): a destroy may start while this vCPU runs, and
	 * must then wait for it to leave (exit requested, R3).
	 */
	if (!vm_get(v))
		return;
	vc.busy = &rm.busy[v];
	h_vcpu_run(&vc);
}

static void r_destroy(unsigned int v)
{
	struct hvm *h = &rm.h[v];

	if (rm.destroying[v] || !h->alive || v == 0)
		return;
	rm.destroying[v] = 1;
	while (rm.busy[v])
		sim_yield();
	h_destroy(h);
	h_vm_create(h, v, R_WIN, H_BACK_ALLOC, 2048);
	h_map_owned(h, 0, 256 * 1024, S2_PROT_R | S2_PROT_W, false, S2_MAP_RMAP);
	rm.destroying[v] = 0;
}

static void r_op(void)
{
	unsigned int v = (unsigned int)sim_rand_below(R_VMS);
	struct hvm *h = &rm.h[v];
	unsigned int k = (unsigned int)sim_rand_below(100);
	u64 a = rpage(0, R_WIN - 64 * PAGE_SIZE);
	u64 n = (1 + sim_rand_below(64)) * PAGE_SIZE;

	if (k < 35) {
		r_vcpu(v);
		return;
	}
	if (k >= 98) {
		r_destroy(v);
		return;
	}
	if (!vm_get(v))
		return;
	if (k < 45) {
		bool blk = sim_rand_below(4) == 0;

		if (blk)
			a = sim_rand_below(R_WIN / SZ_2M) * SZ_2M;
		h_map_owned(h, a, blk ? SZ_2M : MIN(n, 16 * PAGE_SIZE),
			    S2_PROT_R | S2_PROT_W, blk, S2_MAP_RMAP);
	} else if (k < 58) {
		h_unmap(h, a, n);
	} else if (k < 63) {
		u64 ipas[2] = { a, rpage(0, R_WIN - 64 * PAGE_SIZE) }, sizes[2] = { n, n / 2 + PAGE_SIZE };

		h_unmap_gather(h, ipas, sizes, 2);
	} else if (k < 70) {
		h_protect(h, a, n, sim_rand_below(2) ? S2_PROT_R : S2_PROT_R | S2_PROT_W);
	} else if (k < 75) {
		h_split(h, a);
	} else if (k < 80) {
		h_collapse(h, a, 2);
	} else if (k < 85) {
		h_reclaim_tables(h, a & ~(SZ_2M - 1), SZ_2M);
	} else if (k < 90) {
		u64 pa = h_random_mapped_pa(h, 0, R_WIN);

		if (pa)
			h_reclaim_page(h, pa);
	} else if (k < 95) {
		if (v != 0) {	/* moves change IPAs; VM 0 keeps the dirty log */
			u64 src = sim_rand_below(2) ? 4 * MiB : 6 * MiB;

			if (sim_rand_below(2))
				h_move(h, src, 10 * MiB - src, SZ_2M);
			else
				h_move(h, src + SZ_64K, 10 * MiB - src + SZ_64K, SZ_64K);
		}
	} else {
		if (v == 0)
			h_harvest(h, 0);
	}
	vm_put(v);
}

static void r_prog(unsigned int cpu, void *arg)
{
	sim_barrier_wait(&rm.bar, rm.ncpus);
	for (unsigned int i = 0; i < rm.ops; i++)
		r_op();
	sim_barrier_wait(&rm.bar, rm.ncpus);
	if (cpu == 0) {
		/* quiescent: the final harvest must cover every write (R4) */
		h_harvest(&rm.h[0], 0);
		sim_dirty_check_all(0, "final harvest");
	}
}

static int r_run(u64 seed)
{
	sim_prog_fn progs[HYP_MAX_CPUS];

	memset(&rm, 0, sizeof(rm));
	rm.ncpus = sim_cfg()->ncpus;
	rm.ops = 30;
	h_init(rm.ncpus < 3 ? 2 : 3);
	for (unsigned int v = 0; v < R_VMS; v++) {
		if (h_vm_create(&rm.h[v], v, R_WIN, H_BACK_ALLOC, 2048))
			return 1;
		h_map_owned(&rm.h[v], 0, 512 * 1024, S2_PROT_R | S2_PROT_W, false, S2_MAP_RMAP);
		h_map_owned(&rm.h[v], 4 * MiB, SZ_2M, S2_PROT_R | S2_PROT_W, seed & 1, S2_MAP_RMAP);
	}
	if (s2_dirty_log_start(&rm.h[0].vm, ipa_init(0), R_WIN))
		return 1;
	sim_dirty_start(0);
	for (unsigned int c = 0; c < rm.ncpus; c++)
		progs[c] = r_prog;
	sim_run(progs, NULL);
	return 0;
}

static void r_setup_arm(u64 seed, struct sim_config *cfg)
{
	h_setup(cfg, SIM_ARM64, 2 + (unsigned int)(seed % 3), seed);
}

static void r_setup_x86(u64 seed, struct sim_config *cfg)
{
	h_setup(cfg, SIM_X86, 2 + (unsigned int)(seed % 3), seed);
}

static const struct simtest t_r_arm = {
	.name = "random-mix-arm64", .setup = r_setup_arm, .run = r_run,
	.what = "every operation on 4 VMs from 2-4 CPUs, VMID rollover, teardown, "
		"dirty log: all invariants",
	.seeds = 400, .soak_seeds = 5000,
};
static const struct simtest t_r_x86 = {
	.name = "random-mix-x86", .setup = r_setup_x86, .run = r_run,
	.what = "same on x86",
	.seeds = 300, .soak_seeds = 4000,
};
SIMTEST(t_r_arm)
SIMTEST(t_r_x86)

/*
 * Seeds the random mix once failed on, replayed on every run: arm64 1676 and
 * x86 3377 caught a fault populating an IPA whose unmap was cleared but not
 * yet invalidated (a TLB conflict; fixed by the retry in s2_fault.c,
 * INJECT=fault-during-unmap brings it back). Since faults map 2 MiB blocks
 * where they can (issue 16), x86 3377 no longer reaches that window (and no
 * random-mix-x86 seed of 4000 does): arm64 1676 still catches it, and the
 * directed fault-during-unmap-{arm64,x86} (scenario_fault_unmap.c) catch it
 * on both machines.
 */
static const u64 reg_arm_seeds[] = { 1676 };
static const u64 reg_x86_seeds[] = { 3377 };

static const struct simtest t_reg_arm = {
	.name = "random-mix-regressions-arm64", .setup = r_setup_arm, .run = r_run,
	.what = "random-mix seeds that once failed (arm64)",
	.seeds = ARRAY_SIZE(reg_arm_seeds), .soak_seeds = ARRAY_SIZE(reg_arm_seeds),
	.seed_list = reg_arm_seeds,
};
static const struct simtest t_reg_x86 = {
	.name = "random-mix-regressions-x86", .setup = r_setup_x86, .run = r_run,
	.what = "random-mix seeds that once failed (x86)",
	.seeds = ARRAY_SIZE(reg_x86_seeds), .soak_seeds = ARRAY_SIZE(reg_x86_seeds),
	.seed_list = reg_x86_seeds,
};
SIMTEST(t_reg_arm)
SIMTEST(t_reg_x86)

/* ==== VMID rollover: many VMs, few VMIDs, CPUs hopping between them (R7) ===== */

#define V_VMS	6

static struct {
	struct hvm h[V_VMS];
	struct sim_barrier bar;
} vr;

static void v_prog(unsigned int cpu, void *arg)
{
	for (int i = 0; i < 25; i++) {
		unsigned int v = (unsigned int)sim_rand_below(V_VMS);
		struct h_vcpu vc = { .h = &vr.h[v], .lo = 0, .hi = SZ_2M,
				     .n = 3 + (unsigned int)sim_rand_below(6), .write_pct = 30 };

		h_vcpu_run(&vc);
	}
}

static int v_run(u64 seed)
{
	sim_prog_fn progs[3] = { v_prog, v_prog, v_prog };

	memset(&vr, 0, sizeof(vr));
	h_init(2);	/* 3 VMIDs for 6 VMs: rollover all the time */
	for (unsigned int v = 0; v < V_VMS; v++) {
		if (h_vm_create(&vr.h[v], v, SZ_2M, H_BACK_NONE, 0))
			return 1;
		h_map_owned(&vr.h[v], 0, 64 * PAGE_SIZE, S2_PROT_R | S2_PROT_W, false, 0);
	}
	sim_run(progs, NULL);
	if (!s2_vmid_rollovers)
		sim_violation("COVERAGE", 0, 0, 0, "no VMID rollover happened");
	return 0;
}

static void v_setup_arm(u64 seed, struct sim_config *cfg)
{
	h_setup(cfg, SIM_ARM64, 3, seed);
	cfg->evict_permille = 1;
}

static void v_setup_x86(u64 seed, struct sim_config *cfg)
{
	h_setup(cfg, SIM_X86, 3, seed);
	cfg->evict_permille = 1;
}

static const struct simtest t_v_arm = {
	.name = "vmid-rollover-arm64", .setup = v_setup_arm, .run = v_run,
	.what = "6 VMs on 3 VMIDs across 3 CPUs: no VMID aliases live entries (R7)",
	.seeds = 150, .soak_seeds = 3000,
};
static const struct simtest t_v_x86 = {
	.name = "vmid-rollover-x86", .setup = v_setup_x86, .run = v_run,
	.what = "same on x86 (per-VM CPU sets, migration flushes)",
	.seeds = 150, .soak_seeds = 3000,
};
SIMTEST(t_v_arm)
SIMTEST(t_v_x86)

/* ==== split / collapse of blocks under a running guest (break-before-make) ==== */

static struct {
	struct hvm h;
	volatile int done;
} bb;

#define B_WIN	(8 * MiB)

static void b_guest(unsigned int cpu, void *arg)
{
	while (!bb.done) {
		struct h_vcpu vc = { .h = &bb.h, .lo = 0, .hi = B_WIN, .n = 10, .write_pct = 30,
				     .lazy = 20 };
		u64 c = sim_rand_below(B_WIN / SZ_2M) * SZ_2M;

		vc.lo = c;
		vc.hi = c + SZ_2M;
		h_vcpu_run(&vc);
	}
}

static void b_mgr(unsigned int cpu, void *arg)
{
	for (int i = 0; i < 16; i++) {
		u64 c = sim_rand_below(B_WIN / SZ_2M) * SZ_2M;

		if (sim_rand_below(2))
			h_split(&bb.h, c + rpage(0, SZ_2M) - c);
		else
			h_collapse(&bb.h, c, 2);
		for (u64 k = sim_rand_below(40); k; k--)
			sim_yield();
	}
	bb.done = 1;
}

static int b_run(u64 seed)
{
	sim_prog_fn progs[3] = { b_guest, b_mgr, b_guest };

	memset(&bb, 0, sizeof(bb));
	h_init(8);
	if (h_vm_create(&bb.h, 0, B_WIN, H_BACK_NONE, 0))
		return 1;
	if (h_map_owned(&bb.h, 0, B_WIN, S2_PROT_R | S2_PROT_W, true, 0))
		return 1;
	sim_run(progs, NULL);
	return 0;
}

static void b_setup_arm(u64 seed, struct sim_config *cfg) { h_setup(cfg, SIM_ARM64, 3, seed); }
static void b_setup_x86(u64 seed, struct sim_config *cfg) { h_setup(cfg, SIM_X86, 3, seed); }

static const struct simtest t_b_arm = {
	.name = "split-collapse-arm64", .setup = b_setup_arm, .run = b_run,
	.what = "blocks split and collapsed under running guests: break-before-make, "
		"no TLB conflict, tables freed after invalidation",
	.seeds = 180, .soak_seeds = 3000,
};
static const struct simtest t_b_x86 = {
	.name = "split-collapse-x86", .setup = b_setup_x86, .run = b_run,
	.what = "same on x86",
	.seeds = 120, .soak_seeds = 1500,
};
SIMTEST(t_b_arm)
SIMTEST(t_b_x86)

/*
 * ==== the same races with arch/arm64/tlb.c itself on the CPUs ====
 * Every CPU (or, "-mixed", every other CPU) runs arm64's TLB maintenance
 * against the instruction model (sim_arm64.c, rules A1-A7): wrong VMID,
 * missing barriers, range operands and level hints in tlb.c show up here.
 */
static void ri_setup_arm(u64 seed, struct sim_config *cfg)
{
	r_setup_arm(seed, cfg);
	cfg->insn_cpus = (seed % 4 == 3) ? 0xaaaaaaaaULL : ~0ULL;
}

static void vi_setup_arm(u64 seed, struct sim_config *cfg)
{
	v_setup_arm(seed, cfg);
	cfg->insn_cpus = ~0ULL;
}

static void bi_setup_arm(u64 seed, struct sim_config *cfg)
{
	b_setup_arm(seed, cfg);
	cfg->insn_cpus = ~0ULL;
}

static const struct simtest t_ri_arm = {
	.name = "insn-random-mix-arm64", .setup = ri_setup_arm, .run = r_run,
	.what = "random-mix-arm64 with arch/arm64/tlb.c on the CPUs (instruction model)",
	.seeds = 200, .soak_seeds = 3000,
};
static const struct simtest t_vi_arm = {
	.name = "insn-vmid-rollover-arm64", .setup = vi_setup_arm, .run = v_run,
	.what = "vmid-rollover-arm64 with arch/arm64/tlb.c on the CPUs",
	.seeds = 80, .soak_seeds = 1500,
};
static const struct simtest t_bi_arm = {
	.name = "insn-split-collapse-arm64", .setup = bi_setup_arm, .run = b_run,
	.what = "split-collapse-arm64 with arch/arm64/tlb.c on the CPUs",
	.seeds = 100, .soak_seeds = 1500,
};
SIMTEST(t_ri_arm)
SIMTEST(t_vi_arm)
SIMTEST(t_bi_arm)

/* x86: arch/x86/tlb.c's shootdown protocol (NMI, acknowledgement, owed flush at entry). */
static void ri_setup_x86(u64 seed, struct sim_config *cfg)
{
	r_setup_x86(seed, cfg);
	cfg->insn_cpus = ~0ULL;
}

static void vi_setup_x86(u64 seed, struct sim_config *cfg)
{
	v_setup_x86(seed, cfg);
	cfg->insn_cpus = ~0ULL;
}

static void bi_setup_x86(u64 seed, struct sim_config *cfg)
{
	b_setup_x86(seed, cfg);
	cfg->insn_cpus = ~0ULL;
}

static const struct simtest t_ri_x86 = {
	.name = "insn-random-mix-x86", .setup = ri_setup_x86, .run = r_run,
	.what = "random-mix-x86 with arch/x86/tlb.c on the CPUs (x86 instruction model)",
	.seeds = 150, .soak_seeds = 2000,
};
static const struct simtest t_vi_x86 = {
	.name = "insn-vmid-rollover-x86", .setup = vi_setup_x86, .run = v_run,
	.what = "vmid-rollover-x86 with arch/x86/tlb.c on the CPUs",
	.seeds = 60, .soak_seeds = 1000,
};
static const struct simtest t_bi_x86 = {
	.name = "insn-split-collapse-x86", .setup = bi_setup_x86, .run = b_run,
	.what = "split-collapse-x86 with arch/x86/tlb.c on the CPUs",
	.seeds = 60, .soak_seeds = 1000,
};
SIMTEST(t_ri_x86)
SIMTEST(t_vi_x86)
SIMTEST(t_bi_x86)
