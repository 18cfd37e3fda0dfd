/* SPDX-License-Identifier: GPL-2.0 */
/* The simulation test driver: registry of tests, helpers shared by them. */
#ifndef SIMTEST_H
#define SIMTEST_H

#include <sim/sim.h>

/*
 * One test. Each seed runs in a forked child: setup(seed, cfg) adjusts the
 * machine configuration, then run(seed) drives sim_run(). A violation exits
 * the child with status 1 (report on its stdout); run() returning 0 passes.
 */
struct simtest {
	const char *name;
	const char *what;	/* one line: the race / rule */
	void (*setup)(u64 seed, struct sim_config *cfg);
	int (*run)(u64 seed);
	unsigned int seeds;	/* seeds in `make test` */
	/* If set, seed i runs seed_list[i] (regression seeds; seeds = its length). */
	const u64 *seed_list;
	unsigned int soak_seeds;/* seeds in `make soak` */
	/*
	 * Negative control of the model itself: passes only if some seed
	 * reports a violation of this rule ("R1", ...). A test that cannot
	 * fail is a defect; these prove the checks can.
	 */
	const char *expect;
};

void simtest_register(const struct simtest *t);
#define SIMTEST(sym) \
	static void __attribute__((constructor)) reg_##sym(void) { simtest_register(&sym); }

void simtest_install_segv(void);
extern u64 simtest_fail_alloc_at;
extern u64 simtest_allocs;
/* Give every quarantined block back to palloc now (tests that need page reuse). */
void simtest_quarantine_drain(void);

/* A barrier among `n` simulated CPUs (spins through the scheduler). */
struct sim_barrier {
	volatile unsigned int count, gen;
};
void sim_barrier_wait(struct sim_barrier *b, unsigned int n);

/* Print a line into the run's output (shown when a seed fails / in replay). */
void simtest_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
