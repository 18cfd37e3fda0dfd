// SPDX-License-Identifier: GPL-2.0
/*
 * The boot CPU's path from head.S to the core:
 *
 *   head.S (MMU off)   relocate, zero .bss, stack, TPIDR_EL2, VBAR_EL2
 *   arm64_boot_main    parse DTB (MMU off) -> UART -> refuse EL1
 *                      -> EL2 registers -> build + enable stage-1 MMU
 *   hyp_init(dtb)      core: platform, page allocator, banner
 *   tlb_boot_check     every stage-2 TLBI once (traps now, not under a guest)
 *   gic_init           physical GIC (v3, or v2: gicv2.c) + this CPU's interface
 *   secondaries        PSCI CPU_ON each; they enter hyp_secondary_main()
 *   selftest_run       arm64.selftest=... (arm64/selftest.h), if asked
 *   hyp_main()         core: wait for CPUs, self tests, power off
 */
#include <hyp/arch.h>
#include <hyp/console.h>
#include <hyp/platform.h>
#include <hyp/printf.h>
#include <arm64/cpu.h>
#include <arm64/clear_page.h>
#include <arm64/cpufeature.h>
#include <arm64/gic.h>
#include <arm64/layout.h>
#include <arm64/mmu.h>
#include <arm64/psci.h>
#include <arm64/selftest.h>
#include <arm64/smp.h>
#include <arm64/tlb.h>
#include <arm64/vcpu.h>
#include <arm64/uart.h>

/* Linux's arm64 boot protocol caps the DTB at 2 MiB. */
#define DTB_MAX_SIZE	(2ULL << 20)

s64 hyp_load_offset;
u64 boot_el;

/* Stop without ever touching EL2 state (we may be at EL1). */
static __noreturn void early_stop(void)
{
	uart_flush();
	psci_system_off();	/* halts if there is no usable PSCI */
}

static __noreturn void refuse_el(unsigned int el)
{
	char buf[160];

	hyp_snprintf(buf, sizeof(buf),
		     "hyp: entered at EL%u, but must be started at EL2 (QEMU: -M virt,virtualization=on;\n"
		     "hyp: U-Boot: CONFIG_ARMV8_SWITCH_TO_EL1 must be off). Stopping.\n", el);
	uart_puts(buf);
	early_stop();
}

__noreturn void arm64_boot_main(const void *dtb)
{
	unsigned int el = (unsigned int)boot_el;
	const char *why = "";
	char buf[160];
	bool psci_ok;
	int err;

	arm64_cpus_early_init();
	/* With the MMU off: every access is Device-typed, no atomics yet. */
	err = platform_from_dtb(&platform, dtb, DTB_MAX_SIZE, &why);
	uart_init();	/* the console is parsed first: a refusal can be printed */
	psci_ok = psci_init(platform.psci, el);	/* early_stop() uses it (NONE if unparsed) */
	if (el != 2)
		refuse_el(el);
	if (err) {
		/* Printed if the console UART was found before the refusal. */
		hyp_snprintf(buf, sizeof(buf), "hyp: bad DTB at %p: %s\n", dtb, why);
		uart_puts(buf);
		early_stop();
	}
	cpu_features_init();
	arm64_el2_init();
	err = mmu_build();
	if (err) {
		hyp_snprintf(buf, sizeof(buf), "hyp: cannot build the EL2 page tables: %s\n",
			     err_str(err));
		uart_puts(buf);
		early_stop();
	}
	arm64_inval_image_dcache();
	arm64_mmu_enable(&mmu_boot_cfg);
	arm64_clear_page_init();	/* DC ZVA needs the Normal mapping just enabled */

	hyp_init(dtb);
	if (!psci_ok)
		pr_err("PSCI conduit %s unusable at EL2: secondaries stay off\n",
		       platform.psci == PSCI_HVC ? "HVC" : "(none)");
	tlb_boot_check();
	smp_init_cpus();
	if (gic_init())
		gic_cpu_init();
	arm64_console_irq_init(dtb);
	selftest_init(dtb);
	smp_boot_secondaries();
	selftest_run();
	hyp_main();
}
