// SPDX-License-Identifier: GPL-2.0
/* The tests. Order = link order = run order. See doc/guests.md. */
#include "guest.h"

#define TEST_AREA	(RAM_BASE + 0x2000000)	/* 32 MiB in: free, 2 MiB aligned */
#define OUTSIDE_IPA	0x20000000UL		/* not RAM, not a device of the VM */

/*
 * Two VMs, same IPAs, different contents (R7: VMID-tagged translations).
 * First in the list so that VMs started together run it at the same time
 * (scripts/tests/arm64-guest-two-vms.sh checks the time windows overlap).
 * vCPU 0 keeps ISO_PAGES pages of its own pattern (VM number in it) and
 * re-reads them for ISO_SECS; vCPU 1 churns another range with UNMAP/MAP
 * and writes+verifies its pattern there. Another VM does the same at the
 * same IPAs. Any value with another VM's number, the free poison, or a
 * pattern this VM did not write in that place is a failure.
 */
#define ISO_STABLE	(RAM_BASE + 0x3000000)	/* 48 MiB in */
#define ISO_CHURN	(RAM_BASE + 0x3200000)	/* 50 MiB in */
#define ISO_PAGES	32
#define ISO_SECS	3
/* With several VMs: absolute counter time (s since reset) all windows reach. */
#define ISO_SHARED_END_SECS	15
#define ISO_PAT(vm, pg, k) (0x1500000000000000UL | ((u64)(vm) + 1) << 48 | \
			    (u64)(pg) << 32 | ((k) & 0xffffffffUL))
#define ISO_VM(v)	((((v) >> 48) & 0xff) - 1)

static struct {
	u32 stop;
	u64 rounds, foreign, poison, wrong, bad_val;
	s64 err;
} iso __attribute__((aligned(64)));

static int iso_check(u64 v, u64 want, u64 *foreign, u64 *poison, u64 *wrong)
{
	if (v == want)
		return 0;
	if (v == POISON)
		(*poison)++;
	else if ((v >> 56) == 0x15 && ISO_VM(v) != vm_id)
		(*foreign)++;
	else
		(*wrong)++;
	return 1;
}

static void iso_churn(void *arg)
{
	(void)arg;
	for (u64 k = 1; !load_acquire(&iso.stop); k++) {
		s64 r;

		for (u64 pg = 0; pg < ISO_PAGES; pg++) {
			volatile u64 *p = (volatile u64 *)(ISO_CHURN + pg * PAGE_SIZE);

			if (*p != 0 && iso_check(*p, 0, &iso.foreign, &iso.poison, &iso.wrong))
				iso.bad_val = *p;	/* fresh page after UNMAP: must be 0 */
			*p = ISO_PAT(vm_id, pg, k);
			p[511] = ISO_PAT(vm_id, pg, k);
		}
		for (u64 pg = 0; pg < ISO_PAGES; pg++) {
			volatile u64 *p = (volatile u64 *)(ISO_CHURN + pg * PAGE_SIZE);

			if (iso_check(*p, ISO_PAT(vm_id, pg, k), &iso.foreign, &iso.poison, &iso.wrong) |
			    iso_check(p[511], ISO_PAT(vm_id, pg, k), &iso.foreign, &iso.poison, &iso.wrong))
				iso.bad_val = *p;
		}
		if ((r = hyp_call(HC_UNMAP, ISO_CHURN, ISO_PAGES * PAGE_SIZE, 0).a0) ||
		    (r = hyp_call(HC_MAP, ISO_CHURN, ISO_PAGES / 2 * PAGE_SIZE, 0).a0)) {
			iso.err = r;
			break;
		}
		iso.rounds++;
	}
}

