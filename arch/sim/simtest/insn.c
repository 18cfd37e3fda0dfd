// SPDX-License-Identifier: GPL-2.0
/*
 * arch/arm64/tlb.c's primitives, one at a time, against the instruction
 * model (sim_arm64.c): two guest CPUs run VM A and fill their TLBs, walk
 * caches and combined entries; the manager CPU (running VM B, or nothing,
 * so that its VTTBR_EL2 is not A's) changes one of A's descriptors the way
 * hyp/mm does (a scheduling point, then the store), invalidates it with one
 * primitive (by IPA with and without level hint, leaf or not; a range of
 * any length and alignment, 8 GiB included; VMID-wide; everything), waits
 * with arch_s2_inval_sync(), and "gone means gone" is checked at once; then
 * it puts the descriptor back.
 */
#include "harness.h"
#include <hyp/string.h>
#include "sim_arm64.h"

void tlb_boot_check(void);	/* arch/arm64/tlb.c (arm64/tlb.h), compiled for the model */

static struct {
	struct hvm a, b;
	volatile int done;
	volatile unsigned int entered;
	volatile u64 hot;	/* the page being changed: guests hammer it */
	u64 pages[64];
	unsigned int npages;
} ip;

#define I_BIG	(8ULL << 30)	/* 2^21 pages: one past the largest range op */
#define I_RUN	700		/* longest run of pages a range test clears */

static u64 *run_ptep[I_RUN], run_old[I_RUN];

static void i_guest(unsigned int cpu, void *arg)
{
	while (s2_vm_enter(&ip.a.vm))
		sim_yield();
	__atomic_fetch_add(&ip.entered, 1, __ATOMIC_SEQ_CST);
	while (!ip.done) {
		u64 val, ipa = ip.pages[sim_rand_below(ip.npages)];

		if (sim_rand_below(4) == 0)	/* inside a 2M block or a run of pages */
			ipa += sim_rand_below(8) << PAGE_SHIFT;
		if (sim_rand_below(2))
			ipa = ip.hot;
		sim_guest_access(ip.a.handle, ipa_init(ipa), false, &val);
	}
	s2_vm_exit(&ip.a.vm);
}

/* Clear the descriptor mapping ipa at its level (or the table above it: up). */
static u64 *clear_desc(u64 ipa, bool up, u64 *old, int *level)
{
	u64 *ptep[S2_MAX_LEVELS], desc;
	int l = s2_walk_path(&h_fmt, ip.a.vm.root, ipa, ptep, &desc);

	if (up && l > h_fmt.start_level)
		l--;
	*level = l;
	*old = READ_ONCE(*ptep[l]);
	arch_sched_point();	/* as hyp/mm's s2_set(): a point, then the store */
	WRITE_ONCE(*ptep[l], 0ULL);
	return ptep[l];
}

static void restore(u64 *ptep, u64 old)
{
	arch_sched_point();
	WRITE_ONCE(*ptep, old);
}

