// SPDX-License-Identifier: GPL-2.0
/*
 * Stage-2 TLB maintenance (arch.h "Stage-2 TLB maintenance"). All
 * invalidations are the Inner Shareable broadcast forms: a stage-2 mapping
 * may be cached by any CPU that ran the VM (rule R7). Completion is a
 * separate step, arch_s2_inval_sync() (DSB ISH), so that a caller can batch
 * several invalidations behind one barrier (the gather, rule R1).
 *
 * TLBI by IPA and VMALLS12E1 act on the VMID in VTTBR_EL2, so those
 * functions load the target VMID around the TLBI, with interrupts masked so
 * that nothing on this CPU runs with the borrowed VTTBR_EL2.
 *
 * Every instruction goes through arm64/tlbi.h, so that the simulation
 * (ARCH=sim) runs this file unchanged against the architectural model
 * (doc/simulation.md, "The arm64 instruction model"). Each ordering decision
 * below has a fault-injection switch (tlbi-*, hyp/inject.h) that removes or bends it; the
 * simulation's insn-* tests must catch every one (doc/validation.md).
 */
#include <hyp/arch.h>
#include <hyp/console.h>
#include <hyp/inject.h>
#include <hyp/panic.h>
#include <arm64/cpufeature.h>
#include <arm64/tlb.h>
#include <arm64/tlbi.h>
#include <arm64/sysreg.h>

#define VTTBR_VMID_SHIFT	48

static u64 vttbr_of(const struct arch_s2_tlb_ctx *ctx)
{
	return (u64)(ctx->vmid & 0xffff) << VTTBR_VMID_SHIFT | pa_addr(ctx->root);
}

/* Borrow VTTBR_EL2 for ctx's VMID; returns what to give back. */
static u64 vmid_enter(const struct arch_s2_tlb_ctx *ctx, unsigned long *flags)
{
	u64 old;

	*flags = arch_irq_save();
	tlbi_expect_vmid((int)(ctx->vmid & 0xffff));
	old = read_vttbr_el2();
	if (old != vttbr_of(ctx)) {
		/* A1: TLBI by IPA / VMALLS12E1 act on VTTBR_EL2's VMID (doc/simulation.md). */
		if (!inject(TLBI_NO_VMID_BORROW))
			write_vttbr_el2(vttbr_of(ctx));
		/* A2: a system-register write reaches later instructions only after an ISB. */
		if (!inject(TLBI_NO_ISB_AFTER_VTTBR))
			isb_sync();	/* the TLBI must see the new VMID */
	}
	/* A3: the descriptor writes the caller made must be visible to walkers
	 * before the TLBI: otherwise a walk could refill the old entry. */
	if (!inject(TLBI_NO_DSB_ISHST))
		dsb_ishst();
	return old;
}

static void vmid_exit(const struct arch_s2_tlb_ctx *ctx, u64 old, unsigned long flags)
{
	/* A1: give the borrowed VTTBR_EL2 back (committed) before interrupts. */
	if (old != vttbr_of(ctx) && !inject(TLBI_NO_VTTBR_RESTORE)) {
		write_vttbr_el2(old);
		isb_sync();
	}
	tlbi_expect_vmid(-1);
	arch_irq_restore(flags);
}

/*
 * TLBI IPAS2E1IS drops stage-2-only entries; entries that combine stage 1
 * and stage 2 for that IPA (tagged by VA, unknown here) are dropped by
 * VMALLE1IS, which must come after the IPA invalidation has completed
 * (DSB ISH) or a walk could recombine with the stale stage-2 entry (Arm ARM
 * D8.13 "TLB maintenance requirements ... stage 2").
 */
static void flush_combined(void)
{
	/* A6: the stage-2 invalidation completes before the stage-1 one. */
	if (!inject(TLBI_COMBINED_BEFORE_COMPLETE))
		dsb_ish();
	/* A6: combined stage-1+2 entries go only with a stage-1 invalidation; */
	/* A9: on every CPU: the Inner Shareable form (VMALLE1 is this CPU's only). */
	if (inject(TLBI_COMBINED_LOCAL))
		tlbi_vmalle1();
	else if (!inject(TLBI_NO_COMBINED_FLUSH))
		tlbi_vmalle1is();
}

void arch_s2_inval_ipa(const struct arch_s2_tlb_ctx *ctx, ipaddr_t ipa,
		       int level, bool leaf_only)
{
	unsigned long flags;
	u64 old = vmid_enter(ctx, &flags);
	u64 arg = (ipa_addr(ipa) >> PAGE_SHIFT) & TLBI_IPA_MASK;

	/* A5: TTL hint: 4K granule, level 1..3 (level 0 holds no leaves with 4K);
	 * a wrong hint may leave the entry cached. */
	if (inject(TLBI_TTL_ALWAYS_PAGE))
		level = 3;
	if (cpu_features.ttl && level >= 1 && level <= 3)
		arg |= (TTL_4K | (u64)level) << TLBI_TTL_SHIFT;
	/* A5: the leaf-only form leaves walk caches: only when the caller says so. */
	if (inject(TLBI_LEAF_FORM_ALWAYS))
		leaf_only = true;
	if (leaf_only)
		tlbi_ipas2le1is(arg);
	else
		tlbi_ipas2e1is(arg);
	flush_combined();
	vmid_exit(ctx, old, flags);
}

bool arch_s2_has_range_inval(void)
{
	return cpu_features.tlbi_range;
}

