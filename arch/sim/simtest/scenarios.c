// SPDX-License-Identifier: GPL-2.0
/*
 * One scenario per seed document (../shared/seeds/), each reproducing its
 * race against hyp/mm on simulated CPUs, on arm64 (broadcast TLBI) and x86
 * (IPI shootdown) machines. Each passes on a correct build and fails on the
 * matching INJECT= build (doc/simulation.md has the table).
 */
#include "harness.h"
#include <hyp/palloc.h>
#include <hyp/string.h>

#define MiB	(1ULL << 20)

static u64 rnd_pages(u64 lo, u64 hi)	/* a page-aligned address in [lo, hi) */
{
	return lo + (sim_rand_below((hi - lo) >> PAGE_SHIFT) << PAGE_SHIFT);
}

/* ==== seed 000: concurrent unmappers of one VM (R2) ============================ */

static struct {
	struct hvm h;
	struct sim_barrier bar;
	volatile int stop;
	bool blocks;
	u64 a[2], len[2];
} s0;

#define S0_WIN	(4 * MiB)
#define S0_ROUNDS 4

static void s0_pick(void)
{
	s0.len[0] = (1 + sim_rand_below(S0_WIN / PAGE_SIZE / 3)) * PAGE_SIZE;
	if (sim_rand_below(3) == 0)
		s0.len[0] = SZ_2M;
	s0.a[0] = rnd_pages(0, S0_WIN - s0.len[0] + PAGE_SIZE);
	if (s0.len[0] == SZ_2M)
		s0.a[0] = sim_rand_below(2) * SZ_2M;
	s0.len[1] = (1 + sim_rand_below(S0_WIN / PAGE_SIZE / 3)) * PAGE_SIZE;
	/* overlap the first range */
	u64 lo = s0.a[0] > s0.len[1] ? s0.a[0] - s0.len[1] + PAGE_SIZE : 0;
	u64 hi = MIN(s0.a[0] + s0.len[0], S0_WIN - s0.len[1] + PAGE_SIZE);

	s0.a[1] = rnd_pages(lo, hi);
}

static void s0_guest(unsigned int cpu, void *arg)
{
	for (int r = 0; r < S0_ROUNDS; r++) {
		struct h_vcpu v = { .h = &s0.h, .lo = 0, .hi = S0_WIN, .n = 60,
				    .write_pct = 30, .stop = &s0.stop };

		sim_barrier_wait(&s0.bar, 3);
		h_vcpu_run(&v);
		sim_barrier_wait(&s0.bar, 3);
		sim_barrier_wait(&s0.bar, 3);
	}
}

static void s0_unmapper(unsigned int cpu, void *arg)
{
	int me = (int)(uintptr_t)arg;

	for (int r = 0; r < S0_ROUNDS; r++) {
		sim_barrier_wait(&s0.bar, 3);
		/* let the guest fill its TLB first, sometimes */
		for (u64 i = sim_rand_below(40); i; i--)
			sim_yield();
		if (sim_rand_below(2)) {
			h_unmap(&s0.h, s0.a[me], s0.len[me]);
		} else {
			/* one gather, two pieces */
			u64 half = (s0.len[me] / 2) & ~(PAGE_SIZE - 1);
			u64 ipas[2] = { s0.a[me], s0.a[me] + half };
			u64 sizes[2] = { half, s0.len[me] - half };

			if (half)
				h_unmap_gather(&s0.h, ipas, sizes, 2);
			else
				h_unmap(&s0.h, s0.a[me], s0.len[me]);
		}
		sim_barrier_wait(&s0.bar, 3);
		if (me == 0) {
			/* remap the hole for the next round */
			u64 lo = MIN(s0.a[0], s0.a[1]);
			u64 hi = MAX(s0.a[0] + s0.len[0], s0.a[1] + s0.len[1]);

			for (u64 p = lo; p < hi; p += PAGE_SIZE)
				h_map_owned(&s0.h, p, PAGE_SIZE, S2_PROT_R | S2_PROT_W, false, 0);
			s0_pick();
		}
		sim_barrier_wait(&s0.bar, 3);
	}
}

