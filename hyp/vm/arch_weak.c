// SPDX-License-Identifier: GPL-2.0
/*
 * Defaults for the vCPU hooks of arch.h, for arches without guest support
 * yet (x86, the host simulation): hyp/vm links everywhere, and creating a
 * VM there fails cleanly with -E_NOSYS. arm64 overrides them (arch/arm64/vcpu.c).
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
