// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 boot flow (C part). Boot CPU: per-CPU GS, console, GDT/TSS/IDT,
 * multiboot memory map and ACPI CPUs into `platform`, then the core's
 * memory and banner, the APs, and hyp_main(). Each AP: the same per-CPU
 * set-up, then hyp_secondary_main().
 * The multiboot command line is the hypervisor's (hyp/include/hyp/bootargs.h).
 */
#include <hyp/types.h>
#include <hyp/arch.h>
#include <hyp/bootargs.h>
#include <hyp/console.h>
#include <hyp/platform.h>
#include <x86/apic.h>
#include <x86/gdt.h>
#include <x86/multiboot.h>
#include <x86/percpu.h>
#include <x86/pit.h>
#include <x86/setup.h>
#include <x86/traps.h>
#include <x86/uart.h>

u32 boot_magic, boot_mbi;

/* After x86_percpu_init(), which must come first: arch_cpu_id() reads %gs. */
static void cpu_local_init(unsigned int cpu)
{
	x86_gdt_init(&x86_cpus[cpu]);
	x86_idt_load();
	lapic_init();
}

__noreturn void x86_boot_main(void)
{
	/* APIC ID unknown until the LAPIC is mapped: filled in below. */
	x86_percpu_init(0, 0);
	x86_uart_init();
	x86_idt_init();
	cpu_local_init(0);
	x86_cpus[0].apic_id = lapic_id();

	multiboot_parse(boot_magic, boot_mbi);
	bootargs_parse(&bootargs, multiboot_cmdline(), PAGE_SIZE);
	x86_smp_enumerate();
	multiboot_vm_config();
	hyp_init_memory();
	x86_tsc_calibrate();
	hyp_print_banner();
	x86_smp_boot();
	hyp_main();
}

__noreturn void x86_ap_main(unsigned int cpu)
{
	/* The boot CPU mapped the LAPIC: its ID register reads this CPU's. */
	u32 apic_id = lapic_id();

	x86_percpu_init(cpu, apic_id);
	x86_ap_arrived(cpu, apic_id);	/* stack and index read: mailbox free */
	cpu_local_init(cpu);
	hyp_secondary_main(cpu);
	arch_cpu_halt();	/* the core idles there forever; never get lost */
}
