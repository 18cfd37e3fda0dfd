/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64 vCPU context (arch/arm64/vcpu.c, guest_entry.S).
 *
 * The guest's general registers live here while it is not on its CPU;
 * while it runs, an exit saves them in the EL2 trap frame (vectors.S) and
 * the exit is handled in place: the handler edits the frame and the vector
 * returns straight into the guest. Only leaving the CPU (CPU_OFF, the VM
 * stopping) copies the frame back here and returns from __guest_enter()
 * through __guest_leave() with the host registers saved at entry.
 */
#ifndef ARM64_VCPU_H
#define ARM64_VCPU_H

#define VC_X		0
#define VC_PC		248
#define VC_PSTATE	256
#define VC_HOST		264	/* x19..x30, sp */

#ifndef __ASSEMBLY__
#include <hyp/types.h>
#include <arm64/cpu.h>
#include <arm64/debug.h>
#include <arm64/traps.h>

struct vcpu;
struct vgic_cpu;

/* Guest exits counted by kind; reported when the vCPU is destroyed. */
enum arm64_exit_kind {
	ARM64_EXIT_WFI, ARM64_EXIT_WFE, ARM64_EXIT_HVC, ARM64_EXIT_SMC, ARM64_EXIT_SYSREG,
	ARM64_EXIT_ABORT, ARM64_EXIT_IRQ, ARM64_EXIT_OTHER, ARM64_EXIT_KINDS
};

struct arm64_vcpu_ctx {
	u64 x[31];
	u64 pc;
	u64 pstate;
	u64 host[13];
	/* EL1 state, switched when the vCPU enters / leaves its CPU */
	u64 sctlr, ttbr0, ttbr1, tcr, mair, amair, vbar, contextidr;
	u64 tpidr_el1, tpidr_el0, tpidrro_el0, sp_el1, sp_el0, elr_el1, spsr_el1;
	u64 esr, far, afsr0, afsr1, par, cpacr, cntkctl, csselr;
	struct arm64_debug dbg;	/* debug registers (debug.c): loaded lazily, trapped */
	struct vcpu *v;
	/* set by arch_vcpu_run for the exit path (doc/bench.md "Session 7") */
	struct vgic_cpu *vgic;	/* this vCPU's vGIC CPU state */
	bool gic;		/* gic_ready() */
	/* exits since the vCPU's last start, by kind (arm64_vcpu_trap, doc/bench.md) */
	u64 exits[ARM64_EXIT_KINDS];
	u64 wfi_ns;		/* time spent in vcpu_wfi(): the guest idle, waiting */
	bool timer_lost_warned;	/* vtimer_check_lost() has said it */
};

/* guest_entry.S */
u64 __guest_enter(struct arm64_vcpu_ctx *ctx);
__noreturn void __guest_leave(struct arm64_vcpu_ctx *ctx, u64 reason);

/* Find the physical UART's interrupt (console input for a guest). */
void arm64_console_irq_init(const void *dtb);
/* The vCPU running on this CPU, or NULL (lower-EL exceptions are guest exits). */
static inline struct arm64_vcpu_ctx *arm64_vcpu_current(void)
{
	return this_arm64_cpu()->vcpu;
}
/* A guest exit (vectors 8..11) of @c; returns to resume the guest, or leaves. */
void arm64_vcpu_trap(struct arm64_vcpu_ctx *c, struct trap_frame *tf, unsigned int vector);

#endif
#endif
