// SPDX-License-Identifier: GPL-2.0
/*
 * Removing and changing mappings: unmap (with empty-table reclaim), split
 * and collapse (break-before-make, s2_bbm.c), explicit table reclaim.
 * Protect: s2_protect.c.
 */
#include "s2_internal.h"
#include <hyp/panic.h>

bool s2_desc_writable(const struct s2_format *f, u64 d)
{
	return s2_desc_valid(f, d) && (d & f->perm_w);
}

/* Output address of leaf @d at @level. */
static paddr_t leaf_pa(const struct s2_format *f, u64 d, int level)
{
	return pa_init(d & f->oa_mask & ~(s2_level_size(level) - 1));
}

/* ---- split (break-before-make) ---------------------------------------------- */

int s2_split_locked(struct s2_vm_locked l, u64 *ptep, int level, u64 base, u64 old)
{
	struct s2_vm *vm = l.vm;
	const struct s2_format *f = vm->fmt;
	int cl = level + 1;
	u64 csize = s2_level_size(cl);
	u64 keep = f->sw_owned | f->sw_logwp | f->sw_rmap | f->sw_pinned | f->af_bit |
		   f->dirty_bit;
	paddr_t table = s2_stock_take(l);
	u64 *t = s2_table_ptr(table);
	paddr_t pa = leaf_pa(f, old, level);
	unsigned int prot = s2_desc_prot(f, old);
	struct s2_gather g;

	BUG_ON(level >= S2_LAST_LEVEL || !s2_leaf_allowed(f, cl));
	/*
	 * Break, with a gather of its own (not counted in flight: it frees
	 * nothing and is complete when s2_break returns): the caller's gather
	 * keeps its own range for its own flush.
	 */
	s2_gather_init(&g, vm, false);
	old = s2_break(l, &g, ptep, base, level, INJ_SPLIT_NO_BBM);
	/* The private table inherits permissions, A/D and software bits (old may have gained D). */
	for (u64 i = 0; i < S2_ENTRIES; i++)
		t[i] = s2_desc_mk_leaf(f, pa_add(pa, i * csize), cl, prot) | (old & keep);
	s2_make(ptep, s2_desc_mk_table(f, table));
	s2_count(vm, splits, 1);
	return 0;
}

/* ---- unmap ------------------------------------------------------------------- */

struct unmap_arg {
	struct s2_vm_locked l;
	struct s2_gather *g;
	bool wrote;			/* a writable entry was removed (R4) */
	bool check_all;			/* reclaim: test every table for emptiness */
	bool touched[S2_MAX_LEVELS];	/* an entry in a table at this level was cleared */
};


/* What a removed leaf leaves behind: dirty mark, reverse map, the page to free. */
static __always_inline void leaf_forget(struct s2_vm_locked l, struct s2_gather *g, u64 old,
					u64 base, int level)
{
	struct s2_vm *vm = l.vm;
	const struct s2_format *f = vm->fmt;
	u64 size = s2_level_size(level);

	/* R4: a writable entry may have been written through: record it under the lock. */
	if (s2_desc_writable(f, old) && s2_dirty_logging(vm))
		s2_dirty_mark(l, base, size);
	if (old & f->sw_rmap)
		s2_rmap_remove(l, leaf_pa(f, old, level), base, level);
	/* R1: the page goes on the gather's list, freed only after the invalidation. */
	if (old & f->sw_owned)
		s2_gather_add_free(l, g, leaf_pa(f, old, level), size);
}

void s2_leaf_forget(struct s2_vm_locked l, struct s2_gather *g, u64 old, u64 base, int level)
{
	leaf_forget(l, g, old, base, level);
}

static __always_inline void leaf_removed(struct s2_vm_locked l, struct s2_gather *g, u64 old,
					 u64 base, int level)
{
	s2_gather_add_range(l, g, base, s2_level_size(level), false);
	leaf_forget(l, g, old, base, level);
}

void s2_leaf_removed(struct s2_vm_locked l, struct s2_gather *g, u64 old, u64 base, int level)
{
	leaf_removed(l, g, old, base, level);
}

