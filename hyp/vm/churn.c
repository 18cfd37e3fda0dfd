// SPDX-License-Identifier: GPL-2.0
/*
 * Churn (doc/churn.md): rearrange a running VM's memory from a CPU of its
 * own, through hyp/mm only. Every operation keeps the guest's view intact
 * (same contents at the same IPA), so a guest that verifies its memory sees
 * nothing, unless an ordering rule is broken: then it reads a stale or a
 * poisoned page, or loses a write.
 *
 * One operation per call, chosen at random among the enabled ones; the VM
 * is pinned (vm_get()) for the duration of the operation only, so a VM that
 * powers off is destroyed by whoever leaves last (a vCPU or the churn CPU).
 */
#include <hyp/console.h>
#include <hyp/fdt.h>
#include <hyp/palloc.h>
#include <hyp/percpu.h>
#include <hyp/string.h>
#include <hyp/mm/s2.h>
#include <hyp/mm/s2_dirty.h>
#include <hyp/mm/s2_move.h>
#include <hyp/mm/s2_migrate.h>
#include <hyp/vm/vm.h>
#include <hyp/vm/churn.h>

#define CHURN_REPORT_NS		(5ULL * 1000 * 1000 * 1000)
#define CHURN_DIRTY_PAGES	64
#define CHURN_MAX_PERIOD_US	1000000

static struct vm *churn_on[HYP_MAX_CPUS];

const char *vm_churn_parse(const struct fdt *f, int node, struct vm *vm, u64 used_cpus)
{
	struct vm_churn *c = &vm->churn;
	const u8 *p;
	u32 len, cpu;

	memset(c, 0, sizeof(*c));
	p = fdt_prop(f, node, "churn-cpu", &len);
	if (!p)
		return NULL;
	if (len != 4)
		return "\"churn-cpu\" must be one CPU number";
	cpu = fdt32_ld(p);
	if (cpu >= HYP_MAX_CPUS || cpu >= nr_cpus_possible)
		return "\"churn-cpu\" does not exist";
	if (used_cpus & BIT(cpu))
		return "\"churn-cpu\" is given twice (a vCPU or another VM's churn uses it)";
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i].pcpu == cpu)
			return "\"churn-cpu\" runs one of the VM's own vCPUs";
	c->ops = CHURN_OPS_ALL;
	p = fdt_prop(f, node, "churn-ops", &len);
	if (p) {
		if (len != 4 || !fdt32_ld(p) || (fdt32_ld(p) & ~CHURN_OPS_ALL))
			return "\"churn-ops\" must be a non-zero mask of 0x3f";
		c->ops = fdt32_ld(p);
	}
	c->period_us = 500;
	p = fdt_prop(f, node, "churn-period-us", &len);
	if (p) {
		if (len != 4 || fdt32_ld(p) > CHURN_MAX_PERIOD_US)
			return "\"churn-period-us\" must be 0..1000000";
		c->period_us = fdt32_ld(p);
	}
	c->cpu = cpu;
	c->on = true;
	return NULL;
}

void vm_churn_start(struct vm *vm)
{
	struct vm_churn *c = &vm->churn;

	if (!c->on)
		return;
	c->rnd = 0x9e3779b97f4a7c15ULL ^ arch_counter_ns() ^ vm->id;
	c->last_report_ns = arch_counter_ns();
	pr_info("vm%u (%s): churn on cpu%u, ops %#x, every %u us\n", vm->id, vm->name,
		c->cpu, c->ops, c->period_us);
	atomic_store_release(&churn_on[c->cpu], vm);
}

static u64 rnd(struct vm_churn *c)
{
	/* xorshift64 */
	c->rnd ^= c->rnd << 13;
	c->rnd ^= c->rnd >> 7;
	c->rnd ^= c->rnd << 17;
	return c->rnd;
}

static u64 rnd_below(struct vm_churn *c, u64 n)
{
	return n ? rnd(c) % n : 0;
}

/* Size of the leaf mapping @ipa, 0 if none. */
static u64 mapped_size(struct vm *vm, u64 ipa)
{
	struct s2_desc_info d;

	return s2_fault_walk(&vm->s2, ipa_init(ipa), &d) == S2_DESC_LEAF ? d.size : 0;
}

/* A random page (or 2 MiB chunk) of the VM's RAM. */
static u64 rnd_ipa(struct vm *vm, u64 align)
{
	return ipa_addr(vm->ram_base) + rnd_below(&vm->churn, vm->ram_size / align) * align;
}

