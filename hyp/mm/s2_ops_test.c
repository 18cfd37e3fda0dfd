// SPDX-License-Identifier: GPL-2.0
/*
 * Stage-2 operations on every format: map (blocks), unmap (split, empty-table
 * reclaim), protect, split, collapse, move, reclaim, teardown; failure
 * atomicity under injected allocation failures; bad arguments; the gather's
 * one-invalidation batching and the R2 overlap rule.
 */
#include "s2_test_util.h"
#include <hyp/mm/s2_gather.h>
#include <hyp/mm/s2_move.h>
#include <hyp/mm/s2_migrate.h>
#include <hyp/mm/s2_dirty.h>
#include <hyp/mm/s2_vmid.h>
#include <hyp/mm/s2_gp.h>
#include "s2_internal.h"	/* white-box: stock, lookup */

static struct t_alloc ta;
static const struct s2_mm_ops t_ops = {
	.alloc_pages = t_alloc_pages, .free_pages = t_free_pages,
	.put_page = t_put_page, .arg = &ta,
};

#define IPA0	0x40000000ULL	/* 1 GiB: 1G-aligned */
#define PA0	0x200000000ULL	/* 8 GiB: fake data pages (never touched) */

static void vm_new(struct s2_vm *vm, const struct s2_format *f, u32 rmap)
{
	struct s2_vm_config cfg = { .fmt = f, .ops = &t_ops, .rmap_entries = rmap };

	memset(&ta, 0, sizeof(ta));
	ta.fail_after = -1;
	if (s2_vm_init(vm, &cfg))
		abort();
}

static u64 hash(struct s2_vm *vm)
{
	return t_tree_hash(vm->fmt, vm->root, vm->fmt->start_level);
}

static u64 tables(struct s2_vm *vm)
{
	return t_tree_tables(vm->fmt, vm->root, vm->fmt->start_level);
}

static bool mapped(struct s2_vm *vm, u64 ipa, u64 pa)
{
	u64 got;

	return t_xlate(vm, ipa, &got, NULL, NULL) && got == pa;
}

static bool unmapped(struct s2_vm *vm, u64 ipa)
{
	return !t_xlate(vm, ipa, NULL, NULL, NULL);
}

static u64 leaf_size(struct s2_vm *vm, u64 ipa)
{
	u64 size = 0;

	t_xlate(vm, ipa, NULL, NULL, &size);
	return size;
}

static bool has_1g(const struct s2_format *f)
{
	return s2_leaf_allowed(f, 1);
}

static void test_map_unmap(const struct s2_format *f)
{
	struct s2_vm vm;
	const char *n = f->name;
	int levels = S2_LAST_LEVEL - f->start_level + 1;

	vm_new(&vm, f, 0);
	tap_ok(s2_map(&vm, ipa_init(IPA0 + 0x5000), pa_init(PA0), SZ_4K, S2_PROT_R | S2_PROT_W, 0) == 0 &&
	       mapped(&vm, IPA0 + 0x5abc, PA0 + 0xabc), "%s: map one 4K page", n);
	tap_ok(tables(&vm) == (u64)levels, "%s: one table per level (%llu)", n, tables(&vm));
	tap_ok(s2_map(&vm, ipa_init(IPA0 + 0x5000), pa_init(PA0), SZ_4K, S2_PROT_R, 0) == -E_EXIST,
	       "%s: remapping a mapped page -> -E_EXIST", n);
	tap_ok(s2_map(&vm, ipa_init(IPA0 + SZ_2M), pa_init(PA0 + SZ_2M), SZ_2M, S2_PROT_RWX, 0) == 0 &&
	       leaf_size(&vm, IPA0 + SZ_2M + 0x1000) == SZ_2M &&
	       mapped(&vm, IPA0 + SZ_2M + 0x1234, PA0 + SZ_2M + 0x1234), "%s: aligned 2M -> one block", n);
	tap_ok(s2_map(&vm, ipa_init(IPA0 + 2 * SZ_2M), pa_init(PA0 + 0x1000), SZ_2M, S2_PROT_RWX, 0) == 0 &&
	       leaf_size(&vm, IPA0 + 2 * SZ_2M) == SZ_4K &&
	       mapped(&vm, IPA0 + 3 * SZ_2M - 1, PA0 + 0x1000 + SZ_2M - 1),
	       "%s: 2M with misaligned output -> 4K pages", n);
	tap_ok(s2_map(&vm, ipa_init(IPA0 + 3 * SZ_2M), pa_init(PA0 + 3 * SZ_2M), SZ_2M, S2_PROT_R,
		      S2_MAP_PAGES) == 0 && leaf_size(&vm, IPA0 + 3 * SZ_2M) == SZ_4K,
	       "%s: S2_MAP_PAGES -> 4K pages", n);
	if (has_1g(f))
		tap_ok(s2_map(&vm, ipa_init(2 * SZ_1G), pa_init(4 * SZ_1G), SZ_1G, S2_PROT_R, 0) == 0 &&
		       leaf_size(&vm, 2 * SZ_1G + 77) == SZ_1G, "%s: aligned 1G -> one block", n);
	else
		tap_ok(s2_map(&vm, ipa_init(2 * SZ_1G), pa_init(4 * SZ_1G), SZ_1G, S2_PROT_R, 0) == 0 &&
		       leaf_size(&vm, 2 * SZ_1G + 77) == SZ_2M, "%s: 1G without 1G pages -> 2M blocks", n);
	/* A range mixing blocks and pages: head pages, 2M blocks, tail pages. */
	tap_ok(s2_map(&vm, ipa_init(4 * SZ_1G - SZ_4K), pa_init(8 * SZ_1G - SZ_4K), (4ULL << 20) + 2 * SZ_4K,
		      S2_PROT_R, 0) == 0 && leaf_size(&vm, 4 * SZ_1G - SZ_4K) == SZ_4K &&
	       leaf_size(&vm, 4 * SZ_1G) == SZ_2M && leaf_size(&vm, 4 * SZ_1G + (4ULL << 20)) == SZ_4K &&
	       mapped(&vm, 4 * SZ_1G + SZ_2M + 5, 8 * SZ_1G + SZ_2M + 5), "%s: mixed head/blocks/tail", n);

	/* Unmap one page inside a 2M block: split with break-before-make. */
	struct s2_counters c0, c1;

	s2_vm_counters(&vm, &c0);
	tap_ok(s2_unmap(&vm, ipa_init(IPA0 + SZ_2M + 0x3000), SZ_4K) == 0 &&
	       unmapped(&vm, IPA0 + SZ_2M + 0x3000) && mapped(&vm, IPA0 + SZ_2M + 0x4000, PA0 + SZ_2M + 0x4000) &&
	       mapped(&vm, IPA0 + SZ_2M, PA0 + SZ_2M), "%s: unmap a page inside a block splits it", n);
	s2_vm_counters(&vm, &c1);
	tap_ok(c1.splits == c0.splits + 1, "%s: one split counted", n);

	/* Unmap everything: all tables reclaimed, only the root is left. */
	tap_ok(s2_unmap(&vm, ipa_init(0), vm.ipa_size > (1ULL << 40) ? (1ULL << 40) : vm.ipa_size) == 0 &&
	       unmapped(&vm, IPA0 + 0x5000) && unmapped(&vm, 2 * SZ_1G) && tables(&vm) == 1,
	       "%s: unmap all -> only the root table is left (%llu)", n, tables(&vm));
	/* Unmapping a single page of a fresh table frees its tables again. */
	T0(s2_map(&vm, ipa_init(IPA0 + 0x9000), pa_init(PA0), SZ_4K, S2_PROT_R, 0));
	s2_vm_counters(&vm, &c0);
	T0(s2_unmap(&vm, ipa_init(IPA0 + 0x9000), SZ_4K));
	s2_vm_counters(&vm, &c1);
	tap_ok(tables(&vm) == 1 && c1.tables_freed - c0.tables_freed == (u64)levels - 1 &&
	       c1.invalidations - c0.invalidations == 1 && c1.grace_waits == c0.grace_waits + 1,
	       "%s: last page unmapped -> %d tables freed, one invalidation, one grace period", n, levels - 1);
	tap_ok(s2_vm_destroy(&vm) == 0 && ta.allocs == ta.frees,
	       "%s: teardown frees every table (%ld allocated, %ld freed)", n, ta.allocs, ta.frees);
}

