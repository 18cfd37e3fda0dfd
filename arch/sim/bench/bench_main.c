// SPDX-License-Identifier: GPL-2.0
/*
 * Stage-2 benchmarks (make bench): host build, -O2, no sanitizers, run under
 * callgrind by scripts/sim-bench.sh. Every instruction figure is an exact
 * count of the code between CALLGRIND_ZERO_STATS and CALLGRIND_DUMP_STATS_AT
 * (the script reads the dumps); counts of invalidations and tables come from
 * the VM's counters and are printed here.
 *
 * The machine model is not running (sim_init is not called): arch_sched_point
 * and the arch_s2_inval_* calls cost a call and a test each, like the
 * hardware instructions they stand for.
 */
#include <hyp/mm/s2.h>
#include <hyp/mm/s2_move.h>
#include <hyp/mm/s2_walk.h>
#include <hyp/mm/s2_vmid.h>
#include <hyp/palloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <valgrind/callgrind.h>

#define MEM_BASE	0x40000000ULL
#define MEM_SIZE	(128ULL << 20)
#define GIB		(1ULL << 30)
#define PAGES_1G	(GIB / PAGE_SIZE)
/* Guest data: host-physical addresses the allocator does not manage. */
#define DATA_PA		0x100000000ULL

static struct s2_format fmt;

static void setup_mem(void)
{
	void *mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (mem == MAP_FAILED)
		abort();
	hyp_phys_virt_offset = (uintptr_t)mem - MEM_BASE;
	palloc_reset();
	palloc_debug = false;	/* no poisoning: measure the manager, not the allocator */
	if (palloc_add_region(pa_init(MEM_BASE), MEM_SIZE))
		abort();
}

static void vm_new(struct s2_vm *vm)
{
	struct s2_vm_config cfg = { .fmt = &fmt, .ipa_size = 0, .ops = NULL, .rmap_entries = 0 };

	if (s2_vm_init(vm, &cfg))
		abort();
}

static u64 invals(const struct s2_vm *vm)
{
	struct s2_counters c;

	s2_vm_counters(vm, &c);
	return c.inval_ipa + c.inval_range + c.inval_vmid;
}

static int count_table(struct s2_walk_data *d, enum s2_visit v)
{
	(*(u64 *)d->arg)++;
	return 0;
}

static u64 table_pages(struct s2_vm *vm)
{
	u64 n = 1;	/* the root */
	struct s2_walker w = { .cb = count_table, .arg = &n, .flags = S2_VISIT_TABLE_PRE };

	s2_walk(&fmt, vm->root, 0, 4 * GIB, &w);
	return n;
}

static void check(int ret, const char *what)
{
	if (ret) {
		fprintf(stderr, "bench: %s failed: %d\n", what, ret);
		exit(1);
	}
}

int main(void)
{
	struct s2_vm vm;
	u64 base = 2 * GIB, other = 8 * GIB;
	u64 before, n;
	int bad = 0;	/* s2_map/s2_unmap results, checked after each measured loop */
	struct s2_gather g;

	setup_mem();
	check(s2_format_arm64(&fmt, 40, 3), "format");
	s2_vmid_init(8);

	/* map_4k_insns / unmap_4k_insns: one call per page, as the fault path does */
	vm_new(&vm);
	CALLGRIND_ZERO_STATS;
	for (u64 i = 0; i < PAGES_1G; i++)
		bad |= s2_map(&vm, ipa_init(base + i * PAGE_SIZE), pa_init(DATA_PA + i * PAGE_SIZE),
			      PAGE_SIZE, S2_PROT_R | S2_PROT_W, 0);
	CALLGRIND_DUMP_STATS_AT("map_4k");
	check(bad, "map 4K pages");
	printf("table_pages_per_gib_4k: %llu pages\n", table_pages(&vm));
	CALLGRIND_ZERO_STATS;
	for (u64 i = 0; i < PAGES_1G; i++)
		bad |= s2_unmap(&vm, ipa_init(base + i * PAGE_SIZE), PAGE_SIZE);
	CALLGRIND_DUMP_STATS_AT("unmap_4k");
	check(bad, "unmap 4K pages");
	printf("unmap_4k_invalidations_per_call: %.2f invalidations\n",
	       (double)invals(&vm) / (double)PAGES_1G);
	check(s2_vm_destroy(&vm), "destroy");

	/* map_1g_blocks_insns: one call mapping 1 GiB with a block */
	vm_new(&vm);
	CALLGRIND_ZERO_STATS;
	check(s2_map(&vm, ipa_init(base), pa_init(DATA_PA), GIB, S2_PROT_R | S2_PROT_W, 0),
	      "map 1G block");
	CALLGRIND_DUMP_STATS_AT("map_1g_blocks");
	check(s2_vm_destroy(&vm), "destroy");

	/* unmap_1g_4k_invalidations: 1 GiB of 4K pages, one unmap call */
	vm_new(&vm);
	check(s2_map(&vm, ipa_init(base), pa_init(DATA_PA), GIB, S2_PROT_R | S2_PROT_W,
		     S2_MAP_PAGES), "map 1G as pages");
	before = invals(&vm);
	check(s2_unmap(&vm, ipa_init(base), GIB), "unmap 1G");
	printf("unmap_1g_4k_invalidations: %llu invalidations\n", invals(&vm) - before);

	/* unmap_pagewise_gather_invalidations: 262144 single-page unmaps, one gather */
	check(s2_map(&vm, ipa_init(base), pa_init(DATA_PA), GIB, S2_PROT_R | S2_PROT_W,
		     S2_MAP_PAGES), "map 1G as pages");
	before = invals(&vm);
	s2_gather_begin(&g, &vm);
	for (u64 i = 0; i < PAGES_1G; i++)
		bad |= s2_unmap_gather(&g, ipa_init(base + i * PAGE_SIZE), PAGE_SIZE);
	s2_gather_finish(&g);
	check(bad, "unmap 4K pages in one gather");
	n = invals(&vm) - before;
	printf("unmap_pagewise_gather_invalidations: %llu invalidations\n", n);

	/* move_1g_vs_remap_ratio: move an aligned 1 GiB (4K-mapped) vs remap it page by page */
	check(s2_map(&vm, ipa_init(base), pa_init(DATA_PA), GIB, S2_PROT_R | S2_PROT_W,
		     S2_MAP_PAGES), "map 1G as pages");
	CALLGRIND_ZERO_STATS;
	check(s2_move(&vm, ipa_init(base), ipa_init(other), GIB), "move 1G");
	CALLGRIND_DUMP_STATS_AT("move_1g");
	CALLGRIND_ZERO_STATS;
	for (u64 i = 0; i < PAGES_1G; i++) {
		bad |= s2_unmap(&vm, ipa_init(other + i * PAGE_SIZE), PAGE_SIZE);
		bad |= s2_map(&vm, ipa_init(base + i * PAGE_SIZE), pa_init(DATA_PA + i * PAGE_SIZE),
			      PAGE_SIZE, S2_PROT_R | S2_PROT_W, 0);
	}
	CALLGRIND_DUMP_STATS_AT("remap_1g");
	check(bad, "remap 1G page by page");
	check(s2_vm_destroy(&vm), "destroy");
	printf("bench_pages_per_gib: %llu pages\n", PAGES_1G);
	return 0;
}