GTEST(vm_isolation)
{
	u64 t0, t1, end, rounds = 0, foreign = 0, poison = 0, wrong = 0, bad = 0;

	if (nr_cpus < 2)
		SKIP("needs 2 vCPUs");
	hyp_call(HC_UNMAP, ISO_STABLE, 2 * SZ_2M, 0);
	for (u64 pg = 0; pg < ISO_PAGES; pg++)
		for (u64 w = 0; w < 512; w += 64)
			*(volatile u64 *)(ISO_STABLE + pg * PAGE_SIZE + w * 8) = ISO_PAT(vm_id, pg, w);
	t0 = clock_ticks();
	end = t0 + ISO_SECS * clock_hz();
	/*
	 * Beside other VMs, also run until a deadline on the counter all VMs
	 * share, so the windows overlap however late this VM started.
	 */
	if (nr_vms > 1 && end < ISO_SHARED_END_SECS * clock_hz())
		end = ISO_SHARED_END_SECS * clock_hz();
	cpu_run(1, iso_churn, NULL);
	while (clock_ticks() < end) {
		for (u64 pg = 0; pg < ISO_PAGES; pg++)
			for (u64 w = 0; w < 512; w += 64) {
				u64 v = *(volatile u64 *)(ISO_STABLE + pg * PAGE_SIZE + w * 8);

				if (iso_check(v, ISO_PAT(vm_id, pg, w), &foreign, &poison, &wrong))
					bad = v;
			}
		rounds++;
	}
	t1 = clock_ticks();
	store_release(&iso.stop, 1);
	cpu_wait(1);
	hyp_call(HC_UNMAP, ISO_STABLE, 2 * SZ_2M, 0);
	hyp_call(HC_RECLAIM, ISO_STABLE, 2 * SZ_2M, 0);
	if (iso.err)
		FAIL("churn hypercall: %ld", iso.err);
	if (foreign + poison + wrong + iso.foreign + iso.poison + iso.wrong)
		FAIL("stable: %lu foreign %lu poison %lu wrong (%lx); churn: %lu foreign "
		     "%lu poison %lu wrong (%lx)", foreign, poison, wrong, bad, iso.foreign,
		     iso.poison, iso.wrong, iso.bad_val);
	if (!iso.rounds)
		FAIL("no churn round completed");
	snprintf(msg, len, "(vm%u: %lu verify rounds, %lu churn rounds, t=%lu..%lu ms)", vm_id,
		 rounds, iso.rounds, t0 / (clock_hz() / 1000), t1 / (clock_hz() / 1000));
	return 0;
}

static u32 hello[GUEST_MAX_CPUS];

static void say_hello(void *arg)
{
	(void)arg;
	WRITE_ONCE(hello[cpu_id()], 1);
}

GTEST(smp_cpu_on)
{
	if (nr_cpus < 2)
		FAIL("only %u vCPU(s): the config gives this VM 3", nr_cpus);
	for (unsigned int c = 1; c < nr_cpus; c++) {
		cpu_run(c, say_hello, NULL);
		cpu_wait(c);
		if (!READ_ONCE(hello[c]))
			FAIL("cpu%u did not run its work", c);
		if (arch_cpu_is_off(c))
			FAIL("cpu%u reported off while it runs", c);
	}
	return 0;
}

/* The stage-1 MMU (arm64 mmu.c) is on on every vCPU, and RAM is cached memory. */
static u32 mmu_on[GUEST_MAX_CPUS];

static void check_mmu(void *arg)
{
	(void)arg;
	WRITE_ONCE(mmu_on[cpu_id()], arch_mmu_on() ? 1 : 2);
}

GTEST(stage1_mmu)
{
	for (unsigned int c = 0; c < nr_cpus; c++) {
		if (c) {
			cpu_run(c, check_mmu, NULL);
			cpu_wait(c);
		} else {
			check_mmu(NULL);
		}
		if (READ_ONCE(mmu_on[c]) != 1)
			FAIL("cpu%u: stage-1 MMU off", c);
	}
	/* An unaligned access is legal on Normal memory (it faults on Device). */
	{
		static u64 buf[2];
		volatile u32 *p = (volatile u32 *)((u8 *)buf + 6);

		*p = 0x12345678;
		if (*p != 0x12345678)
			FAIL("unaligned access to RAM read back %x", *p);
	}
	return 0;
}

GTEST(abort_outside_map)
{
	u64 esr, far;

	expect_fault();
	(void)*(volatile u64 *)OUTSIDE_IPA;
	esr = fault_taken(&far);
	if (!esr)
		FAIL("read of IPA %lx outside the memory map did not fault", OUTSIDE_IPA);
	if (!arch_fault_is_external(esr))
		FAIL("syndrome %lx: want " ARCH_FAULT_EXTERNAL_DESC, esr);
	if (far != OUTSIDE_IPA)
		FAIL("FAR %lx, want %lx", far, OUTSIDE_IPA);
	/* The hypervisor survived and the VM still runs: a second one too. */
	expect_fault();
	*(volatile u64 *)(OUTSIDE_IPA + 8) = 1;
	if (!fault_taken(NULL))
		FAIL("write outside the memory map did not fault");
	return 0;
}

/*
 * A guest looping on a bad access (doc/console.md): 200 more reads outside
 * the memory map, each must still fault; the hypervisor rate-limits its
 * warning about them (scripts/tests/arm64-guest-basic.sh counts the lines).
 */
#define WARN_FLOOD	200

GTEST(warn_flood)
{
	for (unsigned int i = 0; i < WARN_FLOOD; i++) {
		expect_fault();
		(void)*(volatile u64 *)(OUTSIDE_IPA + 16 * i);
		if (!fault_taken(NULL))
			FAIL("read %u of %u outside the memory map did not fault", i, WARN_FLOOD);
	}
	return 0;
}