static int op_migrate(struct vm *vm)
{
	u64 ipa = rnd_ipa(vm, PAGE_SIZE);
	paddr_t pa;
	int r;

	/* Mostly touched memory: look a little way for a mapped page. */
	for (int i = 0; i < 64 && !mapped_size(vm, ipa); i++)
		ipa = rnd_ipa(vm, PAGE_SIZE);
	/*
	 * Block-backed RAM: s2_migrate() moves pages, not blocks (-E_BUSY), so
	 * the block around the page is split first, down to 4 KiB (doc/churn.md).
	 */
	for (u64 sz; (sz = mapped_size(vm, ipa)) > PAGE_SIZE;) {
		r = s2_split(&vm->s2, ipa_init(ALIGN_DOWN(ipa, sz)));
		if (r)
			return r;
	}
	if (!vm_mem_alloc(vm, 0, &pa))
		return -E_NOMEM;
	r = s2_migrate(&vm->s2, ipa_init(ipa), pa);
	if (r)
		vm_mem_free(vm, pa, 0);
	else
		vm->churn.pages_migrated++;
	return r;
}

/* Find a 2 MiB chunk mapped entirely by 4K pages. */
static int full_chunk(struct vm *vm, u64 *chunk)
{
	for (int tries = 0; tries < 16; tries++) {
		u64 c = rnd_ipa(vm, SZ_2M), a;

		for (a = c; a < c + SZ_2M && mapped_size(vm, a) == PAGE_SIZE; a += PAGE_SIZE)
			;
		if (a == c + SZ_2M) {
			*chunk = c;
			return 0;
		}
	}
	return -E_NOENT;
}

/* Migrate a fully populated chunk into one physically contiguous run, then collapse. */
static int op_compact(struct vm *vm)
{
	paddr_t run;
	u64 chunk, done = 0;
	int r;

	r = full_chunk(vm, &chunk);
	if (r)
		return r;
	if (!vm_mem_alloc(vm, 9, &run))
		return -E_NOMEM;
	palloc_split(run, 9);	/* the VM owns (and frees) its pages one by one */
	for (u64 off = 0; off < SZ_2M; off += PAGE_SIZE) {
		paddr_t pa = pa_add(run, off);

		if (s2_migrate(&vm->s2, ipa_init(chunk + off), pa)) {
			vm_mem_free(vm, pa, 0);	/* unmapped meanwhile (guest hypercall): keep going */
			continue;
		}
		done++;
	}
	vm->churn.pages_migrated += done;
	if (done != SZ_2M / PAGE_SIZE)
		return -E_BUSY;
	return s2_collapse(&vm->s2, ipa_init(chunk), 2);
}

static int op_split(struct vm *vm)
{
	for (int tries = 0; tries < 32; tries++) {
		u64 c = rnd_ipa(vm, SZ_2M);
		struct s2_desc_info d;

		if (s2_fault_walk(&vm->s2, ipa_init(c), &d) == S2_DESC_LEAF && d.size == SZ_2M)
			return s2_split(&vm->s2, ipa_init(c));
	}
	return -E_NOENT;
}

static int op_dirty(struct vm *vm)
{
	u64 base = ALIGN_DOWN(rnd_ipa(vm, PAGE_SIZE), CHURN_DIRTY_PAGES * PAGE_SIZE);
	u64 bits[CHURN_DIRTY_PAGES / 64];
	int r;

	r = s2_dirty_log_start(&vm->s2, ipa_init(base), CHURN_DIRTY_PAGES * PAGE_SIZE);
	if (r)
		return r;	/* -E_EXIST: the guest logs itself (HC_DIRTY_START) */
	for (int i = 0; i < 4; i++) {
		u64 t0 = arch_counter_ns();

		while (arch_counter_ns() - t0 < 200000)
			arch_cpu_relax();
		r = s2_dirty_log_harvest(&vm->s2, bits, CHURN_DIRTY_PAGES);
		if (r < 0)
			break;
	}
	s2_dirty_log_stop(&vm->s2);
	return r < 0 ? r : 0;
}

/*
 * Move a 2 MiB chunk to a scratch IPA outside the guest's RAM and back. The
 * chunk is absent meanwhile: an open gather makes the guest's faults there
 * retry (s2_handle_fault() returns -E_AGAIN while a gather is in flight)
 * instead of populating a fresh page, so the guest sees its own data again.
 */
