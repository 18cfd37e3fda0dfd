// SPDX-License-Identifier: GPL-2.0
/*
 * CPU enumeration (ACPI MADT) and AP start-up (INIT-SIPI-SIPI).
 *
 * Logical CPU 0 is the boot CPU; the others are numbered in MADT order and
 * started one at a time: they share one mailbox (ap_boot_cpu, ap_boot_stack)
 * that the next AP may only see once the previous one has acknowledged
 * reading it.
 *
 * Without a MADT, every other CPU is started at once with all-but-self
 * INIT-SIPI-SIPI; each AP claims the next logical index (and its stack) with
 * an atomic increment of ap_next_cpu in entry64.S, and the CPUs that did so
 * within AP_BROADCAST_WAIT_US are the machine's CPUs (doc/boot-x86.md).
 */
#include <hyp/types.h>
#include <hyp/arch.h>
#include <hyp/atomic.h>
#include <hyp/console.h>
#include <hyp/panic.h>
#include <hyp/percpu.h>
#include <hyp/platform.h>
#include <hyp/string.h>
#include <x86/apic.h>
#include <x86/acpi.h>
#include <x86/layout.h>
#include <x86/percpu.h>
#include <x86/pit.h>
#include <x86/setup.h>

extern const u8 trampoline_start[], trampoline_end[];

/* Mailbox read by entry64.S (ap_start64). */
u64 ap_boot_stack;
u32 ap_boot_cpu;
/* Set by the AP once it no longer needs the mailbox. */
static u32 ap_ack;
/* Broadcast start: mode flag, next free logical index, index limit. */
u32 ap_broadcast;
u32 ap_next_cpu = 1;
u32 ap_cpu_limit = HYP_MAX_CPUS;
static bool no_madt;

#define AP_ACK_TIMEOUT_US	200000	/* per AP; bochs needs a few ms */
#define AP_BROADCAST_WAIT_US	200000	/* for all APs together */

static void add_cpu(u32 apic_id, void *arg)
{
	u32 bsp = *(const u32 *)arg;

	if (apic_id == bsp)
		return;		/* already logical CPU 0 */
	/* xAPIC IPIs address 8-bit IDs; 0xff is the broadcast ID. */
	if (apic_id >= 0xff) {
		pr_warn("smp: ignoring x2APIC ID %u (xAPIC mode only)\n", apic_id);
		return;
	}
	if (platform.nr_cpus >= HYP_MAX_CPUS) {
		pr_warn("smp: ignoring APIC ID %u (HYP_MAX_CPUS %d)\n", apic_id, HYP_MAX_CPUS);
		return;
	}
	platform.cpu_hwid[platform.nr_cpus++] = apic_id;
}

void x86_smp_enumerate(void)
{
	u32 bsp = lapic_id();
	int n;

	platform.cpu_hwid[0] = bsp;
	platform.nr_cpus = 1;
	n = acpi_for_each_lapic(add_cpu, &bsp);
	no_madt = n < 0;
	if (no_madt)
		pr_warn("smp: no ACPI MADT: will count the CPUs that answer a broadcast start\n");
	else
		pr_info("smp: MADT lists %d CPU(s), using %u\n", n, platform.nr_cpus);
	for (n = 0; n < (int)platform.nr_cpus; n++)
		percpu_data[n].hwid = platform.cpu_hwid[n];
}

static bool wait_ack(u32 us)
{
	u32 step = 100;

	for (;;) {
		if (atomic_load_acquire(&ap_ack))
			return true;
		if (us < step)
			return false;
		pit_udelay(step);
		us -= step;
	}
}

