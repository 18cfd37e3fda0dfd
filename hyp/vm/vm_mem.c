// SPDX-License-Identifier: GPL-2.0
/*
 * A VM's guest memory at run time: RAM demand-populated from the page
 * allocator (the hyp/mm callbacks vm_build() installs), stage-2 aborts, and
 * MMIO exits to the emulated PL011 (hyp/vm/vuart.c).
 */
#include <hyp/console.h>
#include <hyp/palloc.h>
#include <hyp/string.h>
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
	if (vm->backing == VM_BACK_IDENTITY)
		return -E_PERM;	/* all of it is mapped at creation and never moves */
	/* Charged to the VM (vm_charge.c): refused beyond its bound, the guest gets an abort. */
	if (!vm_mem_alloc(vm, 0, pa))
		return -E_NOMEM;
	arch_guest_sync_mem(*pa, PAGE_SIZE);	/* zeroes visible to a cache-off guest */
	*prot = S2_PROT_RWX;
	__atomic_fetch_add(&vm->charge.faults_4k, 1, __ATOMIC_RELAXED);
	return 0;
}

/*
 * s2_handle_fault() found the whole 2 MiB block around a fault empty: back
 * it with a 2 MiB-aligned run if the allocator has one and the charge allows
 * (doc/memory-charge.md "Block-backed RAM"); -E_NOMEM: a 4 KiB page instead.
 * The run is split into order-0 allocations at once (palloc_split): an
 * unmap, a split or a migration may later free any page of it alone
 * (vm_put_page); freed back together, the buddy allocator joins them again.
 */
int vm_fault_block(void *arg, struct s2_vm *s2, ipaddr_t block, paddr_t *pa,
		   unsigned int *prot)
{
	struct vm *vm = arg;

	if (vm->backing == VM_BACK_4K || vm->backing == VM_BACK_IDENTITY ||
	    !in_ram(vm, ipa_addr(block)) ||
	    !in_ram(vm, ipa_addr(block) + SZ_2M - 1))
		return -E_NOMEM;
	if (!vm_mem_try(vm, 9, pa))
		return -E_NOMEM;
	palloc_split(*pa, 9);
	arch_guest_sync_mem(*pa, SZ_2M);	/* zeroes visible to a cache-off guest */
	*prot = S2_PROT_RWX;
	__atomic_fetch_add(&vm->charge.faults_block, 1, __ATOMIC_RELAXED);
	return 0;
}

/* ---- at creation (the VM does not run yet) -------------------------------- */

/* Map a fresh run of 1 << @order pages at @ipa as one leaf (owned, split for freeing). */
static int build_map_run(struct vm *vm, u64 ipa, unsigned int order)
{
	u64 size = PAGE_SIZE << order;
	paddr_t run;
	int r;

	if (!vm_mem_try(vm, order, &run))
		return -E_NOMEM;
	if (order)
		palloc_split(run, order);
	arch_guest_sync_mem(run, size);
	r = s2_map(&vm->s2, ipa_init(ipa), run, size, S2_PROT_RWX,
		   S2_MAP_OWNED | (order ? 0 : S2_MAP_PAGES));
	if (r)
		for (u64 off = 0; off < size; off += PAGE_SIZE)
			vm_mem_free(vm, pa_add(run, off), 0);
	return r;
}

/*
 * The host page behind RAM at @ipa, backed now if nothing is: with a 2 MiB
 * block when the VM is block-backed and the allocator has a run, else a page.
 * The boot modules are copied through it (vm_image.c).
 */
int vm_build_page(struct vm *vm, u64 ipa, paddr_t *pa)
{
	struct s2_desc_info d;
	int r;

	if (s2_fault_walk(&vm->s2, ipa_init(ipa), &d) != S2_DESC_LEAF) {
		r = -E_NOMEM;
		if (vm->backing != VM_BACK_4K)
			r = build_map_run(vm, ALIGN_DOWN(ipa, SZ_2M), 9);
		if (r)	/* no run, or a page of this block is mapped already */
			r = build_map_run(vm, ALIGN_DOWN(ipa, PAGE_SIZE), 0);
		if (r)
			return r;
		if (s2_fault_walk(&vm->s2, ipa_init(ipa), &d) != S2_DESC_LEAF)
			return -E_NOENT;
	}
	*pa = pa_add(d.pa, ALIGN_DOWN(ipa & (d.size - 1), PAGE_SIZE));
	return 0;
}

/*
 * "memory-premap": all of the RAM mapped now with the largest blocks the
 * allocator gives (1 GiB, 2 MiB, else 4 KiB), up to the VM's data bound.
 * Before the modules are copied in (they go into these pages).
 */
void vm_premap(struct vm *vm)
{
	u64 base = ipa_addr(vm->ram_base), end = base + vm->ram_size, a = base;
	u64 n1g = 0, n2m = 0, n4k = 0;
	int r = 0;

	while (a < end && !r) {
		if (IS_ALIGNED(a, SZ_1G) && end - a >= SZ_1G && !build_map_run(vm, a, 18)) {
			a += SZ_1G;
			n1g++;
		} else if (!build_map_run(vm, a, 9)) {
			a += SZ_2M;
			n2m++;
		} else {
			for (u64 e = a + SZ_2M; a < e; a += PAGE_SIZE, n4k++) {
				r = build_map_run(vm, a, 0);
				if (r)
					break;
			}
		}
	}
	/* What is not mapped is demand-faulted (and refused beyond the bound). */
	pr_info("vm%u (%s): RAM premapped: %llu 1G, %llu 2M, %llu 4K blocks%s\n", vm->id,
		vm->name, n1g, n2m, n4k, r ? " (stopped: out of memory or at its bound)" : "");
}

/*
 * "memory-identity" (doc/passthrough.md): the RAM is host [base, base + size),
 * reserved at boot (vm_config_early()); zeroed (no host data reaches the
 * guest, also after a reset) and mapped IPA = PA with the largest blocks,
 * pinned: not owned (never freed into the allocator), never moved or
 * migrated (s2_move/s2_migrate: -E_PERM).
 */
int vm_identity_map(struct vm *vm)
{
	paddr_t pa = pa_init(ipa_addr(vm->ram_base));

	memset(pa_to_ptr(pa), 0, vm->ram_size);
	arch_guest_sync_mem(pa, vm->ram_size);	/* zeroes visible to a cache-off guest */
	if (!vm->incarnation)
		pr_info("vm%u (%s): RAM identity-mapped: IPA = PA %#llx+%#llx (pinned)\n",
			vm->id, vm->name, pa_addr(pa), vm->ram_size);
	return s2_map(&vm->s2, vm->ram_base, pa, vm->ram_size, S2_PROT_RWX, S2_MAP_PINNED);
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
