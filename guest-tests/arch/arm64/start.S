/* SPDX-License-Identifier: GPL-2.0 */
/* Guest entry (EL1h, MMU off until arch_early_init), secondaries' entry, EL1 vectors. */
#define STACK_SIZE 16384

	.section .text.entry, "ax"
	.globl _start
_start:					/* vCPU 0: x0 = guest DTB (or 0) */
	msr	daifset, #0xf
	adr	x1, vectors
	msr	vbar_el1, x1
	isb
	/* zero .bss (8-byte aligned in the linker script) */
	adr	x1, __bss_start
	adr	x2, __bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	mov	x19, #0
	b	common

	.globl secondary_entry
secondary_entry:			/* PSCI CPU_ON: x0 = context = cpu index */
	msr	daifset, #0xf
	adr	x1, vectors
	msr	vbar_el1, x1
	isb
	mov	x19, #1
common:
	mrs	x1, mpidr_el1
	and	x1, x1, #0xff
	adr	x2, stacks
	add	x1, x1, #1
	mov	x3, #STACK_SIZE
	madd	x2, x1, x3, x2		/* stacks + (cpu + 1) * STACK_SIZE */
	mov	sp, x2
	cbnz	x19, 3f
	mov	x20, x0			/* the DTB */
	bl	arch_early_init		/* platform, stage-1 map, MMU on (mmu.c) */
	mov	x0, x20
	bl	guest_main
	b	.
3:	bl	arch_secondary_init	/* MMU on with vCPU 0's tables */
	bl	secondary_main
	b	.

	.text
	.balign 2048
vectors:
	.irp i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.balign 128
	sub	sp, sp, #272
	stp	x0, x1, [sp, #0]
	mov	x1, #\i
	b	vec_common
	.endr

vec_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x29, x30, [sp, #160]
	mov	x0, sp
	bl	guest_exception		/* (regs, vector) */
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x29, x30, [sp, #160]
	add	sp, sp, #272
	eret

	.globl hyp_call
hyp_call:				/* x8 = result struct (AAPCS64 indirect) */
	hvc	#0
	stp	x0, x1, [x8]
	stp	x2, x3, [x8, #16]
	ret

	/* hyp_call's shape without the HVC: the guest's own share of a round trip (bench.c). */
	.globl null_call
null_call:
	stp	x0, x1, [x8]
	stp	x2, x3, [x8, #16]
	ret

	.globl smc_call
smc_call:
	smc	#0
	stp	x0, x1, [x8]
	stp	x2, x3, [x8, #16]
	ret

	.bss
	.balign 16
stacks:
	.space	STACK_SIZE * 9
