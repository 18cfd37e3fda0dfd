/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A VM's stage-2 translation: the object and its operations.
 *
 *   struct s2_vm
 *   +------------------------+
 *   | fmt ------------------------> struct s2_format (arm64 / EPT / NPT)
 *   | lock (mapping lock)    |  protects: every descriptor write, stock,
 *   |                        |  dirty log, rmap
 *   | flush_lock             |  serializes invalidation batches, so the x86
 *   |                        |  target set is never trimmed under another's feet
 *   | root ------------------------> root table -> tables -> leaves
 *   | vmid (gen|vmid)        |  R7, s2_vmid.h
 *   | cpu_state (ran|loaded) |  R3 / R7: which CPUs have it loaded, which
 *   |                        |  ran it since its last VMID-wide flush (x86)
 *   | gathers_in_flight      |  R2
 *   | unflushed (+ hull)     |  R1/R2: cleared, not yet invalidated: faults there retry
 *   | stock (free tables)    |  preallocated zeroed pages: failure atomicity
 *   | dirty log, rmap        |  R4, R5
 *   | counters               |
 *   | race (delays)          |  run-time race widening, s2_race.h
 *   +------------------------+
 *
 * Every operation validates its guest-supplied arguments first (alignment,
 * range inside [0, ipa_size), overflow) and returns a defined error; every
 * operation is failure-atomic: all tables it may need are allocated before
 * anything is changed, so -E_NOMEM leaves the tables as they were.
 *
 * Locking: operations take vm->lock themselves; none may be called with it
 * held. s2_fault_walk() takes no lock (grace-period read section, R6).
 * See doc/mm.md for the concurrency model.
 */
#ifndef HYP_MM_S2_H
#define HYP_MM_S2_H

#include <hyp/types.h>
#include <hyp/addr.h>
#include <hyp/arch.h>
#include <hyp/spinlock.h>
#include <hyp/mm/s2_format.h>
#include <hyp/mm/s2_counters.h>
#include <hyp/mm/s2_race.h>
#include <hyp/mm/s2_gather.h>

struct s2_vm;

/*
 * struct s2_mm_ops - memory for the manager, and what it releases.
 * All members may be NULL (defaults in brackets).
 * @alloc_pages: allocate 1 << order zeroed, naturally aligned pages; return
 *               true on success [palloc_alloc]. Tests inject failures here.
 * @free_pages:  free pages from @alloc_pages [palloc_free]
 * @put_page:    data pages mapped with S2_MAP_OWNED are no longer mapped and
 *               no TLB can reach them any more (called by the gather after the
 *               invalidation completed, R1). [pa, pa + size) is a contiguous
 *               extent that may span several mappings (the gather merges).
 *               [default: palloc_free(pa, order of the leaf), one call per
 *               leaf: a page or block must have been allocated whole]
 * @fault_backing: s2_handle_fault() found nothing mapped at @ipa: return 0
 *               and the 4K page (and prot) to map there, or an error that
 *               s2_handle_fault() returns [-E_NOENT]
 * @fault_block: optional; s2_handle_fault() found nothing mapped in the
 *               whole 2 MiB-aligned block around the fault (no table under it,
 *               no part of it cleared and not yet invalidated): return 0 and a
 *               2 MiB-aligned run of pages (and prot) to map there as one block
 *               (owned: put_page gets it back), or an error: -E_NOMEM falls
 *               back to @fault_backing's page, any other is returned
 * @arg:         passed to every callback
 */
struct s2_mm_ops {
	bool (*alloc_pages)(void *arg, unsigned int order, paddr_t *pa);
	void (*free_pages)(void *arg, paddr_t pa, unsigned int order);
	void (*put_page)(void *arg, paddr_t pa, u64 size);
	int (*fault_backing)(void *arg, struct s2_vm *vm, ipaddr_t ipa,
			     paddr_t *pa, unsigned int *prot);
	int (*fault_block)(void *arg, struct s2_vm *vm, ipaddr_t block,
			   paddr_t *pa, unsigned int *prot);
	void *arg;
};

