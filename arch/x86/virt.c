// SPDX-License-Identifier: GPL-2.0
/*
 * Backend selection (doc/x86-virt.md): SVM or VMX, decided once on the boot
 * CPU from CPUID and the VMX capability MSRs, with every feature a guest's
 * isolation depends on checked and every missing one reported by name.
 *
 *   SVM needs:  SVM, VM_CR.SVMDIS clear (if the MSR exists), NPT, NX (NPT
 *               leaves say no-exec with bit 63, svm.c sets EFER.NXE), at
 *               least one guest ASID. Used if present: flush-by-ASID (else
 *               TLB_CONTROL flushes everything), NRIPS (else the exit
 *               handler decodes instruction lengths), 1 GiB NPT leaves.
 *   VMX needs:  VMX, IA32_FEATURE_CONTROL allowing VMXON outside SMX (or
 *               unlocked: the hypervisor sets and locks it), secondary
 *               controls, EPT with a 4-level walk and write-back tables,
 *               INVEPT with the single- or all-context type.
 *               Used if present: VPID (else every VM entry/exit flushes the
 *               linear TLB), EPT A/D bits, 1 GiB EPT leaves.
 * Without a complete backend the hypervisor still boots, and refuses every
 * VM in arch_vm_s2_format(): a guest it cannot isolate never runs.
 */
#include <hyp/types.h>
#include <hyp/arch.h>
#include <hyp/console.h>
#include <hyp/string.h>
#include <hyp/mm/s2_format.h>
#include <hyp/mm/s2_vmid.h>
#include <x86/asm.h>
#include <x86/virt.h>
#include <x86/virt_caps.h>

struct x86_virt x86_virt;

static void missing(char *buf, const char *what)
{
	size_t n = strlen(buf);

	if (n + strlen(what) + 3 >= sizeof(x86_virt.missing))
		return;
	if (n) {
		memcpy(buf + n, ", ", 2);
		n += 2;
	}
	memcpy(buf + n, what, strlen(what) + 1);
}

/* Return true if SVM is usable; names what is missing in @m otherwise. */
static bool detect_svm(struct x86_virt *x, char *m)
{
	struct cpuid_regs r;
	u64 vm_cr;

	if (cpuid(0x80000000).eax < 0x8000000a) {
		missing(m, "SVM CPUID leaf 0x8000000a");
		return false;
	}
	if (rdmsr_safe(MSR_VM_CR, &vm_cr) && (vm_cr & SVM_VM_CR_SVMDIS))
		missing(m, "SVM enabled (VM_CR.SVMDIS is set)");
	r = cpuid(0x8000000a);
	if (!(r.edx & SVM_NPT))
		missing(m, "NPT");
	if (!(cpuid(0x80000001).edx & CPUID_EXT1_EDX_NX))
		missing(m, "NX (no-exec NPT leaves)");
	if (r.ebx < 2)
		missing(m, "guest ASIDs");
	x->nr_asids = r.ebx;
	x->flush_by_asid = r.edx & SVM_FLUSH_BY_ASID;
	x->nrips = r.edx & SVM_NRIPS;
	x->npt_1g = cpuid(0x80000001).edx & CPUID_EXT1_EDX_PDPE1GB;
	return !m[0];
}

static bool detect_vmx(struct x86_virt *x, char *m)
{
	u64 basic, procbased, ctls2 = 0, cap = 0, fc = 0;

	if (!rdmsr_safe(MSR_IA32_VMX_BASIC, &basic) ||
	    !rdmsr_safe(MSR_IA32_VMX_PROCBASED_CTLS, &procbased)) {
		missing(m, "VMX capability MSRs");
		return false;
	}
	if (rdmsr_safe(MSR_IA32_FEATURE_CONTROL, &fc) && (fc & FC_LOCKED) &&
	    !(fc & FC_VMX_OUTSIDE_SMX))
		missing(m, "VMXON outside SMX (IA32_FEATURE_CONTROL locked without it)");
	if (!(procbased & PROCBASED_SECONDARY) ||
	    !rdmsr_safe(MSR_IA32_VMX_PROCBASED_CTLS2, &ctls2))
		ctls2 = 0;
	if (ctls2 & (CTLS2_EPT | CTLS2_VPID) && !rdmsr_safe(MSR_IA32_VMX_EPT_VPID_CAP, &cap))
		cap = 0;
	if (!(ctls2 & CTLS2_EPT))
		missing(m, "EPT");
	if (!(cap & EPT_WALK_4))
		missing(m, "EPT 4-level walk");
	if (!(cap & EPT_WB))
		missing(m, "EPT write-back tables");
	if (!(cap & EPT_INVEPT) || !(cap & (EPT_INVEPT_SINGLE | EPT_INVEPT_ALL)))
		missing(m, "INVEPT single- or all-context");
	x->vmcs_revision = basic & 0x7fffffff;
	x->vpid = (ctls2 & CTLS2_VPID) && (cap & VPID_INVVPID) &&
		  (cap & (VPID_INV_SINGLE | VPID_INV_ALL));
	x->invvpid_single = cap & VPID_INV_SINGLE;
	x->ept_ad = cap & EPT_AD;
	x->ept_1g = cap & EPT_1G;
	x->invept_single = cap & EPT_INVEPT_SINGLE;
	x->invept_all = cap & EPT_INVEPT_ALL;
	x->unrestricted = ctls2 & CTLS2_UNRESTRICTED;
	return !m[0];
}

