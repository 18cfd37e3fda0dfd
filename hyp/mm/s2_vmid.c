// SPDX-License-Identifier: GPL-2.0
/*
 * VMID allocator with generations (R7): the arm64 ASID allocator pattern.
 * See s2_vmid.h.
 *
 *   vm->vmid:     generation | number       (0: never had one)
 *   active[cpu]:  the VMID this CPU runs now (0 after a rollover or exit)
 *   reserved[cpu]: the VMID kept for the VM a CPU was running at a rollover
 *   running[cpu]: the CPU is between s2_vm_enter() and s2_vm_exit()
 *
 * A CPU that runs nothing at a rollover reserves nothing: the rollover's
 * global invalidation removes whatever its TLB holds. A CPU that runs a VM
 * keeps that VM's VMID reserved until it runs something else at a later
 * rollover (it keeps filling its TLB with that VMID meanwhile).
 */
#include <hyp/mm/s2_vmid.h>
#include "s2_internal.h"

static struct spinlock vmid_lock = SPINLOCK_INIT;
static unsigned int vmid_bits = 8;
static u64 vmid_gen = 1ULL << 8;
static u64 vmid_map[(1U << S2_VMID_MAX_BITS) / 64];
static u32 vmid_next = 1;
static u64 active[HYP_MAX_CPUS];
static u64 reserved[HYP_MAX_CPUS];
static u32 running[HYP_MAX_CPUS];	/* the CPU runs a VM now (between get and put) */
u64 s2_vmid_rollovers;
u64 s2_vmid_mask = (1ULL << 8) - 1;

static inline u64 vmid_mask(void)
{
	return s2_vmid_mask;
}

static bool gen_match(u64 v)
{
	return v && !((v ^ atomic_load_relaxed(&vmid_gen)) >> vmid_bits);
}

int s2_vmid_init(unsigned int bits)
{
	if (bits < S2_VMID_MIN_BITS || bits > S2_VMID_MAX_BITS)
		return -E_INVAL;
	spin_lock(&vmid_lock);
	vmid_bits = bits;
	s2_vmid_mask = (1ULL << bits) - 1;
	vmid_gen = 1ULL << bits;
	for (unsigned int i = 0; i < ARRAY_SIZE(vmid_map); i++)
		vmid_map[i] = 0;
	for (unsigned int c = 0; c < HYP_MAX_CPUS; c++)
		active[c] = reserved[c] = running[c] = 0;
	vmid_next = 1;
	s2_vmid_rollovers = 0;
	spin_unlock(&vmid_lock);
	return 0;
}

static bool map_test_set(u32 n)
{
	bool was = (vmid_map[n / 64] >> (n % 64)) & 1;

	vmid_map[n / 64] |= BIT(n % 64);
	return was;
}

/* New generation: keep the VMIDs in use on each CPU, forget the rest. */
static void flush_context(void) __must_hold(&vmid_lock)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(vmid_map); i++)
		vmid_map[i] = 0;
	for (unsigned int c = 0; c < HYP_MAX_CPUS; c++) {
		u64 v = atomic_xchg(&active[c], 0ULL);

		/* 0: this CPU went through a rollover running the same VM. */
		if (v == 0)
			v = reserved[c];
		if (!atomic_load_acquire(&running[c]))
			v = 0;
		if (v)
			map_test_set(s2_vmid_of(v));
		reserved[c] = v;
	}
	s2_vmid_rollovers++;
	/* R7: no VMID is handed out again before entries tagged with it are gone. */
	if (!inject(VMID_REUSE_NO_FLUSH)) {
		static const struct arch_s2_tlb_ctx all_cpus = { .vmid = 0, .cpus = ~0ULL };

		arch_sched_point();
		arch_s2_inval_all();
		arch_s2_inval_sync(&all_cpus);
	}
}

/* A VM that had a reserved VMID keeps it in the new generation. */
static bool update_reserved(u64 old, u64 newv) __must_hold(&vmid_lock)
{
	bool hit = false;

	for (unsigned int c = 0; c < HYP_MAX_CPUS; c++) {
		if (reserved[c] == old) {
			reserved[c] = newv;
			hit = true;
		}
	}
	return hit;
}

static u32 find_free(u32 from)
{
	u32 n = (u32)vmid_mask() + 1;

	for (u32 i = from; i < n; i++)
		if (!((vmid_map[i / 64] >> (i % 64)) & 1))
			return i;
	for (u32 i = 1; i < from; i++)
		if (!((vmid_map[i / 64] >> (i % 64)) & 1))
			return i;
	return 0;
}

static u64 new_vmid(u64 old) __must_hold(&vmid_lock)
{
	u32 n;

	if (old) {
		u64 newv = vmid_gen | s2_vmid_of(old);

		if (update_reserved(old, newv))
			return newv;
		/* Keep the same number if nobody took it in this generation. */
		if (!map_test_set(s2_vmid_of(old)))
			return newv;
	}
	n = find_free(vmid_next);
	if (!n) {
		atomic_store_relaxed(&vmid_gen, vmid_gen + (1ULL << vmid_bits));
		flush_context();
		n = find_free(1);
		if (!n)
			return 0;	/* more CPUs running VMs than VMIDs */
	}
	map_test_set(n);
	vmid_next = n + 1 > vmid_mask() ? 1 : n + 1;
	return vmid_gen | n;
}

int s2_vmid_get(struct s2_vm *vm)
{
	unsigned int cpu = arch_cpu_id();
	u64 old_active, v;

	/* Before the fast path's cmpxchg: a rollover that misses it must see us running. */
	atomic_xchg(&running[cpu], 1U);
	old_active = atomic_load_relaxed(&active[cpu]);
	v = atomic_load_acquire(&vm->vmid);

	/* Fast path: current generation, and no rollover cleared our slot meanwhile. */
	if (old_active && gen_match(v) && atomic_cmpxchg(&active[cpu], old_active, v))
		return 0;

	spin_lock(&vmid_lock);
	v = atomic_load_relaxed(&vm->vmid);
	if (!gen_match(v)) {
		v = new_vmid(v);
		if (!v) {
			spin_unlock(&vmid_lock);
			return -E_AGAIN;
		}
		atomic_store_release(&vm->vmid, v);
	}
	atomic_store_relaxed(&active[cpu], v);
	spin_unlock(&vmid_lock);
	return 0;
}

void s2_vmid_put_cpu(void)
{
	unsigned int cpu = arch_cpu_id();

	/*
	 * Keep active/reserved: entries tagged with this VMID stay in this
	 * CPU's TLB until the next rollover's global invalidation, and the VM
	 * must keep its number until then. Only stop reserving at rollovers.
	 */
	spin_lock(&vmid_lock);
	atomic_store_release(&running[cpu], 0U);
	spin_unlock(&vmid_lock);
}
