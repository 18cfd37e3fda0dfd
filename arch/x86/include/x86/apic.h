/* SPDX-License-Identifier: GPL-2.0 */
/* Local APIC (xAPIC, MMIO): identity and inter-processor interrupts. */
#ifndef X86_APIC_H
#define X86_APIC_H

#include <hyp/types.h>

#define APIC_ICR_INIT		(5u << 8)
#define APIC_ICR_STARTUP	(6u << 8)
#define APIC_ICR_NMI		(4u << 8)
#define APIC_ICR_LEVEL_ASSERT	(1u << 14)
#define APIC_ICR_TRIGGER_LEVEL	(1u << 15)
#define APIC_ICR_ALL_BUT_SELF	(3u << 18)

/* Map and software-enable this CPU's local APIC. */
void lapic_init(void);
u32 lapic_id(void);
/* Send an IPI; dest is an APIC ID (ignored with a shorthand in icr_lo). */
void lapic_send_ipi(u32 dest, u32 icr_lo);
/* Wait for the previous IPI to be accepted; false on timeout. */
bool lapic_wait_idle(void);

#endif
