// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated MMU: per-CPU TLB and walk cache, a hardware walker that
 * fills them (on guest accesses and speculatively), invalidations with
 * scope and completion, and the invariants that are checked against them.
 *
 * Which rule each check implements (see doc/simulation.md):
 *   check_ref_alive()        R1: a cached entry never refers to a freed or
 *                            reallocated page (scan at every free)
 *   walk_table() state check R1/R6: no walk (hardware) reads a freed table
 *   sim_load() / use checks  R7: a VMID never aliases live entries of another
 *                            root; R3: a loaded root is never freed
 *   sim_check_range()        "gone means gone" after unmap / protect / move
 *   sim_dirty_check_all()    R4: no write is missing from the dirty log
 */
#include "sim_internal.h"
#include <hyp/palloc.h>
#include <hyp/string.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

bool sim_palloc_wrapped;

/*
 * Pages freed by hyp code but held back from palloc (simtest's quarantine):
 * FREE for the model although palloc still counts them allocated.
 */
static u64 *quarantined;

static bool in_quarantine(u64 pa)
{
	u64 i = (pa - SIM_RAM_BASE) >> PAGE_SHIFT;

	return quarantined && pa >= SIM_RAM_BASE && pa - SIM_RAM_BASE < sim.cfg.mem_size &&
	       ((quarantined[i / 64] >> (i % 64)) & 1);
}

static void quarantine_mark(u64 pa, unsigned int order, bool on)
{
	u64 i = (pa - SIM_RAM_BASE) >> PAGE_SHIFT;

	if (!quarantined || pa < SIM_RAM_BASE)
		return;
	for (u64 k = 0; k < (1ULL << order); k++, i++) {
		if (on)
			quarantined[i / 64] |= 1ULL << (i % 64);
		else
			quarantined[i / 64] &= ~(1ULL << (i % 64));
	}
}

enum page_state sim_page_state(u64 pa)
{
	return in_quarantine(pa) ? PAGE_FREE : palloc_state(pa_init(pa));
}

/* ---- entries -------------------------------------------------------------- */

static void sim_s1_reset(void);

void sim_machine_reset(void)
{
	for (unsigned int i = 0; i < HYP_MAX_CPUS; i++) {
		struct sim_cpu *c = &sim.cpu[i];

		memset(c->tlb, 0, sizeof(c->tlb));
		memset(c->wc, 0, sizeof(c->wc));
		c->loaded = false;
		c->irq_masked = false;
		c->a64_vttbr = c->a64_vttbr_eff = c->a64_hcr = c->a64_hcr_eff = 0;
		c->a64_unordered_writes = false;
		c->a64_asid = 0;
		c->a64_asid_pin = -1;
		c->x86_in_guest = false;
		c->x86_nmi_pending = false;
		c->x86_vcpu = 0;
		c->state = CPU_IDLE;
		c->ops = 0;
	}
	memset(sim.inval, 0, sizeof(sim.inval));
	sim_s1_reset();
	sim_x86_reset();
	sim.nr_inval = 0;
	sim.hot_next = 0;
	sim.prefer = -1;
}

static bool entry_covers(const struct sim_entry *e, u64 ipa)
{
	return ipa >= e->ipa && ipa - e->ipa < level_size(e->level);
}

static bool entry_overlaps(const struct sim_entry *e, u64 start, u64 size)
{
	u64 end = start + size;

	return e->ipa < end && start < e->ipa + level_size(e->level);
}

static struct sim_entry *slot(struct sim_entry *arr, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (!arr[i].valid)
			return &arr[i];
	return &arr[sim_hw_rand() % n];	/* random replacement */
}

static void entry_fill(struct sim_entry *e, u32 vmid, u64 root, int level, u64 ipa,
		 u64 pa, bool w, bool spec)
{
	enum page_state st = sim_page_state(pa);

	e->valid = 1;
	e->vmid = vmid;
	e->root = root;
	e->level = (s8)level;
	e->ipa = ipa & ~(level_size(level) - 1);
	e->pa = pa;
	e->w = w;
	e->spec = spec;
	e->s1 = 0;
	e->step = sim.step;
	e->tracked = st == PAGE_ALLOCATED;
	e->gen = e->tracked ? palloc_generation(pa_init(pa)) : 0;
}

/* Is the page an entry refers to still the page it was filled with? */
static bool ref_alive(u64 pa, bool tracked, u32 gen)
{
	enum page_state st = sim_page_state(pa);

	if (st == PAGE_FREE)
		return false;
	if (!tracked)
		return true;
	return st == PAGE_ALLOCATED && palloc_generation(pa_init(pa)) == gen;
}

/* A9: how a combined entry is named in a report (it is matched by VA, not IPA). */
static const char *combined_desc(const struct sim_entry *e)
{
	static __thread char buf[96];

	if (!e->s1)
		return "";
	if (e->vpid)
		snprintf(buf, sizeof(buf), " [combined: vpid %u pcid %u linear %#llx -> gpa %#llx]",
			 e->vpid, e->asid, e->va, e->s1_ipa);
	else
		snprintf(buf, sizeof(buf), " [combined stage-1+2: asid %u va %#llx -> ipa %#llx]",
			 e->asid, e->va, e->s1_ipa);
	return buf;
}

static void report_entry(const char *rule, unsigned int cpu, const char *cache,
			 const struct sim_entry *e, const char *why)
{
	sim_violation(rule, e->pa, e->ipa, e->vmid,
		      "%s: cpu%u %s entry vmid=%u ipa=%#llx level=%d -> pa=%#llx%s "
		      "(filled at step %llu%s, page generation then %u, now %u, state %d)",
		      why, cpu, cache, e->vmid, e->ipa, e->level, e->pa, combined_desc(e), e->step,
		      e->spec ? ", speculatively" : "", e->gen,
		      palloc_generation(pa_init(e->pa)), sim_page_state(e->pa));
}

void sim_check_no_stale_refs(const char *why)
{
	for (unsigned int i = 0; i < sim.cfg.ncpus; i++) {
		struct sim_cpu *c = &sim.cpu[i];

		for (unsigned int k = 0; k < sim.cfg.tlb_entries; k++) {
			struct sim_entry *e = &c->tlb[k];

			if (e->valid && !sim_x86_entry_dead(i, e->vmid, e->root) &&
			    !ref_alive(e->pa, e->tracked, e->gen))
				report_entry("R1", i, "TLB", e, why);
		}
		for (unsigned int k = 0; k < sim.cfg.wc_entries; k++) {
			struct sim_entry *e = &c->wc[k];

			if (e->valid && !sim_x86_entry_dead(i, e->vmid, e->root) &&
			    !ref_alive(e->pa, e->tracked, e->gen))
				report_entry("R1", i, "walk-cache", e, why);
		}
		if (c->loaded && sim_page_state(c->root) != PAGE_ALLOCATED)
			sim_violation("R3", c->root, ~0ULL, c->vmid,
				      "%s: root table %#llx of vmid %u freed while loaded on cpu%u",
				      why, c->root, c->vmid, i);
	}
}

