/* SPDX-License-Identifier: GPL-2.0 */
/* Exception vectors 0-31: IDT set-up and the fatal-exception report
 * (entry stubs in trap_entry.S). */
#ifndef X86_TRAPS_H
#define X86_TRAPS_H

#include <hyp/types.h>

/* What trap_entry.S pushes, lowest address first (matches its push order). */
struct x86_trap_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error;
	/* pushed by the CPU */
	u64 rip, cs, rflags, rsp, ss;
};

#define X86_NR_EXCEPTIONS	32
#define X86_VEC_NMI		2
#define X86_VEC_DF		8
#define X86_VEC_GP		13
#define X86_VEC_PF		14
#define X86_VEC_MC		18

/* Build the IDT (once, on the boot CPU). */
void x86_idt_init(void);
/* Load the IDT into this CPU. */
void x86_idt_load(void);

/* Called by trap_entry.S with interrupts masked. */
void x86_trap(struct x86_trap_frame *f);

/* IRET to the caller: ends the NMI blocking an NMI VM exit leaves (trap_entry.S). */
void x86_nmi_unblock(void);

/* Entry stubs, in trap_entry.S: one per vector, 16 bytes apart. */
extern const u8 x86_trap_stubs[];
#define X86_TRAP_STUB_SIZE	16

/* Set by arch_stop_other_cpus() before it sends the NMI. */
extern bool x86_stopping;

#endif
