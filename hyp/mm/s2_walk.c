// SPDX-License-Identifier: GPL-2.0
/*
 * The one generic stage-2 walker: every range operation (map, unmap,
 * protect, split, move, reclaim, teardown as a table-post visitor) and
 * every format goes through it; every single-address path through the one
 * descent, s2_descend().
 * See hyp/include/hyp/mm/s2_walk.h for the visiting rules.
 */
#include <hyp/mm/s2_walk.h>
#include <hyp/arch.h>

struct walk_state {
	const struct s2_format *fmt;
	const struct s2_walker *w;
	u64 start, end;
};

static int walk_table(const struct walk_state *ws, u64 *table, int level, u64 addr);

/* Read a descriptor where the simulation may interleave (unless the walk is alone). */
static inline u64 read_desc(const struct walk_state *ws, u64 *ptep)
{
	if (!(ws->w->flags & S2_WALK_ALONE))
		arch_sched_point();
	return READ_ONCE(*ptep);
}

static int call(const struct walk_state *ws, struct s2_walk_data *d, enum s2_visit v)
{
	if (!(ws->w->flags & v))
		return 0;
	return ws->w->cb(d, v);
}

static int visit(const struct walk_state *ws, u64 *ptep, int level, u64 base)
{
	const struct s2_format *fmt = ws->fmt;
	struct s2_walk_data d = {
		.fmt = fmt, .ptep = ptep, .addr = base, .level = level,
		.start = ws->start, .end = ws->end, .arg = ws->w->arg,
	};
	int ret;

	d.old = read_desc(ws, ptep);
	if (s2_desc_is_table(fmt, d.old, level)) {
		if (ws->w->flags & S2_VISIT_TABLE_PRE) {
			ret = call(ws, &d, S2_VISIT_TABLE_PRE);
			if (ret)
				return ret;
			/* The visitor may have replaced the table: do not descend then. */
			d.old = read_desc(ws, ptep);
			if (!s2_desc_is_table(fmt, d.old, level))
				return 0;
		}
	} else {
		ret = call(ws, &d, S2_VISIT_LEAF);
		if (ret)
			return ret;
		if (!(ws->w->flags & S2_VISIT_LEAF))
			return 0;
		/* The visitor may have installed a table (map, split): descend. */
		d.old = read_desc(ws, ptep);
		if (!s2_desc_is_table(fmt, d.old, level))
			return 0;
	}
	ret = walk_table(ws, s2_table_ptr(s2_desc_pa(fmt, d.old)), level + 1,
			 MAX(base, ws->start));
	if (ret || !(ws->w->flags & S2_VISIT_TABLE_POST))
		return ret;
	/* No scheduling point: the same descriptor was just read; writers hold the lock. */
	d.old = READ_ONCE(*ptep);
	return call(ws, &d, S2_VISIT_TABLE_POST);
}

static int walk_table(const struct walk_state *ws, u64 *table, int level, u64 addr)
{
	u64 size = s2_level_size(level);
	u64 nent = level == ws->fmt->start_level ? s2_root_entries(ws->fmt) : S2_ENTRIES;
	u64 idx = s2_index(ws->fmt, addr, level);
	u64 base = ALIGN_DOWN(addr, size);
	int ret;

	for (; idx < nent && base < ws->end; idx++, base += size) {
		ret = visit(ws, &table[idx], level, base);
		if (ret)
			return ret;
		if (base + size < base)		/* top of the address space */
			break;
	}
	return 0;
}

int s2_walk(const struct s2_format *fmt, paddr_t root, u64 start, u64 size,
	    const struct s2_walker *w)
{
	struct walk_state ws = { .fmt = fmt, .w = w, .start = start, .end = start + size };
	u64 limit = 1ULL << fmt->ia_bits;

	if (!size)
		return 0;
	if (ws.end < start || start >= limit || ws.end > limit)
		return -E_RANGE;
	return walk_table(&ws, s2_table_ptr(root), fmt->start_level, start);
}

enum s2_desc_type s2_lookup(const struct s2_format *fmt, paddr_t root, u64 ipa,
			    struct s2_desc_info *out, int *level_out)
{
	int level = fmt->start_level;
	u64 *p, d = 0;

	out->type = S2_DESC_INVALID;
	if (!(ipa >> fmt->ia_bits)) {
		level = s2_descend(fmt, root, ipa, S2_DESCEND_ALL, NULL, &p, &d);
		s2_desc_decode(fmt, d, level, out);
	}
	if (level_out)
		*level_out = level;
	return out->type;
}
