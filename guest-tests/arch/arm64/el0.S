/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Run code at EL0 and come back from the exception it takes
 * (guest_arch.h el0_run(), el0_back(); tests_aarch32.c).
 */
	.text
	/* u64 el0_run(struct el0_ctx *ctx, u64 pc, u64 spsr, u64 r0, u64 r4) */
	.globl el0_run
el0_run:
	stp	x19, x20, [x0, #0]
	stp	x21, x22, [x0, #16]
	stp	x23, x24, [x0, #32]
	stp	x25, x26, [x0, #48]
	stp	x27, x28, [x0, #64]
	stp	x29, x30, [x0, #80]
	mov	x9, sp
	mrs	x10, daif
	stp	x9, x10, [x0, #96]
	msr	daifset, #0xf
	msr	elr_el1, x1
	msr	spsr_el1, x2
	mov	x0, x3
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	isb
	eret

	/* noreturn el0_back(struct el0_ctx *ctx, u64 ret): el0_run() returns ret */
	.globl el0_back
el0_back:
	ldp	x19, x20, [x0, #0]
	ldp	x21, x22, [x0, #16]
	ldp	x23, x24, [x0, #32]
	ldp	x25, x26, [x0, #48]
	ldp	x27, x28, [x0, #64]
	ldp	x29, x30, [x0, #80]
	ldp	x9, x10, [x0, #96]
	mov	sp, x9
	msr	daif, x10
	mov	x0, x1
	ret
