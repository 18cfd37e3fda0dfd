// SPDX-License-Identifier: GPL-2.0
/*
 * Creating the VMs at boot (vm_create_all(): every VM node of the config
 * parsed, built, its vCPUs pinned) and building one VM (vm_build(): stage 2,
 * race-widening settings, modules copied in, vCPUs, PL011, arch state), also
 * what a PSCI SYSTEM_RESET rebuilds from.
 */
#include <hyp/atomic.h>
#include <hyp/bootargs.h>
#include <hyp/console.h>
#include <hyp/fdt.h>
#include <hyp/palloc.h>
#include <hyp/printf.h>
#include <hyp/string.h>
#include <hyp/vm/vm.h>
#include <hyp/vm/vuart.h>
#include <hyp/mm/s2_vmid.h>
#include "vm_internal.h"

/*
 * Undo s2_vm_init() after a later step of vm_build() failed. The stage 2 was
 * just made and never entered, so teardown cannot fail unless the VM's state
 * is corrupt: say so rather than lose it.
 */
static void vm_create_undo_s2(struct vm *vm)
{
	int r = s2_vm_destroy(&vm->s2);

	if (r)
		pr_err("vm%u (%s): stage-2 teardown after a failed creation: %s\n",
		       vm->id, vm->name, err_str(r));
}

int vm_build(struct vm *vm)
{
	struct s2_vm_config cfg = { .fmt = &vm->fmt, .ipa_size = 0, .ops = &vm->ops };
	int r;

	r = arch_vm_s2_format(&vm->fmt);
	if (r < 0)
		return r;
	vm->ops.fault_backing = vm_fault_backing;
	vm->ops.fault_block = vm_fault_block;
	vm->ops.put_page = vm_put_page;
	vm->ops.alloc_pages = vm_table_alloc;
	vm->ops.free_pages = vm_table_free;
	/* a new incarnation: the charge left by the last one was reported at destroy */
	vm->charge.peak = vm->charge.used;
	vm->charge.refused = vm->charge.faults_4k = vm->charge.faults_block = 0;
	vm->ops.arg = vm;
	r = s2_vm_init(&vm->s2, &cfg);
	if (r < 0)
		return r;
	/* Checked by vm_parse_race(): cannot fail. */
	if (vm->race_seed)
		s2_race_seed(&vm->s2, vm->race_seed);
	for (unsigned int p = 0; p < S2_RACE_POINTS; p++) {
		if (vm->race_cfg[p][0] != S2_RACE_OFF) {
			s2_race_set(&vm->s2, p, vm->race_cfg[p][0], vm->race_cfg[p][1]);
			pr_info("vm%u (%s): race delay point %u mode %u %u us\n", vm->id, vm->name,
				p, vm->race_cfg[p][0], vm->race_cfg[p][1]);
		}
	}
	if (vm->backing == VM_BACK_PREMAP)
		vm_premap(vm);
	r = vm->backing == VM_BACK_IDENTITY ? vm_identity_map(vm) : 0;
	if (!r)
		r = vm_pt_map(vm);	/* doc/passthrough.md: device regions, pinned */
	if (!r)
		r = vm_load_modules(vm);
	if (r < 0) {
		vm_create_undo_s2(vm);
		return r;
	}
	if (!vm->incarnation)
		spin_lock_init(&vm->lock);
	vm->reset = false;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		vm->vcpus[i].vm = vm;
		vm->vcpus[i].idx = i;
		atomic_store_release(&vm->vcpus[i].state, VCPU_OFF);
	}
	/* interrupts (doc/interrupts.md): the VM's virtual GIC and PL011 */
	r = vuart_init(vm, vm->console_input);
	if (!r)
		r = arch_vm_init(vm);
	if (!r)
		arch_vm_passthrough(vm, true);	/* its SPIs to its virtual GIC */
	if (r < 0) {
		if (r != -E_EXIST)
			vuart_init(vm, false);	/* give the console input back */
		vm_create_undo_s2(vm);
		return r;
	}
	/* vCPU 0 starts at the kernel's first byte, x0 = guest DTB IPA (0: none). */
	vm->vcpus[0].entry = ipa_addr(vm->ram_base) + vm->mod[VM_MOD_KERNEL].off;
	vm->vcpus[0].arg = vm->mod[VM_MOD_DTB].size ?
			   ipa_addr(vm->ram_base) + vm->mod[VM_MOD_DTB].off : 0;
	if (!vm->incarnation) {		/* at boot: vm_create_all() publishes it */
		vm->vcpus[0].state = VCPU_ON_PENDING;
		vm->state = VM_RUNNING;
	}
	return 0;
}

