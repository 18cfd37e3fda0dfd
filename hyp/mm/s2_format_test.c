// SPDX-License-Identifier: GPL-2.0
/*
 * Formats and the generic walker against HAND-BUILT tables: every
 * descriptor below is written as the architecture manual encodes it, not
 * with the encoder under test; then decode, encode and walk must agree.
 */
#include "s2_test_util.h"
#include <hyp/mm/s2_format.h>

static paddr_t new_table(unsigned int order)
{
	paddr_t pa;

	if (!palloc_alloc(order, &pa))
		abort();
	return pa;
}

static void put(paddr_t table, u64 idx, u64 desc)
{
	s2_table_ptr(table)[idx] = desc;
}

struct count_arg {
	int leaves, tables_pre, tables_post, invalid;
};

static int count_cb(struct s2_walk_data *d, enum s2_visit v)
{
	struct count_arg *c = d->arg;

	if (v == S2_VISIT_TABLE_PRE)
		c->tables_pre++;
	else if (v == S2_VISIT_TABLE_POST)
		c->tables_post++;
	else if (s2_desc_is_leaf(d->fmt, d->old, d->level))
		c->leaves++;
	else
		c->invalid++;
	return 0;
}

static void check_xlate(const struct s2_format *f, paddr_t root, u64 ipa, u64 want_pa,
			u64 want_size, unsigned int want_prot, const char *what)
{
	struct s2_desc_info info;
	int level;
	enum s2_desc_type t = s2_lookup(f, root, ipa, &info, &level);

	tap_ok(t == S2_DESC_LEAF && pa_addr(info.pa) + (ipa & (info.size - 1)) == want_pa &&
	       info.size == want_size && info.prot == want_prot,
	       "%s: %s ipa %#llx -> pa %#llx size %#llx prot %#x (got type %d pa %#llx size %#llx prot %#x)",
	       f->name, what, ipa, want_pa, want_size, want_prot, t,
	       pa_addr(info.pa) + (ipa & (info.size - 1)), info.size, info.prot);
}

static void check_roundtrip(const struct s2_format *f, u64 hand, u64 pa, int level,
			    unsigned int prot, const char *what)
{
	struct s2_desc_info info;
	u64 mine = s2_desc_mk_leaf(f, pa_init(pa), level, prot);

	s2_desc_decode(f, hand, level, &info);
	tap_ok(mine == hand && info.type == S2_DESC_LEAF && pa_addr(info.pa) == pa &&
	       info.prot == prot && info.size == s2_level_size(level),
	       "%s: %s encode %#llx == hand-built %#llx, decodes back", f->name, what, mine, hand);
}

static void check_type(const struct s2_format *f, u64 d, int level, enum s2_desc_type want,
		       const char *what)
{
	struct s2_desc_info info;
	enum s2_desc_type t = s2_desc_decode(f, d, level, &info);

	tap_ok(t == want, "%s: %s decodes as %d (got %d)", f->name, what, want, t);
}

static void walk_counts(const struct s2_format *f, paddr_t root, u64 start, u64 size,
			int leaves, int tables, const char *what)
{
	struct count_arg c = { 0 };
	struct s2_walker w = {
		.cb = count_cb, .arg = &c,
		.flags = S2_VISIT_LEAF | S2_VISIT_TABLE_PRE | S2_VISIT_TABLE_POST,
	};
	int ret = s2_walk(f, root, start, size, &w);

	tap_ok(ret == 0 && c.leaves == leaves && c.tables_pre == tables && c.tables_post == tables,
	       "%s: walker over %s visits %d leaves, %d tables pre+post (got %d, %d/%d)",
	       f->name, what, leaves, tables, c.leaves, c.tables_pre, c.tables_post);
}

/*
 * arm64 stage 2 (DDI 0487 D8.3): table = addr | 0b11; page = addr | 0b11 |
 * MemAttr[5:2] | S2AP[7:6] | SH[9:8] | AF[10] | XN[54]; block = same with bit1 = 0.
 *   0x7ff = valid|page|MemAttr 1111|S2AP RW|SH inner|AF
 */
