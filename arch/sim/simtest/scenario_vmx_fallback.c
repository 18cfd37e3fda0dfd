// SPDX-License-Identifier: GPL-2.0
/*
 * vmx-no-invept-all-x86: a VMX CPU without all-context INVEPT (X6). An
 * owed "all" (VMID rollover) can only be done there as INVEPT
 * single-context of the root entered next; the other VMs' entries (other
 * EP4TAs) must still go before those VMs run again, so tlb_entry.c owes
 * every other VMID (INJECT x86-vmx-fallback-no-owe removes that).
 *
 * cpu1 runs VM A (fills its TLB) and leaves; cpu0 unmaps one of A's pages
 * (an IPA flush: cpu1 owes A's VMID, stays in A's CPU set) and frees it,
 * then runs VMs B, C, D until the VMIDs (2 bits: 3) roll over: every CPU
 * owes "all", which drops the owed VMID bits. cpu1 then runs the VM whose
 * VMID allocation rolled over (INVEPT single-context of its root), then A
 * again, under a new VMID: unless the
 * fallback owed A's new VMID, A reads the unmapped page through the
 * entry cpu1 kept (R1: a freed page).
 */
#include "harness.h"
#include <hyp/string.h>

#define VF_PAGES	16

static struct {
	struct hvm vm[4];	/* A, B, C, D */
	volatile int phase;
	volatile int trigger;	/* the VM whose first entry rolled the VMIDs over */
} vf;

static void vf_wait(int p)
{
	while (vf.phase < p)
		sim_yield();
}

static void vf_touch(struct hvm *h)
{
	while (s2_vm_enter(&h->vm))
		sim_yield();
	for (int i = 0; i < VF_PAGES; i++)
		h_access(h, (u64)i << PAGE_SHIFT, false);
	s2_vm_exit(&h->vm);
}

static void vf_cpu1(unsigned int cpu, void *arg)
{
	vf_touch(&vf.vm[0]);
	vf.phase = 1;
	vf_wait(2);
	vf_touch(&vf.vm[vf.trigger]);	/* has a VMID of the new generation: no second rollover */
	vf_touch(&vf.vm[0]);
}

static void vf_cpu0(unsigned int cpu, void *arg)
{
	u64 before;

	vf_wait(1);
	h_unmap(&vf.vm[0], 5 * PAGE_SIZE, PAGE_SIZE);
	before = s2_vmid_rollovers;
	for (int i = 1; i < 4 && s2_vmid_rollovers == before; i++) {
		vf_touch(&vf.vm[i]);
		vf.trigger = i;
	}
	if (s2_vmid_rollovers == before)
		sim_violation("COVERAGE", 0, 0, 0, "no VMID rollover happened");
	vf.phase = 2;
}

static int vf_run(u64 seed)
{
	sim_prog_fn progs[2] = { vf_cpu0, vf_cpu1 };

	memset(&vf, 0, sizeof(vf));
	h_init(2);	/* 3 VMIDs for 4 VMs */
	for (unsigned int i = 0; i < 4; i++)
		if (h_vm_create(&vf.vm[i], i, SZ_2M, H_BACK_NONE, 0) ||
		    h_map_owned(&vf.vm[i], 0, VF_PAGES * PAGE_SIZE, S2_PROT_R | S2_PROT_W,
				false, 0))
			return 1;
	sim_run(progs, NULL);
	return 0;
}

static void vf_setup(u64 seed, struct sim_config *cfg)
{
	h_setup(cfg, SIM_X86, 2, seed);
	cfg->insn_cpus = ~0ULL;
}

/* VMX (odd seeds) without all-context INVEPT (seed bit 4, sim_x86_reset()). */
static const u64 vf_seeds[] = { 17, 19, 21, 23, 25, 27, 29, 31 };

static const struct simtest t_vf = {
	.name = "vmx-no-invept-all-x86", .setup = vf_setup, .run = vf_run,
	.what = "VMX without all-context INVEPT: a rollover's owed 'all' still reaches every "
		"VM's entries before it runs again (X6 fallback)",
	.seeds = ARRAY_SIZE(vf_seeds), .soak_seeds = ARRAY_SIZE(vf_seeds), .seed_list = vf_seeds,
};
SIMTEST(t_vf)
