/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Churn: a physical CPU that runs no vCPU continually rearranges one VM's
 * guest memory underneath it, through hyp/mm only, while the guest runs and
 * verifies its memory (doc/churn.md). Selected in the VM config:
 *
 *   churn-cpu = <3>;          physical CPU doing it (no vCPU may be on it)
 *   churn-ops = <0x3f>;       optional mask of CHURN_OP_* (default all)
 *   churn-period-us = <500>;  optional pause between two operations
 */
#ifndef HYP_VM_CHURN_H
#define HYP_VM_CHURN_H

#include <hyp/types.h>

struct fdt;
struct vm;

#define CHURN_OP_MIGRATE	0x01	/* one page to a new host page */
#define CHURN_OP_COMPACT	0x02	/* 512 pages into one 2 MiB run, then collapse to a block */
#define CHURN_OP_SPLIT		0x04	/* a 2 MiB block back to pages */
#define CHURN_OP_RECLAIM	0x08	/* free empty tables over the RAM */
#define CHURN_OP_DIRTY		0x10	/* write-protect 256 KiB, harvest, stop */
#define CHURN_OP_MOVE		0x20	/* 2 MiB away and back, faults held off meanwhile */
#define CHURN_OPS_ALL		0x3f
#define CHURN_NR_OPS		6

struct vm_churn {
	bool on;
	unsigned int cpu;
	u32 ops;
	u32 period_us;
	u64 rnd;
	u64 done[CHURN_NR_OPS];		/* successful operations, by op bit */
	u64 tried[CHURN_NR_OPS];
	u64 pages_migrated;		/* single migrations + compaction pages */
	u64 last_report_ns;
	u32 excl;			/* atomic: an exclusive churn operation wants in / is in */
	u32 inflight;			/* atomic: the guest's memory hypercalls in progress */
};

/* Parse the churn properties of a VM node; NULL or why the node is refused. */
const char *vm_churn_parse(const struct fdt *f, int node, struct vm *vm, u64 used_cpus);
/* vm_create_all(): the VM was built; its churn CPU (if any) starts. */
void vm_churn_start(struct vm *vm);
/* vm_cpu_loop(): run one churn operation if this CPU churns a VM. */
bool vm_churn_cpu(unsigned int cpu);
/*
 * The guest's own memory hypercalls (map, unmap, move, protect, reclaim,
 * dirty log) run between vm_churn_hc_enter() and _exit(): concurrently with
 * each other and with most churn, but never inside a churn operation that
 * makes guest memory briefly absent (the move away and back), which would
 * otherwise undo an UNMAP the guest made meanwhile.
 */
void vm_churn_hc_enter(struct vm *vm);
void vm_churn_hc_exit(struct vm *vm);
/* Print the VM's churn counters (also done every few seconds and at destroy). */
void vm_churn_report(struct vm *vm, const char *when);

#endif
