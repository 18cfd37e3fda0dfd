// SPDX-License-Identifier: GPL-2.0
/*
 * Map: install leaves (blocks where possible), creating tables from the
 * stock. Failure-atomic: every table the map needs is in the stock before
 * the first descriptor changes, and -E_EXIST is detected before, too.
 *
 * Installing a valid entry where there was none needs no invalidation:
 * neither arm64 nor x86 caches invalid entries.
 */
#include "s2_internal.h"

struct map_arg {
	struct s2_vm_locked l;
	u64 ipa;		/* start of the mapping */
	u64 pa;			/* output address of ipa */
	unsigned int prot;
	unsigned int flags;
	u64 sw;			/* software bits of every leaf */
	u64 tables;		/* prepass: tables needed */
	u64 leaves;		/* prepass: leaves to install */
};

/* May [addr, addr + size(level)) be one leaf at @level? */
static bool leaf_fits(const struct s2_format *f, const struct map_arg *a,
		      int level, u64 addr, u64 end)
{
	u64 size = s2_level_size(level);

	if (!s2_leaf_allowed(f, level))
		return false;
	if (level != S2_LAST_LEVEL && (a->flags & S2_MAP_PAGES))
		return false;
	return addr >= a->ipa && IS_ALIGNED(addr, size) && addr + size <= end && addr + size > addr &&
	       IS_ALIGNED(a->pa + (addr - a->ipa), size);
}

static void fresh(const struct s2_format *f, struct map_arg *a, u64 lo, u64 hi, int level);

/* A partial entry at @level: it needs a table, filled from level + 1. */
static void fresh_piece(const struct s2_format *f, struct map_arg *a, u64 lo, u64 hi, int level)
{
	a->tables++;
	fresh(f, a, lo, hi, level + 1);
}

/*
 * Count the tables and leaves needed to map [lo, hi) into a new, empty
 * table at @level. Closed form over runs of whole entries (they all have the
 * same alignment), so the cost is O(levels), not O(pages).
 */
static void fresh(const struct s2_format *f, struct map_arg *a, u64 lo, u64 hi, int level)
{
	u64 size = s2_level_size(level);
	u64 x = lo;

	if (!IS_ALIGNED(x, size)) {
		u64 e = MIN(hi, ALIGN_UP(x, size));

		fresh_piece(f, a, x, e, level);
		x = e;
	}
	if (x < hi && ALIGN_DOWN(hi, size) > x) {
		u64 full_end = ALIGN_DOWN(hi, size);
		u64 n = (full_end - x) / size;

		if (leaf_fits(f, a, level, x, hi)) {
			a->leaves += n;
		} else {
			struct map_arg one = *a;

			one.tables = 1;
			one.leaves = 0;
			fresh(f, &one, x, x + size, level + 1);
			a->tables += n * one.tables;
			a->leaves += n * one.leaves;
		}
		x = full_end;
	}
	if (x < hi)
		fresh_piece(f, a, x, hi, level);
}

static int map_prepass_cb(struct s2_walk_data *d, enum s2_visit v)
{
	struct map_arg *a = d->arg;
	u64 end = MIN(d->end, d->addr + s2_level_size(d->level));

	if (s2_desc_valid(d->fmt, d->old))
		return -E_EXIST;
	if (leaf_fits(d->fmt, a, d->level, d->addr, d->end)) {
		a->leaves++;
		return 0;
	}
	fresh_piece(d->fmt, a, MAX(d->addr, d->start), end, d->level);
	return 0;
}

static int map_cb(struct s2_walk_data *d, enum s2_visit v)
{
	struct map_arg *a = d->arg;
	const struct s2_format *f = d->fmt;
	struct s2_vm *vm = a->l.vm;
	paddr_t out;

	if (s2_desc_valid(f, d->old))
		return -E_EXIST;	/* single-leaf fast path; nothing changed yet */
	if (!leaf_fits(f, a, d->level, d->addr, d->end)) {
		/* Needs a table: from the stock (filled before we started). */
		s2_publish(d->ptep, s2_desc_mk_table(f, s2_stock_take(a->l)));
		return 0;
	}
	out = pa_init(a->pa + (d->addr - a->ipa));
	s2_set(d->ptep, s2_desc_mk_leaf(f, out, d->level, a->prot) | a->sw);
	if (a->flags & S2_MAP_RMAP)
		s2_rmap_insert(a->l, out, d->addr, d->level);
	if (s2_dirty_logging(vm) && (a->prot & S2_PROT_W))
		s2_dirty_mark(a->l, d->addr, s2_level_size(d->level));
	return 0;
}

/*
 * One 4K page: the walker's path form, no visitor (the fault path's hot
 * case). Same semantics as map_cb: an existing entry on the path means
 * -E_EXIST before anything changed; missing tables come from the stock.
 */
