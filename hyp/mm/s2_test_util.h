/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the hyp/mm host unit tests (included, not linked). */
#ifndef HYP_MM_S2_TEST_UTIL_H
#define HYP_MM_S2_TEST_UTIL_H

#include <hyp/palloc.h>
#include <hyp/mm/s2.h>
#include <hyp/mm/s2_walk.h>
#include <test/tap.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define T_MEM_SIZE	(256ULL << 20)
#define T_MEM_BASE	0x80000000ULL

extern uintptr_t hyp_phys_virt_offset;

static inline void t_setup_mem(void)
{
	static void *mem;

	if (!mem) {
		mem = mmap(NULL, T_MEM_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (mem == MAP_FAILED)
			abort();
		hyp_phys_virt_offset = (uintptr_t)mem - T_MEM_BASE;
	}
	palloc_reset();
	if (palloc_add_region(pa_init(T_MEM_BASE), T_MEM_SIZE))
		abort();
}

/* A counting allocator that can be told to fail after N more allocations. */
struct t_alloc {
	long fail_after;	/* < 0: never fail */
	long allocs, frees;	/* pages */
	long put_pages;		/* 4K data pages released */
	long put_calls;
};

static inline bool t_alloc_pages(void *arg, unsigned int order, paddr_t *pa)
{
	struct t_alloc *a = arg;

	if (a->fail_after == 0)
		return false;
	if (a->fail_after > 0)
		a->fail_after--;
	if (!palloc_alloc(order, pa))
		return false;
	a->allocs += 1L << order;
	return true;
}

static inline void t_free_pages(void *arg, paddr_t pa, unsigned int order)
{
	struct t_alloc *a = arg;

	a->frees += 1L << order;
	palloc_free(pa, order);
}

static inline void t_put_page(void *arg, paddr_t pa, u64 size)
{
	struct t_alloc *a = arg;

	a->put_pages += (long)(size / PAGE_SIZE);
	a->put_calls++;
}

/* Hash of every descriptor reachable from the root (detects any change). */
static inline u64 t_tree_hash(const struct s2_format *f, paddr_t table, int level)
{
	u64 *t = s2_table_ptr(table);
	u64 n = level == f->start_level ? s2_root_entries(f) : S2_ENTRIES;
	u64 h = 1469598103934665603ULL;

	for (u64 i = 0; i < n; i++) {
		u64 d = t[i];

		h = (h ^ d ^ i) * 1099511628211ULL;
		if (s2_desc_is_table(f, d, level))
			h ^= t_tree_hash(f, s2_desc_pa(f, d), level + 1) * 31;
	}
	return h;
}

/* Number of table pages reachable from the root (root included). */
static inline u64 t_tree_tables(const struct s2_format *f, paddr_t table, int level)
{
	u64 *t = s2_table_ptr(table);
	u64 n = level == f->start_level ? s2_root_entries(f) : S2_ENTRIES;
	u64 c = 1;

	for (u64 i = 0; i < n; i++)
		if (s2_desc_is_table(f, t[i], level))
			c += t_tree_tables(f, s2_desc_pa(f, t[i]), level + 1);
	return c;
}

/* Translate through the VM's tables: returns true and *pa, *prot if mapped. */
static inline bool t_xlate(struct s2_vm *vm, u64 ipa, u64 *pa, unsigned int *prot, u64 *size)
{
	struct s2_desc_info info;

	if (s2_lookup(vm->fmt, vm->root, ipa, &info, NULL) != S2_DESC_LEAF)
		return false;
	if (pa)
		*pa = pa_addr(info.pa) + (ipa & (info.size - 1));
	if (prot)
		*prot = info.prot;
	if (size)
		*size = info.size;
	return true;
}

/*
 * A step the test builds on (s2.h's operations are __must_check): it must
 * succeed; a failure is reported as a failing TAP line (none when it passes).
 */
#define T0(x)								\
	do {								\
		int t0_ret_ = (x);					\
		if (t0_ret_)						\
			tap_ok(0, "%s:%d: %s = %d", __FILE__, __LINE__, #x, t0_ret_); \
	} while (0)

#endif
