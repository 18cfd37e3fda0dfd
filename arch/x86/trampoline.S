/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AP start-up code. smp.c copies [trampoline_start, trampoline_end) to
 * TRAMPOLINE_BASE; a SIPI with vector TRAMPOLINE_SIPI_VECTOR starts the AP
 * here in real mode with CS = TRAMPOLINE_BASE >> 4, IP = 0.
 *
 * It goes straight from real mode to long mode (PAE + LME + CR3, then
 * CR0.PE|PG in one write, then a far jump to a 64-bit code segment), which
 * the architecture allows and both QEMU and bochs implement; the boot page
 * tables identity-map the trampoline, so no 32-bit step is needed.
 * Everything here must be position-independent except absolute addresses
 * of the main image (which does not move).
 */
#include <x86/layout.h>

#define CR0_PE		(1 << 0)
#define CR0_PG		(1 << 31)
#define CR4_PAE		(1 << 5)
#define EFER_LME	(1 << 8)
#define MSR_EFER	0xc0000080
#define TRAMP(x)	(TRAMPOLINE_BASE + (x) - trampoline_start)

	.section .rodata.trampoline, "a"
	.code16
	.globl trampoline_start
trampoline_start:
	cli
	cld
	mov	%cs, %ax
	mov	%ax, %ds
	lgdtl	(tramp_gdt_ptr - trampoline_start)

	mov	%cr4, %eax
	or	$CR4_PAE, %eax
	mov	%eax, %cr4
	movl	$boot_pml4, %eax
	mov	%eax, %cr3
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_LME, %eax
	wrmsr
	mov	%cr0, %eax
	or	$(CR0_PG | CR0_PE), %eax
	mov	%eax, %cr0
	ljmpl	$GDT_CS64, $TRAMP(tramp64)

	.code64
tramp64:
	/* Absolute jump into the image: the trampoline itself was copied. */
	movabs	$ap_start64, %rax
	jmp	*%rax

	.balign 8
tramp_gdt_ptr:
	.word	4 * 8 - 1		/* null, CS32, CS64, DS of boot_gdt */
	.long	boot_gdt
	.globl trampoline_end
trampoline_end:
