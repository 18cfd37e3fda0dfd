// SPDX-License-Identifier: GPL-2.0
/*
 * Lost write during page migration (doc/mm.md "migrate", HC_MIGRATE). cpu1
 * and cpu2 each own a word of every page of MG_AREA and sweep the pages:
 * read the word back (it must still hold what this vCPU last wrote there),
 * then write the next sequence number. cpu0 asks the hypervisor, over and
 * over, to migrate the pages to new host pages. The hypervisor must copy a
 * page only after the invalidation of its old translation completed: a
 * write that lands in the old page after the copy (through a stale TLB
 * entry) is lost, and the writer's next read of that word, through the new
 * translation, finds an older value (INJECT=migrate-copy-before-flush). A
 * poison read means a freed old page was still reachable.
 */
#include "guest.h"

#define MG_AREA		(RAM_BASE + 0x0c00000)	/* 12 MiB in: free, 2 MiB aligned */
#define MG_PAGES	16
#define MG_CALLS	100
static struct {
	u64 stop;
	u64 lost[GUEST_MAX_CPUS], poison[GUEST_MAX_CPUS], passes[GUEST_MAX_CPUS];
	u64 bad[GUEST_MAX_CPUS];
} mg __attribute__((aligned(64)));

static void mg_writer(void *arg)
{
	unsigned int c = cpu_id();
	u64 seq = 0;

	(void)arg;
	while (!load_acquire(&mg.stop)) {
		for (u64 p = 0; p < MG_PAGES; p++) {
			volatile u64 *w = (volatile u64 *)(MG_AREA + p * PAGE_SIZE + c * 8);
			u64 v = *w;

			if (v != seq) {
				if (v == POISON)
					mg.poison[c]++;
				else
					mg.lost[c]++;
				mg.bad[c] = v;
			}
			*w = seq + 1;
		}
		seq++;
		mg.passes[c]++;
	}
}

GTEST(lost_write_during_migrate)
{
	u64 m0 = hyp_counter(HC_CNT_MIGRATIONS), migrated = 0, lost = 0, poison = 0, bad = 0;

	if (nr_cpus < 3)
		SKIP("needs 3 vCPUs");
	hyp_call(HC_UNMAP, MG_AREA, SZ_2M, 0);
	if (hyp_call(HC_MAP, MG_AREA, MG_PAGES * PAGE_SIZE, 0).a0)
		FAIL("MAP of the area failed");
	store_release(&mg.stop, 0);
	cpu_run(1, mg_writer, NULL);
	cpu_run(2, mg_writer, NULL);
	while (READ_ONCE(mg.passes[1]) < 2 || READ_ONCE(mg.passes[2]) < 2)
		cpu_relax();
	for (unsigned int i = 0; i < MG_CALLS; i++) {
		struct hyp_res r = hyp_call(HC_MIGRATE, MG_AREA, MG_PAGES * PAGE_SIZE, 0);

		if (r.a0) {
			store_release(&mg.stop, 1);
			cpu_wait(1);
			cpu_wait(2);
			FAIL("MIGRATE: %ld", r.a0);
		}
		migrated += r.a1;
	}
	store_release(&mg.stop, 1);
	cpu_wait(1);
	cpu_wait(2);
	hyp_call(HC_UNMAP, MG_AREA, SZ_2M, 0);
	for (unsigned int c = 1; c < 3; c++) {
		lost += mg.lost[c];
		poison += mg.poison[c];
		if (mg.lost[c] || mg.poison[c])
			bad = mg.bad[c];
	}
	if (lost || poison)
		FAIL("%lu writes lost and %lu poison reads across %lu page migrations (last %lx)",
		     lost, poison, migrated, bad);
	if (migrated != MG_CALLS * MG_PAGES || hyp_counter(HC_CNT_MIGRATIONS) - m0 < migrated)
		FAIL("%lu pages migrated (counter +%lu), want %u", migrated,
		     hyp_counter(HC_CNT_MIGRATIONS) - m0, MG_CALLS * MG_PAGES);
	snprintf(msg, len, "(%lu page migrations, writer passes %lu/%lu)", migrated,
		 mg.passes[1], mg.passes[2]);
	return 0;
}
