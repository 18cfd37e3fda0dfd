// SPDX-License-Identifier: GPL-2.0
/*
 * vmx-root-reuse-x86: EPT entries are tagged by EP4TA (the root), not by
 * the hypervisor's VMID (rule X6). cpu1 runs VM X (VMID v, root R) and
 * caches its translations; cpu0 destroys X (the teardown flush is owed to
 * VMID v on cpu1, to be done at v's next entry there, with whatever root v
 * has then), gives the freed pages back to palloc at once (quarantine
 * drained) and creates VM W, whose root is the page R again (checked: the
 * test fails with COVERAGE otherwise), with a fresh VMID w. cpu1 then runs
 * W: unless its VM entry flushes EP4TA R, W translates through X's entries
 * (freed pages: R1). What flushes it: hyp/mm's first-run flush in
 * s2_vm_enter() (R7: a CPU new to a VM invalidates the VM's VMID locally,
 * which tlb_entry.c turns into INVEPT single-context of the VM's root, i.e.
 * EP4TA R, or all-context); INJECT first-run-no-flush removes it.
 * The x86 instruction model on both CPUs, VMX; with and without
 * all-context INVEPT (seed-chosen).
 */
#include "harness.h"
#include <hyp/string.h>

#define RR_PAGES	16

static struct {
	struct hvm x, w;
	u64 x_root;
	volatile int phase;
} rr;

static void rr_wait(int p)
{
	while (rr.phase < p)
		sim_yield();
}

static void rr_run_vm(struct hvm *h)
{
	while (s2_vm_enter(&h->vm))
		sim_yield();
	for (int i = 0; i < 3 * RR_PAGES; i++)
		h_access(h, (u64)(i % RR_PAGES) << PAGE_SHIFT, i % 3 == 0);
	s2_vm_exit(&h->vm);
}

static void rr_guest(unsigned int cpu, void *arg)
{
	rr_run_vm(&rr.x);
	rr.phase = 1;
	rr_wait(2);
	rr_run_vm(&rr.w);
	rr.phase = 3;
}

static void rr_mgr(unsigned int cpu, void *arg)
{
	rr_wait(1);
	rr.x_root = rr.x.root;
	if (h_destroy(&rr.x))
		sim_violation("COVERAGE", 0, 0, 0, "destroy of VM X failed");
	simtest_quarantine_drain();
	if (h_vm_create(&rr.w, 1, SZ_2M, H_BACK_NONE, 0) ||
	    h_map_owned(&rr.w, 0, RR_PAGES * PAGE_SIZE, S2_PROT_R | S2_PROT_W, false, 0))
		sim_violation("COVERAGE", 0, 0, 0, "creating VM W failed");
	if (rr.w.root != rr.x_root)
		sim_violation("COVERAGE", rr.w.root, 0, 0, "VM W's root %#llx is not X's "
			      "freed root %#llx: the scenario did not reuse the page",
			      rr.w.root, rr.x_root);
	rr.phase = 2;
	rr_wait(3);
}

static int rr_run(u64 seed)
{
	sim_prog_fn progs[2] = { rr_mgr, rr_guest };

	memset(&rr, 0, sizeof(rr));
	h_init(6);
	if (h_vm_create(&rr.x, 0, SZ_2M, H_BACK_NONE, 0) ||
	    h_map_owned(&rr.x, 0, RR_PAGES * PAGE_SIZE, S2_PROT_R | S2_PROT_W, false, 0))
		return 1;
	sim_run(progs, NULL);
	return 0;
}

/*
 * The x86 model picks the backend by seed parity (odd: VMX) and all-context
 * INVEPT by bits 4-5 of the seed (absent when 3, sim_x86_reset()): eight
 * VMX seeds with all-context INVEPT, eight without.
 */
static const u64 rr_seeds[] = { 1, 3, 5, 7, 9, 11, 13, 15, 49, 51, 53, 55, 57, 59, 61, 63 };

static void rr_setup(u64 seed, struct sim_config *cfg)
{
	h_setup(cfg, SIM_X86, 2, seed);
	cfg->insn_cpus = ~0ULL;
}

static const struct simtest t_rr = {
	.name = "vmx-root-reuse-x86", .setup = rr_setup, .run = rr_run,
	.what = "a destroyed VM's root page reused as another VM's root: its EP4TA-tagged "
		"entries must not reach the new VM (X6; with and without all-context INVEPT)",
	.seeds = ARRAY_SIZE(rr_seeds), .soak_seeds = ARRAY_SIZE(rr_seeds), .seed_list = rr_seeds,
};
SIMTEST(t_rr)
