// SPDX-License-Identifier: GPL-2.0
/*
 * Defaults for the vCPU hooks of arch.h: hyp/vm links everywhere, and on an
 * arch without guests (the host simulation, arch/sim) creating a VM fails
 * cleanly with -E_NOSYS. arm64 overrides every hook (arch/arm64/vcpu.c);
 * x86 runs guests too (arch/x86/vcpu.c, virt.c, tlb.c) and keeps
 * the no-op defaults for arch_guest_sync_mem(), arch_vm_init() and
 * arch_vm_irq_level() (coherent caches; no virtual interrupt controller yet).
 */
#include <hyp/arch.h>

__attribute__((weak)) int arch_vcpu_init(struct vcpu *v, ipaddr_t entry, u64 arg)
{
	return -E_NOSYS;
}

__attribute__((weak)) int arch_vcpu_run(struct vcpu *v, struct arch_vcpu_exit *exit)
{
	return -E_NOSYS;
}

__attribute__((weak)) void arch_vcpu_destroy(struct vcpu *v)
{
}

__attribute__((weak)) void arch_guest_sync_mem(paddr_t pa, u64 size)
{
}

__attribute__((weak)) int arch_vm_s2_format(struct s2_format *f)
{
	return -E_NOSYS;
}

__attribute__((weak)) void arch_vcpu_kick(struct vcpu *v)
{
}

__attribute__((weak)) int arch_vm_init(struct vm *vm)
{
	return 0;
}

__attribute__((weak)) void arch_vm_irq_level(struct vm *vm, unsigned int intid, bool level)
{
}

__attribute__((weak)) int arch_console_getc(void)
{
	return -1;
}

__attribute__((weak)) void arch_console_rx_pause(void)
{
}

__attribute__((weak)) void arch_console_rx_resume(void)
{
}

__attribute__((weak)) void arch_vm_passthrough(struct vm *vm, bool on)
{
	(void)vm;
	(void)on;
}
