// SPDX-License-Identifier: GPL-2.0
/*
 * VMs at run time (doc/vm-config.md for where they come from): their vCPUs
 * pinned to physical CPUs, the per-CPU run loop, power state (stop, reset,
 * destroy). Configuration: vm_config.c; boot modules, layout and guest DTB
 * checks: vm_image.c; building and creating: vm_create.c; guest memory and
 * MMIO exits: vm_mem.c.
 */
#include <hyp/atomic.h>
#include <hyp/console.h>
#include <hyp/palloc.h>
#include <hyp/percpu.h>
#include <hyp/printf.h>
#include <hyp/vm/vm.h>
#include <hyp/vm/vuart.h>
#include <hyp/mm/s2_vmid.h>
#include "vm_internal.h"

struct vm vms[VM_MAX];
unsigned int vms_created;

unsigned int vm_count(void)
{
	return vms_created;
}
struct vcpu *pinned[HYP_MAX_CPUS];	/* the vCPU each physical CPU runs */
u32 vms_decided;			/* vm_create_all() or vm_none() ran */
u32 vms_alive;				/* VMs not yet destroyed */
static u32 vms_reported;		/* the last destroyer printed the leak check */
u64 free_before_vms;			/* palloc_free_pages() before any VM */
static u64 rollovers_logged;		/* s2_vmid_rollovers last logged */

/* ---- power state ------------------------------------------------------- */

void vm_stop(struct vm *vm, const char *why)
{
	spin_lock(&vm->lock);
	if (vm->state == VM_RUNNING) {
		atomic_store_release(&vm->state, VM_STOPPING);
		pr_info("vm%u (%s): stopping: %s\n", vm->id, vm->name, why);
	}
	spin_unlock(&vm->lock);
	/* interrupts (doc/interrupts.md): a vCPU spinning without exits must see it */
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		if (atomic_load_acquire(&vm->vcpus[i].state) == VCPU_ON)
			arch_vcpu_kick(&vm->vcpus[i]);
}

void vm_request_reset(struct vm *vm)
{
	spin_lock(&vm->lock);
	if (vm->state == VM_RUNNING)
		vm->reset = true;
	spin_unlock(&vm->lock);
	vm_stop(vm, "PSCI SYSTEM_RESET: tearing down to recreate");
}

bool vcpu_must_exit(struct vcpu *v)
{
	return v->leave || atomic_load_acquire(&v->vm->state) != VM_RUNNING ||
	       s2_vm_exit_requested(&v->vm->s2);
}

/*
 * SYSTEM_RESET: the old stage 2 is gone (every page freed after the
 * VMID-wide flush, R1/R3); build a fresh one from the retained images. The
 * VMID is released implicitly: s2_vm_init() starts with none, the next
 * s2_vm_enter() allocates one, the old number is reused only after a rollover.
 */
static bool vm_recreate(struct vm *vm)
{
	int r;

	vm->incarnation++;
	r = vm_build(vm);
	if (r < 0) {
		pr_err("vm%u (%s): cannot recreate after reset: %s; VM stays off\n", vm->id,
		       vm->name, err_str(r));
		return false;
	}
	pr_info("vm%u (%s): recreated from its images, incarnation %u; %llu pages free, "
		"VMID rollovers so far %llu\n", vm->id, vm->name, vm->incarnation,
		palloc_free_pages(), READ_ONCE(s2_vmid_rollovers));
	/* Every field above before the state the VM's CPUs poll. */
	spin_lock(&vm->lock);
	atomic_store_release(&vm->state, VM_RUNNING);
	atomic_store_release(&vm->vcpus[0].state, VCPU_ON_PENDING);
	spin_unlock(&vm->lock);
	return true;
}

