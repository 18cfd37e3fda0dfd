// SPDX-License-Identifier: GPL-2.0
/*
 * The simulation's scheduler: every simulated CPU is a host thread, but only
 * the holder of the baton runs. At each arch_sched_point() the holder first
 * performs one "hardware step" for the whole machine (speculative walks,
 * completion of pending invalidations, evictions), then a seeded PRNG picks
 * who runs next. Nothing else is a source of nondeterminism, so a seed
 * replays exactly.
 */
#include "sim_internal.h"
#include <hyp/palloc.h>
#include <hyp/string.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

struct sim_state sim = { .prefer = -1 };
__thread int sim_this_cpu = -1;
__thread int sim_no_sched;
struct sim_stats sim_stats;

/* xorshift128+ : small, fast, good enough for scheduling decisions. */
u64 sim_rng_next(u64 s[2])
{
	u64 x = s[0], y = s[1];

	s[0] = y;
	x ^= x << 23;
	s[1] = x ^ y ^ (x >> 17) ^ (y >> 26);
	return s[1] + y;
}

static u64 splitmix(u64 *x)
{
	u64 z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

u64 sim_rand(void)
{
	return sim_rng_next(sim_cur()->rng);
}

u64 sim_hw_rand(void)
{
	return sim_rng_next(sim.hw_rng);
}

static bool chance(unsigned int permille)
{
	return permille && sim_hw_rand() % 1000 < permille;
}

u64 sim_step(void)
{
	return sim.step;
}

bool sim_running(void)
{
	return sim.running;
}

const struct sim_config *sim_cfg(void)
{
	return &sim.cfg;
}

void sim_config_defaults(struct sim_config *cfg)
{
	static const unsigned int sw[] = { 20, 100, 300, 700 };

	if (!cfg->ncpus)
		cfg->ncpus = 2;
	if (cfg->ncpus > HYP_MAX_CPUS)
		cfg->ncpus = HYP_MAX_CPUS;
	if (!cfg->mem_size)
		cfg->mem_size = 64ULL << 20;
	if (!cfg->max_steps)
		cfg->max_steps = 2000000;
	if (!cfg->spec_permille)
		cfg->spec_permille = 250;
	if (!cfg->deliver_permille)
		cfg->deliver_permille = 150;
	/* The switch rate varies with the seed: short and long runs of one CPU. */
	if (!cfg->switch_permille)
		cfg->switch_permille = sw[(cfg->seed >> 3) % 4];
	if (!cfg->evict_permille)
		cfg->evict_permille = 5;
	if (!cfg->nap_permille)
		cfg->nap_permille = 8;
	if (!cfg->tlb_entries || cfg->tlb_entries > SIM_TLB_MAX)
		cfg->tlb_entries = 256;
	if (!cfg->wc_entries || cfg->wc_entries > SIM_WC_MAX)
		cfg->wc_entries = 64;
	if (!cfg->fmt)
		cfg->fmt = &sim_fmt_arm64_4l;
}

int sim_init(const struct sim_config *cfg)
{
	u64 x;

	sim.cfg = *cfg;
	sim_config_defaults(&sim.cfg);
	x = sim.cfg.seed;
	sim.hw_rng[0] = splitmix(&x) | 1;
	sim.hw_rng[1] = splitmix(&x);
	for (unsigned int i = 0; i < HYP_MAX_CPUS; i++) {
		u64 y = sim.cfg.seed * 0x100000001b3ULL + i + 1;

		sim.cpu[i].rng[0] = splitmix(&y) | 1;
		sim.cpu[i].rng[1] = splitmix(&y);
	}
	if (!sim.ram || sim.ram_size < sim.cfg.mem_size) {
		if (sim.ram)
			munmap(sim.ram, sim.ram_size);
		sim.ram = mmap(NULL, sim.cfg.mem_size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (sim.ram == MAP_FAILED) {
			sim.ram = NULL;
			return -E_NOMEM;
		}
		sim.ram_size = sim.cfg.mem_size;
	}
	hyp_phys_virt_offset = (uintptr_t)sim.ram - SIM_RAM_BASE;
	palloc_reset();
	if (palloc_add_region(pa_init(SIM_RAM_BASE), sim.cfg.mem_size))
		return -E_NOMEM;
	sim.last_free_pages = palloc_free_pages();
	sim_machine_reset();
	sim.step = 0;
	memset(&sim_stats, 0, sizeof(sim_stats));
	pthread_mutex_init(&sim.mtx, NULL);
	pthread_cond_init(&sim.main_cv, NULL);
	sim.inited = true;
	return 0;
}

void sim_hot_add(u32 vmid, u64 ipa)
{
	sim.hot[sim.hot_next % SIM_HOT].vmid = vmid;
	sim.hot[sim.hot_next % SIM_HOT].ipa = ipa;
	sim.hot_next++;
}

/* One step of the hardware of every CPU. Runs on the baton holder. */
void (*sim_step_hook)(void);

void sim_hw_step(void)
{
	unsigned int n = sim.cfg.ncpus;

	if (sim_step_hook)
		sim_step_hook();

	sim.step++;
	sim_stats.steps++;
	if (sim.step > sim.cfg.max_steps)
		sim_violation("LIVELOCK", 0, 0, 0,
			      "no completion after %llu steps (deadlock or livelock)",
			      sim.step);
	if (sim.nr_inval && chance(sim.cfg.deliver_permille))
		sim_deliver_one(-1);
	sim_x86_step();
	for (unsigned int c = 0; c < n; c++)
		if (sim.cpu[c].loaded && chance(sim.cfg.spec_permille) &&
		    (!sim_x86_insn_cpu_n(c) || sim.cpu[c].x86_in_guest))	/* X3 */
			sim_spec_walk(c);
	if (chance(sim.cfg.evict_permille))
		sim_evict_random();
	/* Without the palloc wrappers, notice frees by polling (R1 scan). */
	if (!sim_palloc_wrapped && palloc_free_pages() != sim.last_free_pages) {
		if (palloc_free_pages() > sim.last_free_pages)
			sim_check_no_stale_refs("pages were freed");
		sim.last_free_pages = palloc_free_pages();
	}
}

static unsigned int pick_next(unsigned int me, bool force)
{
	unsigned int n = sim.cfg.ncpus, cand[HYP_MAX_CPUS], k = 0;

	if (sim.prefer >= 0 && sim.cpu[sim.prefer].state == CPU_RUNNABLE) {
		unsigned int p = (unsigned int)sim.prefer;

		sim.prefer = -1;
		return p;
	}
	/* A preempted ("napping") CPU runs only if nobody else can. */
	for (unsigned int c = 0; c < n; c++)
		if (sim.cpu[c].state == CPU_RUNNABLE && (!force || c != me) &&
		    sim.cpu[c].nap_until <= sim.step)
			cand[k++] = c;
	/*
	 * Everybody else is preempted: keep running (spinning) rather than
	 * wake them early; time passes with every step, naps end.
	 */
	if (!k && sim.cpu[me].state == CPU_RUNNABLE && sim_this_cpu == (int)me)
		return me;
	if (!k)
		for (unsigned int c = 0; c < n; c++)
			if (sim.cpu[c].state == CPU_RUNNABLE && (!force || c != me))
				cand[k++] = c;
	if (!k)
		return me;
	if (!force && sim.cpu[me].state == CPU_RUNNABLE && sim.cpu[me].nap_until <= sim.step &&
	    !chance(sim.cfg.switch_permille))
		return me;
	return cand[sim_hw_rand() % k];
}

static void hand_over(unsigned int me, unsigned int next)
{
	pthread_mutex_lock(&sim.mtx);
	sim.current = next;
	pthread_cond_signal(&sim.cpu[next].cv);
	while (sim.current != me)
		pthread_cond_wait(&sim.cpu[me].cv, &sim.mtx);
	pthread_mutex_unlock(&sim.mtx);
}

void sim_sched(bool force_switch)
{
	unsigned int me, next;

	if (!sim.running || sim_this_cpu < 0 || sim_no_sched)
		return;
	me = (unsigned int)sim_this_cpu;
	sim.cpu[me].ops++;
	sim_hw_step();
	if (sim.cpu[me].nap_countdown && --sim.cpu[me].nap_countdown == 0) {
		u64 len = 800 + sim_hw_rand() % 2000;

		sim.cpu[me].nap_until = sim.step + len;
		sim_trace(EV_RUN, 0, 0, 0, (s64)len, "preempted (directed)");
	} else if (sim.cpu[me].nap_until <= sim.step &&
		   chance(sim.cpu[me].nap_bias ? sim.cpu[me].nap_bias : sim.cfg.nap_permille)) {
		u64 len = 20 + sim_hw_rand() % 380;

		sim.cpu[me].nap_until = sim.step + len;
		sim_trace(EV_RUN, 0, 0, 0, (s64)len, "preempted");
	}
	next = pick_next(me, force_switch);
	if (next == me)
		return;
	sim_stats.switches++;
	hand_over(me, next);
}

void sim_yield(void)
{
	sim_sched(false);
}

void sim_nap_bias(unsigned int permille)
{
	sim_cur()->nap_bias = permille;
}

void sim_nap_at(unsigned int n)
{
	sim_cur()->nap_countdown = n;
}

u64 sim_nap_left(unsigned int cpu)
{
	if (cpu >= sim.cfg.ncpus || sim.cpu[cpu].nap_until <= sim.step)
		return 0;
	return sim.cpu[cpu].nap_until - sim.step;
}

void sim_prefer(unsigned int cpu)
{
	if (cpu < sim.cfg.ncpus)
		sim.prefer = (int)cpu;
}

static void *cpu_thread(void *p)
{
	unsigned int me = (unsigned int)(uintptr_t)p;
	struct sim_cpu *c = &sim.cpu[me];
	unsigned int next;

	sim_this_cpu = (int)me;
	pthread_mutex_lock(&sim.mtx);
	while (sim.current != me)
		pthread_cond_wait(&c->cv, &sim.mtx);
	pthread_mutex_unlock(&sim.mtx);

	sim_trace(EV_RUN, 0, 0, 0, 0, "start");
	c->fn(me, c->arg);
	sim_trace(EV_RUN, 0, 0, 0, 0, "done");

	/* Idle CPUs still speculate: let the hardware step once more. */
	sim_hw_step();
	pthread_mutex_lock(&sim.mtx);
	c->state = CPU_DONE;
	sim.nr_done++;
	next = pick_next(me, true);
	if (sim.cpu[next].state == CPU_RUNNABLE) {
		sim.current = next;
		pthread_cond_signal(&sim.cpu[next].cv);
	} else {
		sim.current = HYP_MAX_CPUS;	/* nobody: wake main */
		pthread_cond_signal(&sim.main_cv);
	}
	pthread_mutex_unlock(&sim.mtx);
	return NULL;
}

int sim_run(sim_prog_fn progs[], void *args[])
{
	unsigned int n = sim.cfg.ncpus, first = HYP_MAX_CPUS, nprog = 0;

	sim.nr_done = 0;
	for (unsigned int i = 0; i < n; i++) {
		struct sim_cpu *c = &sim.cpu[i];

		pthread_cond_init(&c->cv, NULL);
		c->fn = progs[i];
		c->arg = args ? args[i] : NULL;
		c->state = c->fn ? CPU_RUNNABLE : CPU_IDLE;
		if (c->fn)
			nprog++;
	}
	if (!nprog)
		return 0;
	/* The first CPU to run is chosen by the seed as well. */
	while (first == HYP_MAX_CPUS) {
		unsigned int c = (unsigned int)(sim_hw_rand() % n);

		if (sim.cpu[c].state == CPU_RUNNABLE)
			first = c;
	}
	sim.current = HYP_MAX_CPUS + 1;	/* nobody until all threads exist */
	sim.running = true;
	for (unsigned int i = 0; i < n; i++)
		if (sim.cpu[i].fn)
			pthread_create(&sim.cpu[i].thread, NULL, cpu_thread,
				       (void *)(uintptr_t)i);
	pthread_mutex_lock(&sim.mtx);
	sim.current = first;
	pthread_cond_signal(&sim.cpu[first].cv);
	while (sim.nr_done < nprog)
		pthread_cond_wait(&sim.main_cv, &sim.mtx);
	pthread_mutex_unlock(&sim.mtx);
	for (unsigned int i = 0; i < n; i++)
		if (sim.cpu[i].fn)
			pthread_join(sim.cpu[i].thread, NULL);
	sim.running = false;
	return 0;
}
