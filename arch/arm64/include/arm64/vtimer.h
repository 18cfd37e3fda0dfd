/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest time (doc/interrupts.md, doc/guest-fidelity.md): every vCPU owns its
 * physical CPU's EL1 virtual timer (CNTV_*) and EL1 physical timer (CNTP_*),
 * neither trapped (CNTHCTL_EL2.EL1PCEN = 1; the hypervisor itself uses no
 * EL1 timer), CNTVOFF_EL2 = 0 so every VM reads the same counter as the
 * hypervisor. Their interrupts, PPIs 27 and 30, are taken at EL2 and
 * forwarded to the guest as hardware-mapped list registers; both lines are
 * level-sensitive and re-sampled at every exit (vtimer_sample()). Both
 * timers are off whenever a vCPU starts on or leaves its CPU.
 */
#ifndef ARM64_VTIMER_H
#define ARM64_VTIMER_H

#include <hyp/compiler.h>
#include <arm64/gic.h>
#include <arm64/sysreg.h>
#include <arm64/vgic.h>

/* The vCPU starts on this CPU: timer off, counter access as above. */
void vtimer_vcpu_load(void);
/* The vCPU leaves this CPU for good: its timer must not fire any more. */
void vtimer_vcpu_put(void);

/*
 * Before the hypervisor waits in WFI for vCPU @v: a virtual timer that has
 * asserted its line for over a second without the GIC ever delivering its
 * PPI is a lost interrupt (the ZCU102 power-off hang, doc/boards.md): say so
 * once per vCPU start (*@warned), with the vCPU named.
 */
void vtimer_check_lost(struct vcpu *v, bool *warned);

#define CNTV_CTL_ENABLE		BIT(0)
#define CNTV_CTL_IMASK		BIT(1)
#define CNTV_CTL_ISTATUS	BIT(2)

/* A timer's output: enabled, condition met, not masked (level-sensitive). */
static inline bool vtimer_asserted(u64 ctl)
{
	return (ctl & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK | CNTV_CTL_ISTATUS)) ==
	       (CNTV_CTL_ENABLE | CNTV_CTL_ISTATUS);
}

/*
 * At every exit of the running vCPU @v (@vc: its vGIC CPU state): sample its
 * timers' outputs; a forwarded timer interrupt (hw set) whose timer no longer
 * asserts it and that the guest has not taken yet is withdrawn (the line is
 * level-sensitive: masking it at the redistributor, then disabling the timer,
 * leaves nothing pending). Inline, the per-exit fast path (doc/bench.md
 * "Session 7"): a timer whose line is not forwarded (hw clear, the common
 * exit) has nothing to withdraw, and only this CPU sets or clears hw for the
 * vCPU it runs (vgic.h), so the flag is read first and the timer only then.
 */
static inline void vtimer_sample(struct vcpu *v, const struct vgic_cpu *vc)
{
	if (READ_ONCE(vc->priv[GIC_PPI_VTIMER].hw) && !vtimer_asserted(read_sysreg(cntv_ctl_el0)))
		vgic_hw_line_low(v, GIC_PPI_VTIMER);
	if (READ_ONCE(vc->priv[GIC_PPI_PTIMER].hw) && !vtimer_asserted(read_sysreg(cntp_ctl_el0)))
		vgic_hw_line_low(v, GIC_PPI_PTIMER);
}

#endif
