// SPDX-License-Identifier: GPL-2.0
/*
 * Attack tests on table reclaim (doc/guests.md): RECLAIM frees empty stage-2
 * tables while other vCPUs move, fault and write in the same range (seeds
 * 003 and 004, rules R5 and R6). Each needs 3 vCPUs on separate physical
 * CPUs (configs/vms/guest-tests.dts, attack.dts). Run after tests.c's.
 */
#include "guest.h"

/*
 * Move racing reclaim (seed 003, R5/R6). The data of MR_PAGES pages lives
 * at A or B (two separate 2 MiB ranges, so each has its own level-3 table).
 * Per round k, cpu0 MOVEs it from src to dst (A->B, then B->A, ...); cpu1
 * RECLAIMs empty tables over A and B all the time (the range just vacated,
 * the range being moved into); cpu2 writes increasing sequence numbers into
 * its word of every page at src. Checks, as in lost_write_after_move: every
 * pass cpu2 finished before MOVE was called is at dst (no lost write); dst
 * does not change after MOVE returned (no write through a stale src
 * translation); cpu2's passes after MOVE returned are all at src (fresh
 * pages, faulted into a table that may have been reclaimed: no write into a
 * freed table); the words nobody writes stay 0 and no word is poison (a
 * freed page or table). Then cpu0 UNMAPs src (cpu2's new pages), making it
 * the empty destination of the next round.
 */
#define MR_A		(RAM_BASE + 0x1000000)	/* 16 MiB in */
#define MR_B		(RAM_BASE + 0x1400000)	/* 20 MiB in */
#define MR_PAGES	16
#define MR_ROUNDS	40
#define MR_WORD		3			/* cpu2's word in every page */
#define MR_QUIET	200			/* a word nobody writes */
static struct {
	u64 src, run, stop_round, seq, parked, reclaims, reclaim_err;
	u32 stop;
} mr __attribute__((aligned(64)));

/*
 * One RECLAIM per pass of the writer (or while the mover waits), not in a
 * tight loop: a fault retries (-HC_E_AGAIN) while any gather of the VM is in
 * flight, and RECLAIM always runs a gather, so a vCPU that RECLAIMs
 * back to back starves the other vCPUs' faults forever (measured: the test
 * hung; doc/guests.md "Findings").
 */
static void mr_reclaimer(void *arg)
{
	(void)arg;
	while (!load_acquire(&mr.stop)) {
		u64 seq = load_acquire(&mr.seq);
		s64 r = hyp_call(HC_RECLAIM, MR_A, MR_B + SZ_2M - MR_A, 0).a0;

		if (r)
			mr.reclaim_err = (u64)r;
		mr.reclaims++;
		while (load_acquire(&mr.seq) == seq && !load_acquire(&mr.stop))
			cpu_relax();
	}
}

static void mr_writer(void *arg)
{
	u64 seq = 0;

	(void)arg;
	for (u64 k = 1; k <= MR_ROUNDS; k++) {
		u64 src;

		while (load_acquire(&mr.run) < k)
			if (load_acquire(&mr.stop))
				return;
		src = READ_ONCE(mr.src);
		while (load_acquire(&mr.stop_round) < k) {
			seq++;
			for (u64 p = 0; p < MR_PAGES; p++)
				*(volatile u64 *)(src + p * PAGE_SIZE + MR_WORD * 8) = seq;
			smp_mb();
			store_release(&mr.seq, seq);
		}
		store_release(&mr.parked, k);
	}
}

static void mr_stop(void)
{
	store_release(&mr.stop, 1);
	store_release(&mr.stop_round, MR_ROUNDS);
	cpu_wait(1);
	cpu_wait(2);
}