void vm_churn_hc_enter(struct vm *vm)
{
	struct vm_churn *c = &vm->churn;

	if (!c->on)
		return;
	for (;;) {
		while (atomic_load_acquire(&c->excl))
			arch_cpu_relax();
		atomic_fetch_add(&c->inflight, 1U);
		if (!atomic_load_acquire(&c->excl))
			return;
		atomic_fetch_sub(&c->inflight, 1U);	/* churn got there first: let it */
	}
}

void vm_churn_hc_exit(struct vm *vm)
{
	if (vm->churn.on)
		atomic_fetch_sub(&vm->churn.inflight, 1U);
}

static void excl_begin(struct vm_churn *c)
{
	atomic_store_release(&c->excl, 1U);
	arch_smp_mb();	/* excl visible before inflight is read (Dekker with hc_enter) */
	while (atomic_load_acquire(&c->inflight))
		arch_cpu_relax();
}

static void excl_end(struct vm_churn *c)
{
	atomic_store_release(&c->excl, 0U);
}

static int op_move(struct vm *vm)
{
	u64 chunk = rnd_ipa(vm, SZ_2M);
	u64 scratch = ALIGN_UP(ipa_addr(vm->ram_base) + vm->ram_size, SZ_1G) + SZ_1G;
	int r, back;

	excl_begin(&vm->churn);
	s2_fault_hold_begin(&vm->s2, ipa_init(chunk), SZ_2M);
	r = s2_move(&vm->s2, ipa_init(chunk), ipa_init(scratch), SZ_2M);
	back = r ? 0 : s2_move(&vm->s2, ipa_init(scratch), ipa_init(chunk), SZ_2M);
	s2_fault_hold_end(&vm->s2);
	excl_end(&vm->churn);
	if (back) {
		/* Cannot happen (the chunk's slot was just emptied): say so loudly. */
		pr_err("vm%u (%s): churn: move back of %#llx failed: %s\n", vm->id, vm->name,
		       chunk, err_str(back));
		return back;
	}
	return r;
}

static int churn_one(struct vm *vm, unsigned int op)
{
	switch (op) {
	case 0: return op_migrate(vm);
	case 1: return op_compact(vm);
	case 2: return op_split(vm);
	case 3: return s2_reclaim_tables(&vm->s2, vm->ram_base, vm->ram_size);
	case 4: return op_dirty(vm);
	default: return op_move(vm);
	}
}

void vm_churn_report(struct vm *vm, const char *when)
{
	struct vm_churn *c = &vm->churn;

	if (!c->on)
		return;
	pr_info("vm%u (%s): churn %s: %llu pages migrated; migrate %llu/%llu compact %llu/%llu "
		"split %llu/%llu reclaim %llu/%llu dirty %llu/%llu move %llu/%llu\n",
		vm->id, vm->name, when, c->pages_migrated,
		c->done[0], c->tried[0], c->done[1], c->tried[1], c->done[2], c->tried[2],
		c->done[3], c->tried[3], c->done[4], c->tried[4], c->done[5], c->tried[5]);
}

bool vm_churn_cpu(unsigned int cpu)
{
	struct vm *vm = atomic_load_acquire(&churn_on[cpu]);
	struct vm_churn *c;
	unsigned int op;
	u64 t0;

	if (!vm)
		return false;
	if (!vm_get(vm)) {
		arch_cpu_relax();
		return true;
	}
	c = &vm->churn;
	do {
		op = (unsigned int)rnd_below(c, CHURN_NR_OPS * 4);
	} while (!(c->ops & BIT(op % CHURN_NR_OPS)));
	/* Migration is the common case; the rest one time in four. */
	op = op < CHURN_NR_OPS * 3 && (c->ops & CHURN_OP_MIGRATE) ? 0 : op % CHURN_NR_OPS;
	c->tried[op]++;
	if (!churn_one(vm, op))
		c->done[op]++;
	t0 = arch_counter_ns();
	if (t0 - c->last_report_ns > CHURN_REPORT_NS) {
		c->last_report_ns = t0;
		vm_churn_report(vm, "so far");
	}
	vm_put(vm);
	while (arch_counter_ns() - t0 < (u64)c->period_us * 1000)
		arch_cpu_relax();
	return true;
}