/* A free of [pa, pa + 2^order pages): nothing may still point into it (R1). */
void sim_note_free(paddr_t pa, unsigned int order)
{
	u64 lo = pa_addr(pa), hi = lo + (PAGE_SIZE << order);

	if (!sim.inited)
		return;
	sim_stats.frees++;
	sim_trace(EV_FREE, 0, ~0ULL, lo, order, "");
	for (unsigned int i = 0; i < sim.cfg.ncpus; i++) {
		struct sim_cpu *c = &sim.cpu[i];

		for (unsigned int k = 0; k < sim.cfg.tlb_entries; k++) {
			struct sim_entry *e = &c->tlb[k];
			u64 end = e->pa + level_size(e->level);

			if (e->valid && sim_x86_entry_dead(i, e->vmid, e->root))
				continue;	/* X3: flushed at the next VM entry, unused till then */
			if (e->valid && e->pa < hi && lo < end)
				report_entry("R1", i, "TLB", e,
					     "page freed while a TLB still maps it "
					     "(free before the invalidation completed)");
			if (e->valid && e->root >= lo && e->root < hi)
				report_entry("R3", i, "TLB", e,
					     "root of a VM freed while a TLB still holds its entries");
		}
		for (unsigned int k = 0; k < sim.cfg.wc_entries; k++) {
			struct sim_entry *e = &c->wc[k];

			if (e->valid && sim_x86_entry_dead(i, e->vmid, e->root))
				continue;	/* X3 */
			if (e->valid && e->pa >= lo && e->pa < hi)
				report_entry("R1", i, "walk-cache", e,
					     "table freed while a walk cache still points at it");
			if (e->valid && e->root >= lo && e->root < hi)
				report_entry("R3", i, "walk-cache", e,
					     "root of a VM freed while a walk cache still holds its entries");
		}
		if (c->loaded && c->root >= lo && c->root < hi)
			sim_violation("R3", c->root, ~0ULL, c->vmid,
				      "root table %#llx of vmid %u freed while loaded on cpu%u "
				      "(the CPU can still walk it speculatively)", c->root,
				      c->vmid, i);
	}
	if (sim_palloc_wrapped && sim.ram) {
		if (!quarantined)
			quarantined = calloc((sim.cfg.mem_size >> PAGE_SHIFT) / 64 + 1, sizeof(u64));
		quarantine_mark(lo, order, true);
		mprotect(pa_to_ptr(pa), PAGE_SIZE << order, PROT_NONE);
	}
}

/* simtest hands a quarantined block back to palloc (really free now). */
void sim_note_release(paddr_t pa, unsigned int order)
{
	quarantine_mark(pa_addr(pa), order, false);
	if (sim.ram)
		mprotect(pa_to_ptr(pa), PAGE_SIZE << order, PROT_READ | PROT_WRITE);
}

void sim_note_alloc(paddr_t pa, unsigned int order)
{
	if (!sim.inited)
		return;
	if (sim_palloc_wrapped && sim.ram)
		mprotect(pa_to_ptr(pa), PAGE_SIZE << order, PROT_READ | PROT_WRITE);
	sim_trace(EV_ALLOC, 0, ~0ULL, pa_addr(pa), order, "");
}

/*
 * The tag a cached stage-2 entry is matched by: its VMID (arm64 VMID, SVM
 * ASID), or on a VMX instruction-model CPU its EP4TA, the root it was filled
 * under (X6: EPT guest-physical mappings are tagged by EP4TA, not by
 * anything the hypervisor calls a VMID).
 */
static bool tag_ok(bool ep4ta, const struct sim_entry *e, u32 vmid, u64 root)
{
	return ep4ta ? e->root == root : e->vmid == vmid;
}

/* The stage-2 lookup, by IPA: combined entries are not found by IPA (A6). */
static struct sim_entry *tlb_lookup(struct sim_cpu *c, u32 vmid, u64 ipa)
{
	bool ep4ta = sim_x86_ep4ta((unsigned int)(c - sim.cpu));

	for (unsigned int k = 0; k < sim.cfg.tlb_entries; k++) {
		struct sim_entry *e = &c->tlb[k];

		if (e->valid && !e->s1 && tag_ok(ep4ta, e, vmid, c->root) && entry_covers(e, ipa))
			return e;
	}
	return NULL;
}

/*
 * A9: the guest's stage 1. Each simulated vCPU's guest maps IPA page p, for
 * its process (ASID) a, at VA page S1_VA_BASE + a * 2^36 pages-bytes + (p XOR
 * swizzle(cpu, a)): a per-vCPU, per-ASID permutation of the pages inside
 * every 32 KiB, so that VA order is not IPA order and one IPA has a
 * different VA in every process. The guest picks the VA from the IPA it
 * wants; the hardware translates the VA (stage 1 is a function here: the
 * guest's own table walks are not modelled, doc/simulation.md A9).
 */
#define S1_VA_BASE	(1ULL << 47)
#define S1_ASIDS	4

/*
 * X10: whose stage 1 it is: the CPU's (one vCPU per CPU), or, once
 * sim_x86_vcpu_load() named the vCPU, that vCPU's wherever it runs; and
 * how often the guest rewrote it (sim_guest_s1_change(): every rewrite
 * moves every VA of that process to another IPA page of its 32 KiB).
 */
#define S1_OWNERS	128
static u8 s1_gen[S1_OWNERS][S1_ASIDS];

static void sim_s1_reset(void)
{
	memset(s1_gen, 0, sizeof(s1_gen));
}

static unsigned int s1_owner(unsigned int ci)
{
	return sim.cpu[ci].x86_vcpu ? 64u + (sim.cpu[ci].x86_vcpu & 63u) : ci;
}

static u64 s1_swizzle(unsigned int ci, unsigned int asid)
{
	unsigned int o = s1_owner(ci);

	return ((o * 5 + asid * 3 + 1 + s1_gen[o][asid]) & 7) << PAGE_SHIFT;
}

static u64 s1_va_of(unsigned int ci, unsigned int asid, u64 ipa)
{
	return S1_VA_BASE + ((u64)asid << 36) + (ipa ^ s1_swizzle(ci, asid));
}

static u64 s1_ipa_of(unsigned int ci, unsigned int asid, u64 va)
{
	return (va - S1_VA_BASE - ((u64)asid << 36)) ^ s1_swizzle(ci, asid);
}

void sim_guest_asid(int asid)
{
	sim_cur()->a64_asid_pin = (s8)(asid < 0 ? -1 : asid % S1_ASIDS);
}

static u16 x86_vpid_of(unsigned int ci);

