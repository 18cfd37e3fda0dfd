/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64 guest entry: 64-bit mode, CPL 0, paging on (the hypervisor's
 * identity map), RDI = argument. Loads its own GDT and IDT (the VMCB/VMCS
 * segment state is only a cache), one stack per vCPU, then guest_main (vCPU
 * 0) or secondary_main (CPU_ON: RDI = cpu index). Exception stubs build
 * one frame for guest_exception(frame).
 */
#define STACK_SIZE 16384
#define CPUS 8

	.section .text.entry, "ax"
	.code64
	.globl _start
_start:
	cli
	/* zero .bss (16-byte aligned in the linker script) */
	lea	__bss_start(%rip), %rax
	lea	__bss_end(%rip), %rcx
1:	cmp	%rcx, %rax
	jae	2f
	movq	$0, (%rax)
	add	$8, %rax
	jmp	1b
2:	mov	%rdi, %r12		/* argument (guest DTB: none, 0) */
	xor	%ebx, %ebx		/* cpu 0 */
	jmp	common

	.balign 16
	.globl secondary_entry
secondary_entry:			/* CPU_ON: RDI = context = cpu index */
	cli
	mov	%rdi, %rbx
	mov	%rdi, %r12
common:
	lgdt	gdt_desc(%rip)
	lidt	idt_desc(%rip)
	/* stack: guest_stacks + (cpu + 1) * STACK_SIZE, cpu < CPUS */
	cmp	$CPUS, %rbx
	jae	.
	lea	1(%rbx), %rax
	imul	$STACK_SIZE, %rax
	lea	guest_stacks(%rip), %rsp
	add	%rax, %rsp
	test	%rbx, %rbx
	jnz	6f
	call	idt_setup		/* vCPU 0 fills the IDT all vCPUs share */
6:	/* reload CS (0x08) and the data segments (0x10) from our GDT */
	pushq	$0x08
	lea	3f(%rip), %rax
	push	%rax
	lretq
3:	mov	$0x10, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs
	xor	%ebp, %ebp
	mov	%r12, %rdi
	test	%rbx, %rbx
	jnz	4f
	call	guest_main
	jmp	.
4:	call	secondary_main
	jmp	.

/* IDT: 32 interrupt gates, CS 0x08, to the stubs below (16 bytes apart). */
idt_setup:
	lea	idt(%rip), %rdi
	lea	exc_stubs(%rip), %rsi
	xor	%ecx, %ecx
5:	mov	%rsi, %rax
	movw	%ax, (%rdi)		/* offset 15:0 */
	movw	$0x08, 2(%rdi)		/* selector */
	movw	$0x8e00, 4(%rdi)	/* present, DPL 0, 64-bit interrupt gate */
	shr	$16, %rax
	movw	%ax, 6(%rdi)		/* offset 31:16 */
	shr	$16, %rax
	movl	%eax, 8(%rdi)		/* offset 63:32 */
	movl	$0, 12(%rdi)
	add	$16, %rdi
	add	$16, %rsi
	inc	%ecx
	cmp	$32, %ecx
	jb	5b
	ret

	.balign 16
exc_stubs:
	vec = 0
	.rept 32
	.balign 16
	.if (vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30)
	.else
	pushq	$0
	.endif
	pushq	$vec
	jmp	exc_common
	vec = vec + 1
	.endr

exc_common:
	push	%rax
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	mov	%rsp, %rdi
	cld
	call	guest_exception		/* (frame): may change the saved RIP */
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rax
	add	$16, %rsp		/* vector, error code */
	iretq

	.section .rodata
	.balign 16
gdt:
	.quad	0
	.quad	0x00af9b000000ffff	/* 0x08: 64-bit code, DPL 0 */
	.quad	0x00cf93000000ffff	/* 0x10: data */
gdt_end:
gdt_desc:
	.word	gdt_end - gdt - 1
	.quad	gdt

	.data
	.balign 16
idt_desc:
	.word	32 * 16 - 1
	.quad	idt

	.bss
	.balign 16
idt:
	.space	32 * 16
	.balign 16
	.globl guest_stacks
guest_stacks:
	.space	STACK_SIZE * (CPUS + 1)

	.section .note.GNU-stack,"",@progbits
