/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Moving guest memory (R5) and the reverse map / reclaim path it must
 * exclude.
 *
 * s2_move() moves the mappings of an IPA range to another IPA range. Where
 * both ranges are aligned to a level's span it moves whole descriptors at
 * that level (a 1 GiB move of a 4K-mapped range moves one level-1 table
 * pointer), so the cost is proportional to entries moved, not pages.
 * The old range is invalidated (all levels: walk caches point into moved
 * tables) and the invalidation completed BEFORE the VM lock is released: the
 * lock release is the lifetime boundary of the moved translations (R5).
 *
 * The reverse map records, for mappings made with S2_MAP_RMAP, host page ->
 * IPA. It is protected by the VM lock, which s2_move() holds for its whole
 * duration and updates; s2_reclaim_page() looks the page up and unmaps it
 * under the same lock hold, so it always finds where the page lives NOW and
 * invalidates that address (no seed-003 three-CPU race).
 */
#ifndef HYP_MM_S2_MOVE_H
#define HYP_MM_S2_MOVE_H

#include <hyp/types.h>
#include <hyp/addr.h>

struct s2_vm;

/**
 * s2_move() - move the mappings of [@src, @src + @size) to
 * [@dst, @dst + @size). The ranges must not overlap; the destination must
 * be unmapped. Blocks move whole; a block that straddles an edge of the
 * source is split first (4 KiB out of block-backed RAM, issue 16); a block
 * inside whose destination is not aligned for it is refused. Failure-atomic
 * (a split done before a failure stays: it changes no translation).
 * Return: 0, -E_ALIGN (not 4K aligned; or a block cannot move whole),
 * -E_RANGE, -E_INVAL (overlap, size 0), -E_EXIST (destination not empty),
 * -E_NOMEM, -E_PERM (a pinned leaf in the source, S2_MAP_PINNED; checked
 * before anything changes).
 */
int s2_move(struct s2_vm *vm, ipaddr_t src, ipaddr_t dst, u64 size);

/**
 * s2_rmap_lookup() - where is host page @pa mapped in @vm now?
 * Takes the VM lock. Return: 0 and *@ipa, -E_NOENT, -E_NOSYS (no rmap).
 */
int s2_rmap_lookup(struct s2_vm *vm, paddr_t pa, ipaddr_t *ipa);

/**
 * s2_reclaim_page() - the host takes page @pa back from @vm: find where it
 * is mapped now (reverse map) and unmap it there, invalidation complete,
 * all under one hold of the VM lock (R5); then release it (ops->put_page if
 * owned). A page inside a block mapping unmaps the whole block.
 * Return: 0, -E_NOENT (not mapped), -E_NOSYS (no rmap), -E_NOMEM.
 */
int s2_reclaim_page(struct s2_vm *vm, paddr_t pa);

#endif