/* X10: see sim.h. The guest's own invalidation: this CPU, this VPID/ASID, this PCID. */
void sim_guest_s1_change(void)
{
	struct sim_cpu *c = sim_cur();
	unsigned int ci = (unsigned int)(c - sim.cpu);
	unsigned int o = s1_owner(ci);
	bool ep4ta = sim_x86_ep4ta(ci);
	u16 vpid;

	sim_sched(false);
	if (!c->loaded)
		return;
	if (sim_x86_insn_cpu() && !c->x86_in_guest)
		sim_x86_entry(ci);	/* the guest runs it */
	if (c->a64_asid_pin >= 0)
		c->a64_asid = (u16)c->a64_asid_pin;
	s1_gen[o][c->a64_asid]++;
	vpid = x86_vpid_of(ci);
	for (unsigned int k = 0; k < sim.cfg.tlb_entries; k++) {
		struct sim_entry *e = &c->tlb[k];

		if (e->valid && e->s1 && tag_ok(ep4ta, e, c->vmid, c->root) && e->vpid == vpid &&
		    e->asid == c->a64_asid)
			e->valid = 0;
	}
	sim_trace(EV_INVAL_DONE, c->vmid, 0, vpid, (s64)ci, "guest page-table rewrite + own flush");
}

/*
 * X9: a VMX CPU's VPID for the vCPU it runs: one vCPU per CPU here, so
 * 1 + the CPU (0 is the host's). Combined entries carry it.
 */
static u16 x86_vpid_of(unsigned int ci)
{
	if (!sim_x86_ep4ta(ci))
		return 0;
	/* X10: the loaded vCPU's VPID once sim_x86_vcpu_load() named one. */
	return sim.cpu[ci].x86_vcpu ? sim.cpu[ci].x86_vcpu : (u16)(1 + ci);
}

/*
 * Does this CPU cache combined (guest-linear -> PA) entries? arm64
 * instruction-model CPUs (A6/A9), and x86 instruction-model CPUs: VMX
 * (X9: tagged EP4TA + VPID + PCID) and SVM (X11: tagged ASID + PCID).
 */
static bool combines(unsigned int ci)
{
	return (sim.inited && sim.cfg.flavour == SIM_ARM64 && ((sim.cfg.insn_cpus >> ci) & 1)) ||
	       sim_x86_insn_cpu_n(ci);
}

/*
 * A9: a combined entry is matched by VMID, ASID and VA, nothing else;
 * X9: on VMX by EP4TA, VPID, PCID and linear address.
 */
static struct sim_entry *s1_lookup(struct sim_cpu *c, u32 vmid, unsigned int asid, u64 va)
{
	unsigned int ci = (unsigned int)(c - sim.cpu);
	bool ep4ta = sim_x86_ep4ta(ci);
	u16 vpid = x86_vpid_of(ci);
	u64 vpage = va & ~(PAGE_SIZE - 1);

	for (unsigned int k = 0; k < sim.cfg.tlb_entries; k++) {
		struct sim_entry *e = &c->tlb[k];

		if (e->valid && e->s1 && tag_ok(ep4ta, e, vmid, c->root) && e->vpid == vpid &&
		    e->asid == asid && e->va == vpage)
			return e;
	}
	return NULL;
}

/*
 * A6/A9: a translation of VA (stage 1 -> IPA, stage 2 -> PA) on an arm64
 * instruction-model CPU leaves a combined entry (vmid, asid, VA page) ->
 * PA page, made from the stage-2 entry the translation used.
 */
static void combine(struct sim_cpu *c, unsigned int ci, unsigned int asid, u64 ipa)
{
	u64 va = s1_va_of(ci, asid, ipa) & ~(PAGE_SIZE - 1);
	struct sim_entry *src = tlb_lookup(c, c->vmid, ipa), *e;

	if (!src || s1_lookup(c, c->vmid, asid, va))
		return;
	e = slot(c->tlb, sim.cfg.tlb_entries);
	if (e == src)
		return;
	*e = *src;
	e->s1 = 1;
	e->vpid = x86_vpid_of(ci);
	e->asid = (u16)asid;
	e->va = va;
	e->s1_ipa = ipa & ~(PAGE_SIZE - 1);
	e->step = sim.step;
}

/* ---- the hardware walker ---------------------------------------------------- */

struct walk_res {
	bool leaf;
	int level;		/* level of the leaf, or where the walk stopped */
	u64 leaf_ipa;		/* block base */
	u64 leaf_pa;		/* block output base */
	bool w;
};

static u64 index_of(u64 ipa, int level)
{
	const struct sim_fmt *f = sim.cfg.fmt;
	unsigned int shift = sim_level_shift(level);
	unsigned int bits = level == f->start_level ? f->ipa_bits - shift : 9;

	return (ipa >> shift) & ((1ULL << bits) - 1);
}

static u64 read_desc(u64 table, u64 ipa, int level)
{
	return READ_ONCE(*(u64 *)pa_to_ptr(pa_init(table + 8 * index_of(ipa, level))));
}

/* Returns true if an identical entry is already cached (nothing to fill). */
static bool bbm_check(struct sim_cpu *c, unsigned int ci, u32 vmid, u64 root,
		      const struct walk_res *res, bool spec)
{
	u64 size = level_size(res->level);
	bool same = false, ep4ta = sim_x86_ep4ta(ci);

	for (unsigned int k = 0; k < sim.cfg.tlb_entries; k++) {
		struct sim_entry *e = &c->tlb[k];

		if (!e->valid || e->s1 || !tag_ok(ep4ta, e, vmid, root) ||
		    !entry_overlaps(e, res->leaf_ipa, size))
			continue;	/* combined entries: checked by GONE / R1 instead */
		if (e->level == res->level && e->ipa == res->leaf_ipa && e->pa == res->leaf_pa &&
		    e->root == root) {
			same = true;
			continue;
		}
		sim_violation("BBM", e->pa, res->leaf_ipa, vmid,
			      "TLB conflict on cpu%u: %s walk found level-%d leaf ipa=%#llx -> %#llx "
			      "while the TLB holds level-%d ipa=%#llx -> %#llx (filled at step %llu): "
			      "a live entry changed without break-before-make (clear, invalidate, "
			      "complete, then write)", ci, spec ? "a speculative" : "a", res->level,
			      res->leaf_ipa, res->leaf_pa, e->level, e->ipa, e->pa, e->step);
	}
	return same;
}

/*
 * Walk (vmid, root) for ipa on CPU c as the hardware does: start from the
 * deepest walk-cache entry covering ipa (without re-reading what it caches),
 * read the rest from memory. fill: insert what was read into c's caches.
 * stop_level: a partial walk ends after reading that level's entry.
 */
