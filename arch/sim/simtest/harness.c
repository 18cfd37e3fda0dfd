// SPDX-License-Identifier: GPL-2.0
/* Driving hyp/mm from simulated CPUs; see harness.h. */
#include "harness.h"
#include <hyp/palloc.h>
#include <hyp/string.h>
#include <stdio.h>

struct s2_format h_fmt;
struct sim_fmt h_simfmt;

/* ---- the format, as the hardware model sees it ------------------------------ */

static void mm_decode(const void *priv, u64 desc, int level, struct sim_desc *out)
{
	struct s2_desc_info i;
	enum s2_desc_type t = s2_desc_decode(priv, desc, level, &i);

	out->kind = SIM_DESC_INVALID;
	out->r = out->w = false;
	if (t == S2_DESC_BAD)
		sim_violation("FORMAT", 0, ~0ULL, 0,
			      "hardware walker read a reserved encoding %#llx at level %d",
			      desc, level);
	if (t == S2_DESC_TABLE) {
		out->kind = SIM_DESC_TABLE;
		out->pa = pa_addr(i.pa);
	} else if (t == S2_DESC_LEAF) {
		out->kind = SIM_DESC_LEAF;
		out->pa = pa_addr(i.pa);
		out->r = i.prot & S2_PROT_R;
		out->w = i.prot & S2_PROT_W;
	}
}

void h_setup(struct sim_config *cfg, enum sim_flavour fl, unsigned int ncpus, u64 seed)
{
	cfg->flavour = fl;
	cfg->ncpus = ncpus;
	if (!cfg->mem_size)
		cfg->mem_size = 96ULL << 20;
	if (fl == SIM_ARM64) {
		if (seed & 1)
			s2_format_arm64(&h_fmt, 40, 3);	/* start level 1, 2 concatenated roots */
		else
			s2_format_arm64(&h_fmt, 48, 4);
	} else {
		if (seed & 1)
			s2_format_ept(&h_fmt, false, true);
		else
			s2_format_npt(&h_fmt, true);
	}
	h_simfmt = (struct sim_fmt){
		.name = h_fmt.name, .start_level = h_fmt.start_level,
		.last_level = S2_LAST_LEVEL, .ipa_bits = h_fmt.ia_bits,
		.root_order = h_fmt.root_order, .decode = mm_decode, .priv = &h_fmt,
	};
	cfg->fmt = &h_simfmt;
	if (!cfg->spec_window)
		cfg->spec_window = 8ULL << 20;
}

void h_init(unsigned int vmid_bits)
{
	s2_vmid_init(vmid_bits);
}

/* ---- guest memory ------------------------------------------------------------- */

#define H_MAX_BLOCKS	128

static struct { u64 pa; u32 left; } blocks[H_MAX_BLOCKS];

static void h_put_page(void *arg, paddr_t pa, u64 size)
{
	(void)arg;
	/* An extent may merge separately allocated pages: release page by page. */
	for (u64 p = pa_addr(pa); p < pa_addr(pa) + size; p += PAGE_SIZE) {
		bool in_block = false;

		for (unsigned int i = 0; i < H_MAX_BLOCKS; i++) {
			if (blocks[i].left && p >= blocks[i].pa && p < blocks[i].pa + SZ_2M) {
				in_block = true;
				if (--blocks[i].left == 0)
					palloc_free(pa_init(blocks[i].pa), 9);
				break;
			}
		}
		if (!in_block)
			palloc_free(pa_init(p), 0);
	}
}

static int h_fault_backing(void *arg, struct s2_vm *vm, ipaddr_t ipa, paddr_t *pa,
			   unsigned int *prot)
{
	struct hvm *h = arg;

	(void)vm;
	if (h->backing != H_BACK_ALLOC || ipa_addr(ipa) >= h->window)
		return -E_NOENT;
	if (!palloc_alloc(0, pa))
		return -E_NOMEM;
	*prot = S2_PROT_R | S2_PROT_W;
	return 0;
}

int h_vm_create(struct hvm *h, unsigned int handle, u64 window, enum h_backing b,
		u32 rmap_entries)
{
	struct s2_vm_config cfg = {
		.fmt = &h_fmt, .ipa_size = 0, .ops = &h->ops, .rmap_entries = rmap_entries,
	};
	int ret;

	memset(&h->ops, 0, sizeof(h->ops));
	h->ops.put_page = h_put_page;
	h->ops.fault_backing = h_fault_backing;
	h->ops.arg = h;
	h->handle = handle;
	h->window = window;
	h->backing = b;
	ret = s2_vm_init(&h->vm, &cfg);
	if (ret)
		return ret;
	h->alive = true;
	h->root = pa_addr(h->vm.root);
	sim_vm_register(handle, window);
	return 0;
}

