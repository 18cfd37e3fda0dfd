/* SPDX-License-Identifier: GPL-2.0 */
/* Stage-2 shootdown (tlb.c): what a VM entry owes, and the NMI handler's part. */
#ifndef X86_TLB_H
#define X86_TLB_H

#include <hyp/types.h>

#define X86_FLUSH_NONE	0
#define X86_FLUSH_VMID	1	/* this VMID's translations (ASID / EPTP) */
#define X86_FLUSH_ALL	2	/* every VMID's */

int x86_tlb_flush_owed(u32 vmid);

/* The backends' VM-entry side (tlb_entry.c, through x86/tlbinsn.h). */
struct x86_cpu;
u64 x86_eptp_of(paddr_t root);
void x86_tlb_cpu_on(struct x86_cpu *cpu);
void svm_tlb_enter(u8 *vmcb);
void svm_tlb_vcpu_load(void);
void vmx_tlb_enter(void);
void vmx_tlb_vcpu_load(u16 vpid);
void x86_shootdown_nmi(void);
/* Log every CPU's shootdown counters (NMIs sent, acks waited, flushes done). */
void x86_tlb_report(void);

#endif
