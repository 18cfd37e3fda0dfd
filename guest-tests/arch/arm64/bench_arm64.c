// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 exit costs (issue 16 item 3, doc/bench.md): each kind of exit
 * measured beside the same loop without the exit, so that the hypervisor's
 * share can be separated from the guest's. In ns; under QEMU -icount
 * shift=0 (scripts/arm64-bench.sh's second run) 1 ns is one instruction,
 * so the same lines are instruction counts, repeatable whatever the host.
 *   exit_null_call            hyp_call's shape without the HVC (guest only)
 *   exit_hypercall            HC_VERSION round trip
 *   exit_hypercall_hyp_share  exit_hypercall - exit_null_call
 *   exit_mmio_read            an emulated register read (GICD_TYPER, trapped)
 *   exit_mmio_read_hyp_share  exit_mmio_read - the same load from RAM
 *   exit_unmap_4k             HC_UNMAP of one mapped 4 KiB page: walk, clear,
 *                             one invalidation batch (counted), round trip
 *   exit_unmap_4k_hyp_share   exit_unmap_4k - exit_null_call
 */
#include "guest.h"
#include "bench.h"

#define LOOPS		20000
#define UNMAP_LOOPS	2000
#define GICD_TYPER_VA	0x08000004UL
#define UNMAP_PAGE	(RAM_BASE + 0x2400000)	/* clear of bench.c's area */

struct hyp_res null_call(u64 fn, u64 a1, u64 a2, u64 a3);

static inline u32 ld32(u64 a)
{
	u32 v;

	__asm__ __volatile__("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static u64 loop_ps(struct hyp_res (*fn)(u64, u64, u64, u64))
{
	u64 t0 = clock_ticks();

	for (u64 i = 0; i < LOOPS; i++)
		(void)fn(HC_VERSION, 0, 0, 0);
	return ticks_to_ps(clock_ticks() - t0, LOOPS);
}

static u64 load_ps(u64 addr)
{
	u64 t0 = clock_ticks();
	u32 sum = 0;

	for (u64 i = 0; i < LOOPS; i++)
		sum += ld32(addr);
	(void)sum;
	return ticks_to_ps(clock_ticks() - t0, LOOPS);
}

GTEST(bench_exit_costs)
{
	static u32 ram_word;
	u64 null_ps, hc_ps, mmio_ps, ram_ps, unmap_ticks = 0, inval0, inval, unmap_ps;
	s64 r;

	BENCH_NEED_4K();
	(void)hyp_call(HC_VERSION, 0, 0, 0);	/* warm: every path in every TLB */
	null_ps = loop_ps(null_call);
	hc_ps = loop_ps(hyp_call);
	ram_ps = load_ps((u64)&ram_word);
	mmio_ps = load_ps(GICD_TYPER_VA);
	inval0 = hyp_counter(HC_CNT_INVALIDATIONS);
	for (u64 i = 0; i < UNMAP_LOOPS; i++) {
		u64 t0;

		*(volatile u64 *)UNMAP_PAGE = i;	/* fault it in */
		t0 = clock_ticks();
		r = hyp_call(HC_UNMAP, UNMAP_PAGE, PAGE_SIZE, 0).a0;
		unmap_ticks += clock_ticks() - t0;
		if (r)
			FAIL("UNMAP: %ld", r);
	}
	inval = hyp_counter(HC_CNT_INVALIDATIONS) - inval0;
	if (inval < UNMAP_LOOPS)
		FAIL("%lu invalidation batches for %u unmaps of a mapped page", inval,
		     UNMAP_LOOPS);
	unmap_ps = ticks_to_ps(unmap_ticks, UNMAP_LOOPS);
	put_ns("exit_null_call", null_ps);
	put_ns("exit_hypercall", hc_ps);
	put_ns("exit_hypercall_hyp_share", hc_ps > null_ps ? hc_ps - null_ps : 0);
	put_ns("exit_mmio_read", mmio_ps);
	put_ns("exit_mmio_read_hyp_share", mmio_ps > ram_ps ? mmio_ps - ram_ps : 0);
	put_ns("exit_unmap_4k", unmap_ps);
	put_ns("exit_unmap_4k_hyp_share", unmap_ps > null_ps ? unmap_ps - null_ps : 0);
	return 0;
}