GTEST(move_racing_reclaim)
{
	u64 snap[MR_PAGES], lost = 0, late = 0, missing = 0, poison = 0, dirty = 0, bad = 0;
	u64 freed0 = hyp_counter(HC_CNT_TABLES_FREED), moves0 = hyp_counter(HC_CNT_MOVES), freed;
	s64 r;

	if (nr_cpus < 3)
		SKIP("needs 3 vCPUs");
	hyp_call(HC_UNMAP, MR_A, MR_B + SZ_2M - MR_A, 0);
	WRITE_ONCE(mr.src, MR_A);
	cpu_run(1, mr_reclaimer, NULL);
	cpu_run(2, mr_writer, NULL);
	for (u64 k = 1; k <= MR_ROUNDS; k++) {
		u64 src = k & 1 ? MR_A : MR_B, dst = k & 1 ? MR_B : MR_A, before, at_return;

		WRITE_ONCE(mr.src, src);
		store_release(&mr.run, k);
		before = load_acquire(&mr.seq);
		while (load_acquire(&mr.seq) < before + 2)	/* the writer is writing at src */
			;
		before = load_acquire(&mr.seq);
		r = hyp_call(HC_MOVE, src, dst, MR_PAGES * PAGE_SIZE).a0;
		if (r) {
			mr_stop();
			FAIL("round %lu: MOVE %lx -> %lx: %ld", k, src, dst, r);
		}
		for (u64 p = 0; p < MR_PAGES; p++)
			snap[p] = *(volatile u64 *)(dst + p * PAGE_SIZE + MR_WORD * 8);
		at_return = load_acquire(&mr.seq);
		while (load_acquire(&mr.seq) < at_return + 2)	/* two passes after the return */
			;
		store_release(&mr.stop_round, k);
		while (load_acquire(&mr.parked) < k)
			;
		for (u64 p = 0; p < MR_PAGES; p++) {
			volatile u64 *d = (volatile u64 *)(dst + p * PAGE_SIZE);
			volatile u64 *s = (volatile u64 *)(src + p * PAGE_SIZE);
			u64 fin = load_acquire(&mr.seq);

			if (d[MR_WORD] == POISON || s[MR_WORD] == POISON ||
			    d[MR_QUIET] == POISON || s[MR_QUIET] == POISON)
				poison++, bad = POISON;
			else if (d[MR_QUIET] || s[MR_QUIET])
				dirty++, bad = d[MR_QUIET] | s[MR_QUIET];
			if (snap[p] < before)
				lost++, bad = snap[p];		/* a pre-MOVE write not at dst */
			if (d[MR_WORD] != snap[p])
				late++, bad = d[MR_WORD];	/* dst changed after MOVE returned */
			if (s[MR_WORD] != fin)
				missing++, bad = s[MR_WORD];	/* a post-MOVE write not at src */
		}
		/* src holds the writer's fresh pages: drop them, src is the next dst. */
		if ((r = hyp_call(HC_UNMAP, src, MR_PAGES * PAGE_SIZE, 0).a0)) {
			mr_stop();
			FAIL("round %lu: UNMAP: %ld", k, r);
		}
	}
	mr_stop();
	freed = hyp_counter(HC_CNT_TABLES_FREED) - freed0;
	hyp_call(HC_UNMAP, MR_A, MR_B + SZ_2M - MR_A, 0);
	hyp_call(HC_RECLAIM, MR_A, MR_B + SZ_2M - MR_A, 0);
	if (mr.reclaim_err)
		FAIL("RECLAIM: %ld", (s64)mr.reclaim_err);
	if (lost || late || missing || poison || dirty)
		FAIL("%lu pre-move writes not at dst, %lu dst changes after MOVE returned, "
		     "%lu post-move writes not at src, %lu poison, %lu non-zero untouched words "
		     "(last %lx)", lost, late, missing, poison, dirty, bad);
	/* Under churn (doc/churn.md) the hypervisor's own moves count too. */
	if ((hyp_flags & HYP_F_CHURN) ? hyp_counter(HC_CNT_MOVES) - moves0 < MR_ROUNDS :
					hyp_counter(HC_CNT_MOVES) - moves0 != MR_ROUNDS)
		FAIL("moves counter +%lu, want %u", hyp_counter(HC_CNT_MOVES) - moves0, MR_ROUNDS);
	if (!freed)
		FAIL("no table was reclaimed during %lu RECLAIMs: the race never ran", mr.reclaims);
	snprintf(msg, len, "(%u moves of %u pages, %lu RECLAIMs freed %lu tables, writer seq %lu)",
		 MR_ROUNDS, MR_PAGES, mr.reclaims, freed, mr.seq);
	return 0;
}

/*
 * Empty-table reclaim racing faults (seed 004, R6). cpu1 and cpu2 fault
 * pages in all over a 2 MiB range R (writes demand-populate), each writing
 * PAT(cpu, page, pass) into its own word of every page it touches and
 * reading back; cpu0 UNMAPs and RECLAIMs R over and over, so the level-3
 * table of R is freed while faults walk it (the lockless fault walk of
 * hyp/mm/s2_fault.c relies on the grace period before a table is freed).
 * Every read must be the value this vCPU last wrote there or 0 (a fresh zero
 * page: R was unmapped in between); the other vCPU's word 0 or a pattern of
 * that vCPU for that same page; a word nobody writes 0. Never poison, never
 * another page's pattern.
 */
#define RF_AREA		(RAM_BASE + 0x1800000)	/* 24 MiB in */
#define RF_PAGES	512
#define RF_ROUNDS	80
#define RF_QUIET	300
#define RF_PAT(c, p, n)	(0x0f0f000000000000UL | (u64)(c) << 44 | (u64)(p) << 32 | \
			 ((n) & 0xffffffffUL))
static struct {
	u32 stop;
	u64 passes[GUEST_MAX_CPUS], reads[GUEST_MAX_CPUS], zeros[GUEST_MAX_CPUS];
	u64 poison, foreign, wrong, bad_val, bad_addr;
} rf __attribute__((aligned(64)));

static void rf_bad(u64 *count, u64 v, u64 addr)
{
	(*count)++;
	rf.bad_val = v;
	rf.bad_addr = addr;
}