bool arch_s2_inval_range(const struct arch_s2_tlb_ctx *ctx, ipaddr_t start,
			 u64 size, bool leaf_only)
{
	u64 addr = ALIGN_DOWN(ipa_addr(start), PAGE_SIZE);
	u64 pages = (ALIGN_UP(ipa_addr(start) + size, PAGE_SIZE) - addr) >> PAGE_SHIFT;
	unsigned long flags;
	unsigned int scale = 0;
	u64 old;

	if (!cpu_features.tlbi_range)
		return false;
	/* A4: 2^21 pages and more have no SCALE/NUM encoding. */
	if (pages >= RANGE_MAX_PAGES + (inject(TLBI_RANGE_MAX_OFF_BY_ONE) ? 1 : 0)) {
		arch_s2_inval_vmid(ctx);	/* cheaper than many range ops */
		return true;
	}
	old = vmid_enter(ctx, &flags);
	/*
	 * Peel off an odd page with a single-IPA TLBI, then cover the rest
	 * with at most one range op per SCALE, smallest first (as Linux's
	 * __flush_tlb_range_op does).
	 */
	while (pages && scale <= 3) {
		/* A4: BaseADDR is where this op starts, not where the request did. */
		u64 base = (addr >> PAGE_SHIFT) & RANGE_BASE_MASK;

		if (inject(TLBI_RANGE_BASE_STALE))
			base = (ALIGN_DOWN(ipa_addr(start), PAGE_SIZE) >> PAGE_SHIFT) & RANGE_BASE_MASK;

		if (pages & 1) {
			if (leaf_only)
				tlbi_ipas2le1is(base);
			else
				tlbi_ipas2e1is(base);
			addr += PAGE_SIZE;
			pages--;
			continue;
		}
		{
			u64 num = (pages >> (5 * scale + 1)) & 0x1f;

			if (num) {
				/* A4: NUM encodes num - 1 chunks of 2^(5*SCALE+1) pages. */
				u64 arg = RANGE_TG_4K | RANGE_SCALE(scale) | RANGE_NUM(num - 1) | base;

				if (inject(TLBI_RANGE_NUM_OFF_BY_ONE) && num >= 2)	/* one chunk too few */
					arg = RANGE_TG_4K | RANGE_SCALE(scale) | RANGE_NUM(num - 2) | base;
				if (leaf_only)
					tlbi_ripas2le1is(arg);
				else
					tlbi_ripas2e1is(arg);
				addr += RANGE_PAGES(scale, num - 1) << PAGE_SHIFT;
				pages -= RANGE_PAGES(scale, num - 1);
			}
		}
		scale++;
	}
	flush_combined();
	vmid_exit(ctx, old, flags);
	return true;
}

void arch_s2_inval_vmid(const struct arch_s2_tlb_ctx *ctx)
{
	unsigned long flags;
	u64 old = vmid_enter(ctx, &flags);

	/* A6: stage 1, stage 2 and combined, this VMID (VMALLE1IS would keep stage 2). */
	if (inject(TLBI_VMID_WRONG_OP))
		tlbi_vmalle1is();
	else
		tlbi_vmalls12e1is();
	vmid_exit(ctx, old, flags);
}

void arch_s2_inval_all(void)
{
	/* A3: descriptor writes visible before the TLBI. */
	if (!inject(TLBI_ALL_NO_DSB_ISHST))
		dsb_ishst();
	tlbi_alle1is();
}

void arch_s2_inval_sync(const struct arch_s2_tlb_ctx *ctx)
{
	/* A7: only DSB ISH waits for broadcast TLBIs to complete (DSB ISHST does not). */
	if (inject(TLBI_SYNC_DSB_ISHST))
		dsb_ishst();
	else
		dsb_ish();
}

void arch_s2_load(const struct arch_s2_tlb_ctx *ctx)
{
	u64 hcr = read_hcr_el2();

	if (!ctx) {
		/* Stage 2 off first, then drop the table: no walk of either. */
		write_hcr_el2(hcr & ~HCR_VM);
		/* A2: R3 needs the old root out of use when this returns: ISB. */
		if (!inject(TLBI_UNLOAD_NO_ISB))
			isb_sync();
		write_vttbr_el2(0);
		if (!inject(TLBI_UNLOAD_NO_ISB))
			isb_sync();
		return;
	}
	write_vttbr_el2(vttbr_of(ctx));
	isb_sync();	/* new VTTBR before stage 2 may be enabled with it */
	write_hcr_el2(hcr | HCR_VM);
	isb_sync();
}

/*
 * Run every operation above once, at boot, with a VMID no VM uses (stage 2
 * is still off, so nothing of value is dropped): an operation this CPU does
 * not implement traps here with a full dump instead of later under a guest.
 * Also checks that the borrowed VTTBR_EL2 is given back.
 */
void tlb_boot_check(void)
{
	const struct arch_s2_tlb_ctx ctx = { .vmid = 1, .root = pa_init(0), .cpus = 0 };
	u64 vttbr = read_vttbr_el2();
	bool range = false;

	arch_s2_inval_ipa(&ctx, ipa_init(SZ_2M), 3, true);
	arch_s2_inval_ipa(&ctx, ipa_init(SZ_1G), -1, false);
	if (arch_s2_has_range_inval())
		range = arch_s2_inval_range(&ctx, ipa_init(SZ_4K), 37 * PAGE_SIZE, false) &&
			arch_s2_inval_range(&ctx, ipa_init(0), SZ_1G, true);
	arch_s2_inval_vmid(&ctx);
	arch_s2_inval_all();
	arch_s2_inval_sync(&ctx);
	if (read_vttbr_el2() != vttbr)
		panic("stage-2 TLB maintenance did not restore VTTBR_EL2");
	pr_info("arm64: stage-2 TLB maintenance ok (range invalidation %s)\n",
		range ? "used" : "not available");
}
