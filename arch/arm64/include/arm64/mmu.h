/* SPDX-License-Identifier: GPL-2.0 */
/*
 * EL2 stage-1 translation: an identity map (VA == PA) of RAM and of the
 * device regions named by the DTB, built once by the boot CPU with its MMU
 * off and then shared, read-only, by every CPU.
 */
#ifndef ARM64_MMU_H
#define ARM64_MMU_H

#include <hyp/types.h>

#ifndef __ASSEMBLY__

/* Register values every CPU loads before turning its MMU on. */
struct mmu_boot_cfg {
	u64 ttbr;	/* offset 0 (head.S) */
	u64 tcr;	/* offset 8 */
	u64 mair;	/* offset 16 */
};

extern struct mmu_boot_cfg mmu_boot_cfg;

/**
 * mmu_build() - build the EL2 identity map from the parsed platform.
 *
 * Runs on the boot CPU with the MMU off. Fills mmu_boot_cfg and cleans it to
 * the point of coherency so that secondaries can read it with their MMU off.
 * Returns 0 or a negative E_* code (page-table pool exhausted, overlap).
 */
int mmu_build(void);

/* head.S: load MAIR/TCR/TTBR0_EL2 from cfg, invalidate, set SCTLR_EL2.M/C/I. */
void arm64_mmu_enable(const struct mmu_boot_cfg *cfg);

/* head.S: boot CPU, MMU off: drop cached copies of the image (see there). */
void arm64_inval_image_dcache(void);

/* Number of page-table pages mmu_build() used (boot log). */
unsigned int mmu_tables_used(void);


#endif
#endif
