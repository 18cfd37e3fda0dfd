// SPDX-License-Identifier: GPL-2.0
#include <hyp/percpu.h>
#include <hyp/atomic.h>

struct percpu percpu_data[HYP_MAX_CPUS];
unsigned int nr_cpus_possible = 1;
static u32 nr_online;

void cpu_mark_online(unsigned int cpu)
{
	percpu_data[cpu].cpu = cpu;
	atomic_store_release(&percpu_data[cpu].online, true);
	atomic_fetch_add(&nr_online, 1);
}

unsigned int cpus_online(void)
{
	return atomic_load_acquire(&nr_online);
}
