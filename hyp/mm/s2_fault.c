// SPDX-License-Identifier: GPL-2.0
/*
 * The stage-2 fault path. It first walks WITHOUT the VM lock, inside a
 * grace-period read section (R6): tables it reads cannot be freed under it,
 * because every table a writer unlinks waits for a grace period after its
 * invalidation (s2_gather_finish). Only a fault that must change the tables
 * takes the VM lock, and re-checks under it.
 */
#include "s2_internal.h"

enum s2_desc_type s2_fault_walk(struct s2_vm *vm, ipaddr_t ipa, struct s2_desc_info *out)
{
	enum s2_desc_type t = S2_DESC_INVALID;

	out->type = S2_DESC_INVALID;
	if (ipa_addr(ipa) >= vm->ipa_size)
		return t;
	s2_gp_read_lock();
	/* R3/R6: teardown sets dying before its grace period; after that, no walk. */
	if (!READ_ONCE(vm->dying))
		t = s2_lookup(vm->fmt, vm->root, ipa_addr(ipa), out, NULL);
	s2_gp_read_unlock();
	return t;
}

static bool prot_ok(unsigned int prot, bool write, bool exec)
{
	return (prot & S2_PROT_R) && (!write || (prot & S2_PROT_W)) &&
	       (!exec || (prot & S2_PROT_X));
}

/* Write to a page write-protected for dirty logging: record it, give write back. */
static int unlog_write(struct s2_vm_locked l, u64 *ptep, int level, u64 ipa)
{
	const struct s2_format *f = l.vm->fmt;
	u64 size = s2_level_size(level);
	u64 cur, new;

	for (;;) {
		cur = READ_ONCE(*ptep);
		new = (cur | f->perm_w) & ~f->sw_logwp;
		arch_sched_point();
		if (atomic_cmpxchg(ptep, cur, new))
			break;
	}
	/* R4: dirty recorded under the lock, before the guest can write again. */
	if (s2_dirty_logging(l.vm))
		s2_dirty_mark(l, ALIGN_DOWN(ipa, size), size);
	/* Relaxing a permission needs no invalidation: a stale entry only faults again. */
	return 0;
}

static bool prot_valid(unsigned int prot)
{
	return (prot & S2_PROT_R) && !(prot & ~S2_PROT_ALL);
}

/*
 * Map what the VM's ops gave for a fault (@size: a page or a 2 MiB block),
 * or give it back. The one place a fault maps backing memory. -E_EXIST
 * (someone mapped it first) cannot happen under the lock after the lookup
 * found nothing; were it to, the page is still ours and goes back too.
 */
static int map_backing(struct s2_vm_locked l, u64 ipa, paddr_t pa, u64 size, unsigned int prot)
{
	int ret = -E_INVAL;

	if (IS_ALIGNED(pa_addr(pa), size) && prot_valid(prot))
		ret = s2_map_locked(l, ipa, pa, size, prot, S2_MAP_OWNED);
	if (ret < 0)
		s2_put_page(l.vm, pa, size);	/* never mapped: no TLB holds it */
	return ret == -E_EXIST ? 0 : ret;
}

/*
 * Nothing mapped at @ipa and the walk stopped above the last level (@level):
 * the whole 2 MiB block around it is empty. Map it as one block if the VM's
 * ops give a 2 MiB run. 1: not tried or no run (use a page), else the result.
 */
static int fault_block(struct s2_vm_locked l, u64 ipa, int level)
{
	struct s2_vm *vm = l.vm;
	u64 blk = ALIGN_DOWN(ipa, SZ_2M);
	unsigned int prot;
	paddr_t pa;
	int ret;

	if (!vm->ops->fault_block || level >= S2_LAST_LEVEL || blk + SZ_2M > vm->ipa_size)
		return 1;
	/* R1/R2: no part of the block may be cleared and not yet invalidated. */
	if (atomic_load_acquire(&vm->unflushed) && vm->unflushed_start < blk + SZ_2M &&
	    vm->unflushed_end > blk)
		return 1;
	ret = vm->ops->fault_block(vm->ops->arg, vm, ipa_init(blk), &pa, &prot);
	if (ret == -E_NOMEM)
		return 1;
	if (ret)
		return ret;
	return map_backing(l, blk, pa, SZ_2M, prot);
}

static int fault_locked(struct s2_vm_locked l, u64 ipa, bool write, bool exec)
{
	struct s2_vm *vm = l.vm;
	const struct s2_format *f = vm->fmt;
	unsigned int prot;
	paddr_t pa;
	u64 *ptep, d;
	int level, ret;

	switch (s2_lookup_ptep(vm, ipa, &ptep, &level)) {
	case S2_DESC_LEAF:
		d = READ_ONCE(*ptep);
		prot = s2_desc_prot(f, d);
		if (prot_ok(prot, write, exec)) {
			s2_count(vm, faults_spurious, 1);
			return 0;
		}
		if (write && (d & f->sw_logwp) && prot_ok(prot | S2_PROT_W, write, exec))
			return unlog_write(l, ptep, level, ipa);
		return -E_PERM;
	case S2_DESC_INVALID:
		if (!vm->ops || !vm->ops->fault_backing)
			return -E_NOENT;
		/*
		 * R1/R2: an unmap may have cleared this entry and released the lock
		 * without having invalidated yet; another CPU may still translate
		 * the IPA to the old page. Populating a new page now would give the
		 * guest two pages at one IPA. Retry while the IPA lies in a range
		 * cleared and not yet invalidated (noted under the lock when the
		 * entry was cleared, read here under the lock), or held.
		 */
		if (atomic_load_acquire(&vm->unflushed) && ipa >= vm->unflushed_start &&
		    ipa < vm->unflushed_end && !inject(FAULT_DURING_UNMAP))
			return -E_AGAIN;
		ret = fault_block(l, ipa, level);
		if (ret <= 0)
			return ret;
		ret = vm->ops->fault_backing(vm->ops->arg, vm, ipa_init(ipa), &pa, &prot);
		if (ret)
			return ret;
		return map_backing(l, ipa, pa, PAGE_SIZE, prot);
	default:
		return -E_PERM;
	}
}

int s2_handle_fault(struct s2_vm *vm, ipaddr_t ipa, bool write, bool exec)
{
	u64 a = ALIGN_DOWN(ipa_addr(ipa), PAGE_SIZE);
	struct s2_desc_info info;
	struct s2_vm_locked l;
	int ret;

	if (ipa_addr(ipa) >= vm->ipa_size)
		return -E_RANGE;
	s2_count(vm, faults, 1);
	/* Lock-free first: most faults race with a map that already happened. */
	if (s2_fault_walk(vm, ipa_init(a), &info) == S2_DESC_LEAF &&
	    prot_ok(info.prot, write, exec)) {
		s2_count(vm, faults_spurious, 1);
		return 0;
	}
	l = s2_vm_lock(vm);
	ret = vm->dying ? -E_BUSY : fault_locked(l, a, write, exec);
	s2_vm_unlock(&l);
	return ret;
}

void s2_fault_hold_begin(struct s2_vm *vm, ipaddr_t ipa, u64 size)
{
	struct s2_vm_locked l = s2_vm_lock(vm);

	s2_unflushed_add(l, ipa_addr(ipa), ipa_addr(ipa) + size, true);
	s2_vm_unlock(&l);
}

void s2_fault_hold_end(struct s2_vm *vm)
{
	s2_unflushed_done(vm);
}