static int unmap_leaf(struct s2_walk_data *d, struct unmap_arg *a)
{
	const struct s2_format *f = d->fmt;
	u64 old;

	if (!s2_desc_valid(f, d->old))
		return 0;	/* already clear (perhaps by a concurrent gather: R2 at finish) */
	if (!s2_covers(d))
		return s2_split_locked(a->l, d->ptep, d->level, d->addr, d->old);
	old = s2_clear(d->ptep);
	if (s2_desc_writable(f, old))
		a->wrote = true;
	leaf_removed(a->l, a->g, old, d->addr, d->level);
	a->touched[d->level] = true;
	return 0;
}

/* Is the table empty? Start after @from: unmaps tend to be sequential. */
static bool table_empty(const struct s2_format *f, u64 *t, u64 from)
{
	for (u64 i = 0; i < S2_ENTRIES; i++)
		if (s2_desc_valid(f, READ_ONCE(t[(from + i) & (S2_ENTRIES - 1)])))
			return false;
	return true;
}

/* TABLE_POST: unlink the child table if the unmap emptied it. */
static int unmap_post(struct s2_walk_data *d, struct unmap_arg *a)
{
	const struct s2_format *f = d->fmt;
	int cl = d->level + 1;
	u64 *child;
	paddr_t cpa;

	bool scan = a->check_all || !s2_covers(d);

	/* Unmap: a table wholly inside the range is empty now; else only a touched one may be. */
	if (scan && !a->touched[cl] && !a->check_all)
		return 0;
	a->touched[cl] = false;
	if (!s2_desc_is_table(f, d->old, d->level))
		return 0;
	cpa = s2_desc_pa(f, d->old);
	child = s2_table_ptr(cpa);
	if (scan && !table_empty(f, child,
				 s2_index(f, MIN(d->end, d->addr + s2_level_size(d->level) - 1), cl)))
		return 0;
	s2_clear(d->ptep);
	/*
	 * R2/R6: a table left the tree: walk caches must go (all levels), and
	 * walkers get a grace period. Its leaves were removed (and recorded)
	 * one by one, so the part of its span inside the range is enough: any
	 * non-leaf invalidation inside the span drops the walk-cache entries
	 * that point at it.
	 */
	s2_gather_add_range(a->l, a->g, MAX(d->addr, d->start),
			    MIN(d->end, d->addr + s2_level_size(d->level)) - MAX(d->addr, d->start), true);
	s2_gather_add_free(a->l, a->g, cpa, S2_FREE_TABLE);
	a->touched[d->level] = true;
	return 0;
}

static int unmap_cb(struct s2_walk_data *d, enum s2_visit v)
{
	struct unmap_arg *a = d->arg;

	if (v == S2_VISIT_LEAF)
		return a->check_all ? 0 : unmap_leaf(d, a);
	return unmap_post(d, a);
}

/*
 * One 4K page mapped by a page (the fault path's hot case): the walker's
 * path form, no visitor. Same semantics as the visitor walk: clear, record,
 * then unlink every table on the path that became empty. Returns 1 if the
 * page is inside a block (the visitor walk splits it).
 */
static int unmap_one_page(struct s2_vm_locked l, struct s2_gather *g, u64 ipa, bool *wrote)
{
	const struct s2_format *f = l.vm->fmt;
	u64 *ptep[S2_MAX_LEVELS], d, old;
	int lv = s2_walk_path(f, l.vm->root, ipa, ptep, &d);

	if (!s2_desc_valid(f, d))
		return 0;	/* already clear (perhaps by a concurrent gather: R2 at finish) */
	if (lv != S2_LAST_LEVEL)
		return 1;
	old = s2_clear(ptep[lv]);
	if (s2_desc_writable(f, old))
		*wrote = true;
	leaf_removed(l, g, old, ipa, lv);
	for (; lv > f->start_level; lv--) {
		u64 *table = (u64 *)ALIGN_DOWN((uintptr_t)ptep[lv], PAGE_SIZE);

		if (!table_empty(f, table, (u64)(ptep[lv] - table) + 1))
			break;
		s2_clear(ptep[lv - 1]);
		/* R2/R6: as in unmap_post(): all levels, grace period before the free. */
		s2_gather_add_range(l, g, ipa, PAGE_SIZE, true);
		s2_gather_add_free(l, g, ptr_to_pa(table), S2_FREE_TABLE);
	}
	return 0;
}

