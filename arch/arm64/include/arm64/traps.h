/* SPDX-License-Identifier: GPL-2.0 */
/* Exception frames saved by vectors.S and the C handler. */
#ifndef ARM64_TRAPS_H
#define ARM64_TRAPS_H

#define TF_X0		0
#define TF_SP		248
#define TF_ELR		256
#define TF_SPSR		264
#define TF_ESR		272
#define TF_FAR		280
#define TF_SIZE		288	/* multiple of 16: SP alignment */

/* Or-ed into the vector number when SP had overflowed into its guard. */
#define VECTOR_OVERFLOW_BIT	8
#define VECTOR_OVERFLOW		(1 << VECTOR_OVERFLOW_BIT)

#ifndef __ASSEMBLY__
#include <hyp/types.h>

struct trap_frame {
	u64 x[31];
	u64 sp;		/* SP at the time of the exception (current EL) */
	u64 elr;
	u64 spsr;
	u64 esr;
	u64 far;
};

/*
 * vectors.S: vector = 4 * source + kind (kind: 0 sync, 1 IRQ, 2 FIQ, 3 SError),
 * plus VECTOR_OVERFLOW if the handler runs on the overflow stack.
 */
void arm64_handle_exception(struct trap_frame *tf, unsigned int vector);

/* Decode and print an ESR value (EC name and the ISS fields that matter). */
void esr_dump(u64 esr, u64 far);

/* Frame-pointer walk starting at (fp, pc) and print it. */
void backtrace_from(u64 fp, u64 pc);

extern char hyp_vectors[];
#endif
#endif
