/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Run-time race widening (doc/race-widening.md): per-VM spin delays at the
 * ordering points of hyp/mm, so that a test (or a user on a board) can make
 * the window of an ordering bug milliseconds wide instead of a few hundred
 * instructions. Off by default; when off, each point costs one load and one
 * predictable branch (s2_race_delay() below).
 *
 *   point                 where                                     widens
 *   S2_RACE_CLEAR_INVAL   s2_flush_range(), before the invalidation  R1, R2, R4, R5: entries cleared
 *                         is issued                                  or write-protected, TLBs not yet
 *   S2_RACE_INVAL_FREE    s2_gather_free_all(), after the            R1/R6: invalidated (and grace
 *                         invalidation (and grace period), before    period over), memory not yet
 *                         the first page goes back                   released
 *   S2_RACE_MOVE          s2_move(), per moved descriptor, between   R5: old entry cleared, new one
 *                         clearing it at the source and installing   not yet installed
 *                         it at the destination
 */
#ifndef HYP_MM_S2_RACE_H
#define HYP_MM_S2_RACE_H

#include <hyp/types.h>
#include <hyp/compiler.h>

enum s2_race_point {
	S2_RACE_CLEAR_INVAL = 0,
	S2_RACE_INVAL_FREE = 1,
	S2_RACE_MOVE = 2,
	S2_RACE_POINTS
};

enum s2_race_mode {
	S2_RACE_OFF = 0,	/* no delay */
	S2_RACE_FIXED = 1,	/* spin exactly @us microseconds */
	S2_RACE_RANDOM = 2,	/* spin a uniform 0..@us microseconds (seeded PRNG) */
	S2_RACE_MODES
};

/* Longest delay one point may be given: 100 ms. */
#define S2_RACE_MAX_US		100000U

/* Per-VM settings (inside struct s2_vm). All zero: every point off. */
struct s2_race {
	u32 armed;			/* bit p: point p is on; 0 = all off (the fast test) */
	u32 mode[S2_RACE_POINTS];	/* enum s2_race_mode */
	u32 us[S2_RACE_POINTS];
	u64 seq;			/* atomic; PRNG counter (splitmix64 of seed + seq) */
	u64 seed;
};

struct s2_vm;

/**
 * s2_race_set() - set the delay of @point of @vm: @mode (enum s2_race_mode),
 * @us microseconds (fixed: exactly; random: uniform in [0, @us]). Takes
 * effect at once on every CPU (a delay in progress finishes with the old
 * value). S2_RACE_OFF ignores @us.
 * Return: 0; -E_RANGE (@point unknown, or @us > S2_RACE_MAX_US);
 * -E_INVAL (@mode unknown, or fixed/random with @us == 0).
 */
int s2_race_set(struct s2_vm *vm, u64 point, u64 mode, u64 us);

/* s2_race_seed() - restart @vm's random delays from @seed (reproducible runs). */
void s2_race_seed(struct s2_vm *vm, u64 seed);

void s2_race_delay_slow(struct s2_vm *vm, enum s2_race_point point);

#endif
