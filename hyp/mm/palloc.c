// SPDX-License-Identifier: GPL-2.0
/*
 * Physical page allocator: a buddy allocator per RAM region.
 *
 *   region:  [ page_info[] metadata | managed pages ....................... ]
 *
 * The metadata (one struct page_info per page) is carved from the start of
 * the region itself and never handed out. Free-list links live in page_info,
 * not in the free pages: a freed page holds only poison, so nothing a stale
 * TLB entry or a lockless walker reads there can look like a valid link (R6).
 *
 * Blocks of order k are naturally aligned in *physical* address space
 * (pfn % 2^k == 0), so an order-9 block can back a 2 MiB stage-2 block.
 */
#include <hyp/palloc.h>
#include <hyp/spinlock.h>
#include <hyp/string.h>
#include <hyp/console.h>

#define NIL	0xffffffffU

struct page_info {
	u32 next;	/* free list links: page indices within the region */
	u32 prev;
	u32 gen;	/* allocation count of this page */
	u8 state;	/* enum page_state */
	u8 order;	/* order of the block this page heads (free or allocated) */
	u8 head;	/* heads a block */
	u8 poisoned;	/* holds poison since its last free (debug mode) */
};

struct region {
	u64 base_pfn;	/* first managed page */
	u64 npages;
	struct page_info *info;
	u32 free_head[PALLOC_MAX_ORDER + 1];
};

static struct region regions[PALLOC_MAX_REGIONS];
static unsigned int nr_regions;
static struct spinlock palloc_lock = SPINLOCK_INIT;
static u64 nr_free, nr_total;

bool palloc_debug = true;
u64 palloc_poison_violations;

static struct region *find_region(u64 pfn, u32 *idx)
{
	for (unsigned int i = 0; i < nr_regions; i++) {
		struct region *r = &regions[i];

		if (pfn >= r->base_pfn && pfn - r->base_pfn < r->npages) {
			*idx = (u32)(pfn - r->base_pfn);
			return r;
		}
	}
	return NULL;
}

static void list_add(struct region *r, u32 idx, unsigned int order)
{
	struct page_info *pi = &r->info[idx];

	pi->state = PAGE_FREE;
	pi->head = 1;
	pi->order = (u8)order;
	pi->prev = NIL;
	pi->next = r->free_head[order];
	if (pi->next != NIL)
		r->info[pi->next].prev = idx;
	r->free_head[order] = idx;
}

static void list_del(struct region *r, u32 idx)
{
	struct page_info *pi = &r->info[idx];

	if (pi->prev != NIL)
		r->info[pi->prev].next = pi->next;
	else
		r->free_head[pi->order] = pi->next;
	if (pi->next != NIL)
		r->info[pi->next].prev = pi->prev;
	pi->head = 0;
	pi->next = pi->prev = NIL;
}

/* Is the block at idx of this order inside the region? */
static bool block_fits(const struct region *r, u64 idx, unsigned int order)
{
	return idx + (1ULL << order) <= r->npages;
}

static void *page_ptr(const struct region *r, u32 idx)
{
	return pa_to_ptr(pa_init((r->base_pfn + idx) << PAGE_SHIFT));
}

static void poison_block(struct region *r, u32 idx, unsigned int order)
{
	for (u64 i = 0; i < (1ULL << order); i++) {
		u64 *p = page_ptr(r, (u32)(idx + i));

		for (unsigned int w = 0; w < PAGE_SIZE / 8; w++)
			p[w] = PALLOC_POISON;
		r->info[idx + i].poisoned = 1;
	}
}

/* The default (arch.h): plain stores. arm64 overrides it with DC ZVA. */
__attribute__((weak)) void arch_clear_page(void *page)
{
	memset(page, 0, PAGE_SIZE);
}

/* Check that nobody wrote to the pages while they were free, then zero them. */
static void prepare_block(struct region *r, u32 idx, unsigned int order)
{
	for (u64 i = 0; i < (1ULL << order); i++) {
		struct page_info *pi = &r->info[idx + i];
		u64 *p = page_ptr(r, (u32)(idx + i));

		if (palloc_debug && pi->poisoned) {
			for (unsigned int w = 0; w < PAGE_SIZE / 8; w++) {
				if (p[w] != PALLOC_POISON) {
					palloc_poison_violations++;
					pr_err("palloc: page %#llx written while free (word %u = %#llx)\n",
					       (r->base_pfn + idx + i) << PAGE_SHIFT, w, p[w]);
					break;
				}
			}
		}
		pi->poisoned = 0;
		pi->gen++;
		arch_clear_page(p);
	}
}

/* Put [idx, idx + n) on the free lists as maximal naturally aligned blocks. */
static void free_range(struct region *r, u64 idx, u64 n)
{
	while (n) {
		unsigned int order = 0;
		u64 pfn = r->base_pfn + idx;

		while (order < PALLOC_MAX_ORDER &&
		       !(pfn & ((2ULL << order) - 1)) && (2ULL << order) <= n)
			order++;
		list_add(r, (u32)idx, order);
		nr_free += 1ULL << order;
		idx += 1ULL << order;
		n -= 1ULL << order;
	}
}

