/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-VM stage-2 counters. Incremented with relaxed atomics (some outside the
 * VM lock); read with s2_vm_counters(). Tests and benchmarks assert on them.
 */
#ifndef HYP_MM_S2_COUNTERS_H
#define HYP_MM_S2_COUNTERS_H

#include <hyp/types.h>

/*
 * struct s2_counters - what one VM's stage-2 manager did.
 * @inval_ipa:     arch_s2_inval_ipa() calls (one per entry invalidated)
 * @inval_range:   arch_s2_inval_range() calls
 * @inval_vmid:    arch_s2_inval_vmid() calls
 * @inval_local:   VMID-wide flushes of one CPU on first entry there (x86 R7)
 * @inval_sync:    arch_s2_inval_sync() calls
 * @invalidations: invalidation batches issued (one per gather flush)
 * @ipis:          CPUs targeted by x86 shootdowns (sum of popcount(ctx.cpus))
 * @pages_freed:   4K data pages released through ops->put_page
 * @tables_freed:  table pages freed
 * @tables_alloc:  table pages allocated (into the stock)
 * @gathers:       gathers finished
 * @overlaps:      gathers finished while another gather was in flight (R2)
 * @early_flushes: gathers that flushed early (batch page allocation failed)
 * @grace_waits:   grace periods waited for before freeing tables (R6)
 * @faults:        s2_handle_fault() calls
 * @faults_spurious: faults that found a usable mapping already
 * @maps, @unmaps, @protects, @moves, @splits, @collapses: operations done
 * @moved_entries: descriptors moved by s2_move()
 * @dirty_marked:  pages marked dirty in the dirty log
 * @race_delays:   race-widening delays spun (s2_race.h; 0 unless configured)
 * @migrations:    pages migrated to another host page (s2_migrate.h)
 */
struct s2_counters {
	u64 inval_ipa;
	u64 inval_range;
	u64 inval_vmid;
	u64 inval_local;
	u64 inval_sync;
	u64 invalidations;
	u64 ipis;
	u64 pages_freed;
	u64 tables_freed;
	u64 tables_alloc;
	u64 gathers;
	u64 overlaps;
	u64 early_flushes;
	u64 grace_waits;
	u64 faults;
	u64 faults_spurious;
	u64 maps;
	u64 unmaps;
	u64 protects;
	u64 moves;
	u64 splits;
	u64 collapses;
	u64 moved_entries;
	u64 dirty_marked;
	u64 race_delays;
	u64 migrations;
};

#define s2_count(vm, field, n) \
	__atomic_fetch_add(&(vm)->cnt.field, (u64)(n), __ATOMIC_RELAXED)

#endif
