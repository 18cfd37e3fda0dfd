// SPDX-License-Identifier: GPL-2.0
/*
 * Reclaiming a host page by its physical address (R5, seed 003): the
 * reverse map says where it is mapped, the mapping is re-validated under
 * the lock a move also holds, unmapped and invalidated before the lock is
 * released, and the page freed by the gather.
 */
#include "s2_internal.h"

/* Does the leaf at @ipa (under the lock) map @pa? */
static bool still_maps(struct s2_vm *vm, u64 ipa, paddr_t pa, u64 *base, u64 *size)
{
	const struct s2_format *f = vm->fmt;
	u64 *ptep;
	int level;

	if (s2_lookup_ptep(vm, ipa, &ptep, &level) != S2_DESC_LEAF)
		return false;
	*size = s2_level_size(level);
	*base = ALIGN_DOWN(ipa, *size);
	return pa_addr(pa) - ipa == (READ_ONCE(*ptep) & f->oa_mask & ~(*size - 1)) - *base;
}

/*
 * BUG (injected, MOVE_UNSERIALIZED_RECLAIM): the lookup and the unmap are
 * not one critical section, so a move can slip in between (seed 003); the
 * stale address is cleared and invalidated, and the page released anyway.
 */
static int reclaim_unserialized(struct s2_vm_locked l, struct s2_gather *g, paddr_t pa,
				u64 ipa, int level)
	__releases(&l.vm->lock)
{
	struct s2_vm *vm = l.vm;
	u64 size = s2_level_size(level), base = ALIGN_DOWN(ipa, size);
	bool on_list;
	int ret;

	s2_vm_unlock(&l);
	arch_sched_point();
	l = s2_vm_lock(vm);
	ret = s2_unmap_locked(l, g, base, size, NULL);
	s2_gather_flush_locked(l, g);
	s2_vm_unlock(&l);
	on_list = g->nr || pa_addr(g->batch);
	s2_gather_finish(g);
	if (!ret && !on_list)
		s2_put_page(vm, pa_init(ALIGN_DOWN(pa_addr(pa), size)), size);
	return ret;
}

int s2_reclaim_page(struct s2_vm *vm, paddr_t pa)
{
	struct s2_vm_locked l;
	struct s2_gather g;
	u64 ipa, base, size;
	int level, ret;

	if (!vm->rmap.cap)
		return -E_NOSYS;
	if (!IS_ALIGNED(pa_addr(pa), PAGE_SIZE))
		return -E_ALIGN;
	s2_gather_begin(&g, vm);
	l = s2_vm_lock(vm);
	ret = vm->dying ? -E_BUSY : s2_rmap_find(l, pa, &ipa, &level);
	if (ret)
		goto unlock;
	if (inject(MOVE_UNSERIALIZED_RECLAIM))
		return reclaim_unserialized(l, &g, pa, ipa, level);
	/* R5: re-validate under the lock the move also holds: where does the page live NOW? */
	if (!still_maps(vm, ipa, pa, &base, &size)) {
		/* Stale. A block's entry stays: other pages of a split block may live on. */
		if (level == S2_LAST_LEVEL)
			s2_rmap_remove(l, pa, ipa, level);
		ret = -E_NOENT;
		goto unlock;
	}
	ret = s2_unmap_locked(l, &g, base, size, NULL);
	/* R5: invalidate that address before the lock is released. */
	s2_gather_flush_locked(l, &g);
unlock:
	s2_vm_unlock(&l);
	s2_gather_finish(&g);
	return ret;
}
