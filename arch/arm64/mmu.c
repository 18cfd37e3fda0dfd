// SPDX-License-Identifier: GPL-2.0
/*
 * EL2 stage-1 identity map (VA == PA, 48-bit VA, 4 KiB granule, 4 levels).
 *
 *   RAM (from /memory)       Normal WB, RW, XN      1 GiB / 2 MiB blocks
 *   hyp text                 Normal WB, RO, exec    4 KiB pages
 *   hyp rodata (+relocs)     Normal WB, RO, XN      4 KiB pages
 *   hyp data, bss, stacks    Normal WB, RW, XN      4 KiB pages
 *   stack guard pages        not mapped: an overflow is a data abort
 *   UART, GICD, GICR         Device-nGnRnE, RW, XN
 *
 * Built once by the boot CPU with its MMU off (every access is Device-typed
 * then: hence -mstrict-align, and no atomics here); tables come from a static
 * pool in .bss, so nothing depends on the page allocator. After this, the
 * tables are never changed, so CPUs share them without TLB maintenance.
 */
#include <hyp/addr.h>
#include <hyp/arch.h>
#include <hyp/platform.h>
#include <arm64/cpu.h>
#include <arm64/cpufeature.h>
#include <arm64/layout.h>
#include <arm64/mmu.h>
#include <arm64/sysreg.h>

#define PT_ENTRIES	512
#define PT_POOL_PAGES	64

#define PTE_VALID	BIT(0)
#define PTE_TABLE	BIT(1)		/* table at levels 0-2, page at level 3 */
#define PTE_ATTRIDX(i)	((u64)(i) << 2)
#define PTE_AP1		BIT(6)		/* RES1 in the EL2 translation regime */
#define PTE_RDONLY	BIT(7)
#define PTE_SH_INNER	(3ULL << 8)
#define PTE_AF		BIT(10)
#define PTE_XN		BIT(54)
#define PTE_ADDR	GENMASK(47, 12)

/* MAIR_EL2 slots. */
#define MT_DEVICE_nGnRnE	0
#define MT_NORMAL		1
#define MT_NORMAL_NC		2
#define MAIR_VALUE	(0x00ULL << (8 * MT_DEVICE_nGnRnE) |	\
			 0xffULL << (8 * MT_NORMAL) |		\
			 0x44ULL << (8 * MT_NORMAL_NC))

#define PROT_DEVICE	(PTE_ATTRIDX(MT_DEVICE_nGnRnE) | PTE_AF | PTE_AP1 | PTE_XN)
#define PROT_NORMAL	(PTE_ATTRIDX(MT_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_AP1)
#define PROT_RW		(PROT_NORMAL | PTE_XN)
#define PROT_RX		(PROT_NORMAL | PTE_RDONLY)
#define PROT_RO		(PROT_NORMAL | PTE_RDONLY | PTE_XN)

/* TCR_EL2 (non-VHE layout) */
#define TCR_T0SZ(bits)	((u64)(64 - (bits)))
#define TCR_IRGN0_WBWA	(1ULL << 8)
#define TCR_ORGN0_WBWA	(1ULL << 10)
#define TCR_SH0_INNER	(3ULL << 12)
#define TCR_TG0_4K	(0ULL << 14)
#define TCR_PS(x)	((u64)(x) << 16)
#define TCR_RES1	(BIT(23) | BIT(31))
#define VA_BITS		48

static u64 pt_pool[PT_POOL_PAGES][PT_ENTRIES] __aligned(4096);
static unsigned int pt_used;

/* One cache line: smp.c cleans it to PoC with a single DC CVAC. */
struct mmu_boot_cfg mmu_boot_cfg __aligned(64);

/* RAM is identity mapped (addr.h). */
uintptr_t hyp_phys_virt_offset;

static u64 *pt_alloc(void)
{
	if (pt_used == PT_POOL_PAGES)
		return NULL;
	return pt_pool[pt_used++];	/* .bss: already zero */
}

static unsigned int level_shift(int level)
{
	return 39 - 9 * level;
}

/*
 * Map [va, end) to pa.. in the table at 'level'. Uses the largest block the
 * alignment allows; an entry already holding the same descriptor is fine
 * (regions may be listed twice), a different one is a conflict.
 */
static int map_in(u64 *table, int level, u64 va, u64 end, u64 pa, u64 prot)
{
	u64 blk = 1ULL << level_shift(level);

	while (va < end) {
		u64 *e = &table[(va >> level_shift(level)) % PT_ENTRIES];
		u64 next = (va | (blk - 1)) + 1;
		u64 *sub;
		int err;

		if (next > end || next == 0)
			next = end;
		if (level == 3) {
			u64 d = pa | prot | PTE_VALID | PTE_TABLE;

			if (*e && *e != d)
				return -E_EXIST;
			*e = d;
		} else if (level >= 1 && next - va == blk && IS_ALIGNED(pa, blk) &&
			   (!*e || *e == (pa | prot | PTE_VALID))) {
			*e = pa | prot | PTE_VALID;	/* block */
		} else {
			if (!*e) {
				sub = pt_alloc();
				if (!sub)
					return -E_NOMEM;
				*e = (u64)(uintptr_t)sub | PTE_VALID | PTE_TABLE;
			} else if (!(*e & PTE_TABLE)) {
				return -E_EXIST;	/* would have to split a block */
			}
			sub = (u64 *)(uintptr_t)(*e & PTE_ADDR);
			err = map_in(sub, level + 1, va, next, pa, prot);
			if (err)
				return err;
		}
		pa += next - va;
		va = next;
	}
	return 0;
}

