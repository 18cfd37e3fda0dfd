/* SPDX-License-Identifier: GPL-2.0 */
/* What this CPU implements, read from the ID registers once at boot. */
#ifndef ARM64_CPUFEATURE_H
#define ARM64_CPUFEATURE_H

#include <hyp/types.h>

struct cpu_features {
	unsigned int pa_bits;		/* ID_AA64MMFR0.PARange decoded */
	unsigned int parange;		/* raw field */
	unsigned int vmid_bits;		/* 8 or 16 */
	bool vhe;
	bool fwb;
	bool ttl;			/* TLBI level hints (FEAT_TTL) */
	bool tlbi_range;		/* FEAT_TLBIRANGE */
	bool gicv3_sysregs;
	unsigned int ich_lrs;		/* list registers (0 if no GICv3 sysregs) */
};

extern struct cpu_features cpu_features;

/* Read the ID registers of the calling CPU into cpu_features. */
void cpu_features_init(void);

/*
 * arch_banner() - print what the hypervisor will rely on later: VMID bits,
 * FEAT_TLBIRANGE, VHE, FWB, GIC version and list registers, PA size, EL.
 * Called by the core from hyp_init() (declared in hyp/arch.h too).
 */
void arch_banner(void);

#endif
