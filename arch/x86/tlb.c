// SPDX-License-Identifier: GPL-2.0
/*
 * Stage-2 (EPT / NPT) TLB shootdown (rule R7, doc/x86-virt.md).
 *
 * x86 has no broadcast invalidation and no way to drop one guest-physical
 * translation: NPT entries go with TLB_CONTROL at VMRUN (the ASID, or
 * everything without flush-by-ASID), EPT entries with INVEPT single- or
 * all-context. So every invalidation here is VMID-wide, and it happens on
 * each target CPU at its next VM entry, where the backend consumes this
 * CPU's "owed" bits (x86_tlb_flush_owed()).
 *
 *   issue (arch_s2_inval_ipa / _vmid / _all): add the targets (ctx->cpus:
 *       the CPUs that ran the VM since its last flush, kept by hyp/mm) and
 *       the VMID to this CPU's batch. Nothing is sent yet.
 *   sync (arch_s2_inval_sync): for every target, set the owed bit for the
 *       VMID, bump its request count, send it an NMI (not to itself); then
 *       wait until every target acknowledged. R1: only after that may the
 *       caller free what the invalidation covered.
 *   target: the NMI is intercepted in guest mode (#VMEXIT) and taken in
 *       host mode; the handler (x86_shootdown_nmi) acknowledges. Having
 *       run in host mode after the owed bit was set, the target flushes
 *       before it translates through that VMID again.
 *
 * NMIs, not a vector: they are delivered to a CPU spinning with interrupts
 * masked (on a lock, or itself waiting for acknowledgements), so two
 * shooters never wait for each other. The VM entry path checks the owed bits
 * with GIF clear; an NMI arriving after the check is held until VMRUN and
 * exits at once.
 */
#include <hyp/types.h>
#include <hyp/arch.h>
#include <hyp/atomic.h>
#include <hyp/console.h>
#include <hyp/inject.h>
#include <hyp/percpu.h>
#include <hyp/platform.h>
#include <x86/apic.h>
#include <x86/percpu.h>
#include <x86/tlb.h>
#include <x86/vcpu.h>

#define VMID_BIT(vmid)	BIT((vmid) & 63)	/* VMIDs are < 64 (x86_virt_detect) */

void arch_s2_inval_ipa(const struct arch_s2_tlb_ctx *ctx, ipaddr_t ipa,
		       int level, bool leaf_only)
{
	struct x86_cpu *c = this_x86_cpu();

	c->batch_cpus |= ctx->cpus;
	c->batch_vmids |= VMID_BIT(ctx->vmid);
}

bool arch_s2_inval_range(const struct arch_s2_tlb_ctx *ctx, ipaddr_t start,
			 u64 size, bool leaf_only)
{
	return false;	/* no range invalidation on x86: callers fall back */
}

void arch_s2_inval_vmid(const struct arch_s2_tlb_ctx *ctx)
{
	struct x86_cpu *c = this_x86_cpu();

	c->batch_cpus |= ctx->cpus;
	c->batch_vmids |= VMID_BIT(ctx->vmid);
}

void arch_s2_inval_all(void)
{
	struct x86_cpu *c = this_x86_cpu();

	/* X-rollover: every VMID's entries, on every CPU (doc/simulation.md X1). */
	if (!inject(X86_ALL_VMID_ONLY))
		c->batch_all = true;
	for (unsigned int cpu = 0; cpu < nr_cpus_possible; cpu++)
		c->batch_cpus |= BIT(cpu);
}

/* What target @t owes at its next VM entry: every VMID, or those in @vmids. */
static void owe_flush(struct x86_cpu *t, bool all, u64 vmids)
{
	if (all)
		atomic_store_release(&t->s2_flush_all, 1);
	else
		atomic_fetch_or(&t->s2_flush_vmids, vmids);
}

static bool acked(const struct x86_cpu *t, u32 want)
{
	return (s32)(atomic_load_acquire(&t->shoot_ack) - want) >= 0;
}