#define A64_PAGE_RW	0x7ffULL
#define A64_BLOCK_RW	0x7fdULL
#define A64_XN		(1ULL << 54)
#define A64_PAGE_RO_DEV	(0x3ULL | (0x1ULL << 2) | (1ULL << 6) | (3ULL << 8) | (1ULL << 10))

static void test_arm64(unsigned int levels, unsigned int ia_bits)
{
	struct s2_format f;
	paddr_t root, l1 = pa_init(0), l2, l3;
	int l = levels == 4 ? 0 : 1;

	tap_ok(s2_format_arm64(&f, ia_bits, levels) == 0, "arm64 %u levels, %u-bit IPA described",
	       levels, ia_bits);
	tap_ok(f.start_level == (levels == 4 ? 0 : 1), "%s: start level %d", f.name, f.start_level);
	root = new_table(f.root_order);
	if (levels == 4) {
		l1 = new_table(0);
		put(root, 0, pa_addr(l1) | 3);
	}
	l2 = new_table(0);
	l3 = new_table(0);
	/* IPA 0x40000000 (L1 index 1) -> table l2; L2 index 0 -> table l3. */
	put(levels == 4 ? l1 : root, 1, pa_addr(l2) | 3);
	put(l3, 5, 0x12345000ULL | A64_PAGE_RW);				/* 0x40005000 */
	put(l3, 6, 0x22222000ULL | A64_PAGE_RO_DEV | A64_XN);			/* 0x40006000 */
	put(l2, 0, pa_addr(l3) | 3);
	put(l2, 1, 0x80200000ULL | A64_BLOCK_RW);				/* 0x40200000 2M */
	/* IPA 0x80000000 (L1 index 2): a 1 GiB block. */
	put(levels == 4 ? l1 : root, 2, 0xc0000000ULL | A64_BLOCK_RW | A64_XN);
	if (f.root_order) {
		/* Concatenated root: IPA bit 39 selects the second root page. */
		put(root, 512 + 3, 0x100000000ULL | A64_BLOCK_RW);
		check_xlate(&f, root, (1ULL << 39) + 3 * SZ_1G + 0x1234, 0x100001234ULL, SZ_1G,
			    S2_PROT_RWX, "concatenated root 1G block");
	}

	check_xlate(&f, root, 0x40005123, 0x12345123, SZ_4K, S2_PROT_RWX, "4K page");
	check_xlate(&f, root, 0x40006000, 0x22222000, SZ_4K, S2_PROT_R | S2_PROT_DEVICE, "RO device XN page");
	check_xlate(&f, root, 0x40234567, 0x80234567, SZ_2M, S2_PROT_RWX, "2M block");
	check_xlate(&f, root, 0x80000000 + 0x3456789, 0xc3456789, SZ_1G, S2_PROT_R | S2_PROT_W, "1G XN block");
	check_roundtrip(&f, 0x12345000ULL | A64_PAGE_RW, 0x12345000, 3, S2_PROT_RWX, "page RWX");
	check_roundtrip(&f, 0x22222000ULL | A64_PAGE_RO_DEV | A64_XN, 0x22222000, 3,
			S2_PROT_R | S2_PROT_DEVICE, "page RO device");
	check_roundtrip(&f, 0x80200000ULL | A64_BLOCK_RW, 0x80200000, 2, S2_PROT_RWX, "2M block");
	check_roundtrip(&f, 0xc0000000ULL | A64_BLOCK_RW | A64_XN, 0xc0000000, 1,
			S2_PROT_R | S2_PROT_W, "1G block");
	tap_ok(s2_desc_mk_table(&f, l2) == (pa_addr(l2) | 3), "%s: table descriptor encoding", f.name);
	check_type(&f, 0x12345000ULL | 0x7fd, 3, S2_DESC_BAD, "level-3 entry with bit1 clear (reserved)");
	check_type(&f, 0x12345000ULL | 0x0, 3, S2_DESC_INVALID, "zero");
	if (levels == 4)
		check_type(&f, 0x8000000000ULL | A64_BLOCK_RW, 0, S2_DESC_BAD, "level-0 block (none at 4K)");
	check_type(&f, pa_addr(l2) | 3, 1, S2_DESC_TABLE, "table at level 1");
	check_type(&f, 0xc0000000ULL | A64_BLOCK_RW, 1, S2_DESC_LEAF, "block at level 1");
	{
		struct s2_desc_info info;

		s2_desc_decode(&f, 0x12345000ULL | A64_PAGE_RW, 3, &info);
		tap_ok(info.accessed && !info.dirty, "%s: AF decodes as accessed", f.name);
	}
	/* Walk [0x40000000, +4M): root/L1 entry(table l2) -> 2 L2 entries: table l3 + block. */
	walk_counts(&f, root, 0x40000000, (4ULL << 20), 2 + 1, levels == 4 ? 3 : 2, "4M at 1G");
	(void)l;
}

