// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU data through the GS base: arch_cpu_id() is one load from %gs,
 * valid from the first C instruction of each CPU (setup.c sets GS first).
 */
#include <hyp/types.h>
#include <hyp/arch.h>
#include <x86/asm.h>
#include <x86/percpu.h>

struct x86_cpu x86_cpus[HYP_MAX_CPUS];
/* Boot/idle stacks; boot32.S and entry64.S use hyp_stacks[0] for the BSP. */
u8 hyp_stacks[HYP_MAX_CPUS][HYP_STACK_SIZE] __aligned(16);

void x86_percpu_init(unsigned int cpu, u32 apic_id)
{
	struct x86_cpu *c = &x86_cpus[cpu];

	BUILD_BUG_ON(__builtin_offsetof(struct x86_cpu, cpu) != X86_CPU_OFF_CPU);
	c->self = c;
	c->cpu = cpu;
	c->apic_id = apic_id;
	c->stack_top = (u64)(uintptr_t)&hyp_stacks[cpu][HYP_STACK_SIZE];
	wrmsr(MSR_GS_BASE, (u64)(uintptr_t)c);
}

unsigned int arch_cpu_id(void)
{
	unsigned int id;

	__asm__ __volatile__("movl %%gs:%c1, %0" : "=r"(id) : "i"(X86_CPU_OFF_CPU));
	return id;
}
