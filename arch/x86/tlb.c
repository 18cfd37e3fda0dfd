// SPDX-License-Identifier: GPL-2.0
/*
 * Stage-2 (EPT / NPT) TLB maintenance — minimal and conservative until the
 * IPI shootdown lands with issue 6.
 *
 * No CPU runs a guest yet and the hypervisor is not in VMX/SVM operation,
 * so there is no INVEPT or VMRUN to issue. Every invalidation therefore
 * marks a *full* flush as owed by the CPUs it targets (ctx->cpus, the
 * caller itself, or every CPU): the VM-entry code (to come) must do
 * INVEPT all-context (VMX) or TLB_CONTROL = 1 (SVM) when it finds the flag
 * set. That is correct — over-invalidating, never under — as long as no
 * target CPU is in guest mode while the flag is set, which holds until VM
 * entry exists. IPI shootdown lands with issue 6: it will make sync wait
 * for the targets' acknowledgement.
 */
#include <hyp/types.h>
#include <hyp/arch.h>
#include <hyp/atomic.h>
#include <x86/percpu.h>

static void owe_full_flush(u64 cpus)
{
	unsigned int cpu;

	for (cpu = 0; cpu < HYP_MAX_CPUS; cpu++)
		if (cpus & BIT(cpu))
			atomic_store_release(&x86_cpus[cpu].s2_flush_pending, 1);
}

static u64 targets(const struct arch_s2_tlb_ctx *ctx)
{
	/* The caller may hold entries too even if it is not in ctx->cpus. */
	return ctx->cpus | BIT(arch_cpu_id());
}

void arch_s2_inval_ipa(const struct arch_s2_tlb_ctx *ctx, ipaddr_t ipa,
		       int level, bool leaf_only)
{
	owe_full_flush(targets(ctx));
}

bool arch_s2_inval_range(const struct arch_s2_tlb_ctx *ctx, ipaddr_t start,
			 u64 size, bool leaf_only)
{
	return false;	/* no range invalidation on x86: callers fall back */
}

void arch_s2_inval_vmid(const struct arch_s2_tlb_ctx *ctx)
{
	owe_full_flush(targets(ctx));
}

void arch_s2_inval_all(void)
{
	owe_full_flush(~0ULL);
}

void arch_s2_inval_sync(const struct arch_s2_tlb_ctx *ctx)
{
	/* Flags visible to every CPU before the caller frees anything (R1). */
	arch_smp_mb();
}

bool arch_s2_has_range_inval(void)
{
	return false;
}

void arch_s2_load(const struct arch_s2_tlb_ctx *ctx)
{
	struct x86_cpu *c = this_x86_cpu();

	/* Recorded for VM entry; nothing walks EPT/NPT outside guest mode. */
	c->s2_root = ctx ? ctx->root : pa_init(0);
	c->s2_vmid = ctx ? ctx->vmid : 0;
}
