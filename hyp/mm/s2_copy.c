// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a VM's memory from the hypervisor under the VM lock. See
 * s2_copy.h and doc/guest-memory.md.
 */
#include <hyp/string.h>
#include <hyp/mm/s2_copy.h>
#include "s2_internal.h"

int s2_copy_from_guest(struct s2_vm *vm, ipaddr_t ipa, void *buf, u64 len)
{
	u64 a = ipa_addr(ipa), off = a & (PAGE_SIZE - 1);
	struct s2_vm_locked l;
	struct s2_desc_info d;
	paddr_t pa;
	int r = -E_NOENT;

	if (!len || len > PAGE_SIZE - off)
		return -E_INVAL;
	/*
	 * Guest memory: the lock is held from the lookup to the end of the
	 * copy; leaves are removed only under it and their pages freed after
	 * (R1), so the page is the VM's for the whole copy (guest-memory.md).
	 */
	l = s2_vm_lock(vm);
	if (s2_lookup(vm->fmt, vm->root, a, &d, NULL) == S2_DESC_LEAF) {
		pa = pa_add(d.pa, a & (d.size - 1));
		/* A guest with caches off wrote it to memory: read it from there. */
		arch_guest_sync_mem(pa_init(ALIGN_DOWN(pa_addr(pa), PAGE_SIZE)), PAGE_SIZE);
		memcpy(buf, pa_to_ptr(pa), len);
		r = 0;
	}
	s2_vm_unlock(&l);
	return r;
}