static bool hw_walk(unsigned int ci, u32 vmid, u64 root, u64 ipa, bool fill,
		    int stop_level, bool spec, struct walk_res *res)
{
	const struct sim_fmt *f = sim.cfg.fmt;
	struct sim_cpu *c = &sim.cpu[ci];
	struct sim_entry *best = NULL;
	int level = f->start_level;
	u64 table = root;

	bool ep4ta = sim_x86_ep4ta(ci);

	sim_stats.walks++;
	if (ipa >> f->ipa_bits)
		return false;
	for (unsigned int k = 0; k < sim.cfg.wc_entries; k++) {
		struct sim_entry *e = &c->wc[k];

		if (e->valid && tag_ok(ep4ta, e, vmid, root) && entry_covers(e, ipa) &&
		    (!best || e->level > best->level))
			best = e;
	}
	if (best) {
		if (best->root != root)
			sim_violation("R7", best->pa, ipa, vmid,
				      "cpu%u walk for vmid %u (root %#llx) used a walk-cache entry "
				      "filled under root %#llx at step %llu: VMID aliasing",
				      ci, vmid, root, best->root, best->step);
		if (!ref_alive(best->pa, best->tracked, best->gen))
			report_entry("R1", ci, "walk-cache", best,
				     "walk through a freed table via the walk cache");
		table = best->pa;
		level = best->level + 1;
	} else if (sim_page_state(root) == PAGE_FREE) {
		sim_violation("R3", root, ipa, vmid,
			      "cpu%u walked vmid %u from root %#llx, which is free", ci,
			      vmid, root);
	}
	for (; level <= f->last_level; level++) {
		struct sim_desc d;
		u64 desc;

		if (sim_page_state(table) == PAGE_FREE)
			sim_violation("R1", table, ipa, vmid,
				      "cpu%u walk read level-%d table %#llx, which is free "
				      "(linked from live tables)", ci, level, table);
		desc = read_desc(table, ipa, level);
		f->decode(f->priv, desc, level, &d);
		if (d.kind == SIM_DESC_INVALID) {
			res->leaf = false;
			res->level = level;
			return false;
		}
		if (d.kind == SIM_DESC_TABLE && level < f->last_level) {
			if (sim_page_state(d.pa) == PAGE_FREE)
				sim_violation("R1", d.pa, ipa, vmid,
					      "live level-%d entry of vmid %u links table %#llx, "
					      "which is free", level, vmid, d.pa);
			if (fill) {
				struct sim_entry *e = slot(c->wc, sim.cfg.wc_entries);

				entry_fill(e, vmid, root, level, ipa, d.pa, false, spec);
				sim_stats.fills_wc++;
				sim_trace(EV_FILL_WC, vmid, e->ipa, d.pa,
					  (s64)level_size(level), spec ? "spec" : "");
			}
			table = d.pa;
			if (level == stop_level) {
				res->leaf = false;
				res->level = level;
				return false;
			}
			continue;
		}
		res->leaf = true;
		res->level = level;
		res->leaf_ipa = ipa & ~(level_size(level) - 1);
		res->leaf_pa = d.pa;
		res->w = d.w;
		if (sim_page_state(d.pa) == PAGE_FREE)
			sim_violation("R1", d.pa, ipa, vmid,
				      "live level-%d leaf of vmid %u maps page %#llx, which is free",
				      level, vmid, d.pa);
		/*
		 * Overlapping entries: the same one again is a hit (no second
		 * entry); anything else overlapping (another size or output)
		 * means the tables changed valid -> valid without a completed
		 * invalidation in between: a TLB conflict (break-before-make).
		 */
		if (fill && !bbm_check(c, ci, vmid, root, res, spec)) {
			struct sim_entry *e = slot(c->tlb, sim.cfg.tlb_entries);

			entry_fill(e, vmid, root, level, ipa, d.pa, d.w, spec);
			sim_stats.fills_tlb++;
			sim_trace(EV_FILL_TLB, vmid, e->ipa, d.pa, (s64)level_size(level),
				  spec ? (d.w ? "spec rw" : "spec ro") : (d.w ? "rw" : "ro"));
		}
		return true;
	}
	return false;
}

/* The live translation of ipa (no caches, no fills). */
static bool live_walk(u32 vmid, u64 root, u64 ipa, struct walk_res *res)
{
	const struct sim_fmt *f = sim.cfg.fmt;
	u64 table = root;

	if (ipa >> f->ipa_bits)
		return false;
	for (int level = f->start_level; level <= f->last_level; level++) {
		struct sim_desc d;

		if (sim_page_state(table) == PAGE_FREE)
			sim_violation("R1", table, ipa, vmid,
				      "live tables of vmid %u link freed table %#llx (level %d)",
				      vmid, table, level);
		f->decode(f->priv, read_desc(table, ipa, level), level, &d);
		if (d.kind == SIM_DESC_INVALID)
			return false;
		if (d.kind == SIM_DESC_TABLE && level < f->last_level) {
			table = d.pa;
			continue;
		}
		res->leaf = true;
		res->level = level;
		res->leaf_ipa = ipa & ~(level_size(level) - 1);
		res->leaf_pa = d.pa;
		res->w = d.w;
		return true;
	}
	return false;
}

/* The table the live tables use at `level` for ipa (0 if none). */
static u64 live_table_at(u64 root, u64 ipa, int level)
{
	const struct sim_fmt *f = sim.cfg.fmt;
	u64 table = root;

	for (int l = f->start_level; l <= level; l++) {
		struct sim_desc d;

		if (sim_page_state(table) == PAGE_FREE)
			return 0;
		f->decode(f->priv, read_desc(table, ipa, l), l, &d);
		if (d.kind != SIM_DESC_TABLE || l == f->last_level)
			return 0;
		table = d.pa;
	}
	return table;
}

void sim_spec_walk(unsigned int ci)
{
	const struct sim_fmt *f = sim.cfg.fmt;
	struct sim_cpu *c = &sim.cpu[ci];
	struct walk_res res;
	u64 ipa = 0;
	int stop = f->last_level;
	bool found = false;

	if (sim.hot_next && sim_hw_rand() % 10 < 8) {
		for (int tries = 0; tries < 8 && !found; tries++) {
			unsigned int n = MIN(sim.hot_next, SIM_HOT);
			unsigned int k = (unsigned int)(sim_hw_rand() % n);

			if (sim.hot[k].vmid == c->vmid) {
				u64 base = sim.hot[k].ipa & ~(SZ_2M - 1);

				ipa = base + (sim_hw_rand() % 512) * PAGE_SIZE;
				if (sim_hw_rand() % 4 == 0)
					ipa = sim.hot[k].ipa & ~(PAGE_SIZE - 1);
				found = true;
			}
		}
	}
	if (!found) {
		if (!sim.cfg.spec_window)
			return;
		ipa = (sim_hw_rand() % (sim.cfg.spec_window >> PAGE_SHIFT)) << PAGE_SHIFT;
	}
	/* Partial walks: cache intermediate levels, stop before the leaf. */
	if (sim_hw_rand() % 4 == 0)
		stop = f->start_level + (int)(sim_hw_rand() % (unsigned int)(f->last_level - f->start_level));
	sim_stats.spec_walks++;
	sim_trace_cpu = (int)ci;
	/*
	 * A9: the guest's stage 1 may be walked speculatively too, for any
	 * process: a full walk on an instruction-model CPU leaves a combined
	 * entry half the time, under a random ASID.
	 */
	if (hw_walk(ci, c->vmid, c->root, ipa, true, stop, true, &res) && res.leaf &&
	    combines(ci) && sim_hw_rand() % 2)
		combine(c, ci, (unsigned int)(sim_hw_rand() % S1_ASIDS), ipa);
	sim_trace_cpu = -1;
}

