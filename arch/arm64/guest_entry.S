/* SPDX-License-Identifier: GPL-2.0 */
/* Entering a guest and leaving it for good (arm64/vcpu.h). */
#include <arm64/vcpu.h>

	.text
/* u64 __guest_enter(struct arm64_vcpu_ctx *ctx): returns __guest_leave's reason. */
	.globl __guest_enter
__guest_enter:
	stp	x19, x20, [x0, #VC_HOST + 0]
	stp	x21, x22, [x0, #VC_HOST + 16]
	stp	x23, x24, [x0, #VC_HOST + 32]
	stp	x25, x26, [x0, #VC_HOST + 48]
	stp	x27, x28, [x0, #VC_HOST + 64]
	stp	x29, x30, [x0, #VC_HOST + 80]
	mov	x1, sp
	str	x1, [x0, #VC_HOST + 96]
	/* Guest exits push their trap frame below this SP (SP_EL2). */
	ldp	x1, x2, [x0, #VC_PC]
	msr	elr_el2, x1
	msr	spsr_el2, x2
	ldp	x2, x3, [x0, #VC_X + 16]
	ldp	x4, x5, [x0, #VC_X + 32]
	ldp	x6, x7, [x0, #VC_X + 48]
	ldp	x8, x9, [x0, #VC_X + 64]
	ldp	x10, x11, [x0, #VC_X + 80]
	ldp	x12, x13, [x0, #VC_X + 96]
	ldp	x14, x15, [x0, #VC_X + 112]
	ldp	x16, x17, [x0, #VC_X + 128]
	ldp	x18, x19, [x0, #VC_X + 144]
	ldp	x20, x21, [x0, #VC_X + 160]
	ldp	x22, x23, [x0, #VC_X + 176]
	ldp	x24, x25, [x0, #VC_X + 192]
	ldp	x26, x27, [x0, #VC_X + 208]
	ldp	x28, x29, [x0, #VC_X + 224]
	ldr	x30, [x0, #VC_X + 240]
	ldp	x0, x1, [x0, #VC_X + 0]
	eret

/* void __guest_leave(ctx, reason): back to __guest_enter's caller. */
	.globl __guest_leave
__guest_leave:
	ldp	x19, x20, [x0, #VC_HOST + 0]
	ldp	x21, x22, [x0, #VC_HOST + 16]
	ldp	x23, x24, [x0, #VC_HOST + 32]
	ldp	x25, x26, [x0, #VC_HOST + 48]
	ldp	x27, x28, [x0, #VC_HOST + 64]
	ldp	x29, x30, [x0, #VC_HOST + 80]
	ldr	x2, [x0, #VC_HOST + 96]
	mov	sp, x2
	mov	x0, x1
	ret
