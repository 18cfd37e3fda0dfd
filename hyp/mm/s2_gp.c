// SPDX-License-Identifier: GPL-2.0
/*
 * Grace periods for the lockless fault path (R6). See s2_gp.h.
 * Per-CPU epochs live here, not in percpu.h: the simulation's CPUs need
 * nothing but arch_cpu_id().
 */
#include <hyp/mm/s2_gp.h>
#include <hyp/arch.h>
#include <hyp/atomic.h>
#include <hyp/panic.h>

static u64 gp_seq = 1;				/* never 0: 0 means "not reading" */
static u64 gp_epoch[HYP_MAX_CPUS];		/* 0 or the gp_seq seen at entry */
u64 s2_gp_waits;

void s2_gp_read_lock(void)
{
	unsigned int cpu = arch_cpu_id();

	/* R6: publish the epoch before reading any descriptor (Dekker with the writer's scan). */
	atomic_xchg(&gp_epoch[cpu], atomic_load_acquire(&gp_seq));
	arch_smp_mb();
	arch_sched_point();
}

void s2_gp_read_unlock(void)
{
	arch_sched_point();
	/* R6: every descriptor read of the section happens before the epoch clears. */
	atomic_store_release(&gp_epoch[arch_cpu_id()], 0ULL);
}

bool s2_gp_in_read(void)
{
	return atomic_load_relaxed(&gp_epoch[arch_cpu_id()]) != 0;
}

void s2_gp_synchronize(void)
{
	u64 target;

	BUG_ON(s2_gp_in_read());
	/* R6: the unlinks before this point are visible to any reader that starts after it. */
	target = atomic_fetch_add(&gp_seq, 1) + 1;
	arch_smp_mb();
	for (unsigned int cpu = 0; cpu < HYP_MAX_CPUS; cpu++) {
		for (;;) {
			u64 e = atomic_load_acquire(&gp_epoch[cpu]);

			if (e == 0 || e >= target)
				break;
			arch_cpu_relax();
		}
	}
	__atomic_fetch_add(&s2_gp_waits, 1, __ATOMIC_RELAXED);
}