static int map_one_page(struct map_arg *a)
{
	struct s2_vm *vm = a->l.vm;
	const struct s2_format *f = vm->fmt;
	u64 *ptep[S2_MAX_LEVELS], d;
	int lv = s2_walk_path(f, vm->root, a->ipa, ptep, &d);

	if (s2_desc_valid(f, d))
		return -E_EXIST;
	for (; lv < S2_LAST_LEVEL; lv++) {
		paddr_t t = s2_stock_take(a->l);

		s2_publish(ptep[lv], s2_desc_mk_table(f, t));
		ptep[lv + 1] = &s2_table_ptr(t)[s2_index(f, a->ipa, lv + 1)];
	}
	s2_set(ptep[S2_LAST_LEVEL],
	       s2_desc_mk_leaf(f, pa_init(a->pa), S2_LAST_LEVEL, a->prot) | a->sw);
	if (a->flags & S2_MAP_RMAP)
		s2_rmap_insert(a->l, pa_init(a->pa), a->ipa, S2_LAST_LEVEL);
	if (s2_dirty_logging(vm) && (a->prot & S2_PROT_W))
		s2_dirty_mark(a->l, a->ipa, PAGE_SIZE);
	return 0;
}

/* Worst-case tables for one leaf at @level: one per level below the root. */
static u32 single_leaf_need(const struct s2_format *f, int level)
{
	return (u32)(level - f->start_level);
}

int s2_map_locked(struct s2_vm_locked l, u64 ipa, paddr_t pa, u64 size,
		  unsigned int prot, unsigned int flags)
{
	struct s2_vm *vm = l.vm;
	const struct s2_format *f = vm->fmt;
	struct map_arg a = {
		.l = l, .ipa = ipa, .pa = pa_addr(pa), .prot = prot, .flags = flags,
		.sw = ((flags & S2_MAP_OWNED) ? f->sw_owned : 0) |
		      ((flags & S2_MAP_RMAP) ? f->sw_rmap : 0) |
		      ((flags & S2_MAP_PINNED) ? f->sw_pinned : 0),
	};
	struct s2_walker w = { .cb = map_cb, .arg = &a, .flags = S2_VISIT_LEAF };
	int ret;

	/* Before any pinned leaf exists: a move's pinned check looks only inside the hull. */
	if (flags & S2_MAP_PINNED) {
		bool first = vm->pinned_end == 0;

		vm->pinned_start = first ? ipa : MIN(vm->pinned_start, ipa);
		vm->pinned_end = first ? ipa + size : MAX(vm->pinned_end, ipa + size);
	}
	if (size == PAGE_SIZE) {
		/*
		 * One page: any existing entry on the path is found before a
		 * table is created below it, so one pass is failure-atomic.
		 */
		if ((flags & S2_MAP_RMAP) && !s2_rmap_has_room(l, 1))
			return -E_NOMEM;
		ret = s2_stock_topup(l, single_leaf_need(f, S2_LAST_LEVEL));
		if (ret)
			return ret;
		ret = map_one_page(&a);
		s2_count(vm, maps, 1);
		return ret;
	} else {
		struct s2_walker pre = { .cb = map_prepass_cb, .arg = &a, .flags = S2_VISIT_LEAF };

		ret = s2_walk(f, vm->root, ipa, size, &pre);
		if (ret)
			return ret;
		if ((flags & S2_MAP_RMAP) && !s2_rmap_has_room(l, a.leaves))
			return -E_NOMEM;
		if (a.tables > (u64)0xffffffffU)
			return -E_NOMEM;
		ret = s2_stock_topup(l, (u32)a.tables);
		if (ret)
			return ret;
	}
	ret = s2_walk(f, vm->root, ipa, size, &w);
	s2_count(vm, maps, 1);
	return ret;
}

static int check_map_args(const struct s2_vm *vm, u64 ipa, paddr_t pa, u64 size,
			  unsigned int prot, unsigned int flags)
{
	int ret = s2_check_range(vm, ipa, size);

	if (ret)
		return ret;
	if (!IS_ALIGNED(pa_addr(pa), PAGE_SIZE))
		return -E_ALIGN;
	if (pa_addr(pa) + size < pa_addr(pa) ||
	    ((pa_addr(pa) + size - 1) & ~vm->fmt->oa_mask & ~(PAGE_SIZE - 1)))
		return -E_RANGE;
	if (!(prot & S2_PROT_R) || (prot & ~S2_PROT_ALL))
		return -E_INVAL;
	if (flags & ~(S2_MAP_PAGES | S2_MAP_OWNED | S2_MAP_RMAP | S2_MAP_PINNED))
		return -E_INVAL;
	if ((flags & S2_MAP_RMAP) && !vm->rmap.cap)
		return -E_INVAL;
	return 0;
}

int s2_map(struct s2_vm *vm, ipaddr_t ipa, paddr_t pa, u64 size,
	   unsigned int prot, unsigned int flags)
{
	struct s2_vm_locked l;
	int ret = check_map_args(vm, ipa_addr(ipa), pa, size, prot, flags);

	if (ret)
		return ret;
	l = s2_vm_lock(vm);
	if (vm->dying)
		ret = -E_BUSY;
	else
		ret = s2_map_locked(l, ipa_addr(ipa), pa, size, prot, flags);
	if (vm->stock.nr > S2_STOCK_KEEP)
		s2_stock_trim(l, S2_STOCK_KEEP);
	s2_vm_unlock(&l);
	return ret;
}
