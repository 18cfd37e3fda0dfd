// SPDX-License-Identifier: GPL-2.0
/*
 * Stage-1 MMU of the test kernel (doc/guests.md, "Stage 1"): an identity map
 * with a 4 KiB granule and a 39-bit VA (TTBR0_EL1, walks start at level 1):
 *   [0, 1 GiB)                one level-1 block, Device-nGnRE, never executable:
 *                             GIC (0x08000000), PL011 (0x09000000), and
 *                             nothing-mapped IPAs that abort_outside_map reads
 *   [RAM base, + RAM size)    2 MiB level-2 blocks, Normal write-back
 *                             cacheable, inner shareable, RWX at EL1
 *   everything else           unmapped (a stage-1 translation fault)
 * RAM comes from the guest DTB (plat.ram_size) and must lie in the 1 GiB
 * window [PLAT_RAM_BASE, PLAT_RAM_BASE + PLAT_RAM_SIZE_MAX). Caches on
 * (SCTLR_EL1.C/I), alignment checking off (SCTLR_EL1.A = 0).
 * Built with -mstrict-align (guest-arch.mk GUEST_EARLY_CFLAGS): it runs with
 * the MMU off.
 */
#include "guest.h"

#define PTE_VALID	(1UL << 0)
#define PTE_TABLE	(1UL << 1)	/* level 0-2: next-level table */
#define PTE_ATTR(i)	((u64)(i) << 2)	/* MAIR_EL1 index */
#define PTE_SH_INNER	(3UL << 8)
#define PTE_AF		(1UL << 10)
#define PTE_PXN		(1UL << 53)
#define PTE_UXN		(1UL << 54)

#define ATTR_NORMAL	0		/* MAIR attr0 0xff: Normal WB RW-allocate */
#define ATTR_DEVICE	1		/* MAIR attr1 0x04: Device-nGnRE */
#define MAIR_VALUE	(0xffUL | 0x04UL << 8)

/* T0SZ 25 (39-bit VA), IRGN0/ORGN0 WB WA, SH0 inner, TG0 4K, EPD1, IPS 36-bit */
#define TCR_VALUE	(25UL | 1UL << 8 | 1UL << 10 | 3UL << 12 | 1UL << 23 | 1UL << 32)

#define SCTLR_M		(1UL << 0)
#define SCTLR_A		(1UL << 1)
#define SCTLR_C		(1UL << 2)
#define SCTLR_I		(1UL << 12)
#define SCTLR_WXN	(1UL << 19)

#define SZ_1G		0x40000000UL

static u64 l1[512] __attribute__((aligned(4096)));
static u64 l2_ram[512] __attribute__((aligned(4096)));

bool plat_valid(u64 ram_base, u64 ram_size, u64 uart)
{
	return ram_base == PLAT_RAM_BASE && ram_size >= SZ_2M &&
	       ram_size <= PLAT_RAM_SIZE_MAX && uart < SZ_1G;
}

static void build_tables(void)
{
	u64 base = plat.ram_base, end = base + ((plat.ram_size + SZ_2M - 1) & ~(SZ_2M - 1));

	l1[0] = 0 | PTE_VALID | PTE_ATTR(ATTR_DEVICE) | PTE_AF | PTE_PXN | PTE_UXN;
	l1[base / SZ_1G] = (u64)l2_ram | PTE_VALID | PTE_TABLE;
	for (u64 a = base; a < end; a += SZ_2M)
		l2_ram[(a % SZ_1G) / SZ_2M] = a | PTE_VALID | PTE_ATTR(ATTR_NORMAL) |
					       PTE_SH_INNER | PTE_AF;
	dcache_clean_inval((u64)l1, sizeof(l1));
	dcache_clean_inval((u64)l2_ram, sizeof(l2_ram));
}

static void mmu_enable(void)
{
	u64 sctlr;

	__asm__ __volatile__("msr mair_el1, %0; msr tcr_el1, %1; msr ttbr0_el1, %2; isb\n"
			     "tlbi vmalle1; dsb nsh; isb"
			     : : "r"(MAIR_VALUE), "r"(TCR_VALUE), "r"((u64)l1) : "memory");
	__asm__ __volatile__("mrs %0, sctlr_el1" : "=r"(sctlr));
	sctlr |= SCTLR_M | SCTLR_C | SCTLR_I;
	sctlr &= ~(SCTLR_A | SCTLR_WXN);
	__asm__ __volatile__("msr sctlr_el1, %0; isb; ic iallu; dsb nsh; isb"
			     : : "r"(sctlr) : "memory");
}

/* start.S, vCPU 0, MMU off: read the platform, build the map, MMU on. */
void arch_early_init(u64 dtb);
void arch_early_init(u64 dtb)
{
	platform_init(dtb);
	build_tables();
	mmu_enable();
}

/* start.S, secondary vCPUs: the tables vCPU 0 built. */
void arch_secondary_init(void);
void arch_secondary_init(void)
{
	mmu_enable();
}

bool arch_mmu_on(void)
{
	u64 sctlr;

	__asm__ __volatile__("mrs %0, sctlr_el1" : "=r"(sctlr));
	return sctlr & SCTLR_M;
}
