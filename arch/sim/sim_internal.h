/* SPDX-License-Identifier: GPL-2.0 */
/* State shared by the files of the simulation model (arch/sim/sim_*.c). */
#ifndef ARCH_SIM_INTERNAL_H
#define ARCH_SIM_INTERNAL_H

#include <sim/sim.h>
#include <pthread.h>

/*
 * One cached translation. In the TLB: a leaf (ipa..ipa+size(level) -> pa).
 * In the walk cache: a table descriptor read at `level` (the region
 * ipa..ipa+size(level) is translated through the table at pa, level+1).
 */
struct sim_entry {
	u64 ipa;		/* aligned to the level's block size */
	u64 pa;
	u64 root;		/* root the entry was filled under (R7 aliasing) */
	u64 step;		/* when it was filled */
	u32 vmid;
	u32 gen;		/* palloc generation of pa at fill */
	s8 level;
	u8 valid;
	u8 w;
	u8 tracked;		/* pa was a palloc-managed, allocated page at fill */
	u8 spec;		/* filled by a speculative walk */
	u8 s1;			/* combined stage-1+2 entry (arm64 instruction model) */
	/*
	 * A6/A9, combined entries only: what the hardware matches them by, the
	 * guest VA page and ASID (with vmid); s1_ipa is the IPA page that VA
	 * translated to (ipa/level/pa above stay the stage-2 entry's block, so
	 * that the R1/GONE scans treat it like the stage-2 entry it came from).
	 */
	u16 asid;		/* arm64 ASID / x86 PCID of the guest's process */
	u16 vpid;		/* x86 VMX: the VPID (1 + CPU here); arm64: 0 */
	u64 va;
	u64 s1_ipa;
};

enum sim_cpu_state { CPU_IDLE = 0, CPU_RUNNABLE, CPU_DONE };

struct sim_cpu {
	pthread_t thread;
	pthread_cond_t cv;
	enum sim_cpu_state state;
	sim_prog_fn fn;
	void *arg;
	/* loaded stage-2 context (VTTBR / EPTP) */
	bool loaded;
	u32 vmid;
	u64 root;
	u32 root_gen;
	bool irq_masked;
	u64 rng[2];
	u64 ops;		/* sched points passed: progress of this CPU */
	u64 nap_until;		/* not picked before this step (if others can run) */
	unsigned int nap_bias;	/* per-CPU nap probability (permille), 0: config */
	unsigned int nap_countdown;	/* nap at the n-th next sched point (0: off) */
	/* arm64 instruction model (sim_arm64.c): written and ISB-committed values */
	u64 a64_vttbr, a64_vttbr_eff, a64_hcr, a64_hcr_eff;
	bool a64_unordered_writes;	/* a descriptor write may be un-barriered */
	u16 a64_asid;			/* A9: the guest's current ASID (its process) */
	s8 a64_asid_pin;		/* >= 0: sim_guest_asid() pinned it */
	/* x86 instruction model (sim_x86.c) */
	bool x86_in_guest;		/* entered, no VM exit since */
	bool x86_nmi_pending;		/* an NMI was sent, not yet taken */
	u16 x86_vcpu;			/* X10: VPID of the vCPU loaded here; 0: 1 + the CPU */
	struct sim_entry tlb[SIM_TLB_MAX];
	struct sim_entry wc[SIM_WC_MAX];
};

enum sim_inval_kind { INV_IPA, INV_RANGE, INV_VMID, INV_ALL, INV_S1 };

/* sim_inval_issue() flags */
#define SIM_INV_INSN		1	/* an arm64 instruction: architectural scope (A4-A6) */
#define SIM_INV_UNORDERED	2	/* issued before the descriptor writes were visible (A3) */
#define SIM_INV_LOCAL		4	/* arm64 non-shareable form: the issuer only (A9) */

#define SIM_MAX_INVALS	512

