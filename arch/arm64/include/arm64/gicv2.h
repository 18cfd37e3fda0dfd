/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The physical GICv2 (GIC-400, as on the ZynqMP), owned by the hypervisor
 * (doc/boards.md, doc/interrupts.md): the same contract as arm64/gic.h,
 * which dispatches here when the host DTB names a GICv2. Memory-mapped
 * distributor and CPU interface (GICC), EOImode=1 (GICC_EOIR drops the
 * priority, GICC_DIR deactivates), every interrupt in group 0 (the secure
 * view QEMU gives without security extensions; under TF-A our accesses are
 * non-secure, IGROUPR is RAZ/WI and the same GICC_CTLR bits 0 and 9 mean
 * EnableGrp1 and EOImodeNS), SGIs through GICD_SGIR by CPU interface number.
 */
#ifndef ARM64_GICV2_H
#define ARM64_GICV2_H

#include <hyp/types.h>

bool gicv2_init(void);
void gicv2_cpu_init(void);
bool gicv2_ready(void);
void gicv2_send_sgi(unsigned int cpu, unsigned int intid);
unsigned int gicv2_ack(void);
void gicv2_eoi(unsigned int intid);
void gicv2_deactivate(unsigned int intid);
bool gicv2_ppi_active(unsigned int intid);
/* A guest deactivation may have ended a HW-mapped interrupt: signal it again if still raised. */
void gicv2_resample(void);
void gicv2_clear_active_ppi(unsigned int cpu, unsigned int intid);
void gicv2_enable_spi(unsigned int intid, unsigned int cpu);
void gicv2_disable_spi(unsigned int intid);
/* List registers the GICH implements (0: no virtualization extensions). MMU on. */
unsigned int gicv2_list_regs(void);

#endif
