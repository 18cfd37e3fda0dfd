/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The gather (R1, R2): the batch object of one unmap-like operation.
 *
 *   struct s2_gather (caller's stack)          private batch pages (palloc)
 *   +---------------------------+              +---------------------+
 *   | range [start,end), stride |              | next, nr            |
 *   | req range [req_start,..)  |    batch --->| {pa, size|TABLE} x N|--> next ...
 *   | tables unlinked?          |              +---------------------+
 *   | ents[8] inline            |
 *   +---------------------------+
 *
 * It records the IPA range whose descriptors were removed, whether tables were
 * unlinked (then walk caches must go too: all-levels invalidation), and the
 * data pages and tables to free. The list lives in the gather and in batch
 * pages allocated for it, NEVER inside a page being freed (a stale TLB entry
 * or a lockless walker may still read that page, R6).
 *
 * s2_gather_finish(): invalidate once (range invalidation if the hardware has
 * it; per entry up to S2_INVAL_THRESHOLD entries; else the whole VMID), wait
 * for completion, wait for a grace period if tables were unlinked, and only
 * then free (R1). If another gather of the same VM was in flight when it
 * finishes (vm->gathers_in_flight > 1), it invalidates its whole requested
 * range at all levels instead (R2), even if it removed nothing itself.
 *
 * Usage:
 *   struct s2_gather g;
 *   s2_gather_begin(&g, vm);
 *   s2_unmap_gather(&g, ipa1, size1); s2_unmap_gather(&g, ipa2, size2); ...
 *   s2_gather_finish(&g);     // translations gone, memory freed
 */
#ifndef HYP_MM_S2_GATHER_H
#define HYP_MM_S2_GATHER_H

#include <hyp/types.h>
#include <hyp/addr.h>

#define S2_GATHER_INLINE	8
/* Per-entry invalidations up to this many entries, else range/VMID-wide. */
#define S2_INVAL_THRESHOLD	32

struct s2_vm;

/* One thing to free: @info = size in bytes | S2_FREE_TABLE if a table. */
struct s2_free_ent {
	paddr_t pa;
	u64 info;
};
#define S2_FREE_TABLE		1ULL

/*
 * struct s2_gather - see above. Fields are private to hyp/mm.
 * @vm:        the VM
 * @start/@end: hull of the IPAs whose descriptors were removed (end == 0: none)
 * @req_start/@req_end: hull of every range passed in (conservative flush, R2)
 * @stride:    smallest span of a removed descriptor (per-entry invalidation step)
 * @tables:    a table was unlinked: invalidate all levels (R2)
 * @pending:   descriptors removed and not yet invalidated
 * @nr:        used entries of @ents
 * @ents:      inline free list
 * @batch:     first private batch page (0: none), holds struct s2_gather_batch
 */
struct s2_gather {
	struct s2_vm *vm;
	u64 start, end;
	u64 req_start, req_end;
	u64 stride;
	bool tables;
	bool pending;
	u32 nr;
	struct s2_free_ent ents[S2_GATHER_INLINE];
	paddr_t batch;
};

/**
 * s2_gather_begin() - start a gather on @vm: counts it in flight (R2).
 */
void s2_gather_begin(struct s2_gather *g, struct s2_vm *vm);

/**
 * s2_gather_finish() - invalidate what the gather removed, wait for
 * completion (and a grace period if tables were unlinked), then free its
 * pages and tables. After it returns no CPU can use any translation removed
 * through @g (nor, if overlapped, any in its requested range).
 * Must be called without the VM lock.
 */
void s2_gather_finish(struct s2_gather *g);

#endif
