// SPDX-License-Identifier: GPL-2.0
/*
 * The backends' half of stage-2 TLB maintenance: what a VM entry does with
 * the flushes tlb.c says are owed (x86_tlb_flush_owed()), in the encoding
 * each backend's hardware takes (doc/x86-virt.md, doc/simulation.md X6-X11):
 *
 *   SVM (APM Vol. 2 15.16 "TLB Control"): with GIF clear, the VMCB's ASID
 *       (= the VMID), nCR3 (= the VM's root) and TLB_CONTROL (3: this ASID,
 *       with FlushByAsid; 1: every ASID; 0: nothing). The CPU acts on
 *       TLB_CONTROL at the next VMRUN of that VMCB, not at the write.
 *   VMX (SDM Vol. 3C 28.4 "Caching Translation Information", INVEPT): the
 *       EPTP into the current VMCS, then INVEPT single-context with that
 *       EPTP (its EP4TA's entries) or all-context. VMX has no GIF: an NMI
 *       taken in host mode flushes there and then (vmx_nmi_flush()).
 *   A vCPU starting on a CPU (X10, X11): VMX INVVPID of its VPID there and
 *       then; SVM owes its VM's ASID (shared by the VM's vCPUs) to the next
 *       VMRUN there.
 *
 * Only through x86/tlbinsn.h: ARCH=sim compiles this file unchanged against
 * the instruction model (arch/sim/sim_x86.c), which plays the VM entry.
 */
#include <hyp/types.h>
#include <hyp/atomic.h>
#include <hyp/compiler.h>
#include <hyp/inject.h>
#include <x86/percpu.h>
#include <x86/svm.h>
#include <x86/tlb.h>
#include <x86/tlbinsn.h>
#include <x86/vcpu.h>
#include <x86/virt.h>

/* tlbinsn.h's VMCB offsets are svm.h's. */
BUILD_BUG_ON(TLBI_VMCB_ASID != VMCB_ASID);
BUILD_BUG_ON(TLBI_VMCB_TLB_CONTROL != VMCB_TLB_CONTROL);
BUILD_BUG_ON(TLBI_VMCB_NCR3 != VMCB_NCR3);

u64 x86_eptp_of(paddr_t root)
{
	/* X6: EP4TA + WB + 4-level walk (+ A/D): anything else is VMfail on INVEPT. */
	if (inject(X86_INVEPT_RAW_ROOT))
		return pa_addr(root);
	return pa_addr(root) | EPTP_MT_WB | EPTP_WALK4 | (x86_virt.ept_ad ? EPTP_AD : 0);
}

/* First VMXON / EFER.SVME on this CPU: nothing cached before may be trusted (X1). */
void x86_tlb_cpu_on(struct x86_cpu *cpu)
{
	/* Owed "all": the first VM entry flushes every context it can name. */
	atomic_store_release(&cpu->s2_flush_all, 1);
}

/* ---- SVM ---------------------------------------------------------------- */

/* X11: a vCPU started on this CPU since its last VMRUN: its ASID must go at the next one. */
static bool svm_vcpu_arrived[HYP_MAX_CPUS];

/*
 * A vCPU starting on this CPU (svm_vcpu_run(), before its loop). The ASID
 * is the VM's (every vCPU of the VM, on every CPU): this CPU may cache
 * guest-linear and combined entries of that ASID made by another vCPU of
 * the VM, or by this one before the guest's own invalidations elsewhere;
 * flush the ASID at the next VMRUN (X11; APM 15.16 "TLB Control").
 */
void svm_tlb_vcpu_load(void)
{
	/* X11: owed to the next VMRUN here, with the stage-2 flushes svm_tlb_enter() encodes. */
	if (!inject(X86_SVM_NO_VCPU_FLUSH))
		svm_vcpu_arrived[this_x86_cpu()->cpu] = true;
}

/*
 * Before VMRUN of @vmcb on this CPU: GIF clear, then the fields the TLB is
 * tagged with and what the VMRUN must flush. On return GIF is clear; the
 * caller runs VMRUN next (svm_entry.S sets GIF again after the #VMEXIT).
 */