static void test_protect_split_collapse(const struct s2_format *f)
{
	struct s2_vm vm;
	struct s2_counters c0, c1;
	const char *n = f->name;
	unsigned int prot;

	vm_new(&vm, f, 0);
	T0(s2_map(&vm, ipa_init(IPA0), pa_init(PA0), SZ_2M, S2_PROT_R | S2_PROT_W, 0));
	s2_vm_counters(&vm, &c0);
	tap_ok(s2_protect(&vm, ipa_init(IPA0), SZ_2M, S2_PROT_R) == 0 &&
	       t_xlate(&vm, IPA0 + 5, NULL, &prot, NULL) && prot == S2_PROT_R,
	       "%s: write-protect a block", n);
	s2_vm_counters(&vm, &c1);
	tap_ok(c1.invalidations == c0.invalidations + 1, "%s: restricting invalidates once", n);
	tap_ok(s2_protect(&vm, ipa_init(IPA0), SZ_2M, S2_PROT_RWX) == 0 &&
	       t_xlate(&vm, IPA0 + 5, NULL, &prot, NULL) && prot == S2_PROT_RWX,
	       "%s: relax to RWX", n);
	s2_vm_counters(&vm, &c0);
	tap_ok(c0.invalidations == c1.invalidations, "%s: relaxing needs no invalidation", n);
	tap_ok(s2_protect(&vm, ipa_init(IPA0 + SZ_4K), SZ_4K, S2_PROT_R) == 0 &&
	       leaf_size(&vm, IPA0) == SZ_4K && t_xlate(&vm, IPA0 + SZ_4K, NULL, &prot, NULL) &&
	       prot == S2_PROT_R && t_xlate(&vm, IPA0, NULL, &prot, NULL) && prot == S2_PROT_RWX,
	       "%s: protecting one page of a block splits it", n);
	tap_ok(s2_collapse(&vm, ipa_init(IPA0), 2) == -E_BUSY, "%s: mixed permissions do not collapse", n);
	T0(s2_protect(&vm, ipa_init(IPA0 + SZ_4K), SZ_4K, S2_PROT_RWX));
	s2_vm_counters(&vm, &c0);
	tap_ok(s2_collapse(&vm, ipa_init(IPA0 + 0x7000), 2) == 0 && leaf_size(&vm, IPA0) == SZ_2M &&
	       mapped(&vm, IPA0 + SZ_2M - 1, PA0 + SZ_2M - 1), "%s: collapse back into a 2M block", n);
	s2_vm_counters(&vm, &c1);
	tap_ok(c1.tables_freed == c0.tables_freed + 1 && c1.grace_waits == c0.grace_waits + 1,
	       "%s: collapsed table freed after a grace period", n);
	tap_ok(s2_split(&vm, ipa_init(IPA0 + 0x1000)) == 0 && leaf_size(&vm, IPA0) == SZ_4K &&
	       mapped(&vm, IPA0 + 0x123456, PA0 + 0x123456), "%s: explicit split keeps the translation", n);
	tap_ok(s2_split(&vm, ipa_init(IPA0 + 0x1000)) == -E_NOENT, "%s: split of a page -> -E_NOENT", n);
	tap_ok(s2_collapse(&vm, ipa_init(IPA0 + SZ_1G), 2) == -E_NOENT, "%s: collapse without table -> -E_NOENT", n);
	tap_ok(s2_collapse(&vm, ipa_init(IPA0), 3) == -E_INVAL, "%s: collapse at level 3 -> -E_INVAL", n);
	/* Reclaim: an empty table left behind is found and freed. */
	{
		u64 *ptep;
		int level;

		T0(s2_map(&vm, ipa_init(IPA0 + SZ_1G), pa_init(PA0), SZ_4K, S2_PROT_R, 0));
		s2_lookup_ptep(&vm, IPA0 + SZ_1G, &ptep, &level);
		*ptep = 0;	/* empty it behind the manager's back (no TLB can hold it here) */
		u64 before = tables(&vm);

		tap_ok(s2_reclaim_tables(&vm, ipa_init(IPA0 + SZ_1G), SZ_1G) == 0 && tables(&vm) < before,
		       "%s: explicit reclaim frees empty tables (%llu -> %llu)", n, before, tables(&vm));
	}
	T0(s2_vm_destroy(&vm));
	tap_ok(ta.allocs == ta.frees, "%s: no table leaked", n);
}

