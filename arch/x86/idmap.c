// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor's view of physical memory: boot32.S identity-maps the
 * first IDMAP_GIB GiB with 2 MiB pages (all CPUs share these tables), so a
 * physical address is its own virtual address.
 */
#include <hyp/types.h>
#include <hyp/addr.h>

uintptr_t hyp_phys_virt_offset;		/* 0: identity */
