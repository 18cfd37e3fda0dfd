// SPDX-License-Identifier: GPL-2.0
/*
 * Identity-mapped RAM (doc/passthrough.md, "Identity-mapped RAM"): run only
 * in a VM whose RAM is "memory-identity" (HC_VERSION flag HYP_F_IDENTITY;
 * configs/vms/zcu102-identity.dts, scripts/tests/arm64-zcu102-identity.sh).
 * A DMA-capable device without an IOMMU uses guest-physical addresses as
 * host-physical ones, so nothing may ever change that translation: every
 * hypercall that would (HC_UNMAP, HC_MAP, HC_MOVE as source and as target,
 * HC_MIGRATE) is refused with HC_E_PERM, and the memory is still there,
 * mapped, with its contents, afterwards. HC_PROTECT and HC_RECLAIM change no
 * translation output and stay allowed.
 */
#include "guest.h"

#define ID_PAGES	4
#define ID_AREA		(RAM_BASE + 0x1000000)	/* 16 MiB in: above the image */

static u64 pattern(u64 a)
{
	return a * 0x9e3779b97f4a7c15ULL ^ 0x1d;
}

static void fill(void)
{
	for (u64 a = ID_AREA; a < ID_AREA + ID_PAGES * PAGE_SIZE; a += 8)
		*(volatile u64 *)a = pattern(a);
}

/* The first word that is not the pattern, or 0. */
static u64 check(void)
{
	for (u64 a = ID_AREA; a < ID_AREA + ID_PAGES * PAGE_SIZE; a += 8)
		if (*(volatile u64 *)a != pattern(a))
			return a;
	return 0;
}

GTEST(identity_refusals)
{
	static const struct { const char *what; u64 fn, a1, a2, a3; } calls[] = {
		{ "HC_UNMAP", HC_UNMAP, ID_AREA, ID_PAGES * PAGE_SIZE, 0 },
		{ "HC_MAP", HC_MAP, ID_AREA, PAGE_SIZE, 0 },
		{ "HC_MOVE (from)", HC_MOVE, ID_AREA, ID_AREA + SZ_2M, PAGE_SIZE },
		{ "HC_MOVE (onto)", HC_MOVE, ID_AREA + SZ_2M, ID_AREA, PAGE_SIZE },
		{ "HC_MIGRATE", HC_MIGRATE, ID_AREA, ID_PAGES * PAGE_SIZE, 0 },
	};
	u64 bad;
	s64 r;

	fill();
	for (unsigned int i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		r = hyp_call(calls[i].fn, calls[i].a1, calls[i].a2, calls[i].a3).a0;
		if (r != HC_ERR(HC_E_PERM))
			FAIL("%s on identity RAM returned %ld, want HC_E_PERM", calls[i].what, r);
		if ((bad = check()))
			FAIL("after %s: the word at %lx changed", calls[i].what, bad);
	}
	/* No translation output changes: allowed, and the memory stays readable. */
	if ((r = hyp_call(HC_PROTECT, ID_AREA, PAGE_SIZE, HC_PROT_R | HC_PROT_W).a0))
		FAIL("HC_PROTECT (RW) on identity RAM: %ld", r);
	if ((r = hyp_call(HC_RECLAIM, ID_AREA, ID_PAGES * PAGE_SIZE, 0).a0))
		FAIL("HC_RECLAIM on identity RAM: %ld", r);
	if ((bad = check()))
		FAIL("after HC_PROTECT/HC_RECLAIM: the word at %lx changed", bad);
	snprintf(msg, len, "%u calls refused with HC_E_PERM, %u pages intact",
		 (unsigned int)(sizeof(calls) / sizeof(calls[0])), ID_PAGES);
	return 0;
}
