/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the hypervisor learns about the machine from firmware (DTB on arm64,
 * multiboot + ACPI/MP tables on x86).
 */
#ifndef HYP_PLATFORM_H
#define HYP_PLATFORM_H

#include <hyp/types.h>
#include <hyp/addr.h>
#include <hyp/arch.h>

#define PLAT_MAX_MEM	8
#define PLAT_MAX_RSV	16

struct mem_range {
	paddr_t base;
	u64 size;
};

enum psci_conduit { PSCI_NONE = 0, PSCI_HVC, PSCI_SMC };

/* The console UARTs the hypervisor drives (doc/boards.md). */
enum uart_kind { UART_NONE = 0, UART_PL011, UART_CADENCE };

/* Architected timer outputs, in the order of the arm,armv8-timer binding. */
enum { TIMER_SEC_PHYS, TIMER_PHYS, TIMER_VIRT, TIMER_HYP, TIMER_NR };

struct platform {
	struct mem_range mem[PLAT_MAX_MEM];
	unsigned int nr_mem;
	struct mem_range rsv[PLAT_MAX_RSV];	/* /memreserve/ and /reserved-memory */
	unsigned int nr_rsv;
	u64 cpu_hwid[HYP_MAX_CPUS];		/* MPIDR affinity / APIC ID */
	unsigned int nr_cpus;
	paddr_t uart_base;
	bool has_uart;
	enum uart_kind uart_kind;
	unsigned int uart_irq;			/* its SPI as an INTID, 0 if none given */
	enum psci_conduit psci;
	unsigned int gic_version;		/* 0 if none found */
	paddr_t gicd_base;
	paddr_t gicr_base;			/* GICv3 redistributors */
	u64 gicr_size;
	paddr_t gicc_base;			/* GICv2: CPU interface */
	u64 gicc_size;				/* 128 KiB: 4 KiB pages 64 KiB apart (below) */
	paddr_t gich_base;			/* GICv2: virtual interface control (0: none) */
	paddr_t gicv_base;			/* GICv2: virtual CPU interface (0: none) */
	u64 gicv_size;
	unsigned int gic_maint_irq;		/* maintenance PPI as an INTID, 0 if none given */
	unsigned int timer_irq[TIMER_NR];	/* PPIs as INTIDs, 0 if no arm,armv8-timer */
};

extern struct platform platform;

/*
 * A GICv2 CPU interface (GICC or GICV) is two 4 KiB pages; a 128 KiB region
 * (GIC-400 on 64 KiB-page systems, ZynqMP) aliases each page over 64 KiB,
 * so the second page (GICC_DIR) is at +64 KiB, not +4 KiB (as Linux's
 * gic_check_eoimode() finds).
 */
static inline paddr_t gic_cpuif_page1(paddr_t base, u64 size)
{
	return pa_init(pa_addr(base) + (size == 0x20000 ? 0x10000 : 0x1000));
}

/*
 * Fill *plat from a DTB. Returns 0 or -E_FORMAT with *why set; a device the
 * hypervisor needs but cannot drive (console UART, interrupt controller,
 * timer, PSCI conduit) is refused with its node's path in *why.
 */
int platform_from_dtb(struct platform *plat, const void *dtb, u64 max_size, const char **why);

#endif
