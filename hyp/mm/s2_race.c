// SPDX-License-Identifier: GPL-2.0
/*
 * Run-time race widening (s2_race.h, doc/race-widening.md): the slow half of
 * s2_race_delay(), and the settings. The delay is a spin on
 * arch_counter_ns() with arch_cpu_relax(); it never takes a lock, never
 * sleeps, and runs wherever the ordering point is (under vm->lock for the
 * points a correct build reaches with the lock held).
 */
#include "s2_internal.h"

/* splitmix64: a good 64-bit mix of a counter; no shared state but seq. */
static u64 mix64(u64 z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void s2_race_delay_slow(struct s2_vm *vm, enum s2_race_point point)
{
	struct s2_race *r = &vm->race;
	u32 mode, us;
	u64 ns, t0;

	if ((unsigned int)point >= S2_RACE_POINTS ||
	    !(READ_ONCE(r->armed) & BIT(point)))
		return;
	mode = READ_ONCE(r->mode[point]);
	us = READ_ONCE(r->us[point]);
	if (mode == S2_RACE_RANDOM) {
		u64 n = atomic_fetch_add(&r->seq, 1ULL);

		us = (u32)(mix64(READ_ONCE(r->seed) + n * 0x9e3779b97f4a7c15ULL) %
			   ((u64)us + 1));
	} else if (mode != S2_RACE_FIXED) {
		return;
	}
	if (!us)
		return;
	s2_count(vm, race_delays, 1);
	ns = (u64)us * 1000;
	t0 = arch_counter_ns();
	while (arch_counter_ns() - t0 < ns)
		arch_cpu_relax();
}

int s2_race_set(struct s2_vm *vm, u64 point, u64 mode, u64 us)
{
	struct s2_race *r = &vm->race;

	if (point >= S2_RACE_POINTS)
		return -E_RANGE;
	if (mode >= S2_RACE_MODES)
		return -E_INVAL;
	if (mode == S2_RACE_OFF) {
		atomic_fetch_and(&r->armed, ~(u32)BIT(point));
		WRITE_ONCE(r->mode[point], (u32)S2_RACE_OFF);
		WRITE_ONCE(r->us[point], 0U);
		return 0;
	}
	if (us > S2_RACE_MAX_US)
		return -E_RANGE;
	if (!us)
		return -E_INVAL;
	/*
	 * Not a flush rule (R1-R7 are untouched: a delay only changes timing):
	 * value first, then arm. A CPU that reads a stale mode or 0 us just
	 * skips that one delay.
	 */
	WRITE_ONCE(r->us[point], (u32)us);
	WRITE_ONCE(r->mode[point], (u32)mode);
	atomic_fetch_or(&r->armed, (u32)BIT(point));
	return 0;
}

void s2_race_seed(struct s2_vm *vm, u64 seed)
{
	WRITE_ONCE(vm->race.seed, seed);
	atomic_store_relaxed(&vm->race.seq, 0ULL);
}
