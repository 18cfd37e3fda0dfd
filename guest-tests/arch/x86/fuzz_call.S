/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fuzzing guest's call on x86 (guest-tests/arch/x86/fuzz_arch.c): every
 * general register but RSP loaded from regs[] before VMMCALL (insn 0) or
 * VMCALL (insn 1), and stored back after it, so the caller can check that
 * the hypervisor changed only RAX RBX RCX RDX (doc/hypercalls.md, x86).
 *	void fuzz_regs(u64 regs[15], u64 insn)
 * regs: RAX RBX RCX RDX RSI RDI RBP R8 R9 R10 R11 R12 R13 R14 R15.
 */
	.text
	.globl fuzz_regs
fuzz_regs:
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	push	%rdi			/* regs */
	test	%rsi, %rsi		/* MOVs keep the flags */
	mov	0(%rdi), %rax
	mov	8(%rdi), %rbx
	mov	16(%rdi), %rcx
	mov	24(%rdi), %rdx
	mov	32(%rdi), %rsi
	mov	48(%rdi), %rbp
	mov	56(%rdi), %r8
	mov	64(%rdi), %r9
	mov	72(%rdi), %r10
	mov	80(%rdi), %r11
	mov	88(%rdi), %r12
	mov	96(%rdi), %r13
	mov	104(%rdi), %r14
	mov	112(%rdi), %r15
	mov	40(%rdi), %rdi
	jnz	1f
	vmmcall
	jmp	2f
1:	vmcall
2:	xchg	%rdi, (%rsp)		/* regs back, the call's RDI on the stack */
	mov	%rax, 0(%rdi)
	mov	%rbx, 8(%rdi)
	mov	%rcx, 16(%rdi)
	mov	%rdx, 24(%rdi)
	mov	%rsi, 32(%rdi)
	mov	%rbp, 48(%rdi)
	mov	%r8, 56(%rdi)
	mov	%r9, 64(%rdi)
	mov	%r10, 72(%rdi)
	mov	%r11, 80(%rdi)
	mov	%r12, 88(%rdi)
	mov	%r13, 96(%rdi)
	mov	%r14, 104(%rdi)
	mov	%r15, 112(%rdi)
	pop	%rax
	mov	%rax, 40(%rdi)
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	ret

	.section .note.GNU-stack, "", @progbits
