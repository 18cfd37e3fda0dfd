/* SPDX-License-Identifier: GPL-2.0 */
/*
 * First 64-bit instructions of the boot CPU (from boot32.S) and of every AP
 * (from trampoline.S): flat data segments, a stack, a zero frame pointer
 * (ends the backtrace), then C.
 */
#include <x86/layout.h>

	.code64
	.text
	.globl start64
start64:
	mov	$GDT_DS, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	xor	%eax, %eax
	mov	%ax, %fs
	mov	%ax, %gs
	movabs	$(hyp_stacks + HYP_STACK_SIZE), %rsp
	xor	%ebp, %ebp
	call	x86_boot_main
	ud2

	.globl ap_start64
ap_start64:
	mov	$GDT_DS, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	xor	%eax, %eax
	mov	%ax, %fs
	mov	%ax, %gs
	cmpl	$0, ap_broadcast(%rip)
	jne	1f
	/* One AP at a time: the boot CPU filled the mailbox before the SIPI (smp.c). */
	mov	ap_boot_stack(%rip), %rsp
	mov	ap_boot_cpu(%rip), %edi
	jmp	2f
1:	/* Broadcast start (no MADT): claim the next logical index and its stack. */
	mov	$1, %edi
	lock xadd %edi, ap_next_cpu(%rip)
	cmp	ap_cpu_limit(%rip), %edi
	jae	3f
	lea	1(%rdi), %eax
	imul	$HYP_STACK_SIZE, %rax
	movabs	$hyp_stacks, %rsp
	add	%rax, %rsp		/* top of hyp_stacks[cpu] */
2:	xor	%ebp, %ebp
	call	x86_ap_main
	ud2
3:	/* More CPUs than HYP_MAX_CPUS: park this one for good. */
	cli
	hlt
	jmp	3b
