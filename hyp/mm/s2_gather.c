// SPDX-License-Identifier: GPL-2.0
/*
 * The gather (R1, R2, R6): batch the invalidation of everything an unmap-
 * like operation removed, then free. See s2_gather.h.
 */
#include "s2_internal.h"
#include <hyp/panic.h>

/*
 * A batch page: private memory allocated for the gather's free list. Never
 * one of the pages being freed (R6: no links inside a page a walker reads).
 */
#define BATCH_CAP	((PAGE_SIZE - 16) / sizeof(struct s2_free_ent))
struct s2_gather_batch {
	paddr_t next;
	u64 nr;
	struct s2_free_ent ents[BATCH_CAP];
};
BUILD_BUG_ON(sizeof(struct s2_gather_batch) > PAGE_SIZE);
BUILD_BUG_ON(S2_INVAL_THRESHOLD >= S2_ENTRIES);

void s2_gather_init(struct s2_gather *g, struct s2_vm *vm, bool counted)
{
	/* No memset: ents[] is only read up to nr. */
	g->vm = vm;
	g->start = g->end = 0;
	g->req_start = g->req_end = 0;
	g->stride = ~0ULL;
	g->tables = false;
	g->pending = false;
	g->nr = 0;
	g->batch = pa_init(0);
	if (counted)
		atomic_fetch_add(&vm->gathers_in_flight, 1U);
}

void s2_gather_begin(struct s2_gather *g, struct s2_vm *vm)
{
	/* R2: counted before any descriptor is cleared, so overlaps are seen. */
	s2_gather_init(g, vm, true);
}

static struct s2_free_ent *last_ent(struct s2_gather *g)
{
	if (pa_addr(g->batch)) {
		struct s2_gather_batch *b = pa_to_ptr(g->batch);

		return b->nr ? &b->ents[b->nr - 1] : NULL;
	}
	return g->nr ? &g->ents[g->nr - 1] : NULL;
}

/* Space for one more entry: inline, current batch page, or a new batch page. */
static struct s2_free_ent *new_ent(struct s2_gather *g)
{
	struct s2_gather_batch *b;
	paddr_t pa;

	if (!pa_addr(g->batch) && g->nr < S2_GATHER_INLINE)
		return &g->ents[g->nr++];
	if (pa_addr(g->batch)) {
		b = pa_to_ptr(g->batch);
		if (b->nr < BATCH_CAP)
			return &b->ents[b->nr++];
	}
	if (!s2_alloc_pages(g->vm, 0, &pa))
		return NULL;
	b = pa_to_ptr(pa);
	b->next = g->batch;
	b->nr = 1;
	g->batch = pa;
	return &b->ents[0];
}

void s2_gather_add_free(struct s2_vm_locked l, struct s2_gather *g, paddr_t pa, u64 info)
{
	struct s2_free_ent *e = last_ent(g);

	/*
	 * Contiguous data pages merge into one extent, when the owner's
	 * put_page takes extents; the default frees each leaf with the order
	 * it was allocated with, so it needs one entry per leaf.
	 */
	if (e && !(info & S2_FREE_TABLE) && !(e->info & S2_FREE_TABLE) &&
	    l.vm->ops && l.vm->ops->put_page &&
	    pa_addr(e->pa) + e->info == pa_addr(pa)) {
		e->info += info;
		return;
	}
	e = new_ent(g);
	if (!e) {
		/* No memory for the list: flush now, free everything, start over. */
		s2_count(l.vm, early_flushes, 1);
		s2_gather_flush_locked(l, g);
		s2_gather_free_all(g);
		e = new_ent(g);
		BUG_ON(!e);
	}
	e->pa = pa;
	e->info = info;
}

static int level_of_size(u64 size)
{
	switch (size) {
	case SZ_4K:
		return 3;
	case SZ_2M:
		return 2;
	case SZ_1G:
		return 1;
	default:
		return -1;
	}
}

/* The flush context's inputs (floor 1: s2_vm.c's enter/teardown call down to them). */
u64 s2_vm_ran_cpus(const struct s2_vm *vm)
{
	return atomic_load_acquire(&vm->cpu_state) & S2_CPU_RAN_MASK;
}

struct arch_s2_tlb_ctx s2_vm_tlb_ctx(struct s2_vm *vm)
{
	struct arch_s2_tlb_ctx ctx;