void sim_evict_random(void)
{
	unsigned int ci = (unsigned int)(sim_hw_rand() % sim.cfg.ncpus);
	struct sim_cpu *c = &sim.cpu[ci];
	struct sim_entry *e;

	if (sim_hw_rand() & 1)
		e = &c->tlb[sim_hw_rand() % sim.cfg.tlb_entries];
	else
		e = &c->wc[sim_hw_rand() % sim.cfg.wc_entries];
	e->valid = 0;
}

/* ---- invalidation ----------------------------------------------------------- */

static bool inval_matches(const struct sim_inval *iv, const struct sim_entry *e, bool leaf)
{
	bool insn = iv->flags & SIM_INV_INSN;

	if (!e->valid)
		return false;
	if (iv->kind == INV_ALL)
		return true;
	if (e->vmid != iv->vmid)
		return false;
	if (iv->kind == INV_VMID)
		return true;
	/* A6/A9: VMALLE1(IS): stage-1 entries of the VMID, every ASID, combined ones included. */
	if (iv->kind == INV_S1)
		return leaf && e->s1;
	/* A6: an invalidation by IPA leaves combined entries (tagged by VA). */
	if (insn && e->s1)
		return false;
	if (!entry_overlaps(e, iv->start, iv->size))
		return false;
	if (!leaf)
		return !iv->leaf_only;
	/*
	 * A last-level-only TLBI with a TTL hint only hits entries of that
	 * level; A5: an arm64 instruction's hint binds for both forms.
	 */
	if ((iv->leaf_only || insn) && iv->level >= 0 && iv->level != e->level)
		return false;
	return true;
}

/*
 * A3: an invalidation issued while the issuer's descriptor writes were not
 * yet visible (no DSB ISHST in between) completes, and the target's walker
 * then refills from the *old* descriptor: the entry it just dropped comes
 * back, if the target still walks that context (same VMID and root).
 */
static void refill_old(const struct sim_inval *iv, struct sim_cpu *c, struct sim_entry *e,
		       unsigned int ci)
{
	if (!(iv->flags & SIM_INV_UNORDERED) || !c->loaded || e->vmid != c->vmid ||
	    e->root != c->root)
		return;
	e->valid = 1;
	e->spec = 1;
	e->step = sim.step;
	sim_stats.fills_tlb++;
	sim_trace(EV_FILL_TLB, e->vmid, e->ipa, e->pa, (s64)level_size(e->level),
		  "refill from a descriptor write not yet visible (A3)");
	(void)ci;
}

static void inval_apply(const struct sim_inval *iv, unsigned int ci)
{
	struct sim_cpu *c = &sim.cpu[ci];

	for (unsigned int k = 0; k < sim.cfg.tlb_entries; k++)
		if (inval_matches(iv, &c->tlb[k], true)) {
			c->tlb[k].valid = 0;
			refill_old(iv, c, &c->tlb[k], ci);
		}
	for (unsigned int k = 0; k < sim.cfg.wc_entries; k++)
		if (inval_matches(iv, &c->wc[k], false)) {
			c->wc[k].valid = 0;
			refill_old(iv, c, &c->wc[k], ci);
		}
}

static const char *const inval_name[] = { "ipa", "range", "vmid", "all", "vmalle1" };

/* x86 VM entry (sim_x86.c): this CPU's entries of vmid, or all, go now. */
void sim_flush_local(unsigned int ci, bool all, u32 vmid)
{
	struct sim_inval iv = { .used = 1, .kind = all ? INV_ALL : INV_VMID, .vmid = vmid };

	inval_apply(&iv, ci);
	sim_trace(EV_INVAL_DONE, vmid, 0, 0, (s64)ci, all ? "x86 entry flush all" : "x86 entry flush vmid");
}

/* x86 INVEPT single-context (sim_x86.c, X6): this CPU's entries filled under @root. */
/*
 * X9: INVVPID on CPU ci: combined (linear) entries of vpid, or of every VPID
 * but 0 (all); never guest-physical entries (SDM 28.4.3.1, INVVPID).
 */
void sim_flush_local_vpid(unsigned int ci, bool all, u16 vpid)
{
	struct sim_cpu *c = &sim.cpu[ci];

	for (unsigned int k = 0; k < sim.cfg.tlb_entries; k++) {
		struct sim_entry *e = &c->tlb[k];

		if (e->valid && e->s1 && e->vpid && (all || e->vpid == vpid))
			e->valid = 0;
	}
	sim_trace(EV_INVAL_DONE, 0, 0, vpid, (s64)ci, all ? "x86 INVVPID all-context" :
		  "x86 INVVPID single-context");
}

void sim_flush_local_root(unsigned int ci, u64 root)
{
	struct sim_cpu *c = &sim.cpu[ci];

	for (unsigned int k = 0; k < sim.cfg.tlb_entries; k++)
		if (c->tlb[k].valid && c->tlb[k].root == root)
			c->tlb[k].valid = 0;
	for (unsigned int k = 0; k < sim.cfg.wc_entries; k++)
		if (c->wc[k].valid && c->wc[k].root == root)
			c->wc[k].valid = 0;
	sim_trace(EV_INVAL_DONE, 0, 0, root, (s64)ci, "x86 INVEPT single-context");
}

static bool deliverable(const struct sim_inval *iv, unsigned int t)
{
	/* x86: the shootdown IPI is taken only with interrupts enabled. */
	return sim.cfg.flavour == SIM_ARM64 || t == iv->issuer || !sim.cpu[t].irq_masked;
}

static void complete_on(struct sim_inval *iv, unsigned int t)
{
	inval_apply(iv, t);
	iv->pending &= ~(1ULL << t);
	sim_stats.inval_done++;
	sim_trace(EV_INVAL_DONE, iv->vmid, iv->start, iv->size, (s64)t, inval_name[iv->kind]);
	if (!iv->pending) {
		iv->used = 0;
		sim.nr_inval--;
	}
}

