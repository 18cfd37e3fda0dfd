/* SPDX-License-Identifier: GPL-2.0 */
/*
 * int vmx_run(struct x86_gprs *g, int launched): enter the guest whose VMCS
 * is current with the GPRs in @g (RSP/RIP live in the VMCS), VMLAUNCH or
 * VMRESUME. Returns 0 after a VM exit (guest GPRs saved to @g), 1 if the
 * VM entry instruction itself failed (VM-instruction error in the VMCS).
 * HOST_RSP is written here, HOST_RIP = vmx_exit (vmx.c).
 */
#define G(n)		(8 * (n))
#define HOST_RSP	0x6c14

	.code64
	.text
	.globl vmx_run
vmx_run:
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	push	%rdi			/* g, at 0(%rsp) while the guest runs */
	mov	$HOST_RSP, %eax
	vmwrite	%rsp, %rax
	test	%esi, %esi
	mov	G(0)(%rdi), %rax
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
	mov	G(7)(%rdi), %rdi	/* flags from the test survive the MOVs */
	jnz	1f
	vmlaunch
	jmp	2f
1:	vmresume
2:	/* entry failed: the guest never ran */
	pop	%rdi
	mov	$1, %eax
	jmp	3f

	.globl vmx_exit
vmx_exit:
	push	%rdi
	mov	8(%rsp), %rdi		/* g */
	mov	%rax, G(0)(%rdi)
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
	popq	G(7)(%rdi)
	pop	%rdi
	xor	%eax, %eax
3:	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	ret
