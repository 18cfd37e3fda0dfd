/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Migrating a guest page to another host page (page migration / compaction,
 * one level down from Linux's migrate_pages()).
 *
 * The guest keeps its IPA; the host page behind it changes. The ordering
 * (doc/mm.md, "Migration"):
 *
 *   1. break:      clear the leaf and invalidate the IPA on every CPU, and
 *                  wait for completion (s2_break(), under the VM lock; a
 *                  gather is in flight, so a concurrent fault retries
 *                  instead of populating)
 *   2. copy:       old page -> new page (no CPU can write the old one now)
 *   3. make:       install the new page with the old permissions (s2_make())
 *   4. free:       the old page, after the gather's invalidation (R1)
 *
 * Copying before step 1 completes loses a write made through the old entry
 * or a stale TLB entry in between (inject(MIGRATE_COPY_BEFORE_FLUSH)).
 */
#ifndef HYP_MM_S2_MIGRATE_H
#define HYP_MM_S2_MIGRATE_H

#include <hyp/types.h>
#include <hyp/addr.h>

struct s2_vm;

/**
 * s2_migrate() - move the contents and the mapping of the 4K page at @ipa to
 * host page @new_pa (zeroed or not; it is overwritten), keeping permissions,
 * ownership and reverse-map membership. On success the VM owns @new_pa as it
 * owned the old page, and the old page went to ops->put_page (if owned).
 * On failure nothing changed and @new_pa still belongs to the caller.
 * Return: 0, -E_ALIGN, -E_RANGE, -E_NOENT (nothing mapped at @ipa),
 * -E_BUSY (a block maps @ipa: split it first; or the VM is dying),
 * -E_NOMEM (reverse map full), -E_PERM (a pinned leaf, S2_MAP_PINNED:
 * passthrough device memory, doc/passthrough.md).
 */
int s2_migrate(struct s2_vm *vm, ipaddr_t ipa, paddr_t new_pa);

#endif
