// SPDX-License-Identifier: GPL-2.0
/*
 * The arm64 instruction model: what arch/arm64/include/arm64/tlbi.h's
 * functions do in the simulation. arch/arm64/tlb.c runs unchanged on the
 * simulated CPUs of cfg.insn_cpus and reaches the TLBs only through here.
 *
 * The model implements what the Arm ARM guarantees, and where it leaves a
 * choice, the choice that exposes a missing step (doc/simulation.md, "The
 * arm64 instruction model", rules A1-A7):
 *   A1  a TLBI by IPA / VMALLS12E1 / VMALLE1 acts on the VMID of the
 *       issuing CPU's current (ISB-committed) VTTBR_EL2; entries keep their
 *       VMID tag across VTTBR_EL2 changes (nothing flushes on a write)
 *   A2  an MSR takes effect for later TLBIs and walks only after an ISB
 *   A3  a descriptor write reaches the walkers only at the writer's next
 *       DSB; a TLBI issued before it may be followed by a refill from the
 *       old descriptor on every target CPU
 *   A4  a range TLBI covers exactly what its operand decodes to (decoded
 *       here from the encoding, not from what the caller meant)
 *   A5  a TTL hint that does not match the cached entry's level may leave it
 *   A6  combined stage-1+2 entries go only with VMALLE1IS, VMALLS12E1IS,
 *       ALLE1IS (not with TLBI by IPA)
 *   A7  a broadcast TLBI is complete on other CPUs only when the issuer's
 *       following DSB ISH completes (the abstract model's queue)
 *   A9  combined entries are tagged by VMID, ASID and guest VA (the guest's
 *       stage 1 is a per-vCPU, per-ASID page permutation); TLBI VMALLE1 is
 *       the issuing CPU's only
 *   A10 a TLBI with HCR_EL2.E2H or TGE in force is refused (not modelled)
 *   A8  with 8-bit VMIDs (cpu_features.vmid_bits, i.e. VTCR_EL2.VS = 0) the
 *       VMID is VTTBR_EL2[55:48]; a VTTBR_EL2 write with VMID[15:8] set is
 *       reported (the CPU would act on another VM's VMID[7:0])
 */
#include "sim_internal.h"
#include "sim_arm64.h"
#include <arm64/cpufeature.h>
#include <arm64/sysreg.h>
#include <arm64/tlbi.h>

/* tlb.c reads these; the model has FEAT_TTL, and FEAT_TLBIRANGE unless a test clears it. */
struct cpu_features cpu_features = { .vmid_bits = 16, .ttl = true, .tlbi_range = true };
extern bool sim_has_range;

void (*a64_tlbi_hook)(int op, u64 xt);

/*
 * VTTBR_EL2: VMID[63:48] with 16-bit VMIDs (VTCR_EL2.VS = 1, which
 * arm64_el2_init() sets when cpu_features.vmid_bits is 16), else VMID[55:48]
 * and [63:56] RES0: the CPU tags with the low 8 bits only (A8). BADDR[47:1].
 */
static u32 vmid_mask(void) { return cpu_features.vmid_bits == 16 ? 0xffff : 0xff; }
static u32 vttbr_vmid(u64 v) { return (u32)(v >> 48) & vmid_mask(); }

void a64_set_vmid_bits(unsigned int bits)
{
	cpu_features.vmid_bits = bits;
}
static u64 vttbr_baddr(u64 v) { return v & GENMASK(47, 1); }

/*
 * TTL of TLBI IPAS2E1IS / IPAS2LE1IS, Xt[47:44] (Arm ARM, TLBI IPAS2E1IS):
 * TTL[3:2] the granule (0b00: no hint), TTL[1:0] the level of the leaf; with
 * 4K, 0b00 is reserved and treated as "no hint". Returns -1: any level.
 */
static int ipa_ttl_level(u64 xt)
{
	unsigned int ttl = (unsigned int)(xt >> 44) & 0xf;

	if ((ttl >> 2) != 1 || !(ttl & 3))	/* no hint, or another granule */
		return -1;
	return (int)(ttl & 3);
}

/*
 * Range operand of TLBI RIPAS2E1IS / RIPAS2LE1IS (Arm ARM, TLBI RIPAS2E1IS):
 * TG[47:46] (0b01 4K; 0b00 reserved: nothing is required to be invalidated),
 * SCALE[45:44], NUM[43:39], TTL[38:37] (0b00 any level, else the level),
 * BaseADDR[36:0] = IPA[48:12] for 4K. Range: (NUM+1) * 2^(5*SCALE+1) pages.
 */