/*
 * Intel EPT (SDM 29.3.2): non-leaf = addr | RWX(0x7); 4K leaf = addr | R W X
 * | memtype[5:3] (6 = WB) | ignore-PAT[6] | A[8] D[9]; 2M/1G leaf: bit 7 set.
 *   0x177 = RWX | WB | IPAT | A
 */
#define EPT_PAGE_RWX	0x177ULL
#define EPT_PAGE_RO_UC	(0x1ULL | 0x40 | 0x100)		/* R, UC, IPAT, A */
#define EPT_LARGE	0x80ULL

static void test_ept(bool ad)
{
	struct s2_format f;
	paddr_t pml4 = new_table(0), pdpt = new_table(0), pd = new_table(0), pt = new_table(0);
	u64 a = ad ? 0 : 0x100;		/* without A/D, bit 8 is not ours */

	s2_format_ept(&f, ad, true);
	put(pml4, 1, pa_addr(pdpt) | 7);			/* GPA 512G */
	put(pdpt, 0, pa_addr(pd) | 7);
	put(pdpt, 1, 0x40000000ULL | (EPT_PAGE_RWX - a) | EPT_LARGE);	/* 512G + 1G: 1G page */
	put(pd, 3, pa_addr(pt) | 7);				/* 512G + 6M */
	put(pd, 4, 0x600000ULL | (EPT_PAGE_RWX - a) | EPT_LARGE);	/* 512G + 8M: 2M page */
	put(pt, 9, 0xabcde000ULL | (EPT_PAGE_RWX - a));
	put(pt, 10, 0x11111000ULL | (EPT_PAGE_RO_UC - a) | (ad ? 0x200 : 0));

	u64 g = 512ULL << 30;
	check_xlate(&f, pml4, g + 3 * SZ_2M + 9 * SZ_4K + 0x10, 0xabcde010, SZ_4K, S2_PROT_RWX, "4K page");
	check_xlate(&f, pml4, g + 3 * SZ_2M + 10 * SZ_4K, 0x11111000, SZ_4K,
		    S2_PROT_R | S2_PROT_DEVICE, "RO UC page");
	check_xlate(&f, pml4, g + 4 * SZ_2M + 0x1000, 0x601000, SZ_2M, S2_PROT_RWX, "2M page");
	check_xlate(&f, pml4, g + SZ_1G + 0x5000, 0x40005000, SZ_1G, S2_PROT_RWX, "1G page");
	if (ad) {
		check_roundtrip(&f, 0xabcde000ULL | EPT_PAGE_RWX, 0xabcde000, 3, S2_PROT_RWX, "page RWX");
		check_roundtrip(&f, 0x600000ULL | EPT_PAGE_RWX | EPT_LARGE, 0x600000, 2, S2_PROT_RWX, "2M page");
		check_roundtrip(&f, 0x11111000ULL | EPT_PAGE_RO_UC, 0x11111000, 3,
				S2_PROT_R | S2_PROT_DEVICE, "page RO UC");
		struct s2_desc_info info;

		s2_desc_decode(&f, 0x11111000ULL | EPT_PAGE_RO_UC | 0x200, 3, &info);
		tap_ok(info.accessed && info.dirty, "%s: A/D bits 8/9 decode", f.name);
	} else {
		check_roundtrip(&f, 0xabcde000ULL | 0x77, 0xabcde000, 3, S2_PROT_RWX, "page RWX (no A/D)");
	}
	tap_ok(s2_desc_mk_table(&f, pt) == (pa_addr(pt) | 7), "%s: table = addr | RWX", f.name);
	check_type(&f, 0x1000ULL | 0x2 | 0x70, 3, S2_DESC_BAD, "write-only (misconfiguration)");
	check_type(&f, pa_addr(pdpt) | 7 | EPT_LARGE, 0, S2_DESC_BAD, "PML4E with bit 7");
	check_type(&f, 0x4ULL | 0x1000, 3, S2_DESC_LEAF, "execute-only is present");
	walk_counts(&f, pml4, g + 3 * SZ_2M, 2 * SZ_2M, 2 + 1, 3, "4M at 512G+6M");
}

