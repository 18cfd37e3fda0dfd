// SPDX-License-Identifier: GPL-2.0
/* The tests. Order = link order = run order. See doc/guests.md. */
#include "guest.h"

#define TEST_AREA	(RAM_BASE + 0x2000000)	/* 32 MiB in: free, 2 MiB aligned */
#define OUTSIDE_IPA	0x20000000UL		/* not RAM, not a device of the VM */

static u64 counter(unsigned int idx)
{
	struct smccc_res r = hvc_call(HC_COUNTER, idx, 0, 0);

	return r.a0 ? ~0UL : r.a1;
}

GTEST(psci_basics)
{
	struct smccc_res r = hvc_call(PSCI_VERSION, 0, 0, 0);

	if (r.a0 != 0x10000)
		FAIL("PSCI_VERSION %lx, want 1.0", r.a0);
	if (hvc_call(PSCI_FEATURES, PSCI_CPU_ON, 0, 0).a0 != 0)
		FAIL("FEATURES(CPU_ON) not supported");
	if (hvc_call(PSCI_FEATURES, 0x8400ffffUL, 0, 0).a0 != PSCI_E_NOT_SUPPORTED)
		FAIL("FEATURES(bogus) supported");
	/* The SMC conduit is trapped (HCR_EL2.TSC) and answers the same. */
	r = smc_call(PSCI_VERSION, 0, 0, 0);
	if (r.a0 != 0x10000)
		FAIL("PSCI_VERSION over SMC %lx", r.a0);
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
	s64 r;

	if (nr_cpus < 2)
		FAIL("only %u vCPU(s): the config gives this VM 3", nr_cpus);
	for (unsigned int c = 1; c < nr_cpus; c++) {
		cpu_run(c, say_hello, NULL);
		cpu_wait(c);
		if (!READ_ONCE(hello[c]))
			FAIL("cpu%u did not run its work", c);
		r = hvc_call(PSCI_AFFINITY_INFO, c, 0, 0).a0;
		if (r != 0)
			FAIL("AFFINITY_INFO(cpu%u) = %ld, want 0 (on)", c, r);
	}
	r = hvc_call(PSCI_CPU_ON, 1, RAM_BASE, 0).a0;
	if (r != PSCI_E_ALREADY_ON)
		FAIL("CPU_ON of a running vCPU: %ld, want ALREADY_ON", r);
	r = hvc_call(PSCI_CPU_ON, 0x100, RAM_BASE, 0).a0;
	if (r != PSCI_E_INVALID_PARAMS)
		FAIL("CPU_ON of MPIDR 0x100: %ld, want INVALID_PARAMETERS", r);
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
	if ((esr >> 26) != 0x25 || (esr & 0x3f) != 0x10)
		FAIL("ESR %lx: want EC 0x25 (data abort, same EL), DFSC 0x10 (external)", esr);
	if (far != OUTSIDE_IPA)
		FAIL("FAR %lx, want %lx", far, OUTSIDE_IPA);
	/* The hypervisor survived and the VM still runs: a second one too. */
	expect_fault();
	*(volatile u64 *)(OUTSIDE_IPA + 8) = 1;
	if (!fault_taken(NULL))
		FAIL("write outside the memory map did not fault");
	return 0;
}

GTEST(hypercall_args)
{
	static const struct { u64 fn, a1, a2, a3; s64 want; const char *what; } c[] = {
		{ HC_UNMAP, TEST_AREA + 1, PAGE_SIZE, 0, HC_ERR(E_ALIGN), "unaligned ipa" },
		{ HC_UNMAP, TEST_AREA, 100, 0, HC_ERR(E_ALIGN), "unaligned size" },
		{ HC_UNMAP, TEST_AREA, 0, 0, HC_ERR(E_INVAL), "size 0" },
		{ HC_UNMAP, 0x80000000UL, PAGE_SIZE, 0, HC_ERR(E_RANGE), "outside RAM" },
		{ HC_UNMAP, RAM_BASE + RAM_SIZE - PAGE_SIZE, 2 * PAGE_SIZE, 0, HC_ERR(E_RANGE), "crosses RAM end" },
		{ HC_UNMAP, ~0UL & ~0xfffUL, PAGE_SIZE * 2, 0, HC_ERR(E_RANGE), "wraps" },
		{ HC_MAP, TEST_AREA, 4 * SZ_2M, 0, HC_ERR(E_INVAL), "map too large" },
		{ HC_PROTECT, TEST_AREA, PAGE_SIZE, 2, HC_ERR(E_INVAL), "prot without R" },
		{ HC_PROTECT, TEST_AREA, PAGE_SIZE, 0x10, HC_ERR(E_INVAL), "unknown prot bit" },
		{ HC_MOVE, TEST_AREA, TEST_AREA + PAGE_SIZE, 2 * PAGE_SIZE, HC_ERR(E_INVAL), "overlap" },
		{ HC_COUNTER, 1000, 0, 0, HC_ERR(E_RANGE), "counter index" },
		{ 0xc600ff00UL, 0, 0, 0, -1, "unknown function" },
	};

	for (unsigned int i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		s64 r = hvc_call(c[i].fn, c[i].a1, c[i].a2, c[i].a3).a0;

		if (r != c[i].want)
			FAIL("%s: got %ld, want %ld", c[i].what, r, c[i].want);
	}
	return 0;
}

