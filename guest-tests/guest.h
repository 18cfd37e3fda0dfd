/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest test-kernel framework (bare metal, arm64: EL1). See doc/guests.md.
 *
 * The hypervisor loads guest-tests.bin at the VM's RAM base (arm64: IPA
 * 0x40000000 in configs/vms/guest-tests.dts) and enters it at offset 0
 * (arm64: EL1h, MMU off, x0 = guest DTB or 0). Console: the platform UART
 * (arm64: the emulated PL011 at IPA 0x09000000). vCPUs and power:
 * arch_cpu_*() (arm64: PSCI over HVC). Tests register with GTEST(); each
 * prints "guest-test: <name>: PASS|FAIL|SKIP ..." and the run ends with
 * "guest-tests: N passed, N failed, N skipped" and a system power-off.
 */
#ifndef GUEST_H
#define GUEST_H

typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long u64;
typedef long s64;
typedef unsigned long size_t;
typedef _Bool bool;
#define true 1
#define false 0
#define NULL ((void *)0)

#define GUEST_MAX_CPUS	8
#define PAGE_SIZE	4096UL
#define SZ_2M		0x200000UL
#define POISON		0xdeadbeefdeadbeefUL	/* hyp/include/hyp/palloc.h PALLOC_POISON */

/*
 * Architecture split (doc/guests.md): guest-tests/arch/$(ARCH)/guest_arch.h,
 * found through the include path guest-tests/guest.mk sets, provides
 *   smp_mb(), cpu_relax(), cpu_idle_wait(), cpu_wake_all()  barriers, waiting
 *   struct hyp_res, hyp_call(fn, a1, a2, a3)  one hypercall (doc/hypercalls.md);
 *                          named hyp_call on every architecture (was hvc_call)
 *   cpu_id(), clock_ticks(), clock_hz()  vCPU index, a counter and its rate
 *   dcache_clean_inval(), arch_putc(), arch_cpu_on/off/is_off(),
 *   arch_system_off(), arch_fault_is_external()
 *   PLAT_RAM_BASE, PLAT_RAM_SIZE, PLAT_UART_BASE  the guest platform defaults,
 *   PLAT_RAM_SIZE_MAX  the most RAM a DTB may give (what the arch can map)
 * tests.c and lib.c use only these names; arch-only tests live in
 * guest-tests/arch/$(ARCH)/ and run after the common ones.
 */
#include "guest_arch.h"

/*
 * The platform (dtb.c): the built-in PLAT_* values, or what the guest DTB
 * said. RAM_BASE is the link address and must be what the DTB says.
 */
struct platform {
	u64 ram_base, ram_size, uart_base;
	unsigned int cpus;	/* from the DTB; 0 = unknown, probe */
	unsigned int gic;	/* GIC version the DTB describes (0: none; built-in: 3) */
	bool from_dtb;
	u64 dtb;		/* as passed at entry (0 = none) */
	const char *dtb_err;	/* why the DTB was not used, or NULL */
};
extern struct platform plat;
/*
 * Fill plat from the DTB at dtb (0 = none), before the console is used. The
 * arch's early code calls it when it needs the platform before C runs
 * normally (arm64: to build the stage-1 map, MMU off); else guest_main() does.
 */
void platform_init(u64 dtb);
/* Arch: can this RAM and UART be used (e.g. covered by the stage-1 map)? */
bool plat_valid(u64 ram_base, u64 ram_size, u64 uart);
/* Arch: is the stage-1 MMU / paging on on this vCPU? */
bool arch_mmu_on(void);

#define RAM_BASE	PLAT_RAM_BASE
#define RAM_SIZE	(plat.ram_size)
#define UART_BASE	(plat.uart_base)

#define READ_ONCE(x)	(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)

/* ---- hypercalls (doc/hypercalls.md) ------------------------------------ */
/*
 * The guest ABI, shared with the hypervisor (guest.mk puts hyp/include on the
 * include path): HC_* call numbers, HC_ERR() and the HC_E_* error codes, the
 * limits, and the counter indices HC_CNT_* for hyp_counter().
 */
#include <hyp/abi/hypercall.h>

/* ---- console ------------------------------------------------------------ */
void putc(char c);
void puts(const char *s);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- CPUs --------------------------------------------------------------- */
extern unsigned int vm_id;		/* HC_VERSION x2: the hypervisor's VM number */
extern unsigned int nr_vms;		/* HC_VERSION x3: VMs the hypervisor runs */
extern unsigned int hyp_flags;		/* HC_VERSION x2[63:32] */
#define HYP_F_CHURN	(unsigned int)(HC_VERSION_F_CHURN >> 32)	/* the hypervisor churns this VM's memory (doc/churn.md) */
#define HYP_F_IDENTITY	(unsigned int)(HC_VERSION_F_IDENTITY >> 32)	/* RAM identity-mapped (doc/passthrough.md) */
extern unsigned int nr_cpus;		/* vCPUs found at boot (arch_cpu_on probing) */
/* Run fn(arg) on secondary cpu; returns at once. cpu_wait() waits for it. */
void cpu_run(unsigned int cpu, void (*fn)(void *), void *arg);
void cpu_wait(unsigned int cpu);
/* Turn secondary cpu off and on again (it restarts from reset); 0, or -1 if CPU_ON failed. */
int cpu_restart(unsigned int cpu);
__attribute__((noreturn)) void system_off(void);
/* A u32 property of /chosen in the guest DTB (last 2 MiB of RAM); 0 if absent. */
u32 chosen_u32(const char *name);

/* ---- faults ------------------------------------------------------------- */
/* Arm: the next synchronous exception on this CPU is recorded and skipped. */
void expect_fault(void);
/* The syndrome (arm64: ESR_EL1) of the fault taken since expect_fault(), or 0. */
u64 fault_taken(u64 *far);
/* For the arch exception handler: true if armed (recorded; skip the insn). */
bool fault_record(u64 syndrome, u64 addr);
__attribute__((noreturn)) void fault_unexpected(u64 vector, u64 syndrome, u64 addr, u64 pc);

/* ---- tests -------------------------------------------------------------- */
struct gtest {
	const char *name;
	int (*fn)(char *msg, size_t len);	/* 0 pass; else fail, msg says why */
};
#define GTEST(n)							\
	static int gtest_##n(char *msg, size_t len);			\
	static const struct gtest gtest_desc_##n			\
	__attribute__((used, section(".gtests"))) = { #n, gtest_##n };	\
	static int gtest_##n(char *msg, size_t len)

int snprintf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#define FAIL(...) do { snprintf(msg, len, __VA_ARGS__); return 1; } while (0)
/* Not applicable here (e.g. too few vCPUs in this VM's config): counted apart. */
#define SKIP(...) do { snprintf(msg, len, __VA_ARGS__); return -1; } while (0)

/* Hypervisor counter idx (HC_COUNTER, an HC_CNT_* index), ~0 on error. */
u64 hyp_counter(unsigned int idx);

#endif