/*
 * AMD NPT = long-mode page tables (APM 5.3): non-leaf = addr | P RW US (0x7);
 * leaf = addr | P | RW | US | PWT PCD | A[5] D[6] | PS[7] (2M/1G) | NX[63].
 */
#define NPT_PAGE_RW	0x27ULL				/* P RW US A */
#define NPT_PAGE_RO_UC_NX (0x1ULL | 0x4 | 0x8 | 0x10 | 0x20 | (1ULL << 63))

static void test_npt(void)
{
	struct s2_format f;
	paddr_t pml4 = new_table(0), pdpt = new_table(0), pd = new_table(0), pt = new_table(0);

	s2_format_npt(&f, false);
	put(pml4, 0, pa_addr(pdpt) | 7);
	put(pdpt, 3, pa_addr(pd) | 7);				/* GPA 3G */
	put(pd, 0, pa_addr(pt) | 7);
	put(pd, 1, 0x1e00000ULL | NPT_PAGE_RW | 0x80);		/* 3G + 2M: 2M page */
	put(pt, 1, 0x7777000ULL | NPT_PAGE_RW | 0x40);		/* dirty */
	put(pt, 2, 0x8888000ULL | NPT_PAGE_RO_UC_NX);
	put(pdpt, 4, 0x100000000ULL | NPT_PAGE_RW | 0x80);	/* 1G page, not supported here */

	check_xlate(&f, pml4, 3 * SZ_1G + SZ_4K + 0x88, 0x7777088, SZ_4K, S2_PROT_RWX, "4K page");
	check_xlate(&f, pml4, 3 * SZ_1G + 2 * SZ_4K, 0x8888000, SZ_4K, S2_PROT_R | S2_PROT_DEVICE,
		    "RO UC NX page");
	check_xlate(&f, pml4, 3 * SZ_1G + SZ_2M + 0x3000, 0x1e03000, SZ_2M, S2_PROT_RWX, "2M page");
	check_roundtrip(&f, 0x7777000ULL | NPT_PAGE_RW, 0x7777000, 3, S2_PROT_RWX, "page RWX");
	check_roundtrip(&f, 0x1e00000ULL | NPT_PAGE_RW | 0x80, 0x1e00000, 2, S2_PROT_RWX, "2M page");
	check_roundtrip(&f, 0x8888000ULL | NPT_PAGE_RO_UC_NX, 0x8888000, 3,
			S2_PROT_R | S2_PROT_DEVICE, "page RO UC NX");
	tap_ok(s2_desc_mk_table(&f, pt) == (pa_addr(pt) | 7), "%s: table = addr | P RW US", f.name);
	check_type(&f, 0x100000000ULL | NPT_PAGE_RW | 0x80, 1, S2_DESC_BAD, "1G page without support");
	{
		struct s2_desc_info info;
		struct s2_format f1g;

		s2_desc_decode(&f, 0x7777000ULL | NPT_PAGE_RW | 0x40, 3, &info);
		tap_ok(info.accessed && info.dirty, "%s: A/D bits 5/6 decode", f.name);
		s2_format_npt(&f1g, true);
		check_type(&f1g, 0x100000000ULL | NPT_PAGE_RW | 0x80, 1, S2_DESC_LEAF, "1G page with support");
	}
	walk_counts(&f, pml4, 3 * SZ_1G, 2 * SZ_2M, 2 + 1, 3, "4M at 3G");
}

