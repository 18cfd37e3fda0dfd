/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry stubs for exception vectors 0-31 and the common save/restore path.
 * Each stub is X86_TRAP_STUB_SIZE bytes so traps.c can compute its address.
 * Vectors without a CPU-pushed error code push a zero to keep one frame
 * layout (struct x86_trap_frame).
 */
#include <x86/layout.h>

#define STUB_SIZE	16	/* X86_TRAP_STUB_SIZE */

	.code64
	.text
	.balign STUB_SIZE
	.globl x86_trap_stubs
x86_trap_stubs:
	vec = 0
	.rept 32
	.balign STUB_SIZE
	/* #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP, #VC, #SX push an error code. */
	.if (vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30)
	.else
	pushq	$0
	.endif
	pushq	$vec
	jmp	trap_common
	vec = vec + 1
	.endr

trap_common:
	push	%rax
	push	%rbx
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%rbp
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, %rdi
	cld
	call	x86_trap
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rbp
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rbx
	pop	%rax
	add	$16, %rsp		/* vector, error code */
	iretq

/*
 * void x86_nmi_unblock(void): IRET to the caller, in place. An NMI that
 * causes a VM exit leaves NMIs blocked in VMX root operation until the next
 * IRET (Intel SDM Vol. 3C, "Other Causes of VM Exits": "An NMI causes
 * subsequent NMIs to be blocked, but only after the VM exit completes");
 * the host takes no interrupt and returns from nothing, so vmx.c ends that
 * blocking here after each NMI exit (doc/x86-virt.md, R7). The frame is the
 * caller's own: same CS and SS, RSP as at the call, RFLAGS unchanged.
 */
	.globl x86_nmi_unblock
x86_nmi_unblock:
	mov	%rsp, %rax
	mov	%ss, %ecx
	push	%rcx			/* SS */
	push	%rax			/* RSP: at the return address */
	pushfq
	mov	%cs, %ecx
	push	%rcx			/* CS */
	lea	1f(%rip), %rcx
	push	%rcx			/* RIP */
	iretq
1:	ret