static bool start_ap(unsigned int cpu)
{
	u32 apic = (u32)platform.cpu_hwid[cpu];

	ap_boot_cpu = cpu;
	ap_boot_stack = x86_cpus[cpu].stack_top;
	atomic_store_release(&ap_ack, 0);	/* mailbox written before the IPIs */

	/* Intel SDM 8.4.4.1: INIT, 10 ms, SIPI, 200 us, SIPI. */
	lapic_send_ipi(apic, APIC_ICR_INIT | APIC_ICR_LEVEL_ASSERT);
	lapic_wait_idle();
	pit_udelay(10000);
	lapic_send_ipi(apic, APIC_ICR_STARTUP | TRAMPOLINE_SIPI_VECTOR);
	lapic_wait_idle();
	pit_udelay(200);
	/* A second SIPI is ignored by a CPU that already left wait-for-SIPI. */
	if (!atomic_load_acquire(&ap_ack)) {
		lapic_send_ipi(apic, APIC_ICR_STARTUP | TRAMPOLINE_SIPI_VECTOR);
		lapic_wait_idle();
	}
	if (wait_ack(AP_ACK_TIMEOUT_US))
		return true;
	/* Park it again so a late start cannot read the next AP's mailbox. */
	lapic_send_ipi(apic, APIC_ICR_INIT | APIC_ICR_LEVEL_ASSERT);
	lapic_wait_idle();
	return false;
}

static void send_init_sipi_sipi_all(void)
{
	lapic_send_ipi(0, APIC_ICR_INIT | APIC_ICR_LEVEL_ASSERT | APIC_ICR_ALL_BUT_SELF);
	lapic_wait_idle();
	pit_udelay(10000);
	lapic_send_ipi(0, APIC_ICR_STARTUP | APIC_ICR_ALL_BUT_SELF | TRAMPOLINE_SIPI_VECTOR);
	lapic_wait_idle();
	pit_udelay(200);
	/* Unconditional: we cannot know whether every AP took the first one. */
	lapic_send_ipi(0, APIC_ICR_STARTUP | APIC_ICR_ALL_BUT_SELF | TRAMPOLINE_SIPI_VECTOR);
	lapic_wait_idle();
}

static void start_all_broadcast(void)
{
	unsigned int n;

	atomic_store_release(&ap_broadcast, 1);	/* before any AP can run ap_start64 */
	send_init_sipi_sipi_all();
	pit_udelay(AP_BROADCAST_WAIT_US);
	n = MIN(atomic_load_acquire(&ap_next_cpu), (u32)HYP_MAX_CPUS);
	/* An AP answering later still gets an index but is not counted. */
	platform.nr_cpus = n;
	nr_cpus_possible = n;
	pr_info("smp: %u CPU(s) answered the broadcast start-up\n", n);
}

void x86_smp_boot(void)
{
	unsigned int cpu;
	size_t len = (size_t)(trampoline_end - trampoline_start);

	BUG_ON(len > PAGE_SIZE);	/* layout.h gives it one page */
	memcpy((void *)(uintptr_t)TRAMPOLINE_BASE, trampoline_start, len);
	if (no_madt) {
		start_all_broadcast();
		return;
	}
	for (cpu = 1; cpu < platform.nr_cpus; cpu++) {
		x86_cpus[cpu].stack_top = (u64)(uintptr_t)&hyp_stacks[cpu][HYP_STACK_SIZE];
		if (!start_ap(cpu))
			pr_err("smp: CPU%u (APIC ID %llu) did not start\n", cpu,
			       platform.cpu_hwid[cpu]);
	}
}

/*
 * First C of an AP: record its APIC ID (the only source of it after a
 * broadcast start; a cross-check otherwise) and free the mailbox.
 */
void x86_ap_arrived(unsigned int cpu, u32 apic_id)
{
	if (atomic_load_acquire(&ap_broadcast))
		platform.cpu_hwid[cpu] = apic_id;
	else if (platform.cpu_hwid[cpu] != apic_id)
		pr_warn("smp: cpu%u has APIC ID %u, MADT said %llu\n", cpu, apic_id,
			platform.cpu_hwid[cpu]);
	percpu_data[cpu].hwid = apic_id;
	atomic_store_release(&ap_ack, 1);
}
