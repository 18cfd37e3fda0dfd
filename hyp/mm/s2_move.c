// SPDX-License-Identifier: GPL-2.0
/*
 * Moving guest memory between IPA ranges (R5). See s2_move.h.
 *
 * The range is cut into chunks: at each address the largest level whose
 * span is aligned in both ranges and fits. The descriptor at that level
 * (table, block or page) moves as a whole:
 *
 *   src parent table           dst parent table
 *   +--------+                 +--------+
 *   | e[i] --+---> T    ==>    | e[j] --+---> T     (T itself is not touched)
 *   +--------+                 +--------+
 *
 * so moving 1 GiB of 4K pages is one level-1 descriptor. Source tables that
 * end up empty are unlinked. The source range is invalidated at all levels
 * (walk caches still point at the moved tables through the old IPAs) and
 * the invalidation completes before the VM lock is released.
 */
#include "s2_internal.h"

struct move_state {
	struct s2_vm *vm;
	const struct s2_format *f;
	u64 src, dst, size;
	u64 off;			/* dst - src (mod 2^64) */
	u64 vbase[S2_MAX_LEVELS + 1];	/* prepass: tables "created" so far, by level */
	u64 tables;
};

static u64 end_of(const struct move_state *m)
{
	return m->src + m->size;
}

/* Largest level at which the chunk at @a moves as one descriptor. */
static int chunk_level(const struct move_state *m, u64 a)
{
	for (int l = m->f->start_level; l < S2_LAST_LEVEL; l++) {
		u64 s = s2_level_size(l);

		if (IS_ALIGNED(a, s) && IS_ALIGNED(a + m->off, s) && a + s <= end_of(m) && a + s > a)
			return l;
	}
	return S2_LAST_LEVEL;
}

/*
 * Descend from the root to the level-@level descriptor for @a. Returns its
 * pointer, or NULL and the level/value where the walk stopped (no table).
 */
static u64 *find_slot(const struct move_state *m, u64 a, int level, int *stop, u64 *desc)
{
	u64 *p;

	*stop = s2_descend(m->f, m->vm->root, a, level, NULL, &p, desc);
	return *stop == level ? p : NULL;
}

/* Prepass for the destination of one chunk: count tables to create. */
static int count_dst(struct move_state *m, u64 da, int level)
{
	const struct s2_format *f = m->f;
	u64 *p, d;
	int lv = s2_descend(f, m->vm->root, da, level, NULL, &p, &d);

	if (lv == level) {
		arch_sched_point();
		d = READ_ONCE(*p);
	}
	if (s2_desc_valid(f, d))
		return -E_EXIST;
	/* Below the first missing table: one table per level will be created, once per span. */
	for (; lv < level; lv++) {
		u64 span = s2_level_size(lv);

		if (m->vbase[lv + 1] != ALIGN_DOWN(da, span)) {
			m->vbase[lv + 1] = ALIGN_DOWN(da, span);
			m->tables++;
		}
	}
	return 0;
}

/*
 * The level-@level slot for @da in the destination: the one descent, and
 * where it stops above @level (an empty slot: count_dst() checked) a table
 * from the stock, then on down.
 */
static u64 *make_dst(struct s2_vm_locked l, const struct move_state *m, u64 da, int level)
{
	const struct s2_format *f = m->f;
	u64 *p, d;

	while (s2_descend(f, m->vm->root, da, level, NULL, &p, &d) < level)
		s2_publish(p, s2_desc_mk_table(f, s2_stock_take(l)));
	return p;
}

/*
 * Walk the chunks. Prepass (@l == NULL): validate and count. Commit: move.
 */
static int for_each_chunk(struct move_state *m, struct s2_vm_locked *l, struct s2_gather *g)
{
	const struct s2_format *f = m->f;
	u64 a = m->src;

	while (a < end_of(m)) {
		int level = chunk_level(m, a), stop = level;
		u64 size = s2_level_size(level), d = 0, *p;

		p = find_slot(m, a, level, &stop, &d);
		if (!p) {
			u64 span = s2_level_size(stop);

			/* A block larger than the chunk: it is not inside the range, or dst is misaligned. */
			if (s2_desc_valid(f, d))
				return -E_ALIGN;
			a = MIN(end_of(m), ALIGN_DOWN(a, span) + span);
			continue;
		}
		if (!l) {
			arch_sched_point();
			if (s2_desc_valid(f, READ_ONCE(*p))) {
				int ret = count_dst(m, a + m->off, level);

				if (ret)
					return ret;
			}
		} else {
			d = s2_clear(p);
			if (s2_desc_valid(f, d)) {
				u64 *q = make_dst(*l, m, a + m->off, level);

				/*
				 * Race widening, point MOVE (R5): the source entry is
				 * cleared but still in TLBs, the destination not there yet.
				 */
				s2_race_delay(m->vm, S2_RACE_MOVE);
				s2_set(q, d);
				s2_rmap_moved(*l, a + m->off, size, m->off);
				s2_gather_add_range(*l, g, a, size, s2_desc_is_table(f, d, level));
				s2_count(m->vm, moved_entries, 1);
			}
		}
		a += size;
	}
	return 0;
}

static int dst_empty_cb(struct s2_walk_data *d, enum s2_visit v)
{
	return s2_desc_valid(d->fmt, d->old) ? -E_EXIST : 0;
}