static void test_move(const struct s2_format *f)
{
	struct s2_vm vm;
	struct s2_counters c0, c1;
	const char *n = f->name;
	u64 a = IPA0, b = 3 * SZ_1G, h;

	vm_new(&vm, f, 64);
	T0(s2_map(&vm, ipa_init(a), pa_init(PA0), SZ_2M, S2_PROT_RWX, S2_MAP_PAGES));
	s2_vm_counters(&vm, &c0);
	tap_ok(s2_move(&vm, ipa_init(a), ipa_init(b), SZ_2M) == 0 && unmapped(&vm, a) &&
	       unmapped(&vm, a + SZ_2M - SZ_4K) && mapped(&vm, b + 0x5123, PA0 + 0x5123) &&
	       mapped(&vm, b + SZ_2M - 1, PA0 + SZ_2M - 1), "%s: move 2M of 4K pages", n);
	s2_vm_counters(&vm, &c1);
	tap_ok(c1.moved_entries - c0.moved_entries == 1, "%s: aligned move = one descriptor (%llu)", n,
	       c1.moved_entries - c0.moved_entries);
	tap_ok(c1.invalidations - c0.invalidations == 1 && c1.inval_sync > c0.inval_sync,
	       "%s: old range invalidated once", n);
	s2_vm_counters(&vm, &c0);
	tap_ok(s2_move(&vm, ipa_init(b + 0x3000), ipa_init(a + 0x7000), 5 * SZ_4K) == 0 &&
	       mapped(&vm, a + 0x7000, PA0 + 0x3000) && mapped(&vm, a + 0xb000, PA0 + 0x7000) &&
	       unmapped(&vm, b + 0x3000) && mapped(&vm, b + 0x8000, PA0 + 0x8000),
	       "%s: unaligned move of 5 pages", n);
	s2_vm_counters(&vm, &c1);
	tap_ok(c1.moved_entries - c0.moved_entries == 5, "%s: ... moves 5 entries", n);
	h = hash(&vm);
	tap_ok(s2_move(&vm, ipa_init(b), ipa_init(a), SZ_2M) == -E_EXIST && hash(&vm) == h,
	       "%s: move onto a mapped range -> -E_EXIST, unchanged", n);
	tap_ok(s2_move(&vm, ipa_init(b), ipa_init(b + (1ULL << 20)), SZ_2M) == -E_INVAL,
	       "%s: overlapping move -> -E_INVAL", n);
	/* A 2M block cannot move to a destination that is not 2M-aligned. */
	T0(s2_map(&vm, ipa_init(5 * SZ_1G), pa_init(PA0 + SZ_1G), SZ_2M, S2_PROT_R, 0));
	h = hash(&vm);
	tap_ok(s2_move(&vm, ipa_init(5 * SZ_1G), ipa_init(6 * SZ_1G + SZ_4K), SZ_2M) == -E_ALIGN &&
	       hash(&vm) == h, "%s: block to a misaligned destination -> -E_ALIGN, unchanged", n);
	tap_ok(s2_move(&vm, ipa_init(5 * SZ_1G), ipa_init(6 * SZ_1G), SZ_2M) == 0 &&
	       leaf_size(&vm, 6 * SZ_1G) == SZ_2M && mapped(&vm, 6 * SZ_1G + 9, PA0 + SZ_1G + 9),
	       "%s: a block moves whole", n);
	/* 1 GiB aligned: one descriptor however many pages. */
	T0(s2_map(&vm, ipa_init(8 * SZ_1G), pa_init(PA0), 64 * SZ_4K, S2_PROT_R, S2_MAP_PAGES));
	T0(s2_map(&vm, ipa_init(8 * SZ_1G + SZ_1G - SZ_4K), pa_init(PA0), SZ_4K, S2_PROT_R, 0));
	s2_vm_counters(&vm, &c0);
	tap_ok(s2_move(&vm, ipa_init(8 * SZ_1G), ipa_init(10 * SZ_1G), SZ_1G) == 0 &&
	       mapped(&vm, 10 * SZ_1G + 63 * SZ_4K, PA0 + 63 * SZ_4K) &&
	       mapped(&vm, 11 * SZ_1G - SZ_4K, PA0) && unmapped(&vm, 8 * SZ_1G), "%s: move 1 GiB", n);
	s2_vm_counters(&vm, &c1);
	tap_ok(c1.moved_entries - c0.moved_entries == 1, "%s: ... as one descriptor", n);
	/* Reverse map follows the move (R5). */
	T0(s2_map(&vm, ipa_init(12 * SZ_1G), pa_init(PA0 + 0x77000), SZ_4K, S2_PROT_RWX, S2_MAP_RMAP | S2_MAP_OWNED));
	s2_move(&vm, ipa_init(12 * SZ_1G), ipa_init(13 * SZ_1G + SZ_4K), SZ_4K);
	{
		ipaddr_t where;
		long put = ta.put_pages;

		tap_ok(s2_rmap_lookup(&vm, pa_init(PA0 + 0x77000), &where) == 0 &&
		       ipa_addr(where) == 13 * SZ_1G + SZ_4K, "%s: rmap finds the page at its new IPA", n);
		tap_ok(s2_reclaim_page(&vm, pa_init(PA0 + 0x77000)) == 0 &&
		       unmapped(&vm, 13 * SZ_1G + SZ_4K) && ta.put_pages == put + 1,
		       "%s: reclaim unmaps it there and releases it once", n);
		tap_ok(s2_reclaim_page(&vm, pa_init(PA0 + 0x77000)) == -E_NOENT, "%s: reclaim again -> -E_NOENT", n);
	}
	/* Reverse map of a block, then of its pages after a split. */
	{
		u64 blk = 14 * SZ_1G, bpa = PA0 + 64 * SZ_2M;
		ipaddr_t where;
		long put = ta.put_pages;

		T0(s2_map(&vm, ipa_init(blk), pa_init(bpa), SZ_2M, S2_PROT_RWX, S2_MAP_RMAP | S2_MAP_OWNED));
		tap_ok(s2_rmap_lookup(&vm, pa_init(bpa + 5 * SZ_4K), &where) == 0 &&
		       ipa_addr(where) == blk + 5 * SZ_4K, "%s: rmap inside a block", n);
		T0(s2_unmap(&vm, ipa_init(blk + 5 * SZ_4K), SZ_4K));	/* splits */
		tap_ok(s2_reclaim_page(&vm, pa_init(bpa + 5 * SZ_4K)) == -E_NOENT &&
		       s2_reclaim_page(&vm, pa_init(bpa + 6 * SZ_4K)) == 0 &&
		       unmapped(&vm, blk + 6 * SZ_4K) && mapped(&vm, blk + 7 * SZ_4K, bpa + 7 * SZ_4K) &&
		       ta.put_pages == put + 2,
		       "%s: after a split, reclaim finds the pages still mapped, one by one", n);
	}
	T0(s2_vm_destroy(&vm));
	tap_ok(ta.allocs == ta.frees, "%s: no table leaked after moves", n);
}

