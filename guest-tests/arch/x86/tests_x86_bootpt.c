// SPDX-License-Identifier: GPL-2.0
/*
 * Issue 14 item 1 (doc/guest-memory.md): restarting vCPU 0 must not make the
 * hypervisor write guest memory the guest is unmapping. The old build
 * rewrote the boot page tables in the top six pages of RAM at every CPU_ON
 * of vCPU 0, through a host pointer taken outside any lock: with another
 * vCPU unmapping those pages, the page-directory entries landed in freed
 * pages ("palloc: page ... written while free", caught by
 * scripts/tests/x86-guest-qemu.sh) and vCPU 0 could start on torn tables.
 *
 * vCPU 0 (the test runner) saves its context and turns itself off; vCPU 1
 * turns it on BP_ROUNDS times at bp_entry (each start records its round and
 * turns off again, the last one resumes the runner); vCPU 2 unmaps the last
 * pages of RAM in a loop meanwhile. All three run on their own copy of the
 * identity map first, so RAM's last pages are nobody's page tables.
 */
#include "guest.h"

/*
 * Restarts: 50 under SVM (QEMU); 30 under VMX (bochs, ~75 MIPS, within
 * x86-guest-bochs.sh's 170 s). The old build wrote freed pages in ~19% of
 * rounds and triple-faulted vCPU 0 by its 2nd restart.
 */
static u64 bp_rounds;
#define BP_ROUNDS	bp_rounds
#define BP_PT_PAGES	6	/* PML4, PDPT, 4 page directories */
#define BP_TOP		(RAM_BASE + RAM_SIZE - BP_PT_PAGES * PAGE_SIZE)

static u64 bp_pt[BP_PT_PAGES][512] __attribute__((aligned(4096)));
static u8 bp_stack[4096] __attribute__((aligned(16)));
u8 *bp_stack_top = bp_stack + sizeof(bp_stack);

struct desc_ptr {
	unsigned short limit;
	u64 base;
} __attribute__((packed));
struct desc_ptr bp_gdtr, bp_idtr;
u64 bp_cr3;

static struct {
	void *jmp[5];		/* __builtin_setjmp */
	u64 started;		/* round vCPU 0 last started in */
	u64 unmaps, unmap_errors, on_errors, timeouts;
	u32 stop;
} bp;

/* CPU_ON entry of vCPU 0 (RDI = round): GDT, IDT, our tables, segments, C. */
void bp_entry(void);
__asm__(".text\n" X86_CPU_ON_ENTRY(bp_entry, bp, bp_resume));

void bp_resume(u64 round);
void bp_resume(u64 round)
{
	store_release(&bp.started, round);
	if (round == BP_ROUNDS)
		__builtin_longjmp(bp.jmp, 1);	/* back into the test, on its stack */
	hyp_call(PSCI_CPU_OFF, 0, 0, 0);
	for (;;)
		cpu_idle_wait();
}

static void load_cr3(u64 v)
{
	__asm__ __volatile__("mov %0, %%cr3" :: "r"(v) : "memory");
}

static void bp_use_own_tables(void *arg)
{
	(void)arg;
	load_cr3(bp_cr3);
}

static bool bp_wait(bool (*done)(u64), u64 arg)
{
	u64 t0 = clock_ticks(), limit = clock_hz() * 5;	/* 5 s: only a hang gets there */

	while (!done(arg))
		if (clock_ticks() - t0 > limit)
			return false;
	return true;
}

static bool cpu0_off(u64 unused)
{
	(void)unused;
	return arch_cpu_is_off(0);
}

static bool cpu0_started(u64 round)
{
	return load_acquire(&bp.started) == round;
}

/* vCPU 1: CPU_ON(0) once per round, after vCPU 0 is off again. */
static void bp_driver(void *arg)
{
	(void)arg;
	for (u64 k = 1; k <= BP_ROUNDS; k++) {
		if (!bp_wait(cpu0_off, 0))
			bp.timeouts++;
		/* The last round must resume the runner whatever happened before. */
		while (hyp_call(PSCI_CPU_ON, 0, (u64)bp_entry, k).a0 != 0) {
			bp.on_errors++;
			if (k < BP_ROUNDS)
				break;
			cpu_relax();
		}
		if (k < BP_ROUNDS && !bp_wait(cpu0_started, k))
			bp.timeouts++;
	}
}

/* vCPU 2: unmap RAM's last pages until told to stop. */
static void bp_unmapper(void *arg)
{
	(void)arg;
	while (!load_acquire(&bp.stop)) {
		if (hyp_call(HC_UNMAP, BP_TOP, BP_PT_PAGES * PAGE_SIZE, 0).a0)
			bp.unmap_errors++;
		bp.unmaps++;
	}
}

GTEST(x86_cpu0_restart_vs_unmap)
{
	u64 base = (u64)bp_pt;

	if (nr_cpus < 3)
		SKIP("needs 3 vCPUs, have %u", nr_cpus);
	{
		u32 a, b, c, d;

		__asm__ __volatile__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));
		bp_rounds = b == 0x68747541 ? 50 : 30;	/* "Auth"enticAMD: SVM */
	}
	/* Our own identity map of 0..4 GiB (2 MiB pages), the hypervisor's layout. */
	bp_pt[0][0] = (base + PAGE_SIZE) | 3;
	for (u64 g = 0; g < 4; g++) {
		bp_pt[1][g] = (base + (2 + g) * PAGE_SIZE) | 3;
		for (u64 j = 0; j < 512; j++)
			bp_pt[2 + g][j] = (g << 30 | j << 21) | 0x83;
	}
	bp_cr3 = base;
	smp_mb();
	__asm__ __volatile__("sgdt %0; sidt %1" : "=m"(bp_gdtr), "=m"(bp_idtr));
	load_cr3(bp_cr3);
	for (unsigned int c = 1; c <= 2; c++) {
		cpu_run(c, bp_use_own_tables, NULL);
		cpu_wait(c);
	}
	cpu_run(2, bp_unmapper, NULL);
	cpu_run(1, bp_driver, NULL);
	if (__builtin_setjmp(bp.jmp) == 0) {
		hyp_call(PSCI_CPU_OFF, 0, 0, 0);
		FAIL("PSCI CPU_OFF of vCPU 0 returned");
	}
	/* Resumed by the last round, on vCPU 0, with fresh GDT/IDT loaded. */
	store_release(&bp.stop, 1);
	cpu_wait(1);
	cpu_wait(2);
	if (bp.on_errors || bp.timeouts)
		FAIL("%lu CPU_ON(0) errors, %lu timeouts in %lu rounds", bp.on_errors,
		     bp.timeouts, BP_ROUNDS);
	if (bp.unmap_errors)
		FAIL("%lu of %lu HC_UNMAPs of RAM's last pages failed", bp.unmap_errors, bp.unmaps);
	if (bp.unmaps < BP_ROUNDS / 4)
		FAIL("only %lu unmaps during %lu restarts: no race", bp.unmaps, BP_ROUNDS);
	printf("guest: vCPU 0 restarted %lu times during %lu unmaps of RAM's last %u pages\n",
	       BP_ROUNDS, bp.unmaps, BP_PT_PAGES);
	return 0;
}
