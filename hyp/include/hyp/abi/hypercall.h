/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The guest ABI: hypercall numbers, error codes, limits and stage-2 counter
 * indices, in one place (doc/hypercalls.md). Included by the hypervisor
 * (hyp/vm/hypercall.c, hyp/include/hyp/mm/s2_counters.h, hyp/include/hyp/types.h),
 * the bare-metal guests (guest-tests/guest.h), the Linux driver
 * (guest-linux/hypdev/hypdev.c) and Linux userspace (guest-linux/hyptest.c).
 *
 * Freestanding: no includes, no typedefs, only the preprocessor, integer
 * constants and one enum, so it builds with -ffreestanding, in a kernel
 * module and with a libc. Constants carry their own U/ULL suffixes.
 *
 * Calls: SMCCC fast calls, SMC64, owning entity 6 (vendor-specific hypervisor
 * service), ids HC_BASE + n, through HVC/SMC (arm64) or VMMCALL/VMCALL (x86).
 * Return in x0/RAX: 0 or HC_ERR(HC_E_*); unknown id: -1 (SMCCC NOT_SUPPORTED).
 */
#ifndef HYP_ABI_HYPERCALL_H
#define HYP_ABI_HYPERCALL_H

#define HC_BASE		0xc6000000U
#define HC_VERSION	(HC_BASE + 0)	/* -> x1 = interface version (1), x2, x3: below */
#define HC_MAP		(HC_BASE + 1)	/* (ipa, size <= HC_MAP_MAX): fresh zeroed pages */
#define HC_UNMAP	(HC_BASE + 2)	/* (ipa, size) */
#define HC_PROTECT	(HC_BASE + 3)	/* (ipa, size, prot HC_PROT_*) */
#define HC_MOVE		(HC_BASE + 4)	/* (src, dst, size) */
#define HC_RECLAIM	(HC_BASE + 5)	/* (ipa, size): free empty tables */
#define HC_COUNTER	(HC_BASE + 6)	/* (index HC_CNT_*) -> x1 = value */
#define HC_DIRTY_START	(HC_BASE + 7)	/* (ipa, size <= HC_DIRTY_MAX): dirty logging on */
#define HC_DIRTY_STOP	(HC_BASE + 8)	/* (): dirty logging off */
#define HC_DIRTY_HARVEST (HC_BASE + 9)	/* () -> x1 = bitmap (bit i: page i), x2 = count */
#define HC_RACE_DELAY	(HC_BASE + 10)	/* (point, mode, us, seed): doc/race-widening.md */
#define HC_MIGRATE	(HC_BASE + 11)	/* (ipa, size <= HC_MIGRATE_MAX) -> x1 = pages migrated */

/* HC_VERSION results */
#define HC_VERSION_F_CHURN	(1ULL << 32)	/* x2 flag: churn rearranges this VM (doc/churn.md) */
#define HC_VERSION_F_IDENTITY	(1ULL << 33)	/* x2 flag: its RAM is identity-mapped (doc/passthrough.md) */
#define HC_VERSION_VM_MASK	0xffffffffULL	/* x2[31:0] VM number, x3[31:0] VMs started */
#define HC_VERSION_INCARNATION_SHIFT 32	/* x3[63:32]: PSCI SYSTEM_RESETs of this VM so far */

/* HC_PROTECT prot bits (R required) */
#define HC_PROT_R	1U
#define HC_PROT_W	2U
#define HC_PROT_X	4U

/* Bounds on the work of one call (bytes; pages are 4 KiB) */
#define HC_MAP_MAX	0x200000ULL		/* 2 MiB */
#define HC_MIGRATE_MAX	(64 * 0x1000ULL)
#define HC_DIRTY_MAX	(64 * 0x1000ULL)	/* the bitmap fits in x1 */

/*
 * Error codes: a hypercall returns HC_ERR(e); inside the hypervisor every
 * function returns -e (hyp/include/hyp/types.h names them E_*).
 */