/* Failure atomicity: fail the k-th allocation, for every k, and compare. */
static void test_atomic(const struct s2_format *f)
{
	struct s2_vm vm;
	const char *n = f->name;
	int bad = 0, tried = 0;

	for (int op = 0; op < 6; op++) {
		for (long k = 0; k < 12; k++) {
			int ret;
			u64 h;

			vm_new(&vm, f, 0);
			T0(s2_map(&vm, ipa_init(IPA0), pa_init(PA0), SZ_1G / 2, S2_PROT_RWX, 0));
			T0(s2_map(&vm, ipa_init(7 * SZ_1G), pa_init(PA0), SZ_4K, S2_PROT_RWX, 0));
			/* Empty the stock so the operation must allocate. */
			{
				struct s2_vm_locked l = s2_vm_lock(&vm);

				s2_stock_trim(l, 0);
				s2_vm_unlock(&l);
			}
			h = hash(&vm);
			ta.fail_after = k;
			switch (op) {
			case 0:	/* new tables at every level, blocks and pages */
				ret = s2_map(&vm, ipa_init(3 * SZ_1G + SZ_4K), pa_init(PA0 + SZ_4K),
					     (4ULL << 20), S2_PROT_R, 0);
				break;
			case 1:	/* unmap needing splits at both edges */
				ret = s2_unmap(&vm, ipa_init(IPA0 + SZ_4K), SZ_2M);
				break;
			case 2:	/* move into an empty destination (tables needed) */
				ret = s2_move(&vm, ipa_init(7 * SZ_1G), ipa_init(9 * SZ_1G + SZ_4K), SZ_4K);
				break;
			case 3: /* protect one page of a block */
				ret = s2_protect(&vm, ipa_init(IPA0 + SZ_2M + SZ_4K), SZ_4K, S2_PROT_R);
				break;
			case 4: /* one page where no table exists (single-page fast path) */
				ret = s2_map(&vm, ipa_init(11 * SZ_1G + SZ_4K), pa_init(PA0), SZ_4K,
					     S2_PROT_R, 0);
				break;
			default: /* one page inside a block (fast path falls back, splits) */
				ret = s2_unmap(&vm, ipa_init(IPA0 + 5 * SZ_2M + SZ_4K), SZ_4K);
				break;
			}
			ta.fail_after = -1;
			if (ret == -E_NOMEM) {
				tried++;
				if (hash(&vm) != h)
					bad++;
			} else if (ret) {
				bad++;
			}
			T0(s2_vm_destroy(&vm));
			if (ta.allocs != ta.frees)
				bad++;
		}
	}
	tap_ok(tried >= 4 && bad == 0,
	       "%s: -E_NOMEM leaves the tables unchanged (%d failures injected, %d bad)", n, tried, bad);
}

static void test_bad_args(const struct s2_format *f)
{
	struct s2_vm vm;
	struct s2_vm_config cfg = { .fmt = f, .ops = &t_ops, .ipa_size = 16 * SZ_1G };
	const char *n = f->name;
	u64 h;

	memset(&ta, 0, sizeof(ta));
	ta.fail_after = -1;
	T0(s2_vm_init(&vm, &cfg));
	h = hash(&vm);
	tap_ok(s2_map(&vm, ipa_init(0x1001), pa_init(PA0), SZ_4K, S2_PROT_R, 0) == -E_ALIGN &&
	       s2_map(&vm, ipa_init(0), pa_init(PA0 + 1), SZ_4K, S2_PROT_R, 0) == -E_ALIGN &&
	       s2_map(&vm, ipa_init(0), pa_init(PA0), 100, S2_PROT_R, 0) == -E_ALIGN,
	       "%s: misaligned ipa/pa/size -> -E_ALIGN", n);
	tap_ok(s2_map(&vm, ipa_init(0), pa_init(PA0), 0, S2_PROT_R, 0) == -E_INVAL,
	       "%s: size 0 -> -E_INVAL", n);
	tap_ok(s2_map(&vm, ipa_init(16 * SZ_1G), pa_init(PA0), SZ_4K, S2_PROT_R, 0) == -E_RANGE &&
	       s2_map(&vm, ipa_init(16 * SZ_1G - SZ_4K), pa_init(PA0), 2 * SZ_4K, S2_PROT_R, 0) == -E_RANGE &&
	       s2_map(&vm, ipa_init(~0ULL & ~0xfffULL), pa_init(PA0), 2 * SZ_4K, S2_PROT_R, 0) == -E_RANGE,
	       "%s: beyond the IPA space / wrapping -> -E_RANGE", n);
	tap_ok(s2_map(&vm, ipa_init(0), pa_init(1ULL << 60), SZ_4K, S2_PROT_R, 0) == -E_RANGE,
	       "%s: output address beyond the format -> -E_RANGE", n);
	tap_ok(s2_map(&vm, ipa_init(0), pa_init(PA0), SZ_4K, S2_PROT_W, 0) == -E_INVAL &&
	       s2_map(&vm, ipa_init(0), pa_init(PA0), SZ_4K, S2_PROT_R | 0x100, 0) == -E_INVAL &&
	       s2_map(&vm, ipa_init(0), pa_init(PA0), SZ_4K, S2_PROT_R, 0x80) == -E_INVAL &&
	       s2_map(&vm, ipa_init(0), pa_init(PA0), SZ_4K, S2_PROT_R, S2_MAP_RMAP) == -E_INVAL,
	       "%s: bad prot / flags (rmap without a reverse map) -> -E_INVAL", n);
	tap_ok(s2_unmap(&vm, ipa_init(0x800), SZ_4K) == -E_ALIGN &&
	       s2_unmap(&vm, ipa_init(0), 0) == -E_INVAL &&
	       s2_unmap(&vm, ipa_init(15 * SZ_1G), 2 * SZ_1G) == -E_RANGE,
	       "%s: unmap argument errors", n);
	tap_ok(s2_protect(&vm, ipa_init(0), SZ_4K, 0) == -E_INVAL &&
	       s2_protect(&vm, ipa_init(3), SZ_4K, S2_PROT_R) == -E_ALIGN,
	       "%s: protect argument errors", n);
	tap_ok(s2_move(&vm, ipa_init(0), ipa_init(15 * SZ_1G + SZ_2M), SZ_1G) == -E_RANGE &&
	       s2_move(&vm, ipa_init(SZ_4K), ipa_init(0), 2 * SZ_4K) == -E_INVAL &&
	       s2_move(&vm, ipa_init(0), ipa_init(SZ_1G), 5) == -E_ALIGN,
	       "%s: move argument errors", n);
	tap_ok(s2_split(&vm, ipa_init(20 * SZ_1G)) == -E_RANGE &&
	       s2_collapse(&vm, ipa_init(20 * SZ_1G), 2) == -E_RANGE &&
	       s2_handle_fault(&vm, ipa_init(20 * SZ_1G), false, false) == -E_RANGE,
	       "%s: split/collapse/fault beyond the IPA space -> -E_RANGE", n);
	tap_ok(s2_reclaim_page(&vm, pa_init(PA0)) == -E_NOSYS, "%s: reclaim without rmap -> -E_NOSYS", n);
	tap_ok(hash(&vm) == h, "%s: failed calls changed nothing", n);
	T0(s2_vm_destroy(&vm));
	tap_ok(s2_vm_destroy(&vm) == -E_INVAL, "%s: destroy twice -> -E_INVAL", n);
}

