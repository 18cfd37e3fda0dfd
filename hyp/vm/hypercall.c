// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercalls on the caller's own memory (doc/hypercalls.md). Every range is
 * checked against the caller's RAM window before hyp/mm sees it, so no
 * argument reaches another VM's memory or the hypervisor's.
 */
#include <hyp/console.h>
#include <hyp/palloc.h>
#include <hyp/vm/hypercall.h>
#include <hyp/mm/s2_move.h>
#include <hyp/mm/s2_dirty.h>
#include <hyp/mm/s2_migrate.h>

/* The ABI's numbers are the hypervisor's own (hyp/include/hyp/abi/hypercall.h). */
BUILD_BUG_ON(HC_PROT_R != S2_PROT_R || HC_PROT_W != S2_PROT_W || HC_PROT_X != S2_PROT_X);
BUILD_BUG_ON(sizeof(struct s2_counters) != HC_CNT_NR * sizeof(u64));
BUILD_BUG_ON(HC_MAP_MAX != SZ_2M || HC_DIRTY_MAX != 64 * PAGE_SIZE);

/* Order of checks (documented): size 0, alignment, overflow, window. */
static int check_range(const struct vm *vm, u64 ipa, u64 size)
{
	u64 base = ipa_addr(vm->ram_base);

	if (!size)
		return -E_INVAL;
	if (!IS_ALIGNED(ipa, PAGE_SIZE) || !IS_ALIGNED(size, PAGE_SIZE))
		return -E_ALIGN;
	if (ipa + size < ipa)
		return -E_RANGE;
	if (ipa < base || ipa + size > base + vm->ram_size)
		return -E_RANGE;
	return 0;
}

static int hc_map(struct vm *vm, u64 ipa, u64 size)
{
	int r = check_range(vm, ipa, size);

	if (r)
		return r;
	if (size > HC_MAP_MAX)
		return -E_INVAL;
	if (vm->backing == VM_BACK_IDENTITY)
		return -E_PERM;	/* no fresh page ever goes into identity RAM (doc/passthrough.md) */
	for (u64 off = 0; off < size; off += PAGE_SIZE) {
		paddr_t pa;

		if (!vm_mem_alloc(vm, 0, &pa))
			r = -E_NOMEM;
		else {
			arch_guest_sync_mem(pa, PAGE_SIZE);
			r = s2_map(&vm->s2, ipa_init(ipa + off), pa, PAGE_SIZE, S2_PROT_RWX,
				   S2_MAP_OWNED | S2_MAP_PAGES);
			if (r)
				vm_mem_free(vm, pa, 0);
		}
		if (r) {
			/* All or nothing: undo the pages this call mapped. */
			/* Our own fresh pages: only a dying VM refuses (it frees them itself). */
			if (off && s2_unmap(&vm->s2, ipa_init(ipa), off) < 0)
				pr_warn("vm %u: undoing a failed populate refused\n", vm->id);
			return r;
		}
	}
	return 0;
}

/*
 * The guest asks for its own pages to be migrated (page migration as churn
 * does it, doc/churn.md): each mapped 4K page of the range gets a new host
 * page; holes and blocks are skipped. Counts in x1.
 */
static int hc_migrate(struct vm *vm, u64 ipa, u64 size, u64 *done)
{
	int r = check_range(vm, ipa, size);

	*done = 0;
	if (r)
		return r;
	if (size > HC_MIGRATE_MAX)
		return -E_INVAL;
	for (u64 off = 0; off < size; off += PAGE_SIZE) {
		paddr_t pa;

		if (!vm_mem_alloc(vm, 0, &pa))
			return -E_NOMEM;
		r = s2_migrate(&vm->s2, ipa_init(ipa + off), pa);
		if (r)
			vm_mem_free(vm, pa, 0);
		if (r == -E_NOENT || r == -E_BUSY)
			continue;	/* a hole, or a page inside a block */
		if (r)
			return r;
		(*done)++;
	}
	return 0;
}