GTEST(hypercall_args)
{
	const struct { u64 fn, a1, a2, a3; s64 want; const char *what; } c[] = {
		{ HC_UNMAP, TEST_AREA + 1, PAGE_SIZE, 0, HC_ERR(HC_E_ALIGN), "unaligned ipa" },
		{ HC_UNMAP, TEST_AREA, 100, 0, HC_ERR(HC_E_ALIGN), "unaligned size" },
		{ HC_UNMAP, TEST_AREA, 0, 0, HC_ERR(HC_E_INVAL), "size 0" },
		{ HC_UNMAP, 0x80000000UL, PAGE_SIZE, 0, HC_ERR(HC_E_RANGE), "outside RAM" },
		{ HC_UNMAP, RAM_BASE + RAM_SIZE - PAGE_SIZE, 2 * PAGE_SIZE, 0, HC_ERR(HC_E_RANGE), "crosses RAM end" },
		{ HC_UNMAP, ~0UL & ~0xfffUL, PAGE_SIZE * 2, 0, HC_ERR(HC_E_RANGE), "wraps" },
		{ HC_MAP, TEST_AREA, 4 * SZ_2M, 0, HC_ERR(HC_E_INVAL), "map too large" },
		{ HC_PROTECT, TEST_AREA, PAGE_SIZE, 2, HC_ERR(HC_E_INVAL), "prot without R" },
		{ HC_PROTECT, TEST_AREA, PAGE_SIZE, 0x10, HC_ERR(HC_E_INVAL), "unknown prot bit" },
		{ HC_MOVE, TEST_AREA, TEST_AREA + PAGE_SIZE, 2 * PAGE_SIZE, HC_ERR(HC_E_INVAL), "overlap" },
		{ HC_COUNTER, 1000, 0, 0, HC_ERR(HC_E_RANGE), "counter index" },
		{ HC_COUNTER, HC_CNT_NR - 1, 0, 0, 0, "last counter in the list" },
		{ HC_COUNTER, HC_CNT_NR, 0, 0, HC_ERR(HC_E_RANGE), "counter index past the list" },
		/* Errors only: a valid call would change the VM's configured delays. */
		{ HC_RACE_DELAY, 3, 1, 10, HC_ERR(HC_E_RANGE), "race point" },
		{ HC_RACE_DELAY, 0, 3, 10, HC_ERR(HC_E_INVAL), "race mode" },
		{ HC_RACE_DELAY, 0, 1, 0, HC_ERR(HC_E_INVAL), "race delay 0" },
		{ HC_RACE_DELAY, 0, 2, 100001, HC_ERR(HC_E_RANGE), "race delay too long" },
		{ 0xc600ff00UL, 0, 0, 0, -1, "unknown function" },
	};

	for (unsigned int i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		s64 r = hyp_call(c[i].fn, c[i].a1, c[i].a2, c[i].a3).a0;

		if (r != c[i].want)
			FAIL("%s: got %ld, want %ld", c[i].what, r, c[i].want);
	}
	return 0;
}

GTEST(map_unmap_move)
{
	volatile u64 *a = (volatile u64 *)TEST_AREA, *b = (volatile u64 *)(TEST_AREA + SZ_2M);
	s64 r;

	hyp_call(HC_UNMAP, TEST_AREA, 2 * SZ_2M, 0);
	if ((r = hyp_call(HC_MAP, TEST_AREA, PAGE_SIZE, 0).a0))
		FAIL("MAP: %ld", r);
	if (hyp_call(HC_MAP, TEST_AREA, PAGE_SIZE, 0).a0 != HC_ERR(HC_E_EXIST))
		FAIL("MAP over a mapped page did not say HC_E_EXIST");
	if (*a != 0)
		FAIL("a fresh page is not zero: %lx", *a);
	*a = 0x1234;
	if ((r = hyp_call(HC_MOVE, TEST_AREA, TEST_AREA + SZ_2M, PAGE_SIZE).a0))
		FAIL("MOVE: %ld", r);
	if (*b != 0x1234)
		FAIL("moved page reads %lx", *b);
	if (*a != 0)	/* the old IPA demand-faults a fresh zero page */
		FAIL("old IPA after move reads %lx", *a);
	if ((r = hyp_call(HC_UNMAP, TEST_AREA, 2 * SZ_2M, 0).a0))
		FAIL("UNMAP: %ld", r);
	if ((r = hyp_call(HC_RECLAIM, TEST_AREA, 2 * SZ_2M, 0).a0))
		FAIL("RECLAIM: %ld", r);
	return 0;
}

/*
 * Batching through the counters: unmapping 512 contiguous pages in one
 * hypercall is one invalidation batch; mapping a new page is none.
 */