static void test_bad_formats(void)
{
	struct s2_format f;

	tap_ok(s2_format_arm64(&f, 48, 3) == -E_INVAL, "arm64: 48-bit IPA with 3 levels refused");
	tap_ok(s2_format_arm64(&f, 36, 4) == -E_INVAL, "arm64: 36-bit IPA with 4 levels refused");
	tap_ok(s2_format_arm64(&f, 40, 2) == -E_INVAL, "arm64: 2 levels refused");
	tap_ok(s2_format_arm64(&f, 40, 3) == 0 && f.root_order == 1 && s2_root_entries(&f) == 1024,
	       "arm64: 40-bit IPA, 3 levels -> two concatenated root tables");
	tap_ok(s2_format_arm64(&f, 43, 3) == 0 && f.root_order == 4, "arm64: 43-bit -> 16 root tables");
}

static void test_walk_range(void)
{
	struct s2_format f;
	paddr_t root = new_table(0);
	struct count_arg c = { 0 };
	struct s2_walker w = { .cb = count_cb, .arg = &c, .flags = S2_VISIT_LEAF };

	s2_format_arm64(&f, 39, 3);
	tap_ok(s2_walk(&f, root, (1ULL << 39) - SZ_4K, 2 * SZ_4K, &w) == -E_RANGE,
	       "walker: range beyond the IPA space -> -E_RANGE");
	tap_ok(s2_walk(&f, root, ~0ULL - SZ_4K + 1, SZ_4K * 4, &w) == -E_RANGE,
	       "walker: wrapping range -> -E_RANGE");
	tap_ok(s2_walk(&f, root, 0, 0, &w) == 0 && c.invalid == 0, "walker: empty range visits nothing");
	tap_ok(s2_walk(&f, root, SZ_1G - SZ_4K, 2 * SZ_4K, &w) == 0 && c.invalid == 2,
	       "walker: range straddling two root entries visits both (%d)", c.invalid);
}

struct install_arg {
	paddr_t table;
	int leaves_l3, pre;
};

/* LEAF at level 2 installs a table (the walker must descend); stops with 7 at L3 index 3. */
static int install_cb(struct s2_walk_data *d, enum s2_visit v)
{
	struct install_arg *a = d->arg;

	if (v == S2_VISIT_TABLE_PRE) {
		a->pre++;
		return 0;
	}
	if (d->level == 2 && !s2_desc_valid(d->fmt, d->old)) {
		*d->ptep = s2_desc_mk_table(d->fmt, a->table);
		return 0;
	}
	if (d->level == 3) {
		a->leaves_l3++;
		if (s2_index(d->fmt, d->addr, 3) == 3)
			return 7;
	}
	return 0;
}

static void test_walk_visitors(void)
{
	struct s2_format f;
	paddr_t root = new_table(0), l2 = new_table(0);
	struct install_arg a = { .table = new_table(0) };
	struct s2_walker w = { .cb = install_cb, .arg = &a,
			       .flags = S2_VISIT_LEAF | S2_VISIT_TABLE_PRE };

	s2_format_arm64(&f, 39, 3);
	put(root, 0, pa_addr(l2) | 3);
	int ret = s2_walk(&f, root, 0, 2 * SZ_4K, &w);

	tap_ok(ret == 0 && a.leaves_l3 == 2 && a.pre == 1,
	       "walker: a LEAF visitor that installs a table is descended into (ret %d, %d leaves, %d pre)",
	       ret, a.leaves_l3, a.pre);
	a.leaves_l3 = 0;
	ret = s2_walk(&f, root, 0, SZ_2M, &w);
	tap_ok(ret == 7 && a.leaves_l3 == 4,
	       "walker: a visitor's non-zero return stops the walk and is returned (%d, %d)",
	       ret, a.leaves_l3);
}

int main(void)
{
	t_setup_mem();
	test_arm64(3, 39);
	test_arm64(3, 40);
	test_arm64(4, 48);
	test_ept(true);
	test_ept(false);
	test_npt();
	test_bad_formats();
	test_walk_range();
	test_walk_visitors();
	return tap_done();
}
