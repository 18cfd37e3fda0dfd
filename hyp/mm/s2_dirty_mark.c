// SPDX-License-Identifier: GPL-2.0
/*
 * Dirty marks (R4): set under the VM lock by whoever removes write
 * permission from, or a writable entry out of, a logged range (unmap,
 * protect, harvest, write faults); tested by s2_dirty_test().
 */
#include "s2_internal.h"

void s2_dirty_mark(struct s2_vm_locked l, u64 ipa, u64 size)
{
	struct s2_dirty_log *dl = &l.vm->dlog;
	u64 lo = MAX(ipa, dl->base), hi = MIN(ipa + size, dl->base + dl->size);

	for (u64 a = lo; a < hi; a += PAGE_SIZE) {
		u64 bit = (a - dl->base) >> PAGE_SHIFT;

		if (!(dl->bits[bit / 64] & BIT(bit % 64))) {
			dl->bits[bit / 64] |= BIT(bit % 64);
			s2_count(l.vm, dirty_marked, 1);
		}
	}
}

bool s2_dirty_test(struct s2_vm *vm, ipaddr_t ipa)
{
	struct s2_vm_locked l = s2_vm_lock(vm);
	struct s2_dirty_log *dl = &vm->dlog;
	u64 a = ipa_addr(ipa);
	bool d = false;

	if (s2_dirty_logging(vm) && a >= dl->base && a - dl->base < dl->size) {
		u64 bit = (a - dl->base) >> PAGE_SHIFT;

		d = (dl->bits[bit / 64] >> (bit % 64)) & 1;
	}
	s2_vm_unlock(&l);
	return d;
}