static void vm_destroy(struct vm *vm)
{
	bool reset = READ_ONCE(vm->reset);
	int r;

	/* R3: every vCPU has left and called s2_vm_exit() (running == 0). */
	vm_churn_report(vm, "at destroy");
	if (!reset)	/* which invalidations the hardware allowed (doc/boards.md) */
		pr_info("vm%u (%s): stage-2 invalidations: %llu batches: %llu by IPA, %llu by range, "
			"%llu VMID-wide\n", vm->id, vm->name, vm->s2.cnt.invalidations,
			vm->s2.cnt.inval_ipa, vm->s2.cnt.inval_range, vm->s2.cnt.inval_vmid);
	arch_vm_passthrough(vm, false);	/* its devices' SPIs off before its memory goes */
	r = s2_vm_destroy(&vm->s2);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		arch_vcpu_destroy(&vm->vcpus[i]);
	vm_charge_report(vm);
	atomic_store_release(&vm->state, VM_DEAD);
	pr_info("vm%u (%s): destroyed%s%s; %llu pages free\n", vm->id, vm->name,
		r ? " (stage-2 teardown failed)" : "", reset ? " for reset" : "",
		palloc_free_pages());
	if (reset && !r && vm_recreate(vm))
		return;
	if (atomic_fetch_sub(&vms_alive, 1) == 1) {
		u64 now = palloc_free_pages();

		if (now != free_before_vms)
			pr_err("all VMs destroyed: %lld pages leaked\n",
			       (long long)(free_before_vms - now));
		else
			pr_info("all VMs destroyed: every page returned\n");
		/* Only now may the boot CPU power off (seen losing this line). */
		atomic_store_release(&vms_reported, 1);
	}
}

bool vm_get(struct vm *vm)
{
	bool ok;

	spin_lock(&vm->lock);
	ok = vm->state == VM_RUNNING;
	if (ok)
		vm->running++;
	spin_unlock(&vm->lock);
	return ok;
}

void vm_put(struct vm *vm)
{
	bool last;

	spin_lock(&vm->lock);
	last = --vm->running == 0 && vm->state != VM_RUNNING;
	spin_unlock(&vm->lock);
	if (last)
		vm_destroy(vm);
}

static void vm_run_vcpu(struct vcpu *v)
{
	struct vm *vm = v->vm;
	struct arch_vcpu_exit ex = { .reason = VCPU_EXIT_ERROR };
	bool last;
	int r;

	spin_lock(&vm->lock);
	if (vm->state != VM_RUNNING || v->state != VCPU_ON_PENDING) {
		if (vm->state != VM_RUNNING)
			v->state = VCPU_OFF;	/* CPU_ON raced with SYSTEM_OFF */
		spin_unlock(&vm->lock);
		return;
	}
	vm->running++;
	v->leave = false;
	atomic_store_release(&v->state, VCPU_ON);
	spin_unlock(&vm->lock);

	r = arch_vcpu_init(v, ipa_init(v->entry), v->arg);
	if (!r) {
		while ((r = s2_vm_enter(&vm->s2)) == -E_AGAIN)
			arch_cpu_relax();
	}
	if (!r) {
		u64 ro = READ_ONCE(s2_vmid_rollovers);

		pr_info("vm%u (%s): vcpu%u starts on cpu%u at %#llx, VMID %u\n", vm->id,
			vm->name, v->idx, v->pcpu, v->entry,
			s2_vmid_of(atomic_load_acquire(&vm->s2.vmid)));
		if (ro > atomic_load_acquire(&rollovers_logged)) {
			u64 old = atomic_xchg(&rollovers_logged, ro);

			if (ro > old)
				pr_info("VMID rollover: %llu so far (VMIDs 1..%llu)\n", ro,
					s2_vmid_mask);
		}
		r = arch_vcpu_run(v, &ex);
		s2_vm_exit(&vm->s2);
	}
	if (r < 0)
		pr_err("vm%u (%s): vcpu%u cannot run: %s\n", vm->id, vm->name, v->idx, err_str(r));
	if (r < 0 || ex.reason == VCPU_EXIT_ERROR)
		vm_stop(vm, "vCPU error");

	vuart_flush(vm);
	spin_lock(&vm->lock);
	atomic_store_release(&v->state, VCPU_OFF);
	last = --vm->running == 0 && vm->state != VM_RUNNING;
	spin_unlock(&vm->lock);
	if (last)
		vm_destroy(vm);
}

void vm_cpu_loop(unsigned int cpu)
{
	while (!atomic_load_acquire(&vms_decided))
		arch_cpu_relax();
	while (atomic_load_acquire(&vms_alive) ||
	       (vms_created && !atomic_load_acquire(&vms_reported))) {
		struct vcpu *v = pinned[cpu];

		if (v && atomic_load_acquire(&v->state) == VCPU_ON_PENDING)
			vm_run_vcpu(v);
		else if (!vm_churn_cpu(cpu))
			arch_cpu_relax();
	}
}

void vm_none(void)
{
	atomic_store_release(&vms_decided, 1);
}
