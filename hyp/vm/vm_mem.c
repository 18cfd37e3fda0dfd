// SPDX-License-Identifier: GPL-2.0
/*
 * A VM's guest memory at run time: RAM demand-populated from the page
 * allocator (the hyp/mm callbacks vm_build() installs), stage-2 aborts, and
 * MMIO exits to the emulated PL011 (hyp/vm/vuart.c).
 */
#include <hyp/console.h>
#include <hyp/palloc.h>
#include <hyp/vm/vm.h>
#include <hyp/vm/vm_warn.h>
#include <hyp/vm/vuart.h>
#include "vm_internal.h"


static bool in_ram(const struct vm *vm, u64 ipa)
{
	return ipa >= ipa_addr(vm->ram_base) && ipa - ipa_addr(vm->ram_base) < vm->ram_size;
}

/* s2_handle_fault() found nothing at @ipa: a fresh zeroed page if it is RAM. */
int vm_fault_backing(void *arg, struct s2_vm *s2, ipaddr_t ipa, paddr_t *pa,
			    unsigned int *prot)
{
	struct vm *vm = arg;

	if (!in_ram(vm, ipa_addr(ipa)))
		return -E_RANGE;
	/* Charged to the VM (vm_charge.c): refused beyond its bound, the guest gets an abort. */
	if (!vm_mem_alloc(vm, 0, pa))
		return -E_NOMEM;
	arch_guest_sync_mem(*pa, PAGE_SIZE);	/* zeroes visible to a cache-off guest */
	*prot = S2_PROT_RWX;
	__atomic_fetch_add(&vm->charge.faults_4k, 1, __ATOMIC_RELAXED);
	return 0;
}

/*
 * A guest page is no longer mapped and no TLB can reach it (the gather calls
 * this after the invalidation completed, R1). The gather may hand over a
 * physically contiguous run of pages in one call; every page was allocated
 * alone (order 0), so free them one by one.
 */
void vm_put_page(void *arg, paddr_t pa, u64 size)
{
	for (u64 off = 0; off < size; off += PAGE_SIZE)
		palloc_free(pa_add(pa, off), 0);
	vm_charge_put(arg, size / PAGE_SIZE);	/* every owned page was charged to the VM */
}

int vm_stage2_abort(struct vcpu *v, ipaddr_t ipa, bool write, bool exec)
{
	struct vm *vm = v->vm;
	u64 a = ipa_addr(ipa);
	int r;

	if (a >= ipa_addr(vm->uart_base) && a - ipa_addr(vm->uart_base) < PAGE_SIZE && !exec)
		return VM_ABORT_MMIO;
	if (!in_ram(vm, a)) {
		vm_warn(vm, "outside the memory map", "vm%u (%s): vcpu%u: %s at IPA %#llx "
			"outside its memory map: injecting an abort\n", vm->id, vm->name, v->idx,
			exec ? "instruction fetch" : write ? "write" : "read", a);
		return -E_RANGE;
	}
	r = s2_handle_fault(&vm->s2, ipa, write, exec);
	if (r == -E_AGAIN)
		return VM_ABORT_DONE;	/* an unmap is in flight there: re-fault later */
	if (r < 0)
		vm_warn(vm, "fault not resolved", "vm%u (%s): vcpu%u: stage-2 fault at IPA %#llx "
			"(%s) not resolved: %s; injecting an abort\n", vm->id, vm->name, v->idx, a,
			exec ? "exec" : write ? "write" : "read", err_str(r));
	return r < 0 ? r : VM_ABORT_DONE;
}

/* ---- emulated devices: the PL011 (hyp/vm/vuart.c) ---------------------- */

int vm_mmio(struct vcpu *v, ipaddr_t ipa, bool write, unsigned int size, u64 *val)
{
	struct vm *vm = v->vm;

	return vuart_mmio(vm, ipa_addr(ipa) - ipa_addr(vm->uart_base), write, size, val);
}
