// SPDX-License-Identifier: GPL-2.0
/*
 * Zeroing pages with DC ZVA (hyp/arch.h arch_clear_page(): every page the
 * allocator hands out, i.e. every page and 2 MiB block a stage-2 fault puts
 * under a guest). DC ZVA zeroes one naturally aligned block of
 * 4 << DCZID_EL0.BS bytes per instruction; DCZID_EL0.DZP says it is
 * prohibited at this EL. It needs Normal memory (alignment fault on Device),
 * so it is used only once the EL2 stage 1 maps RAM Normal write-back
 * (arm64_clear_page_init() after arm64_mmu_enable()); before that, and where
 * it is prohibited or its block is larger than a page, plain stores. DC ZVA
 * is ordered like stores (Arm ARM, "Data cache zero"): the callers' barriers
 * and the clean to PoC for a guest without FWB (arch_guest_sync_mem()) stay
 * what they were for memset. doc/bench.md has the cost before and after.
 */
#include <hyp/arch.h>
#include <hyp/compiler.h>
#include <hyp/string.h>
#include <arm64/clear_page.h>
#include <arm64/sysreg.h>

#define DCZID_DZP	BIT(4)
#define DCZID_BS	0xfULL

static unsigned int zva_bytes;	/* 0: plain stores */

void arm64_clear_page_init(void)
{
	u64 d = read_sysreg(dczid_el0);
	unsigned int bytes = 4U << (d & DCZID_BS);

	WRITE_ONCE(zva_bytes, (d & DCZID_DZP) || bytes > PAGE_SIZE ? 0 : bytes);
}

unsigned int arm64_zva_bytes(void)
{
	return READ_ONCE(zva_bytes);
}

void arch_clear_page(void *page)
{
	unsigned int n = READ_ONCE(zva_bytes);
	u8 *p = page, *end = p + PAGE_SIZE;

	if (!n) {
		memset(page, 0, PAGE_SIZE);
		return;
	}
	for (; p < end; p += n)
		__asm__ __volatile__("dc zva, %0" : : "r"(p) : "memory");
}