/*
 * Ranges reserved so far. palloc_add_region() keeps its metadata and its
 * free lists clear of them, so reserving the image, the DTB and firmware
 * ranges *before* adding RAM protects them from the metadata writes too.
 */
static struct { u64 start_pfn, end_pfn; } rsv[PALLOC_MAX_REGIONS * 4];
static unsigned int nr_rsv;

static bool pfn_reserved(u64 pfn)
{
	for (unsigned int i = 0; i < nr_rsv; i++)
		if (pfn >= rsv[i].start_pfn && pfn < rsv[i].end_pfn)
			return true;
	return false;
}

static bool range_clear(u64 start_pfn, u64 n)
{
	for (unsigned int i = 0; i < nr_rsv; i++)
		if (start_pfn < rsv[i].end_pfn && rsv[i].start_pfn < start_pfn + n)
			return false;
	return true;
}

/* First place in [start, end) for n metadata pages: the start or after a reservation. */
static bool place_metadata(u64 start, u64 end, u64 n, u64 *at)
{
	if (start + n <= end && range_clear(start, n)) {
		*at = start;
		return true;
	}
	for (unsigned int i = 0; i < nr_rsv; i++) {
		u64 c = rsv[i].end_pfn;

		if (c >= start && c + n <= end && range_clear(c, n)) {
			*at = c;
			return true;
		}
	}
	return false;
}

int palloc_add_region(paddr_t base, u64 size)
{
	u64 start = ALIGN_UP(pa_addr(base), PAGE_SIZE) >> PAGE_SHIFT;
	u64 end = ALIGN_DOWN(pa_addr(base) + size, PAGE_SIZE) >> PAGE_SHIFT;
	u64 pages, meta_pages, meta, run = 0, before;
	struct region *r;

	if (end <= start || nr_regions == PALLOC_MAX_REGIONS)
		return -E_INVAL;
	pages = end - start;
	meta_pages = ALIGN_UP(pages * sizeof(struct page_info), PAGE_SIZE) >> PAGE_SHIFT;
	if (pages <= meta_pages + 1 || pages >= NIL)
		return -E_INVAL;

	spin_lock(&palloc_lock);
	if (!place_metadata(start, end, meta_pages, &meta)) {
		spin_unlock(&palloc_lock);
		return -E_NOMEM;
	}
	r = &regions[nr_regions++];
	r->info = pa_to_ptr(pa_init(meta << PAGE_SHIFT));
	r->base_pfn = start;
	r->npages = pages;
	for (unsigned int o = 0; o <= PALLOC_MAX_ORDER; o++)
		r->free_head[o] = NIL;
	memset(r->info, 0, pages * sizeof(struct page_info));	/* all PAGE_RESERVED */
	for (u64 i = 0; i < pages; i++)
		r->info[i].next = r->info[i].prev = NIL;
	/* Free every run of pages that is neither metadata nor reserved. */
	before = nr_free;
	for (u64 i = 0; i <= pages; i++) {
		u64 pfn = start + i;
		bool usable = i < pages && (pfn < meta || pfn >= meta + meta_pages) &&
			      !pfn_reserved(pfn);

		if (usable) {
			run++;
			continue;
		}
		if (run)
			free_range(r, i - run, run);
		run = 0;
	}
	nr_total += nr_free - before;
	spin_unlock(&palloc_lock);
	return 0;
}

/* Take one free page out of whatever free block contains it. */
static void reserve_page(struct region *r, u32 idx)
{
	for (unsigned int o = 0; o <= PALLOC_MAX_ORDER; o++) {
		u32 head = idx & ~((1U << o) - 1);
		struct page_info *pi = &r->info[head];

		if (!(pi->head && pi->state == PAGE_FREE && pi->order == o))
			continue;
		list_del(r, head);
		nr_free -= 1ULL << o;
		/* Split down, giving back the halves that do not hold idx. */
		while (o--) {
			u32 half = head + (1U << o);

			if (idx >= half) {
				list_add(r, head, o);
				head = half;
			} else {
				list_add(r, half, o);
			}
			nr_free += 1ULL << o;
		}
		r->info[idx].state = PAGE_RESERVED;
		return;
	}
}

int palloc_reserve(paddr_t base, u64 size)
{
	u64 start = ALIGN_DOWN(pa_addr(base), PAGE_SIZE) >> PAGE_SHIFT;
	u64 end = ALIGN_UP(pa_addr(base) + size, PAGE_SIZE) >> PAGE_SHIFT;

	spin_lock(&palloc_lock);
	if (nr_rsv < ARRAY_SIZE(rsv)) {
		rsv[nr_rsv].start_pfn = start;
		rsv[nr_rsv].end_pfn = end;
		nr_rsv++;
	}
	for (u64 pfn = start; pfn < end; pfn++) {
		u32 idx;
		struct region *r = find_region(pfn, &idx);

		if (r && r->info[idx].state == PAGE_FREE)
			reserve_page(r, idx);
	}
	spin_unlock(&palloc_lock);
	return 0;
}

