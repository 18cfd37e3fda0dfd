// SPDX-License-Identifier: GPL-2.0
/*
 * The memory bound (doc/memory-charge.md). With hyp-test,mem-hog-min/-max in
 * /chosen (configs/guests/guest-tests-hog.dts, scripts/tests/arm64-mem-bound.sh),
 * this VM writes one word in every page of its RAM above HOG_START, page by
 * page, until HOG_REFUSED pages in a row were refused with an external abort
 * at that page, then unmaps what it wrote (the later tests need the pages).
 * Two such VMs run side by side on a machine that cannot back both RAMs: each
 * must get at least mem-hog-min MiB (the other VM's hog did not drain the
 * allocator under it) and at most mem-hog-max MiB (its own bound held).
 * Without either property a VM passes the test trivially: it says so.
 */
#include "guest.h"

#define HOG_START	(RAM_BASE + 0x4000000)	/* 64 MiB in: above every other test's pages */
#define HOG_REFUSED	16

GTEST(mem_hog)
{
	u64 min = (u64)chosen_u32("hyp-test,mem-hog-min") << 20;
	u64 max = (u64)chosen_u32("hyp-test,mem-hog-max") << 20;
	u64 end = RAM_BASE + RAM_SIZE - SZ_2M;	/* the guest DTB lives above */
	u64 a, written = 0, refused = 0, esr, far;
	s64 r;

	if (!max)
		return 0;	/* not asked: a normal guest-tests run (no SKIP line) */
	if (end <= HOG_START)
		FAIL("RAM %lx too small for the hog", RAM_SIZE);
	for (a = HOG_START; a < end && refused < HOG_REFUSED; a += PAGE_SIZE) {
		expect_fault();
		*(volatile u64 *)a = a;
		esr = fault_taken(&far);
		if (!esr) {
			refused = 0;
			written++;
			continue;
		}
		if (!arch_fault_is_external(esr) || far != a)
			FAIL("page %lx: syndrome %lx FAR %lx, want " ARCH_FAULT_EXTERNAL_DESC
			     " at the page", a, esr, far);
		refused++;
	}
	printf("mem-hog: %lu KiB written above %lx, then %lu pages refused\n",
	       written * PAGE_SIZE >> 10, HOG_START, refused);
	r = hyp_call(HC_UNMAP, HOG_START, a - HOG_START, 0).a0;
	if (r)
		FAIL("unmapping the hog's pages: %ld", r);
	if (written * PAGE_SIZE < min)
		FAIL("only %lu KiB given, want at least %lu KiB: the machine ran dry under this VM",
		     written * PAGE_SIZE >> 10, min >> 10);
	if (written * PAGE_SIZE > max)
		FAIL("%lu KiB given, want at most %lu KiB: no bound on this VM",
		     written * PAGE_SIZE >> 10, max >> 10);
	return 0;
}
