// SPDX-License-Identifier: GPL-2.0
/*
 * hypdev: /dev/hyp, the hypervisor's stage-2 hypercalls (doc/hypercalls.md)
 * for user space, on the caller's own pages. Built out of tree against the
 * project's minimal kernel (guest-linux/hypdev/Kbuild). Semantics, and what
 * unmapping a page Linux owns means: doc/linux-guests.md.
 *
 * Loading: only where the device tree says the hypervisor is there
 * (/hypervisor, compatible "hyp,stage2-hyp") and the PSCI/SMCCC conduit is
 * HVC; then HC VERSION must answer 0 with interface version 1. Elsewhere (bare
 * QEMU: an HVC at EL1 without EL2 is UNDEFINED) it refuses with -ENODEV
 * before issuing any HVC.
 */
#define pr_fmt(fmt) "hypdev: " fmt

#include <linux/arm-smccc.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <hyp/abi/hypercall.h>	/* the guest ABI: HC_*, HC_ERR(), HC_E_* (Kbuild: -I) */
#include "hypdev.h"

#define HYP_DT_COMPAT	"hyp,stage2-hyp"
#define MAX_PAGES	512	/* per ioctl: 2 MiB */

/* Dirty logging is per VM in the hypervisor: one user at a time here. */
static DEFINE_MUTEX(dirty_lock);
static struct file *dirty_owner;

struct hyp_file {
	struct page *pages;	/* the mmap'able contiguous buffer, or NULL */
	unsigned int order;
};

static int hc_errno(long x0)
{
	switch (x0) {
	case 0: return 0;
	case HC_ERR(HC_E_INVAL): case HC_ERR(HC_E_ALIGN): return -EINVAL;
	case HC_ERR(HC_E_RANGE): return -ERANGE;
	case HC_ERR(HC_E_EXIST): return -EEXIST;
	case HC_ERR(HC_E_NOMEM): return -ENOMEM;
	case HC_ERR(HC_E_NOENT): return -ENOENT;
	case HC_ERR(HC_E_BUSY): return -EBUSY;
	default: return -EIO;
	}
}

static int hc(struct hyp_req *r, unsigned long id, unsigned long a1, unsigned long a2,
	      unsigned long a3)
{
	struct arm_smccc_res res;

	arm_smccc_1_1_hvc(id, a1, a2, a3, &res);
	r->hc_ret[0] = res.a0;
	r->hc_ret[1] = res.a1;
	r->hc_ret[2] = res.a2;
	r->hc_ret[3] = res.a3;
	return hc_errno((long)res.a0);
}

