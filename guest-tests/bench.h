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

/*
 * Is this VM's RAM block-backed (a stage-2 fault maps 2 MiB)? Probed once
 * (bench.c): the benchmark VM (configs/vms/attack-bench.dts) has memory-4k,
 * its block-backed twin (attack-bench-block.dts) does not; each entry runs
 * in the one it measures and SKIPs in the other.
 */
bool bench_block_backed(void);
#define BENCH_NEED_4K() do {						\
	if (bench_block_backed())					\
		SKIP("block-backed VM: measured in the memory-4k one");	\
} while (0)

#endif