GTEST(map_unmap_move)
{
	volatile u64 *a = (volatile u64 *)TEST_AREA, *b = (volatile u64 *)(TEST_AREA + SZ_2M);
	s64 r;

	hvc_call(HC_UNMAP, TEST_AREA, 2 * SZ_2M, 0);
	if ((r = hvc_call(HC_MAP, TEST_AREA, PAGE_SIZE, 0).a0))
		FAIL("MAP: %ld", r);
	if (hvc_call(HC_MAP, TEST_AREA, PAGE_SIZE, 0).a0 != HC_ERR(E_EXIST))
		FAIL("MAP over a mapped page did not say E_EXIST");
	if (*a != 0)
		FAIL("a fresh page is not zero: %lx", *a);
	*a = 0x1234;
	if ((r = hvc_call(HC_MOVE, TEST_AREA, TEST_AREA + SZ_2M, PAGE_SIZE).a0))
		FAIL("MOVE: %ld", r);
	if (*b != 0x1234)
		FAIL("moved page reads %lx", *b);
	if (*a != 0)	/* the old IPA demand-faults a fresh zero page */
		FAIL("old IPA after move reads %lx", *a);
	if ((r = hvc_call(HC_UNMAP, TEST_AREA, 2 * SZ_2M, 0).a0))
		FAIL("UNMAP: %ld", r);
	if ((r = hvc_call(HC_RECLAIM, TEST_AREA, 2 * SZ_2M, 0).a0))
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

	for (u64 p = 0; p < 512; p++)	/* demand-fault 512 4K pages */
		*(volatile u64 *)(TEST_AREA + p * PAGE_SIZE) = p + 1;
	before = counter(CNT_INVALIDATIONS);
	if ((r = hvc_call(HC_UNMAP, TEST_AREA, SZ_2M, 0).a0))
		FAIL("UNMAP: %ld", r);
	after = counter(CNT_INVALIDATIONS);
	if (after - before != 1)
		FAIL("unmap of 512 pages: %lu invalidation batches, want 1", after - before);
	before = after;
	if ((r = hvc_call(HC_MAP, TEST_AREA, PAGE_SIZE, 0).a0))
		FAIL("MAP: %ld", r);
	(void)*(volatile u64 *)(TEST_AREA + PAGE_SIZE);	/* and a demand fault */
	after = counter(CNT_INVALIDATIONS);
	if (after != before)
		FAIL("map + demand fault: %lu invalidations, want 0", after - before);
	hvc_call(HC_UNMAP, TEST_AREA, SZ_2M, 0);
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
		dmb();
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
	hvc_call(HC_UNMAP, TEST_AREA, SZ_2M, 0);
	*p = PATTERN(0);
	cpu_run(1, stale_reader, NULL);
	for (u64 k = 0; k < STALE_ROUNDS; k++) {
		u64 r0 = READ_ONCE(st.reads);
		s64 r;

		while (READ_ONCE(st.reads) < r0 + 20)	/* let cpu1 cache P */
			cpu_relax();
		if ((r = hvc_call(HC_UNMAP, P_ADDR, PAGE_SIZE, 0).a0)) {
			store_release(&st.stop, 1);
			cpu_wait(1);
			FAIL("UNMAP: %ld", r);
		}
		store_release(&st.phase, 2 * k + 1);
		while (load_acquire(&st.ack) != 2 * k + 1)
			cpu_relax();
		/* Rule: phase before contents (cpu1's seqlock relies on it). */
		store_release(&st.phase, 2 * k + 2);
		dmb();
		*p = PATTERN(k + 1);
	}
	store_release(&st.stop, 1);
	cpu_wait(1);
	hvc_call(HC_UNMAP, TEST_AREA, SZ_2M, 0);
	if (st.stale || st.poison)
		FAIL("%lu stale and %lu poisoned reads of %lu (last %lx in phase %lu)",
		     st.stale, st.poison, st.reads, st.bad_val, st.bad_phase);
	snprintf(msg, len, "(%u rounds, %lu reads)", STALE_ROUNDS, st.reads);
	return 0;
}