static void s0_setup_arm(u64 seed, struct sim_config *cfg) { h_setup(cfg, SIM_ARM64, 3, seed); }
static void s0_setup_x86(u64 seed, struct sim_config *cfg) { h_setup(cfg, SIM_X86, 3, seed); }

static int s0_run(u64 seed)
{
	sim_prog_fn progs[3] = { s0_guest, s0_unmapper, s0_unmapper };
	void *args[3] = { NULL, (void *)0, (void *)1 };

	memset(&s0, 0, sizeof(s0));
	h_init(8);
	if (h_vm_create(&s0.h, 0, S0_WIN, H_BACK_NONE, 0))
		return 1;
	s0.blocks = seed & 2;
	if (h_map_owned(&s0.h, 0, S0_WIN, S2_PROT_R | S2_PROT_W, s0.blocks, 0))
		return 1;
	/* the first pick uses cpu0's stream before the run */
	s0.len[0] = SZ_2M;
	s0.a[0] = (seed & 4) ? SZ_2M : 0;
	s0.len[1] = 3 * MiB / 2;
	s0.a[1] = s0.a[0] + MiB;
	if (s0.a[1] + s0.len[1] > S0_WIN)
		s0.a[1] = s0.a[0] - MiB;
	sim_run(progs, args);
	return 0;
}

static const struct simtest t_s0_arm = {
	.name = "seed000-concurrent-unmap-arm64", .setup = s0_setup_arm, .run = s0_run,
	.what = "two overlapping unmaps + a guest: the one that returns first must "
		"have flushed everything in its range (R2)",
	.seeds = 240, .soak_seeds = 3000,
};
static const struct simtest t_s0_x86 = {
	.name = "seed000-concurrent-unmap-x86", .setup = s0_setup_x86, .run = s0_run,
	.what = "same on x86 (shootdown IPIs to the ran set)",
	.seeds = 180, .soak_seeds = 2000,
};
SIMTEST(t_s0_arm)
SIMTEST(t_s0_x86)

/* ==== seed 001: teardown while CPUs can still speculate (R3) ==================== */

static struct {
	struct hvm h;
	struct sim_barrier bar;
} s1;

#define S1_WIN	(4 * MiB)
#define S1_ROUNDS 3

static void s1_guest(unsigned int cpu, void *arg)
{
	for (int r = 0; r < S1_ROUNDS; r++) {
		struct h_vcpu v = { .h = &s1.h, .lo = 0, .hi = S1_WIN,
				    .n = 20 + (unsigned int)sim_rand_below(40),
				    .write_pct = 20, .lazy = 400 };

		sim_barrier_wait(&s1.bar, 3);
		h_vcpu_run(&v);
		sim_barrier_wait(&s1.bar, 3);
	}
}

static void s1_destroyer(unsigned int cpu, void *arg)
{
	for (int r = 0; r < S1_ROUNDS; r++) {
		sim_barrier_wait(&s1.bar, 3);
		for (u64 i = 20 + sim_rand_below(100); i; i--)
			sim_yield();
		h_destroy(&s1.h);
		sim_barrier_wait(&s1.bar, 3);
		/* a new VM (likely reusing the VMID and the same pages) */
		if (r + 1 < S1_ROUNDS) {
			h_vm_create(&s1.h, 0, S1_WIN, H_BACK_ALLOC, 0);
			h_map_owned(&s1.h, 0, S1_WIN / 2, S2_PROT_R | S2_PROT_W, r & 1, 0);
		}
	}
}

static void s1_setup_arm(u64 seed, struct sim_config *cfg) { h_setup(cfg, SIM_ARM64, 3, seed); }
static void s1_setup_x86(u64 seed, struct sim_config *cfg) { h_setup(cfg, SIM_X86, 3, seed); }

static int s1_run(u64 seed)
{
	sim_prog_fn progs[3] = { s1_guest, s1_destroyer, s1_guest };

	memset(&s1, 0, sizeof(s1));
	h_init(3);
	if (h_vm_create(&s1.h, 0, S1_WIN, H_BACK_ALLOC, 0))
		return 1;
	h_map_owned(&s1.h, 0, S1_WIN / 2, S2_PROT_R | S2_PROT_W, seed & 2, 0);
	sim_run(progs, NULL);
	return 0;
}

