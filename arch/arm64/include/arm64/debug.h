/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A vCPU's self-hosted debug state (arch/arm64/debug.c,
 * doc/guest-fidelity.md "Debug registers").
 */
#ifndef ARM64_DEBUG_H
#define ARM64_DEBUG_H

#include <hyp/types.h>

#define ARM64_DBG_MAX	16	/* breakpoints / watchpoints: ID_AA64DFR0 BRPs, WRPs + 1 */

struct arm64_debug {
	u64 bvr[ARM64_DBG_MAX], bcr[ARM64_DBG_MAX], wvr[ARM64_DBG_MAX], wcr[ARM64_DBG_MAX];
	u64 mdscr;		/* as the hardware keeps it, plus HDE (never written to it) */
	u64 oslk;		/* OSLSR_EL1.OSLK: 1 after reset */
	u64 osdlr, dbgprcr, claim, mdccint, oseccr;	/* kept here only */
	int loaded_on;		/* the CPU whose registers hold this state, or -1 */
};

/* MDCR_EL2 bits while a guest runs: every debug register access traps. */
u64 arm64_debug_mdcr(void);
/* The architectural reset state (vCPU start: PSCI CPU_ON, VM (re)creation). */
void arm64_debug_reset(struct arm64_debug *d);
/* Before entering the guest: this CPU's debug registers hold @d's state. */
void arm64_debug_load(struct arm64_debug *d);
/*
 * A trapped MSR/MRS (ESR_EL2.ISS @iss) of a debug register (op0 = 2): a
 * read returns the value in *val, a write takes it from *val.
 * Return: 0 done, -E_NOENT not a register emulated here (UNDEFINED).
 */
int arm64_debug_sysreg(struct arm64_debug *d, u64 iss, u64 *val);

#endif
