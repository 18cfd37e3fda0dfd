/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Capability bits of CPUID (SVM) and of the VMX capability MSRs (Intel SDM
 * Vol. 3 App. A, AMD APM Vol. 2 15.x), shared by the banner and the backend
 * selection.
 */
#ifndef X86_VIRT_CAPS_H
#define X86_VIRT_CAPS_H

#include <hyp/types.h>

#define CPUID1_ECX_VMX		BIT(5)
#define CPUID_EXT1_ECX_SVM	BIT(2)

/* IA32_VMX_PROCBASED_CTLS: bit 31 "activate secondary controls" (allowed-1 at 63). */
#define PROCBASED_SECONDARY	BIT(63)
/* IA32_VMX_PROCBASED_CTLS2 allowed-1 half (bits 63:32). */
#define CTLS2_EPT		BIT(32 + 1)
#define CTLS2_VPID		BIT(32 + 5)
#define CTLS2_UNRESTRICTED	BIT(32 + 7)
/* IA32_VMX_EPT_VPID_CAP */
#define EPT_EXEC_ONLY		BIT(0)
#define EPT_WALK_4		BIT(6)
#define EPT_WALK_5		BIT(7)
#define EPT_WB			BIT(14)
#define EPT_2M			BIT(16)
#define EPT_1G			BIT(17)
#define EPT_INVEPT		BIT(20)
#define EPT_AD			BIT(21)
#define EPT_INVEPT_SINGLE	BIT(25)
#define EPT_INVEPT_ALL		BIT(26)
#define VPID_INVVPID		BIT(32)
#define VPID_INV_ADDR		BIT(40)
#define VPID_INV_SINGLE		BIT(41)
#define VPID_INV_ALL		BIT(42)
#define VPID_INV_SINGLE_NG	BIT(43)
/* IA32_FEATURE_CONTROL */
#define FC_LOCKED		BIT(0)
#define FC_VMX_OUTSIDE_SMX	BIT(2)

/* CPUID 0x8000000A EDX */
#define SVM_NPT			BIT(0)
#define SVM_NRIPS		BIT(3)
#define SVM_VMCB_CLEAN		BIT(5)
#define SVM_FLUSH_BY_ASID	BIT(6)
#define SVM_DECODE_ASSISTS	BIT(7)
#define SVM_VM_CR_SVMDIS	BIT(4)
/* CPUID 0x80000001 EDX: 1 GiB pages */
#define CPUID_EXT1_EDX_NX	BIT(20)
#define CPUID_EXT1_EDX_PDPE1GB	BIT(26)

#endif
