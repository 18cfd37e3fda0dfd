// SPDX-License-Identifier: GPL-2.0
/*
 * The memory charge of each VM (doc/memory-charge.md): every page it holds
 * from the shared page allocator is counted against it, so one VM that
 * touches all its RAM cannot drain the allocator under another VM's faults.
 *
 *   bound (limit) = data + allowance pages
 *     data:      "memory-limit" (default: the RAM size) / 4 KiB
 *     allowance: its stage-2 tables if every 2 MiB of the RAM window is
 *                mapped by 4 KiB pages, the root, the table stock and gather
 *                batches, and pages in flight (released by an unmap or a
 *                migration, freed once the invalidation completed)
 *
 * Guest RAM (vm_mem_alloc()) is refused beyond the bound; the fault then gets
 * an abort (vm_mem.c). Tables (vm_table_alloc()) are charged but never
 * refused: their number is bounded by the RAM window, and refusing them could
 * leave an unmap or the teardown unable to finish. At boot the bounds of
 * every VM, plus VM_CHARGE_HYP_RESERVE, must fit in the pages free before
 * the first VM, or the VM is refused (vm_charge_check()).
 */
#include <hyp/atomic.h>
#include <hyp/console.h>
#include <hyp/palloc.h>
#include <hyp/printf.h>
#include <hyp/vm/vm.h>
#include <hyp/vm/vm_charge.h>
#include <hyp/vm/vm_warn.h>
#include "vm_internal.h"

#define ALLOW_FIXED	16	/* root (up to 16 concatenated pages) */
#define ALLOW_STOCK	64	/* table stock, gather batches, dirty bitmap */
#define ALLOW_FLIGHT	1024	/* pages in flight: a 2 MiB compaction run and migrations */

static u64 pages_of(u64 bytes, u64 unit)
{
	return (bytes + unit - 1) / unit;
}

void vm_charge_size(struct vm *vm, u64 data_bytes)
{
	struct vm_charge *c = &vm->charge;
	u64 ram = vm->ram_size;

	c->data = data_bytes / PAGE_SIZE;
	/* one last-level table per 2 MiB, one per 1 GiB above it, +1 each for misalignment */
	c->allowance = pages_of(ram, SZ_2M) + pages_of(ram, SZ_1G) + 2 +
		       ALLOW_FIXED + ALLOW_STOCK + ALLOW_FLIGHT;
	c->limit = c->data + c->allowance;
}

const char *vm_charge_check(const struct vm *vm, unsigned int accepted, char *buf)
{
	u64 avail = free_before_vms > VM_CHARGE_HYP_RESERVE ?
		    free_before_vms - VM_CHARGE_HYP_RESERVE : 0;
	u64 committed = 0;

	for (unsigned int i = 0; i < accepted; i++)
		committed += vms[i].charge.limit;
	if (committed + vm->charge.limit <= avail)
		return NULL;
	return WHY("over-commit: needs %llu pages (%llu of memory + %llu for tables), only %llu "
		   "of the %llu pages free at boot are left (%llu to the %u VMs before, %u to the "
		   "hypervisor)",
		   vm->charge.limit, vm->charge.data, vm->charge.allowance,
		   avail > committed ? avail - committed : 0, free_before_vms, committed,
		   accepted, VM_CHARGE_HYP_RESERVE);
}

static void charge(struct vm *vm, u64 n)
{
	u64 now = __atomic_add_fetch(&vm->charge.used, n, __ATOMIC_RELAXED);
	u64 peak = READ_ONCE(vm->charge.peak);

	while (now > peak && !__atomic_compare_exchange_n(&vm->charge.peak, &peak, now, false,
							  __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

/* Charge @n pages of guest RAM unless that passes the bound. */
static bool charge_data(struct vm *vm, u64 n)
{
	u64 cur = READ_ONCE(vm->charge.used);

	do {
		if (cur + n > vm->charge.limit)
			return false;
	} while (!__atomic_compare_exchange_n(&vm->charge.used, &cur, cur + n, false,
					      __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	charge(vm, 0);	/* peak */
	return true;
}

void vm_charge_put(struct vm *vm, u64 pages)
{
	__atomic_sub_fetch(&vm->charge.used, pages, __ATOMIC_RELAXED);
}

bool vm_mem_try(struct vm *vm, unsigned int order, paddr_t *pa)
{
	u64 n = 1ULL << order;

	if (!charge_data(vm, n))
		return false;
	if (palloc_alloc(order, pa))
		return true;
	vm_charge_put(vm, n);
	return false;
}

bool vm_mem_alloc(struct vm *vm, unsigned int order, paddr_t *pa)
{
	u64 n = 1ULL << order;

	if (!charge_data(vm, n)) {
		__atomic_fetch_add(&vm->charge.refused, 1, __ATOMIC_RELAXED);
		vm_warn(vm, "memory bound", "vm%u (%s): memory bound reached: %llu of %llu pages "
			"charged (%llu of memory + %llu for tables), %llu more refused\n", vm->id,
			vm->name, READ_ONCE(vm->charge.used), vm->charge.limit, vm->charge.data,
			vm->charge.allowance, n);
		return false;
	}
	if (palloc_alloc(order, pa))
		return true;
	vm_charge_put(vm, n);
	return false;
}

void vm_mem_free(struct vm *vm, paddr_t pa, unsigned int order)
{
	palloc_free(pa, order);
	vm_charge_put(vm, 1ULL << order);
}

/* struct s2_mm_ops: the VM's stage-2 tables, root, stock, batches, bitmaps. */
bool vm_table_alloc(void *arg, unsigned int order, paddr_t *pa)
{
	struct vm *vm = arg;

	if (!palloc_alloc(order, pa))
		return false;
	charge(vm, 1ULL << order);
	return true;
}

void vm_table_free(void *arg, paddr_t pa, unsigned int order)
{
	vm_mem_free(arg, pa, order);
}

void vm_charge_report(struct vm *vm)
{
	struct vm_charge *c = &vm->charge;
	u64 left = READ_ONCE(c->used);

	pr_info("vm%u (%s): stage-2 faults: %llu 4K, %llu block; memory charge: peak %llu of "
		"%llu pages (%llu of memory + %llu for tables), %llu refused%s\n", vm->id, vm->name,
		READ_ONCE(c->faults_4k), READ_ONCE(c->faults_block), READ_ONCE(c->peak),
		c->limit, c->data, c->allowance, READ_ONCE(c->refused),
		vm->backing == VM_BACK_IDENTITY ? "; identity RAM reserved at boot, not charged" : "");
	if (left)
		pr_err("vm%u (%s): memory charge: %llu pages still charged after teardown\n",
		       vm->id, vm->name, left);
}