void sim_deliver_one(int only_issuer)
{
	unsigned int start = (unsigned int)(sim_hw_rand() % SIM_MAX_INVALS);

	for (unsigned int i = 0; i < SIM_MAX_INVALS; i++) {
		struct sim_inval *iv = &sim.inval[(start + i) % SIM_MAX_INVALS];
		unsigned int cand[HYP_MAX_CPUS], k = 0;

		if (!iv->used || (only_issuer >= 0 && iv->issuer != (unsigned int)only_issuer))
			continue;
		for (unsigned int t = 0; t < sim.cfg.ncpus; t++)
			if ((iv->pending & (1ULL << t)) && deliverable(iv, t))
				cand[k++] = t;
		if (!k)
			continue;
		complete_on(iv, cand[sim_hw_rand() % k]);
		return;
	}
}

bool sim_inval_outstanding(unsigned int issuer)
{
	for (unsigned int i = 0; i < SIM_MAX_INVALS && sim.nr_inval; i++)
		if (sim.inval[i].used && sim.inval[i].issuer == issuer)
			return true;
	return false;
}

void sim_inval_issue(enum sim_inval_kind kind, const struct arch_s2_tlb_ctx *ctx,
		     u64 start, u64 size, int level, bool leaf_only, unsigned int flags)
{
	unsigned int me = sim_this_cpu < 0 ? 0 : (unsigned int)sim_this_cpu;
	u64 all = (1ULL << sim.cfg.ncpus) - 1;
	struct sim_inval iv = {
		.used = 1, .kind = (u8)kind, .leaf_only = leaf_only, .level = (s8)level,
		.flags = (u8)flags,
		.vmid = ctx ? ctx->vmid : 0, .start = start, .size = size,
		.issuer = me, .step = sim.step, .id = ++sim.inval_id,
	};

	if (!sim.inited)
		return;
	sim_stats.inval_issued++;
	if (flags & SIM_INV_LOCAL)	/* A9: TLBI VMALLE1 (no IS): this CPU only */
		iv.pending = 1ULL << me;
	else if (sim.cfg.flavour == SIM_ARM64 || kind == INV_ALL)
		iv.pending = all;
	else	/* x86: IPIs to the VM's CPU set; the local INVEPT is synchronous */
		iv.pending = (ctx ? ctx->cpus : all) & all;
	sim_trace(EV_INVAL_ISSUE, iv.vmid, start, size, (s64)iv.pending,
		  leaf_only ? (kind == INV_IPA ? "ipa leaf" : "range leaf") : inval_name[kind]);
	if (sim.cfg.flavour == SIM_X86 || !sim.running) {
		/* local (x86) or, outside a run, everything completes at once */
		u64 now = sim.running ? (1ULL << me) : all;

		for (unsigned int t = 0; t < sim.cfg.ncpus; t++)
			if (now & (1ULL << t))
				inval_apply(&iv, t);
		iv.pending &= ~now;
	}
	if (!iv.pending)
		return;
	/*
	 * A7: TLBIs not separated by a DSB complete in any order. Delivery
	 * scans the slots from a random start, so the first free slot would
	 * make completion nearly first-issued-first: an instruction's record
	 * goes to a random free slot instead.
	 */
	unsigned int first = (flags & SIM_INV_INSN) ? (unsigned int)(sim_hw_rand() % SIM_MAX_INVALS) : 0;

	for (unsigned int k = 0; k < SIM_MAX_INVALS; k++) {
		unsigned int i = (first + k) % SIM_MAX_INVALS;

		if (!sim.inval[i].used) {
			sim.inval[i] = iv;
			sim.nr_inval++;
			return;
		}
	}
	/* Queue full: complete the oldest-looking one everywhere, like a DSB would. */
	for (unsigned int t = 0; t < sim.cfg.ncpus; t++)
		inval_apply(&iv, t);
}

void sim_inval_sync(void)
{
	unsigned int me = sim_this_cpu < 0 ? 0 : (unsigned int)sim_this_cpu;

	if (!sim.inited)
		return;
	sim_stats.syncs++;
	sim_trace(EV_SYNC, 0, 0, 0, 0, "begin");
	sim_sched(false);
	while (sim.running && sim_inval_outstanding(me)) {
		sim_deliver_one((int)me);
		if (sim_inval_outstanding(me))
			sim_sched(true);	/* a masked target must get to run */
	}
	sim_trace(EV_SYNC, 0, 0, 0, 0, "complete");
}

/* ---- contexts --------------------------------------------------------------- */

void sim_load(const struct arch_s2_tlb_ctx *ctx)
{
	struct sim_cpu *c = sim_cur();
	unsigned int ci = (unsigned int)(c - sim.cpu);

	if (!sim.inited)
		return;
	c->x86_in_guest = false;	/* X1: the next guest access enters */
	if (!ctx) {
		sim_trace(EV_LOAD, c->vmid, 0, 0, 0, "unload");
		c->loaded = false;
		return;
	}
	if (sim_page_state(pa_addr(ctx->root)) != PAGE_ALLOCATED)
		sim_violation("R3", pa_addr(ctx->root), ~0ULL, ctx->vmid,
			      "cpu%u loads vmid %u with root %#llx, which is not allocated",
			      ci, ctx->vmid, pa_addr(ctx->root));
	/* R7: nothing tagged with this VMID may remain from another root. */
	for (unsigned int k = 0; k < sim.cfg.tlb_entries + sim.cfg.wc_entries; k++) {
		struct sim_entry *e = k < sim.cfg.tlb_entries ? &c->tlb[k]
							      : &c->wc[k - sim.cfg.tlb_entries];

		/* X6: on VMX another root's entries carry another tag (EP4TA): harmless here. */
		if (e->valid && e->vmid == ctx->vmid && e->root != pa_addr(ctx->root) &&
		    !sim_x86_entry_dead(ci, e->vmid, e->root) && !sim_x86_ep4ta(ci))	/* X1: flushed at entry */
			sim_violation("R7", e->pa, e->ipa, e->vmid,
				      "cpu%u loads vmid %u for root %#llx but still holds a %s "
				      "entry of vmid %u filled under root %#llx at step %llu "
				      "(VMID reused without invalidation)", ci, ctx->vmid,
				      pa_addr(ctx->root), k < sim.cfg.tlb_entries ? "TLB" : "walk-cache",
				      e->vmid, e->root, e->step);
	}
	c->loaded = true;
	c->vmid = ctx->vmid;
	c->root = pa_addr(ctx->root);
	sim_trace(EV_LOAD, ctx->vmid, 0, c->root, (s64)ctx->cpus, "load");
}

/* ---- guest accesses and the dirty-log ground truth --------------------------- */

#define SIM_MAX_VMS	16

static struct {
	u64 window;		/* IPA bytes tracked */
	u64 *last_write;	/* step of the last write, per page */
	u64 *last_report;	/* step of the last harvest that reported the page */
	u32 *last_vmid;		/* VMID the last write went through (reports) */
	u64 base;		/* writes at or before this step are not checked */
	bool logging;
} vms[SIM_MAX_VMS];