int s2_unmap_locked(struct s2_vm_locked l, struct s2_gather *g, u64 ipa, u64 size, bool *wrote)
{
	struct s2_vm *vm = l.vm;
	bool w1 = false;
	int ret;

	s2_gather_request(g, ipa, size);
	s2_count(vm, unmaps, 1);
	if (size == PAGE_SIZE) {
		ret = unmap_one_page(l, g, ipa, &w1);
		if (ret <= 0) {
			if (wrote)
				*wrote = w1;
			return ret;
		}
	}
	ret = s2_stock_topup(l, s2_split_need(vm->fmt));
	if (ret)
		return ret;
	{
		struct unmap_arg a = { .l = l, .g = g };
		struct s2_walker w = {
			.cb = unmap_cb, .arg = &a, .flags = S2_VISIT_LEAF | S2_VISIT_TABLE_POST,
		};

		ret = s2_walk(vm->fmt, vm->root, ipa, size, &w);
		if (wrote)
			*wrote = a.wrote || w1;
	}
	return ret;
}

/* Inline in s2_unmap() too: the one-page unmap is the fault path's hot case. */
static __always_inline int unmap_gather(struct s2_gather *g, ipaddr_t ipa, u64 size)
{
	struct s2_vm *vm = g->vm;
	struct s2_vm_locked l;
	bool wrote = false;
	int ret = s2_check_range(vm, ipa_addr(ipa), size);

	if (ret)
		return ret;
	l = s2_vm_lock(vm);
	if (vm->dying) {
		s2_vm_unlock(&l);
		return -E_BUSY;
	}
	ret = s2_unmap_locked(l, g, ipa_addr(ipa), size, &wrote);
	/* R4: a writable entry was removed while logging: flush under the lock. */
	s2_gather_flush_unlock(&l, g, wrote && s2_dirty_logging(vm));
	return ret;
}

int s2_unmap_gather(struct s2_gather *g, ipaddr_t ipa, u64 size)
{
	return unmap_gather(g, ipa, size);
}

int s2_unmap(struct s2_vm *vm, ipaddr_t ipa, u64 size)
{
	struct s2_gather g;
	int ret;

	s2_gather_begin(&g, vm);
	ret = unmap_gather(&g, ipa, size);
	s2_gather_finish(&g);
	return ret;
}

/* ---- explicit reclaim of empty tables -------------------------------------------- */

int s2_reclaim_locked(struct s2_vm_locked l, struct s2_gather *g, u64 ipa, u64 size)
{
	struct unmap_arg a = { .l = l, .g = g, .check_all = true };
	struct s2_walker w = { .cb = unmap_cb, .arg = &a, .flags = S2_VISIT_TABLE_POST };

	return s2_walk(l.vm->fmt, l.vm->root, ipa, size, &w);
}

int s2_reclaim_tables(struct s2_vm *vm, ipaddr_t ipa, u64 size)
{
	struct s2_vm_locked l;
	struct s2_gather g;
	int ret = s2_check_range(vm, ipa_addr(ipa), size);

	if (ret)
		return ret;
	s2_gather_begin(&g, vm);
	l = s2_vm_lock(vm);
	ret = vm->dying ? -E_BUSY : s2_reclaim_locked(l, &g, ipa_addr(ipa), size);
	s2_vm_unlock(&l);
	s2_gather_finish(&g);
	return ret;
}

/* ---- split / collapse (public) ---------------------------------------------------- */

enum s2_desc_type s2_lookup_ptep(struct s2_vm *vm, u64 ipa, u64 **ptep, int *level)
{
	const struct s2_format *f = vm->fmt;
	u64 d;
	int lv = s2_descend(f, vm->root, ipa, S2_DESCEND_ALL, NULL, ptep, &d);

	*level = lv;
	return s2_desc_is_leaf(f, d, lv) ? S2_DESC_LEAF :
	       s2_desc_valid(f, d) ? S2_DESC_BAD : S2_DESC_INVALID;
}