/*
 * struct s2_vm_config - parameters of s2_vm_init().
 * @fmt:          table format (must outlive the VM)
 * @ipa_size:     guest IPA space is [0, ipa_size); 0: the whole format space
 * @ops:          memory callbacks (NULL: defaults)
 * @rmap_entries: reverse-map capacity in mappings (0: no reverse map,
 *                s2_reclaim_page() then returns -E_NOSYS)
 */
struct s2_vm_config {
	const struct s2_format *fmt;
	u64 ipa_size;
	const struct s2_mm_ops *ops;
	u32 rmap_entries;
};

/* Stock of preallocated, zeroed, unpublished table pages (private). */
struct s2_stock {
	paddr_t head;		/* chain through word 0 of each page (private pages only) */
	u32 nr;
};

/* Dirty log (R4), see s2_dirty.h. Private. */
struct s2_dirty_log {
	u64 *bits;		/* one bit per 4K page of [base, base + size) */
	paddr_t bits_pa;
	unsigned int bits_order;
	u64 base, size;
};

/* Reverse map host page -> IPA (R5), see s2_move.h. Private. */
struct s2_rmap {
	struct s2_rmap_ent *tab;
	paddr_t tab_pa;
	unsigned int tab_order;
	u32 cap;		/* power of two */
	u32 used;
};

/*
 * cpu_state word: bit c (0..31): CPU c ran this VM since the last VMID-wide
 * flush; bit 32 + c: CPU c has this VM loaded now. One word so that the
 * flush can trim the ran set atomically against s2_vm_enter() (R7).
 */
#define S2_CPU_RAN(c)		BIT(c)
#define S2_CPU_LOADED(c)	BIT(32 + (c))
#define S2_CPU_RAN_MASK		0xffffffffULL

/*
 * struct s2_vm - one VM's stage 2. Fields are private to hyp/mm except
 * where noted; read counters through s2_vm_counters().
 */
struct s2_vm {
	const struct s2_format *fmt;
	const struct s2_mm_ops *ops;
	struct spinlock lock;
	struct spinlock flush_lock;	/* one invalidation batch at a time (R7 x86 set) */
	paddr_t root;
	u64 ipa_size;
	u64 vmid;		/* generation | vmid; atomic; s2_vmid.c */
	u64 cpu_state;		/* atomic; S2_CPU_RAN / S2_CPU_LOADED */
	u32 gathers_in_flight;	/* atomic; R2 */
	/*
	 * Gathers (and fault holds) with entries cleared but not yet
	 * invalidated: incremented under the lock, decremented (atomic) once
	 * the invalidation completed. [unflushed_start, unflushed_end) covers
	 * all of them (grows while unflushed > 0; written under the lock).
	 * A fault inside it retries (-E_AGAIN) instead of populating.
	 */
	u32 unflushed;
	u64 unflushed_start, unflushed_end;
	/*
	 * [pinned_start, pinned_end): hull of every S2_MAP_PINNED map ever
	 * made (under the lock; never shrinks). A move checks for pinned
	 * leaves only where its source meets it, so a VM without passthrough
	 * keeps a move's cost in tables, not in leaves.
	 */
	u64 pinned_start, pinned_end;
	bool dying;		/* teardown started: CPUs must exit (R3) */
	bool dead;
	struct s2_stock stock;
	struct s2_dirty_log dlog;
	struct s2_rmap rmap;
	struct s2_counters cnt;
	struct s2_race race;	/* run-time race widening, s2_race.h; all zero: off */
};

/* Flags of s2_map(). */
#define S2_MAP_PAGES	0x1U	/* 4K pages only, no blocks */
/*
 * S2_MAP_OWNED: the VM owns the data pages: they go to ops->put_page once
 * unmapped and invalidated. With the default put_page (palloc_free of the
 * leaf's order) an owned block must be unmapped whole: a split block's
 * pages would be freed one by one, which palloc refuses.
 */