static void test_gather(const struct s2_format *f)
{
	struct s2_vm vm;
	struct s2_gather g1, g2;
	struct s2_counters c0, c1;
	const char *n = f->name;

	vm_new(&vm, f, 0);
	/* 64 MiB of 4K pages (16384 entries), one unmap call: one invalidation. */
	T0(s2_map(&vm, ipa_init(IPA0), pa_init(PA0), 64ULL << 20, S2_PROT_RWX, S2_MAP_PAGES | S2_MAP_OWNED));
	s2_vm_counters(&vm, &c0);
	tap_ok(s2_unmap(&vm, ipa_init(IPA0), 64ULL << 20) == 0 && tables(&vm) == 1, "%s: unmap 64 MiB of pages", n);
	s2_vm_counters(&vm, &c1);
	tap_ok(c1.invalidations - c0.invalidations == 1 && ta.put_pages == 16384,
	       "%s: ... one invalidation (%llu), 16384 pages released (%ld, in %ld extents)", n,
	       c1.invalidations - c0.invalidations, ta.put_pages, ta.put_calls);
	/* Page-wise unmaps inside one gather: one invalidation at the end. */
	T0(s2_map(&vm, ipa_init(IPA0), pa_init(PA0), 4ULL << 20, S2_PROT_RWX, S2_MAP_PAGES));
	s2_vm_counters(&vm, &c0);
	s2_gather_begin(&g1, &vm);
	for (u64 a = 0; a < (4ULL << 20); a += SZ_4K)
		T0(s2_unmap_gather(&g1, ipa_init(IPA0 + a), SZ_4K));
	s2_vm_counters(&vm, &c1);
	tap_ok(c1.invalidations == c0.invalidations, "%s: 1024 page-wise unmaps, no invalidation yet", n);
	s2_gather_finish(&g1);
	s2_vm_counters(&vm, &c1);
	tap_ok(c1.invalidations - c0.invalidations == 1 && tables(&vm) == 1,
	       "%s: ... one at gather finish, tables reclaimed", n);
	/* R2: a gather that finds entries cleared by another in-flight gather. */
	T0(s2_map(&vm, ipa_init(IPA0), pa_init(PA0), 8 * SZ_4K, S2_PROT_RWX, S2_MAP_PAGES));
	s2_gather_begin(&g1, &vm);
	s2_gather_begin(&g2, &vm);
	T0(s2_unmap_gather(&g1, ipa_init(IPA0), 8 * SZ_4K));
	T0(s2_unmap_gather(&g2, ipa_init(IPA0 + SZ_4K), 2 * SZ_4K));	/* finds nothing */
	s2_vm_counters(&vm, &c0);
	s2_gather_finish(&g2);
	s2_vm_counters(&vm, &c1);
	tap_ok(c1.overlaps == c0.overlaps + 1 && c1.invalidations == c0.invalidations + 1 &&
	       c1.inval_ipa - c0.inval_ipa + c1.inval_range - c0.inval_range + c1.inval_vmid - c0.inval_vmid >= 1,
	       "%s: overlapped gather with nothing cleared still flushes (R2)", n);
	s2_gather_finish(&g1);
	s2_vm_counters(&vm, &c0);
	tap_ok(c0.overlaps == c1.overlaps && c0.invalidations == c1.invalidations + 1,
	       "%s: the last gather flushes its own range normally", n);
	T0(s2_vm_destroy(&vm));
}

/* Batch pages for the free list, and the early flush when none can be had. */
static void test_gather_batches(const struct s2_format *f)
{
	struct s2_vm vm;
	struct s2_gather g;
	struct s2_counters c0, c1;
	const char *n = f->name;

	vm_new(&vm, f, 0);
	/* 600 owned pages, every other output page: no extent merging. */
	for (u64 i = 0; i < 600; i++)
		T0(s2_map(&vm, ipa_init(IPA0 + i * SZ_4K), pa_init(PA0 + 2 * i * SZ_4K), SZ_4K,
		       S2_PROT_RWX, S2_MAP_OWNED));
	s2_vm_counters(&vm, &c0);
	tap_ok(s2_unmap(&vm, ipa_init(IPA0), 600 * SZ_4K) == 0 && ta.put_pages == 600 &&
	       ta.put_calls == 600, "%s: 600 separate pages through batch pages", n);
	s2_vm_counters(&vm, &c1);
	tap_ok(c1.invalidations == c0.invalidations + 1 && c1.early_flushes == c0.early_flushes,
	       "%s: ... still one invalidation", n);
	for (u64 i = 0; i < 20; i++)
		T0(s2_map(&vm, ipa_init(IPA0 + i * SZ_4K), pa_init(PA0 + 2 * i * SZ_4K), SZ_4K,
		       S2_PROT_RWX, S2_MAP_OWNED));
	ta.put_pages = 0;
	{
		struct s2_vm_locked l = s2_vm_lock(&vm);

		s2_stock_topup(l, 8);	/* splits will not need to allocate */
		s2_vm_unlock(&l);
	}
	s2_gather_begin(&g, &vm);
	ta.fail_after = 0;	/* no batch page: the gather must flush early */
	T0(s2_unmap_gather(&g, ipa_init(IPA0), 20 * SZ_4K));
	ta.fail_after = -1;
	s2_vm_counters(&vm, &c0);
	tap_ok(c0.early_flushes >= c1.early_flushes + 1 && ta.put_pages >= 8,
	       "%s: no memory for the list -> early flush, pages freed after it (%ld)", n, ta.put_pages);
	s2_gather_finish(&g);
	tap_ok(ta.put_pages == 20 && unmapped(&vm, IPA0 + 19 * SZ_4K), "%s: ... and the rest at finish", n);
	if (s2_leaf_allowed(f, 1)) {
		for (u64 i = 0; i < 512; i++)
			T0(s2_map(&vm, ipa_init(4 * SZ_1G + i * SZ_2M), pa_init(8 * SZ_1G + i * SZ_2M), SZ_2M,
			       S2_PROT_R, 0));
		tap_ok(leaf_size(&vm, 4 * SZ_1G) == SZ_2M &&
		       s2_collapse(&vm, ipa_init(4 * SZ_1G + 5), 1) == 0 &&
		       leaf_size(&vm, 4 * SZ_1G) == SZ_1G && mapped(&vm, 5 * SZ_1G - 1, 9 * SZ_1G - 1),
		       "%s: 512 2M blocks collapse into a 1G block", n);
	}
	T0(s2_vm_destroy(&vm));
	tap_ok(ta.allocs == ta.frees, "%s: batch pages and tables all freed", n);
}

static struct t_alloc *fb_alloc = &ta;

static int t_backing(void *arg, struct s2_vm *vm, ipaddr_t ipa, paddr_t *pa, unsigned int *prot)
{
	*pa = pa_init(PA0 + (ipa_addr(ipa) & 0xfffffff000ULL));
	*prot = S2_PROT_R | S2_PROT_W;
	return ipa_addr(ipa) >= 100 * SZ_1G ? -E_NOENT : 0;
}

