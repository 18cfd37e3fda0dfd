// SPDX-License-Identifier: GPL-2.0
/*
 * vm_reset: one VM torn down and recreated while another runs (seed 001),
 * with configs/vms/reset.dts (doc/guests.md). The role comes from the guest
 * DTB's /chosen, which the hypervisor puts in the last 2 MiB of RAM:
 *
 *   hyp-test,reset-count = <K>  (VM "b") each incarnation checks that its RAM
 *       holds nothing from before (demand-faulted pages read zero, never the
 *       free poison nor a previous incarnation's pattern; the image's .data
 *       is fresh), writes its per-incarnation pattern, and while the
 *       incarnation number (HC_VERSION x3[63:32]) is below K does PSCI
 *       SYSTEM_RESET. Incarnation K passes.
 *   hyp-test,churn-ms = <ms>    (VM "a") for that long: MAP fresh pages
 *       (each must read zero: the allocator may hand out b's freed pages),
 *       write and verify its own pattern, UNMAP, again. Prints its counter
 *       window so the script can check that resets of b fell inside it.
 *
 * Neither property: SKIP. Before SYSTEM_RESET the secondaries do PSCI
 * CPU_OFF: the hypervisor has no vCPU kick yet, so a vCPU is stopped only at
 * its next exit, and the runner's idle loop makes none under QEMU 7.2 (its
 * WFE is a yield that never takes the HCR_EL2.TWE trap).
 */
#include "guest.h"

#define PSCI_SYSTEM_RESET	0x84000009UL
#define RS_AREA		(RAM_BASE + 0x3800000)	/* 56 MiB in: unused by tests.c */
#define RS_PAGES	64
#define RS_TAG		0x16UL
#define RS_PAT(vm, inc, pg, w) (RS_TAG << 56 | ((u64)(vm) + 1) << 48 | \
				((u64)(inc) & 0xff) << 40 | (u64)(pg) << 16 | (u64)(w))
#define RS_VM(v)	((((v) >> 48) & 0xff) - 1)
#define RS_CANARY	0x5ca1ab1e0ddba11UL

/* In .data: a recreated VM gets the image again, so this is back. */
static volatile u64 rs_canary = RS_CANARY;

static u64 ms_now(void)
{
	return clock_ticks() * 1000 / clock_hz();
}

struct rs_count {
	u64 zero, poison, old, foreign, wrong, bad;
};

static void rs_classify(u64 v, unsigned int inc, struct rs_count *c)
{
	if (!v) {
		c->zero++;
		return;
	}
	c->bad = v;
	if (v == POISON)
		c->poison++;
	else if ((v >> 56) == RS_TAG && RS_VM(v) == vm_id && ((v >> 40) & 0xff) != (inc & 0xff))
		c->old++;
	else if ((v >> 56) == RS_TAG || (v >> 56) == 0x15)
		c->foreign++;
	else
		c->wrong++;
}

static void rs_cpu_off(void *arg)
{
	(void)arg;
	hyp_call(PSCI_CPU_OFF, 0, 0, 0);
}

static int rs_reset_role(u32 k, unsigned int inc, char *msg, size_t len)
{
	volatile u64 *a = (volatile u64 *)RS_AREA;
	struct rs_count c = { 0 };
	u64 n = RS_PAGES * (PAGE_SIZE / 8), mism = 0;
	s64 r;

	if (rs_canary != RS_CANARY)
		FAIL("incarnation %u: .data canary %lx: the image was not reloaded", inc, rs_canary);
	for (u64 i = 0; i < n; i++)
		rs_classify(a[i], inc, &c);
	if (c.zero != n)
		FAIL("incarnation %u: RAM not fresh: %lu poison, %lu from an earlier incarnation, "
		     "%lu foreign, %lu other (last %lx)", inc, c.poison, c.old, c.foreign, c.wrong,
		     c.bad);
	for (u64 i = 0; i < n; i++)
		a[i] = RS_PAT(vm_id, inc, i / 512, i % 512);
	for (u64 i = 0; i < n; i++)
		mism += a[i] != RS_PAT(vm_id, inc, i / 512, i % 512);
	if (mism)
		FAIL("incarnation %u: %lu words did not keep the pattern", inc, mism);
	rs_canary = 0;
	if (inc >= k) {
		snprintf(msg, len, "(incarnation %u of %u: every one started with zeroed RAM "
			 "and a fresh image)", inc, k);
		return 0;
	}
	for (unsigned int c = 1; c < nr_cpus; c++) {
		cpu_run(c, rs_cpu_off, NULL);
		while (hyp_call(PSCI_AFFINITY_INFO, c, 0, 0).a0 != 1)
			cpu_relax();
	}
	printf("guest-reset: incarnation %u of %u clean (%lu words), SYSTEM_RESET at t=%lu ms\n",
	       inc, k, n, ms_now());
	r = hyp_call(PSCI_SYSTEM_RESET, 0, 0, 0).a0;
	FAIL("SYSTEM_RESET returned %ld", r);
}

static int rs_churn_role(u32 ms, char *msg, size_t len)
{
	volatile u64 *a = (volatile u64 *)RS_AREA;
	u64 n = RS_PAGES * (PAGE_SIZE / 8), t0 = ms_now(), t1, rounds = 0, mism = 0;
	struct rs_count c = { 0 };
	s64 r;

	do {
		r = hyp_call(HC_MAP, RS_AREA, RS_PAGES * PAGE_SIZE, 0).a0;
		if (r)
			FAIL("MAP: %ld", r);
		for (u64 i = 0; i < n; i++)	/* fresh pages: all zero */
			rs_classify(a[i], 0, &c);
		for (u64 i = 0; i < n; i++)
			a[i] = RS_PAT(vm_id, 0, i / 512, i % 512);
		for (u64 i = 0; i < n; i++)
			mism += a[i] != RS_PAT(vm_id, 0, i / 512, i % 512);
		r = hyp_call(HC_UNMAP, RS_AREA, RS_PAGES * PAGE_SIZE, 0).a0;
		if (r)
			FAIL("UNMAP: %ld", r);
		rounds++;
		t1 = ms_now();
	} while (t1 - t0 < ms);
	if (c.zero != rounds * n || mism)
		FAIL("fresh pages: %lu poison %lu foreign %lu other (last %lx); %lu words lost "
		     "the pattern", c.poison, c.foreign + c.old, c.wrong, c.bad, mism);
	snprintf(msg, len, "(vm%u: %lu churn rounds of %u pages, t=%lu..%lu ms)", vm_id, rounds,
		 RS_PAGES, t0, t1);
	return 0;
}

GTEST(vm_reset)
{
	u32 k = chosen_u32("hyp-test,reset-count"), ms = chosen_u32("hyp-test,churn-ms");
	unsigned int inc = (unsigned int)(hyp_call(HC_VERSION, 0, 0, 0).a3 >> 32);

	if (k)
		return rs_reset_role(k, inc, msg, len);
	if (ms)
		return rs_churn_role(ms, msg, len);
	SKIP("no hyp-test,reset-count or hyp-test,churn-ms in the DTB's /chosen");
}