#define S2_MAP_OWNED	0x2U
#define S2_MAP_RMAP	0x4U	/* enter the mapping in the reverse map (reclaimable) */
/*
 * S2_MAP_PINNED: the output must stay where it is (passthrough device
 * memory, identity-mapped RAM; doc/passthrough.md): s2_move() and
 * s2_migrate() refuse such leaves with -E_PERM. Not with OWNED or RMAP.
 */
#define S2_MAP_PINNED	0x8U

/**
 * s2_vm_init() - create an empty stage 2 (root table allocated, no VMID yet).
 * Return: 0, -E_INVAL (bad config), -E_NOMEM.
 */
__must_check int s2_vm_init(struct s2_vm *vm, const struct s2_vm_config *cfg);

/**
 * s2_vm_enter() - this CPU is about to run @vm: get a current-generation
 * VMID (R7), record the CPU as loaded and as having run the VM, flush the
 * VM's old entries from this CPU if it was not in the ran set (a vCPU moving
 * to a new CPU, R7), and load the context (arch_s2_load).
 * Return: 0; -E_BUSY if the VM is being torn down (R3); -E_AGAIN if no VMID
 * is free right now (retry).
 */
__must_check int s2_vm_enter(struct s2_vm *vm);

/**
 * s2_vm_exit() - this CPU stops translating through @vm: arch_s2_load(NULL)
 * then clears its loaded bit. Must pair with a successful s2_vm_enter().
 */
void s2_vm_exit(struct s2_vm *vm);

/**
 * s2_vm_exit_requested() - must the CPUs running @vm exit it (teardown)?
 * vCPU loops (and the simulation) poll this at every exit / step and call
 * s2_vm_exit() when it is true.
 */
bool s2_vm_exit_requested(const struct s2_vm *vm);

/**
 * s2_vm_loaded_cpus() - bitmap of CPUs that have @vm loaded now.
 */
u64 s2_vm_loaded_cpus(const struct s2_vm *vm);

/**
 * s2_vm_ran_cpus() - bitmap of CPUs that ran @vm since its last VMID-wide
 * flush: the x86 shootdown target set (R7).
 */
u64 s2_vm_ran_cpus(const struct s2_vm *vm);

/**
 * s2_vm_destroy() - tear @vm down (R3). Stops new entries, waits until every
 * CPU that has the VM loaded switched away (s2_vm_exit()), waits out
 * lockless walkers, then invalidates the VMID once, waits for completion and
 * frees every table (and owned data page). Must not be called by a CPU that
 * has @vm loaded. Return: 0, or -E_INVAL if already destroyed.
 */
__must_check int s2_vm_destroy(struct s2_vm *vm);

/**
 * s2_vm_counters() - snapshot of @vm's counters into @out.
 */
void s2_vm_counters(const struct s2_vm *vm, struct s2_counters *out);

/**
 * s2_vm_tlb_ctx() - the invalidation context of @vm now (VMID, root, x86
 * target CPUs = ran set).
 */
struct arch_s2_tlb_ctx s2_vm_tlb_ctx(struct s2_vm *vm);

/**
 * s2_map() - map [@ipa, @ipa + @size) to [@pa, @pa + @size) with @prot.
 * Uses 1G/2M blocks where both addresses are aligned, the size allows and
 * the format has blocks at that level (unless S2_MAP_PAGES). The range must
 * be unmapped. Failure-atomic.
 * Return: 0, -E_ALIGN (not 4K aligned), -E_RANGE (outside IPA space or
 * overflow), -E_INVAL (bad prot/flags, size 0), -E_EXIST (something mapped
 * there; nothing changed), -E_NOMEM (nothing changed), -E_BUSY (dying).
 */
__must_check int s2_map(struct s2_vm *vm, ipaddr_t ipa, paddr_t pa, u64 size,
	   unsigned int prot, unsigned int flags);

