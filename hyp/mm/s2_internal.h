/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared between the files of hyp/mm (not a public interface).
 */
#ifndef HYP_MM_S2_INTERNAL_H
#define HYP_MM_S2_INTERNAL_H

#include <hyp/mm/s2.h>
#include <hyp/mm/s2_walk.h>
#include <hyp/mm/s2_gp.h>
#include <hyp/mm/s2_vmid.h>
#include <hyp/mm/s2_dirty.h>
#include <hyp/mm/s2_move.h>
#include <hyp/atomic.h>
#include <hyp/inject.h>

/*
 * Lock witness (Hafnium style): a function taking a struct s2_vm_locked
 * can only be called by someone who locked the VM. It is passed on, never
 * built from a struct s2_vm; unlocking consumes it (a use afterwards
 * dereferences NULL).
 */
struct s2_vm_locked {
	struct s2_vm *vm;
};

static inline struct s2_vm_locked s2_vm_lock(struct s2_vm *vm) __acquires(&vm->lock)
{
	spin_lock(&vm->lock);
	return (struct s2_vm_locked){ .vm = vm };
}

static inline void s2_vm_unlock(struct s2_vm_locked *l) __releases(&l->vm->lock)
{
	spin_unlock(&l->vm->lock);
	l->vm = NULL;
}

/* Pages the stock keeps between operations. */
#define S2_STOCK_KEEP	16

/*
 * Race widening (s2_race.h, doc/race-widening.md): spin at an ordering
 * point if the VM asked for it. Off: one load, one predictable branch.
 */
static inline void s2_race_delay(struct s2_vm *vm, enum s2_race_point point)
{
	if (unlikely(READ_ONCE(vm->race.armed)))
		s2_race_delay_slow(vm, point);
}

/* ---- descriptor writes (every one is a scheduling point) ---------------- */

static inline void s2_set(u64 *ptep, u64 v)
{
	arch_sched_point();
	WRITE_ONCE(*ptep, v);
}

/* Clear and return the old value atomically: hardware may set A/D meanwhile. */
static inline u64 s2_clear(u64 *ptep)
{
	arch_sched_point();
	return atomic_xchg(ptep, 0ULL);
}

/* Publish a table: its contents must be visible before the pointer. */
static inline void s2_publish(u64 *ptep, u64 v)
{
	arch_smp_mb();
	s2_set(ptep, v);
}

/* Blocks straddling the two edges of a range: at most two splits per block level. */
#define s2_split_need(f)	(2 * s2_popcount((f)->leaf_levels & ~(1U << S2_LAST_LEVEL)))

/* Does the walked descriptor lie wholly inside the walk's range? */
static inline bool s2_covers(const struct s2_walk_data *d)
{
	return d->addr >= d->start && d->addr + s2_level_size(d->level) <= d->end;
}

/* Bits set in @x (no libgcc call: sparse sets of CPUs and levels). */
static inline unsigned int s2_popcount(u64 x)
{
	unsigned int n = 0;

	for (; x; x &= x - 1)
		n++;
	return n;
}

/* ---- argument checks ----------------------------------------------------- */
static inline int s2_check_range(const struct s2_vm *vm, u64 ipa, u64 size)
{
	if (!size)
		return -E_INVAL;
	if (!IS_ALIGNED(ipa, PAGE_SIZE) || !IS_ALIGNED(size, PAGE_SIZE))
		return -E_ALIGN;
	if (ipa + size < ipa || ipa + size > vm->ipa_size)
		return -E_RANGE;
	return 0;
}

/* ---- memory --------------------------------------------------------------- */
bool s2_alloc_pages(struct s2_vm *vm, unsigned int order, paddr_t *pa);
void s2_free_pages(struct s2_vm *vm, paddr_t pa, unsigned int order);
void s2_put_page(struct s2_vm *vm, paddr_t pa, u64 size);
unsigned int s2_order_of(u64 size);
int s2_stock_topup(struct s2_vm_locked l, u32 need);
paddr_t s2_stock_take(struct s2_vm_locked l);
void s2_stock_trim(struct s2_vm_locked l, u32 keep);

/* ---- gather internals ------------------------------------------------------- */
void s2_gather_init(struct s2_gather *g, struct s2_vm *vm, bool counted);
void s2_gather_add_free(struct s2_vm_locked l, struct s2_gather *g, paddr_t pa, u64 info);
static inline void s2_gather_request(struct s2_gather *g, u64 start, u64 size)
{
	if (g->req_end == 0) {
		g->req_start = start;
		g->req_end = start + size;
	} else {
		g->req_start = MIN(g->req_start, start);
		g->req_end = MAX(g->req_end, start + size);
	}
}
void s2_gather_flush_locked(struct s2_vm_locked l, struct s2_gather *g);
void s2_gather_flush(struct s2_gather *g);
void s2_flush_range(struct s2_vm *vm, u64 start, u64 end, u64 stride, bool leaf_only);
/* The whole VMID, completed (teardown, R3). */
void s2_flush_vmid(struct s2_vm *vm);
void s2_gather_free_all(struct s2_gather *g);

