/* SPDX-License-Identifier: GPL-2.0 */
/* Just enough ACPI to enumerate CPUs: RSDP -> RSDT/XSDT -> MADT. */
#ifndef X86_ACPI_H
#define X86_ACPI_H

#include <hyp/types.h>

/*
 * Call fn(apic_id, arg) for every enabled (or online-capable) local APIC in
 * the MADT. Returns the number of calls, or -1 if there is no usable MADT.
 */
int acpi_for_each_lapic(void (*fn)(u32 apic_id, void *arg), void *arg);

#endif