struct sim_inval {
	u8 used;
	u8 kind;
	u8 leaf_only;
	u8 flags;		/* SIM_INV_* */
	s8 level;
	u32 vmid;
	u64 start, size;
	u64 pending;		/* CPUs on which it has not completed yet */
	unsigned int issuer;
	u64 step;
	u64 id;
};

#define SIM_HOT	64

struct sim_state {
	struct sim_config cfg;
	bool inited, running;
	void *ram;
	u64 ram_size;
	struct sim_cpu cpu[HYP_MAX_CPUS];
	unsigned int current;	/* holder of the baton */
	int prefer;		/* -1 or the CPU the next pick must choose */
	pthread_mutex_t mtx;
	pthread_cond_t main_cv;
	unsigned int nr_done;
	u64 step;
	u64 hw_rng[2];
	struct sim_inval inval[SIM_MAX_INVALS];
	unsigned int nr_inval;
	u64 inval_id;
	u64 last_free_pages;
	/* recently touched (vmid, ipa): where speculation likes to look */
	struct { u32 vmid; u64 ipa; } hot[SIM_HOT];
	unsigned int hot_next;
};

extern struct sim_state sim;
extern __thread int sim_this_cpu;	/* -1 outside simulated CPUs */
extern int sim_trace_cpu;

static inline struct sim_cpu *sim_cur(void)
{
	return &sim.cpu[sim_this_cpu < 0 ? 0 : sim_this_cpu];
}

static inline u64 level_size(int level)
{
	return 1ULL << sim_level_shift(level);
}

u64 sim_rng_next(u64 s[2]);
void sim_hw_step(void);
void sim_sched(bool force_switch);
void sim_hot_add(u32 vmid, u64 ipa);

/* machine */
void sim_machine_reset(void);
void sim_deliver_one(int only_issuer);
bool sim_inval_outstanding(unsigned int issuer);
void sim_spec_walk(unsigned int c);
void sim_evict_random(void);
void sim_inval_issue(enum sim_inval_kind kind, const struct arch_s2_tlb_ctx *ctx,
		     u64 start, u64 size, int level, bool leaf_only, unsigned int flags);
/*
 * Does this simulated CPU run arch/arm64/tlb.c (arm64) or arch/x86/tlb.c
 * (x86) against the instruction model (cfg.insn_cpus)? Inline: every arch
 * stub asks, and make bench counts the stubs' instructions too.
 */
static inline bool sim_x86_insn_cpu_n(unsigned int c)
{
	return sim.inited && sim.cfg.flavour == SIM_X86 && ((sim.cfg.insn_cpus >> c) & 1);
}

static inline bool sim_insn_cpu(void)
{
	unsigned int c;

	if (!sim.inited || sim.cfg.flavour != SIM_ARM64)
		return false;	/* first: no TLS access outside an arm64 simulation */
	c = sim_this_cpu < 0 ? 0 : (unsigned int)sim_this_cpu;
	return (sim.cfg.insn_cpus >> c) & 1;
}

/* x86 instruction model (sim_x86.c) */
static inline bool sim_x86_insn_cpu(void)
{
	if (!sim.inited || sim.cfg.flavour != SIM_X86)
		return false;
	return sim_x86_insn_cpu_n(sim_this_cpu < 0 ? 0 : (unsigned int)sim_this_cpu);
}
/* X6: does this CPU tag EPT entries by EP4TA (a VMX instruction-model CPU)? */
bool sim_x86_ep4ta(unsigned int c);
void sim_x86_reset(void);
void sim_x86_step(void);
void sim_x86_settle(void);
void sim_x86_entry(unsigned int ci);
bool sim_x86_entry_dead(unsigned int ci, u32 vmid, u64 root);
void sim_flush_local(unsigned int ci, bool all, u32 vmid);
void sim_flush_local_root(unsigned int ci, u64 root);
void sim_flush_local_vpid(unsigned int ci, bool all, u16 vpid);
void sim_inval_sync(void);
void sim_load(const struct arch_s2_tlb_ctx *ctx);

#endif