	ctx.vmid = s2_vmid_of(atomic_load_acquire(&vm->vmid));
	ctx.root = vm->root;
	ctx.cpus = s2_vm_ran_cpus(vm);
	return ctx;
}

/*
 * The context of one invalidation, read after the descriptors were cleared
 * (the caller's barrier): a CPU that loads the VM later cannot see them.
 * A VMID-wide flush also trims the x86 target set to the CPUs that have the
 * VM loaded: every other CPU in it is flushed now and, if it enters again,
 * joins the set (and flushes itself, s2_vm_enter()). The caller holds
 * vm->flush_lock until the invalidation completed: another flusher must not
 * see the trimmed set while the CPUs trimmed away are not yet flushed.
 */
static __always_inline struct arch_s2_tlb_ctx s2_flush_ctx(struct s2_vm *vm, bool vmid_wide)
	__must_hold(&vm->flush_lock)
{
	struct arch_s2_tlb_ctx ctx = s2_vm_tlb_ctx(vm);
	u64 old, new;

	arch_smp_mb();
	if (vmid_wide) {
		do {
			old = atomic_load_acquire(&vm->cpu_state);
			new = (old & ~S2_CPU_RAN_MASK) | (old >> 32);
		} while (old != new && !atomic_cmpxchg(&vm->cpu_state, old, new));
		ctx.cpus = old & S2_CPU_RAN_MASK;
	}
	/* BUG (injected): only this CPU, not every one that ran the VM. */
	if (inject(IPI_SUBSET))
		ctx.cpus = BIT(arch_cpu_id());
	/* R7 (x86): shoot down exactly the CPUs that ran the VM since its last flush. */
	if (ctx.cpus)
		s2_count(vm, ipis, s2_popcount(ctx.cpus));
	return ctx;
}

/*
 * Issue one invalidation batch for [start, end) and wait for it: range
 * invalidation when the hardware has it, one per entry (step @stride) up to
 * S2_INVAL_THRESHOLD entries, else (or if @whole) the whole VMID.
 */
static __always_inline void flush(struct s2_vm *vm, u64 start, u64 end, u64 stride, bool leaf_only,
				  bool whole)
{
	u64 n = whole ? ~0ULL : (end - start) / stride;
	struct arch_s2_tlb_ctx ctx;
	bool done = false;

	/*
	 * Race widening, point CLEAR_INVAL: entries are cleared (or write-
	 * protected), the TLBs still hold them. Widens the window of R1
	 * (free-before-flush frees before this), R2 (a concurrent gather
	 * returns meanwhile), R4/R5 (the lock may already be released here in
	 * the dirty-after-unlock / move-flush-after-unlock builds).
	 */
	s2_race_delay(vm, S2_RACE_CLEAR_INVAL);
	s2_count(vm, invalidations, 1);
	/* R7: the target set may be trimmed only by a flush that completes before the next one. */
	spin_lock(&vm->flush_lock);
	if (!whole && n > 1 && arch_s2_has_range_inval()) {
		ctx = s2_flush_ctx(vm, false);
		arch_sched_point();
		done = arch_s2_inval_range(&ctx, ipa_init(start), end - start, leaf_only);
		if (done)
			s2_count(vm, inval_range, 1);
	}
	if (!done && n <= S2_INVAL_THRESHOLD) {
		/*
		 * The level hint is exact: leaves of two sizes in one hull span
		 * at least 512 strides, so mixed sizes never get here.
		 */
		int level = leaf_only ? level_of_size(stride) : -1;

		ctx = s2_flush_ctx(vm, false);
		for (u64 a = start; a < end; a += stride) {
			arch_sched_point();
			arch_s2_inval_ipa(&ctx, ipa_init(a), level, leaf_only);
		}
		s2_count(vm, inval_ipa, n);
		done = true;
	}
	if (!done) {
		ctx = s2_flush_ctx(vm, true);
		arch_sched_point();
		arch_s2_inval_vmid(&ctx);
		s2_count(vm, inval_vmid, 1);
	}
	arch_sched_point();
	/* R1: completion (DSB / IPI acks) before anything covered may be freed. */
	arch_s2_inval_sync(&ctx);
	s2_count(vm, inval_sync, 1);
	spin_unlock(&vm->flush_lock);
}

void s2_flush_range(struct s2_vm *vm, u64 start, u64 end, u64 stride, bool leaf_only)
{
	flush(vm, start, end, stride, leaf_only, false);
}

