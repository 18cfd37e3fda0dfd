/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host simulation of the stage-2 MMU (arch/sim). See doc/simulation.md.
 *
 *   +-----------+   +-----------+        one baton: exactly one simulated CPU
 *   | sim cpu 0 |   | sim cpu 1 |  ...   runs hyp code at a time; it is handed
 *   |  TLB      |   |  TLB      |        on at every arch_sched_point() by a
 *   |  walk $   |   |  walk $   |        seeded PRNG (deterministic replay)
 *   |  loaded   |   |  loaded   |
 *   +-----+-----+   +-----+-----+
 *         |  speculative fills from the loaded context, at any step
 *         v
 *   [ sim RAM: host buffer, pages owned by palloc (FREE pages are poisoned
 *     and, in simtest, mprotect'ed) ]
 *
 * Invalidations are *issued* by arch_s2_inval_*() and *complete* on each
 * target CPU at a later scheduling point; arch_s2_inval_sync() waits until
 * everything the calling CPU issued completed everywhere.
 */
#ifndef SIM_SIM_H
#define SIM_SIM_H

#include <hyp/types.h>
#include <hyp/addr.h>
#include <hyp/arch.h>
#include <hyp/palloc.h>

#define SIM_RAM_BASE		0x40000000ULL
#define SIM_MAX_LEVELS		5

enum sim_flavour {
	SIM_ARM64 = 0,	/* broadcast TLBI by VMID reaches every CPU */
	SIM_X86 = 1,	/* no broadcast: only ctx->cpus (IPI + ack) and the local CPU */
};

/*
 * What the hardware walker needs to know of a descriptor format. Filled
 * from hyp/mm's format description (sim_fmt_from_mm) or a built-in one.
 */
enum sim_desc_kind { SIM_DESC_INVALID = 0, SIM_DESC_TABLE, SIM_DESC_LEAF };

struct sim_desc {
	enum sim_desc_kind kind;
	u64 pa;			/* next table, or output address of the leaf */
	bool r, w;
};

struct sim_fmt {
	const char *name;
	int start_level;	/* level of the root table */
	int last_level;		/* level of page entries (3) */
	unsigned int ipa_bits;
	unsigned int root_order;/* palloc order of the root (concatenated roots) */
	/* Decode a descriptor read at `level`. */
	void (*decode)(const void *priv, u64 desc, int level, struct sim_desc *out);
	const void *priv;
};

static inline unsigned int sim_level_shift(int level)
{
	return PAGE_SHIFT + 9 * (unsigned int)(3 - level);
}

struct sim_config {
	u64 seed;
	unsigned int ncpus;
	enum sim_flavour flavour;
	u64 mem_size;		/* sim RAM (bytes) */
	u64 max_steps;		/* livelock guard */
	unsigned int spec_permille;	/* per step and loaded CPU: speculative walk */
	unsigned int deliver_permille;	/* per step: complete one pending invalidation */
	unsigned int switch_permille;	/* per sched point: hand the baton on */
	unsigned int evict_permille;	/* per step: evict one random cached entry */
	unsigned int nap_permille;	/* per sched point: the running CPU is preempted
					 * for a long while (20..400 steps): opens windows */
	unsigned int tlb_entries;	/* per CPU, <= SIM_TLB_MAX */
	unsigned int wc_entries;	/* per CPU, <= SIM_WC_MAX */
	u64 spec_window;	/* speculative IPAs are drawn from [0, spec_window) too */
	bool verbose;		/* print every trace event as it happens (replay) */
	/*
	 * arm64: the simulated CPUs (bitmap) whose stage-2 TLB maintenance is
	 * arch/arm64/tlb.c itself, run against the instruction model
	 * (sim_arm64.c); the others use the abstract arch_s2_*() of host.c.
	 */
	u64 insn_cpus;
	const struct sim_fmt *fmt;
};

#define SIM_TLB_MAX	512
#define SIM_WC_MAX	128

/* Defaults for everything not set (zero) in cfg. */
void sim_config_defaults(struct sim_config *cfg);

/* Set up sim RAM and hand it to palloc. Call once per process (per run). */
int sim_init(const struct sim_config *cfg);
const struct sim_config *sim_cfg(void);

/* A program run by one simulated CPU. */
typedef void (*sim_prog_fn)(unsigned int cpu, void *arg);

/*
 * Run progs[i] on simulated CPU i (NULL: idle CPU, still speculates if a
 * context is loaded) until all return. Returns 0; a violation never returns
 * (it prints the report and exits the process with status 1).
 */
int sim_run(sim_prog_fn progs[], void *args[]);
bool sim_running(void);

/* ---- the machine, for programs and harness ------------------------------ */

/* Per simulated CPU PRNG (stable under a given seed). */
u64 sim_rand(void);
static inline u64 sim_rand_below(u64 n) { return n ? sim_rand() % n : 0; }
/* The scheduler's PRNG (hardware events). */
u64 sim_hw_rand(void);

/* Yield the baton (a plain scheduling point the harness can add). */
void sim_yield(void);
/*
 * Preemption bias of the current CPU (permille per scheduling point that it
 * is then descheduled for 20..400 steps; 0: the configured rate). A scenario
 * raises it around the code whose window it wants to stretch.
 */
void sim_nap_bias(unsigned int permille);
/* Preempt the current CPU (800..2800 steps) at its n-th next scheduling point. */
void sim_nap_at(unsigned int n);
/* Steps `cpu` stays preempted (0: it may run). */
u64 sim_nap_left(unsigned int cpu);
/* Make `cpu` run next, if runnable (directed scenarios). */
void sim_prefer(unsigned int cpu);
/* Current step number. */
u64 sim_step(void);

enum sim_access {
	SIM_ACC_OK = 0,
	SIM_ACC_FAULT = 1,	/* translation fault: no valid leaf */
	SIM_ACC_PERM = 2,	/* permission fault (write to read-only) */
	SIM_ACC_NOCTX = 3,	/* nothing loaded on this CPU */
};

/*
 * A guest access from the current simulated CPU through its loaded context:
 * TLB lookup, on a miss a walk (filling TLB and walk cache), then the access
 * to sim RAM. A write stores *val (and is recorded for the dirty-log check);
 * a read returns the value in *val. Faults are returned, not handled.
 */
enum sim_access sim_guest_access(unsigned int vm_handle, ipaddr_t ipa, bool write,
				 u64 *val);

/*
 * A9 (arm64 instruction-model CPUs): the guest on this CPU runs process
 * (ASID) asid from now on, 0..3, and translates through its VA for it;
 * -1: the guest switches processes at random again (the default).
 */
void sim_guest_asid(int asid);

/*
 * X10 (x86 instruction-model CPUs): the vCPU whose VPID (vmx.c's numbering:
 * 1 + 8 * VM + vCPU index; on SVM only the vCPU's name) is @vpid is made
 * current on this CPU, as vmx_vcpu_run() / svm_vcpu_run() do when a vCPU
 * starts on a CPU: the backend's vCPU-load code of arch/x86/tlb_entry.c
 * runs, and from now on the guest on this CPU is that vCPU (its own stage
 * 1; on VMX its combined entries carry @vpid). Call it after s2_vm_enter().
 */
void sim_x86_vcpu_load(u16 vpid);

/*
 * X10: the guest on this CPU rewrites its page table for its current
 * process (PCID / ASID) -- every VA of it now maps another IPA page -- and
 * invalidates what it must, as a guest can: its own cached translations
 * of that process on *this* CPU (MOV CR3 / INVPCID single-context act on
 * the current VPID / ASID on the executing logical processor only).
 */
void sim_guest_s1_change(void);

/*
 * Ground truth of guest writes, per VM "handle" (any small integer the
 * harness uses to name a VM, not the VMID, which changes on rollover).
 */
void sim_vm_register(unsigned int handle, u64 ipa_window);
/* Dirty logging was enabled (and that call returned): check writes from now on. */
void sim_dirty_start(unsigned int handle);
void sim_dirty_reported(unsigned int handle, ipaddr_t ipa);	/* a harvest said so */
/* After a final harvest in quiescence: every write must have been reported. */
void sim_dirty_check_all(unsigned int handle, const char *what);

/*
 * "A translation the manager says is gone is not usable by any CPU once the
 * operation returned": no CPU's TLB, nor a walk through its walk cache, may
 * translate [start, start+size) of (vmid, root) differently from the live
 * tables. SIM_CHECK_NO_WRITE: additionally no cached writable entry where
 * the live tables say read-only (write-protect, harvest).
 */
#define SIM_CHECK_GONE		1u	/* live tables are expected to be empty there */
#define SIM_CHECK_COHERENT	2u	/* cached == live (allows concurrent remaps) */
#define SIM_CHECK_NO_WRITE	4u
void sim_check_range(const char *op, u32 vmid, paddr_t root, ipaddr_t start,
		     u64 size, unsigned int what);

/* Full R1 scan: no cached entry refers to a freed or reallocated page. */
void sim_check_no_stale_refs(const char *why);

/* Report a violation: prints seed, message, history; exits(1). */
__noreturn void sim_violation(const char *rule, u64 pa, u64 ipa, u32 vmid,
			      const char *fmt, ...) __printf(5, 6);

/* ---- trace -------------------------------------------------------------- */
enum sim_ev {
	EV_OP_BEGIN, EV_OP_END, EV_LOAD, EV_FILL_TLB, EV_FILL_WC, EV_HIT,
	EV_WALK_FAULT, EV_INVAL_ISSUE, EV_INVAL_DONE, EV_SYNC, EV_ALLOC,
	EV_FREE, EV_WRITE, EV_READ, EV_FAULT, EV_EVICT, EV_NOTE, EV_RUN,
	EV_MAX
};
void sim_trace(enum sim_ev ev, u32 vmid, u64 ipa, u64 pa, s64 aux, const char *what);
/* Operation boundaries, for traces: op names must be string literals. */
static inline void sim_op_begin(const char *op, u32 vmid, u64 ipa, u64 size)
{
	sim_trace(EV_OP_BEGIN, vmid, ipa, size, 0, op);
}
static inline void sim_op_end(const char *op, u32 vmid, u64 ipa, u64 size, int ret)
{
	sim_trace(EV_OP_END, vmid, ipa, size, ret, op);
}
void sim_trace_dump(u64 pa, u64 ipa, u32 vmid, unsigned int max);

/* Hooks called by palloc wrappers (simtest links with --wrap=palloc_*). */
void sim_note_alloc(paddr_t pa, unsigned int order);
void sim_note_free(paddr_t pa, unsigned int order);
void sim_note_release(paddr_t pa, unsigned int order);	/* quarantine -> palloc */
extern bool sim_palloc_wrapped;
/* FREE (palloc, or freed by hyp and held in quarantine), ALLOCATED or RESERVED. */
enum page_state sim_page_state(u64 pa);
/* While > 0 no scheduling happens (palloc internals, harness bookkeeping). */
extern __thread int sim_no_sched;

/* Counters of the model (for tests that assert coverage). */
struct sim_stats {
	u64 steps, switches, spec_walks, fills_tlb, fills_wc, hits, walks,
	    inval_issued, inval_done, syncs, frees, accesses, faults;
};
extern struct sim_stats sim_stats;

/* Built-in arm64 stage-2 decoder (4K granule) for model self-tests. */
extern const struct sim_fmt sim_fmt_arm64_4l;

#endif