unsigned int vm_create_all(void)
{
	u64 used_cpus = 0, vm_cpus;
	struct fdt f;
	const char *why;
	int vms_node;
	unsigned int n = 0;

	if (!vm_cfg || fdt_check(&f, vm_cfg, VM_CFG_MAX_SIZE, &why) < 0) {
		vm_none();
		return 0;
	}
	if (bootargs.vmid_bits) {
		if (s2_vmid_init(bootargs.vmid_bits) < 0)
			pr_err("hyp.vmid_bits=%u refused by the VMID allocator\n", bootargs.vmid_bits);
		else
			pr_info("VMID width forced to %u bits (hyp.vmid_bits): %llu VMIDs\n",
				bootargs.vmid_bits, s2_vmid_mask);
	}
	free_before_vms = palloc_free_pages();
	vms_node = fdt_path(&f, "/vms");
	if (vms_node < 0)
		pr_err("vm config: no /vms node\n");
	for (int node = vms_node >= 0 ? fdt_first_child(&f, vms_node) : -1; node >= 0;
	     node = fdt_next_sibling(&f, node)) {
		char buf[VM_WHY_LEN];
		struct vm *vm;
		int r;

		if (!fdt_prop_has_string(&f, node, "compatible", "hyp,vm"))
			continue;
		if (n == VM_MAX) {
			pr_err("vm config: %s: more than %u VMs, ignored\n",
			       fdt_node_name(&f, node), VM_MAX);
			continue;
		}
		vm = &vms[n];
		memset(vm, 0, sizeof(*vm));
		vm->id = n;
		why = vm_parse(&f, node, vm, used_cpus, n, buf);
		if (why) {
			pr_err("vm config: %s: %s; VM not started\n", fdt_node_name(&f, node), why);
			continue;
		}
		r = vm_build(vm);
		if (r < 0) {
			pr_err("vm config: %s: cannot build the VM: %s; VM not started\n",
			       fdt_node_name(&f, node), err_str(r));
			continue;
		}
		vm_cpus = 0;
		for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
			vm_cpus |= BIT(vm->vcpus[i].pcpu);
			pinned[vm->vcpus[i].pcpu] = &vm->vcpus[i];
		}
		if (vm->churn.on)
			vm_cpus |= BIT(vm->churn.cpu);
		used_cpus |= vm_cpus;
		pr_info("vm%u (%s): %u vCPUs on cpus %#llx, RAM %#llx+%#llx, kernel %llu bytes\n",
			vm->id, vm->name, vm->nr_vcpus, vm_cpus, ipa_addr(vm->ram_base),
			vm->ram_size, vm->mod[VM_MOD_KERNEL].size);
		for (unsigned int m = 0; m < VM_MOD_NR; m++)
			if (vm->mod[m].size)
				pr_info("vm%u (%s): %s %#llx bytes at IPA %#llx\n", vm->id,
					vm->name, vm_mod_label[m], vm->mod[m].size,
					ipa_addr(vm->ram_base) + vm->mod[m].off);
		vm_churn_start(vm);
		n++;
	}
	vms_created = n;
	atomic_store_release(&vms_alive, n);
	/* vms_alive before vms_decided: CPUs leave vm_cpu_loop() when it is 0. */
	atomic_store_release(&vms_decided, 1);
	return n;
}
