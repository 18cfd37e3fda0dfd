// SPDX-License-Identifier: GPL-2.0
/*
 * Reverse map: host page -> IPA, for the reclaim path (s2_reclaim.c; R5, seed 003).
 * An open-addressing hash table (linear probing, backward-shift deletion,
 * no tombstones) in pages of its own, protected by the VM lock. Blocks have
 * one entry (keyed by the block's first page, with its level).
 * One IPA per host page: a page mapped with S2_MAP_RMAP must not be aliased.
 */
#include "s2_internal.h"

struct s2_rmap_ent {
	u64 key;	/* pfn + 1; 0: empty */
	u64 val;	/* ipa | level */
};

int s2_rmap_init(struct s2_vm *vm, u32 entries)
{
	struct s2_rmap *r = &vm->rmap;
	u64 cap = 16;

	r->cap = 0;
	r->used = 0;
	r->tab = NULL;
	if (!entries)
		return 0;
	while (cap < 2ULL * entries)	/* load factor <= 1/2 */
		cap <<= 1;
	if (cap > (1ULL << 30))
		return -E_INVAL;
	r->tab_order = s2_order_of(cap * sizeof(struct s2_rmap_ent));
	if (!s2_alloc_pages(vm, r->tab_order, &r->tab_pa))
		return -E_NOMEM;
	r->tab = pa_to_ptr(r->tab_pa);
	r->cap = (u32)cap;
	return 0;
}

void s2_rmap_destroy(struct s2_vm *vm)
{
	struct s2_rmap *r = &vm->rmap;

	if (r->tab)
		s2_free_pages(vm, r->tab_pa, r->tab_order);
	r->tab = NULL;
	r->cap = 0;
	r->used = 0;
}

static u64 home(const struct s2_rmap *r, u64 key)
{
	return (key * 0x9e3779b97f4a7c15ULL) >> 32 & (r->cap - 1);
}

static struct s2_rmap_ent *find(const struct s2_rmap *r, u64 key)
{
	for (u64 i = home(r, key);; i = (i + 1) & (r->cap - 1)) {
		if (r->tab[i].key == key)
			return &r->tab[i];
		if (!r->tab[i].key)
			return NULL;
	}
}

bool s2_rmap_has_room(struct s2_vm_locked l, u64 n)
{
	const struct s2_rmap *r = &l.vm->rmap;

	return r->cap && r->used + n <= r->cap / 2;
}

void s2_rmap_insert(struct s2_vm_locked l, paddr_t pa, u64 ipa, int level)
{
	struct s2_rmap *r = &l.vm->rmap;
	u64 key = (pa_addr(pa) >> PAGE_SHIFT) + 1;
	u64 i;

	if (!r->cap)
		return;
	for (i = home(r, key); r->tab[i].key && r->tab[i].key != key; i = (i + 1) & (r->cap - 1))
		;
	if (!r->tab[i].key)
		r->used++;
	r->tab[i].key = key;
	r->tab[i].val = ipa | (u64)level;
}

static void delete_at(struct s2_rmap *r, u64 i)
{
	u64 j = i;

	r->tab[i].key = 0;
	r->used--;
	for (;;) {
		u64 h;

		j = (j + 1) & (r->cap - 1);
		if (!r->tab[j].key)
			return;
		h = home(r, r->tab[j].key);
		/* Leave entry j if its home lies cyclically in (i, j]. */
		if (i <= j ? (h > i && h <= j) : (h > i || h <= j))
			continue;
		r->tab[i] = r->tab[j];
		r->tab[j].key = 0;
		i = j;
	}
}

void s2_rmap_remove(struct s2_vm_locked l, paddr_t pa, u64 ipa, int level)
{
	struct s2_rmap *r = &l.vm->rmap;
	struct s2_rmap_ent *e;

	if (!r->cap)
		return;
	e = find(r, (pa_addr(pa) >> PAGE_SHIFT) + 1);
	/* Only the entry of exactly this mapping (a split block keeps its entry). */
	if (e && e->val == (ipa | (u64)level))
		delete_at(r, (u64)(e - r->tab));
}

/* Where does the reverse map say @pa is mapped? */
int s2_rmap_find(struct s2_vm_locked l, paddr_t pa, u64 *ipa, int *level)
{
	struct s2_rmap *r = &l.vm->rmap;

	for (int lv = S2_LAST_LEVEL; lv >= 1; lv--) {
		u64 size = s2_level_size(lv);
		u64 base = ALIGN_DOWN(pa_addr(pa), size);
		struct s2_rmap_ent *e = find(r, (base >> PAGE_SHIFT) + 1);

		if (e && (int)(e->val & (PAGE_SIZE - 1)) == lv) {
			*ipa = (e->val & ~(PAGE_SIZE - 1)) + (pa_addr(pa) - base);
			*level = lv;
			return 0;
		}
	}
	return -E_NOENT;
}

struct rmap_moved {
	struct s2_rmap *r;
	u64 off;	/* destination - source */
};

/* One leaf of the moved range: its rmap entry follows it from @addr - off to @addr. */
static int rmap_moved_cb(struct s2_walk_data *d, enum s2_visit v)
{
	const struct rmap_moved *mv = d->arg;
	const struct s2_format *f = d->fmt;
	u64 old_base = d->addr - mv->off;
	struct s2_rmap_ent *e;
	paddr_t pa;

	(void)v;
	if (!s2_desc_is_leaf(f, d->old, d->level) || !(d->old & f->sw_rmap))
		return 0;
	pa = pa_init(d->old & f->oa_mask & ~(s2_level_size(d->level) - 1));
	e = find(mv->r, (pa_addr(pa) >> PAGE_SHIFT) + 1);
	if (e && e->val == (old_base | (u64)d->level))
		e->val = d->addr | (u64)d->level;
	return 0;
}

void s2_rmap_moved(struct s2_vm_locked l, u64 new_base, u64 size, u64 off)
{
	struct rmap_moved mv = { .r = &l.vm->rmap, .off = off };
	const struct s2_walker w = {
		.cb = rmap_moved_cb, .arg = &mv, .flags = S2_VISIT_LEAF | S2_WALK_ALONE,
	};

	if (!l.vm->rmap.used)
		return;
	/* The walker over what was just installed at the destination: no descent of its own. */
	(void)s2_walk(l.vm->fmt, l.vm->root, new_base, size, &w);
}

int s2_rmap_lookup(struct s2_vm *vm, paddr_t pa, ipaddr_t *ipa)
{
	struct s2_vm_locked l;
	u64 a;
	int level, ret;

	if (!vm->rmap.cap)
		return -E_NOSYS;
	l = s2_vm_lock(vm);
	ret = s2_rmap_find(l, pa, &a, &level);
	s2_vm_unlock(&l);
	if (!ret)
		*ipa = ipa_init(a);
	return ret;
}
