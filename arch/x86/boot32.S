/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Boot CPU entry from a multiboot loader: 32-bit protected mode, paging off,
 * EAX = magic, EBX = physical address of the multiboot information.
 * Zero .bss, build identity page tables for the first IDMAP_GIB GiB with
 * 2 MiB pages, enable long mode and jump to 64-bit code (entry64.S).
 */
#include <x86/layout.h>

#define CR0_PE		(1 << 0)
#define CR0_PG		(1 << 31)
#define CR4_PAE		(1 << 5)
#define EFER_LME	(1 << 8)
#define MSR_EFER	0xc0000080
#define PTE_P		(1 << 0)
#define PTE_RW		(1 << 1)
#define PTE_PS		(1 << 7)
#define COM1		0x3f8

	.code32
	.section .text.boot32, "ax"
	.globl _start32
_start32:
	cli
	cld
	mov	%eax, %ebp		/* magic; EBX keeps the mbi pointer */

	/* Zero .bss (page tables, stacks, every zero-initialised variable). */
	mov	$__bss_start, %edi
	mov	$__bss_end, %ecx
	sub	%edi, %ecx
	xor	%eax, %eax
	rep stosb

	mov	%ebp, boot_magic
	mov	%ebx, boot_mbi
	mov	$(hyp_stacks + HYP_STACK_SIZE), %esp

	/* Long mode available? CPUID 0x80000001 EDX bit 29. */
	mov	$0x80000000, %eax
	cpuid
	cmp	$0x80000001, %eax
	jb	no_long_mode
	mov	$0x80000001, %eax
	cpuid
	bt	$29, %edx
	jnc	no_long_mode

	/* PML4[0] -> PDPT; PDPT[i] -> PD i; each PD maps 1 GiB with 2 MiB pages. */
	mov	$boot_pdpt, %eax
	or	$(PTE_P | PTE_RW), %eax
	mov	%eax, boot_pml4

	mov	$boot_pd, %eax
	or	$(PTE_P | PTE_RW), %eax
	xor	%ecx, %ecx
1:	mov	%eax, boot_pdpt(, %ecx, 8)
	add	$0x1000, %eax
	inc	%ecx
	cmp	$IDMAP_GIB, %ecx
	jb	1b

	/*
	 * Every page write-back in the page tables; MMIO (LAPIC, PCI hole)
	 * gets UC from the firmware's MTRRs, which win over PAT's WB.
	 */
	mov	$(PTE_P | PTE_RW | PTE_PS), %eax
	xor	%ecx, %ecx
2:	mov	%eax, boot_pd(, %ecx, 8)
	add	$0x200000, %eax
	inc	%ecx
	cmp	$(IDMAP_GIB * 512), %ecx
	jb	2b

	mov	%cr4, %eax
	or	$CR4_PAE, %eax
	mov	%eax, %cr4
	mov	$boot_pml4, %eax
	mov	%eax, %cr3
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_LME, %eax
	wrmsr
	mov	%cr0, %eax
	or	$(CR0_PG | CR0_PE), %eax
	mov	%eax, %cr0

	lgdt	boot_gdt_ptr
	ljmp	$GDT_CS64, $start64

	/* Tell the serial port (8N1, firmware's baud rate) and stop. */
no_long_mode:
	mov	$(COM1 + 3), %dx
	mov	$0x03, %al
	out	%al, %dx
	mov	$no_lm_msg, %esi
	mov	$COM1, %dx
3:	lodsb
	test	%al, %al
	jz	4f
	out	%al, %dx
	jmp	3b
4:	hlt
	jmp	4b

	.section .rodata
no_lm_msg:
	.asciz	"hyp: this CPU has no long mode\r\n"

/*
 * The boot GDT, used by every CPU until it loads its per-CPU GDT (gdt.c).
 * Same selectors as there: flat 32-bit code, 64-bit code, flat data.
 */
	.section .rodata
	.balign 16
	.globl boot_gdt
boot_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* GDT_CS32 */
	.quad	0x00af9a000000ffff	/* GDT_CS64: L=1 */
	.quad	0x00cf92000000ffff	/* GDT_DS */
boot_gdt_end:

	.balign 8
	.globl boot_gdt_ptr
boot_gdt_ptr:
	.word	boot_gdt_end - boot_gdt - 1
	.quad	boot_gdt

	.section .bss
	.balign 4096
	.globl boot_pml4
boot_pml4:
	.skip	4096
boot_pdpt:
	.skip	4096
boot_pd:
	.skip	4096 * IDMAP_GIB