static const struct simtest t_s1_arm = {
	.name = "seed001-teardown-speculation-arm64", .setup = s1_setup_arm, .run = s1_run,
	.what = "VM destroyed while vCPUs stay loaded and speculate (R3)",
	.seeds = 180, .soak_seeds = 2000,
};
static const struct simtest t_s1_x86 = {
	.name = "seed001-teardown-speculation-x86", .setup = s1_setup_x86, .run = s1_run,
	.what = "same on x86",
	.seeds = 120, .soak_seeds = 1500,
};
SIMTEST(t_s1_arm)
SIMTEST(t_s1_x86)

/* ==== seed 002: dirty-log harvest vs writers, unmap, write-protect (R4) ========= */

/*
 * Writer i writes its page (i, k) over and over (a writable TLB entry) until
 * the "cleaner" has write-protected or unmapped that page and returned; then
 * it moves on to page (i, k+1) and never touches (i, k) again, so a write
 * lost in the window cannot be masked by a later faulting write. A third
 * CPU harvests the dirty log all the time. With R4 broken (invalidation after
 * the lock is released), a harvest can run between the clean's unlock and its
 * invalidation, report the page, and the writer's next write through its
 * stale entry is never reported: the final harvest misses it.
 */
static struct {
	struct hvm h;
	struct sim_barrier bar;
	volatile int written[2];	/* round whose page writer i has written */
	volatile int cleaned[2];	/* rounds the cleaner finished for writer i */
	volatile int done;
} s2;

#define S2_WIN		(2 * MiB)
#define S2_ROUNDS	24

static u64 s2_page(int w, int k)
{
	return ((u64)(w * 256 + k * 7 % 256) << PAGE_SHIFT);
}

static void s2_writer(unsigned int cpu, void *arg)
{
	int w = (int)(uintptr_t)arg;
	bool in = false;

	sim_barrier_wait(&s2.bar, 4);
	for (int k = 0; k < S2_ROUNDS; k++) {
		while (s2.cleaned[w] <= k) {
			if (!in) {
				if (s2_vm_enter(&s2.h.vm)) {
					sim_yield();
					continue;
				}
				in = true;
			}
			h_access(&s2.h, s2_page(w, k) + 8 * sim_rand_below(512), true);
			s2.written[w] = k + 1;
			if (sim_rand_below(50) == 0) {
				s2_vm_exit(&s2.h.vm);
				in = false;
			}
		}
	}
	if (in)
		s2_vm_exit(&s2.h.vm);
	sim_barrier_wait(&s2.bar, 4);
}

static void s2_harvester(unsigned int cpu, void *arg)
{
	sim_barrier_wait(&s2.bar, 4);
	while (!s2.done) {
		h_harvest(&s2.h, 0);
		for (u64 i = sim_rand_below(10); i; i--)
			sim_yield();
	}
	sim_barrier_wait(&s2.bar, 4);
	/* quiescent: the last harvest must report every write not yet reported */
	h_harvest(&s2.h, 0);
	sim_dirty_check_all(s2.h.handle, "final harvest");
}

static void s2_cleaner(unsigned int cpu, void *arg)
{
	sim_barrier_wait(&s2.bar, 4);
	for (int k = 0; k < S2_ROUNDS; k++) {
		for (int w = 0; w < 2; w++) {
			while (s2.written[w] <= k)
				sim_yield();
			for (u64 i = sim_rand_below(20); i; i--)
				sim_yield();
			if (sim_rand_below(2))
				h_unmap(&s2.h, s2_page(w, k), PAGE_SIZE);
			else
				h_protect(&s2.h, s2_page(w, k), PAGE_SIZE, S2_PROT_R);
			s2.cleaned[w] = k + 1;
		}
	}
	s2.done = 1;
	sim_barrier_wait(&s2.bar, 4);
}

