// SPDX-License-Identifier: GPL-2.0
/*
 * Break-before-make: the one way a live entry is replaced by an entry of
 * another kind or output address (split: block -> table; collapse: table
 * -> block; migration: page -> page). In the architecture's words (KVM:
 * stage2_try_break_pte() / stage2_make_pte()): break = clear + gather +
 * invalidate (completed on every CPU); make = publish the new entry.
 * Between the two, nothing translates through the entry (a walker sees it
 * invalid and faults, and the fault waits for the lock).
 */
#include "s2_internal.h"

u64 s2_break(struct s2_vm_locked l, struct s2_gather *g, u64 *ptep, u64 base, int level,
	     enum inject_switch skip)
{
	const struct s2_format *f = l.vm->fmt;
	u64 old;

	/* BUG (injected: split-no-bbm, collapse-no-bbm): make over the live entry. */
	if (inject_on(skip))
		return READ_ONCE(*ptep);
	/* BBM (R1): the entry goes, and every TLB forgets it, before the new one appears. */
	old = s2_clear(ptep);
	/* R2: a table leaves the tree: walk caches too (all levels). */
	s2_gather_add_range(l, g, base, s2_level_size(level), s2_desc_is_table(f, old, level));
	s2_gather_flush_locked(l, g);
	return old;
}

void s2_make(u64 *ptep, u64 desc)
{
	/* BBM: what @desc points to (table, copied page) is visible before @desc. */
	s2_publish(ptep, desc);
}