static void test_fault_dirty(const struct s2_format *f)
{
	struct s2_mm_ops ops = t_ops;
	struct s2_vm_config cfg = { .fmt = f, .ops = &ops };
	struct s2_counters c0, c1;
	struct s2_vm vm;
	const char *n = f->name;
	u64 bits[8];
	unsigned int prot;

	ops.fault_backing = t_backing;
	memset(&ta, 0, sizeof(ta));
	ta.fail_after = -1;
	(void)fb_alloc;
	T0(s2_vm_init(&vm, &cfg));
	tap_ok(s2_handle_fault(&vm, ipa_init(IPA0 + 0x3123), false, false) == 0 &&
	       mapped(&vm, IPA0 + 0x3000, PA0 + IPA0 + 0x3000), "%s: fault maps on demand", n);
	s2_vm_counters(&vm, &c0);
	tap_ok(s2_handle_fault(&vm, ipa_init(IPA0 + 0x3000), true, false) == 0, "%s: second fault is spurious", n);
	s2_vm_counters(&vm, &c1);
	tap_ok(c1.faults_spurious == c0.faults_spurious + 1, "%s: ... counted", n);
	tap_ok(s2_handle_fault(&vm, ipa_init(IPA0 + 0x3000), false, true) == -E_PERM,
	       "%s: exec fault on a mapping without X -> -E_PERM", n);
	tap_ok(s2_handle_fault(&vm, ipa_init(200 * SZ_1G), false, false) == -E_NOENT ||
	       vm.ipa_size <= 200 * SZ_1G, "%s: no backing -> error", n);

	/* Dirty logging over 64 pages, half of them mapped writable. */
	for (int i = 0; i < 32; i++)
		T0(s2_handle_fault(&vm, ipa_init(SZ_1G * 2 + (u64)i * SZ_4K), true, false));
	tap_ok(s2_dirty_log_start(&vm, ipa_init(2 * SZ_1G), 64 * SZ_4K) == 0 &&
	       t_xlate(&vm, 2 * SZ_1G, NULL, &prot, NULL) && !(prot & S2_PROT_W),
	       "%s: dirty log start write-protects", n);
	tap_ok(s2_dirty_log_start(&vm, ipa_init(2 * SZ_1G), SZ_4K) == -E_EXIST, "%s: start twice -> -E_EXIST", n);
	tap_ok(s2_handle_fault(&vm, ipa_init(2 * SZ_1G + 5 * SZ_4K), true, false) == 0 &&
	       s2_dirty_test(&vm, ipa_init(2 * SZ_1G + 5 * SZ_4K)) &&
	       t_xlate(&vm, 2 * SZ_1G + 5 * SZ_4K, NULL, &prot, NULL) && (prot & S2_PROT_W),
	       "%s: write fault marks dirty, restores write", n);
	tap_ok(s2_unmap(&vm, ipa_init(2 * SZ_1G + 5 * SZ_4K), SZ_4K) == 0 &&
	       s2_dirty_test(&vm, ipa_init(2 * SZ_1G + 5 * SZ_4K)), "%s: unmap of a writable page keeps it dirty", n);
	T0(s2_handle_fault(&vm, ipa_init(2 * SZ_1G + 7 * SZ_4K), true, false));
	memset(bits, 0, sizeof(bits));
	s2_vm_counters(&vm, &c0);
	tap_ok(s2_dirty_log_harvest(&vm, bits, 64) == 2 && bits[0] == (BIT(5) | BIT(7)),
	       "%s: harvest reports pages 5 and 7 (%#llx)", n, bits[0]);
	s2_vm_counters(&vm, &c1);
	tap_ok(t_xlate(&vm, 2 * SZ_1G + 7 * SZ_4K, NULL, &prot, NULL) && !(prot & S2_PROT_W) &&
	       c1.invalidations == c0.invalidations + 1 && !s2_dirty_test(&vm, ipa_init(2 * SZ_1G + 7 * SZ_4K)),
	       "%s: harvest write-protects again, one invalidation", n);
	tap_ok(s2_handle_fault(&vm, ipa_init(2 * SZ_1G + 40 * SZ_4K), true, false) == 0 &&
	       s2_dirty_test(&vm, ipa_init(2 * SZ_1G + 40 * SZ_4K)), "%s: fault-in by write while logging is dirty", n);
	tap_ok(s2_dirty_log_harvest(&vm, bits, 10) == -E_INVAL, "%s: harvest into a short bitmap -> -E_INVAL", n);
	s2_dirty_log_stop(&vm);
	tap_ok(s2_dirty_log_harvest(&vm, bits, 64) == -E_NOENT, "%s: harvest after stop -> -E_NOENT", n);
	tap_ok(s2_handle_fault(&vm, ipa_init(2 * SZ_1G + 9 * SZ_4K), true, false) == 0 &&
	       t_xlate(&vm, 2 * SZ_1G + 9 * SZ_4K, NULL, &prot, NULL) && (prot & S2_PROT_W),
	       "%s: after stop, a write restores write permission", n);
	T0(s2_protect(&vm, ipa_init(2 * SZ_1G), SZ_4K, S2_PROT_R));
	tap_ok(s2_handle_fault(&vm, ipa_init(2 * SZ_1G), true, false) == -E_PERM,
	       "%s: write to a genuinely read-only page -> -E_PERM", n);
	T0(s2_vm_destroy(&vm));
	tap_ok(ta.allocs == ta.frees && ta.put_pages == 1 + 32 + 1 + 1 - 1,
	       "%s: teardown releases owned pages (%ld) and tables", n, ta.put_pages);
}

static void test_cpus_vmid(const struct s2_format *f)
{
	struct s2_vm vm[5];
	const char *n = f->name;
	u32 seen[5];
	bool ok = true;

	tap_ok(s2_vmid_init(1) == -E_INVAL && s2_vmid_init(2) == 0, "%s: VMID width 2 bits", n);
	for (int i = 0; i < 5; i++) {
		vm_new(&vm[i], f, 0);
	}
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 5; i++) {
			if (s2_vm_enter(&vm[i]))
				ok = false;
			seen[i] = s2_vmid_of(vm[i].vmid);
			if (seen[i] < 1 || seen[i] > 3)
				ok = false;
			if (!(s2_vm_loaded_cpus(&vm[i]) & 1) || !(s2_vm_ran_cpus(&vm[i]) & 1))
				ok = false;
			s2_vm_exit(&vm[i]);
			if (s2_vm_loaded_cpus(&vm[i]))
				ok = false;
		}
	}
	tap_ok(ok && s2_vmid_rollovers >= 3, "%s: 5 VMs on 3 VMIDs: enter/exit, %llu rollovers", n,
	       s2_vmid_rollovers);
	{
		struct s2_counters c;

		s2_vm_counters(&vm[0], &c);
		tap_ok(c.inval_local == 1, "%s: first entry on a CPU flushes it once (%llu)", n, c.inval_local);
	}
	tap_ok(s2_vm_destroy(&vm[0]) == 0 && s2_vm_enter(&vm[0]) == -E_BUSY && s2_vm_exit_requested(&vm[0]),
	       "%s: entering a destroyed VM -> -E_BUSY", n);
	for (int i = 1; i < 5; i++)
		T0(s2_vm_destroy(&vm[i]));
	s2_vmid_init(8);
	tap_ok(!s2_gp_in_read(), "grace period: not in a read section");
	s2_gp_read_lock();
	tap_ok(s2_gp_in_read(), "grace period: in a read section");
	s2_gp_read_unlock();
	s2_gp_synchronize();
	tap_ok(!s2_gp_in_read(), "grace period: synchronize returns with no readers");
}