void sim_vm_register(unsigned int h, u64 window)
{
	u64 pages = window >> PAGE_SHIFT;

	if (h >= SIM_MAX_VMS)
		return;
	free(vms[h].last_write);
	free(vms[h].last_report);
	free(vms[h].last_vmid);
	vms[h].last_vmid = calloc(pages, sizeof(u32));
	vms[h].window = window;
	vms[h].last_write = calloc(pages, sizeof(u64));
	vms[h].last_report = calloc(pages, sizeof(u64));
	vms[h].logging = false;
}

void sim_dirty_start(unsigned int h)
{
	if (h < SIM_MAX_VMS) {
		vms[h].base = sim.step;
		vms[h].logging = true;
	}
}

void sim_dirty_reported(unsigned int h, ipaddr_t ipa)
{
	u64 p = ipa_addr(ipa) >> PAGE_SHIFT;

	if (h < SIM_MAX_VMS && ipa_addr(ipa) < vms[h].window)
		vms[h].last_report[p] = sim.step;
}

void sim_dirty_check_all(unsigned int h, const char *what)
{
	if (h >= SIM_MAX_VMS || !vms[h].logging)
		return;
	for (u64 p = 0; p < vms[h].window >> PAGE_SHIFT; p++) {
		u64 w = vms[h].last_write[p];

		if (w > vms[h].base && w > vms[h].last_report[p])
			sim_violation("R4", 0, p << PAGE_SHIFT, vms[h].last_vmid[p],
				      "%s: vm%u wrote ipa %#llx at step %llu, but no dirty-log "
				      "harvest reported it afterwards (last report at step %llu): "
				      "a write through a stale writable entry was lost",
				      what, h, p << PAGE_SHIFT, w, vms[h].last_report[p]);
	}
}

enum sim_access sim_guest_access(unsigned int h, ipaddr_t ipa_t, bool write, u64 *val)
{
	struct sim_cpu *c = sim_cur();
	unsigned int ci = (unsigned int)(c - sim.cpu);
	u64 ipa = ipa_addr(ipa_t), pa, va = 0;
	struct sim_entry *e;
	bool insn = combines(ci);	/* A9 / X9: the guest translates linear addresses */
	bool w;

	sim_sched(false);
	if (!c->loaded)
		return SIM_ACC_NOCTX;
	if (sim_x86_insn_cpu() && !c->x86_in_guest)
		sim_x86_entry(ci);	/* X1: VM entry flushes what is owed */
	sim_stats.accesses++;
	if (insn) {
		/* A9: the guest runs process asid (a context switch now and then) and uses VA. */
		/* (x86: a64_asid is the guest's PCID) */
		if (c->a64_asid_pin >= 0)
			c->a64_asid = (u16)c->a64_asid_pin;
		else if (sim_hw_rand() % 32 == 0)
			c->a64_asid = (u16)(sim_hw_rand() % S1_ASIDS);
		va = s1_va_of(ci, c->a64_asid, ipa);
		e = s1_lookup(c, c->vmid, c->a64_asid, va);
		if (e) {
			/* The hardware's translation: VA -> PA, no IPA involved. */
			if (e->root != c->root)
				sim_violation("R7", e->pa, ipa, c->vmid,
					      "cpu%u combined-entry hit for vmid %u (root %#llx) "
					      "on an entry filled under root %#llx at step %llu",
					      ci, c->vmid, c->root, e->root, e->step);
			/* X10: the guest's page table now maps this VA elsewhere. */
			if (e->s1_ipa != (ipa & ~(PAGE_SIZE - 1)))
				report_entry("X10", ci, "TLB (combined)", e,
					     "guest access hit a combined entry of a guest "
					     "page-table mapping that the guest rewrote and "
					     "invalidated on the CPU it ran on (stale guest-linear "
					     "translation: no flush when the vCPU arrived here)");
			pa = e->pa + (e->s1_ipa - e->ipa) + (va & (PAGE_SIZE - 1));
			if (!ref_alive(e->pa, e->tracked, e->gen) ||
			    sim_page_state(pa & ~(PAGE_SIZE - 1)) == PAGE_FREE)
				report_entry("R1", ci, "TLB (combined)", e,
					     "guest access hit a combined entry whose page was freed or reused");
			w = e->w;
			sim_stats.hits++;
			sim_trace(EV_HIT, c->vmid, e->s1_ipa, pa & ~(PAGE_SIZE - 1), (s64)PAGE_SIZE,
				  write ? "combined, for write" : "combined, for read");
			goto translated;
		}
		ipa = s1_ipa_of(ci, c->a64_asid, va);	/* the stage-1 walk */
	}
	e = tlb_lookup(c, c->vmid, ipa);
	if (e) {
		if (e->root != c->root)
			sim_violation("R7", e->pa, ipa, c->vmid,
				      "cpu%u TLB hit for vmid %u (root %#llx) on an entry filled "
				      "under root %#llx at step %llu: another VM's translation",
				      ci, c->vmid, c->root, e->root, e->step);
		pa = e->pa + (ipa - e->ipa);
		if (!ref_alive(e->pa, e->tracked, e->gen) ||
		    sim_page_state(pa & ~(PAGE_SIZE - 1)) == PAGE_FREE)
			report_entry("R1", ci, "TLB", e,
				     "guest access hit a TLB entry whose page was freed or reused");
		w = e->w;
		sim_stats.hits++;
		sim_trace(EV_HIT, c->vmid, e->ipa, e->pa, (s64)level_size(e->level),
			  write ? "for write" : "for read");
	} else {
		struct walk_res res;

		if (!hw_walk(ci, c->vmid, c->root, ipa, true, 99, false, &res)) {
			sim_stats.faults++;
			sim_trace(EV_FAULT, c->vmid, ipa, 0, 0, write ? "translation w" : "translation r");
			c->x86_in_guest = false;	/* X4: a VM exit */
			return SIM_ACC_FAULT;
		}
		pa = res.leaf_pa + (ipa - res.leaf_ipa);
		w = res.w;
	}
translated:
	if (write && !w) {
		/*
		 * The faulting translation is not kept (as x86 does on #PF),
		 * combined entry included (else a stale read-only combined
		 * entry would fault forever: the model's one leniency, A6).
		 */
		while ((e = tlb_lookup(c, c->vmid, ipa)))
			e->valid = 0;
		while (insn && (e = s1_lookup(c, c->vmid, c->a64_asid, va)))
			e->valid = 0;
		sim_stats.faults++;
		sim_trace(EV_FAULT, c->vmid, ipa, pa, 0, "permission");
		c->x86_in_guest = false;	/* X4 */
		return SIM_ACC_PERM;
	}
	if (insn)
		combine(c, ci, c->a64_asid, ipa);
	pa &= ~7ULL;
	if (sim_page_state(pa & ~(PAGE_SIZE - 1)) == PAGE_FREE)
		sim_violation("R1", pa, ipa, c->vmid, "cpu%u guest %s of freed page %#llx",
			      ci, write ? "write" : "read", pa);
	if (write) {
		*(u64 *)pa_to_ptr(pa_init(pa)) = *val;
		if (h < SIM_MAX_VMS && ipa < vms[h].window)
		{
			vms[h].last_write[ipa >> PAGE_SHIFT] = sim.step;
			vms[h].last_vmid[ipa >> PAGE_SHIFT] = c->vmid;
		}
		sim_trace(EV_WRITE, c->vmid, ipa, pa, (s64)*val, "");
	} else {
		*val = *(u64 *)pa_to_ptr(pa_init(pa));
		sim_trace(EV_READ, c->vmid, ipa, pa, (s64)*val, "");
	}
	return SIM_ACC_OK;
}