GTEST(counters_batching)
{
	u64 before, after;
	s64 r;

	if (hyp_flags & HYP_F_CHURN)
		SKIP("the hypervisor churns this VM: invalidation counts are not this test's alone");

	for (u64 p = 0; p < 512; p++)	/* demand-fault 512 4K pages */
		*(volatile u64 *)(TEST_AREA + p * PAGE_SIZE) = p + 1;
	before = hyp_counter(HC_CNT_INVALIDATIONS);
	if ((r = hyp_call(HC_UNMAP, TEST_AREA, SZ_2M, 0).a0))
		FAIL("UNMAP: %ld", r);
	after = hyp_counter(HC_CNT_INVALIDATIONS);
	if (after - before != 1)
		FAIL("unmap of 512 pages: %lu invalidation batches, want 1", after - before);
	before = after;
	if ((r = hyp_call(HC_MAP, TEST_AREA, PAGE_SIZE, 0).a0))
		FAIL("MAP: %ld", r);
	(void)*(volatile u64 *)(TEST_AREA + PAGE_SIZE);	/* and a demand fault */
	after = hyp_counter(HC_CNT_INVALIDATIONS);
	if (after != before)
		FAIL("map + demand fault: %lu invalidations, want 0", after - before);
	hyp_call(HC_UNMAP, TEST_AREA, SZ_2M, 0);
	return 0;
}

/*
 * Stale read after unmap (R1). cpu1 hammers reads of page P while cpu0
 * unmaps it. Once UNMAP has returned, no read may return the old contents
 * or the hypervisor's poison (the freed page seen through a stale TLB
 * entry): P demand-faults to a fresh zero page. cpu1 checks this seqlock
 * style: a read counts only if the phase was "unmapped" both before and
 * after it. Poison is a failure at any time.
 */
#define STALE_ROUNDS	200
static struct {
	u64 phase;		/* 2k: page holds pattern(k); 2k+1: UNMAP(k) returned */
	u64 ack;		/* phase cpu1 has checked */
	u64 stale, poison, reads;
	u64 bad_val, bad_phase;
	u32 stop;
} st __attribute__((aligned(64)));

#define P_ADDR		(TEST_AREA + 5 * PAGE_SIZE)
#define PATTERN(k)	(0x5a5a000000000000UL | (k))

static void stale_reader(void *arg)
{
	volatile u64 *p = (volatile u64 *)P_ADDR;
	u64 checked = 0;

	(void)arg;
	while (!load_acquire(&st.stop)) {
		u64 ph = load_acquire(&st.phase), v, ph2;

		v = *p;
		smp_mb();
		ph2 = READ_ONCE(st.phase);
		st.reads++;
		if (v == POISON) {
			st.poison++;
			st.bad_val = v;
			st.bad_phase = ph;
		} else if ((ph & 1) && ph == ph2 && v != 0) {
			st.stale++;
			st.bad_val = v;
			st.bad_phase = ph;
		}
		if ((ph & 1) && ph == ph2 && ++checked >= 4) {
			store_release(&st.ack, ph);
			checked = 0;
		}
	}
}

GTEST(stale_read_after_unmap)
{
	volatile u64 *p = (volatile u64 *)P_ADDR;

	if (nr_cpus < 2)
		FAIL("needs 2 vCPUs");
	hyp_call(HC_UNMAP, TEST_AREA, SZ_2M, 0);
	*p = PATTERN(0);
	cpu_run(1, stale_reader, NULL);
	for (u64 k = 0; k < STALE_ROUNDS; k++) {
		u64 r0 = READ_ONCE(st.reads);
		s64 r;

		while (READ_ONCE(st.reads) < r0 + 20)	/* let cpu1 cache P */
			cpu_relax();
		if ((r = hyp_call(HC_UNMAP, P_ADDR, PAGE_SIZE, 0).a0)) {
			store_release(&st.stop, 1);
			cpu_wait(1);
			FAIL("UNMAP: %ld", r);
		}
		store_release(&st.phase, 2 * k + 1);
		while (load_acquire(&st.ack) != 2 * k + 1)
			cpu_relax();
		/* Rule: phase before contents (cpu1's seqlock relies on it). */
		store_release(&st.phase, 2 * k + 2);
		smp_mb();
		*p = PATTERN(k + 1);
	}
	store_release(&st.stop, 1);
	cpu_wait(1);
	hyp_call(HC_UNMAP, TEST_AREA, SZ_2M, 0);
	if (st.stale || st.poison)
		FAIL("%lu stale and %lu poisoned reads of %lu (last %lx in phase %lu)",
		     st.stale, st.poison, st.reads, st.bad_val, st.bad_phase);
	snprintf(msg, len, "(%u rounds, %lu reads)", STALE_ROUNDS, st.reads);
	return 0;
}

/*
 * Overlapping unmaps from two vCPUs (seed 000, R2). cpu2 warms its TLB on
 * the range, then cpu0 and cpu1 UNMAP the same 2 MiB at once. As soon as
 * EITHER returned, the range must be gone for cpu2: every read returns 0
 * (a fresh demand-faulted page), never the old pattern, never poison. An
 * unmapper that trusts the other's flush and returns early fails this.
 */
