// SPDX-License-Identifier: GPL-2.0
/* Page allocator: alignment, splitting/coalescing, reservation, poison, errors. */
#include <hyp/palloc.h>
#include <test/tap.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define MEM_SIZE	(64ULL << 20)
#define MEM_BASE	0x40000000ULL	/* "physical" address of the buffer */

extern uintptr_t hyp_phys_virt_offset;

static void setup(void)
{
	static void *mem;

	if (!mem) {
		mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (mem == MAP_FAILED)
			abort();
		hyp_phys_virt_offset = (uintptr_t)mem - MEM_BASE;
	}
	palloc_reset();
}

int main(void)
{
	paddr_t a, b, c, blk;
	u64 total, before;
	bool ok, all_zero = true;
	int i;

	setup();
	tap_ok(palloc_add_region(pa_init(MEM_BASE), MEM_SIZE) == 0, "add 64 MiB region");
	total = palloc_total_pages();
	tap_ok(total > 16000 && total < 16384, "metadata carved from region (%llu pages managed)", total);
	tap_ok(palloc_free_pages() == total, "all managed pages free");
	tap_ok(palloc_add_region(pa_init(MEM_BASE), 4096) < 0, "region too small for metadata refused");

	ok = palloc_alloc(0, &a);
	tap_ok(ok && palloc_state(a) == PAGE_ALLOCATED, "order-0 allocation");
	for (i = 0; i < 512; i++)
		all_zero &= ((u64 *)pa_to_ptr(a))[i] == 0;
	tap_ok(all_zero, "allocated page is zeroed");
	ok = palloc_alloc(9, &blk);
	tap_ok(ok && (pa_addr(blk) & (SZ_2M - 1)) == 0, "order-9 block is 2 MiB aligned (%#llx)", pa_addr(blk));
	tap_ok(palloc_free_pages() == total - 1 - 512, "free count after allocations");

	palloc_free(a, 0);
	tap_ok(palloc_state(a) == PAGE_FREE, "freed page state FREE");
	tap_ok(((u64 *)pa_to_ptr(a))[0] == PALLOC_POISON && ((u64 *)pa_to_ptr(a))[511] == PALLOC_POISON,
	       "freed page holds poison, no free-list link");
	/* A stale write to the freed page is detected when it is reused. */
	((u64 *)pa_to_ptr(a))[7] = 0x1234;
	before = palloc_poison_violations;
	{
		u32 gen = palloc_generation(a);
		paddr_t pages[64];
		bool seen = false;
		int n;

		for (n = 0; n < 64 && palloc_alloc(0, &pages[n]); n++)
			if (pa_eq(pages[n], a)) {
				seen = true;
				tap_ok(palloc_generation(a) == gen + 1, "generation counts reuse");
				n++;
				break;
			}
		tap_ok(seen && palloc_poison_violations == before + 1,
		       "write to a free page detected at reallocation");
		while (n--)
			palloc_free(pages[n], 0);
	}
	palloc_free(blk, 9);
	tap_ok(palloc_free_pages() == total, "everything coalesced back (%llu)", palloc_free_pages());

	/* Double free and wrong order are refused and counted. */
	ok = palloc_alloc(2, &b);
	palloc_free(b, 0);
	before = palloc_poison_violations;
	tap_ok(palloc_state(b) == PAGE_ALLOCATED && before > 0, "free with wrong order refused");
	palloc_free(b, 2);
	palloc_free(b, 2);
	tap_ok(palloc_poison_violations == before + 1, "double free refused");

	/* Reservation splits a free block and removes exactly those pages. */
	before = palloc_free_pages();
	ok = palloc_alloc(0, &c);
	palloc_free(c, 0);
	palloc_reserve(pa_add(c, 0), 3 * PAGE_SIZE);
	tap_ok(palloc_free_pages() == before - 3 && palloc_state(c) == PAGE_RESERVED,
	       "reserve removes exactly 3 pages");

	/* Exhaustion fails cleanly. */
	tap_ok(!palloc_alloc(PALLOC_MAX_ORDER, &a), "1 GiB block from 64 MiB fails");
	tap_ok(!palloc_alloc(PALLOC_MAX_ORDER + 1, &a), "order beyond max refused");
	{
		u64 n = 0;

		while (palloc_alloc(0, &a))
			n++;
		tap_ok(n == before - 3 && palloc_free_pages() == 0,
		       "allocates exactly the free pages, then fails (%llu)", n);
	}

	/*
	 * Reserved before the region is added (the hypervisor image at the
	 * start of RAM): the metadata must go elsewhere and leave it intact.
	 */
	setup();
	memset(pa_to_ptr(pa_init(MEM_BASE)), 0x5a, 2 << 20);
	palloc_reserve(pa_init(MEM_BASE), 2 << 20);
	tap_ok(palloc_add_region(pa_init(MEM_BASE), MEM_SIZE) == 0, "region added around a reservation at its start");
	{
		bool intact = true, inside = false;
		u64 n = 0;

		for (u64 k = 0; k < (2 << 20); k++)
			intact &= ((u8 *)pa_to_ptr(pa_init(MEM_BASE)))[k] == 0x5a;
		while (palloc_alloc(0, &a)) {
			inside |= pa_addr(a) < MEM_BASE + (2 << 20);
			n++;
		}
		tap_ok(intact, "reserved range untouched by metadata set-up");
		tap_ok(!inside && n == palloc_total_pages(), "reserved pages never handed out (%llu pages)", n);
	}
	setup();
	palloc_reserve(pa_init(MEM_BASE), MEM_SIZE);
	tap_ok(palloc_add_region(pa_init(MEM_BASE), MEM_SIZE) == -E_NOMEM, "fully reserved region refused");
	/* split: an order-9 block becomes 512 order-0 allocations, freed one by one */
	setup();
	palloc_add_region(pa_init(MEM_BASE), MEM_SIZE);
	palloc_poison_violations = 0;
	before = palloc_free_pages();
	if (!palloc_alloc(9, &blk))
		abort();
	palloc_split(blk, 9);
	tap_ok(palloc_state(pa_add(blk, 5 * PAGE_SIZE)) == PAGE_ALLOCATED, "split: pages stay allocated");
	for (i = 511; i >= 0; i--)
		palloc_free(pa_add(blk, (u64)i * PAGE_SIZE), 0);
	tap_ok(palloc_free_pages() == before && palloc_poison_violations == 0,
	       "split: 512 order-0 frees give the block back (no bad free)");
	tap_ok(palloc_alloc(9, &c) && pa_addr(c) == pa_addr(blk), "split: buddies merged again");
	palloc_free(c, 9);
	{
		u64 v = palloc_poison_violations;

		palloc_split(c, 9);
		tap_ok(palloc_poison_violations == v + 1, "split of a free block refused");
	}
	return tap_done();
}
