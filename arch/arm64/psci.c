// SPDX-License-Identifier: GPL-2.0
/* PSCI: CPU_ON for secondaries, SYSTEM_OFF for arch_system_off(). */
#include <hyp/arch.h>
#include <hyp/console.h>
#include <arm64/psci.h>
#include <arm64/uart.h>

static s64 (*psci_fn)(u64 fn, u64 a0, u64 a1, u64 a2);

bool psci_init(enum psci_conduit conduit, unsigned int el)
{
	switch (conduit) {
	case PSCI_SMC:
		psci_fn = psci_smc;
		return true;
	case PSCI_HVC:
		/* An HVC at EL2 traps to our own vectors, not to firmware. */
		if (el >= 2)
			return false;
		psci_fn = psci_hvc;
		return true;
	default:
		return false;
	}
}

s64 psci_cpu_on(u64 mpidr, u64 entry_pa, u64 context)
{
	if (!psci_fn)
		return PSCI_NOT_SUPPORTED;
	return psci_fn(PSCI_0_2_FN64_CPU_ON, mpidr, entry_pa, context);
}

__noreturn void psci_system_off(void)
{
	if (psci_fn)
		psci_fn(PSCI_0_2_FN_SYSTEM_OFF, 0, 0, 0);
	arch_cpu_halt();	/* no PSCI, or it refused: stop here at least */
}

const char *psci_err_str(s64 err)
{
	switch (err) {
	case PSCI_SUCCESS:		return "success";
	case PSCI_NOT_SUPPORTED:	return "not supported";
	case PSCI_INVALID_PARAMS:	return "invalid parameters";
	case PSCI_DENIED:		return "denied";
	case PSCI_ALREADY_ON:		return "already on";
	case PSCI_ON_PENDING:		return "on pending";
	case PSCI_INTERNAL_FAILURE:	return "internal failure";
	default:			return "unknown error";
	}
}

__noreturn void arch_system_off(int status)
{
	/* SYSTEM_OFF has no status argument: the log carries it. */
	if (status)
		uart_puts("hyp: system off with failure status\n");
	uart_flush();	/* the last line must leave the UART before power goes */
	psci_system_off();
}
