/* SPDX-License-Identifier: GPL-2.0 */
/* Boot flow of the x86 port and the core entry points it calls. */
#ifndef X86_SETUP_H
#define X86_SETUP_H

#include <hyp/types.h>

/* Linker symbols (hyp.lds.S). */
extern char __hyp_start[], __hyp_end[];

/* Set by boot32.S from the loader's EAX/EBX. */
extern u32 boot_magic, boot_mbi;

/* C entry of the boot CPU (from entry64.S). */
__noreturn void x86_boot_main(void);
/* C entry of an application processor (from entry64.S). */
__noreturn void x86_ap_main(unsigned int cpu);

/* AP start-up mailbox and broadcast-start counters, read by entry64.S (smp.c). */
extern u64 ap_boot_stack;
extern u32 ap_boot_cpu;
extern u32 ap_broadcast, ap_next_cpu, ap_cpu_limit;

/* Enumerate CPUs into platform.cpu_hwid / nr_cpus (smp.c). */
void x86_smp_enumerate(void);
/* Start every AP with INIT-SIPI-SIPI (smp.c). */
void x86_smp_boot(void);
/* An AP records its APIC ID and frees the start-up mailbox (smp.c). */
void x86_ap_arrived(unsigned int cpu, u32 apic_id);

/* Core entry points (hyp/main.c). */
#include <hyp/boot.h>

#endif
