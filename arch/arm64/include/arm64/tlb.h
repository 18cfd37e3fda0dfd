/* SPDX-License-Identifier: GPL-2.0 */
/* arm64 side of the stage-2 TLB interface (the rest is in hyp/arch.h). */
#ifndef ARM64_TLB_H
#define ARM64_TLB_H

/* Execute every stage-2 TLB operation once at boot; panics on a mismatch. */
void tlb_boot_check(void);

#endif
