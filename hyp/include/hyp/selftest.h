/* SPDX-License-Identifier: GPL-2.0 */
/* Boot self-tests (hyp/core/selftest.c), run by hyp_main(). */
#ifndef HYP_SELFTEST_H
#define HYP_SELFTEST_H

/* A small allocator exercise on real memory; panics if it fails. */
void palloc_selfcheck(void);
/* hyp.selftest=NAME: "abort" (a deliberate data abort), "panic"; "" none. */
void run_selftest(const char *name);

#endif
