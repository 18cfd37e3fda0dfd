// SPDX-License-Identifier: GPL-2.0
/*
 * Page migration: break (s2_bbm.c), copy, make, free. See s2_migrate.h.
 */
#include <hyp/string.h>
#include <hyp/mm/s2_migrate.h>
#include "s2_internal.h"

static void copy_page(paddr_t to, paddr_t from)
{
	arch_sched_point();
	/* A guest with caches off wrote @from to memory: read it from there. */
	arch_guest_sync_mem(from, PAGE_SIZE);
	memcpy(pa_to_ptr(to), pa_to_ptr(from), PAGE_SIZE);
	/* A guest running with caches off must see the copy (as for a fault). */
	arch_guest_sync_mem(to, PAGE_SIZE);
}

static int migrate_locked(struct s2_vm_locked l, struct s2_gather *g, u64 ipa, paddr_t new_pa)
{
	struct s2_vm *vm = l.vm;
	const struct s2_format *f = vm->fmt;
	unsigned int flags = 0;
	u64 *ptep, old;
	paddr_t old_pa;
	int level;

	if (vm->dying)
		return -E_BUSY;
	switch (s2_lookup_ptep(vm, ipa, &ptep, &level)) {
	case S2_DESC_LEAF:
		break;
	case S2_DESC_INVALID:
		return -E_NOENT;
	default:
		return -E_BUSY;
	}
	old = READ_ONCE(*ptep);
	if (old & f->sw_pinned)
		return -E_PERM;	/* device or identity RAM: doc/passthrough.md */
	if (level != S2_LAST_LEVEL)
		return -E_BUSY;
	if (old & f->sw_owned)
		flags |= S2_MAP_OWNED;	/* the old page goes to put_page: s2_leaf_removed() */
	if (old & f->sw_rmap)
		flags |= S2_MAP_RMAP;
	/* Failure atomicity: the make step below must not fail. */
	if ((flags & S2_MAP_RMAP) && !s2_rmap_has_room(l, 1))
		return -E_NOMEM;
	old_pa = s2_desc_pa(f, old);

	/* BUG (injected): copy while other CPUs may still write the old page. */
	if (inject(MIGRATE_COPY_BEFORE_FLUSH))
		copy_page(new_pa, old_pa);
	/* 1. break: clear, invalidate, completed on every CPU (no BBM switch of its own) */
	old = s2_break(l, g, ptep, ipa, level, INJ_NR);
	/* dirty log, rmap and the gather's free list (the old page goes at finish, R1) */
	s2_leaf_forget(l, g, old, ipa, level);
	/* 2. only then copy: no write through the old entry can follow */
	if (!inject(MIGRATE_COPY_BEFORE_FLUSH))
		copy_page(new_pa, old_pa);
	/*
	 * 3. make: the old descriptor with the new output address: same
	 * permissions, ownership, rmap and dirty-log bits. The copy is
	 * visible before the entry (publish).
	 */
	s2_make(ptep, (old & ~f->oa_mask & ~f->dirty_bit) | (pa_addr(new_pa) & f->oa_mask));
	if (flags & S2_MAP_RMAP)
		s2_rmap_insert(l, new_pa, ipa, level);
	s2_count(vm, migrations, 1);
	return 0;
}

int s2_migrate(struct s2_vm *vm, ipaddr_t ipa, paddr_t new_pa)
{
	u64 a = ipa_addr(ipa);
	struct s2_vm_locked l;
	struct s2_gather g;
	int ret;

	if (!IS_ALIGNED(pa_addr(new_pa), PAGE_SIZE))
		return -E_ALIGN;
	ret = s2_check_range(vm, a, PAGE_SIZE);
	if (ret)
		return ret;
	s2_gather_begin(&g, vm);	/* faults retry while the entry is broken */
	l = s2_vm_lock(vm);
	ret = migrate_locked(l, &g, a, new_pa);
	s2_vm_unlock(&l);
	/* 5. the old page is freed here, after the invalidation (R1) */
	s2_gather_finish(&g);
	return ret;
}