/* ---- "gone means gone" --------------------------------------------------------- */

static bool coherent_at(u32 vmid, u64 root, u64 ipa, u64 cached_pa, bool cached_w)
{
	struct walk_res live;

	if (!live_walk(vmid, root, ipa, &live))
		return false;
	if (live.leaf_pa + (ipa - live.leaf_ipa) != cached_pa)
		return false;
	return !cached_w || live.w;
}

static void range_fail(const char *op, unsigned int ci, const char *cache,
		       const struct sim_entry *e, u64 ipa, u64 start, u64 size)
{
	sim_violation("GONE", e->pa, ipa, e->vmid,
		      "after %s [%#llx, +%#llx) returned, cpu%u still holds a %s entry "
		      "vmid=%u ipa=%#llx level=%d -> pa=%#llx %s%s (filled at step %llu%s) "
		      "that the live tables no longer have", op, start, size, ci, cache,
		      e->vmid, e->ipa, e->level, e->pa, e->w ? "rw" : "ro", combined_desc(e), e->step,
		      e->spec ? ", speculatively" : "");
}

/* Leaves reachable in a stale table that the live tables do not have. */
static int scan_stale(u32 vmid, u64 root, u64 table, int level, u64 base,
		      u64 start, u64 end, int *budget, u64 *bad_ipa, u64 *bad_pa)
{
	const struct sim_fmt *f = sim.cfg.fmt;
	u64 sz = level_size(level);

	if (sim_page_state(table) == PAGE_FREE) {
		*bad_ipa = base;
		*bad_pa = table;
		return 1;
	}
	for (u64 i = 0; i < 512 && *budget > 0; i++) {
		u64 ipa = base + i * sz;
		struct sim_desc d;

		if (ipa + sz <= start || ipa >= end)
			continue;
		(*budget)--;
		f->decode(f->priv, READ_ONCE(*(u64 *)pa_to_ptr(pa_init(table + 8 * i))),
			  level, &d);
		if (d.kind == SIM_DESC_INVALID)
			continue;
		if (d.kind == SIM_DESC_TABLE && level < f->last_level) {
			if (scan_stale(vmid, root, d.pa, level + 1, ipa, start, end, budget,
				       bad_ipa, bad_pa))
				return 1;
			continue;
		}
		u64 x = MAX(ipa, start);

		if (!coherent_at(vmid, root, x, d.pa + (x - ipa), d.w)) {
			*bad_ipa = x;
			*bad_pa = d.pa;
			return 1;
		}
	}
	return 0;
}

void sim_check_range(const char *op, u32 vmid, paddr_t root_pa, ipaddr_t start_ipa,
		     u64 size, unsigned int what)
{
	u64 root = pa_addr(root_pa), start = ipa_addr(start_ipa), end = start + size;

	if (!sim.inited)
		return;
	for (unsigned int ci = 0; ci < sim.cfg.ncpus; ci++) {
		struct sim_cpu *c = &sim.cpu[ci];

		for (unsigned int k = 0; k < sim.cfg.tlb_entries; k++) {
			struct sim_entry *e = &c->tlb[k];
			u64 lo, hi, pts[3];

			if (!e->valid || e->vmid != vmid || e->root != root ||
			    !entry_overlaps(e, start, size) || sim_x86_entry_dead(ci, vmid, root))
				continue;
			lo = MAX(e->ipa, start);
			hi = MIN(e->ipa + level_size(e->level), end) - PAGE_SIZE;
			pts[0] = lo;
			pts[1] = hi;
			pts[2] = lo + (((hi - lo) >> PAGE_SHIFT) / 2 << PAGE_SHIFT);
			for (int i = 0; i < 3; i++)
				if (!coherent_at(vmid, root, pts[i], e->pa + (pts[i] - e->ipa), e->w))
					range_fail(op, ci, "TLB", e, pts[i], start, size);
		}
		for (unsigned int k = 0; k < sim.cfg.wc_entries; k++) {
			struct sim_entry *e = &c->wc[k];
			int budget = 8192;
			u64 bad_ipa = 0, bad_pa = 0;

			if (!e->valid || e->vmid != vmid || e->root != root ||
			    !entry_overlaps(e, start, size) || sim_x86_entry_dead(ci, vmid, root))
				continue;
			if (live_table_at(root, e->ipa, e->level) == e->pa)
				continue;	/* the same table the live tables use */
			if (scan_stale(vmid, root, e->pa, e->level + 1, e->ipa, start, end,
				       &budget, &bad_ipa, &bad_pa))
				sim_violation("GONE", bad_pa, bad_ipa, vmid,
					      "after %s [%#llx, +%#llx) returned, cpu%u's walk cache "
					      "entry vmid=%u ipa=%#llx level=%d -> stale table %#llx "
					      "(filled at step %llu) still translates ipa %#llx -> %#llx",
					      op, start, size, ci, vmid, e->ipa, e->level, e->pa,
					      e->step, bad_ipa, bad_pa);
		}
	}
	(void)what;
}

/* ---- a built-in arm64 stage-2 decoder (model self-tests) ---------------------- */

static void arm64_decode(const void *priv, u64 desc, int level, struct sim_desc *out)
{
	u64 addr = desc & GENMASK(47, 12);

	(void)priv;
	out->kind = SIM_DESC_INVALID;
	if (!(desc & 1))
		return;
	if (level < 3 && (desc & 2)) {
		out->kind = SIM_DESC_TABLE;
		out->pa = addr;
		return;
	}
	if (level == 3 && !(desc & 2))
		return;
	if (level == 0 && !(desc & 2))
		return;
	out->kind = SIM_DESC_LEAF;
	out->pa = addr & ~(level_size(level) - 1);
	out->r = (desc >> 6) & 1;
	out->w = (desc >> 7) & 1;
}

const struct sim_fmt sim_fmt_arm64_4l = {
	.name = "arm64-4k-l0", .start_level = 0, .last_level = 3, .ipa_bits = 48,
	.root_order = 0, .decode = arm64_decode,
};
