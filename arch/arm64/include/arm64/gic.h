/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The physical GICv3, owned by the hypervisor (doc/interrupts.md): the
 * distributor (SPIs disabled unless a device of the hypervisor's needs one),
 * one redistributor per CPU woken up, the ICC_* system-register CPU
 * interface in group 1 with EOImode=1 (priority drop and deactivation are
 * separate, so a hardware-mapped interrupt is deactivated by the guest).
 * EL2 never unmasks interrupts: they are taken as guest exits (HCR_EL2.IMO)
 * or polled after a WFI (gic_ack()).
 */
#ifndef ARM64_GIC_H
#define ARM64_GIC_H

#include <hyp/types.h>

#define GIC_SGI_KICK		0	/* arch_vcpu_kick(): leave the guest, look again */
#define GIC_PPI_MAINT		25	/* GICv3 maintenance interrupt (ICH_HCR_EL2) */
#define GIC_PPI_VTIMER		27	/* EL1 virtual timer: the guest's */
#define GIC_PPI_PTIMER		30	/* EL1 physical timer (non-secure): the guest's too */
#define GIC_SPURIOUS		1023

/* Boot CPU, MMU on: the distributor. Returns false (and says why) if unusable. */
bool gic_init(void);
/* Every CPU (after gic_init() on the boot CPU): its redistributor and CPU interface. */
void gic_cpu_init(void);
/* True once gic_init() succeeded. */
bool gic_ready(void);

/* Send SGI @intid to logical CPU @cpu. */
void gic_send_sgi(unsigned int cpu, unsigned int intid);
/* Acknowledge the highest-priority pending interrupt: its INTID, or GIC_SPURIOUS. */
unsigned int gic_ack(void);
/* Priority drop only (EOImode=1); gic_deactivate() ends it. */
void gic_eoi(unsigned int intid);
void gic_deactivate(unsigned int intid);
/* Is @intid (an SGI or PPI of this CPU) active here? */
bool gic_ppi_active(unsigned int intid);
/* Clear the active state of SGI/PPI @intid of logical CPU @cpu (any CPU may call). */
void gic_clear_active_ppi(unsigned int cpu, unsigned int intid);
/* Route SPI @intid to logical CPU @cpu, level-sensitive, and enable it. */
void gic_enable_spi(unsigned int intid, unsigned int cpu);
/* SPI @intid disabled, its pending and active states cleared (passthrough). */
void gic_disable_spi(unsigned int intid);

#endif