void arch_s2_inval_sync(const struct arch_s2_tlb_ctx *ctx)
{
	struct x86_cpu *c = this_x86_cpu();
	unsigned int me = c->cpu;
	u64 cpus = c->batch_cpus, vmids = c->batch_vmids;
	bool all = c->batch_all;
	u32 want[HYP_MAX_CPUS];

	c->batch_cpus = c->batch_vmids = 0;
	c->batch_all = false;
	if (!cpus && !all)
		return;
	for (unsigned int cpu = 0; cpu < HYP_MAX_CPUS; cpu++) {
		struct x86_cpu *t = &x86_cpus[cpu];

		if (!(cpus & BIT(cpu)))
			continue;
		if (inject(X86_SKIP_LOCAL_OWED) && cpu == me)
			continue;
		/* Owed bits before the request: the target's ack covers them (X2). */
		if (!inject(X86_OWED_AFTER_NMI))
			owe_flush(t, all, vmids);
		/* The local CPU owes the flush too (X1): it is in host mode now. */
		if (cpu == me)
			continue;	/* in host mode now: flushes at its next entry */
		want[cpu] = atomic_fetch_add(&t->shoot_req, 1) + 1;
		lapic_send_ipi(t->apic_id, APIC_ICR_NMI);
		c->ipis_sent++;
		if (inject(X86_OWED_AFTER_NMI))
			owe_flush(t, all, vmids);
	}
	/* R1: the caller may free only after every target acknowledged (X2). */
	for (unsigned int cpu = 0; cpu < HYP_MAX_CPUS; cpu++) {
		if (!(cpus & BIT(cpu)) || cpu == me)
			continue;
		if (inject(X86_NO_ACK_WAIT))
			(void)acked(&x86_cpus[cpu], want[cpu]);	/* looked at, not waited for */
		else
			while (!acked(&x86_cpus[cpu], want[cpu]))
				arch_cpu_relax();
		c->acks_waited++;
	}
}

/* NMI handler (traps.c): this CPU is in host mode; acknowledge every request. */
void x86_shootdown_nmi(void)
{
	struct x86_cpu *c = this_x86_cpu();

	/* VMX has no GIF: an NMI just before VM entry must flush here (vmx.c). */
	vmx_nmi_flush();
	atomic_store_release(&c->shoot_ack, atomic_load_acquire(&c->shoot_req));
}

/*
 * At VM entry, with GIF clear (SVM) or interrupts and NMIs held off by the
 * entry sequence: consume what this CPU owes for @vmid. Return
 * X86_FLUSH_NONE, X86_FLUSH_VMID or X86_FLUSH_ALL; the backend flushes
 * accordingly before the guest runs.
 */
int x86_tlb_flush_owed(u32 vmid)
{
	struct x86_cpu *c = this_x86_cpu();

	/* Clear, then flush: a bit set after the clear is still covered. */
	if (atomic_xchg(&c->s2_flush_all, 0)) {
		atomic_xchg(&c->s2_flush_vmids, 0);
		c->flushes_done++;
		/* Every VMID's bits were just dropped: so must every VMID's entries. */
		return inject(X86_OWED_ALL_AS_VMID) ? X86_FLUSH_VMID : X86_FLUSH_ALL;
	}
	if (atomic_fetch_and(&c->s2_flush_vmids, ~VMID_BIT(vmid)) & VMID_BIT(vmid)) {
		c->flushes_done++;
		return X86_FLUSH_VMID;
	}
	return X86_FLUSH_NONE;
}

/*
 * arch.h: make @v's CPU leave the guest. The same NMI as a shootdown
 * (intercepted in guest mode, only acknowledged in host mode); the vCPU loop
 * then sees vcpu_must_exit().
 */
void arch_vcpu_kick(struct vcpu *v)
{
	if (v->pcpu != arch_cpu_id() && v->pcpu < HYP_MAX_CPUS)
		lapic_send_ipi(x86_cpus[v->pcpu].apic_id, APIC_ICR_NMI);
}

void x86_tlb_report(void)
{
	for (unsigned int cpu = 0; cpu < nr_cpus_possible; cpu++) {
		const struct x86_cpu *c = &x86_cpus[cpu];

		if (c->ipis_sent || c->acks_waited || c->flushes_done || c->nmi_exits)
			pr_info("x86: shootdown: cpu%u sent %llu NMIs, waited for %llu acks, "
				"did %llu flushes at VM entry, took %llu NMIs as VM exits\n", cpu,
				c->ipis_sent, c->acks_waited, c->flushes_done, c->nmi_exits);
	}
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
