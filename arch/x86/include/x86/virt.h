/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hardware-virtualization backend, chosen once at boot from CPUID and
 * the VMX capability MSRs (virt.c, doc/x86-virt.md): SVM with NPT or VMX
 * with EPT, or none (guests are refused: they could not be isolated).
 */
#ifndef X86_VIRT_H
#define X86_VIRT_H

#include <hyp/types.h>

enum x86_backend { X86_BACKEND_NONE = 0, X86_BACKEND_SVM, X86_BACKEND_VMX };

struct x86_virt {
	enum x86_backend backend;
	char missing[160];
	unsigned int vmid_bits;	/* s2_vmid_init() width: VMIDs < 64 */	/* NONE: every missing feature, by name */
	/* SVM (CPUID 0x8000000A) */
	u32 nr_asids;		/* ASIDs 1 .. nr_asids - 1 are for guests */
	bool flush_by_asid;	/* TLB_CONTROL = 3; else 1 (everything) */
	bool nrips;		/* next RIP in the VMCB; else lengths are decoded */
	bool npt_1g;		/* 1 GiB leaves in the nested tables */
	/* VMX (IA32_VMX_* MSRs) */
	u32 vmcs_revision;
	bool vpid;		/* VPID per vCPU; else every entry/exit flushes */
	bool ept_ad;		/* EPTP[6]: hardware A/D bits */
	bool ept_1g;
	bool invept_single;	/* INVEPT type 1; else type 2 (all contexts) */
	bool invvpid_single;
	bool unrestricted;
};

extern struct x86_virt x86_virt;

/* Decide the backend (boot CPU, before the APs start) and print it. */
void x86_virt_detect(void);

#endif
