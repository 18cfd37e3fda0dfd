// SPDX-License-Identifier: GPL-2.0
/*
 * Memory of the stage-2 manager: pages for tables and data (the VM's ops or
 * the page allocator), the stock of zeroed tables taken before an operation
 * changes anything (failure atomicity), and the argument checks of ranges.
 */
#include "s2_internal.h"
#include <hyp/palloc.h>
#include <hyp/panic.h>

/* ---- memory ------------------------------------------------------------- */

bool s2_alloc_pages(struct s2_vm *vm, unsigned int order, paddr_t *pa)
{
	if (vm->ops && vm->ops->alloc_pages)
		return vm->ops->alloc_pages(vm->ops->arg, order, pa);
	return palloc_alloc(order, pa);
}

void s2_free_pages(struct s2_vm *vm, paddr_t pa, unsigned int order)
{
	if (vm->ops && vm->ops->free_pages)
		vm->ops->free_pages(vm->ops->arg, pa, order);
	else
		palloc_free(pa, order);
}

/* The smallest page order holding @size bytes. */
unsigned int s2_order_of(u64 size)
{
	unsigned int o = 0;

	while ((PAGE_SIZE << o) < size)
		o++;
	return o;
}

void s2_put_page(struct s2_vm *vm, paddr_t pa, u64 size)
{
	s2_count(vm, pages_freed, size / PAGE_SIZE);
	if (vm->ops && vm->ops->put_page)
		vm->ops->put_page(vm->ops->arg, pa, size);
	else
		palloc_free(pa, s2_order_of(size));
}

/*
 * The stock: zeroed pages allocated before an operation changes anything
 * (failure atomicity). They are private until published, so the chain link
 * in word 0 is never seen by a walker; it is cleared when the page is taken.
 */
int s2_stock_topup(struct s2_vm_locked l, u32 need)
{
	struct s2_vm *vm = l.vm;

	while (vm->stock.nr < need) {
		paddr_t pa;

		if (!s2_alloc_pages(vm, 0, &pa))
			return -E_NOMEM;
		*(u64 *)pa_to_ptr(pa) = pa_addr(vm->stock.head);
		vm->stock.head = pa;
		vm->stock.nr++;
		s2_count(vm, tables_alloc, 1);
	}
	return 0;
}

paddr_t s2_stock_take(struct s2_vm_locked l)
{
	struct s2_vm *vm = l.vm;
	paddr_t pa = vm->stock.head;
	u64 *p;

	BUG_ON(!vm->stock.nr);
	p = pa_to_ptr(pa);
	vm->stock.head = pa_init(p[0]);
	p[0] = 0;
	vm->stock.nr--;
	return pa;
}

void s2_stock_trim(struct s2_vm_locked l, u32 keep)
{
	while (l.vm->stock.nr > keep)
		s2_free_pages(l.vm, s2_stock_take(l), 0);
}