#define HC_E_OK		0
#define HC_E_NOMEM	1	/* allocation failed; nothing was changed */
#define HC_E_INVAL	2	/* bad argument */
#define HC_E_RANGE	3	/* address outside the allowed range */
#define HC_E_ALIGN	4	/* misaligned address or size */
#define HC_E_EXIST	5	/* already mapped / already present */
#define HC_E_NOENT	6	/* not mapped / not found */
#define HC_E_BUSY	7	/* resource in use */
#define HC_E_PERM	8	/* not permitted */
#define HC_E_FORMAT	9	/* malformed input (DTB, config) */
#define HC_E_NOSYS	10	/* not implemented / not supported */
#define HC_E_AGAIN	11	/* transient; retry */
#define HC_ERR(e)	(-(long long)(0x100 | (e)))

/*
 * The stage-2 counters of one VM (HC_COUNTER index = position in this list).
 * The one list: struct s2_counters (hyp/include/hyp/mm/s2_counters.h) is
 * generated from it, so the hypervisor's field order is the ABI's index
 * order and reordering the struct alone is impossible. Append only: moving
 * or removing an entry renumbers every later index (an ABI change).
 * X(NAME, field): guests use HC_CNT_NAME, the hypervisor cnt.field.
 */
#define HC_COUNTERS(X)							\
	X(INVAL_IPA, inval_ipa)		/* arch_s2_inval_ipa() calls (one per entry) */ \
	X(INVAL_RANGE, inval_range)	/* arch_s2_inval_range() calls */ \
	X(INVAL_VMID, inval_vmid)	/* arch_s2_inval_vmid() calls */ \
	X(INVAL_LOCAL, inval_local)	/* VMID-wide flushes of one CPU on first entry there (x86 R7) */ \
	X(INVAL_SYNC, inval_sync)	/* arch_s2_inval_sync() calls */ \
	X(INVALIDATIONS, invalidations)	/* invalidation batches issued (one per gather flush) */ \
	X(IPIS, ipis)			/* CPUs targeted by x86 shootdowns (sum of popcount(ctx.cpus)) */ \
	X(PAGES_FREED, pages_freed)	/* 4K data pages released through ops->put_page */ \
	X(TABLES_FREED, tables_freed)	/* table pages freed */ \
	X(TABLES_ALLOC, tables_alloc)	/* table pages allocated (into the stock) */ \
	X(GATHERS, gathers)		/* gathers finished */ \
	X(OVERLAPS, overlaps)		/* gathers finished while another was in flight (R2) */ \
	X(EARLY_FLUSHES, early_flushes)	/* gathers that flushed early (batch page allocation failed) */ \
	X(GRACE_WAITS, grace_waits)	/* grace periods waited for before freeing tables (R6) */ \
	X(FAULTS, faults)		/* s2_handle_fault() calls */ \
	X(FAULTS_SPURIOUS, faults_spurious) /* faults that found a usable mapping already */ \
	X(MAPS, maps)			/* operations done: */ \
	X(UNMAPS, unmaps)		\
	X(PROTECTS, protects)		\
	X(MOVES, moves)			\
	X(SPLITS, splits)		\
	X(COLLAPSES, collapses)		\
	X(MOVED_ENTRIES, moved_entries)	/* descriptors moved by s2_move() */ \
	X(DIRTY_MARKED, dirty_marked)	/* pages marked dirty in the dirty log */ \
	X(RACE_DELAYS, race_delays)	/* race-widening delays spun (0 unless configured) */ \
	X(MIGRATIONS, migrations)	/* pages migrated to another host page (s2_migrate.h) */

#define HC_CNT_INDEX_(name, field) HC_CNT_##name,
enum hc_counter {
	HC_COUNTERS(HC_CNT_INDEX_)
	HC_CNT_NR			/* first index past the list: HC_ERR(HC_E_RANGE) */
};
#undef HC_CNT_INDEX_

#endif