/* Page migration: contents follow, permissions/rmap/dirty log kept, old page released. */
static void test_migrate(const struct s2_format *f)
{
	struct s2_counters c0, c1;
	struct s2_vm vm;
	const char *n = f->name;
	u64 a = IPA0 + SZ_1G, h;
	paddr_t p_old, p_new, p_blk;
	unsigned int prot;
	ipaddr_t where;
	u64 bits[1];

	vm_new(&vm, f, 16);
	if (!palloc_alloc(0, &p_old) || !palloc_alloc(0, &p_new) || !palloc_alloc(9, &p_blk))
		abort();
	memset(pa_to_ptr(p_old), 0x5a, PAGE_SIZE);
	memset(pa_to_ptr(p_new), 0, PAGE_SIZE);
	T0(s2_map(&vm, ipa_init(a), p_old, SZ_4K, S2_PROT_R | S2_PROT_W, S2_MAP_OWNED | S2_MAP_RMAP));
	s2_vm_counters(&vm, &c0);
	tap_ok(s2_migrate(&vm, ipa_init(a), p_new) == 0 && mapped(&vm, a + 8, pa_addr(p_new) + 8) &&
	       ((u8 *)pa_to_ptr(p_new))[4095] == 0x5a, "%s: migrate: new page mapped, contents copied", n);
	s2_vm_counters(&vm, &c1);
	tap_ok(c1.invalidations == c0.invalidations + 1 && c1.migrations == c0.migrations + 1 &&
	       ta.put_pages == 1, "%s: ... one invalidation, old page released once", n);
	tap_ok(t_xlate(&vm, a, NULL, &prot, NULL) && prot == (S2_PROT_R | S2_PROT_W) &&
	       s2_rmap_lookup(&vm, p_new, &where) == 0 && ipa_addr(where) == a &&
	       s2_rmap_lookup(&vm, p_old, &where) == -E_NOENT, "%s: ... permissions and rmap follow", n);
	/* Dirty logging: a write-protected (logged) page stays logged; a write faults and is recorded. */
	s2_dirty_log_start(&vm, ipa_init(a), SZ_4K);
	tap_ok(s2_migrate(&vm, ipa_init(a), p_old) == 0 && t_xlate(&vm, a, NULL, &prot, NULL) &&
	       !(prot & S2_PROT_W) && s2_handle_fault(&vm, ipa_init(a), true, false) == 0 &&
	       s2_dirty_log_harvest(&vm, bits, 64) == 1, "%s: migrate keeps dirty-log write protection", n);
	s2_dirty_log_stop(&vm);
	h = hash(&vm);
	tap_ok(s2_migrate(&vm, ipa_init(a + SZ_4K), p_new) == -E_NOENT && hash(&vm) == h,
	       "%s: migrate an unmapped IPA -> -E_NOENT, unchanged", n);
	tap_ok(s2_migrate(&vm, ipa_init(a + 1), p_new) == -E_ALIGN &&
	       s2_migrate(&vm, ipa_init(a), pa_init(pa_addr(p_new) + 8)) == -E_ALIGN,
	       "%s: unaligned IPA or page -> -E_ALIGN", n);
	tap_ok(s2_migrate(&vm, ipa_init(~0ULL & ~0xfffULL), p_new) == -E_RANGE, "%s: out of range -> -E_RANGE", n);
	T0(s2_map(&vm, ipa_init(a + SZ_2M), p_blk, SZ_2M, S2_PROT_R, 0));
	h = hash(&vm);
	tap_ok(leaf_size(&vm, a + SZ_2M) != SZ_2M ||
	       (s2_migrate(&vm, ipa_init(a + SZ_2M), p_new) == -E_BUSY && hash(&vm) == h),
	       "%s: a page inside a block -> -E_BUSY (split first), unchanged", n);
	T0(s2_vm_destroy(&vm));
	tap_ok(ta.allocs == ta.frees, "%s: no table leaked after migrations", n);
	palloc_free(p_new, 0);
	palloc_free(p_blk, 9);
}

/* Faults retry only inside ranges cleared and not yet invalidated, or held. */
static void test_fault_retry(const struct s2_format *f)
{
	struct s2_mm_ops ops = t_ops;
	struct s2_vm_config cfg = { .fmt = f, .ops = &ops };
	struct s2_vm vm;
	struct s2_gather g;
	const char *n = f->name;
	u64 a = IPA0, far = IPA0 + 64 * SZ_4K;

	ops.fault_backing = t_backing;
	memset(&ta, 0, sizeof(ta));
	ta.fail_after = -1;
	T0(s2_vm_init(&vm, &cfg));
	T0(s2_handle_fault(&vm, ipa_init(a), true, false));
	s2_gather_begin(&g, &vm);
	T0(s2_unmap_gather(&g, ipa_init(a), SZ_4K));
	tap_ok(s2_handle_fault(&vm, ipa_init(a), false, false) == -E_AGAIN,
	       "%s: fault on an entry cleared, not yet invalidated -> -E_AGAIN", n);
	tap_ok(s2_handle_fault(&vm, ipa_init(far), false, false) == 0 && mapped(&vm, far, PA0 + far),
	       "%s: ... a fault elsewhere is served meanwhile", n);
	s2_gather_finish(&g);
	tap_ok(s2_handle_fault(&vm, ipa_init(a), false, false) == 0 && vm.unflushed == 0,
	       "%s: ... and there once the gather invalidated", n);
	s2_fault_hold_begin(&vm, ipa_init(a + SZ_2M), SZ_2M);
	tap_ok(s2_handle_fault(&vm, ipa_init(a + SZ_2M + SZ_4K), false, false) == -E_AGAIN &&
	       s2_handle_fault(&vm, ipa_init(a + 2 * SZ_2M), false, false) == 0,
	       "%s: a fault hold makes faults retry in its range only", n);
	s2_fault_hold_end(&vm);
	tap_ok(s2_handle_fault(&vm, ipa_init(a + SZ_2M + SZ_4K), false, false) == 0,
	       "%s: ... until it ends", n);
	T0(s2_vm_destroy(&vm));
}

static int blocks_given;

static int t_block(void *arg, struct s2_vm *vm, ipaddr_t blk, paddr_t *pa, unsigned int *prot)
{
	if (ipa_addr(blk) >= 3 * SZ_1G)
		return -E_NOMEM;	/* "no run free" up there: fall back to a page */
	*pa = pa_init(PA0 + (ipa_addr(blk) & 0xfffffff000ULL));
	*prot = S2_PROT_R | S2_PROT_W;
	blocks_given++;
	return 0;
}

/* Backing the ops give wrong (unaligned, no read permission): refused, and given back. */
static int t_bad_backing(void *arg, struct s2_vm *vm, ipaddr_t ipa, paddr_t *pa, unsigned int *prot)
{
	*pa = pa_init(PA0 + 0x800);
	*prot = S2_PROT_R;
	return 0;
}

static int t_bad_block(void *arg, struct s2_vm *vm, ipaddr_t blk, paddr_t *pa, unsigned int *prot)
{
	*pa = pa_init(PA0 + SZ_2M);
	*prot = S2_PROT_W;
	return 0;
}