int s2_split(struct s2_vm *vm, ipaddr_t ipa)
{
	struct s2_vm_locked l;
	u64 *ptep;
	int level, ret;

	if (ipa_addr(ipa) >= vm->ipa_size)
		return -E_RANGE;
	l = s2_vm_lock(vm);
	if (vm->dying) {
		ret = -E_BUSY;
	} else if (s2_lookup_ptep(vm, ipa_addr(ipa), &ptep, &level) != S2_DESC_LEAF ||
		   level == S2_LAST_LEVEL) {
		ret = -E_NOENT;
	} else {
		ret = s2_stock_topup(l, 1);
		if (!ret)
			ret = s2_split_locked(l, ptep, level,
					      ALIGN_DOWN(ipa_addr(ipa), s2_level_size(level)),
					      READ_ONCE(*ptep));
	}
	s2_vm_unlock(&l);
	return ret;
}

/* Can the level-@level table @t become one block? Returns the block descriptor or 0. */
static u64 collapsed_desc(const struct s2_format *f, const u64 *t, int level)
{
	int cl = level + 1;
	u64 csize = s2_level_size(cl);
	u64 first = READ_ONCE(t[0]);
	u64 attrs = f->sw_owned | f->sw_logwp | f->sw_rmap | f->sw_pinned;
	u64 ad = 0;
	paddr_t pa;
	unsigned int prot;

	if (!s2_desc_is_leaf(f, first, cl))
		return 0;
	pa = leaf_pa(f, first, cl);
	prot = s2_desc_prot(f, first);
	if (!IS_ALIGNED(pa_addr(pa), s2_level_size(level)))
		return 0;
	for (u64 i = 0; i < S2_ENTRIES; i++) {
		u64 d = READ_ONCE(t[i]);

		if (!s2_desc_is_leaf(f, d, cl) || s2_desc_prot(f, d) != prot ||
		    !pa_eq(leaf_pa(f, d, cl), pa_add(pa, i * csize)) ||
		    (d & attrs) != (first & attrs))
			return 0;
		ad |= d & f->dirty_bit;
	}
	return s2_desc_mk_leaf(f, pa, level, prot) | (first & attrs) | ad;
}

int s2_collapse(struct s2_vm *vm, ipaddr_t ipa, int level)
{
	const struct s2_format *f = vm->fmt;
	u64 size, base, *ptep, d, blk;
	struct s2_vm_locked l;
	struct s2_gather g;
	int lv, ret = 0;

	if (level < f->start_level || level >= S2_LAST_LEVEL || !s2_leaf_allowed(f, level))
		return -E_INVAL;
	if (ipa_addr(ipa) >= vm->ipa_size)
		return -E_RANGE;
	size = s2_level_size(level);
	base = ALIGN_DOWN(ipa_addr(ipa), size);
	s2_gather_begin(&g, vm);
	l = s2_vm_lock(vm);
	if (vm->dying) {
		ret = -E_BUSY;
		goto unlock;
	}
	/* The level-@level entry for ipa. */
	lv = s2_descend(f, vm->root, base, level, NULL, &ptep, &d);
	if (lv == level) {
		arch_sched_point();
		d = READ_ONCE(*ptep);
	}
	if (lv != level || !s2_desc_is_table(f, d, lv)) {
		ret = -E_NOENT;
		goto unlock;
	}
	blk = collapsed_desc(f, s2_table_ptr(s2_desc_pa(f, d)), level);
	if (!blk) {
		ret = -E_BUSY;
		goto unlock;
	}
	/* Break (the table and the walk caches' entries for it), then make the block. */
	s2_break(l, &g, ptep, base, level, INJ_COLLAPSE_NO_BBM);
	s2_make(ptep, blk);
	/* R1/R6: the old table is freed by the gather after a grace period. */
	s2_gather_add_free(l, &g, s2_desc_pa(f, d), S2_FREE_TABLE);
	g.tables = true;
	s2_count(vm, collapses, 1);
unlock:
	s2_vm_unlock(&l);
	s2_gather_finish(&g);
	return ret;
}
