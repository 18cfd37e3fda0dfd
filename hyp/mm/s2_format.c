// SPDX-License-Identifier: GPL-2.0
/*
 * The three stage-2 formats as data, and the few functions that encode and
 * decode a leaf from that data. See hyp/include/hyp/mm/s2_format.h.
 */
#include <hyp/mm/s2_format.h>
#include <hyp/string.h>

/* arm64 stage-2 descriptor bits (ARM DDI 0487, D8.3). */
#define A64_VALID		BIT(0)
#define A64_TABLE		BIT(1)		/* table (L0-2) / page (L3) */
#define A64_MEMATTR(x)		((u64)(x) << 2)	/* S2 MemAttr[3:0] */
#define A64_S2AP_R		BIT(6)
#define A64_S2AP_W		BIT(7)
#define A64_SH_INNER		(3ULL << 8)
#define A64_AF			BIT(10)
#define A64_XN			BIT(54)		/* XN[1]: no execution at EL1/EL0 */

/* Intel EPT entry bits (SDM vol. 3, 29.3.2). */
#define EPT_R			BIT(0)
#define EPT_W			BIT(1)
#define EPT_X			BIT(2)
#define EPT_MT(x)		((u64)(x) << 3)	/* memory type: 0 UC, 6 WB */
#define EPT_IPAT		BIT(6)
#define EPT_LARGE		BIT(7)
#define EPT_A			BIT(8)
#define EPT_D			BIT(9)

/* x86 long-mode page-table bits, as AMD NPT uses them (APM vol. 2, 15.25). */
#define X86_P			BIT(0)
#define X86_RW			BIT(1)
#define X86_US			BIT(2)
#define X86_PWT			BIT(3)
#define X86_PCD			BIT(4)
#define X86_A			BIT(5)
#define X86_D			BIT(6)
#define X86_PS			BIT(7)
#define X86_NX			BIT(63)

static void set_sw_bits(struct s2_format *f)
{
	f->sw_owned = S2_SW_OWNED;
	f->sw_logwp = S2_SW_LOGWP;
	f->sw_rmap = S2_SW_RMAP;
	f->sw_pinned = S2_SW_PINNED;
}

int s2_format_arm64(struct s2_format *f, unsigned int ia_bits, unsigned int levels)
{
	u64 leaf = A64_VALID | A64_AF | A64_SH_INNER;
	unsigned int start, root_bits;

	if (levels == 3 && ia_bits >= 32 && ia_bits <= 43)
		start = 1;
	else if (levels == 4 && ia_bits >= 40 && ia_bits <= 48)
		start = 0;
	else
		return -E_INVAL;

	memset(f, 0, sizeof(*f));
	f->name = levels == 3 ? "arm64-s2-4k-3lvl" : "arm64-s2-4k-4lvl";
	f->kind = S2_FMT_ARM64;
	f->start_level = (u8)start;
	f->ia_bits = (u8)ia_bits;
	root_bits = ia_bits - s2_level_shift((int)start);
	/* More than 512 root entries: concatenated root tables (up to 16). */
	f->root_order = (u8)(root_bits > S2_ENTRIES_SHIFT ? root_bits - S2_ENTRIES_SHIFT : 0);
	f->leaf_levels = (u8)(BIT(1) | BIT(2) | BIT(3));	/* no level-0 blocks at 4K */
	f->has_ad = false;
	f->valid_mask = A64_VALID;
	f->type_mask = A64_TABLE;
	f->table_val = A64_TABLE;
	f->page_mask = A64_TABLE;
	f->page_val = A64_TABLE;
	f->oa_mask = GENMASK(47, 12);
	f->table_attrs = A64_VALID | A64_TABLE;
	f->leaf_attrs[1] = leaf;
	f->leaf_attrs[2] = leaf;
	f->leaf_attrs[3] = leaf | A64_TABLE;
	f->mem_normal = A64_MEMATTR(0xf);	/* Normal, outer+inner write-back */
	f->mem_device = A64_MEMATTR(0x1);	/* Device-nGnRE */
	f->mem_mask = A64_MEMATTR(0xf);
	f->perm_r = A64_S2AP_R;
	f->perm_w = A64_S2AP_W;
	f->perm_x = 0;
	f->perm_xn = A64_XN;
	f->af_bit = A64_AF;
	f->dirty_bit = 0;
	set_sw_bits(f);
	return 0;
}

