// SPDX-License-Identifier: GPL-2.0
/*
 * The VMX backend (Intel SDM Vol. 3C; doc/x86-virt.md). Not written yet:
 * a VMX machine detects and reports its features (virt.c), and refuses to
 * run vCPUs with a clear message instead of entering an unfinished VMCS.
 */
#include <hyp/console.h>
#include <x86/vcpu.h>

int vmx_vcpu_init(struct x86_vcpu *c)
{
	pr_err("vm%u (%s): the VMX backend is not implemented yet (doc/x86-virt.md)\n",
	       c->v->vm->id, c->v->vm->name);
	return -E_NOSYS;
}

int vmx_vcpu_run(struct x86_vcpu *c, struct arch_vcpu_exit *exit)
{
	return -E_NOSYS;
}

void vmx_vcpu_destroy(struct x86_vcpu *c)
{
}