int h_map_owned(struct hvm *h, u64 ipa, u64 size, unsigned int prot, bool blk,
		unsigned int flags)
{
	int ret = 0;

	for (u64 off = 0; off < size && !ret;) {
		paddr_t pa;

		if (blk && IS_ALIGNED(ipa + off, SZ_2M) && size - off >= SZ_2M) {
			unsigned int i;

			for (i = 0; i < H_MAX_BLOCKS && blocks[i].left; i++)
				;
			if (i < H_MAX_BLOCKS && palloc_alloc(9, &pa)) {
				blocks[i].pa = pa_addr(pa);
				blocks[i].left = 512;
				ret = s2_map(&h->vm, ipa_init(ipa + off), pa, SZ_2M, prot,
					     flags | S2_MAP_OWNED);
				if (ret) {
					blocks[i].left = 0;
					palloc_free(pa, 9);
				}
				off += SZ_2M;
				continue;
			}
		}
		if (!palloc_alloc(0, &pa))
			return -E_NOMEM;
		ret = s2_map(&h->vm, ipa_init(ipa + off), pa, PAGE_SIZE, prot,
			     flags | S2_MAP_OWNED | (blk ? 0 : S2_MAP_PAGES));
		if (ret)
			palloc_free(pa, 0);
		off += PAGE_SIZE;
	}
	return ret;
}

static u32 h_vmid(struct hvm *h)
{
	return s2_vmid_of(h->vm.vmid);
}

/* ---- operations in flight: when is a return check exact? ---------------------- */

enum h_kind { K_UNMAP, K_PROTECT, K_MOVE, K_RECLAIM, K_HARVEST, K_SPLIT, K_COLLAPSE, K_OTHER };

#define H_INFLIGHT	32

static struct {
	bool used;
	int cpu;
	struct hvm *h;
	u64 lo, hi;
	enum h_kind kind;
} inflight[H_INFLIGHT];

static int op_begin(struct hvm *h, enum h_kind kind, u64 lo, u64 hi)
{
	for (int i = 0; i < H_INFLIGHT; i++) {
		if (!inflight[i].used) {
			inflight[i].used = true;
			inflight[i].cpu = (int)arch_cpu_id();
			inflight[i].h = h;
			inflight[i].lo = lo;
			inflight[i].hi = hi;
			inflight[i].kind = kind;
			return i;
		}
	}
	return -1;
}

/*
 * The check at return is exact unless another operation that changes
 * entries of the same range is in flight (it may legitimately hold cleared
 * but not yet invalidated entries). Two unmaps are the exception: R2 says
 * the one that returns must have flushed conservatively; that needs no
 * concurrent re-mapping (backing NONE).
 */
static bool op_checkable(int slot)
{
	if (slot < 0)
		return false;
	for (int i = 0; i < H_INFLIGHT; i++) {
		if (i == slot || !inflight[i].used || inflight[i].h != inflight[slot].h)
			continue;
		if (inflight[i].lo >= inflight[slot].hi || inflight[slot].lo >= inflight[i].hi)
			continue;
		if (inflight[i].kind == K_UNMAP && inflight[slot].kind == K_UNMAP &&
		    inflight[slot].h->backing == H_BACK_NONE)
			continue;
		return false;
	}
	return true;
}

static void op_end(int slot)
{
	if (slot >= 0)
		inflight[slot].used = false;
}

static void check_gone(struct hvm *h, const char *op, u64 ipa, u64 size, int slot)
{
	struct arch_s2_tlb_ctx ctx = s2_vm_tlb_ctx(&h->vm);

	if (op_checkable(slot))
		sim_check_range(op, ctx.vmid, h->vm.root, ipa_init(ipa), size,
				SIM_CHECK_COHERENT);
}

int h_unmap(struct hvm *h, u64 ipa, u64 size)
{
	int slot = op_begin(h, K_UNMAP, ipa, ipa + size), ret;

	sim_op_begin("unmap", h_vmid(h), ipa, size);
	ret = s2_unmap(&h->vm, ipa_init(ipa), size);
	sim_no_sched++;
	sim_op_end("unmap", h_vmid(h), ipa, size, ret);
	if (!ret)
		check_gone(h, "unmap", ipa, size, slot);
	op_end(slot);
	sim_no_sched--;
	return ret;
}