void s2_format_ept(struct s2_format *f, bool ad, bool pg_1g)
{
	memset(f, 0, sizeof(*f));
	f->name = ad ? "x86-ept-ad" : "x86-ept";
	f->kind = S2_FMT_EPT;
	f->start_level = 0;
	f->ia_bits = 48;
	f->root_order = 0;
	f->leaf_levels = (u8)(BIT(2) | BIT(3) | (pg_1g ? BIT(1) : 0));
	f->has_ad = ad;
	/* An EPT entry is present if any of R/W/X is set. */
	f->valid_mask = EPT_R | EPT_W | EPT_X;
	f->type_mask = EPT_LARGE;
	f->table_val = 0;
	f->page_mask = 0;
	f->page_val = 0;
	f->oa_mask = GENMASK(51, 12);
	/* Permissions AND across levels: tables grant everything. */
	f->table_attrs = EPT_R | EPT_W | EPT_X;
	f->leaf_attrs[1] = EPT_LARGE;
	f->leaf_attrs[2] = EPT_LARGE;
	f->leaf_attrs[3] = 0;
	f->mem_normal = EPT_MT(6) | EPT_IPAT;
	f->mem_device = EPT_MT(0) | EPT_IPAT;
	f->mem_mask = EPT_MT(7) | EPT_IPAT;
	f->perm_r = EPT_R;
	f->perm_w = EPT_W;
	f->perm_x = EPT_X;
	f->perm_xn = 0;
	f->af_bit = ad ? EPT_A : 0;
	f->dirty_bit = ad ? EPT_D : 0;
	set_sw_bits(f);
}

void s2_format_npt(struct s2_format *f, bool pg_1g)
{
	memset(f, 0, sizeof(*f));
	f->name = "x86-npt";
	f->kind = S2_FMT_NPT;
	f->start_level = 0;
	f->ia_bits = 48;
	f->root_order = 0;
	f->leaf_levels = (u8)(BIT(2) | BIT(3) | (pg_1g ? BIT(1) : 0));
	f->has_ad = true;
	f->valid_mask = X86_P;
	f->type_mask = X86_PS;
	f->table_val = 0;
	f->page_mask = 0;
	f->page_val = 0;
	f->oa_mask = GENMASK(51, 12);
	/* Nested walks are user accesses: U/S must be set at every level. */
	f->table_attrs = X86_P | X86_RW | X86_US;
	f->leaf_attrs[1] = X86_P | X86_US | X86_PS;
	f->leaf_attrs[2] = X86_P | X86_US | X86_PS;
	f->leaf_attrs[3] = X86_P | X86_US;
	f->mem_normal = 0;
	f->mem_device = X86_PCD | X86_PWT;
	f->mem_mask = X86_PCD | X86_PWT;
	f->perm_r = 0;		/* present implies readable */
	f->perm_w = X86_RW;
	f->perm_x = 0;
	f->perm_xn = X86_NX;
	f->af_bit = X86_A;
	f->dirty_bit = X86_D;
	set_sw_bits(f);
}

static u64 prot_bits(const struct s2_format *f, unsigned int prot)
{
	u64 d = (prot & S2_PROT_DEVICE) ? f->mem_device : f->mem_normal;

	if (prot & S2_PROT_R)
		d |= f->perm_r;
	if (prot & S2_PROT_W)
		d |= f->perm_w;
	d |= (prot & S2_PROT_X) ? f->perm_x : f->perm_xn;
	return d;
}

u64 s2_desc_mk_leaf(const struct s2_format *f, paddr_t oa, int level, unsigned int prot)
{
	return (pa_addr(oa) & f->oa_mask) | f->leaf_attrs[level] | f->af_bit |
	       prot_bits(f, prot);
}

unsigned int s2_desc_prot(const struct s2_format *f, u64 d)
{
	unsigned int prot = 0;

	if (f->perm_r ? (d & f->perm_r) : s2_desc_valid(f, d))
		prot |= S2_PROT_R;
	if (d & f->perm_w)
		prot |= S2_PROT_W;
	if (f->perm_x ? (d & f->perm_x) : !(d & f->perm_xn))
		prot |= S2_PROT_X;
	if ((d & f->mem_mask) == f->mem_device)
		prot |= S2_PROT_DEVICE;
	return prot;
}

u64 s2_desc_set_prot(const struct s2_format *f, u64 d, unsigned int prot)
{
	u64 mask = f->perm_r | f->perm_w | f->perm_x | f->perm_xn | f->mem_mask;

	return (d & ~mask) | prot_bits(f, prot);
}

enum s2_desc_type s2_desc_decode(const struct s2_format *f, u64 d, int level,
				 struct s2_desc_info *out)
{
	u64 size = s2_level_size(level);

	memset(out, 0, sizeof(*out));
	out->type = S2_DESC_INVALID;
	if (!s2_desc_valid(f, d) || level < f->start_level || level > S2_LAST_LEVEL)
		return out->type;
	if (s2_desc_is_table(f, d, level)) {
		out->type = S2_DESC_TABLE;
		out->pa = s2_desc_pa(f, d);
		return out->type;
	}
	out->type = S2_DESC_BAD;
	if (!s2_desc_is_leaf(f, d, level))
		return out->type;	/* block where none allowed, arm64 L3 0b01 */
	/* EPT: write without read is a misconfiguration. */
	if (f->kind == S2_FMT_EPT && (d & (EPT_R | EPT_W)) == EPT_W)
		return out->type;
	out->type = S2_DESC_LEAF;
	out->pa = pa_init(d & f->oa_mask & ~(size - 1));
	out->size = size;
	out->prot = s2_desc_prot(f, d);
	out->accessed = f->af_bit ? (d & f->af_bit) != 0 : true;
	out->dirty = f->dirty_bit ? (d & f->dirty_bit) != 0 : false;
	return out->type;
}