/* R4: flush (if @flush) and only then release the VM lock (inject(DIRTY_AFTER_UNLOCK)). */
static inline void s2_gather_flush_unlock(struct s2_vm_locked *l, struct s2_gather *g, bool flush)
	__releases(&l->vm->lock)
{
	if (inject(DIRTY_AFTER_UNLOCK)) {
		s2_vm_unlock(l);
		/* BUG (injected): writes through stale TLB entries go unrecorded. */
		if (flush)
			s2_gather_flush(g);
		return;
	}
	/*
	 * R4: entries that were writable were write-protected or removed under
	 * the lock; the invalidation completes on every CPU before the lock is
	 * released, so no write through a stale entry escapes the dirty log.
	 */
	if (flush)
		s2_gather_flush_locked(*l, g);
	s2_vm_unlock(l);
}

/* Unflushed ranges (s2.h): note one more under the lock; drop one after invalidation. */
static inline void s2_unflushed_add(struct s2_vm_locked l, u64 start, u64 end, bool new_one)
{
	struct s2_vm *vm = l.vm;

	if (!atomic_load_acquire(&vm->unflushed)) {
		vm->unflushed_start = start;
		vm->unflushed_end = end;
	} else {
		vm->unflushed_start = MIN(vm->unflushed_start, start);
		vm->unflushed_end = MAX(vm->unflushed_end, end);
	}
	if (new_one)
		atomic_fetch_add(&vm->unflushed, 1U);
}
static inline void s2_unflushed_done(struct s2_vm *vm)
{
	atomic_fetch_sub(&vm->unflushed, 1U);
}

/* Inline: every removed leaf passes here (the one-page unmap is the hot case). */
/* Called with the VM lock held (every descriptor removal is). */
static inline void s2_gather_add_range(struct s2_vm_locked l, struct s2_gather *g, u64 base,
				       u64 size, bool table)
{
	/* R1/R2: faults in the range retry until our invalidation completed. */
	s2_unflushed_add(l, base, base + size, !g->pending);
	if (!g->pending) {
		g->start = base;
		g->end = base + size;
		g->pending = true;
	} else {
		g->start = MIN(g->start, base);
		g->end = MAX(g->end, base + size);
	}
	/*
	 * An unlinked or moved table may hold 4K leaves anywhere in its span:
	 * cover the span at 4K granularity, all levels (R2).
	 */
	g->stride = MIN(g->stride, table ? PAGE_SIZE : size);
	if (table)
		g->tables = true;
}

/* ---- operations under the lock ---------------------------------------------- */
int s2_map_locked(struct s2_vm_locked l, u64 ipa, paddr_t pa, u64 size,
		  unsigned int prot, unsigned int flags);
int s2_unmap_locked(struct s2_vm_locked l, struct s2_gather *g, u64 ipa, u64 size,
		    bool *wrote);
int s2_protect_locked(struct s2_vm_locked l, u64 ipa, u64 size, unsigned int prot,
		      bool log_wp, bool record, struct s2_gather *g);
int s2_protect_range(struct s2_vm *vm, u64 ipa, u64 size, unsigned int prot,
		     bool log_wp, bool record);
int s2_split_locked(struct s2_vm_locked l, u64 *ptep, int level, u64 base, u64 old);
void s2_leaf_removed(struct s2_vm_locked l, struct s2_gather *g, u64 old, u64 base, int level);
void s2_leaf_forget(struct s2_vm_locked l, struct s2_gather *g, u64 old, u64 base, int level);

/*
 * Break-before-make (s2_bbm.c; KVM: stage2_try_break_pte / stage2_make_pte).
 * s2_break(): clear the live level-@level entry at @ptep (covering @base),
 * record it in @g (all levels if it was a table) and invalidate it,
 * completed on every CPU; returns the old descriptor (with any A/D the
 * hardware set meanwhile). @skip: the fault-injection switch that omits the
 * break (INJ_NR: none). s2_make(): publish the new entry.
 */
u64 s2_break(struct s2_vm_locked l, struct s2_gather *g, u64 *ptep, u64 base, int level,
	     enum inject_switch skip);
void s2_make(u64 *ptep, u64 desc);
int s2_reclaim_locked(struct s2_vm_locked l, struct s2_gather *g, u64 ipa, u64 size);
enum s2_desc_type s2_lookup_ptep(struct s2_vm *vm, u64 ipa, u64 **ptep, int *level);
void s2_free_tree(struct s2_vm_locked l);

/* ---- dirty log, reverse map -------------------------------------------------- */
static inline bool s2_dirty_logging(const struct s2_vm *vm)
{
	return vm->dlog.bits != NULL;
}
void s2_dirty_mark(struct s2_vm_locked l, u64 ipa, u64 size);
bool s2_desc_writable(const struct s2_format *f, u64 d);

int s2_rmap_init(struct s2_vm *vm, u32 entries);
void s2_rmap_destroy(struct s2_vm *vm);
bool s2_rmap_has_room(struct s2_vm_locked l, u64 n);
void s2_rmap_insert(struct s2_vm_locked l, paddr_t pa, u64 ipa, int level);
void s2_rmap_remove(struct s2_vm_locked l, paddr_t pa, u64 ipa, int level);
int s2_rmap_find(struct s2_vm_locked l, paddr_t pa, u64 *ipa, int *level);
/* After a move: the rmap entries of [@new_base, +@size) follow from @new_base - @off. */
void s2_rmap_moved(struct s2_vm_locked l, u64 new_base, u64 size, u64 off);

#endif