/**
 * s2_unmap() - remove every mapping in [@ipa, @ipa + @size); on return no CPU
 * can use any of them and owned pages were released. Blocks straddling the
 * range edges are split first (break-before-make). Empty tables are freed.
 * Unmapped holes are fine. Return: 0, -E_ALIGN, -E_RANGE, -E_INVAL, -E_NOMEM
 * (splitting needed a table; nothing changed).
 */
__must_check int s2_unmap(struct s2_vm *vm, ipaddr_t ipa, u64 size);

/**
 * s2_unmap_gather() - like s2_unmap() but the invalidation and freeing are
 * left to s2_gather_finish(@g) (many unmaps, one invalidation). Exception
 * (R4): with dirty logging on, a writable entry removed is recorded dirty
 * and invalidated before the VM lock is released.
 */
__must_check int s2_unmap_gather(struct s2_gather *g, ipaddr_t ipa, u64 size);

/**
 * s2_protect() - set the permissions of every leaf in [@ipa, @ipa + @size)
 * to @prot (relax or restrict; S2_PROT_R required). Restricting invalidates
 * before the VM lock is released, and removing write permission records
 * dirty pages first (R4). Blocks straddling the edges are split.
 * Return: 0, -E_ALIGN, -E_RANGE, -E_INVAL, -E_NOMEM.
 */
__must_check int s2_protect(struct s2_vm *vm, ipaddr_t ipa, u64 size, unsigned int prot);

/**
 * s2_split() - replace the block that maps @ipa by a table of next-level
 * leaves with the same output and permissions, break-before-make: clear,
 * invalidate + sync, install the table.
 * Return: 0, -E_NOENT (no block there), -E_NOMEM, -E_RANGE.
 */
__must_check int s2_split(struct s2_vm *vm, ipaddr_t ipa);

/**
 * s2_collapse() - if the table that a level-@level entry at @ipa points to
 * holds only leaves that map one contiguous, aligned output range with equal
 * permissions, replace it by one block: clear, invalidate all levels + sync,
 * install the block, free the table after a grace period.
 * Return: 0, -E_NOENT (no table there), -E_BUSY (not collapsible),
 * -E_INVAL (no blocks at @level), -E_RANGE.
 */
__must_check int s2_collapse(struct s2_vm *vm, ipaddr_t ipa, int level);

/**
 * s2_reclaim_tables() - unlink and free every empty table under
 * [@ipa, @ipa + @size) (unmap already does this for the tables it empties).
 * Return: 0, -E_ALIGN, -E_RANGE.
 */
__must_check int s2_reclaim_tables(struct s2_vm *vm, ipaddr_t ipa, u64 size);

/**
 * s2_fault_walk() - lockless translation of @ipa (grace-period read
 * section, R6): the leaf that maps it, or why not.
 * Return: out->type (S2_DESC_INVALID for out-of-range IPAs).
 */
enum s2_desc_type s2_fault_walk(struct s2_vm *vm, ipaddr_t ipa,
				struct s2_desc_info *out);

/**
 * s2_handle_fault() - a stage-2 fault at @ipa: lockless walk first; if the
 * mapping is now there with the needed permission, return (spurious); if it
 * is a write to a page write-protected for dirty logging, mark dirty and
 * restore write; if nothing is mapped, ask ops->fault_backing for a page and
 * map it (under the VM lock).
 * Return: 0, -E_RANGE, -E_PERM (permission genuinely missing), or the
 * error of fault_backing / s2_map.
 */
__must_check int s2_handle_fault(struct s2_vm *vm, ipaddr_t ipa, bool write, bool exec);

/**
 * s2_fault_hold_begin() - until s2_fault_hold_end(), faults in
 * [@ipa, @ipa + @size) retry (-E_AGAIN) instead of populating: for a caller
 * that makes guest memory briefly absent and brings it back (KVM's
 * mmu_invalidate_begin/end). Holds do not nest per caller; several callers may hold.
 */
void s2_fault_hold_begin(struct s2_vm *vm, ipaddr_t ipa, u64 size);
void s2_fault_hold_end(struct s2_vm *vm);

#endif