static void i_mgr(unsigned int cpu, void *arg)
{
	bool in_b = false;

	while (ip.entered < 2)
		sim_yield();
	for (int round = 0; round < 40; round++) {
		struct arch_s2_tlb_ctx ctx = s2_vm_tlb_ctx(&ip.a.vm);
		unsigned int pick = (unsigned int)sim_rand_below(7);
		u64 ipa = ip.pages[sim_rand_below(ip.npages)], start = ipa, size = PAGE_SIZE;
		u64 old, *ptep, old2 = 0, *ptep2 = NULL, ipa2 = 0;	/* ptep2: case 4 */
		int level, level2;
		const char *what;

		/* The issuer's own context: B half the time (another VMID), else none. */
		if (!in_b && sim_rand_below(2) && !s2_vm_enter(&ip.b.vm))
			in_b = true;
		else if (in_b && sim_rand_below(4) == 0) {
			s2_vm_exit(&ip.b.vm);
			in_b = false;
		}
		ip.hot = ipa;
		for (int k = (int)sim_rand_below(30); k; k--)
			sim_yield();
		switch (pick) {
		case 0:	/* a leaf, by IPA with its level as hint, leaf only */
			ptep = clear_desc(ipa, false, &old, &level);
			arch_s2_inval_ipa(&ctx, ipa_init(ipa), level, true);
			what = "inval_ipa(leaf, hint)";
			break;
		case 1:	/* a leaf, by IPA, no hint, all levels */
			ptep = clear_desc(ipa, false, &old, &level);
			arch_s2_inval_ipa(&ctx, ipa_init(ipa), -1, false);
			what = "inval_ipa";
			break;
		case 2:	/* the table above: by IPA, all levels (walk caches too) */
			ptep = clear_desc(ipa, true, &old, &level);
			arch_s2_inval_ipa(&ctx, ipa_init(ipa), -1, false);
			what = "inval_ipa(table)";
			break;
		case 3: {	/* every page of a run: a range of any length and alignment */
			u64 n = 1 + sim_rand_below(I_RUN);

			start = ipa + (sim_rand_below(2) ? 0 : (sim_rand_below(64) << PAGE_SHIFT));
			size = n << PAGE_SHIFT;
			/* Restored in reverse: pages of one 2M block share a descriptor. */
			ptep = clear_desc(start, false, &old, &level);	/* restored last, below */
			for (u64 k = 1; k < n; k++)
				run_ptep[k] = clear_desc(start + (k << PAGE_SHIFT), false,
							 &run_old[k], &level2);
			if (!arch_s2_inval_range(&ctx, ipa_init(start), size, sim_rand_below(2)))
				arch_s2_inval_vmid(&ctx);
			arch_s2_inval_sync(&ctx);
			sim_check_range("inval_range", ctx.vmid, ctx.root, ipa_init(start), size, 0);
			for (u64 k = n - 1; k >= 1; k--)
				restore(run_ptep[k], run_old[k]);
			size = PAGE_SIZE;
			what = "inval_range";
			break;
		}
		case 4:	/* 8 GiB from 0: 2^21 pages, no single range op encodes it */
			start = 0;
			ptep = clear_desc(0, false, &old, &level);
			ipa2 = I_BIG - PAGE_SIZE;
			ptep2 = clear_desc(ipa2, false, &old2, &level2);
			if (!arch_s2_inval_range(&ctx, ipa_init(0), I_BIG, true))
				arch_s2_inval_vmid(&ctx);
			what = "inval_range(8 GiB)";
			break;
		case 5:
			ptep = clear_desc(ipa, sim_rand_below(2), &old, &level);
			arch_s2_inval_vmid(&ctx);
			what = "inval_vmid";
			break;
		default:
			ptep = clear_desc(ipa, sim_rand_below(2), &old, &level);
			arch_s2_inval_all();
			what = "inval_all";
			break;
		}
		arch_s2_inval_sync(&ctx);
		sim_check_range(what, ctx.vmid, ctx.root, ipa_init(start), size, 0);
		if (ptep2) {
			sim_check_range(what, ctx.vmid, ctx.root, ipa_init(ipa2), PAGE_SIZE, 0);
			restore(ptep2, old2);
		}
		restore(ptep, old);
	}
	if (in_b)
		s2_vm_exit(&ip.b.vm);
	ip.done = 1;
}