void svm_tlb_enter(u8 *vmcb)
{
	struct x86_cpu *cpu = this_x86_cpu();
	int f = X86_FLUSH_NONE;
	u8 ctl;

	/* X8: owed bits read with GIF clear: a later NMI is held until VMRUN, then exits. */
	if (inject(X86_SVM_OWED_BEFORE_CLGI))
		f = x86_tlb_flush_owed(cpu->s2_vmid);
	svm_clgi();
	/* X7: the ASID is the VMID *now* (VMID rollover renumbers VMs), every entry. */
	if (!inject(X86_SVM_ASID_AT_INIT) || !*(volatile u32 *)(vmcb + TLBI_VMCB_ASID))
		vmcb_write_asid(vmcb, cpu->s2_vmid);
	vmcb_write_ncr3(vmcb, pa_addr(cpu->s2_root));
	if (!inject(X86_SVM_OWED_BEFORE_CLGI))
		f = x86_tlb_flush_owed(cpu->s2_vmid);
	/* X11: a vCPU arrived: at least this ASID (set and read on this CPU only). */
	if (svm_vcpu_arrived[cpu->cpu] && f == X86_FLUSH_NONE)
		f = X86_FLUSH_VMID;
	svm_vcpu_arrived[cpu->cpu] = false;
	if (f == X86_FLUSH_NONE)
		ctl = SVM_TLB_NONE;
	else if (f == X86_FLUSH_VMID && x86_virt.flush_by_asid)
		ctl = SVM_TLB_ASID;
	/* X7: "all" dropped every VMID's owed bits: every ASID must go. */
	else if (f == X86_FLUSH_ALL && x86_virt.flush_by_asid && inject(X86_SVM_ASID_FOR_ALL))
		ctl = SVM_TLB_ASID;
	/* X7: TLB_CONTROL 3 exists only with FlushByAsid (CPUID 8000000A EDX[6]). */
	else if (f == X86_FLUSH_VMID && inject(X86_SVM_ASID_WITHOUT_CAP))
		ctl = SVM_TLB_ASID;
	else
		ctl = SVM_TLB_ALL;
	/* X7: written every entry: TLB_CONTROL is not cleared by VMRUN, NONE must be written. */
	vmcb_write_tlb_control(vmcb, ctl);
}

/* ---- VMX ---------------------------------------------------------------- */

static void vmx_tlb_flush(int f, paddr_t root)
{
	struct x86_cpu *cpu = this_x86_cpu();

	if (f == X86_FLUSH_NONE)
		return;
	/* X6: "all" dropped every VMID's owed bits: all-context, or each one at its entry. */
	if (f == X86_FLUSH_ALL && x86_virt.invept_all && !inject(X86_VMX_SINGLE_FOR_ALL)) {
		invept(INVEPT_ALL, 0);
		return;
	}
	if (x86_virt.invept_single) {
		invept(INVEPT_SINGLE, x86_eptp_of(root));
		/* X6: without all-context the other VMIDs (other EP4TAs) flush when entered. */
		if (f == X86_FLUSH_ALL && !inject(X86_VMX_SINGLE_FOR_ALL) &&
		    !inject(X86_VMX_FALLBACK_NO_OWE))
			atomic_fetch_or(&cpu->s2_flush_vmids, ~BIT(cpu->s2_vmid & 63));
		return;
	}
	invept(INVEPT_ALL, 0);
}

/* Before VM entry in the current VMCS: its EPTP, then the owed flush (X6). */
void vmx_tlb_enter(void)
{
	struct x86_cpu *cpu = this_x86_cpu();

	vmcs_write_eptp(x86_eptp_of(cpu->s2_root));
	vmx_tlb_flush(x86_tlb_flush_owed(cpu->s2_vmid), cpu->s2_root);
	/* An NMI from here to VM entry flushes in its handler (vmx_nmi_flush, X8). */
}

/* NMI in host mode on a VMX CPU (tlb.c): flush what is owed for the loaded VMID now. */
void vmx_nmi_flush(void)
{
	struct x86_cpu *cpu = this_x86_cpu();

	if (!cpu->vmx_on || !pa_addr(cpu->s2_root))
		return;
	/* X8: no GIF on VMX: an NMI between the owed check and VM entry must flush here. */
	if (inject(X86_VMX_NMI_NO_FLUSH))
		return;
	vmx_tlb_flush(x86_tlb_flush_owed(cpu->s2_vmid), cpu->s2_root);
}

/*
 * A vCPU's VMCS made current on this CPU (vmx_vcpu_run(), before its first
 * VM entry here): this CPU may still cache linear and combined entries of
 * the vCPU's VPID from an earlier stay here (or of an earlier vCPU that
 * had the VPID), which the guest's own invalidations since -- INVLPG,
 * MOV CR3, INVPCID, done wherever the vCPU ran then -- did not reach:
 * drop them before the guest runs (X9, X10; SDM 28.4.3.1, INVVPID).
 */
static u16 vmx_last_vpid[HYP_MAX_CPUS];	/* only for INJECT x86-vmx-vpid-skip-same */

void vmx_tlb_vcpu_load(u16 vpid)
{
	struct x86_cpu *cpu = this_x86_cpu();
	bool same = vmx_last_vpid[cpu->cpu] == vpid;

	vmx_last_vpid[cpu->cpu] = vpid;
	if (!x86_virt.vpid)
		return;	/* VPID 0: VM entry and exit flush the linear entries (X10) */
	/* X10: every arrival, the same vCPU's too: it may have run elsewhere meanwhile. */
	if (inject(X86_VMX_VPID_SKIP_SAME) && same)
		return;
	/* X9: single-context only with the capability (else VMfailValid): all-context then. */
	invvpid(x86_virt.invvpid_single || inject(X86_VMX_VPID_SINGLE_NO_CAP) ? INVVPID_SINGLE :
		INVVPID_ALL, vpid);
}