#define OV_AREA		(RAM_BASE + 0x2400000)	/* 36 MiB in, 2 MiB */
#define OV_PAGES	64
#define OV_ROUNDS	100
#define OV_PAT(k)	(0x0e0e000000000000UL | (k))
static struct {
	u64 round, warm, go, done0, done1, checked;
	u64 stale, poison, other, bad_val, err;
	u32 stop;
} ov __attribute__((aligned(64)));

static void ov_unmapper(void *arg)
{
	(void)arg;
	for (u64 k = 1; k <= OV_ROUNDS; k++) {
		s64 r;

		while (load_acquire(&ov.go) < k)
			if (load_acquire(&ov.stop))
				return;
		r = hyp_call(HC_UNMAP, OV_AREA, SZ_2M, 0).a0;
		if (r)
			ov.err = (u64)r;
		store_release(&ov.done1, k);
	}
}

static void ov_checker(void *arg)
{
	(void)arg;
	for (u64 k = 1; k <= OV_ROUNDS; k++) {
		while (load_acquire(&ov.round) < k)
			if (load_acquire(&ov.stop))
				return;
		for (u64 p = 0; p < OV_PAGES; p++)	/* cache every translation */
			(void)*(volatile u64 *)(OV_AREA + p * PAGE_SIZE);
		store_release(&ov.warm, k);
		while (load_acquire(&ov.done0) < k && load_acquire(&ov.done1) < k)
			;
		for (u64 p = 0; p < OV_PAGES; p++) {
			u64 v = *(volatile u64 *)(OV_AREA + p * PAGE_SIZE);

			if (v == 0)
				continue;
			if (v == POISON)
				ov.poison++;
			else if (v == OV_PAT(k))
				ov.stale++;
			else
				ov.other++;
			ov.bad_val = v;
		}
		store_release(&ov.checked, k);
	}
}

GTEST(overlapping_unmaps)
{
	if (nr_cpus < 3)
		SKIP("needs 3 vCPUs");
	hyp_call(HC_UNMAP, OV_AREA, SZ_2M, 0);
	cpu_run(1, ov_unmapper, NULL);
	cpu_run(2, ov_checker, NULL);
	for (u64 k = 1; k <= OV_ROUNDS; k++) {
		s64 r;

		for (u64 p = 0; p < OV_PAGES; p++)
			*(volatile u64 *)(OV_AREA + p * PAGE_SIZE) = OV_PAT(k);
		store_release(&ov.round, k);
		while (load_acquire(&ov.warm) < k)
			;
		store_release(&ov.go, k);
		r = hyp_call(HC_UNMAP, OV_AREA, SZ_2M, 0).a0;
		if (r)
			ov.err = (u64)r;
		store_release(&ov.done0, k);
		while (load_acquire(&ov.checked) < k || load_acquire(&ov.done1) < k)
			;
	}
	store_release(&ov.stop, 1);
	cpu_wait(1);
	cpu_wait(2);
	hyp_call(HC_UNMAP, OV_AREA, SZ_2M, 0);
	if (ov.err)
		FAIL("UNMAP: %ld", (s64)ov.err);
	if (ov.stale || ov.poison || ov.other)
		FAIL("after an UNMAP returned: %lu stale, %lu poison, %lu other reads (last %lx)",
		     ov.stale, ov.poison, ov.other, ov.bad_val);
	snprintf(msg, len, "(%u rounds x %u pages)", OV_ROUNDS, OV_PAGES);
	return 0;
}

/*
 * Lost write after move (R5). cpu1 and cpu2 write increasing sequence
 * numbers into their own word of every page of S; cpu0 MOVEs S to D.
 * Every write a writer had finished before MOVE was called must be at D;
 * after MOVE returned, D never changes again (a write through a stale S
 * translation would land in the moved page: lost for S), and the writers'
 * last writes (made after MOVE returned) are all found at S.
 */
#define MV_SRC		(RAM_BASE + 0x2800000)	/* 40 MiB in */
#define MV_DST		(RAM_BASE + 0x2a00000)	/* 42 MiB in */
#define MV_PAGES	16
#define MV_ROUNDS	40
static struct {
	u64 seq[GUEST_MAX_CPUS];	/* last sequence written to every page */
	u64 run, stop_round;
	u64 parked[GUEST_MAX_CPUS];	/* round the writer finished its last pass of */
	u32 stop;
} mv __attribute__((aligned(64)));

static void mv_writer(void *arg)
{
	unsigned int c = cpu_id();
	u64 seq = 0;

	(void)arg;
	for (u64 k = 1; k <= MV_ROUNDS; k++) {
		while (load_acquire(&mv.run) < k)
			if (load_acquire(&mv.stop))
				return;
		while (load_acquire(&mv.stop_round) < k) {
			seq++;
			for (u64 p = 0; p < MV_PAGES; p++)
				*(volatile u64 *)(MV_SRC + p * PAGE_SIZE + c * 8) = seq;
			smp_mb();
			store_release(&mv.seq[c], seq);
		}
		store_release(&mv.parked[c], k);
	}
}