static int i_run(u64 seed)
{
	sim_prog_fn progs[3] = { i_mgr, i_guest, i_guest };
	unsigned int n = 0;

	memset(&ip, 0, sizeof(ip));
	h_init(8);
	if (h_vm_create(&ip.a, 0, SZ_2M, H_BACK_NONE, 0) ||
	    h_vm_create(&ip.b, 1, SZ_2M, H_BACK_NONE, 0))
		return 1;
	/* pages at 0.., a 2M block at 4M, pages around 1G, and the last page of 8 GiB */
	if (h_map_owned(&ip.a, 0, 64 * PAGE_SIZE, S2_PROT_R | S2_PROT_W, false, 0) ||
	    h_map_owned(&ip.a, 2 * SZ_2M - 32 * PAGE_SIZE, 1024 * PAGE_SIZE,
			S2_PROT_R | S2_PROT_W, false, 0) ||
	    h_map_owned(&ip.a, 4 * SZ_2M, SZ_2M, S2_PROT_R | S2_PROT_W, true, 0) ||
	    h_map_owned(&ip.a, I_BIG - SZ_2M, SZ_2M, S2_PROT_R | S2_PROT_W, false, 0) ||
	    h_map_owned(&ip.b, 0, 16 * PAGE_SIZE, S2_PROT_R | S2_PROT_W, false, 0))
		return 1;
	ip.pages[n++] = 0;
	ip.pages[n++] = 5 * PAGE_SIZE;
	ip.pages[n++] = 2 * SZ_2M - 8 * PAGE_SIZE;
	ip.pages[n++] = 2 * SZ_2M + 100 * PAGE_SIZE;
	ip.pages[n++] = 4 * SZ_2M + 17 * PAGE_SIZE;
	ip.pages[n++] = I_BIG - PAGE_SIZE;
	ip.npages = n;
	sim_run(progs, NULL);
	return 0;
}

static void i_setup(u64 seed, struct sim_config *cfg)
{
	h_setup(cfg, SIM_ARM64, 3, seed);
	cfg->insn_cpus = ~0ULL;
	cfg->spec_window = 0;	/* speculation near the touched pages only */
}

static const struct simtest t_insn_prims = {
	.name = "insn-primitives-arm64", .setup = i_setup, .run = i_run,
	.what = "each arch/arm64/tlb.c primitive after a descriptor change, issued under "
		"another VMID, checked at once (rules A1-A7)",
	.seeds = 60, .soak_seeds = 1000,
};
SIMTEST(t_insn_prims)

/* ==== tlb_boot_check() itself, on a simulated CPU ==== */

static void bc_prog(unsigned int cpu, void *arg)
{
	tlb_boot_check();
}

static int bc_run(u64 seed)
{
	sim_prog_fn progs[2] = { bc_prog, NULL };

	h_init(8);
	sim_run(progs, NULL);
	return 0;
}

static void bc_setup(u64 seed, struct sim_config *cfg)
{
	h_setup(cfg, SIM_ARM64, 2, seed);
	cfg->insn_cpus = ~0ULL;
}

static const struct simtest t_insn_boot = {
	.name = "insn-boot-check-arm64", .setup = bc_setup, .run = bc_run,
	.what = "arm64's boot-time TLB self-check runs under the model and gives VTTBR_EL2 back",
	.seeds = 4, .soak_seeds = 20,
};
SIMTEST(t_insn_boot)

/*
 * ==== 8-bit VMIDs (rule A8): the CPU has VTCR_EL2.VS = 0 ====
 * The primitives above with the model's CPUs at 8-bit VMIDs (the allocator
 * at 8 bits too): nothing reported. And the model's own negative control:
 * a VMID with bits above 8 (an allocator sized for 16-bit VMIDs on such a
 * CPU) reaches VTTBR_EL2 through tlb.c: A8 reported.
 */
static int i8_run(u64 seed)
{
	a64_set_vmid_bits(8);	/* a forked child per seed: not seen by other tests */
	return i_run(seed);
}

static const struct simtest t_insn_prims_vmid8 = {
	.name = "insn-primitives-vmid8-arm64", .setup = i_setup, .run = i8_run,
	.what = "insn-primitives-arm64 on CPUs with 8-bit VMIDs (VTCR_EL2.VS 0): no violation",
	.seeds = 10, .soak_seeds = 100,
};
SIMTEST(t_insn_prims_vmid8)

static void wide_prog(unsigned int cpu, void *arg)
{
	const struct arch_s2_tlb_ctx ctx = { .vmid = 0x101, .root = pa_init(0), .cpus = 0 };

	arch_s2_inval_vmid(&ctx);
}

