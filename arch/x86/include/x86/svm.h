/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AMD SVM: VMCB layout (AMD APM Vol. 2, Appendix B), exit codes, and the
 * SVM backend's entry points (svm.c, svm_entry.S). The VMCB is one page,
 * accessed by offset (control area 0x000, state save area 0x400).
 */
#ifndef X86_SVM_H
#define X86_SVM_H

#include <hyp/types.h>

/* Control area */
#define VMCB_INTERCEPT_CR	0x000	/* u32: reads 15:0, writes 31:16 */
#define VMCB_INTERCEPT_EXC	0x008	/* u32: exception vectors */
#define VMCB_INTERCEPT_1	0x00c	/* u32 */
#define VMCB_INTERCEPT_2	0x010	/* u32 */
#define VMCB_IOPM_PA		0x040
#define VMCB_MSRPM_PA		0x048
#define VMCB_TSC_OFFSET		0x050
#define VMCB_ASID		0x058	/* u32 */
#define VMCB_TLB_CONTROL	0x05c	/* u8 */
#define VMCB_VINTR		0x060
#define VMCB_INT_SHADOW		0x068
#define VMCB_EXITCODE		0x070
#define VMCB_EXITINFO1		0x078
#define VMCB_EXITINFO2		0x080
#define VMCB_EXITINTINFO	0x088
#define VMCB_NP_CTL		0x090	/* bit 0: nested paging */
#define VMCB_EVENTINJ		0x0a8
#define VMCB_NCR3		0x0b0
#define VMCB_CLEAN		0x0c0	/* u32 */
#define VMCB_NRIP		0x0c8
/* State save area: segments are { u16 sel, u16 attrib, u32 limit, u64 base } */
#define VMCB_ES			0x400
#define VMCB_CS			0x410
#define VMCB_SS			0x420
#define VMCB_DS			0x430
#define VMCB_FS			0x440
#define VMCB_GS			0x450
#define VMCB_GDTR		0x460
#define VMCB_LDTR		0x470
#define VMCB_IDTR		0x480
#define VMCB_TR			0x490
#define VMCB_CPL		0x4cb	/* u8 */
#define VMCB_EFER		0x4d0
#define VMCB_CR4		0x548
#define VMCB_CR3		0x550
#define VMCB_CR0		0x558
#define VMCB_DR7		0x560
#define VMCB_DR6		0x568
#define VMCB_RFLAGS		0x570
#define VMCB_RIP		0x578
#define VMCB_RSP		0x5d8
#define VMCB_RAX		0x5f8
#define VMCB_CR2		0x640
#define VMCB_G_PAT		0x668

/* VMCB_INTERCEPT_1 */
#define SVM_INT1_INTR		BIT(0)
#define SVM_INT1_NMI		BIT(1)
#define SVM_INT1_INIT		BIT(3)
#define SVM_INT1_CPUID		BIT(18)
#define SVM_INT1_INVD		BIT(22)
#define SVM_INT1_HLT		BIT(24)
#define SVM_INT1_INVLPGA	BIT(26)
#define SVM_INT1_IOIO		BIT(27)
#define SVM_INT1_MSR		BIT(28)
#define SVM_INT1_TASK_SWITCH	BIT(29)
#define SVM_INT1_SHUTDOWN	BIT(31)
/* VMCB_INTERCEPT_2: every SVM instruction, so a guest cannot use SVM */
#define SVM_INT2_VMRUN		BIT(0)
#define SVM_INT2_VMMCALL	BIT(1)
#define SVM_INT2_SVM_INSNS	0x7eU	/* VMMCALL VMLOAD VMSAVE STGI CLGI SKINIT */
#define SVM_INT2_XSETBV		BIT(13)

#define SVM_VINTR_MASKING	BIT(24)	/* physical IF is the host's */

#define SVM_TLB_NONE		0
#define SVM_TLB_ALL		1	/* every ASID */
#define SVM_TLB_ASID		3	/* this guest's ASID (flush-by-ASID) */

/* Exit codes */
#define SVM_EXIT_EXCP_BASE	0x040
#define SVM_EXIT_INTR		0x060
#define SVM_EXIT_NMI		0x061
#define SVM_EXIT_INIT		0x063
#define SVM_EXIT_CPUID		0x072
#define SVM_EXIT_HLT		0x078
#define SVM_EXIT_IOIO		0x07b
#define SVM_EXIT_MSR		0x07c
#define SVM_EXIT_SHUTDOWN	0x07f
#define SVM_EXIT_VMRUN		0x080
#define SVM_EXIT_VMMCALL	0x081
#define SVM_EXIT_NPF		0x400
#define SVM_EXIT_INVALID	(~0ULL)

/* EVENTINJ */
#define SVM_EVT_VALID		BIT(31)
#define SVM_EVT_ERR		BIT(11)
#define SVM_EVT_EXCEPTION	(3U << 8)

#define MSR_VM_HSAVE_PA		0xc0010117
#define EFER_SVME		BIT(12)

struct x86_gprs;

/*
 * svm_entry.S: VMSAVE host state to @host_pa, VMLOAD/VMRUN/VMSAVE the guest
 * at @vmcb_pa with the GPRs in @g (RAX lives in the VMCB), VMLOAD the host
 * state, STGI. Called with GIF clear (CLGI) and interrupts masked.
 */
void svm_vmrun(struct x86_gprs *g, u64 vmcb_pa, u64 host_pa);

#endif
