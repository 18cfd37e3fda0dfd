/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * /dev/hyp: the hypervisor's stage-2 hypercalls (doc/hypercalls.md) for the
 * caller's own pages. Shared by the driver (hypdev.ko) and its users
 * (guest-linux/hyptest.c). Semantics: doc/linux-guests.md.
 *
 * Every address is a user virtual address of the calling process, page
 * aligned; sizes are multiples of 4 KiB. The driver pins the pages, turns
 * each into its guest physical address (IPA) and issues the hypercall on it
 * (per run of physically contiguous pages). Hypercall errors come back as
 * errno: E_INVAL -> EINVAL, E_ALIGN -> EINVAL, E_RANGE -> ERANGE,
 * E_EXIST -> EEXIST, E_NOMEM -> ENOMEM, E_NOENT -> ENOENT, E_BUSY -> EBUSY,
 * anything else -> EIO; the raw x0 is in hc_ret[0].
 */
#ifndef HYPDEV_H
#define HYPDEV_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define HYPDEV_MAX_MMAP_PAGES	64	/* one dirty-logging range: 256 KiB */

struct hyp_req {
	__u64 va;		/* user VA (page aligned) */
	__u64 size;		/* bytes, multiple of 4096, > 0 */
	__u64 arg;		/* PROTECT: prot (R=1 W=2 X=4); MOVE: destination VA; COUNTER: index */
	__u64 hc_ret[4];	/* out: x0..x3 of the last hypercall */
};

#define HYP_IOC_MAGIC	'h'
/* hc_ret[1] = interface version, [2] = this VM's number, [3] = number of VMs */
#define HYP_IOC_VERSION		_IOWR(HYP_IOC_MAGIC, 0, struct hyp_req)
/* MAP: fresh zeroed pages at the range's IPAs (EEXIST if any is mapped) */
#define HYP_IOC_MAP		_IOWR(HYP_IOC_MAGIC, 1, struct hyp_req)
/* UNMAP: the range's IPAs unmapped; the next access demand-populates a zeroed page */
#define HYP_IOC_UNMAP		_IOWR(HYP_IOC_MAGIC, 2, struct hyp_req)
/* PROTECT: stage-2 permissions of the range = arg */
#define HYP_IOC_PROTECT		_IOWR(HYP_IOC_MAGIC, 3, struct hyp_req)
/*
 * MOVE: page i of [va, va+size) moves to page i of [arg, arg+size): the
 * destination pages' IPAs are unmapped first, then the source mappings move
 * there (contents follow); the source IPAs are left empty (zeroed on next use).
 */
#define HYP_IOC_MOVE		_IOWR(HYP_IOC_MAGIC, 4, struct hyp_req)
/* COUNTER: hc_ret[1] = stage-2 counter number arg of this VM */
#define HYP_IOC_COUNTER		_IOWR(HYP_IOC_MAGIC, 6, struct hyp_req)
/* DIRTY_START: range must be physically contiguous (an mmap of /dev/hyp is), <= 64 pages */
#define HYP_IOC_DIRTY_START	_IOWR(HYP_IOC_MAGIC, 7, struct hyp_req)
#define HYP_IOC_DIRTY_STOP	_IOWR(HYP_IOC_MAGIC, 8, struct hyp_req)
/* DIRTY_HARVEST: hc_ret[1] = bitmap, bit i = page i of the DIRTY_START range; hc_ret[2] = bits */
#define HYP_IOC_DIRTY_HARVEST	_IOWR(HYP_IOC_MAGIC, 9, struct hyp_req)
/*
 * MIGRATE: every page of the range moves to a new host page, contents kept
 * (the guest sees no change); at most 64 pages. hc_ret[1] = pages migrated
 * (summed over the runs; pages inside a stage-2 block are skipped).
 */
#define HYP_IOC_MIGRATE		_IOWR(HYP_IOC_MAGIC, 11, struct hyp_req)

#endif /* HYPDEV_H */