static int wide_run(u64 seed)
{
	sim_prog_fn progs[2] = { wide_prog, NULL };

	a64_set_vmid_bits(8);
	h_init(8);
	sim_run(progs, NULL);
	return 0;
}

static const struct simtest t_model_vmid_wide = {
	.name = "model-vmid-too-wide-arm64", .setup = bc_setup, .run = wide_run,
	.what = "VMID 0x101 through tlb.c on a CPU with 8-bit VMIDs: A8 reported",
	.seeds = 4, .soak_seeds = 20, .expect = "A8",
};
SIMTEST(t_model_vmid_wide)

/* ==== the same primitives through arch/x86/tlb.c (shootdown NMIs, owed flushes) ==== */

static void ix_setup(u64 seed, struct sim_config *cfg)
{
	h_setup(cfg, SIM_X86, 3, seed);
	cfg->insn_cpus = ~0ULL;
	cfg->spec_window = 0;
}

static const struct simtest t_insn_prims_x86 = {
	.name = "insn-primitives-x86", .setup = ix_setup, .run = i_run,
	.what = "each arch/x86/tlb.c primitive after a descriptor change, issued from "
		"another VM's CPU, checked at once (rules X1-X9)",
	.seeds = 60, .soak_seeds = 1000,
};
SIMTEST(t_insn_prims_x86)

/* ==== the x86 model's own rules (X1, X6, X7), checked directly ==== */

const char *sim_x86_model_selftest(void);	/* arch/sim/sim_x86.c */

static int mx_run(u64 seed)
{
	const char *bad;

	h_init(6);
	bad = sim_x86_model_selftest();
	if (bad)
		simtest_log("%s", bad);
	return bad != NULL;
}

static const struct simtest t_model_x86_insn = {
	.name = "model-x86-insn-rules", .setup = ix_setup, .run = mx_run,
	.what = "x86 model: entries survive VM entry/exit, TLB_CONTROL acts at VMRUN of its "
		"VMCB only, 3 = its ASID, INVEPT single-context = its EP4TA, INVVPID = its "
		"VPID's combined entries (X1, X6, X7, X9)",
	.seeds = 1, .soak_seeds = 1,
};
SIMTEST(t_model_x86_insn)

/* ==== X11: SVM's ASID-tagged combined entries, checked directly ==== */

const char *sim_x86_model_svm_selftest(void);	/* arch/sim/sim_x86.c */

static int msvm_run(u64 seed)
{
	const char *bad;

	h_init(6);
	bad = sim_x86_model_svm_selftest();
	if (bad)
		simtest_log("%s", bad);
	return bad != NULL;
}

static const struct simtest t_model_x86_svm = {
	.name = "model-x86-svm-combined", .setup = ix_setup, .run = msvm_run,
	.what = "x86 model: SVM guest-linear (combined) entries are ASID-tagged, survive "
		"VMRUN/#VMEXIT with TLB_CONTROL 0, go with 3 (their ASID) or 1 (X11)",
	.seeds = 1, .soak_seeds = 1,
};
SIMTEST(t_model_x86_svm)

/* ==== X10: the guest's own invalidation is local, checked directly ==== */

const char *sim_x86_model_vcpu_selftest(void);	/* arch/sim/sim_x86.c */

static int mvcpu_run(u64 seed)
{
	const char *bad;

	h_init(6);
	bad = sim_x86_model_vcpu_selftest();
	if (bad)
		simtest_log("%s", bad);
	return bad != NULL;
}

static const struct simtest t_model_x86_vcpu = {
	.name = "model-x86-guest-flush-local", .setup = ix_setup, .run = mvcpu_run,
	.what = "x86 model: a guest page-table rewrite is invalidated by the guest on its "
		"own CPU only, the same vCPU's entry on another CPU stays (X10; VMX and SVM)",
	.seeds = 1, .soak_seeds = 1,
};
SIMTEST(t_model_x86_vcpu)