/*
 * VMIDs (hyp/mm's allocator) are the ASIDs (SVM) and index the per-CPU
 * "flush owed" bitmaps of tlb.c (both backends): fewer than 64, and under SVM
 * fewer than the CPU's ASIDs (ASID 0 is the host's).
 */
static void vmid_bits(u32 ids)
{
	unsigned int bits = 2;

	while (bits < 6 && (1U << (bits + 1)) <= ids)
		bits++;
	s2_vmid_init(bits);
	x86_virt.vmid_bits = bits;
}

static const char *yn(bool v)
{
	return v ? "yes" : "no";
}

void x86_virt_detect(void)
{
	struct x86_virt *x = &x86_virt;
	char svm_m[sizeof(x->missing)] = "", vmx_m[sizeof(x->missing)] = "";
	bool has_vmx = cpuid(1).ecx & CPUID1_ECX_VMX;
	bool has_svm = cpuid(0x80000000).eax >= 0x80000001 &&
		       (cpuid(0x80000001).ecx & CPUID_EXT1_ECX_SVM);

	memset(x, 0, sizeof(*x));
	if (has_svm && detect_svm(x, svm_m)) {
		x->backend = X86_BACKEND_SVM;
		vmid_bits(x->nr_asids);
		pr_info("x86: backend SVM/NPT: %u ASIDs (VMIDs 1..%u as ASIDs), %s, %s, "
			"NPT 1G leaves %s\n", x->nr_asids, (1U << x->vmid_bits) - 1,
			x->flush_by_asid ? "flush-by-ASID (TLB_CONTROL=3)" :
					   "no flush-by-ASID: TLB_CONTROL=1 flushes every ASID",
			x->nrips ? "NRIPS" : "no NRIPS: instruction lengths decoded",
			yn(x->npt_1g));
		return;
	}
	if (has_vmx && detect_vmx(x, vmx_m)) {
		x->backend = X86_BACKEND_VMX;
		vmid_bits(64);
		pr_info("x86: backend VMX/EPT: VPID %s, INVEPT %s, EPT A/D %s, EPT 1G leaves %s, "
			"unrestricted guest %s\n", x->vpid ? "yes (one per vCPU)" :
			"no: every VM entry/exit flushes the linear TLB",
			x->invept_single ? "single-context" : "all-context",
			yn(x->ept_ad), yn(x->ept_1g), yn(x->unrestricted));
		return;
	}
	x->backend = X86_BACKEND_NONE;
	if (!has_svm && !has_vmx)
		missing(x->missing, "VMX or SVM");
	if (has_svm)
		missing(x->missing, svm_m);
	if (has_vmx)
		missing(x->missing, vmx_m);
	pr_err("x86: no usable virtualization backend: missing %s; guests will be refused\n",
	       x->missing);
}

int arch_vm_s2_format(struct s2_format *f)
{
	switch (x86_virt.backend) {
	case X86_BACKEND_SVM:
		s2_format_npt(f, x86_virt.npt_1g);
		return 0;
	case X86_BACKEND_VMX:
		s2_format_ept(f, x86_virt.ept_ad, x86_virt.ept_1g);
		return 0;
	default:
		pr_err("x86: refusing the VM: it cannot be isolated (missing %s)\n",
		       x86_virt.missing);
		return -E_NOSYS;
	}
}
