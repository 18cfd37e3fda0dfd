/* SPDX-License-Identifier: GPL-2.0 */
/*
 * svm_vmrun(struct x86_gprs *g, u64 vmcb_pa, u64 host_pa): one guest run.
 * Entered with GIF clear (svm.c did CLGI) and IF clear. The host's FS/GS/
 * TR/LDTR hidden state and syscall MSRs are not in the host save area that
 * VMRUN uses, so they are VMSAVEd to a per-CPU page and VMLOADed back: a
 * guest that loads GS cannot break the hypervisor's per-CPU pointer.
 * Offsets: struct x86_gprs, 8 bytes per register in x86 numbering.
 */
#define G(n)	(8 * (n))

	.code64
	.text
	.globl svm_vmrun
svm_vmrun:
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	push	%rdx			/* host_pa */
	push	%rdi			/* g */
	mov	%rdx, %rax
	vmsave
	mov	%rsi, %rax		/* VMCB; RAX is restored to it at #VMEXIT */
	mov	G(1)(%rdi), %rcx
	mov	G(2)(%rdi), %rdx
	mov	G(3)(%rdi), %rbx
	mov	G(5)(%rdi), %rbp
	mov	G(6)(%rdi), %rsi
	mov	G(8)(%rdi), %r8
	mov	G(9)(%rdi), %r9
	mov	G(10)(%rdi), %r10
	mov	G(11)(%rdi), %r11
	mov	G(12)(%rdi), %r12
	mov	G(13)(%rdi), %r13
	mov	G(14)(%rdi), %r14
	mov	G(15)(%rdi), %r15
	mov	G(7)(%rdi), %rdi
	vmload
	vmrun
	vmsave
	push	%rdi
	mov	8(%rsp), %rdi		/* g */
	mov	%rcx, G(1)(%rdi)
	mov	%rdx, G(2)(%rdi)
	mov	%rbx, G(3)(%rdi)
	mov	%rbp, G(5)(%rdi)
	mov	%rsi, G(6)(%rdi)
	mov	%r8, G(8)(%rdi)
	mov	%r9, G(9)(%rdi)
	mov	%r10, G(10)(%rdi)
	mov	%r11, G(11)(%rdi)
	mov	%r12, G(12)(%rdi)
	mov	%r13, G(13)(%rdi)
	mov	%r14, G(14)(%rdi)
	mov	%r15, G(15)(%rdi)
	popq	G(7)(%rdi)		/* the guest's RDI */
	pop	%rdi
	pop	%rax			/* host_pa */
	vmload
	stgi
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	ret
