/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading a VM's memory from the hypervisor (doc/guest-memory.md).
 *
 * A host pointer into guest memory is only valid while the page stays the
 * VM's: a leaf is removed (unmap, move, migration, reclaim, split/collapse
 * replacement) only under the VM lock, and the page it mapped is freed after
 * that, once the invalidation completed (R1). So holding the VM lock from
 * the lookup of the leaf to the last access through the pointer keeps the
 * page alive by construction. The pointer never leaves this file.
 */
#ifndef HYP_MM_S2_COPY_H
#define HYP_MM_S2_COPY_H

#include <hyp/types.h>
#include <hyp/addr.h>
#include <hyp/mm/s2.h>

/**
 * s2_copy_from_guest() - copy guest memory into a hypervisor buffer.
 * @vm:  the VM (its stage 2)
 * @ipa: first byte
 * @buf: destination (hypervisor memory)
 * @len: bytes; [@ipa, @ipa + @len) must lie within one 4K page
 *
 * Looks the page up and copies it with the VM lock held throughout. Does
 * not fault anything in: an unmapped page is an error, not a new page.
 * Must not be called with the VM lock held or inside a read section.
 * Return: 0; -E_INVAL if @len is 0 or the range crosses a page; -E_NOENT if
 * nothing is mapped at @ipa.
 */
int s2_copy_from_guest(struct s2_vm *vm, ipaddr_t ipa, void *buf, u64 len);

#endif
