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
 * Instructions are written with "sys" so that the ARMv8.4 range forms
 * assemble with the baseline -march.
 */
#include <hyp/arch.h>
#include <hyp/console.h>
#include <hyp/panic.h>
#include <arm64/cpufeature.h>
#include <arm64/tlb.h>
#include <arm64/sysreg.h>

#define TLBI(op1, crm, op2, arg) \
	__asm__ __volatile__("sys #" #op1 ", c8, c" #crm ", #" #op2 ", %0" : : "r"(arg) : "memory")

#define tlbi_ipas2e1is(x)	TLBI(4, 0, 1, x)
#define tlbi_ipas2le1is(x)	TLBI(4, 0, 5, x)
#define tlbi_ripas2e1is(x)	TLBI(4, 0, 2, x)
#define tlbi_ripas2le1is(x)	TLBI(4, 0, 6, x)
#define tlbi_vmalle1is()	__asm__ __volatile__("tlbi vmalle1is" ::: "memory")
#define tlbi_vmalls12e1is()	__asm__ __volatile__("tlbi vmalls12e1is" ::: "memory")
#define tlbi_alle1is()		__asm__ __volatile__("tlbi alle1is" ::: "memory")

#define VTTBR_VMID_SHIFT	48
#define TLBI_IPA_MASK		GENMASK(35, 0)	/* IPA[47:12] in bits [35:0] */
#define TLBI_TTL_SHIFT		44
#define TTL_4K			(1ULL << 2)	/* TTL[3:2] = 0b01: 4 KiB granule */

/* Range operands: TG[47:46] SCALE[45:44] NUM[43:39] TTL[38:37] BaseADDR[36:0]. */
#define RANGE_TG_4K		(1ULL << 46)
#define RANGE_SCALE(s)		((u64)(s) << 44)
#define RANGE_NUM(n)		((u64)(n) << 39)
#define RANGE_BASE_MASK		GENMASK(36, 0)
/* One range op covers (NUM+1) << (5*SCALE+1) pages; the largest is 2^21 pages. */
#define RANGE_PAGES(scale, num)	((u64)((num) + 1) << (5 * (scale) + 1))
#define RANGE_MAX_PAGES		RANGE_PAGES(3, 31)

static u64 vttbr_of(const struct arch_s2_tlb_ctx *ctx)
{
	return (u64)(ctx->vmid & 0xffff) << VTTBR_VMID_SHIFT | pa_addr(ctx->root);
}

/* Borrow VTTBR_EL2 for ctx's VMID; returns what to give back. */
static u64 vmid_enter(const struct arch_s2_tlb_ctx *ctx, unsigned long *flags)
{
	u64 old;

	*flags = arch_irq_save();
	old = read_sysreg(vttbr_el2);
	if (old != vttbr_of(ctx)) {
		write_sysreg(vttbr_el2, vttbr_of(ctx));
		isb();	/* the TLBI must see the new VMID */
	}
	/* The descriptor writes the caller made must be visible to walkers
	 * before the TLBI: otherwise a walk could refill the old entry. */
	dsb(ishst);
	return old;
}

static void vmid_exit(const struct arch_s2_tlb_ctx *ctx, u64 old, unsigned long flags)
{
	if (old != vttbr_of(ctx)) {
		write_sysreg(vttbr_el2, old);
		isb();
	}
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
	dsb(ish);
	tlbi_vmalle1is();
}

void arch_s2_inval_ipa(const struct arch_s2_tlb_ctx *ctx, ipaddr_t ipa,
		       int level, bool leaf_only)
{
	unsigned long flags;
	u64 old = vmid_enter(ctx, &flags);
	u64 arg = (ipa_addr(ipa) >> PAGE_SHIFT) & TLBI_IPA_MASK;

	/* TTL hint: 4K granule, level 1..3 (level 0 holds no leaves with 4K). */
	if (cpu_features.ttl && level >= 1 && level <= 3)
		arg |= (TTL_4K | (u64)level) << TLBI_TTL_SHIFT;
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
	if (pages >= RANGE_MAX_PAGES) {	/* bit 21 has no SCALE/NUM encoding */
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
		u64 base = (addr >> PAGE_SHIFT) & RANGE_BASE_MASK;

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
				u64 arg = RANGE_TG_4K | RANGE_SCALE(scale) | RANGE_NUM(num - 1) | base;

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

	tlbi_vmalls12e1is();	/* stage 1, stage 2 and combined, this VMID */
	vmid_exit(ctx, old, flags);
}

void arch_s2_inval_all(void)
{
	dsb(ishst);
	tlbi_alle1is();
}

void arch_s2_inval_sync(const struct arch_s2_tlb_ctx *ctx)
{
	dsb(ish);
}

void arch_s2_load(const struct arch_s2_tlb_ctx *ctx)
{
	u64 hcr = read_sysreg(hcr_el2);

	if (!ctx) {
		/* Stage 2 off first, then drop the table: no walk of either. */
		write_sysreg(hcr_el2, hcr & ~HCR_VM);
		isb();
		write_sysreg(vttbr_el2, 0);
		isb();
		return;
	}
	write_sysreg(vttbr_el2, vttbr_of(ctx));
	isb();	/* new VTTBR before stage 2 may be enabled with it */
	write_sysreg(hcr_el2, hcr | HCR_VM);
	isb();
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
	u64 vttbr = read_sysreg(vttbr_el2);
	bool range = false;

	arch_s2_inval_ipa(&ctx, ipa_init(SZ_2M), 3, true);
	arch_s2_inval_ipa(&ctx, ipa_init(SZ_1G), -1, false);
	if (arch_s2_has_range_inval())
		range = arch_s2_inval_range(&ctx, ipa_init(SZ_4K), 37 * PAGE_SIZE, false) &&
			arch_s2_inval_range(&ctx, ipa_init(0), SZ_1G, true);
	arch_s2_inval_vmid(&ctx);
	arch_s2_inval_all();
	arch_s2_inval_sync(&ctx);
	if (read_sysreg(vttbr_el2) != vttbr)
		panic("stage-2 TLB maintenance did not restore VTTBR_EL2");
	pr_info("arm64: stage-2 TLB maintenance ok (range invalidation %s)\n",
		range ? "used" : "not available");
}
