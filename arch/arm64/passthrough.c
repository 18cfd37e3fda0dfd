// SPDX-License-Identifier: GPL-2.0
/*
 * Passthrough SPIs (arm64/passthrough.h, doc/passthrough.md): enabled and
 * routed to the CPU of the vCPU the guest targets when the VM is built,
 * forwarded with HW=1 while it runs, disabled and deactivated when it is
 * destroyed. GICv3 (list register HW bit + pINTID) and GICv2 (GICH_LR HW bit +
 * PhysicalID, vgic_v2.c) alike; a host GIC without virtualization extensions
 * keeps them disabled.
 */
#include <hyp/atomic.h>
#include <hyp/console.h>
#include <hyp/vm/passthrough.h>
#include <hyp/vm/vm.h>
#include <arm64/gic.h>
#include <arm64/passthrough.h>
#include <arm64/vgic.h>

void arch_vm_passthrough(struct vm *vm, bool on)
{
	struct vgic *g = vgic_of(vm);

	if (on && vm->pt.nr_irqs && vgic_absent()) {
		pr_warn("vm%u (%s): passthrough SPIs need a GIC with virtualization "
			"extensions (doc/passthrough.md): they stay disabled\n", vm->id, vm->name);
		return;
	}
	for (unsigned int i = 0; i < vm->pt.nr_irqs; i++) {
		unsigned int intid = vm->pt.irq[i];
		struct vgic_irq *irq = vgic_irq(g, 0, intid);

		if (!irq)
			continue;	/* vm_pt_parse() keeps INTIDs below VM_PT_MAX_INTID */
		spin_lock(&g->lock);
		irq->pt = on;
		if (!on) {
			irq->hw = 0;
			irq->pending = 0;
		}
		spin_unlock(&g->lock);
		if (on)
			gic_enable_spi(intid, vm->vcpus[irq->target].pcpu);
		else
			gic_disable_spi(intid);	/* and not active: the next owner starts clean */
	}
}

bool arm64_pt_forward(unsigned int intid)
{
	struct vm *vm = vm_pt_irq_owner(intid);

	if (!vm)
		return false;
	if (atomic_load_acquire(&vm->state) != VM_RUNNING) {
		gic_disable_spi(intid);	/* stopping: destroy (or the rebuild) takes it from here */
		return true;
	}
	vgic_inject_hw_spi(vm, intid);
	return true;
}
BUILD_BUG_ON(VM_PT_MAX_INTID != VGIC_NR_IRQS);
