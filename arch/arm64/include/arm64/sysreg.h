/* SPDX-License-Identifier: GPL-2.0 */
/*
 * System register access, barriers and the bit fields of the registers the
 * arm64 bring-up programs. Usable from C only.
 */
#ifndef ARM64_SYSREG_H
#define ARM64_SYSREG_H

#include <hyp/types.h>

#define read_sysreg(r) ({						\
	u64 __v;							\
	__asm__ __volatile__("mrs %0, " #r : "=r"(__v));		\
	__v; })

#define write_sysreg(r, v) do {						\
	u64 __wv = (u64)(v);						\
	__asm__ __volatile__("msr " #r ", %0" : : "r"(__wv));		\
} while (0)

#define isb()		__asm__ __volatile__("isb" ::: "memory")
#define dsb(opt)	__asm__ __volatile__("dsb " #opt ::: "memory")
#define dmb(opt)	__asm__ __volatile__("dmb " #opt ::: "memory")

/* Extract the 4-bit ID register field at bit 'shift'. */
static inline unsigned int id_field(u64 reg, unsigned int shift)
{
	return (unsigned int)((reg >> shift) & 0xf);
}

/* ID_AA64MMFR0_EL1 */
#define MMFR0_PARANGE_SHIFT	0
/* ID_AA64MMFR1_EL1 */
#define MMFR1_VMIDBITS_SHIFT	4	/* 0: 8 bits, 2: 16 bits */
#define MMFR1_VH_SHIFT		8
/* ID_AA64MMFR2_EL1 */
#define MMFR2_TTL_SHIFT		48
#define MMFR2_FWB_SHIFT		40
/* ID_AA64ISAR0_EL1 */
#define ISAR0_TLB_SHIFT		56	/* 1: TLBI outer shareable, 2: + range */
/* ID_AA64PFR0_EL1 */
#define PFR0_GIC_SHIFT		24	/* 1: GICv3/v4 system registers */

/* HCR_EL2 */
#define HCR_VM		BIT(0)
#define HCR_TGE		BIT(27)	/* unused: nVHE (the simulation refuses it, A10) */
#define HCR_RW		BIT(31)
#define HCR_E2H		BIT(34)	/* unused: nVHE (the simulation refuses it, A10) */

/* VTCR_EL2 */
#define VTCR_RES1	BIT(31)
#define VTCR_VS		BIT(19)

#define CURRENTEL_EL(v)	(((v) >> 2) & 3)

#endif
