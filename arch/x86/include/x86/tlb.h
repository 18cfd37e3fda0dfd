/* SPDX-License-Identifier: GPL-2.0 */
/* Stage-2 shootdown (tlb.c): what a VM entry owes, and the NMI handler's part. */
#ifndef X86_TLB_H
#define X86_TLB_H

#include <hyp/types.h>

#define X86_FLUSH_NONE	0
#define X86_FLUSH_VMID	1	/* this VMID's translations (ASID / EPTP) */
#define X86_FLUSH_ALL	2	/* every VMID's */

int x86_tlb_flush_owed(u32 vmid);
void x86_shootdown_nmi(void);
/* Log every CPU's shootdown counters (NMIs sent, acks waited, flushes done). */
void x86_tlb_report(void);

#endif
