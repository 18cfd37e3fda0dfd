/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The instruction layer of x86 stage-2 TLB maintenance: every instruction
 * (or VMCB / VMCS field write) through which arch/x86 talks to the TLBs or
 * to what their entries are tagged with, one inline function each, with the
 * operand exactly as the instruction takes it:
 *   INVEPT type + descriptor (EPTP), INVVPID type + descriptor (VPID),
 *   the VMCS EPTP field (VMX), the VMCB ASID / nCR3 / TLB_CONTROL fields
 *   (SVM; acted on at the next VMRUN of that VMCB), CLGI (holds the
 *   shootdown NMI off until VMRUN).
 * In the hypervisor each is the instruction; in the host simulation
 * (ARCH=sim compiles arch/x86/tlb.c and tlb_entry.c with X86_INSN_MODEL)
 * each calls the architectural model in arch/sim/sim_x86.c
 * (doc/simulation.md, "The x86 instruction model", X1-X11). The shootdown
 * NMI is lapic_send_ipi() (x86/apic.h), which the model also provides.
 * tlb.c, tlb_entry.c, svm.c and vmx.c reach the TLBs no other way.
 */
#ifndef X86_TLBINSN_H
#define X86_TLBINSN_H

#include <hyp/types.h>

#define INVEPT_SINGLE		1	/* SDM INVEPT: single-context (the EPTP's EP4TA) */
#define INVEPT_ALL		2	/* all-context */
#define INVVPID_SINGLE		1	/* SDM INVVPID: single-context (one VPID) */
#define INVVPID_ALL		2	/* all-context (every VPID but 0) */

/* EPTP (SDM "Extended-Page-Table Pointer"): memory type [2:0], walk length - 1 [5:3], A/D [6]. */
#define EPTP_MT_WB		6ULL
#define EPTP_WALK4		(3ULL << 3)
#define EPTP_AD			BIT(6)
#define EPTP_RSVD_LOW		GENMASK(11, 7)

/* VMCB control-area fields (x86/svm.h has the whole layout). */
#define TLBI_VMCB_ASID		0x058	/* u32 */
#define TLBI_VMCB_TLB_CONTROL	0x05c	/* u8 */
#define TLBI_VMCB_NCR3		0x0b0	/* u64 */

#define TLBI_VMCS_EPT_POINTER	0x201a

#ifdef X86_INSN_MODEL
/* arch/sim/sim_x86.c */
void x86_model_invept(u64 type, u64 eptp);
void x86_model_invvpid(u64 type, u16 vpid);
void x86_model_vmcb_write(u8 *vmcb, unsigned int off, u64 v, unsigned int size);
void x86_model_vmwrite_eptp(u64 eptp);
void x86_model_clgi(void);

static inline void invept(u64 type, u64 eptp)		{ x86_model_invept(type, eptp); }
static inline void invvpid(u64 type, u16 vpid)		{ x86_model_invvpid(type, vpid); }
static inline void vmcs_write_eptp(u64 eptp)		{ x86_model_vmwrite_eptp(eptp); }
static inline void svm_clgi(void)			{ x86_model_clgi(); }
static inline void vmcb_write_asid(u8 *vmcb, u32 asid)
{
	x86_model_vmcb_write(vmcb, TLBI_VMCB_ASID, asid, 4);
}
static inline void vmcb_write_ncr3(u8 *vmcb, u64 ncr3)
{
	x86_model_vmcb_write(vmcb, TLBI_VMCB_NCR3, ncr3, 8);
}
static inline void vmcb_write_tlb_control(u8 *vmcb, u8 v)
{
	x86_model_vmcb_write(vmcb, TLBI_VMCB_TLB_CONTROL, v, 1);
}
#else
/* INVEPT r64, m128: descriptor { EPTP, 0 }; failure (VMfail) is not checked. */
static inline void invept(u64 type, u64 eptp)
{
	struct { u64 eptp, rsvd; } d = { eptp, 0 };

	__asm__ __volatile__("invept %0, %1" : : "m"(d), "r"(type) : "cc", "memory");
}

/* INVVPID r64, m128: descriptor { VPID[15:0], linear address }. */
static inline void invvpid(u64 type, u16 vpid)
{
	struct { u64 vpid, addr; } d = { vpid, 0 };

	__asm__ __volatile__("invvpid %0, %1" : : "m"(d), "r"(type) : "cc", "memory");
}

/* VMWRITE of the current VMCS's EPT pointer (used from the next VM entry). */
static inline void vmcs_write_eptp(u64 eptp)
{
	u64 field = TLBI_VMCS_EPT_POINTER;

	__asm__ __volatile__("vmwrite %1, %0" : : "r"(field), "rm"(eptp) : "cc", "memory");
}

static inline void svm_clgi(void)
{
	__asm__ __volatile__("clgi" ::: "memory");
}

/* VMCB fields: plain stores, read by the CPU at the next VMRUN of this VMCB. */
static inline void vmcb_write_asid(u8 *vmcb, u32 asid)
{
	*(volatile u32 *)(vmcb + TLBI_VMCB_ASID) = asid;
}

static inline void vmcb_write_ncr3(u8 *vmcb, u64 ncr3)
{
	*(volatile u64 *)(vmcb + TLBI_VMCB_NCR3) = ncr3;
}

static inline void vmcb_write_tlb_control(u8 *vmcb, u8 v)
{
	*(volatile u8 *)(vmcb + TLBI_VMCB_TLB_CONTROL) = v;
}
#endif

#endif