/* Pin the user range [va, va + size): the pages stay where they are (their IPA) until unpinned. */
static int pin(u64 va, u64 size, struct page ***pagesp, int *np)
{
	struct page **pages;
	int n, got;

	if (!size || (va | size) & ~PAGE_MASK || size / PAGE_SIZE > MAX_PAGES ||
	    va + size < va)
		return -EINVAL;
	n = size / PAGE_SIZE;
	pages = kcalloc(n, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	got = pin_user_pages_fast(va, n, FOLL_WRITE | FOLL_LONGTERM, pages);
	if (got != n) {
		if (got > 0)
			unpin_user_pages(pages, got);
		kfree(pages);
		return got < 0 ? got : -EFAULT;
	}
	*pagesp = pages;
	*np = n;
	return 0;
}

static void unpin(struct page **pages, int n)
{
	unpin_user_pages_dirty_lock(pages, n, true);
	kfree(pages);
}

/*
 * Call id(ipa, len, a3) for each run of physically contiguous pages. For
 * MIGRATE, hc_ret[1] is the sum of the pages migrated by every call.
 */
static int per_run(struct hyp_req *r, unsigned long id, struct page **pages, int n,
		   unsigned long a3)
{
	u64 sum = 0;
	int i = 0, ret;

	while (i < n) {
		phys_addr_t start = page_to_phys(pages[i]);
		int j = i + 1;

		while (j < n && page_to_phys(pages[j]) == start + (j - i) * PAGE_SIZE)
			j++;
		ret = hc(r, id, start, (j - i) * PAGE_SIZE, a3);
		if (ret)
			return ret;
		sum += r->hc_ret[1];
		i = j;
	}
	if (id == HC_MIGRATE)
		r->hc_ret[1] = sum;
	return 0;
}

static int do_move(struct hyp_req *r)
{
	struct page **src, **dst;
	int n, m, i, ret;

	ret = pin(r->va, r->size, &src, &n);
	if (ret)
		return ret;
	ret = pin(r->arg, r->size, &dst, &m);
	if (ret)
		goto out_src;
	for (i = 0; i < n && !ret; i++) {
		phys_addr_t s = page_to_phys(src[i]), d = page_to_phys(dst[i]);

		if (s == d) {
			ret = -EINVAL;
			break;
		}
		/* The destination must be empty in stage-2: its old contents go. */
		ret = hc(r, HC_UNMAP, d, PAGE_SIZE, 0);
		if (!ret)
			ret = hc(r, HC_MOVE, s, d, PAGE_SIZE);
	}
	unpin(dst, m);
out_src:
	unpin(src, n);
	return ret;
}

static int do_dirty_start(struct file *f, struct hyp_req *r)
{
	struct page **pages;
	int n, i, ret;

	ret = pin(r->va, r->size, &pages, &n);
	if (ret)
		return ret;
	for (i = 1; i < n; i++)
		if (page_to_phys(pages[i]) != page_to_phys(pages[0]) + i * PAGE_SIZE)
			ret = -EINVAL;	/* not one IPA range: use an mmap of /dev/hyp */
	mutex_lock(&dirty_lock);
	if (!ret && dirty_owner)
		ret = -EBUSY;
	if (!ret)
		ret = hc(r, HC_DIRTY_START, page_to_phys(pages[0]), r->size, 0);
	if (!ret) {
		dirty_owner = f;
	}
	mutex_unlock(&dirty_lock);
	unpin(pages, n);
	return ret;
}

static int do_dirty_stop(struct file *f, struct hyp_req *r)
{
	int ret = -ENOENT;

	mutex_lock(&dirty_lock);
	if (dirty_owner == f) {
		ret = hc(r, HC_DIRTY_STOP, 0, 0, 0);
		dirty_owner = NULL;
	}
	mutex_unlock(&dirty_lock);
	return ret;
}

static long hyp_ioctl(struct file *f, unsigned int cmd, unsigned long uarg)
{
	struct hyp_req r;
	struct page **pages;
	int n, ret;

	switch (cmd) {
	case HYP_IOC_VERSION: case HYP_IOC_MAP: case HYP_IOC_UNMAP: case HYP_IOC_PROTECT:
	case HYP_IOC_MOVE: case HYP_IOC_COUNTER: case HYP_IOC_DIRTY_START:
	case HYP_IOC_DIRTY_STOP: case HYP_IOC_DIRTY_HARVEST: case HYP_IOC_MIGRATE:
		break;
	default:
		return -EINVAL;		/* only the calls above ever reach the hypervisor */
	}
	if (copy_from_user(&r, (void __user *)uarg, sizeof(r)))
		return -EFAULT;
	memset(r.hc_ret, 0, sizeof(r.hc_ret));

	switch (cmd) {
	case HYP_IOC_VERSION:
		ret = hc(&r, HC_VERSION, 0, 0, 0);
		break;
	case HYP_IOC_COUNTER:
		ret = hc(&r, HC_COUNTER, r.arg, 0, 0);
		break;
	case HYP_IOC_MAP:
	case HYP_IOC_UNMAP:
	case HYP_IOC_PROTECT:
		if (cmd == HYP_IOC_PROTECT && (r.arg & ~7ULL || !(r.arg & 1)))
			return -EINVAL;
		ret = pin(r.va, r.size, &pages, &n);
		if (ret)
			return ret;
		ret = per_run(&r, cmd == HYP_IOC_MAP ? HC_MAP : cmd == HYP_IOC_UNMAP ?
			      HC_UNMAP : HC_PROTECT, pages, n, r.arg);
		unpin(pages, n);
		break;
	case HYP_IOC_MIGRATE:
		if (r.size / PAGE_SIZE > HYPDEV_MAX_MMAP_PAGES)
			return -EINVAL;	/* the hypervisor's limit per call */
		ret = pin(r.va, r.size, &pages, &n);
		if (ret)
			return ret;
		ret = per_run(&r, HC_MIGRATE, pages, n, 0);
		unpin(pages, n);
		break;
	case HYP_IOC_MOVE:
		ret = do_move(&r);
		break;
	case HYP_IOC_DIRTY_START:
		ret = do_dirty_start(f, &r);
		break;
	case HYP_IOC_DIRTY_STOP:
		ret = do_dirty_stop(f, &r);
		break;
	case HYP_IOC_DIRTY_HARVEST:
		mutex_lock(&dirty_lock);
		ret = dirty_owner == f ? hc(&r, HC_DIRTY_HARVEST, 0, 0, 0) : -ENOENT;
		mutex_unlock(&dirty_lock);
		break;
	default:
		return -EINVAL;
	}
	if (copy_to_user((void __user *)uarg, &r, sizeof(r)))
		return -EFAULT;
	return ret;
}

static int hyp_open(struct inode *inode, struct file *f)
{
	f->private_data = kzalloc(sizeof(struct hyp_file), GFP_KERNEL);
	return f->private_data ? 0 : -ENOMEM;
}

static int hyp_release(struct inode *inode, struct file *f)
{
	struct hyp_file *hf = f->private_data;
	struct hyp_req r;

	do_dirty_stop(f, &r);
	if (hf->pages) {
		/* split_page() made them order-0 pages: free each (the mapping held its own refs). */
		unsigned int i;

		for (i = 0; i < (1U << hf->order); i++)
			__free_page(hf->pages + i);
	}
	kfree(hf);
	return 0;
}

/*
 * One physically contiguous buffer per open file (at most 64 pages, a power
 * of two), mapped into the caller: a range that DIRTY_START can log.
 */
static int hyp_mmap(struct file *f, struct vm_area_struct *vma)
{
	struct hyp_file *hf = f->private_data;
	unsigned long n = vma_pages(vma), i;
	unsigned int order;
	int ret;

	if (vma->vm_pgoff || n > HYPDEV_MAX_MMAP_PAGES || !is_power_of_2(n) ||
	    !(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	order = ilog2(n);
	if (hf->pages)
		return -EBUSY;
	hf->pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, order);
	if (!hf->pages)
		return -ENOMEM;
	hf->order = order;
	split_page(hf->pages, order);
	for (i = 0; i < n; i++) {
		ret = vm_insert_page(vma, vma->vm_start + i * PAGE_SIZE, hf->pages + i);
		if (ret)
			return ret;	/* pages freed at release */
	}
	return 0;
}

static const struct file_operations hyp_fops = {
	.owner = THIS_MODULE,
	.open = hyp_open,
	.release = hyp_release,
	.unlocked_ioctl = hyp_ioctl,
	.mmap = hyp_mmap,
};

static struct miscdevice hyp_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "hyp",
	.fops = &hyp_fops,
	.mode = 0600,
};

static int __init hypdev_init(void)
{
	struct device_node *np = of_find_compatible_node(NULL, NULL, HYP_DT_COMPAT);
	struct hyp_req r;
	int ret;

	if (!np) {
		pr_info("no hypervisor: no \"%s\" node in the device tree; not loading\n",
			HYP_DT_COMPAT);
		return -ENODEV;
	}
	of_node_put(np);
	if (arm_smccc_1_1_get_conduit() != SMCCC_CONDUIT_HVC) {
		pr_info("no hypervisor: SMCCC conduit is not HVC; not loading\n");
		return -ENODEV;
	}
	ret = hc(&r, HC_VERSION, 0, 0, 0);
	if (ret || r.hc_ret[1] != 1) {
		pr_info("no hypervisor: HC VERSION returned x0=%lld x1=%llu; not loading\n",
			(long long)r.hc_ret[0], r.hc_ret[1]);
		return -ENODEV;
	}
	ret = misc_register(&hyp_misc);
	if (ret)
		return ret;
	/* x2[63:32], x3[63:32]: flags and incarnation (doc/hypercalls.md) */
	pr_info("/dev/hyp ready: hypervisor interface %llu, vm%u of %u%s\n",
		r.hc_ret[1], (u32)r.hc_ret[2], (u32)r.hc_ret[3],
		r.hc_ret[2] >> 32 & 1 ? " (memory churned by the hypervisor)" : "");
	return 0;
}

static void __exit hypdev_exit(void)
{
	misc_deregister(&hyp_misc);
}

module_init(hypdev_init);
module_exit(hypdev_exit);
MODULE_DESCRIPTION("/dev/hyp: stage-2 hypercalls on the caller's own pages");
MODULE_LICENSE("GPL");
