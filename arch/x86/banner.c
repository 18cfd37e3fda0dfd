// SPDX-License-Identifier: GPL-2.0
/*
 * Boot banner: CPU identity and its hardware virtualization capabilities.
 *  VMX: CPUID.1:ECX.VMX, then the VMX capability MSRs (SDM Vol. 3 App. A):
 *       secondary controls (EPT, VPID, unrestricted guest) from
 *       IA32_VMX_PROCBASED_CTLS2's allowed-1 half, EPT/VPID details from
 *       IA32_VMX_EPT_VPID_CAP.
 *  SVM: CPUID 0x80000001:ECX.SVM, then CPUID 0x8000000A (APM Vol. 2 15.x):
 *       revision, number of ASIDs, EDX feature bits.
 * MSRs are read with rdmsr_safe(): emulators do not implement every one.
 */
#include <hyp/types.h>
#include <hyp/console.h>
#include <hyp/string.h>
#include <x86/asm.h>
#include <hyp/arch.h>
#include <x86/virt.h>
#include <x86/virt_caps.h>

static const char *yn(u64 v)
{
	return v ? "yes" : "no";
}

static void print_cpu_name(void)
{
	struct cpuid_regs r = cpuid(0);
	u32 vendor[4] = { r.ebx, r.edx, r.ecx, 0 };
	u32 brand[13] = { 0 };
	unsigned int i, fam, model;
	const char *name;
	char *end;

	if (cpuid(0x80000000).eax >= 0x80000004) {
		for (i = 0; i < 3; i++) {
			r = cpuid(0x80000002 + i);
			brand[i * 4 + 0] = r.eax;
			brand[i * 4 + 1] = r.ebx;
			brand[i * 4 + 2] = r.ecx;
			brand[i * 4 + 3] = r.edx;
		}
	}
	/* The brand string is padded with spaces (leading on Intel, trailing on AMD). */
	name = (const char *)brand;
	while (*name == ' ')
		name++;
	for (end = (char *)brand + strlen((const char *)brand); end > name && end[-1] == ' ';)
		*--end = 0;
	r = cpuid(1);
	/* Extended family counts only for family 0xf, extended model from family 6. */
	fam = (r.eax >> 8) & 0xf;
	model = (r.eax >> 4) & 0xf;
	if (fam == 0xf)
		fam += (r.eax >> 20) & 0xff;
	if (fam >= 6)
		model |= (r.eax >> 12) & 0xf0;
	hyp_printf("x86: %s \"%s\" family %#x model %#x stepping %u\n",
		   (const char *)vendor, name, fam, model, r.eax & 0xf);
}

static void print_vmx(void)
{
	u64 basic = 0, procbased = 0, ctls2 = 0, cap = 0, fc = 0;
	bool has_fc = rdmsr_safe(MSR_IA32_FEATURE_CONTROL, &fc);

	if (!rdmsr_safe(MSR_IA32_VMX_BASIC, &basic) ||
	    !rdmsr_safe(MSR_IA32_VMX_PROCBASED_CTLS, &procbased)) {
		hyp_printf("x86: VMX: capability MSRs unreadable\n");
		return;
	}
	if (procbased & PROCBASED_SECONDARY && !rdmsr_safe(MSR_IA32_VMX_PROCBASED_CTLS2, &ctls2))
		ctls2 = 0;
	/* The EPT/VPID capability MSR exists only if either feature can be enabled. */
	if (ctls2 & (CTLS2_EPT | CTLS2_VPID) && !rdmsr_safe(MSR_IA32_VMX_EPT_VPID_CAP, &cap))
		cap = 0;

	hyp_printf("x86: VMX: revision %#llx, EPT %s, VPID %s, unrestricted guest %s, "
		   "feature control %s\n",
		   basic & 0x7fffffff, yn(ctls2 & CTLS2_EPT), yn(ctls2 & CTLS2_VPID),
		   yn(ctls2 & CTLS2_UNRESTRICTED),
		   !has_fc ? "unreadable" : !(fc & FC_LOCKED) ? "unlocked" :
		   fc & FC_VMX_OUTSIDE_SMX ? "locked, VMX on" : "locked, VMX OFF");
	if (ctls2 & CTLS2_EPT)
		hyp_printf("x86: EPT: 4-level walk %s, 5-level %s, WB %s, 2M pages %s, "
			   "1G pages %s, A/D bits %s, execute-only %s\n",
			   yn(cap & EPT_WALK_4), yn(cap & EPT_WALK_5), yn(cap & EPT_WB),
			   yn(cap & EPT_2M), yn(cap & EPT_1G), yn(cap & EPT_AD),
			   yn(cap & EPT_EXEC_ONLY));
	if (ctls2 & CTLS2_EPT)
		hyp_printf("x86: INVEPT %s: single-context %s, all-context %s\n",
			   yn(cap & EPT_INVEPT), yn(cap & EPT_INVEPT_SINGLE),
			   yn(cap & EPT_INVEPT_ALL));
	if (ctls2 & CTLS2_VPID)
		hyp_printf("x86: INVVPID %s: individual-address %s, single-context %s, "
			   "all-context %s, single-context-retaining-globals %s\n",
			   yn(cap & VPID_INVVPID), yn(cap & VPID_INV_ADDR),
			   yn(cap & VPID_INV_SINGLE), yn(cap & VPID_INV_ALL),
			   yn(cap & VPID_INV_SINGLE_NG));
}

static void print_svm(void)
{
	struct cpuid_regs r;
	u64 vm_cr = 0;
	bool has_vm_cr;

	if (cpuid(0x80000000).eax < 0x8000000a) {
		hyp_printf("x86: SVM: no CPUID leaf 0x8000000a\n");
		return;
	}
	r = cpuid(0x8000000a);
	has_vm_cr = rdmsr_safe(MSR_VM_CR, &vm_cr);
	hyp_printf("x86: SVM: revision %u, NPT %s, ASIDs %u, flush-by-ASID %s, NRIPS %s, "
		   "VMCB clean bits %s, decode assists %s, VM_CR %s\n",
		   r.eax & 0xff, yn(r.edx & SVM_NPT), r.ebx, yn(r.edx & SVM_FLUSH_BY_ASID),
		   yn(r.edx & SVM_NRIPS), yn(r.edx & SVM_VMCB_CLEAN),
		   yn(r.edx & SVM_DECODE_ASSISTS),
		   !has_vm_cr ? "unreadable" : vm_cr & SVM_VM_CR_SVMDIS ? "SVM disabled" :
		   "SVM enabled");
}

void arch_banner(void)
{
	bool vmx = cpuid(1).ecx & CPUID1_ECX_VMX;
	bool svm = cpuid(0x80000000).eax >= 0x80000001 &&
		   (cpuid(0x80000001).ecx & CPUID_EXT1_ECX_SVM);

	print_cpu_name();
	if (vmx)
		print_vmx();
	if (svm)
		print_svm();
	if (!vmx && !svm)
		hyp_printf("x86: no hardware virtualization (neither VMX nor SVM)\n");
	x86_virt_detect();
}
