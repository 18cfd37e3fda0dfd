// SPDX-License-Identifier: GPL-2.0
/*
 * Dirty logging (R4): start (write-protect the range, arm the bitmap), stop,
 * harvest (read and clear bits, write-protect again). See s2_dirty.h. The
 * bitmap and every change to it are protected by the VM lock; so are the
 * write-protections that arm it. The marks themselves: s2_dirty_mark.c.
 */
#include "s2_internal.h"

static unsigned int bitmap_order(u64 size)
{
	return s2_order_of(ALIGN_UP(size >> PAGE_SHIFT, 64) / 8);
}

int s2_dirty_log_start(struct s2_vm *vm, ipaddr_t ipa, u64 size)
{
	struct s2_vm_locked l;
	struct s2_gather g;
	unsigned int order;
	paddr_t pa;
	int ret = s2_check_range(vm, ipa_addr(ipa), size);

	if (ret)
		return ret;
	order = bitmap_order(size);
	if (order > 18 || !s2_alloc_pages(vm, order, &pa))
		return -E_NOMEM;
	s2_gather_init(&g, vm, false);
	l = s2_vm_lock(vm);
	if (vm->dying || s2_dirty_logging(vm)) {
		ret = vm->dying ? -E_BUSY : -E_EXIST;
		s2_vm_unlock(&l);
		s2_free_pages(vm, pa, order);
		return ret;
	}
	vm->dlog.bits = pa_to_ptr(pa);
	vm->dlog.bits_pa = pa;
	vm->dlog.bits_order = order;
	vm->dlog.base = ipa_addr(ipa);
	vm->dlog.size = size;
	ret = s2_protect_locked(l, ipa_addr(ipa), size, 0, true, false, &g);
	/*
	 * R4: armed (write-protected and invalidated) before the lock is
	 * released. The whole range, not just what was write-protected here:
	 * a gather still in flight may have cleared writable entries whose
	 * stale TLB entries would otherwise keep writing unrecorded.
	 */
	s2_flush_range(vm, ipa_addr(ipa), ipa_addr(ipa) + size, PAGE_SIZE, true);
	if (g.pending)
		s2_unflushed_done(vm);
	g.pending = false;
	if (ret) {
		vm->dlog.bits = NULL;
		s2_vm_unlock(&l);
		s2_free_pages(vm, pa, order);
		return ret;
	}
	s2_vm_unlock(&l);
	return 0;
}

void s2_dirty_log_stop(struct s2_vm *vm)
{
	struct s2_vm_locked l = s2_vm_lock(vm);
	paddr_t pa = vm->dlog.bits_pa;
	bool on = s2_dirty_logging(vm);

	vm->dlog.bits = NULL;
	s2_vm_unlock(&l);
	if (on)
		s2_free_pages(vm, pa, vm->dlog.bits_order);
}

/* Write-protect the leaf that maps @ipa (a whole block if it is one); no split. */
static void harvest_wp(struct s2_vm_locked l, struct s2_gather *g, u64 ipa)
{
	const struct s2_format *f = l.vm->fmt;
	u64 *ptep, cur, new, size;
	int level;

	if (s2_lookup_ptep(l.vm, ipa, &ptep, &level) != S2_DESC_LEAF)
		return;
	size = s2_level_size(level);
	for (;;) {
		cur = READ_ONCE(*ptep);
		if (!(cur & f->perm_w))
			return;
		new = (cur & ~f->perm_w & ~f->dirty_bit) | f->sw_logwp;
		arch_sched_point();
		if (atomic_cmpxchg(ptep, cur, new))
			break;
	}
	s2_gather_add_range(l, g, ALIGN_DOWN(ipa, size), size, false);
}

int s2_dirty_log_harvest(struct s2_vm *vm, u64 *out, u64 nbits)
{
	struct s2_dirty_log *dl = &vm->dlog;
	struct s2_vm_locked l;
	struct s2_gather g;
	u64 words;
	int n = 0;

	s2_gather_init(&g, vm, false);
	l = s2_vm_lock(vm);
	if (!s2_dirty_logging(vm)) {
		s2_vm_unlock(&l);
		return -E_NOENT;
	}
	if (nbits < (dl->size >> PAGE_SHIFT)) {
		s2_vm_unlock(&l);
		return -E_INVAL;
	}
	words = ALIGN_UP(dl->size >> PAGE_SHIFT, 64) / 64;
	for (u64 i = 0; i < words; i++) {
		u64 w = dl->bits[i];

		out[i] = w;
		dl->bits[i] = 0;
		while (w) {
			unsigned int b = (unsigned int)__builtin_ctzll(w);

			w &= w - 1;
			n++;
			harvest_wp(l, &g, dl->base + ((i * 64 + b) << PAGE_SHIFT));
		}
	}
	s2_gather_flush_unlock(&l, &g, true);	/* R4 */
	return n;
}