int h_unmap_gather(struct hvm *h, const u64 *ipas, const u64 *sizes, unsigned int n)
{
	u64 lo = ~0ULL, hi = 0;
	struct s2_gather g;
	int slot, ret = 0;

	for (unsigned int i = 0; i < n; i++) {
		lo = MIN(lo, ipas[i]);
		hi = MAX(hi, ipas[i] + sizes[i]);
	}
	slot = op_begin(h, K_UNMAP, lo, hi);
	sim_op_begin("unmap-gather", h_vmid(h), lo, hi - lo);
	s2_gather_begin(&g, &h->vm);
	for (unsigned int i = 0; i < n; i++)
		ret |= s2_unmap_gather(&g, ipa_init(ipas[i]), sizes[i]);
	s2_gather_finish(&g);
	sim_no_sched++;
	sim_op_end("unmap-gather", h_vmid(h), lo, hi - lo, ret);
	for (unsigned int i = 0; i < n && !ret; i++)
		check_gone(h, "unmap-gather", ipas[i], sizes[i], slot);
	op_end(slot);
	sim_no_sched--;
	return ret;
}

int h_protect(struct hvm *h, u64 ipa, u64 size, unsigned int prot)
{
	int slot = op_begin(h, K_PROTECT, ipa, ipa + size), ret;

	sim_op_begin((prot & S2_PROT_W) ? "protect-rw" : "protect-ro", h_vmid(h), ipa, size);
	ret = s2_protect(&h->vm, ipa_init(ipa), size, prot);
	sim_no_sched++;
	sim_op_end("protect", h_vmid(h), ipa, size, ret);
	if (!ret && !(prot & S2_PROT_W))
		check_gone(h, "protect-ro", ipa, size, slot);
	op_end(slot);
	sim_no_sched--;
	return ret;
}

int h_move(struct hvm *h, u64 src, u64 dst, u64 size)
{
	int slot = op_begin(h, K_MOVE, MIN(src, dst), MAX(src, dst) + size), ret;

	sim_op_begin("move", h_vmid(h), src, size);
	ret = s2_move(&h->vm, ipa_init(src), ipa_init(dst), size);
	sim_no_sched++;
	sim_op_end("move", h_vmid(h), dst, size, ret);
	if (!ret)	/* R5: the old range is gone when move returns */
		check_gone(h, "move (old range)", src, size, slot);
	op_end(slot);
	sim_no_sched--;
	return ret;
}

int h_reclaim_page(struct hvm *h, u64 pa)
{
	int slot, ret;

	slot = op_begin(h, K_RECLAIM, 0, h->window * 4);
	sim_op_begin("reclaim-page", h_vmid(h), pa, 0);
	ret = s2_reclaim_page(&h->vm, pa_init(pa));
	sim_op_end("reclaim-page", h_vmid(h), pa, 0, ret);
	op_end(slot);
	return ret;
}

int h_reclaim_tables(struct hvm *h, u64 ipa, u64 size)
{
	int ret;

	sim_op_begin("reclaim-tables", h_vmid(h), ipa, size);
	ret = s2_reclaim_tables(&h->vm, ipa_init(ipa), size);
	sim_op_end("reclaim-tables", h_vmid(h), ipa, size, ret);
	return ret;
}

int h_split(struct hvm *h, u64 ipa)
{
	int slot = op_begin(h, K_SPLIT, ipa & ~(SZ_1G - 1), (ipa & ~(SZ_1G - 1)) + SZ_1G), ret;

	sim_op_begin("split", h_vmid(h), ipa, PAGE_SIZE);
	ret = s2_split(&h->vm, ipa_init(ipa));
	sim_op_end("split", h_vmid(h), ipa, PAGE_SIZE, ret);
	op_end(slot);
	return ret;
}

int h_collapse(struct hvm *h, u64 ipa, int level)
{
	u64 sz = s2_level_size(level), base = ipa & ~(sz - 1);
	int slot = op_begin(h, K_COLLAPSE, base, base + sz), ret;

	sim_op_begin("collapse", h_vmid(h), base, sz);
	ret = s2_collapse(&h->vm, ipa_init(ipa), level);
	sim_op_end("collapse", h_vmid(h), base, sz, ret);
	op_end(slot);
	return ret;
}

