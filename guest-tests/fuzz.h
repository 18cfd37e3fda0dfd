/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fuzzing guest (guest-fuzz.bin, doc/fuzzing.md): the common part
 * (guest-tests/fuzz.c: hypercalls, PSCI/SMCCC calls, the verified region)
 * and what each architecture provides (guest-tests/arch/$(ARCH)/fuzz_*.c:
 * one call with its registers checked, one MMIO access checked).
 */
#ifndef GUEST_FUZZ_H
#define GUEST_FUZZ_H

#include "guest.h"

/* splitmix64: one stream per vCPU, from the seed and the vCPU index. */
struct fuzz_rng { u64 s; };

static inline u64 rnd(struct fuzz_rng *r)
{
	u64 z = (r->s += 0x9e3779b97f4a7c15UL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
	return z ^ (z >> 31);
}

static inline u64 rnd_below(struct fuzz_rng *r, u64 n)
{
	return n ? rnd(r) % n : 0;
}

/* Boundary-biased 64-bit value: 0, ~0, powers of two and their neighbours, or random. */
u64 fuzz_value(struct fuzz_rng *r);

/*
 * Arch: issue call fn with arguments a[0..5] (arm64: x1..x6; x86: RBX,
 * RCX, RDX, RSI, RDI, R8) through conduit (arm64: 0 HVC, 1 SMC; x86: the
 * CPU's instruction), results out[0..3]. Every register the ABI says is
 * preserved is checked: 0, or 1 with msg saying which changed.
 */
int fuzz_arch_call(u64 fn, const u64 *a, u64 *out, unsigned int conduit, char *msg, size_t len);
#define FUZZ_CONDUITS_MAX 2
extern unsigned int fuzz_conduits;	/* arch: how many conduits exist */

/* Arch, vCPU 0 before the workers start: e.g. stage-1 maps of addresses outside RAM. */
void fuzz_arch_init(void);
/* Arch, every vCPU as its worker starts. */
void fuzz_arch_cpu_init(void);
/*
 * Arch, optional (weak defaults in fuzz.c: none): vCPU 0 turned off and back
 * in its own context. fuzz_arch_cpu0_off() saves the caller's context and
 * does PSCI CPU_OFF; a CPU_ON of vCPU 0 at fuzz_arch_cpu0_entry() resumes
 * it there, returning 0 (-1: CPU_OFF returned or not supported). NULL: vCPU
 * 0 is not cycled.
 */
char *fuzz_arch_cpu0_entry(void);
int fuzz_arch_cpu0_off(void);
/* Arch: one random MMIO access on this vCPU, checked. 0 or 1 (msg says why). */
int fuzz_arch_mmio(struct fuzz_rng *r, char *msg, size_t len);
/* Arch: the accesses fuzz_arch_mmio() made, by outcome (for the summary). */
struct fuzz_mmio_stats { u64 ok, ext_abort, align_fault; };
extern struct fuzz_mmio_stats fuzz_mmio_stats[GUEST_MAX_CPUS];

#endif