GTEST(lost_write_after_move)
{
	u64 before[3], snap[MV_PAGES][3], lost = 0, late = 0, missing = 0, poison = 0, bad = 0;

	if (nr_cpus < 3)
		SKIP("needs 3 vCPUs");
	cpu_run(1, mv_writer, NULL);
	cpu_run(2, mv_writer, NULL);
	for (u64 k = 1; k <= MV_ROUNDS; k++) {
		u64 at_return[3];
		s64 r;

		hyp_call(HC_UNMAP, MV_SRC, 2 * SZ_2M, 0);
		store_release(&mv.run, k);
		for (unsigned int c = 1; c < 3; c++) {	/* both writers are writing */
			u64 s0 = load_acquire(&mv.seq[c]);

			while (load_acquire(&mv.seq[c]) < s0 + 2)
				;
		}
		for (unsigned int c = 1; c < 3; c++)
			before[c] = load_acquire(&mv.seq[c]);
		r = hyp_call(HC_MOVE, MV_SRC, MV_DST, MV_PAGES * PAGE_SIZE).a0;
		if (r) {
			store_release(&mv.stop, 1);
			store_release(&mv.stop_round, MV_ROUNDS);
			cpu_wait(1);
			cpu_wait(2);
			FAIL("MOVE: %ld", r);
		}
		for (u64 p = 0; p < MV_PAGES; p++)
			for (unsigned int c = 1; c < 3; c++)
				snap[p][c] = *(volatile u64 *)(MV_DST + p * PAGE_SIZE + c * 8);
		for (unsigned int c = 1; c < 3; c++)
			at_return[c] = load_acquire(&mv.seq[c]);
		for (unsigned int c = 1; c < 3; c++)	/* two full passes after the return */
			while (load_acquire(&mv.seq[c]) < at_return[c] + 2)
				;
		store_release(&mv.stop_round, k);
		smp_mb();
		/* a writer finishes its pass and then waits for the next round */
		for (unsigned int c = 1; c < 3; c++)
			while (load_acquire(&mv.parked[c]) < k)
				;
		for (u64 p = 0; p < MV_PAGES; p++)
			for (unsigned int c = 1; c < 3; c++) {
				u64 d = *(volatile u64 *)(MV_DST + p * PAGE_SIZE + c * 8);
				u64 s = *(volatile u64 *)(MV_SRC + p * PAGE_SIZE + c * 8);
				u64 fin = load_acquire(&mv.seq[c]);

				if (d == POISON || s == POISON)
					poison++;
				if (snap[p][c] < before[c])
					lost++, bad = snap[p][c];	/* a pre-MOVE write not at D */
				if (d != snap[p][c])
					late++, bad = d;		/* D changed after MOVE returned */
				if (s != fin)
					missing++, bad = s;		/* a post-MOVE write not at S */
			}
	}
	store_release(&mv.stop, 1);
	cpu_wait(1);
	cpu_wait(2);
	hyp_call(HC_UNMAP, MV_SRC, 2 * SZ_2M, 0);
	if (lost || late || missing || poison)
		FAIL("%lu pre-move writes not at dst, %lu dst changes after MOVE returned, "
		     "%lu post-move writes not at src, %lu poison (last %lx)",
		     lost, late, missing, poison, bad);
	snprintf(msg, len, "(%u moves of %u pages, writer seqs %lu/%lu)", MV_ROUNDS, MV_PAGES,
		 mv.seq[1], mv.seq[2]);
	return 0;
}

/*
 * Dirty-log harvest racing writers (seed 002, R4). cpu1 and cpu2 keep
 * writing new values into every page of a logged range; cpu0 harvests
 * (HC_DIRTY_HARVEST) in a loop and keeps a copy of each page as of the
 * harvest that last reported it. A page not reported must be unchanged
 * since that copy, except for writes after the harvest returned, which
 * the next harvest must report: a page that differs and is not reported
 * by the next harvest either is a write missing from the log.
 */
#define DL_AREA		(RAM_BASE + 0x2c00000)	/* 44 MiB in */
#define DL_PAGES	64
#define DL_HARVESTS	300
static struct {
	u32 stop;
	u64 writes[GUEST_MAX_CPUS];
} dl __attribute__((aligned(64)));

static void dl_writer(void *arg)
{
	unsigned int c = cpu_id();
	u64 seq = 0, p = c;

	(void)arg;
	while (!load_acquire(&dl.stop)) {
		p = (p * 7 + 3) % DL_PAGES;
		*(volatile u64 *)(DL_AREA + p * PAGE_SIZE + c * 8) = ++seq;
		WRITE_ONCE(dl.writes[c], seq);
	}
}