static void rf_faulter(void *arg)
{
	unsigned int c = cpu_id(), o = 3 - c;	/* cpu1 <-> cpu2 */
	u64 n = 0;

	(void)arg;
	while (!load_acquire(&rf.stop)) {
		n++;
		/* Different strides: the two walk R in different orders. */
		for (u64 i = 0; i < RF_PAGES; i += 4) {
			u64 p = c == 1 ? i : RF_PAGES - 4 - i;
			volatile u64 *pg = (volatile u64 *)(RF_AREA + p * PAGE_SIZE);
			u64 v, w;

			pg[c] = RF_PAT(c, p, n);
			v = pg[c];
			w = pg[o];
			rf.reads[c]++;
			if (v == POISON)
				rf_bad(&rf.poison, v, (u64)&pg[c]);
			else if (v == 0)
				rf.zeros[c]++;
			else if (v != RF_PAT(c, p, n))
				rf_bad((v >> 48) == 0x0f0f ? &rf.foreign : &rf.wrong, v, (u64)&pg[c]);
			if (w == POISON)
				rf_bad(&rf.poison, w, (u64)&pg[o]);
			else if (w && (w >> 32) != (RF_PAT(o, p, 0) >> 32))
				rf_bad((w >> 48) == 0x0f0f ? &rf.foreign : &rf.wrong, w, (u64)&pg[o]);
			if ((v = pg[RF_QUIET]) != 0)
				rf_bad(v == POISON ? &rf.poison : &rf.wrong, v, (u64)&pg[RF_QUIET]);
		}
		store_release(&rf.passes[c], n);
	}
}

GTEST(reclaim_racing_faults)
{
	u64 freed0 = hyp_counter(HC_CNT_TABLES_FREED), faults0 = hyp_counter(HC_CNT_FAULTS);
	u64 freed, faults;
	s64 r;

	if (nr_cpus < 3)
		SKIP("needs 3 vCPUs");
	hyp_call(HC_UNMAP, RF_AREA, SZ_2M, 0);
	hyp_call(HC_RECLAIM, RF_AREA, SZ_2M, 0);
	/*
	 * Block-backed RAM (the default, doc/memory-charge.md): a fault in the
	 * empty R maps all of it as one 2 MiB block, so no last-level table is
	 * ever made there to be reclaimed. Seen as: the second page of R does
	 * not fault after the first did. The race needs memory-4k (attack.dts).
	 */
	*(volatile u64 *)RF_AREA = 1;
	faults = hyp_counter(HC_CNT_FAULTS);
	*(volatile u64 *)(RF_AREA + PAGE_SIZE) = 1;
	faults = hyp_counter(HC_CNT_FAULTS) - faults;
	hyp_call(HC_UNMAP, RF_AREA, SZ_2M, 0);
	hyp_call(HC_RECLAIM, RF_AREA, SZ_2M, 0);
	if (!faults)
		SKIP("block-backed RAM: a fault maps all of R, no table to reclaim (memory-4k runs it)");
	freed0 = hyp_counter(HC_CNT_TABLES_FREED);
	faults0 = hyp_counter(HC_CNT_FAULTS);
	cpu_run(1, rf_faulter, NULL);
	cpu_run(2, rf_faulter, NULL);
	for (unsigned int c = 1; c < 3; c++)	/* both are faulting */
		while (!load_acquire(&rf.passes[c]))
			;
	for (u64 k = 0; k < RF_ROUNDS; k++) {
		u64 p1 = load_acquire(&rf.passes[1]), p2 = load_acquire(&rf.passes[2]);

		if ((r = hyp_call(HC_UNMAP, RF_AREA, SZ_2M, 0).a0) ||
		    (r = hyp_call(HC_RECLAIM, RF_AREA, SZ_2M, 0).a0)) {
			store_release(&rf.stop, 1);
			cpu_wait(1);
			cpu_wait(2);
			FAIL("round %lu: UNMAP/RECLAIM: %ld", k, r);
		}
		/* Let the faulters repopulate part of R before the next round. */
		while (load_acquire(&rf.passes[1]) == p1 && load_acquire(&rf.passes[2]) == p2)
			cpu_relax();
	}
	store_release(&rf.stop, 1);
	cpu_wait(1);
	cpu_wait(2);
	freed = hyp_counter(HC_CNT_TABLES_FREED) - freed0;
	faults = hyp_counter(HC_CNT_FAULTS) - faults0;
	hyp_call(HC_UNMAP, RF_AREA, SZ_2M, 0);
	hyp_call(HC_RECLAIM, RF_AREA, SZ_2M, 0);
	if (rf.poison || rf.foreign || rf.wrong)
		FAIL("%lu poison, %lu another page's or vCPU's pattern, %lu other wrong reads "
		     "(last %lx at %lx)", rf.poison, rf.foreign, rf.wrong, rf.bad_val, rf.bad_addr);
	if (freed < RF_ROUNDS / 2)
		FAIL("only %lu tables freed in %u UNMAP+RECLAIM rounds: the race did not run",
		     freed, RF_ROUNDS);
	snprintf(msg, len, "(%u rounds, %lu tables freed, %lu faults, reads %lu/%lu of which 0: %lu/%lu)",
		 RF_ROUNDS, freed, faults, rf.reads[1], rf.reads[2], rf.zeros[1], rf.zeros[2]);
	return 0;
}