void s2_flush_vmid(struct s2_vm *vm)
{
	flush(vm, 0, 0, 1, false, true);
}

/* Invalidate what @g removed so far (its own range and levels). Inline in s2_gather_finish(). */
static __always_inline void gather_flush(struct s2_gather *g)
{
	bool leaf_only = !g->tables;

	if (!g->pending)
		return;
	/* BUG (injected): walk caches may keep pointing at unlinked tables. */
	if (inject(LEAF_ONLY_AFTER_TABLE_FREE))
		leaf_only = true;
	/* R2: a table was unlinked -> all levels, not just the leaf entries. */
	flush(g->vm, g->start, g->end, g->stride, leaf_only, false);
	g->pending = false;
	s2_unflushed_done(g->vm);	/* completed (synced in s2_flush_range) */
}

void s2_gather_flush(struct s2_gather *g)
{
	gather_flush(g);
}

void s2_gather_flush_locked(struct s2_vm_locked l, struct s2_gather *g)
{
	s2_gather_flush(g);
}

static void free_ent(struct s2_vm *vm, const struct s2_free_ent *e)
{
	if (e->info & S2_FREE_TABLE) {
		s2_free_pages(vm, e->pa, 0);
		s2_count(vm, tables_freed, 1);
	} else {
		s2_put_page(vm, e->pa, e->info);
	}
}

/* Free every recorded page and table. Only after the invalidation completed (R1). */
void s2_gather_free_all(struct s2_gather *g)
{
	struct s2_vm *vm = g->vm;

	if (!g->nr && !pa_addr(g->batch))
		return;
	/* R6: lockless walkers that may have seen an unlinked table finish first. */
	if (g->tables && !inject(RECLAIM_NO_GRACE)) {
		s2_gp_synchronize();
		s2_count(vm, grace_waits, 1);
	}
	/*
	 * Race widening, point INVAL_FREE: R1/R6: invalidation complete (and
	 * grace period over), nothing released yet.
	 */
	s2_race_delay(vm, S2_RACE_INVAL_FREE);
	for (u32 i = 0; i < g->nr; i++)
		free_ent(vm, &g->ents[i]);
	g->nr = 0;
	while (pa_addr(g->batch)) {
		struct s2_gather_batch *b = pa_to_ptr(g->batch);
		paddr_t next = b->next;

		for (u64 i = 0; i < b->nr; i++)
			free_ent(vm, &b->ents[i]);
		s2_free_pages(vm, g->batch, 0);
		g->batch = next;
	}
}

void s2_gather_finish(struct s2_gather *g)
{
	struct s2_vm *vm = g->vm;
	bool overlapped = atomic_load_acquire(&vm->gathers_in_flight) > 1;
	bool empty = !g->pending && !g->nr && !pa_addr(g->batch);

	s2_count(vm, gathers, 1);
	/* BUG (injected): found nothing to clear (another unmap did) -> trust its flush. */
	if (inject(SKIP_CLEARED) && empty)
		goto out;
	/* BUG (injected): memory goes back before the TLBs forgot it. */
	if (inject(FREE_BEFORE_FLUSH))
		s2_gather_free_all(g);
	if (overlapped && g->req_end && !inject(NESTED_FLUSH_NARROW)) {
		/*
		 * R2: another gather is in flight; it may have cleared entries in
		 * our range that we skipped and not flushed them yet. Flush our
		 * whole requested range, all levels.
		 */
		u64 start = g->pending ? MIN(g->req_start, g->start) : g->req_start;
		u64 end = g->pending ? MAX(g->req_end, g->end) : g->req_end;

		s2_count(vm, overlaps, 1);
		s2_flush_range(vm, start, end, PAGE_SIZE, false);
		if (g->pending)
			s2_unflushed_done(vm);
		g->pending = false;
	} else if (overlapped && inject(NESTED_FLUSH_NARROW)) {
		/* BUG (injected): only our own range, as if no other gather ran. */
		s2_count(vm, overlaps, 1);
	}
	gather_flush(g);
	/* R1: invalidation complete (sync in s2_flush_range) -> now free. */
	if (g->nr || pa_addr(g->batch))
		s2_gather_free_all(g);
out:
	atomic_fetch_sub(&vm->gathers_in_flight, 1U);
}