static bool range_decode(u64 xt, u64 *start, u64 *size, int *level)
{
	unsigned int tg = (unsigned int)(xt >> 46) & 3;
	unsigned int scale = (unsigned int)(xt >> 44) & 3;
	unsigned int num = (unsigned int)(xt >> 39) & 0x1f;
	unsigned int ttl = (unsigned int)(xt >> 37) & 3;

	if (tg != 1)	/* the simulation's stage 2 uses the 4K granule only */
		return false;
	*start = (xt & GENMASK(36, 0)) << PAGE_SHIFT;
	*size = ((u64)(num + 1) << (5 * scale + 1)) << PAGE_SHIFT;
	*level = ttl ? (int)ttl : -1;
	return true;
}

static void sched(void)
{
	if (sim.running)
		sim_sched(false);
}

void a64_model_tlbi(enum arm64_tlbi_op op, u64 xt)
{
	struct sim_cpu *c = sim_cur();
	/* A1: the VMID (and table) are the committed VTTBR_EL2's, not the caller's intent. */
	struct arch_s2_tlb_ctx ctx = {
		.vmid = vttbr_vmid(c->a64_vttbr_eff),
		.root = pa_init(vttbr_baddr(c->a64_vttbr_eff)),
		.cpus = ~0ULL,
	};
	/* A3: un-barriered descriptor writes of this CPU: refills from old values. */
	unsigned int flags = SIM_INV_INSN | (c->a64_unordered_writes ? SIM_INV_UNORDERED : 0);
	bool leaf = op == A64_TLBI_IPAS2LE1IS || op == A64_TLBI_RIPAS2LE1IS;
	u64 start, size;
	int level;

	if (a64_tlbi_hook) {
		a64_tlbi_hook((int)op, xt);
		return;
	}
	/*
	 * A10: the model is the nVHE EL1&0 regime (HCR_EL2.E2H = 0, TGE = 0),
	 * where these TLBIs mean "the guest's VMID". With E2H and TGE both set,
	 * VMALLE1IS and friends would act on the EL2&0 regime (the host's
	 * entries), not the guest's: a regime the model does not model.
	 */
	if (c->a64_hcr_eff & (HCR_E2H | HCR_TGE))
		sim_violation("A10", 0, ~0ULL, ctx.vmid,
			      "cpu%d: TLBI op %d with HCR_EL2 %#llx in force (E2H %llu, TGE %llu): "
			      "the model covers the nVHE EL1&0 regime only", sim_this_cpu,
			      (int)op, c->a64_hcr_eff, (c->a64_hcr_eff & HCR_E2H) >> 34,
			      (c->a64_hcr_eff & HCR_TGE) >> 27);
	sched();
	switch (op) {
	case A64_TLBI_IPAS2E1IS:
	case A64_TLBI_IPAS2LE1IS:
		sim_inval_issue(INV_IPA, &ctx, (xt & GENMASK(35, 0)) << PAGE_SHIFT, PAGE_SIZE,
				ipa_ttl_level(xt), leaf, flags);
		break;
	case A64_TLBI_RIPAS2E1IS:
	case A64_TLBI_RIPAS2LE1IS:
		if (range_decode(xt, &start, &size, &level))	/* A4 */
			sim_inval_issue(INV_RANGE, &ctx, start, size, level, leaf, flags);
		break;
	case A64_TLBI_VMALLE1IS:
		sim_inval_issue(INV_S1, &ctx, 0, 0, -1, false, flags);
		break;
	case A64_TLBI_VMALLE1:	/* A9: the same scope, this CPU only */
		sim_inval_issue(INV_S1, &ctx, 0, 0, -1, false, flags | SIM_INV_LOCAL);
		break;
	case A64_TLBI_VMALLS12E1IS:
		sim_inval_issue(INV_VMID, &ctx, 0, 0, -1, false, flags);
		break;
	case A64_TLBI_ALLE1IS:
		sim_inval_issue(INV_ALL, NULL, 0, 0, -1, false, flags);
		break;
	}
	sched();
}