static void test_fault_bad_backing(const struct s2_format *f)
{
	struct s2_mm_ops ops = t_ops;
	struct s2_vm_config cfg = { .fmt = f, .ops = &ops };
	struct s2_vm vm;
	const char *n = f->name;

	ops.fault_backing = t_bad_backing;
	memset(&ta, 0, sizeof(ta));
	ta.fail_after = -1;
	T0(s2_vm_init(&vm, &cfg));
	tap_ok(s2_handle_fault(&vm, ipa_init(IPA0), false, false) == -E_INVAL &&
	       ta.put_calls == 1 && ta.put_pages == 1 && !t_xlate(&vm, IPA0, NULL, NULL, NULL),
	       "%s: an unaligned backing page is refused and given back", n);
	ops.fault_block = t_bad_block;
	tap_ok(s2_handle_fault(&vm, ipa_init(IPA0 + 8 * SZ_2M), false, false) == -E_INVAL &&
	       ta.put_calls == 2 && ta.put_pages == 1 + 512 &&
	       !t_xlate(&vm, IPA0 + 8 * SZ_2M, NULL, NULL, NULL),
	       "%s: a block without read permission is refused and given back", n);
	T0(s2_vm_destroy(&vm));
}

/* Block-backed faults (issue 16): a whole 2 MiB block where nothing is mapped in it. */
static void test_fault_block(const struct s2_format *f)
{
	struct s2_mm_ops ops = t_ops;
	struct s2_vm_config cfg = { .fmt = f, .ops = &ops };
	struct s2_vm vm;
	struct s2_gather g;
	const char *n = f->name;
	u64 a = IPA0 + 4 * SZ_2M, size = 0;

	ops.fault_backing = t_backing;
	ops.fault_block = t_block;
	memset(&ta, 0, sizeof(ta));
	ta.fail_after = -1;
	blocks_given = 0;
	T0(s2_vm_init(&vm, &cfg));
	tap_ok(s2_handle_fault(&vm, ipa_init(a + 0x5123), true, false) == 0 &&
	       t_xlate(&vm, a + 0x5000, NULL, NULL, &size) && size == SZ_2M &&
	       mapped(&vm, a + 0x5000, PA0 + a + 0x5000) && blocks_given == 1,
	       "%s: a fault in an empty 2 MiB block maps the whole block", n);
	tap_ok(s2_handle_fault(&vm, ipa_init(a + SZ_2M - SZ_4K), false, false) == 0 &&
	       blocks_given == 1, "%s: ... the rest of it faults no more", n);
	/* A page mapped in the next block: the table under it forces 4 KiB there. */
	T0(s2_map(&vm, ipa_init(a + SZ_2M), pa_init(PA0 + a + SZ_2M), SZ_4K, S2_PROT_R, 0));
	tap_ok(s2_handle_fault(&vm, ipa_init(a + SZ_2M + 9 * SZ_4K), false, false) == 0 &&
	       t_xlate(&vm, a + SZ_2M + 9 * SZ_4K, NULL, NULL, &size) && size == SZ_4K &&
	       blocks_given == 1, "%s: a block with a page mapped in it faults 4 KiB pages", n);
	tap_ok(s2_handle_fault(&vm, ipa_init(3 * SZ_1G + 0x7000), false, false) == 0 &&
	       t_xlate(&vm, 3 * SZ_1G + 0x7000, NULL, NULL, &size) && size == SZ_4K,
	       "%s: no run given (-E_NOMEM): a 4 KiB page instead", n);
	/* R1/R2: a block with a part cleared and not yet invalidated is not mapped whole. */
	T0(s2_handle_fault(&vm, ipa_init(a + 2 * SZ_2M), true, false));
	s2_gather_begin(&g, &vm);
	T0(s2_unmap_gather(&g, ipa_init(a + 2 * SZ_2M), SZ_2M));
	tap_ok(s2_handle_fault(&vm, ipa_init(a + 3 * SZ_2M + SZ_4K), false, false) == 0 &&
	       t_xlate(&vm, a + 3 * SZ_2M + SZ_4K, NULL, NULL, &size) && size == SZ_2M,
	       "%s: ... a block beside a range being unmapped is still mapped whole", n);
	s2_gather_finish(&g);
	s2_fault_hold_begin(&vm, ipa_init(a + 4 * SZ_2M + 8 * SZ_4K), SZ_4K);
	tap_ok(s2_handle_fault(&vm, ipa_init(a + 4 * SZ_2M), false, false) == 0 &&
	       t_xlate(&vm, a + 4 * SZ_2M, NULL, NULL, &size) && size == SZ_4K,
	       "%s: a block with a held (unflushed) part faults a 4 KiB page", n);
	s2_fault_hold_end(&vm);
	tap_ok(s2_unmap(&vm, ipa_init(a + 0x5000), SZ_4K) == 0 &&
	       t_xlate(&vm, a + 0x6000, NULL, NULL, &size) && size == SZ_4K &&
	       !t_xlate(&vm, a + 0x5000, NULL, NULL, NULL),
	       "%s: unmapping one page of a faulted block splits it", n);
	T0(s2_handle_fault(&vm, ipa_init(a + 5 * SZ_2M), true, false));
	tap_ok(s2_move(&vm, ipa_init(a + 5 * SZ_2M + SZ_4K), ipa_init(a + 8 * SZ_2M), SZ_4K) == 0 &&
	       mapped(&vm, a + 8 * SZ_2M, PA0 + a + 5 * SZ_2M + SZ_4K) &&
	       !t_xlate(&vm, a + 5 * SZ_2M + SZ_4K, NULL, NULL, NULL) &&
	       mapped(&vm, a + 5 * SZ_2M + 2 * SZ_4K, PA0 + a + 5 * SZ_2M + 2 * SZ_4K),
	       "%s: moving 4 KiB out of a faulted block splits it first", n);
	T0(s2_vm_destroy(&vm));
	tap_ok(ta.allocs == ta.frees, "%s: no table leaked with block faults", n);
}

int main(void)
{
	struct s2_format fmts[6];
	int nf = 0;

	t_setup_mem();
	s2_format_arm64(&fmts[nf++], 39, 3);
	s2_format_arm64(&fmts[nf++], 40, 3);
	s2_format_arm64(&fmts[nf++], 48, 4);
	s2_format_ept(&fmts[nf++], true, true);
	s2_format_npt(&fmts[nf++], true);
	s2_format_npt(&fmts[nf++], false);
	for (int i = 0; i < nf; i++) {
		test_map_unmap(&fmts[i]);
		test_protect_split_collapse(&fmts[i]);
		test_move(&fmts[i]);
		test_atomic(&fmts[i]);
		test_bad_args(&fmts[i]);
		test_gather(&fmts[i]);
		test_gather_batches(&fmts[i]);
		test_fault_dirty(&fmts[i]);
		test_cpus_vmid(&fmts[i]);
		test_migrate(&fmts[i]);
		test_fault_retry(&fmts[i]);
		test_fault_block(&fmts[i]);
		test_fault_bad_backing(&fmts[i]);
	}
	return tap_done();
}