static u64 dl_copy[DL_PAGES][3];

static u64 popcount(u64 w)
{
	u64 n = 0;

	for (; w; w &= w - 1)
		n++;
	return n;
}

GTEST(dirty_log_harvest)
{
	u64 pending = 0, lost = 0, reported = 0, lost_page = 0;
	s64 r;

	if (nr_cpus < 3)
		SKIP("needs 3 vCPUs");
	hyp_call(HC_UNMAP, DL_AREA, SZ_2M, 0);
	if (hyp_call(HC_DIRTY_HARVEST, 0, 0, 0).a0 != HC_ERR(HC_E_NOENT))
		FAIL("HARVEST with logging off did not say HC_E_NOENT");
	if (hyp_call(HC_DIRTY_START, DL_AREA, 65 * PAGE_SIZE, 0).a0 != HC_ERR(HC_E_INVAL))
		FAIL("DIRTY_START of 65 pages did not say HC_E_INVAL");
	for (u64 p = 0; p < DL_PAGES; p++)
		*(volatile u64 *)(DL_AREA + p * PAGE_SIZE) = 1;	/* mapped, writable */
	if ((r = hyp_call(HC_DIRTY_START, DL_AREA, DL_PAGES * PAGE_SIZE, 0).a0))
		FAIL("DIRTY_START: %ld", r);
	if (hyp_call(HC_DIRTY_START, DL_AREA, DL_PAGES * PAGE_SIZE, 0).a0 != HC_ERR(HC_E_EXIST))
		FAIL("second DIRTY_START did not say HC_E_EXIST");
	for (u64 p = 0; p < DL_PAGES; p++)
		for (unsigned int c = 1; c < 3; c++)
			dl_copy[p][c] = *(volatile u64 *)(DL_AREA + p * PAGE_SIZE + c * 8);
	cpu_run(1, dl_writer, NULL);
	cpu_run(2, dl_writer, NULL);
	for (unsigned int c = 1; c < 3; c++)	/* both writers are running */
		while (load_acquire(&dl.writes[c]) < 64)
			;
	for (unsigned int h = 0; h <= DL_HARVESTS; h++) {
		struct hyp_res res;
		u64 bits;

		if (h == DL_HARVESTS) {		/* last one: writers stopped */
			store_release(&dl.stop, 1);
			cpu_wait(1);
			cpu_wait(2);
		}
		res = hyp_call(HC_DIRTY_HARVEST, 0, 0, 0);
		if (res.a0) {
			store_release(&dl.stop, 1);
			FAIL("HARVEST: %ld", res.a0);
		}
		bits = res.a1;
		if (popcount(bits) != res.a2)
			FAIL("HARVEST: count %lu but %lu bits", res.a2, popcount(bits));
		reported += res.a2;
		lost |= pending & ~bits;
		if (pending & ~bits)
			lost_page = (u64)__builtin_ctzl(pending & ~bits);
		pending = 0;
		for (u64 p = 0; p < DL_PAGES; p++)
			for (unsigned int c = 1; c < 3; c++) {
				u64 v = *(volatile u64 *)(DL_AREA + p * PAGE_SIZE + c * 8);

				if (bits & (1UL << p))
					dl_copy[p][c] = v;
				else if (v != dl_copy[p][c])
					pending |= 1UL << p;
			}
	}
	lost |= pending;	/* writers stopped before the last harvest */
	hyp_call(HC_DIRTY_STOP, 0, 0, 0);
	if (hyp_call(HC_DIRTY_HARVEST, 0, 0, 0).a0 != HC_ERR(HC_E_NOENT))
		FAIL("HARVEST after DIRTY_STOP did not say HC_E_NOENT");
	hyp_call(HC_UNMAP, DL_AREA, SZ_2M, 0);
	if (lost)
		FAIL("writes missing from the dirty log: pages %lx (e.g. page %lu)", lost, lost_page);
	if (!reported)
		FAIL("no page was ever reported dirty");
	snprintf(msg, len, "(%u harvests, %lu pages reported, %lu+%lu writes)", DL_HARVESTS,
		 reported, dl.writes[1], dl.writes[2]);
	return 0;
}

/*
 * Stale source after move (R5, seed 003). cpu2 keeps reading page S (its TLB
 * holds S); cpu0 MOVEs S to D; cpu1 meanwhile tries to MAP a fresh page at S
 * and, once that succeeded, writes a mark there and publishes it. MAP can
 * only succeed after the move cleared S and released the lock, and a correct
 * move invalidates S before releasing it: so once cpu2 sees the publication,
 * a read of S must never return the moved page's old pattern (nor poison).
 * A move that invalidates after unlocking (move-flush-after-unlock) lets
 * cpu1 map S while cpu2 still reads the old page; the race-widening point
 * CLEAR_INVAL (configs/vms/attack.dts) makes that window milliseconds wide.
 * If cpu2's own demand fault maps S first, cpu1's MAP says HC_E_EXIST and the
 * round checks nothing.
 */
