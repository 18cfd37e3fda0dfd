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

/* The vCPU starts on this CPU: timer off, counter access as above. */
void vtimer_vcpu_load(void);
/* The vCPU leaves this CPU for good: its timer must not fire any more. */
void vtimer_vcpu_put(void);

struct vcpu;
/*
 * At every exit of the running vCPU @v: sample its timer's output; if it is
 * not asserted, a forwarded timer interrupt the guest has not taken yet is
 * withdrawn (the line is level-sensitive: masking it at the redistributor,
 * then disabling the timer, leaves nothing pending).
 */
void vtimer_sample(struct vcpu *v);

#endif
