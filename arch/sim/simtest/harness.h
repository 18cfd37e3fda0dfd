/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Driving hyp/mm from simulated CPUs: VMs with owned guest memory, vCPU
 * loops that take faults through s2_handle_fault(), and operation wrappers
 * that check "gone means gone" when the operation returns.
 */
#ifndef SIMTEST_HARNESS_H
#define SIMTEST_HARNESS_H

#include "simtest.h"
#include <hyp/mm/s2.h>
#include <hyp/mm/s2_dirty.h>
#include <hyp/mm/s2_move.h>
#include <hyp/mm/s2_vmid.h>
#include <hyp/mm/s2_gp.h>
#include <hyp/mm/s2_walk.h>

enum h_backing {
	H_BACK_NONE = 0,	/* faults on unmapped IPAs are refused (-E_NOENT) */
	H_BACK_ALLOC = 1,	/* demand paging: a fresh owned page per fault */
};

struct hvm {
	struct s2_vm vm;
	struct s2_mm_ops ops;
	unsigned int handle;
	u64 window;		/* guest IPA space used by the test: [0, window) */
	enum h_backing backing;
	bool alive;
	u64 root;		/* root while alive (for checks after destroy) */
};

/* The stage-2 format of this run (arm64 3/4 levels, EPT or NPT by flavour). */
extern struct s2_format h_fmt;
extern struct sim_fmt h_simfmt;

/* Configure the machine for a scenario (flavour from the test, format from seed). */
void h_setup(struct sim_config *cfg, enum sim_flavour fl, unsigned int ncpus, u64 seed);
/* After sim_init(): formats, VMID allocator. */
void h_init(unsigned int vmid_bits);

int h_vm_create(struct hvm *h, unsigned int handle, u64 window, enum h_backing b,
		u32 rmap_entries);
/* Map owned, freshly allocated memory: 4K pages, or 2M blocks where `blocks`. */
int h_map_owned(struct hvm *h, u64 ipa, u64 size, unsigned int prot, bool blocks,
		unsigned int flags);

/* Operations with checks on return. */
int h_unmap(struct hvm *h, u64 ipa, u64 size);
int h_unmap_gather(struct hvm *h, const u64 *ipas, const u64 *sizes, unsigned int n);
int h_protect(struct hvm *h, u64 ipa, u64 size, unsigned int prot);
int h_move(struct hvm *h, u64 src, u64 dst, u64 size);
int h_reclaim_page(struct hvm *h, u64 pa);
int h_reclaim_tables(struct hvm *h, u64 ipa, u64 size);
int h_split(struct hvm *h, u64 ipa);
int h_collapse(struct hvm *h, u64 ipa, int level);
int h_harvest(struct hvm *h, u64 base);		/* dirty log of [base, base+window) */
int h_destroy(struct hvm *h);

/* vCPU loop: enter h, do n guest accesses in [lo, hi), exit. */
struct h_vcpu {
	struct hvm *h;
	u64 lo, hi;
	unsigned int n;
	unsigned int write_pct;
	unsigned int reenter_pct;	/* exit and re-enter (migration / rollover) */
	volatile int *stop;		/* stop early when *stop != 0 */
	unsigned int lazy;		/* stay loaded this many steps after the loop */
	volatile int *busy;		/* decremented after the first entry attempt */
};
void h_vcpu_run(struct h_vcpu *v);
/* One guest access with fault handling (entered CPU). Returns sim_access result. */
enum sim_access h_access(struct hvm *h, u64 ipa, bool write);

/* Pages mapped by the harness (for reclaim by physical address). */
u64 h_random_mapped_pa(struct hvm *h, u64 lo, u64 hi);

#endif