static void s2_setup_arm(u64 seed, struct sim_config *cfg) { h_setup(cfg, SIM_ARM64, 4, seed); }
static void s2_setup_x86(u64 seed, struct sim_config *cfg) { h_setup(cfg, SIM_X86, 4, seed); }

static int s2_run(u64 seed)
{
	sim_prog_fn progs[4] = { s2_writer, s2_harvester, s2_writer, s2_cleaner };
	void *args[4] = { (void *)0, NULL, (void *)1, NULL };

	memset(&s2, 0, sizeof(s2));
	h_init(8);
	if (h_vm_create(&s2.h, 0, S2_WIN, H_BACK_NONE, 0))
		return 1;
	if (h_map_owned(&s2.h, 0, S2_WIN, S2_PROT_R | S2_PROT_W, false, 0))
		return 1;
	if (s2_dirty_log_start(&s2.h.vm, ipa_init(0), S2_WIN))
		return 1;
	sim_dirty_start(s2.h.handle);
	sim_run(progs, args);
	return 0;
}

static const struct simtest t_s2_arm = {
	.name = "seed002-dirty-harvest-arm64", .setup = s2_setup_arm, .run = s2_run,
	.what = "harvest + unmap + write-protect vs writers through stale TLB entries (R4)",
	.seeds = 120, .soak_seeds = 2000,
};
static const struct simtest t_s2_x86 = {
	.name = "seed002-dirty-harvest-x86", .setup = s2_setup_x86, .run = s2_run,
	.what = "same on x86",
	.seeds = 80, .soak_seeds = 1500,
};
SIMTEST(t_s2_arm)
SIMTEST(t_s2_x86)

/* ==== seed 003: move vs reclaim vs an accessing vCPU (R5) ======================= */

static struct {
	struct hvm h;
	struct sim_barrier bar;
	volatile int mover_done;
	u64 pages[512];
	unsigned int npages;
} s3;

#define S3_A	0ULL
#define S3_B	(8 * MiB)
#define S3_LEN	(2 * MiB)

static void s3_mover(unsigned int cpu, void *arg)
{
	u64 src = S3_A, dst = S3_B;

	sim_barrier_wait(&s3.bar, 3);
	for (int i = 0; i < 8; i++) {
		/* whole 2M (one table pointer), or a 64K piece (descriptor by descriptor) */
		if (sim_rand_below(3)) {
			if (!h_move(&s3.h, src, dst, S3_LEN)) {
				u64 t = src;

				src = dst;
				dst = t;
			}
		} else {
			u64 off = sim_rand_below(S3_LEN / SZ_64K) * SZ_64K;

			if (!h_move(&s3.h, src + off, dst + off, SZ_64K))
				h_move(&s3.h, dst + off, src + off, SZ_64K);
		}
		for (u64 k = sim_rand_below(20); k; k--)
			sim_yield();
	}
	s3.mover_done = 1;
	sim_barrier_wait(&s3.bar, 3);
}

static void s3_reclaimer(unsigned int cpu, void *arg)
{
	sim_barrier_wait(&s3.bar, 3);
	while (!s3.mover_done && s3.npages) {
		unsigned int i = (unsigned int)sim_rand_below(s3.npages);
		u64 pa = s3.pages[i];

		/* found through the reverse map, wherever it lives now */
		h_reclaim_page(&s3.h, pa);
		s3.pages[i] = s3.pages[--s3.npages];
		for (u64 k = sim_rand_below(30); k; k--)
			sim_yield();
	}
	sim_barrier_wait(&s3.bar, 3);
}

static void s3_guest(unsigned int cpu, void *arg)
{
	sim_barrier_wait(&s3.bar, 3);
	while (!s3.mover_done) {
		struct h_vcpu v = { .h = &s3.h, .lo = 0, .hi = S3_B + S3_LEN, .n = 10,
				    .write_pct = 30 };

		/* mostly inside the two ranges */
		v.lo = sim_rand_below(2) ? S3_A : S3_B;
		v.hi = v.lo + S3_LEN;
		h_vcpu_run(&v);
	}
	sim_barrier_wait(&s3.bar, 3);
}

