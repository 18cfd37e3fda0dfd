/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest time (doc/interrupts.md): every vCPU owns its physical CPU's EL1
 * virtual timer (CNTV_*, not trapped, CNTVOFF_EL2 = 0 so every VM reads the
 * same counter as the hypervisor); its interrupt, PPI 27, is taken at EL2
 * and forwarded to the guest as a hardware-mapped list register. The EL1
 * physical timer is the hypervisor's: guest accesses to CNTP_* trap
 * (CNTHCTL_EL2.EL1PCEN = 0) and are UNDEFINED; CNTPCT stays readable.
 */
#ifndef ARM64_VTIMER_H
#define ARM64_VTIMER_H

/* The vCPU starts on this CPU: timer off, counter access as above. */
void vtimer_vcpu_load(void);
/* The vCPU leaves this CPU for good: its timer must not fire any more. */
void vtimer_vcpu_put(void);

#endif
