/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's view of the ID registers (arch/arm64/idregs.c,
 * doc/guest-fidelity.md).
 */
#ifndef ARM64_IDREGS_H
#define ARM64_IDREGS_H

#include <hyp/types.h>

/*
 * Value a guest reads from the ID register op0=3 op1=0 CRn=0 CRm=@crm
 * op2=@op2 (CRm 1..7, trapped by HCR_EL2.TID3): the host's, sanitized.
 */
u64 arm64_guest_idreg(unsigned int crm, unsigned int op2);

#endif
