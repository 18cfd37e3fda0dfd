/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HYP_PERCPU_H
#define HYP_PERCPU_H

#include <hyp/types.h>
#include <hyp/arch.h>

/* Per-CPU state of the core. Arch code keeps its own beside it. */
struct percpu {
	unsigned int cpu;	/* logical index */
	u64 hwid;		/* arm64 MPIDR affinity / x86 APIC ID */
	bool online;
	/* Grace-period epoch for lockless stage-2 walkers (R6); see hyp/mm. */
	u64 qs_epoch;
};

extern struct percpu percpu_data[HYP_MAX_CPUS];
extern unsigned int nr_cpus_possible;	/* from the DTB / firmware tables */

static inline struct percpu *this_cpu(void)
{
	return &percpu_data[arch_cpu_id()];
}

unsigned int cpus_online(void);
void cpu_mark_online(unsigned int cpu);

#endif
