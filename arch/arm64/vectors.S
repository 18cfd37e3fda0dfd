/* SPDX-License-Identifier: GPL-2.0 */
/*
 * EL2 exception vectors (VBAR_EL2). Every entry saves the full register
 * state into a struct trap_frame on the current stack and calls
 * arm64_handle_exception(frame, vector). Nothing is expected yet (no
 * guests, interrupts masked), so the handler dumps and panics; if it ever
 * returns, the frame is restored and the exception returns.
 */
#include <arm64/cpu.h>
#include <arm64/traps.h>

.macro ventry idx
	.balign 128
	sub	sp, sp, #TF_SIZE
	.if \idx >= 4 && \idx < 8		/* from EL2 on SP_EL2: check for overflow */
	add	sp, sp, x0			/* sp = sp' + x0 */
	sub	x0, sp, x0			/* x0 = sp' */
	tbz	x0, #STACK_SHIFT, stack_overflow_\idx	/* bit clear: in the guard */
	sub	x0, sp, x0			/* x0 = x0 */
	sub	sp, sp, x0			/* sp = sp' */
	.endif
	stp	x0, x1, [sp, #16 * 0]
	mov	x1, #\idx
	b	vector_common
.endm

/*
 * SP ran into its guard (cpu.h): the frame cannot go there. Restore x0 and
 * SP, park them in TPIDR_EL0/TPIDRRO_EL0 (clobbering them is harmless: the
 * hypervisor is about to panic), move to this CPU's overflow stack and
 * continue as usual; the handler reports the overflow.
 */
.macro overflow idx
stack_overflow_\idx:
	sub	x0, sp, x0			/* x0 = x0 */
	sub	sp, sp, x0			/* sp = sp' (in the guard) */
	msr	tpidr_el0, x0
	mov	x0, sp
	msr	tpidrro_el0, x0
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #ARM64_CPU_OVF_TOP]
	sub	sp, x0, #TF_SIZE
	mrs	x0, tpidr_el0
	stp	x0, x1, [sp, #16 * 0]
	mov	x1, #(\idx | VECTOR_OVERFLOW)
	b	vector_common
.endm

	.text
	.balign 2048
	.globl hyp_vectors
hyp_vectors:
	ventry	0	/* current EL, SP_EL0: sync */
	ventry	1	/* IRQ */
	ventry	2	/* FIQ */
	ventry	3	/* SError */
	ventry	4	/* current EL, SP_EL2: sync */
	ventry	5
	ventry	6
	ventry	7
	ventry	8	/* lower EL, AArch64: sync */
	ventry	9
	ventry	10
	ventry	11
	ventry	12	/* lower EL, AArch32: sync */
	ventry	13
	ventry	14
	ventry	15

vector_common:
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	add	x0, sp, #TF_SIZE		/* SP before the exception */
	tbz	x1, #VECTOR_OVERFLOW_BIT, 1f
	mrs	x0, tpidrro_el0			/* ... unless it overflowed */
	add	x0, x0, #TF_SIZE
1:	stp	x30, x0, [sp, #TF_SP - 8]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [sp, #TF_ELR]
	mrs	x2, esr_el2
	mrs	x3, far_el2
	stp	x2, x3, [sp, #TF_ESR]
	/* Walks stop here; the handler walks the interrupted code from tf->x[29]. */
	mov	x29, xzr
	mov	x0, sp
	bl	arm64_handle_exception
	ldp	x2, x3, [sp, #TF_ELR]
	msr	elr_el2, x2
	msr	spsr_el2, x3
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	ldr	x30, [sp, #TF_SP - 8]
	add	sp, sp, #TF_SIZE
	eret

	overflow 4
	overflow 5
	overflow 6
	overflow 7
