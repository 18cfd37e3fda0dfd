/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hypervisor command line (arm64: /chosen/bootargs of the DTB firmware
 * passes; x86: the multiboot command line). Space-separated options:
 *   loglevel=0..3          console level (0 err .. 3 debug)
 *   hyp.panic=halt|poweroff what panic() does after stopping every CPU
 *   hyp.selftest=NAME       run a boot self-test (e.g. "abort": a deliberate
 *                           data abort to exercise the crash dump)
 *   hyp.poweroff=0|1        power off once every CPU reported (boot test)
 *   hyp.palloc-poison=0|1   poison freed pages and check them when allocated
 *                           (default 1; make bench's instruction counts use 0:
 *                           the manager's cost, not the validation aid's)
 *   hyp.vmid_bits=N         VMID width N (2..8; 8 is what every arm64 CPU
 *                           has) so that VMID rollover happens (tests)
 *   hyp.inject=SW[,SW...]   fault-injection switches on (validation build
 *                           only, make VALIDATION=1; hyp/inject.h)
 * Unknown options are reported and ignored.
 */
#ifndef HYP_BOOTARGS_H
#define HYP_BOOTARGS_H

#include <hyp/types.h>

#define BOOTARGS_VMID_BITS_MIN	2
#define BOOTARGS_VMID_BITS_MAX	8

struct bootargs {
	bool panic_poweroff;
	bool poweroff_when_up;
	char selftest[24];
	unsigned int vmid_bits;	/* 0: the allocator's default */
};

extern struct bootargs bootargs;

/* Parse a command line; returns the number of unknown options. */
int bootargs_parse(struct bootargs *ba, const char *cmdline, size_t max);

#endif
