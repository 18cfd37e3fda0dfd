/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64-only boot self tests, chosen with /chosen/bootargs
 * "arm64.selftest=<name>" (the core's "hyp.selftest=" covers the rest):
 *   stack-overflow  once every CPU is online, the boot CPU recurses until
 *                   its stack runs into the guard: checks the overflow
 *                   detection in vectors.S and the report.
 */
#ifndef ARM64_SELFTEST_H
#define ARM64_SELFTEST_H

/* Read the option from the DTB (after hyp_init() checked it). */
void selftest_init(const void *dtb);
/* Run the requested test, if any; call after starting the secondaries. */
void selftest_run(void);

#endif
