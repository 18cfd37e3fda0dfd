/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one generic stage-2 table walker (all formats, all operations).
 *
 * s2_walk() visits, in address order, every descriptor that covers part of
 * [start, start + size), top-down. For each descriptor it calls the visitor
 * with:
 *   S2_VISIT_TABLE_PRE   the descriptor is a table, before descending
 *   S2_VISIT_LEAF        the descriptor is invalid or a leaf (or a table at a
 *                        level the walk must not descend into)
 *   S2_VISIT_TABLE_POST  the descriptor is a table, after its children
 * (only the kinds requested in flags). A LEAF visitor may install a table
 * in place of the descriptor (map: create a table; split); the walker then
 * re-reads the descriptor and descends into the new table. A PRE visitor may
 * replace a table by a leaf or clear it; the walker then does not descend.
 * A visitor returning non-zero stops the walk; s2_walk() returns that value.
 *
 * Descriptors are read with READ_ONCE and the walker calls arch_sched_point()
 * before each read, so the simulation can interleave every step.
 * The walker itself takes no lock: the caller holds the VM lock (writers) or
 * is inside a grace-period read section (lockless readers, s2_gp.h).
 */
#ifndef HYP_MM_S2_WALK_H
#define HYP_MM_S2_WALK_H

#include <hyp/types.h>
#include <hyp/addr.h>
#include <hyp/arch.h>
#include <hyp/mm/s2_format.h>

enum s2_visit {
	S2_VISIT_TABLE_PRE = 1,
	S2_VISIT_LEAF = 2,
	S2_VISIT_TABLE_POST = 4,
};
/*
 * Walker flag: no other agent can walk or change these tables (teardown,
 * after every CPU left and the VMID was invalidated), so the reads are not
 * scheduling points of the simulation.
 */
#define S2_WALK_ALONE	8

/*
 * struct s2_walk_data - what a visitor sees.
 * @fmt:    table format
 * @ptep:   the descriptor (in its table page; hypervisor pointer)
 * @old:    value of *ptep as read by the walker
 * @addr:   first IPA covered by the descriptor (aligned to its level)
 * @level:  level of the table holding the descriptor
 * @start:  walk range start (IPA)
 * @end:    walk range end (exclusive)
 * @arg:    the walker's private argument
 */
struct s2_walk_data {
	const struct s2_format *fmt;
	u64 *ptep;
	u64 old;
	u64 addr;
	int level;
	u64 start;
	u64 end;
	void *arg;
};

typedef int (*s2_visitor_fn)(struct s2_walk_data *d, enum s2_visit v);

/*
 * struct s2_walker - one walk.
 * @cb:    visitor
 * @arg:   passed as s2_walk_data.arg
 * @flags: which enum s2_visit kinds to call @cb for, | S2_WALK_ALONE
 */
struct s2_walker {
	s2_visitor_fn cb;
	void *arg;
	unsigned int flags;
};

/**
 * s2_walk() - walk the tables rooted at @root over [@start, @start + @size).
 * @fmt:   format
 * @root:  root table (host-physical)
 * @start: first IPA (any alignment; entries partially covered are visited)
 * @size:  bytes; 0 visits nothing
 * @w:     walker
 *
 * Return: 0, -E_RANGE if the range leaves the format's input address space
 * (nothing visited), or the first non-zero visitor return value.
 */
int s2_walk(const struct s2_format *fmt, paddr_t root, u64 start, u64 size,
	    const struct s2_walker *w);

/* Hypervisor pointer to the table at @pa. */
static inline u64 *s2_table_ptr(paddr_t pa)
{
	return (u64 *)pa_to_ptr(pa);
}

/**
 * s2_descend() - the one descent (NOVA's walk(v, t)): from @root towards
 * @ipa through table descriptors, down to level @to at most. Every
 * single-address path (s2_walk_path, s2_lookup, s2_lookup_ptep, collapse,
 * move's slots) is built on it; range operations use s2_walk().
 * @fmt:   format
 * @root:  root table
 * @ipa:   address (inside the format's input space)
 * @to:    level to stop at (S2_DESCEND_ALL: the first non-table)
 * @ptep:  if not NULL, ptep[level] = the entry at every level passed
 * @pp:    the entry at the level reached
 * @desc:  the value read there, if the descent stopped above @to (the
 *         entry at level @to is not read: its caller decides how)
 * Return: the level reached: @to, or the level of the first descriptor
 * above it that is not a table.
 */
#define S2_DESCEND_ALL	S2_MAX_LEVELS
/* Inline: @to, @ptep == NULL and @record are constants at most call sites and fold. */
static __always_inline int __s2_descend(const struct s2_format *fmt, paddr_t root, u64 ipa,
					int to, u64 **ptep, bool record, u64 **pp, u64 *desc)
{
	int level = fmt->start_level;
	/* The root may be concatenated (s2_index()); every table below has 512 entries. */
	u64 *p = &s2_table_ptr(root)[(ipa >> s2_level_shift(level)) & (s2_root_entries(fmt) - 1)];
	u64 d;

	for (;; p = &s2_table_ptr(s2_desc_pa(fmt, d))[(ipa >> s2_level_shift(++level)) &
						       (S2_ENTRIES - 1)]) {
		if (record)
			ptep[level] = p;
		if (to != S2_DESCEND_ALL && level == to)
			break;	/* not read: the caller decides how */
		arch_sched_point();	/* the simulation may interleave every read */
		d = READ_ONCE(*p);
		if (!s2_desc_is_table(fmt, d, level)) {
			*desc = d;
			break;
		}
	}
	*pp = p;
	return level;
}

static __always_inline int s2_descend(const struct s2_format *fmt, paddr_t root, u64 ipa, int to,
				      u64 **ptep, u64 **pp, u64 *desc)
{
	return __s2_descend(fmt, root, ipa, to, ptep, ptep != NULL, pp, desc);
}

/**
 * s2_walk_path() - the walker's single-address form: descend from @root
 * towards @ipa and record the descriptor pointer at every level visited.
 * @fmt:   format
 * @root:  root table
 * @ipa:   address (must be inside the format's input space)
 * @ptep:  ptep[level] set for start_level .. returned level
 * @desc:  value of the last descriptor read (not a table)
 *
 * Used by the single-page fast paths of map and unmap (one entry, no
 * visitor), which must behave exactly like the visitor walk.
 * s2_descend(..., S2_DESCEND_ALL, ...).
 * Return: the level of the first descriptor that is not a table.
 */
static __always_inline int s2_walk_path(const struct s2_format *fmt, paddr_t root, u64 ipa,
					u64 **ptep, u64 *desc)
{
	u64 *p;

	/* Inline: the one-page map and unmap are the fault path's hot cases. */
	return __s2_descend(fmt, root, ipa, S2_DESCEND_ALL, ptep, true, &p, desc);
}

/**
 * s2_lookup() - translate one IPA by walking (no lock, no callbacks).
 * @fmt:   format
 * @root:  root table
 * @ipa:   address to translate
 * @out:   leaf found (type S2_DESC_LEAF) or the reason it is not mapped
 * @level: if not NULL, the level at which the walk stopped
 *
 * Caller must hold the VM lock or be in a read section (s2_gp_read_lock()).
 * Return: out->type.
 */
enum s2_desc_type s2_lookup(const struct s2_format *fmt, paddr_t root, u64 ipa,
			    struct s2_desc_info *out, int *level);

#endif
