// SPDX-License-Identifier: GPL-2.0
/*
 * Changing permissions of a range (protect; dirty-log start and harvest
 * arm write faults through it): compare-and-swap per leaf, a block
 * straddling an edge split first, restricted entries invalidated before
 * the lock is released (R4).
 */
#include "s2_internal.h"

struct prot_arg {
	struct s2_vm_locked l;
	struct s2_gather *g;
	unsigned int prot;
	bool log_wp;		/* dirty logging: remove W, remember it in sw_logwp */
	bool record;		/* record removed write permission as dirty (R4) */
	bool restricted;	/* some permission went away: invalidate */
};

/* Does the leaf at [base, base + size) overlap the dirty-logged range? */
static bool logged(const struct s2_vm *vm, u64 base, u64 size)
{
	const struct s2_dirty_log *dl = &vm->dlog;

	return s2_dirty_logging(vm) && base < dl->base + dl->size && dl->base < base + size;
}

static u64 new_desc(const struct s2_format *f, const struct prot_arg *a, u64 cur,
		    u64 base, u64 size)
{
	u64 new;

	if (a->log_wp) {
		if (!(cur & f->perm_w))
			return cur;
		return (cur & ~f->perm_w & ~f->dirty_bit) | f->sw_logwp;
	}
	new = s2_desc_set_prot(f, cur, a->prot) & ~f->sw_logwp;
	/* R4: granting write while logging: only through a recorded write fault. */
	if ((new & f->perm_w) && logged(a->l.vm, base, size))
		new = (new & ~f->perm_w) | f->sw_logwp;
	return new;
}

static int prot_cb(struct s2_walk_data *d, enum s2_visit v)
{
	struct prot_arg *a = d->arg;
	const struct s2_format *f = d->fmt;
	u64 cur = d->old, new;

	if (!s2_desc_valid(f, cur))
		return 0;
	if (!s2_covers(d))
		return s2_split_locked(a->l, d->ptep, d->level, d->addr, cur);
	/* Hardware may set A/D meanwhile: compare-and-swap, never lose a dirty bit. */
	for (;;) {
		new = new_desc(f, a, cur, d->addr, s2_level_size(d->level));
		if (new == cur)
			return 0;
		arch_sched_point();
		if (atomic_cmpxchg(d->ptep, cur, new))
			break;
		cur = READ_ONCE(*d->ptep);
	}
	if ((s2_desc_prot(f, cur) & ~s2_desc_prot(f, new)) ||
	    ((cur ^ new) & f->mem_mask)) {
		a->restricted = true;
		s2_gather_add_range(a->l, a->g, d->addr, s2_level_size(d->level), false);
	}
	/* R4: write permission removed from a writable entry: record it dirty (under the lock). */
	if (a->record && (cur & f->perm_w) && !(new & f->perm_w) && s2_dirty_logging(a->l.vm))
		s2_dirty_mark(a->l, d->addr, s2_level_size(d->level));
	return 0;
}

/* Change permissions of [ipa, ipa + size) under the lock; flush before it is released. */
int s2_protect_locked(struct s2_vm_locked l, u64 ipa, u64 size, unsigned int prot,
			  bool log_wp, bool record, struct s2_gather *g)
{
	struct prot_arg a = { .l = l, .g = g, .prot = prot, .log_wp = log_wp, .record = record };
	struct s2_walker w = { .cb = prot_cb, .arg = &a, .flags = S2_VISIT_LEAF };
	int ret = s2_stock_topup(l, s2_split_need(l.vm->fmt));

	if (ret)
		return ret;
	ret = s2_walk(l.vm->fmt, l.vm->root, ipa, size, &w);
	s2_count(l.vm, protects, 1);
	return ret;
}

/* Shared by protect, dirty-log start and harvest: lock, change, flush, unlock. */
int s2_protect_range(struct s2_vm *vm, u64 ipa, u64 size, unsigned int prot,
		     bool log_wp, bool record)
{
	struct s2_vm_locked l;
	struct s2_gather g;
	int ret;

	s2_gather_init(&g, vm, false);
	l = s2_vm_lock(vm);
	if (vm->dying) {
		s2_vm_unlock(&l);
		return -E_BUSY;
	}
	ret = s2_protect_locked(l, ipa, size, prot, log_wp, record, &g);
	s2_gather_flush_unlock(&l, &g, true);	/* R4: restricted entries */
	return ret;
}

int s2_protect(struct s2_vm *vm, ipaddr_t ipa, u64 size, unsigned int prot)
{
	int ret = s2_check_range(vm, ipa_addr(ipa), size);

	if (ret)
		return ret;
	if (!(prot & S2_PROT_R) || (prot & ~S2_PROT_ALL))
		return -E_INVAL;
	return s2_protect_range(vm, ipa_addr(ipa), size, prot, false, true);
}
