/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Described stage-2 translation table formats.
 *
 * A format is data (levels, masks, bits) plus a few small functions in
 * hyp/mm/s2_format.c; ONE generic walker (s2_walk.h) serves all of them.
 *
 * Levels are numbered the arm64 way for every format: the last level, whose
 * entries map 4 KiB pages, is level 3; a level-L entry spans
 * 1 << (12 + 9 * (3 - L)) bytes (L0: 512 GiB, L1: 1 GiB, L2: 2 MiB, L3: 4 KiB).
 * A format starts at start_level (the root): arm64 4K-granule stage-2 with
 * 4 levels starts at 0, with 3 levels at 1; x86 EPT and NPT start at 0
 * (PML4 = level 0, PDPT = 1, PD = 2, PT = 3).
 *
 *   root (start_level)          level 1            level 2          level 3
 *   +---------+  table desc   +---------+  table  +---------+ table +---------+
 *   | entry i |-------------->| entry j |-------->| entry k |------>| page    |--> 4K
 *   +---------+               | block   |--> 1G   | block   |--> 2M +---------+
 *                             +---------+         +---------+
 *
 * arm64 may concatenate up to 16 root tables (root_order 0..4) to cover a
 * larger IPA space with fewer levels.
 *
 * The hardware model of the simulation decodes descriptors with
 * s2_desc_decode(), so the manager and the "hardware" agree on one encoding.
 */
#ifndef HYP_MM_S2_FORMAT_H
#define HYP_MM_S2_FORMAT_H

#include <hyp/types.h>
#include <hyp/addr.h>

#define S2_LAST_LEVEL		3
#define S2_MAX_LEVELS		4
#define S2_ENTRIES_SHIFT	9			/* 512 entries per 4K table */
#define S2_ENTRIES		(1U << S2_ENTRIES_SHIFT)

/* Permissions and attributes of a leaf (the "prot" of map/protect). */
#define S2_PROT_R		0x1U	/* guest may read */
#define S2_PROT_W		0x2U	/* guest may write */
#define S2_PROT_X		0x4U	/* guest may execute */
#define S2_PROT_DEVICE		0x8U	/* device memory (arm64 Device-nGnRE, x86 UC) */
#define S2_PROT_RWX		(S2_PROT_R | S2_PROT_W | S2_PROT_X)
#define S2_PROT_PERMS		S2_PROT_RWX
#define S2_PROT_ALL		(S2_PROT_RWX | S2_PROT_DEVICE)

enum s2_fmt_kind {
	S2_FMT_ARM64 = 0,	/* VMSAv8-64 stage 2, 4 KiB granule */
	S2_FMT_EPT = 1,		/* Intel EPT, 4 levels */
	S2_FMT_NPT = 2,		/* AMD NPT = long-mode page tables */
};

/*
 * struct s2_format - one stage-2 table format.
 * Fields are filled by s2_format_arm64/ept/npt() and read by the walker.
 * A descriptor d at level L is:
 *   invalid  if (d & valid_mask) == 0
 *   table    if valid, L < 3 and (d & type_mask) == table_val
 *   leaf     if valid and not a table, L a leaf level (leaf_levels), and at
 *            level 3 (d & page_mask) == page_val
 *   bad      otherwise (hardware would fault: reserved encoding)
 */
