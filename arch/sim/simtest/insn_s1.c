// SPDX-License-Identifier: GPL-2.0
/*
 * The arm64 model's guest stage 1 and combined entries (rules A6, A9), and
 * its refusal of a regime it does not model (A10), checked directly with
 * the instructions (arm64/tlbi.h compiled for the model), not through
 * tlb.c's choices:
 *
 *   model-combined-by-va-arm64  a guest on cpu1 (process / ASID 1) reads IPA
 *       X through its VA; cpu0 remaps X (clear, TLBI IPAS2E1IS, DSB ISH,
 *       write). cpu1 must still read the old page through ASID 1's VA (the
 *       combined entry: TLBI by IPA does not reach it), the new page through
 *       ASID 2's VA (no combined entry: the stage-2 entry went), still the
 *       old one after a TLBI VMALLE1 on cpu0 (this CPU only), and the new
 *       one after TLBI VMALLE1IS + DSB ISH. A model that drops combined
 *       entries with a TLBI by IPA, tags them by IPA, or broadcasts VMALLE1
 *       fails it ("A9" reported by the test).
 *   model-e2h-refused-arm64  tlb.c run with HCR_EL2.E2H and TGE set: the
 *       model reports A10 (negative control).
 */
#include "harness.h"
#include <hyp/string.h>
#define ARM64_INSN_MODEL
#include "../../arm64/include/arm64/tlbi.h"
#include "../../arm64/include/arm64/sysreg.h"

#define X_IPA	(5 * PAGE_SIZE)
#define Y_IPA	(6 * PAGE_SIZE)
#define OLD_VAL	0x1111ULL
#define NEW_VAL	0x2222ULL

static struct {
	struct hvm a;
	volatile int phase;
} cs;

static void wait_phase(int p)
{
	while (cs.phase < p)
		sim_yield();
}

static void expect_read(int asid, u64 want, const char *why)
{
	u64 v = 0;
	enum sim_access r;

	sim_guest_asid(asid);
	r = sim_guest_access(cs.a.handle, ipa_init(X_IPA), false, &v);
	if (r != SIM_ACC_OK || v != want)
		sim_violation("A9", 0, X_IPA, 0,
			      "model self-test: guest read of ipa %#llx through ASID %d's VA "
			      "returned %#llx (access %d), expected %#llx: %s", (u64)X_IPA,
			      asid, v, (int)r, want, why);
}

static void cs_guest(unsigned int cpu, void *arg)
{
	u64 v;

	wait_phase(1);	/* after cpu0's first load of the VMID (which may flush it) */
	while (s2_vm_enter(&cs.a.vm))
		sim_yield();
	sim_guest_asid(1);
	v = OLD_VAL;
	sim_guest_access(cs.a.handle, ipa_init(X_IPA), true, &v);
	v = NEW_VAL;
	sim_guest_access(cs.a.handle, ipa_init(Y_IPA), true, &v);
	expect_read(1, OLD_VAL, "before any change");
	cs.phase = 2;
	wait_phase(3);
	expect_read(1, OLD_VAL, "TLBI IPAS2E1IS must leave the combined entry (A6)");
	expect_read(2, NEW_VAL, "another process's VA has no combined entry: the new "
		    "stage-2 translation (A9)");
	cs.phase = 4;
	wait_phase(5);
	expect_read(1, OLD_VAL, "TLBI VMALLE1 on another CPU must not reach this one (A9)");
	cs.phase = 6;
	wait_phase(7);
	expect_read(1, NEW_VAL, "TLBI VMALLE1IS + DSB ISH removes every combined entry (A6)");
	cs.phase = 8;
	s2_vm_exit(&cs.a.vm);
}