static void hc_dispatch(struct vcpu *v, struct smccc_regs *r)
{
	struct vm *vm = v->vm;
	u64 a1 = r->a[1], a2 = r->a[2], a3 = r->a[3];
	struct s2_counters c;
	int e;

	switch ((u32)r->a[0]) {
	case HC_VERSION:
		r->a[1] = 1;
		/* lets one image tell which VM it runs in; [63:32] flags (churn on) */
		r->a[2] = vm->id | (vm->churn.on ? HC_VERSION_F_CHURN : 0) |
			  (vm->backing == VM_BACK_IDENTITY ? HC_VERSION_F_IDENTITY : 0);
		/* and whether other VMs run beside it; [63:32]: resets so far */
		r->a[3] = vm_count() | (u64)vm->incarnation << 32;
		e = 0;
		break;
	case HC_MAP:
		e = hc_map(vm, a1, a2);
		break;
	case HC_UNMAP:
		e = check_range(vm, a1, a2);
		if (!e && vm->backing == VM_BACK_IDENTITY)
			e = -E_PERM;	/* identity RAM stays mapped (doc/passthrough.md) */
		if (!e)
			e = s2_unmap(&vm->s2, ipa_init(a1), a2);
		break;
	case HC_PROTECT:
		e = check_range(vm, a1, a2);
		if (!e && ((a3 & ~(u64)(HC_PROT_R | HC_PROT_W | HC_PROT_X)) || !(a3 & HC_PROT_R)))
			e = -E_INVAL;
		if (!e)
			e = s2_protect(&vm->s2, ipa_init(a1), a2, (unsigned int)a3);
		break;
	case HC_MOVE:
		e = check_range(vm, a1, a3);
		if (!e)
			e = check_range(vm, a2, a3);
		if (!e && a1 < a2 + a3 && a2 < a1 + a3)
			e = -E_INVAL;
		if (!e && vm->backing == VM_BACK_IDENTITY)
			e = -E_PERM;	/* from or onto identity RAM (doc/passthrough.md) */
		if (!e)
			e = s2_move(&vm->s2, ipa_init(a1), ipa_init(a2), a3);
		break;
	case HC_RECLAIM:
		e = check_range(vm, a1, a2);
		if (!e)
			e = s2_reclaim_tables(&vm->s2, ipa_init(a1), a2);
		break;
	case HC_COUNTER:
		if (a1 >= HC_CNT_NR) {
			e = -E_RANGE;
			break;
		}
		s2_vm_counters(&vm->s2, &c);
		r->a[1] = ((const u64 *)&c)[a1];	/* generated from HC_COUNTERS: field a1 */
		e = 0;
		break;
	case HC_DIRTY_START:
		e = check_range(vm, a1, a2);
		if (!e && a2 > HC_DIRTY_MAX)
			e = -E_INVAL;
		if (!e)
			e = s2_dirty_log_start(&vm->s2, ipa_init(a1), a2);
		break;
	case HC_DIRTY_STOP:
		s2_dirty_log_stop(&vm->s2);
		e = 0;
		break;
	case HC_DIRTY_HARVEST: {
		u64 bits = 0;

		e = s2_dirty_log_harvest(&vm->s2, &bits, 64);
		if (e >= 0) {
			r->a[1] = bits;
			r->a[2] = (u64)e;
			e = 0;
		}
		break;
	}
	case HC_MIGRATE: {
		u64 done;

		e = hc_migrate(vm, a1, a2, &done);
		r->a[1] = done;
		break;
	}
	case HC_RACE_DELAY:
		/* doc/race-widening.md: x4 != 0 restarts the random delays from that seed. */
		e = s2_race_set(&vm->s2, a1, a2, a3);
		if (!e && r->a[4])
			s2_race_seed(&vm->s2, r->a[4]);
		break;
	default:
		r->a[0] = (u64)-1LL;	/* SMCCC NOT_SUPPORTED */
		return;
	}
	r->a[0] = e ? (u64)HC_ERR(-e) : 0;
}

void vm_hypercall(struct vcpu *v, struct smccc_regs *r)
{
	vm_churn_hc_enter(v->vm);	/* doc/churn.md: never inside a churn move */
	hc_dispatch(v, r);
	vm_churn_hc_exit(v->vm);
}
