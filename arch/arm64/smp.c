// SPDX-License-Identifier: GPL-2.0
/*
 * Secondary CPUs: logical numbering, PSCI CPU_ON, and stopping every CPU
 * on panic.
 *
 * Stopping: a shared flag (stop_initiator) that every other CPU polls in
 * arch_cpu_relax(), i.e. in every spin loop (locks, waits, idle), and
 * acknowledges by halting. Chosen over a GIC SGI because hypervisor code
 * runs with interrupts masked, so an IPI would only be taken by a CPU that
 * is idle or in a guest, while every hypervisor wait loop polls anyway. When
 * guests run, a CPU in a guest also needs an SGI (see doc/boot-arm64.md).
 */
#include <hyp/arch.h>
#include <hyp/atomic.h>
#include <hyp/console.h>
#include <hyp/percpu.h>
#include <hyp/platform.h>
#include <hyp/printf.h>
#include <arm64/cpu.h>
#include <arm64/gic.h>
#include <arm64/mmu.h>
#include <arm64/psci.h>
#include <arm64/smp.h>
#include <arm64/sysreg.h>
#include <arm64/uart.h>

#define STOP_NONE		(~0U)
/* Real CPUs answer in microseconds; emulated ones on a loaded host can take
 * a scheduling slice or more, and the wait only costs when one hangs. */
#define STOP_WAIT_NS		(3000ULL * 1000 * 1000)

static unsigned int nr_arm64_cpus = 1;
static unsigned int stop_initiator = STOP_NONE;
static u64 stopped_mask;	/* CPUs that reached arch_cpu_halt() */

void smp_init_cpus(void)
{
	u64 boot = read_mpidr_aff();
	unsigned int n = 1;
	bool found = false;

	arm64_cpus[0].mpidr = boot;
	for (unsigned int i = 0; i < platform.nr_cpus; i++) {
		if (platform.cpu_hwid[i] == boot) {
			found = true;
			continue;
		}
		if (n == HYP_MAX_CPUS) {
			pr_warn("more than %u CPUs in the DTB: ignoring MPIDR 0x%llx\n",
				HYP_MAX_CPUS, platform.cpu_hwid[i]);
			continue;
		}
		arm64_cpus[n].mpidr = platform.cpu_hwid[i];
		n++;
	}
	if (!found)
		pr_warn("boot CPU MPIDR 0x%llx is not in the DTB's /cpus\n", boot);
	nr_arm64_cpus = n;
	/* The core's view must match the logical numbering used here. */
	for (unsigned int i = 0; i < n; i++)
		percpu_data[i].hwid = arm64_cpus[i].mpidr;
}

void smp_boot_secondaries(void)
{
	u64 entry = (u64)(uintptr_t)secondary_entry;	/* identity map: VA == PA */

	/* A secondary reads mmu_boot_cfg with its MMU off: push it to PoC. */
	__asm__ __volatile__("dc cvac, %0" : : "r"(&mmu_boot_cfg) : "memory");
	dsb(ish);
	for (unsigned int i = 1; i < nr_arm64_cpus; i++) {
		s64 ret = psci_cpu_on(arm64_cpus[i].mpidr, entry, i);

		if (ret != PSCI_SUCCESS)
			pr_err("cpu%u (MPIDR 0x%llx): PSCI CPU_ON failed: %s (%lld)\n",
			       i, arm64_cpus[i].mpidr, psci_err_str(ret), ret);
	}
}

unsigned int smp_nr_cpus(void)
{
	return nr_arm64_cpus;
}

__noreturn void arm64_secondary_main(unsigned int cpu)
{
	arm64_el2_init();
	gic_cpu_init();		/* its redistributor and CPU interface */
	smp_check_stop();	/* a panic while we were starting: stay out */
	hyp_secondary_main(cpu);
	arch_cpu_halt();	/* hyp_secondary_main() does not return */
}

void smp_check_stop(void)
{
	unsigned int who = atomic_load_relaxed(&stop_initiator);

	if (likely(who == STOP_NONE) || who == arch_cpu_id())
		return;
	arch_cpu_halt();
}

__noreturn void arch_cpu_halt(void)
{
	__asm__ __volatile__("msr daifset, #0xf" ::: "memory");
	if (boot_el == 2)	/* at EL1 (refusal path) TPIDR_EL2 is not ours */
		atomic_fetch_or(&stopped_mask, BIT(arch_cpu_id()));
	for (;;)
		__asm__ __volatile__("wfi" ::: "memory");
}

static u64 online_mask(void)
{
	u64 m = 0;

	for (unsigned int i = 0; i < HYP_MAX_CPUS; i++)
		if (READ_ONCE(percpu_data[i].online))
			m |= BIT(i);
	return m;
}

void arch_stop_other_cpus(void)
{
	unsigned int me = arch_cpu_id();
	unsigned int expect = STOP_NONE;
	u64 targets, deadline, stopped;
	char buf[96];

	if (!__atomic_compare_exchange_n(&stop_initiator, &expect, me, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
		if (expect != me)
			arch_cpu_halt();	/* another CPU is already stopping us all */
		return;				/* second call from the same panic */
	}
	/* Wake CPUs sleeping in WFE so they poll the flag. */
	dsb(ish);
	__asm__ __volatile__("sev" ::: "memory");

	targets = online_mask() & ~BIT(me);
	/* ... and CPUs in a guest or waiting in WFI for one (no locks taken). */
	for (unsigned int i = 0; i < HYP_MAX_CPUS; i++)
		if (targets & BIT(i))
			gic_send_sgi(i, GIC_SGI_KICK);
	deadline = arm64_now_ns() + STOP_WAIT_NS;
	do {
		stopped = atomic_load_acquire(&stopped_mask) & targets;
	} while (stopped != targets && arm64_now_ns() < deadline);

	/* No console lock here: the caller may be panicking while holding it. */
	hyp_snprintf(buf, sizeof(buf), "cpu%u: stopped %u of %u other online CPUs (mask 0x%llx)%s\n",
		     me, __builtin_popcountll(stopped), __builtin_popcountll(targets), stopped,
		     stopped == targets ? "" : ", some did not respond");
	uart_puts(buf);
}