static bool alloc_from(struct region *r, unsigned int order, paddr_t *pa)
{
	unsigned int o = order;
	u32 idx;

	while (o <= PALLOC_MAX_ORDER && r->free_head[o] == NIL)
		o++;
	if (o > PALLOC_MAX_ORDER)
		return false;
	idx = r->free_head[o];
	list_del(r, idx);
	while (o > order) {	/* split: give back the upper half each time */
		o--;
		list_add(r, idx + (1U << o), o);
	}
	for (u64 i = 0; i < (1ULL << order); i++)
		r->info[idx + i].state = PAGE_ALLOCATED;
	r->info[idx].head = 1;
	r->info[idx].order = (u8)order;
	nr_free -= 1ULL << order;
	prepare_block(r, idx, order);
	*pa = pa_init((r->base_pfn + idx) << PAGE_SHIFT);
	return true;
}

bool palloc_alloc(unsigned int order, paddr_t *pa)
{
	bool ok = false;

	if (order > PALLOC_MAX_ORDER)
		return false;
	spin_lock(&palloc_lock);
	for (unsigned int i = 0; i < nr_regions && !ok; i++)
		ok = alloc_from(&regions[i], order, pa);
	spin_unlock(&palloc_lock);
	return ok;
}

/* The allocated block of @order that @pa heads, or NULL (double free, wrong order). */
static struct region *alloc_block(paddr_t pa, unsigned int order, u32 *idx)
	__must_hold(&palloc_lock)
{
	struct region *r = find_region(pa_addr(pa) >> PAGE_SHIFT, idx);

	if (r && IS_ALIGNED(pa_addr(pa), PAGE_SIZE) && order <= PALLOC_MAX_ORDER &&
	    r->info[*idx].head && r->info[*idx].state == PAGE_ALLOCATED &&
	    r->info[*idx].order == order)
		return r;
	return NULL;
}

/* A bad free or split is a hypervisor bug: report and count it. */
static void bad_block(paddr_t pa, unsigned int order, const char *what)
{
	pr_err("palloc: bad %s of %#llx order %u\n", what, pa_addr(pa), order);
	palloc_poison_violations++;
}

void palloc_free(paddr_t pa, unsigned int order)
{
	struct region *r;
	u32 idx;

	spin_lock(&palloc_lock);
	r = alloc_block(pa, order, &idx);
	if (!r) {
		spin_unlock(&palloc_lock);
		bad_block(pa, order, "free");
		return;
	}
	r->info[idx].head = 0;
	if (palloc_debug)
		poison_block(r, idx, order);
	for (u64 i = 0; i < (1ULL << order); i++)
		r->info[idx + i].state = PAGE_FREE;
	nr_free += 1ULL << order;
	/* Coalesce with free buddies of the same order. */
	while (order < PALLOC_MAX_ORDER) {
		struct page_info *bi;
		/* The buddy relation is on absolute pfns; idx is relative. */
		u32 buddy = (u32)((((r->base_pfn + idx) ^ (1ULL << order))) - r->base_pfn);
		if ((u64)buddy >= r->npages || !block_fits(r, buddy, order))
			break;
		bi = &r->info[buddy];
		if (!(bi->head && bi->state == PAGE_FREE && bi->order == order))
			break;
		list_del(r, buddy);
		idx = MIN(idx, buddy);
		order++;
	}
	list_add(r, idx, order);
	spin_unlock(&palloc_lock);
}

void palloc_split(paddr_t pa, unsigned int order)
{
	struct region *r;
	u32 idx;

	spin_lock(&palloc_lock);
	r = alloc_block(pa, order, &idx);
	if (!r) {
		spin_unlock(&palloc_lock);
		bad_block(pa, order, "split");
		return;
	}
	for (u64 i = 0; i < (1ULL << order); i++) {
		r->info[idx + i].head = 1;
		r->info[idx + i].order = 0;
	}
	spin_unlock(&palloc_lock);
}

static struct page_info *info_of(paddr_t pa)
{
	u32 idx;
	struct region *r = find_region(pa_addr(pa) >> PAGE_SHIFT, &idx);

	return r ? &r->info[idx] : NULL;
}

enum page_state palloc_state(paddr_t pa)
{
	struct page_info *pi = info_of(pa);

	return pi ? (enum page_state)pi->state : PAGE_RESERVED;
}

u32 palloc_generation(paddr_t pa)
{
	struct page_info *pi = info_of(pa);

	return pi ? pi->gen : 0;
}

u64 palloc_free_pages(void)
{
	return nr_free;
}

u64 palloc_total_pages(void)
{
	return nr_total;
}

void palloc_reset(void)
{
	nr_regions = 0;
	nr_rsv = 0;
	nr_free = nr_total = 0;
	palloc_poison_violations = 0;
}
