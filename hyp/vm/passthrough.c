// SPDX-License-Identifier: GPL-2.0
/*
 * Device passthrough at run time (doc/passthrough.md, passthrough.h): the
 * regions mapped into the one VM that owns them, the SPI owner table the
 * arch's interrupt path asks. The config checks: passthrough_cfg.c.
 */
#include <hyp/console.h>
#include <hyp/vm/passthrough.h>
#include <hyp/vm/vm.h>
#include "vm_internal.h"

int vm_pt_map(struct vm *vm)
{
	const struct vm_passthrough *pt = &vm->pt;

	for (unsigned int i = 0; i < pt->nr_regions; i++) {
		const struct vm_pt_region *r = &pt->reg[i];
		/* Device-nGnRE, never executable; pinned: not owned, not in the rmap. */
		int e = s2_map(&vm->s2, ipa_init(r->ipa), pa_init(r->pa), r->size,
			       S2_PROT_R | S2_PROT_W | S2_PROT_DEVICE, S2_MAP_PINNED);

		if (e < 0)
			return e;
		if (!vm->incarnation)
			pr_info("vm%u (%s): passthrough %#llx+%#llx at IPA %#llx (device, pinned)\n",
				vm->id, vm->name, r->pa, r->size, r->ipa);
	}
	return 0;
}

bool vm_pt_has_irq(const struct vm *vm, unsigned int intid)
{
	for (unsigned int i = 0; i < vm->pt.nr_irqs; i++)
		if (vm->pt.irq[i] == intid)
			return true;
	return false;
}

struct vm *vm_pt_irq_owner(unsigned int intid)
{
	for (unsigned int v = 0; v < vms_created; v++)
		if (vm_pt_has_irq(&vms[v], intid))
			return &vms[v];
	return NULL;
}
BUILD_BUG_ON(VM_PT_WHY_LEN != VM_WHY_LEN);
