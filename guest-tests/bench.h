/* SPDX-License-Identifier: GPL-2.0 */
/* What the benchmark entries share (bench.c, arch/<arch>/bench_*.c). */
#ifndef GUEST_BENCH_H
#define GUEST_BENCH_H

#include "guest.h"

/* ticks of clock_ticks() for @n operations -> picoseconds per operation */
u64 ticks_to_ps(u64 ticks, u64 n);
/* "guest-bench: NAME: x100/100 UNIT" */
void put_fixed(const char *name, u64 x100, const char *unit);
/* "guest-bench: NAME: ps/1000 ns" (under -icount shift=0: instructions) */
void put_ns(const char *name, u64 ps);

#endif