#define SM_SRC		(RAM_BASE + 0x3400000)	/* 52 MiB in */
#define SM_DST		(RAM_BASE + 0x3600000)	/* 54 MiB in */
#define SM_ROUNDS	40
#define SM_PAT(k)	(0x3c3c000000000000UL | (k))
#define SM_MARK(k)	(0x7e7e000000000000UL | (k))
static struct {
	u64 round, warm, go, moved, mapped, given_up, done2;
	u64 stale, poison, other, hits, bad_val, err;
	u32 stop;
} sm __attribute__((aligned(64)));

static void sm_mapper(void *arg)
{
	(void)arg;
	for (u64 k = 1; k <= SM_ROUNDS; k++) {
		while (load_acquire(&sm.go) < k)
			if (load_acquire(&sm.stop))
				return;
		for (;;) {
			u64 moved = load_acquire(&sm.moved);
			s64 r = hyp_call(HC_MAP, SM_SRC, PAGE_SIZE, 0).a0;

			if (r == 0) {
				*(volatile u64 *)SM_SRC = SM_MARK(k);
				store_release(&sm.mapped, k);
				break;
			}
			if (r != HC_ERR(HC_E_EXIST))
				sm.err = (u64)r;
			if (r != HC_ERR(HC_E_EXIST) || moved >= k) {
				store_release(&sm.given_up, k);
				break;
			}
		}
	}
}

static void sm_reader(void *arg)
{
	(void)arg;
	for (u64 k = 1; k <= SM_ROUNDS; k++) {
		u64 n = 0;

		while (load_acquire(&sm.round) < k)
			if (load_acquire(&sm.stop))
				return;
		/* Until MOVE returned and cpu1 finished: read S, checking after publication. */
		while (load_acquire(&sm.mapped) < k && load_acquire(&sm.given_up) < k) {
			u64 m = load_acquire(&sm.mapped), v = *(volatile u64 *)SM_SRC;

			if (++n == 20)
				store_release(&sm.warm, k);
			if (v == POISON) {
				sm.poison++;
				sm.bad_val = v;
			} else if (m >= k && v == SM_PAT(k)) {
				sm.stale++;
				sm.bad_val = v;
			}
		}
		if (n < 20)
			store_release(&sm.warm, k);
		for (unsigned int i = 0; i < 1000; i++) {	/* and a while after it */
			u64 m = load_acquire(&sm.mapped), v = *(volatile u64 *)SM_SRC;

			if (v == POISON) {
				sm.poison++;
				sm.bad_val = v;
			} else if (m >= k && v == SM_PAT(k)) {
				sm.stale++;
				sm.bad_val = v;
			} else if (m >= k && v != SM_MARK(k) && v != 0) {
				sm.other++;
				sm.bad_val = v;
			}
		}
		if (load_acquire(&sm.mapped) >= k)
			sm.hits++;
		store_release(&sm.done2, k);
	}
}

GTEST(stale_source_after_move)
{
	if (nr_cpus < 3)
		SKIP("needs 3 vCPUs");
	cpu_run(1, sm_mapper, NULL);
	cpu_run(2, sm_reader, NULL);
	for (u64 k = 1; k <= SM_ROUNDS; k++) {
		s64 r;

		hyp_call(HC_UNMAP, SM_SRC, 2 * SZ_2M, 0);
		*(volatile u64 *)SM_SRC = SM_PAT(k);	/* demand-faulted page */
		store_release(&sm.round, k);
		while (load_acquire(&sm.warm) < k)	/* cpu2's TLB holds S */
			;
		store_release(&sm.go, k);
		r = hyp_call(HC_MOVE, SM_SRC, SM_DST, PAGE_SIZE).a0;
		if (r)
			sm.err = (u64)r;
		store_release(&sm.moved, k);
		if (!r && *(volatile u64 *)SM_DST != SM_PAT(k))
			sm.other++;
		while (load_acquire(&sm.done2) < k)
			;
	}
	store_release(&sm.stop, 1);
	cpu_wait(1);
	cpu_wait(2);
	hyp_call(HC_UNMAP, SM_SRC, 2 * SZ_2M, 0);
	if (sm.err)
		FAIL("MOVE/MAP: %ld", (s64)sm.err);
	if (sm.stale || sm.poison || sm.other)
		FAIL("after MAP at the old source: %lu stale, %lu poison, %lu other reads (last %lx)",
		     sm.stale, sm.poison, sm.other, sm.bad_val);
	snprintf(msg, len, "(%u rounds, %lu with cpu1's MAP first)", SM_ROUNDS, sm.hits);
	return 0;
}
