// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 instruction model: what arch/x86/tlb.c's shootdown protocol runs
 * against on the simulated CPUs of cfg.insn_cpus (x86 flavour). tlb.c is
 * compiled unchanged; this file provides what it touches of the hardware
 * (doc/simulation.md, "The x86 instruction model", rules X1-X5):
 *   X1  EPT/NPT translations are tagged (VPID / ASID, one per VMID here)
 *       and survive VM exit and VM entry: nothing flushes them but the
 *       flush done at VM entry (INVEPT / TLB_CONTROL), which consumes what
 *       tlb.c says is owed (x86_tlb_flush_owed()); TLB_CONTROL (and the
 *       VMX backend's INVEPT at entry) take effect at that entry, not when
 *       the owed bit is set
 *   X2  lapic_send_ipi(NMI) makes the target take an NMI at a later step of
 *       the scheduler's choosing, interrupts masked or not; in guest mode
 *       the NMI is a VM exit first; the handler (x86_shootdown_nmi) runs
 *       in host mode on the target
 *   X3  nothing walks EPT/NPT in host mode: no speculative fills outside
 *       guest mode; a CPU's entries of a VMID it owes a flush for are dead
 *       while it is in host mode (never used before the flush at entry)
 *   X4  a guest translation fault is a VM exit
 *   X5  a CPU outside the shootdown set keeps its entries
 * The backend mapping of "owed" to INVEPT type / TLB_CONTROL value (svm.c,
 * vmx.c) is not run here: the model flushes the VMID or everything locally.
 */
#include "sim_internal.h"
#include <hyp/percpu.h>
#include <hyp/string.h>
#include <x86/apic.h>
#include <x86/percpu.h>
#include <x86/tlb.h>

struct x86_cpu x86_cpus[HYP_MAX_CPUS];
static int nmi_cpu = -1;	/* the NMI handler runs "on" this CPU */

struct x86_cpu *x86_model_this_cpu(void)
{
	if (nmi_cpu >= 0)
		return &x86_cpus[nmi_cpu];
	return &x86_cpus[sim_this_cpu < 0 ? 0 : sim_this_cpu];
}


void sim_x86_reset(void)
{
	memset(x86_cpus, 0, sizeof(x86_cpus));
	for (unsigned int i = 0; i < HYP_MAX_CPUS; i++) {
		x86_cpus[i].self = &x86_cpus[i];
		x86_cpus[i].cpu = i;
		x86_cpus[i].apic_id = i;
	}
	if (sim.cfg.flavour == SIM_X86 && sim.cfg.insn_cpus)
		nr_cpus_possible = sim.cfg.ncpus;	/* tlb.c's inval_all targets them */
}

/* X2: the ICR write. Delivery happens in sim_x86_step(). */
void lapic_send_ipi(u32 dest, u32 icr_lo)
{
	if (icr_lo == APIC_ICR_NMI && dest < sim.cfg.ncpus) {
		sim.cpu[dest].x86_nmi_pending = true;
		sim_trace(EV_INVAL_ISSUE, 0, 0, 0, (s64)dest, "x86 NMI sent");
	}
	if (sim.running)
		sim_sched(false);
	else
		sim_x86_settle();	/* outside a run: taken at once */
}

/* SVM semantics: an NMI in host mode does nothing but acknowledge (tlb.c). */
void vmx_nmi_flush(void)
{
}

void sim_x86_settle(void);

/* X2: one pending NMI per step, with 30 % probability; none outside a run. */
void sim_x86_step(void)
{
	unsigned int n = sim.cfg.ncpus, t;

	/* Only where the model is in use: other runs keep their random streams. */
	if (sim.cfg.flavour != SIM_X86 || !sim.cfg.insn_cpus || sim_hw_rand() % 10 >= 3)
		return;
	t = (unsigned int)(sim_hw_rand() % n);
	for (unsigned int k = 0; k < n; k++, t = (t + 1) % n) {
		if (!sim.cpu[t].x86_nmi_pending)
			continue;
		sim.cpu[t].x86_nmi_pending = false;
		sim.cpu[t].x86_in_guest = false;	/* NMI exiting: a VM exit first */
		nmi_cpu = (int)t;
		x86_shootdown_nmi();
		nmi_cpu = -1;
		sim_trace(EV_INVAL_DONE, 0, 0, 0, (s64)t, "x86 NMI taken, acknowledged");
		return;
	}
}

void sim_x86_settle(void)
{
	for (unsigned int t = 0; t < sim.cfg.ncpus; t++)
		if (sim.cpu[t].x86_nmi_pending) {
			sim.cpu[t].x86_nmi_pending = false;
			nmi_cpu = (int)t;
			x86_shootdown_nmi();
			nmi_cpu = -1;
		}
}

/* X1: VM entry on this CPU: consume what is owed for its VMID, flush it. */
void sim_x86_entry(unsigned int ci)
{
	struct sim_cpu *c = &sim.cpu[ci];
	int f = x86_tlb_flush_owed(c->vmid);

	if (f != X86_FLUSH_NONE)
		sim_flush_local(ci, f == X86_FLUSH_ALL, c->vmid);
	c->x86_in_guest = true;
}

/*
 * X3: an entry of `vmid` on CPU ci that will be flushed before any use: the
 * CPU owes a flush for vmid and is not running vmid in guest mode.
 */
bool sim_x86_entry_dead(unsigned int ci, u32 vmid)
{
	const struct x86_cpu *x = &x86_cpus[ci];

	/* Dead unless the CPU is in guest mode with that VMID (tagged: X1). */
	if (!sim_x86_insn_cpu_n(ci) || (sim.cpu[ci].x86_in_guest && sim.cpu[ci].vmid == vmid))
		return false;
	return __atomic_load_n(&x->s2_flush_all, __ATOMIC_SEQ_CST) ||
	       (__atomic_load_n(&x->s2_flush_vmids, __ATOMIC_SEQ_CST) & BIT(vmid & 63));
}
