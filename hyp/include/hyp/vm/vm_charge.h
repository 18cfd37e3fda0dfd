/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The memory charge of a VM (hyp/vm/vm_charge.c, doc/memory-charge.md): every
 * page the VM holds from the page allocator -- guest RAM pages and its
 * stage-2 table pages -- is charged to it. Guest RAM pages are refused beyond
 * the VM's bound (its data bound plus the table allowance); table pages are
 * charged, never refused (their number is bounded by the RAM window: the
 * allowance). At boot the sum of every VM's bound must fit in what the
 * machine has, or the VM is refused.
 */
#ifndef HYP_VM_VM_CHARGE_H
#define HYP_VM_VM_CHARGE_H

#include <hyp/types.h>
#include <hyp/addr.h>

struct vm;

struct vm_charge {
	u64 data;	/* pages of guest RAM it may hold: "memory-limit" or the RAM size */
	u64 allowance;	/* pages of tables and pages in flight on top (vm_charge_size()) */
	u64 limit;	/* data + allowance: guest RAM pages are refused beyond it */
	u64 used;	/* pages charged now; atomic */
	u64 peak;	/* most pages charged at once (this incarnation) */
	u64 refused;	/* allocations of guest RAM refused at the bound */
	u64 faults_4k;	/* stage-2 faults that populated a 4 KiB page */
	u64 faults_block;	/* ... a 2 MiB block */
};

/* Pages the hypervisor keeps for itself (vCPU contexts, ...) beyond every VM's bound. */
#define VM_CHARGE_HYP_RESERVE	512

/* Set data/allowance/limit from the VM's RAM size and "memory-limit". */
void vm_charge_size(struct vm *vm, u64 data_bytes);
/* Boot: NULL if @vm's bound fits beside vms[0..accepted-1], else why (into @buf). */
const char *vm_charge_check(const struct vm *vm, unsigned int accepted, char *buf);
/* Guest RAM for @vm: charged, refused beyond its bound (false: nothing taken). */
bool vm_mem_alloc(struct vm *vm, unsigned int order, paddr_t *pa) __must_check;
/* The same, without the console line and the refusal count (a block tried first). */
bool vm_mem_try(struct vm *vm, unsigned int order, paddr_t *pa) __must_check;
/* Free what vm_mem_alloc() gave (still whole, or after palloc_split() page by page). */
void vm_mem_free(struct vm *vm, paddr_t pa, unsigned int order);
/* Uncharge @pages freed by someone else (the gather's put_page). */
void vm_charge_put(struct vm *vm, u64 pages);
/* The destroy line: faults, peak, bound, and what is still charged (0 = exact). */
void vm_charge_report(struct vm *vm);

#endif