static void s3_setup_arm(u64 seed, struct sim_config *cfg) { h_setup(cfg, SIM_ARM64, 3, seed); }
static void s3_setup_x86(u64 seed, struct sim_config *cfg) { h_setup(cfg, SIM_X86, 3, seed); }

static int s3_run(u64 seed)
{
	sim_prog_fn progs[3] = { s3_mover, s3_reclaimer, s3_guest };

	memset(&s3, 0, sizeof(s3));
	h_init(8);
	if (h_vm_create(&s3.h, 0, S3_B + S3_LEN, H_BACK_NONE, 1024))
		return 1;
	for (u64 p = 0; p < S3_LEN; p += PAGE_SIZE) {
		paddr_t pa;

		if (!palloc_alloc(0, &pa))
			return 1;
		if (s2_map(&s3.h.vm, ipa_init(S3_A + p), pa, PAGE_SIZE, S2_PROT_R | S2_PROT_W,
			   S2_MAP_OWNED | S2_MAP_RMAP | S2_MAP_PAGES))
			return 1;
		s3.pages[s3.npages++] = pa_addr(pa);
	}
	sim_run(progs, NULL);
	return 0;
}

static const struct simtest t_s3_arm = {
	.name = "seed003-move-vs-reclaim-arm64", .setup = s3_setup_arm, .run = s3_run,
	.what = "move A->B, reclaim through the reverse map, guest filling at the new "
		"address: the three-CPU race (R5)",
	.seeds = 240, .soak_seeds = 3000,
};
static const struct simtest t_s3_x86 = {
	.name = "seed003-move-vs-reclaim-x86", .setup = s3_setup_x86, .run = s3_run,
	.what = "same on x86",
	.seeds = 150, .soak_seeds = 1500,
};
SIMTEST(t_s3_arm)
SIMTEST(t_s3_x86)

/* ==== seed 004: empty-table reclaim vs lockless fault walkers (R6) =============== */

static struct {
	struct hvm h;
	struct sim_barrier bar;
	volatile int done;
	volatile u64 chunk;	/* the 2M region the reclaimer works on now */
} s4;

#define S4_WIN	(8 * MiB)

static void s4_walker(unsigned int cpu, void *arg)
{
	sim_barrier_wait(&s4.bar, 3);
	while (!s4.done) {
		struct s2_desc_info out;
		/* mostly where the reclaimer is about to unlink a table */
		u64 ipa = sim_rand_below(5) ? s4.chunk + rnd_pages(0, SZ_2M) : rnd_pages(0, S4_WIN);

		/*
		 * The lockless walk the fault path makes, often preempted half-way
		 * (at one of its descriptor reads: read section entry is point 1).
		 */
		if (sim_rand_below(3))	/* about to read the last-level table */
			sim_nap_at(5 - h_fmt.start_level);
		else if (sim_rand_below(2))
			sim_nap_at(2 + (unsigned int)sim_rand_below(4 - h_fmt.start_level));
		sim_op_begin("fault-walk", 0, ipa, PAGE_SIZE);
		s2_fault_walk(&s4.h.vm, ipa_init(ipa), &out);
		sim_op_end("fault-walk", 0, ipa, PAGE_SIZE, out.type);
		sim_nap_at(0);
		if (sim_rand_below(10) == 0) {
			struct h_vcpu v = { .h = &s4.h, .lo = 0, .hi = S4_WIN, .n = 5,
					    .write_pct = 50 };

			h_vcpu_run(&v);
		}
	}
	sim_barrier_wait(&s4.bar, 3);
}