int h_harvest(struct hvm *h, u64 base)
{
	/* one buffer per simulated CPU: harvests run concurrently */
	static u64 bitbuf[HYP_MAX_CPUS][(64ULL << 20) / PAGE_SIZE / 64];
	u64 *bits = bitbuf[arch_cpu_id()];
	u64 nbits = h->window >> PAGE_SHIFT;
	int slot = op_begin(h, K_HARVEST, base, base + h->window), ret;

	if (nbits > sizeof(bitbuf[0]) * 8)
		nbits = sizeof(bitbuf[0]) * 8;
	sim_op_begin("harvest", h_vmid(h), base, h->window);
	ret = s2_dirty_log_harvest(&h->vm, bits, nbits);
	sim_no_sched++;
	sim_op_end("harvest", h_vmid(h), base, h->window, ret);
	if (ret >= 0) {
		/* R4: what the harvest reported is covered from now on */
		for (u64 i = 0; i < nbits; i++)
			if ((bits[i / 64] >> (i % 64)) & 1)
				sim_dirty_reported(h->handle, ipa_init(base + (i << PAGE_SHIFT)));
		check_gone(h, "harvest (write-protect)", base, h->window, slot);
	}
	op_end(slot);
	sim_no_sched--;
	return ret;
}

int h_destroy(struct hvm *h)
{
	int ret;

	sim_op_begin("destroy", h_vmid(h), 0, 0);
	ret = s2_vm_destroy(&h->vm);
	sim_op_end("destroy", h_vmid(h), 0, 0, ret);
	if (!ret)
		h->alive = false;
	return ret;
}

/* ---- vCPUs -------------------------------------------------------------------- */

enum sim_access h_access(struct hvm *h, u64 ipa, bool write)
{
	u64 v = (sim_step() << 8) | arch_cpu_id();
	enum sim_access r = SIM_ACC_OK;

	for (int tries = 0; tries < 4; tries++) {
		r = sim_guest_access(h->handle, ipa_init(ipa), write, &v);
		if (r == SIM_ACC_OK || r == SIM_ACC_NOCTX)
			return r;
		sim_op_begin("fault", h_vmid(h), ipa, PAGE_SIZE);
		int ret = s2_handle_fault(&h->vm, ipa_init(ipa), write, false);

		sim_op_end("fault", h_vmid(h), ipa, PAGE_SIZE, ret);
		if (ret && ret != -E_AGAIN && ret != -E_EXIST)
			return r;
	}
	return r;
}

void h_vcpu_run(struct h_vcpu *v)
{
	struct hvm *h = v->h;
	bool in = false;

	for (unsigned int i = 0; i < v->n; i++) {
		if (v->stop && *v->stop)
			break;
		if (!in && i && v->busy == NULL && v->reenter_pct && s2_vm_exit_requested(&h->vm))
			break;
		if (in && s2_vm_exit_requested(&h->vm)) {
			s2_vm_exit(&h->vm);
			in = false;
			break;
		}
		if (!in) {
			int r = s2_vm_enter(&h->vm);

			if (v->busy) {
				(*v->busy)--;
				v->busy = NULL;
				if (r)
					break;
			}
			if (r == -E_BUSY)
				break;
			if (r) {
				sim_yield();
				continue;
			}
			in = true;
		}
		u64 span = (v->hi - v->lo) >> PAGE_SHIFT;
		u64 ipa = v->lo + (sim_rand_below(span) << PAGE_SHIFT) + (sim_rand_below(512) << 3);

		h_access(h, ipa, sim_rand_below(100) < v->write_pct);
		if (v->reenter_pct && sim_rand_below(100) < v->reenter_pct) {
			s2_vm_exit(&h->vm);
			in = false;
		}
	}
	/* A lazily switched CPU: still loaded, still speculating. */
	for (unsigned int i = 0; in && i < v->lazy; i++) {
		if (s2_vm_exit_requested(&h->vm))
			break;
		sim_yield();
	}
	if (in)
		s2_vm_exit(&h->vm);
	if (v->busy)
		(*v->busy)--;
}

u64 h_random_mapped_pa(struct hvm *h, u64 lo, u64 hi)
{
	for (int tries = 0; tries < 16; tries++) {
		struct s2_desc_info out;
		u64 ipa = lo + (sim_rand_below((hi - lo) >> PAGE_SHIFT) << PAGE_SHIFT);

		sim_no_sched++;
		s2_gp_read_lock();
		enum s2_desc_type t = s2_lookup(&h_fmt, h->vm.root, ipa, &out, NULL);

		s2_gp_read_unlock();
		sim_no_sched--;
		if (t == S2_DESC_LEAF)
			return pa_addr(out.pa) + ((ipa & (out.size - 1)) & ~(PAGE_SIZE - 1));
	}
	return 0;
}
