/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Physical page allocator (buddy, orders 0..PALLOC_MAX_ORDER). Metadata lives
 * outside the pages (a page_info array carved from each region), so a
 * free page holds nothing but poison: no free-list link is ever stored in a
 * page that a stale TLB entry or a lockless walker might still read (R6).
 *
 * Debug mode (palloc_debug = true, on by default in test builds) fills freed
 * pages with PALLOC_POISON and checks on allocation that the poison is intact,
 * so a write through a stale translation to a freed page is detected.
 */
#ifndef HYP_PALLOC_H
#define HYP_PALLOC_H

#include <hyp/types.h>
#include <hyp/addr.h>

#define PALLOC_MAX_ORDER	18	/* 1 GiB */
#define PALLOC_POISON		0xdeadbeefdeadbeefULL
#define PALLOC_MAX_REGIONS	8

enum page_state {
	PAGE_RESERVED = 0,	/* not managed / metadata / hypervisor image */
	PAGE_FREE = 1,
	PAGE_ALLOCATED = 2,
};

/*
 * Hand a region of RAM to the allocator. Its metadata is placed inside the
 * region, clear of every range reserved so far: reserve the hypervisor image,
 * the DTB and firmware ranges first. Returns -E_NOMEM if no gap fits it.
 */
int palloc_add_region(paddr_t base, u64 size);
/* Remove [base, base+size) from what the allocator may hand out (any time). */
int palloc_reserve(paddr_t base, u64 size);

/* Returns true and sets *pa on success; the page(s) are zeroed. */
bool palloc_alloc(unsigned int order, paddr_t *pa) __must_check;
void palloc_free(paddr_t pa, unsigned int order);
/*
 * Turn an allocated block of 1 << @order pages into as many order-0
 * allocations, each freed on its own (Linux's split_page()). Used to build
 * a physically contiguous 2 MiB run out of pages that are owned one by one.
 */
void palloc_split(paddr_t pa, unsigned int order);

enum page_state palloc_state(paddr_t pa);
/* Monotonic count of times this page was allocated (reuse detection). */
u32 palloc_generation(paddr_t pa);
u64 palloc_free_pages(void);
u64 palloc_total_pages(void);

extern bool palloc_debug;
/* Number of poison-check failures seen at allocation time. */
extern u64 palloc_poison_violations;

/* Forget everything (host tests only). */
void palloc_reset(void);

#endif