struct s2_format {
	const char *name;
	enum s2_fmt_kind kind;
	u8 start_level;		/* level of the root table */
	u8 ia_bits;		/* input (IPA/GPA) address bits */
	u8 root_order;		/* root = 1 << root_order contiguous pages */
	u8 leaf_levels;		/* BIT(L) set: a leaf may live at level L */
	bool has_ad;		/* hardware sets accessed/dirty bits */
	u64 valid_mask;
	u64 type_mask;
	u64 table_val;
	u64 page_mask;
	u64 page_val;
	u64 oa_mask;		/* output address bits of a descriptor */
	u64 table_attrs;	/* non-address bits of a table descriptor */
	u64 leaf_attrs[S2_MAX_LEVELS];	/* fixed bits of a leaf at level L (type, AF, SH) */
	u64 mem_normal;		/* memory-type bits: normal write-back */
	u64 mem_device;		/* memory-type bits: device / uncached */
	u64 mem_mask;
	u64 perm_r, perm_w, perm_x;	/* bits set to grant R / W / X */
	u64 perm_xn;		/* bit set to DENY execute (arm64 XN, NPT NX) */
	u64 af_bit;		/* accessed flag (0: none) */
	u64 dirty_bit;		/* hardware dirty flag (0: none) */
	/*
	 * Software bits (ignored by the hardware of all three formats: arm64
	 * bits 55..58 are reserved for software, EPT and NPT ignore 52..58).
	 */
	u64 sw_owned;		/* data page owned by the VM: put_page on unmap */
	u64 sw_logwp;		/* writable, write-protected for dirty logging */
	u64 sw_rmap;		/* entered in the reverse map */
	u64 sw_pinned;		/* must not move: s2_move/s2_migrate refuse it */
};

#define S2_SW_OWNED	BIT(55)
#define S2_SW_LOGWP	BIT(56)
#define S2_SW_RMAP	BIT(57)
#define S2_SW_PINNED	BIT(58)

/**
 * s2_format_arm64() - describe arm64 VMSAv8-64 stage 2, 4 KiB granule.
 * @f:       filled on success
 * @ia_bits: IPA size (VTCR_EL2.T0SZ = 64 - ia_bits); from ID_AA64MMFR0.PARange
 * @levels:  3 (start level 1; ia_bits 32..43, root concatenated above 39)
 *           or 4 (start level 0; ia_bits 40..48)
 *
 * Leaves: 1 GiB blocks at level 1, 2 MiB at level 2, pages at level 3.
 * Return: 0, or -E_INVAL for an impossible combination.
 */
int s2_format_arm64(struct s2_format *f, unsigned int ia_bits, unsigned int levels);

/**
 * s2_format_ept() - describe Intel EPT with a 4-level walk (48-bit GPA).
 * @f:      filled
 * @ad:     EPTP[6] set: hardware maintains accessed (bit 8) / dirty (bit 9)
 * @pg_1g:  1 GiB pages supported (IA32_VMX_EPT_VPID_CAP[17])
 */
void s2_format_ept(struct s2_format *f, bool ad, bool pg_1g);

/**
 * s2_format_npt() - describe AMD NPT (long-mode 4-level page table format,
 * all entries user, NX honoured; hardware always sets A and D).
 * @f:      filled
 * @pg_1g:  1 GiB pages supported (CPUID 8000_0001 EDX[26])
 */
void s2_format_npt(struct s2_format *f, bool pg_1g);

/* Bytes spanned by one entry at @level. */
static inline u64 s2_level_size(int level)
{
	return 1ULL << (PAGE_SHIFT + S2_ENTRIES_SHIFT * (S2_LAST_LEVEL - level));
}

/* Shift of the address bits that index a table at @level. */
static inline unsigned int s2_level_shift(int level)
{
	return PAGE_SHIFT + S2_ENTRIES_SHIFT * (unsigned int)(S2_LAST_LEVEL - level);
}

/* Number of entries in the root table (concatenation included). */
static inline u64 s2_root_entries(const struct s2_format *f)
{
	return 1ULL << (f->ia_bits - s2_level_shift(f->start_level));
}

/* Index of @ipa in a table at @level (root: may exceed 511 when concatenated). */
static inline u64 s2_index(const struct s2_format *f, u64 ipa, int level)
{
	u64 idx = ipa >> s2_level_shift(level);

	return level == f->start_level ? idx & (s2_root_entries(f) - 1)
				       : idx & (S2_ENTRIES - 1);
}