static void cs_mgr(unsigned int cpu, void *arg)
{
	struct arch_s2_tlb_ctx ctx;
	u64 *px[S2_MAX_LEVELS], *py[S2_MAX_LEVELS], d, old;
	int lx, ly;

	while (s2_vm_enter(&cs.a.vm))	/* VTTBR_EL2 = A's: the TLBIs below are A's */
		sim_yield();
	ctx = s2_vm_tlb_ctx(&cs.a.vm);
	cs.phase = 1;
	wait_phase(2);
	lx = s2_walk_path(&h_fmt, cs.a.vm.root, ipa_init(X_IPA), px, &d);
	ly = s2_walk_path(&h_fmt, cs.a.vm.root, ipa_init(Y_IPA), py, &d);
	old = READ_ONCE(*px[lx]);
	/* X -> Y's page, break-before-make at stage 2 only. */
	WRITE_ONCE(*px[lx], 0ULL);
	dsb_ishst();
	tlbi_ipas2e1is((X_IPA >> PAGE_SHIFT) & TLBI_IPA_MASK);
	dsb_ish();
	WRITE_ONCE(*px[lx], READ_ONCE(*py[ly]));
	dsb_ishst();
	cs.phase = 3;
	wait_phase(4);
	tlbi_vmalle1();
	dsb_ish();
	cs.phase = 5;
	wait_phase(6);
	tlbi_vmalle1is();
	dsb_ish();
	cs.phase = 7;
	wait_phase(8);
	/* Put X back (else teardown would see Y's page twice): with tlb.c this time. */
	WRITE_ONCE(*px[lx], 0ULL);
	arch_s2_inval_ipa(&ctx, ipa_init(X_IPA), lx, true);
	arch_s2_inval_sync(&ctx);
	WRITE_ONCE(*px[lx], old);
	s2_vm_exit(&cs.a.vm);
}

static int cs_run(u64 seed)
{
	sim_prog_fn progs[2] = { cs_mgr, cs_guest };

	memset(&cs, 0, sizeof(cs));
	h_init(8);
	if (h_vm_create(&cs.a, 0, SZ_2M, H_BACK_NONE, 0) ||
	    h_map_owned(&cs.a, 0, 16 * PAGE_SIZE, S2_PROT_R | S2_PROT_W, false, 0))
		return 1;
	sim_run(progs, NULL);
	return 0;
}

static void cs_setup(u64 seed, struct sim_config *cfg)
{
	h_setup(cfg, SIM_ARM64, 2, seed);
	cfg->insn_cpus = ~0ULL;
	/* Nearly no speculation or eviction: the test reads exact values (0 = default). */
	cfg->spec_permille = 1;
	cfg->evict_permille = 1;
	cfg->spec_window = 0;
}

static const struct simtest t_model_combined = {
	.name = "model-combined-by-va-arm64", .setup = cs_setup, .run = cs_run,
	.what = "combined stage-1+2 entries are found by VMID+ASID+VA: TLBI IPAS2E1IS and a "
		"remote VMALLE1 leave them, VMALLE1IS removes them (A6, A9)",
	.seeds = 8, .soak_seeds = 100,
};
SIMTEST(t_model_combined)

/* ==== A10: E2H / TGE, a regime the model refuses ==== */

static void e2h_prog(unsigned int cpu, void *arg)
{
	const struct arch_s2_tlb_ctx ctx = { .vmid = 1, .root = pa_init(0), .cpus = 0 };

	write_hcr_el2(read_hcr_el2() | HCR_E2H | HCR_TGE);
	isb_sync();
	arch_s2_inval_vmid(&ctx);
}

static int e2h_run(u64 seed)
{
	sim_prog_fn progs[2] = { e2h_prog, NULL };

	h_init(8);
	sim_run(progs, NULL);
	return 0;
}

static void e2h_setup(u64 seed, struct sim_config *cfg)
{
	h_setup(cfg, SIM_ARM64, 2, seed);
	cfg->insn_cpus = ~0ULL;
}

static const struct simtest t_model_e2h = {
	.name = "model-e2h-refused-arm64", .setup = e2h_setup, .run = e2h_run,
	.what = "tlb.c with HCR_EL2.E2H/TGE in force: A10 reported (the model is nVHE only)",
	.seeds = 2, .soak_seeds = 4, .expect = "A10",
};
SIMTEST(t_model_e2h)
