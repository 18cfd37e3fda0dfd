// SPDX-License-Identifier: GPL-2.0
/*
 * The VM stage-2 object: creation, the CPUs that load it (R3, R7), its TLB
 * context, teardown (R3). Memory and the stock: s2_mem.c; the flush
 * context: s2_gather.c.
 */
#include "s2_internal.h"
#include <hyp/palloc.h>
#include <hyp/string.h>
#include <hyp/panic.h>

/* cpu_state holds 32 "ran" and 32 "loaded" bits. */
BUILD_BUG_ON(HYP_MAX_CPUS > 32);

/* ---- creation ------------------------------------------------------------ */

int s2_vm_init(struct s2_vm *vm, const struct s2_vm_config *cfg)
{
	u64 space;
	int ret;

	if (!vm || !cfg || !cfg->fmt)
		return -E_INVAL;
	space = 1ULL << cfg->fmt->ia_bits;
	if (cfg->ipa_size > space || !IS_ALIGNED(cfg->ipa_size, PAGE_SIZE))
		return -E_INVAL;
	memset(vm, 0, sizeof(*vm));
	vm->fmt = cfg->fmt;
	vm->ops = cfg->ops;
	vm->ipa_size = cfg->ipa_size ? cfg->ipa_size : space;
	spin_lock_init(&vm->lock);
	spin_lock_init(&vm->flush_lock);
	if (!s2_alloc_pages(vm, cfg->fmt->root_order, &vm->root))
		return -E_NOMEM;
	ret = s2_rmap_init(vm, cfg->rmap_entries);
	if (ret) {
		s2_free_pages(vm, vm->root, cfg->fmt->root_order);
		return ret;
	}
	return 0;
}

/* ---- CPUs ---------------------------------------------------------------- */

u64 s2_vm_loaded_cpus(const struct s2_vm *vm)
{
	return atomic_load_acquire(&vm->cpu_state) >> 32;
}

bool s2_vm_exit_requested(const struct s2_vm *vm)
{
	return READ_ONCE(vm->dying);
}

int s2_vm_enter(struct s2_vm *vm)
{
	unsigned int cpu = arch_cpu_id();
	struct arch_s2_tlb_ctx ctx;
	u64 old;
	int ret;

	if (READ_ONCE(vm->dying))
		return -E_BUSY;
	/* R3: publish "loaded" before re-checking dying; teardown does the converse. */
	old = atomic_fetch_or(&vm->cpu_state, S2_CPU_RAN(cpu) | S2_CPU_LOADED(cpu));
	if (READ_ONCE(vm->dying)) {
		ret = -E_BUSY;
		goto undo;
	}
	ret = s2_vmid_get(vm);
	if (ret)
		goto undo;
	ctx = s2_vm_tlb_ctx(vm);
	/*
	 * R7: a CPU new to this VM must not use stale entries it may hold
	 * (on VMX also those of an earlier VM whose root page this VM's root
	 * reuses: EPT tags by EP4TA, doc/simulation.md X6).
	 */
	if (!(old & S2_CPU_RAN(cpu)) && !inject(FIRST_RUN_NO_FLUSH)) {
		ctx.cpus = BIT(cpu);
		arch_sched_point();
		arch_s2_inval_vmid(&ctx);
		arch_s2_inval_sync(&ctx);
		s2_count(vm, inval_local, 1);
		ctx.cpus = s2_vm_ran_cpus(vm);
	}
	arch_s2_load(&ctx);
	return 0;
undo:
	atomic_fetch_and(&vm->cpu_state, ~S2_CPU_LOADED(cpu));
	return ret;
}

void s2_vm_exit(struct s2_vm *vm)
{
	unsigned int cpu = arch_cpu_id();

	/* R3: the CPU stops walking these tables before it stops counting as loaded. */
	arch_s2_load(NULL);
	s2_vmid_put_cpu();
	arch_smp_mb();
	atomic_fetch_and(&vm->cpu_state, ~S2_CPU_LOADED(cpu));
}

void s2_vm_counters(const struct s2_vm *vm, struct s2_counters *out)
{
	*out = vm->cnt;
}

/* ---- teardown (R3) --------------------------------------------------------- */

/* Teardown visitor: owned pages (leaf), then each table after its children (table-post). */
static int free_tree_cb(struct s2_walk_data *d, enum s2_visit v)
{
	struct s2_vm *vm = d->arg;
	const struct s2_format *f = d->fmt;
	u64 size = s2_level_size(d->level);

	if (v == S2_VISIT_LEAF) {
		if (s2_desc_is_leaf(f, d->old, d->level) && (d->old & f->sw_owned))
			s2_put_page(vm, pa_init(d->old & f->oa_mask & ~(size - 1)), size);
		return 0;
	}
	s2_free_pages(vm, s2_desc_pa(f, d->old), 0);
	s2_count(vm, tables_freed, 1);
	return 0;
}

/* Free the whole (invalidated) table tree of @vm, the owned pages it maps, and the root. */
void s2_free_tree(struct s2_vm_locked l)
{
	struct s2_vm *vm = l.vm;
	const struct s2_walker w = {
		.cb = free_tree_cb, .arg = vm,
		.flags = S2_VISIT_LEAF | S2_VISIT_TABLE_POST | S2_WALK_ALONE,
	};

	s2_walk(vm->fmt, vm->root, 0, 1ULL << vm->fmt->ia_bits, &w);
	s2_free_pages(vm, vm->root, vm->fmt->root_order);
	s2_count(vm, tables_freed, 1);
}

static void wait_loaded_empty(struct s2_vm *vm)
{
	while (s2_vm_loaded_cpus(vm))
		arch_cpu_relax();
}

static void wait_gathers_done(struct s2_vm *vm)
{
	while (atomic_load_acquire(&vm->gathers_in_flight))
		arch_cpu_relax();
}

int s2_vm_destroy(struct s2_vm *vm)
{
	struct s2_vm_locked l;

	if (!vm || READ_ONCE(vm->dead) || READ_ONCE(vm->dying))
		return -E_INVAL;
	BUG_ON(s2_vm_loaded_cpus(vm) & BIT(arch_cpu_id()));
	WRITE_ONCE(vm->dying, true);
	arch_smp_mb();
	wait_gathers_done(vm);
	if (inject(TEARDOWN_FLUSH_WHILE_LIVE)) {
		/* BUG (injected): flush once up front while CPUs may still walk the tables. */
		s2_flush_vmid(vm);
		l = s2_vm_lock(vm);
		s2_free_tree(l);
		s2_vm_unlock(&l);
		wait_loaded_empty(vm);
	} else {
		/* R3: every CPU that has the VM loaded switches away before the one flush. */
		wait_loaded_empty(vm);
		/* R6: lockless walkers that started before are done. */
		s2_gp_synchronize();
		l = s2_vm_lock(vm);
		s2_flush_vmid(vm);
		/* R1: the flush completed; now the tables and owned pages may go. */
		s2_free_tree(l);
		s2_vm_unlock(&l);
	}
	l = s2_vm_lock(vm);
	s2_stock_trim(l, 0);
	s2_vm_unlock(&l);
	s2_dirty_log_stop(vm);
	s2_rmap_destroy(vm);
	vm->root = pa_init(0);
	WRITE_ONCE(vm->dead, true);
	return 0;
}