static int map_identity(u64 start, u64 end, u64 prot)
{
	start = ALIGN_DOWN(start, PAGE_SIZE);
	end = ALIGN_UP(end, PAGE_SIZE);
	if (start >= end)
		return 0;
	if (end > (1ULL << VA_BITS))
		return -E_RANGE;
	return map_in((u64 *)(uintptr_t)mmu_boot_cfg.ttbr, 0, start, end, start, prot);
}

/* RAM outside the hypervisor image: the image gets finer permissions. */
static int map_ram(u64 base, u64 size)
{
	u64 start = ALIGN_UP(base, PAGE_SIZE);
	u64 end = ALIGN_DOWN(base + size, PAGE_SIZE);
	u64 img_s = (uintptr_t)__hyp_start, img_e = (uintptr_t)__hyp_end;
	int err;

	if (start >= end)
		return 0;
	if (end <= img_s || start >= img_e)
		return map_identity(start, end, PROT_RW);
	err = map_identity(start, img_s > start ? img_s : start, PROT_RW);
	if (err)
		return err;
	return map_identity(img_e < end ? img_e : end, end, PROT_RW);
}

static int map_image(void)
{
	int err;

	err = map_identity((uintptr_t)__hyp_start, (uintptr_t)__text_end, PROT_RX);
	if (!err)
		err = map_identity((uintptr_t)__rodata_start, (uintptr_t)__rodata_end, PROT_RO);
	if (!err)
		err = map_identity((uintptr_t)__data_start, (uintptr_t)__stacks_start, PROT_RW);
	for (unsigned int i = 0; !err && i < HYP_MAX_CPUS; i++)
		err = map_identity(stack_lo(i), stack_hi(i), PROT_RW);	/* guard stays unmapped */
	if (!err)
		err = map_identity((uintptr_t)__stacks_end, (uintptr_t)__hyp_end, PROT_RW);
	return err;
}

/* A GICv2 CPU interface's two 4 KiB pages (hyp/platform.h gic_cpuif_page1()). */
static int map_gic_cpuif(paddr_t base, u64 size)
{
	paddr_t p1 = gic_cpuif_page1(base, size);
	int err = map_identity(pa_addr(base), pa_addr(base) + PAGE_SIZE, PROT_DEVICE);

	return err ? err : map_identity(pa_addr(p1), pa_addr(p1) + PAGE_SIZE, PROT_DEVICE);
}

static int map_devices(void)
{
	int err = 0;

	if (platform.has_uart)
		err = map_identity(pa_addr(platform.uart_base),
				   pa_addr(platform.uart_base) + PAGE_SIZE, PROT_DEVICE);
	if (!err && platform.gic_version) {
		err = map_identity(pa_addr(platform.gicd_base),
				   pa_addr(platform.gicd_base) + SZ_64K, PROT_DEVICE);
		if (!err && platform.gicr_size)
			err = map_identity(pa_addr(platform.gicr_base),
					   pa_addr(platform.gicr_base) + platform.gicr_size,
					   PROT_DEVICE);
		/* GICv2: GICC (both pages); GICH (this CPU's view, 4 KiB). */
		if (!err && platform.gic_version == 2)
			err = map_gic_cpuif(platform.gicc_base, platform.gicc_size);
		if (!err && platform.gic_version == 2 && pa_addr(platform.gich_base))
			err = map_identity(pa_addr(platform.gich_base),
					   pa_addr(platform.gich_base) + PAGE_SIZE, PROT_DEVICE);
		/* GICV: the guests' GICC accesses are forwarded to it (vgic_v2.c). */
		if (!err && platform.gic_version == 2 && pa_addr(platform.gicv_base))
			err = map_gic_cpuif(platform.gicv_base, platform.gicv_size);
	}
	return err;
}

int mmu_build(void)
{
	u64 *root = pt_alloc();
	unsigned int ps = cpu_features.parange;
	int err = 0;

	mmu_boot_cfg.ttbr = (u64)(uintptr_t)root;
	err = map_image();
	for (unsigned int i = 0; !err && i < platform.nr_mem; i++)
		err = map_ram(pa_addr(platform.mem[i].base), platform.mem[i].size);
	if (!err)
		err = map_devices();
	if (err)
		return err;

	if (ps > 5)
		ps = 5;		/* 52-bit PAs need LPA2 / 64K pages: use 48 */
	mmu_boot_cfg.tcr = TCR_T0SZ(VA_BITS) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA |
			   TCR_SH0_INNER | TCR_TG0_4K | TCR_PS(ps) | TCR_RES1;
	mmu_boot_cfg.mair = MAIR_VALUE;
	/* Written with the MMU off, hence already in memory: secondaries read
	 * it with their MMU off (head.S secondary_entry). */
	return 0;
}

unsigned int mmu_tables_used(void)
{
	return pt_used;
}