/* Is a leaf (block or page) allowed at @level? */
static inline bool s2_leaf_allowed(const struct s2_format *f, int level)
{
	return (f->leaf_levels >> level) & 1;
}

static inline bool s2_desc_valid(const struct s2_format *f, u64 d)
{
	return (d & f->valid_mask) != 0;
}

static inline bool s2_desc_is_table(const struct s2_format *f, u64 d, int level)
{
	return s2_desc_valid(f, d) && level < S2_LAST_LEVEL &&
	       (d & f->type_mask) == f->table_val;
}

/* A valid, well-formed leaf at @level (page at level 3, block above). */
static inline bool s2_desc_is_leaf(const struct s2_format *f, u64 d, int level)
{
	if (!s2_desc_valid(f, d) || !s2_leaf_allowed(f, level))
		return false;
	if (level == S2_LAST_LEVEL)
		return (d & f->page_mask) == f->page_val;
	return (d & f->type_mask) != f->table_val;
}

/* Output address (leaf) or next-level table address (table). */
static inline paddr_t s2_desc_pa(const struct s2_format *f, u64 d)
{
	return pa_init(d & f->oa_mask);
}

/**
 * s2_desc_mk_table() - encode a table descriptor pointing at @next.
 */
static inline u64 s2_desc_mk_table(const struct s2_format *f, paddr_t next)
{
	return (pa_addr(next) & f->oa_mask) | f->table_attrs;
}

/**
 * s2_desc_mk_leaf() - encode a leaf (page at level 3, block above).
 * @f:     format
 * @oa:    output address, aligned to s2_level_size(@level)
 * @level: must satisfy s2_leaf_allowed()
 * @prot:  S2_PROT_* (S2_PROT_R must be set: EPT has no write-only/none leaf)
 *
 * The accessed flag is set (no access-flag faults); dirty is clear.
 */
u64 s2_desc_mk_leaf(const struct s2_format *f, paddr_t oa, int level, unsigned int prot);

/**
 * s2_desc_prot() - S2_PROT_* of a leaf descriptor.
 */
unsigned int s2_desc_prot(const struct s2_format *f, u64 d);

/**
 * s2_desc_set_prot() - the leaf @d with its permissions/attributes replaced
 * by @prot (address, level type, A/D bits kept).
 */
u64 s2_desc_set_prot(const struct s2_format *f, u64 d, unsigned int prot);

enum s2_desc_type {
	S2_DESC_INVALID = 0,	/* translation fault */
	S2_DESC_TABLE = 1,	/* points at the next-level table */
	S2_DESC_LEAF = 2,	/* maps a page or block */
	S2_DESC_BAD = 3,	/* reserved encoding: hardware faults (misconfig) */
};

/*
 * struct s2_desc_info - a descriptor as a hardware walker sees it.
 * @type:     see enum s2_desc_type
 * @pa:       TABLE: next-level table; LEAF: output address of the block/page
 * @size:     LEAF: bytes mapped (s2_level_size(level)); else 0
 * @prot:     LEAF: S2_PROT_*
 * @accessed: LEAF: accessed flag set (arm64 AF, EPT bit 8, NPT A)
 * @dirty:    LEAF: hardware dirty flag set (EPT with A/D, NPT); false if none
 */
struct s2_desc_info {
	enum s2_desc_type type;
	paddr_t pa;
	u64 size;
	unsigned int prot;
	bool accessed;
	bool dirty;
};

/**
 * s2_desc_decode() - decode descriptor @d found at @level.
 * @f:     format
 * @d:     descriptor value
 * @level: level of the table that holds @d
 * @out:   filled
 *
 * For use by hardware models (arch/sim) and by the tests. A table entry at
 * the last level, a block at a level without blocks, or an arm64 level-3
 * entry with bit 1 clear decode as S2_DESC_BAD/INVALID as the hardware would.
 * Return: out->type.
 */
enum s2_desc_type s2_desc_decode(const struct s2_format *f, u64 d, int level,
				 struct s2_desc_info *out);

#endif