void a64_model_barrier(enum arm64_barrier b)
{
	struct sim_cpu *c = sim_cur();

	switch (b) {
	case A64_ISB:	/* A2: context synchronization commits the MSRs */
		c->a64_vttbr_eff = c->a64_vttbr;
		c->a64_hcr_eff = c->a64_hcr;
		sched();
		break;
	case A64_DSB_ISHST:	/* A3: this CPU's stores reach the walkers */
		c->a64_unordered_writes = false;
		sched();
		break;
	case A64_DSB_ISH:	/* A7 (and A3): TLBIs this CPU issued complete everywhere */
		sim_inval_sync();
		c->a64_unordered_writes = false;
		break;
	}
}

u64 a64_model_mrs(enum arm64_sysreg r)
{
	struct sim_cpu *c = sim_cur();

	/* A direct read returns the last direct write, ISB or not. */
	return r == A64_VTTBR_EL2 ? c->a64_vttbr : c->a64_hcr;
}

void a64_model_msr(enum arm64_sysreg r, u64 v)
{
	struct sim_cpu *c = sim_cur();

	sched();
	/* A8: a VMID wider than the CPU's would tag (and invalidate) as VMID[7:0]: another VM's. */
	if (r == A64_VTTBR_EL2 && ((v >> 48) & ~(u64)vmid_mask()))
		sim_violation("A8", vttbr_baddr(v), ~0ULL, (u32)(v >> 48),
			      "cpu%d: MSR VTTBR_EL2, %#llx: VMID %#llx on a CPU with %u-bit VMIDs "
			      "(VTTBR_EL2[63:56] RES0): it acts as VMID %u", sim_this_cpu, v,
			      v >> 48, cpu_features.vmid_bits, vttbr_vmid(v));
	if (r == A64_VTTBR_EL2)
		c->a64_vttbr = v;
	else
		c->a64_hcr = v;
}

struct a64_regs a64_regs_before(void)
{
	struct sim_cpu *c = sim_cur();

	cpu_features.tlbi_range = sim_has_range;
	return (struct a64_regs){ .vttbr = c->a64_vttbr, .hcr = c->a64_hcr };
}

void a64_regs_after(struct a64_regs before, const char *fn)
{
	struct sim_cpu *c = sim_cur();

	if (c->a64_vttbr != before.vttbr || c->a64_vttbr_eff != before.vttbr ||
	    c->a64_hcr != before.hcr || c->a64_hcr_eff != before.hcr)
		sim_violation("A1", 0, ~0ULL, vttbr_vmid(c->a64_vttbr),
			      "cpu%d: %s returned with VTTBR_EL2 %#llx (in force: %#llx), "
			      "HCR_EL2 %#llx (in force: %#llx); it was called with VTTBR_EL2 "
			      "%#llx, HCR_EL2 %#llx: the borrowed VMID was not given back",
			      sim_this_cpu, fn, c->a64_vttbr, c->a64_vttbr_eff, c->a64_hcr,
			      c->a64_hcr_eff, before.vttbr, before.hcr);
}

void a64_check_loaded(const struct arch_s2_tlb_ctx *ctx)
{
	struct sim_cpu *c = sim_cur();

	if (!ctx) {
		if (c->a64_hcr_eff & HCR_VM)
			sim_violation("R3", vttbr_baddr(c->a64_vttbr_eff), ~0ULL,
				      vttbr_vmid(c->a64_vttbr_eff),
				      "cpu%d: arch_s2_load(NULL) returned with stage 2 still in "
				      "force (HCR_EL2.VM written %llu, in force 1; VTTBR_EL2 in "
				      "force %#llx): the CPU can still walk the old tables "
				      "(no ISB)", sim_this_cpu, c->a64_hcr & HCR_VM,
				      c->a64_vttbr_eff);
		return;
	}
	if (!(c->a64_hcr_eff & HCR_VM) || vttbr_vmid(c->a64_vttbr_eff) != (ctx->vmid & vmid_mask()) ||
	    vttbr_baddr(c->a64_vttbr_eff) != pa_addr(ctx->root))
		sim_violation("A2", pa_addr(ctx->root), ~0ULL, ctx->vmid,
			      "cpu%d: arch_s2_load(vmid %u, root %#llx) returned with VTTBR_EL2 "
			      "%#llx, HCR_EL2 %#llx in force", sim_this_cpu, ctx->vmid,
			      pa_addr(ctx->root), c->a64_vttbr_eff, c->a64_hcr_eff);
}