/* A pinned leaf (S2_MAP_PINNED, doc/passthrough.md) never moves. */
static int src_unpinned_cb(struct s2_walk_data *d, enum s2_visit v)
{
	return s2_desc_valid(d->fmt, d->old) && (d->old & d->fmt->sw_pinned) ? -E_PERM : 0;
}

static int check_move_args(const struct s2_vm *vm, u64 src, u64 dst, u64 size)
{
	int ret = s2_check_range(vm, src, size);

	if (!ret)
		ret = s2_check_range(vm, dst, size);
	if (ret)
		return ret;
	if (src < dst + size && dst < src + size)
		return -E_INVAL;	/* overlap */
	return 0;
}

/*
 * A source block that straddles an edge of the range (e.g. 4 KiB of
 * block-backed RAM) is split first, as s2_protect() does, down to the
 * chunk's level. A block wholly inside the range still moves whole or, if
 * the destination is not aligned to it, not at all (-E_ALIGN, s2_move.h).
 * The translations stay the same (break-before-make in the split), so a move
 * that fails later leaves the VM as it was, only split.
 */
static int split_src_blocks(struct s2_vm_locked l, struct move_state *m)
{
	const struct s2_format *f = m->f;
	u64 a = m->src;

	while (a < end_of(m)) {
		int level = chunk_level(m, a), stop;
		u64 d = 0, *p;
		int ret;

		u64 span, base;

		stop = s2_descend(f, m->vm->root, a, level, NULL, &p, &d);
		span = s2_level_size(stop);
		base = ALIGN_DOWN(a, span);
		if (stop == level) {
			a += span;
			continue;
		}
		/* A hole, or a block wholly inside: it moves whole or not at all (-E_ALIGN). */
		if (!s2_desc_valid(f, d) || (base >= m->src && base + span <= end_of(m))) {
			a = MIN(end_of(m), base + span);
			continue;
		}
		ret = s2_stock_topup(l, 1);
		if (!ret)
			ret = s2_split_locked(l, p, stop, ALIGN_DOWN(a, s2_level_size(stop)), d);
		if (ret)
			return ret;
	}
	return 0;
}

static int move_locked(struct s2_vm_locked l, struct s2_gather *g, struct move_state *m)
{
	struct s2_walker w = { .cb = dst_empty_cb, .flags = S2_VISIT_LEAF };
	struct s2_walker pin = { .cb = src_unpinned_cb, .flags = S2_VISIT_LEAF };
	u64 pin_start = MAX(m->src, m->vm->pinned_start);
	u64 pin_end = MIN(end_of(m), m->vm->pinned_end);
	int ret = 0;

	/* Pinned leaves lie inside the VM's pinned hull: look only where the source meets it. */
	if (pin_start < pin_end)
		ret = s2_walk(m->f, m->vm->root, pin_start, pin_end - pin_start, &pin);
	if (ret)
		return ret;
	/* Empty tables left in the destination would look occupied: reclaim them first. */
	ret = s2_reclaim_locked(l, g, m->dst, m->size);
	if (!ret)
		ret = s2_walk(m->f, m->vm->root, m->dst, m->size, &w);
	if (!ret)
		ret = split_src_blocks(l, m);
	if (!ret)
		ret = for_each_chunk(m, NULL, NULL);
	if (m->tables > 0xffffffffULL)
		ret = -E_NOMEM;
	if (!ret)
		ret = s2_stock_topup(l, (u32)m->tables);
	if (ret)
		return ret;
	/* From here nothing can fail. */
	for_each_chunk(m, &l, g);
	/*
	 * R4: writable entries keep their permission at the new IPA; the log
	 * is by IPA, so report the whole destination dirty (over-reporting is
	 * safe, missing a write is not).
	 */
	if (s2_dirty_logging(m->vm))
		s2_dirty_mark(l, m->dst, m->size);
	s2_gather_request(g, m->src, m->size);
	return s2_reclaim_locked(l, g, m->src, m->size);
}

int s2_move(struct s2_vm *vm, ipaddr_t src, ipaddr_t dst, u64 size)
{
	struct move_state m = {
		.vm = vm, .f = vm->fmt, .src = ipa_addr(src), .dst = ipa_addr(dst),
		.size = size, .off = ipa_addr(dst) - ipa_addr(src),
	};
	struct s2_vm_locked l;
	struct s2_gather g;
	int ret = check_move_args(vm, m.src, m.dst, size);

	if (ret)
		return ret;
	for (unsigned int i = 0; i < ARRAY_SIZE(m.vbase); i++)
		m.vbase[i] = ~0ULL;
	s2_gather_begin(&g, vm);
	/* R5: the whole move runs under the VM lock, which the reclaim path takes too. */
	l = s2_vm_lock(vm);
	ret = vm->dying ? -E_BUSY : move_locked(l, &g, &m);
	if (!ret)
		s2_count(vm, moves, 1);
	if (inject(MOVE_FLUSH_AFTER_UNLOCK)) {
		s2_vm_unlock(&l);
		/* BUG (injected): the old translations outlive the lock. */
		arch_sched_point();
		s2_gather_flush(&g);
	} else {
		/* R5: the old range is invalidated before the lock that protects it is released. */
		s2_gather_flush_locked(l, &g);
		s2_vm_unlock(&l);
	}
	s2_gather_finish(&g);
	return ret;
}
