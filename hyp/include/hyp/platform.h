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

struct platform {
	struct mem_range mem[PLAT_MAX_MEM];
	unsigned int nr_mem;
	struct mem_range rsv[PLAT_MAX_RSV];	/* /memreserve/ and /reserved-memory */
	unsigned int nr_rsv;
	u64 cpu_hwid[HYP_MAX_CPUS];		/* MPIDR affinity / APIC ID */
	unsigned int nr_cpus;
	paddr_t uart_base;
	bool has_uart;
	enum psci_conduit psci;
	unsigned int gic_version;		/* 0 if none found */
	paddr_t gicd_base;
	paddr_t gicr_base;
	u64 gicr_size;
};

extern struct platform platform;

/* Fill *plat from a DTB. Returns 0 or -E_FORMAT with *why set. */
int platform_from_dtb(struct platform *plat, const void *dtb, u64 max_size, const char **why);

#endif
