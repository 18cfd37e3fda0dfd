// SPDX-License-Identifier: GPL-2.0
/*
 * EL2 exception handling. Exceptions from a lower EL while a vCPU runs on
 * this CPU are guest exits (arch/arm64/vcpu.c). Anything else is a
 * hypervisor bug: dump the
 * state (decoded ESR, FAR, ELR, SPSR, x0-x30, SP, backtrace) and panic,
 * which stops every CPU.
 */
#include <hyp/console.h>
#include <hyp/panic.h>
#include <arm64/cpu.h>
#include <arm64/traps.h>
#include <arm64/vcpu.h>
#include <arm64/uart.h>

static const char *const vector_src[4] = {
	"EL2 with SP_EL0", "EL2 with SP_EL2", "lower EL (AArch64)", "lower EL (AArch32)",
};
static const char *const vector_kind[4] = { "synchronous", "IRQ", "FIQ", "SError" };

static void dump_regs(const struct trap_frame *tf)
{
	for (unsigned int i = 0; i < 30; i += 2)
		hyp_printf("  x%-2u %016llx  x%-2u %016llx\n", i, tf->x[i], i + 1, tf->x[i + 1]);
	hyp_printf("  x30 %016llx  sp  %016llx\n", tf->x[30], tf->sp);
	hyp_printf("  ELR_EL2 %016llx (link address %016llx)  SPSR_EL2 %016llx\n",
		   tf->elr, tf->elr - (u64)hyp_load_offset, tf->spsr);
}

void arm64_handle_exception(struct trap_frame *tf, unsigned int vector)
{
	struct arm64_cpu *c = this_arm64_cpu();

	/* From a lower EL (AArch64) while a vCPU runs here: a guest exit, not a crash. */
	if ((vector & (VECTOR_OVERFLOW | 0xc)) == 8 && c->vcpu) {
		arm64_vcpu_trap(c->vcpu, tf, vector);
		return;
	}
	if (c->trap_depth++) {
		/* A fault while dumping a fault: print what cannot fault, stop. */
		console_force_unlock();
		uart_puts("hyp: recursive exception in the exception handler, halting\n");
		arch_stop_other_cpus();
		arch_cpu_halt();
	}
	/* Freeze the machine first; a CPU faulting at the same time halts here. */
	arch_stop_other_cpus();
	/* This CPU may have faulted while holding the console lock. */
	console_force_unlock();
	hyp_printf("\n*** unexpected %s exception from %s on cpu%u ***\n",
		   vector_kind[vector & 3], vector_src[(vector >> 2) & 3], c->cpu);
	if (vector & VECTOR_OVERFLOW)
		hyp_printf("*** stack overflow: SP %016llx is in cpu%u's stack guard "
			   "(stack %016llx-%016llx); now on the overflow stack\n",
			   tf->sp, c->cpu, (u64)stack_lo(c->cpu), (u64)stack_hi(c->cpu));
	esr_dump(tf->esr, tf->far);
	dump_regs(tf);
	hyp_printf("Backtrace (interrupted code):\n");
	backtrace_from(tf->x[29], tf->elr);
	panic("%s (ESR 0x%llx, ELR 0x%llx, FAR 0x%llx)",
	      (vector & VECTOR_OVERFLOW) ? "stack overflow" : "unexpected exception",
	      tf->esr, tf->elr, tf->far);
}