static void s4_reclaimer(unsigned int cpu, void *arg)
{
	sim_barrier_wait(&s4.bar, 3);
	for (int i = 0; i < 12; i++) {
		u64 chunk = sim_rand_below(S4_WIN / SZ_2M) * SZ_2M;

		s4.chunk = chunk;
		/* refill it (a sparse table) so there is something to reclaim */
		for (int k = 0; k < 4; k++)
			h_map_owned(&s4.h, chunk + (u64)k * 37 * PAGE_SIZE, PAGE_SIZE,
				    S2_PROT_R | S2_PROT_W, false, 0);
		/*
		 * Strike while a lockless walker is preempted (half of the time):
		 * it may hold a pointer into the table about to be unlinked.
		 */
		for (u64 k = sim_rand_below(20); k; k--)
			sim_yield();
		for (int k = 0; k < 3000 && (i & 3); k++) {
			if (sim_nap_left(0) > 700 || sim_nap_left(2) > 700)
				break;
			sim_yield();
		}

		switch (sim_rand_below(3)) {
		case 0:	/* empties a table: unmap frees it */
			h_unmap(&s4.h, chunk, SZ_2M);
			break;
		case 1:	/* empty it piecewise, then reclaim the empty table */
			for (u64 p = chunk; p < chunk + SZ_2M; p += SZ_2M / 4) {
				u64 ipas[1] = { p }, sizes[1] = { SZ_2M / 4 };

				h_unmap_gather(&s4.h, ipas, sizes, 1);
			}
			for (int k = 0; k < 3000 && (i & 3); k++) {
				if (sim_nap_left(0) > 700 || sim_nap_left(2) > 700)
					break;
				sim_yield();
			}
			h_reclaim_tables(&s4.h, sim_rand_below(4) ? chunk : 0,
					 sim_rand_below(4) ? SZ_2M : S4_WIN);
			break;
		default:
			h_reclaim_tables(&s4.h, chunk, SZ_2M);
			break;
		}
		for (u64 k = sim_rand_below(10); k; k--)
			sim_yield();
	}
	s4.done = 1;
	sim_barrier_wait(&s4.bar, 3);
}

/* Walkers preempted mid-walk for long stretches: the window of seed 004. */
static void s4_setup_arm(u64 seed, struct sim_config *cfg) { h_setup(cfg, SIM_ARM64, 3, seed); }
static void s4_setup_x86(u64 seed, struct sim_config *cfg) { h_setup(cfg, SIM_X86, 3, seed); }

static int s4_run(u64 seed)
{
	sim_prog_fn progs[3] = { s4_walker, s4_reclaimer, s4_walker };

	memset(&s4, 0, sizeof(s4));
	h_init(8);
	if (h_vm_create(&s4.h, 0, S4_WIN, H_BACK_ALLOC, 0))
		return 1;
	/* sparse: a few pages per 2M, so tables empty quickly */
	for (u64 c = 0; c < S4_WIN; c += SZ_2M)
		for (int k = 0; k < 4; k++)
			h_map_owned(&s4.h, c + (u64)k * 37 * PAGE_SIZE, PAGE_SIZE,
				    S2_PROT_R | S2_PROT_W, false, 0);
	sim_run(progs, NULL);
	return 0;
}

static const struct simtest t_s4_arm = {
	.name = "seed004-reclaim-vs-lockless-arm64", .setup = s4_setup_arm, .run = s4_run,
	.what = "empty-table reclaim while lockless fault walkers are inside the "
		"tables: grace period (R6)",
	.seeds = 180, .soak_seeds = 2000,
};
static const struct simtest t_s4_x86 = {
	.name = "seed004-reclaim-vs-lockless-x86", .setup = s4_setup_x86, .run = s4_run,
	.what = "same on x86",
	.seeds = 120, .soak_seeds = 1500,
};
SIMTEST(t_s4_arm)
SIMTEST(t_s4_x86)

/* debugging aid: SIMTEST_WATCH=1 prints cpu_state changes of seed000's VM */
#include <stdio.h>
#include <stdlib.h>
extern void (*sim_step_hook)(void);
static void watch_hook(void)
{
	static u64 last = ~0ULL;

	if (s0.h.vm.cpu_state != last) {
		last = s0.h.vm.cpu_state;
		printf("  #%-7llu cpu%u watch cpu_state=%#llx\n", sim_step(), arch_cpu_id(), last);
	}
}
static void __attribute__((constructor)) watch_init(void)
{
	if (getenv("SIMTEST_WATCH"))
		sim_step_hook = watch_hook;
}
