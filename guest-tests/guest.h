/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest test-kernel framework (EL1, bare metal). See doc/guests.md.
 *
 * The hypervisor loads guest-tests.bin at the VM's RAM base (IPA 0x40000000
 * in configs/vms/guest-tests.dts) and enters it at offset 0 in EL1h, MMU off. Console:
 * the emulated PL011 at IPA 0x09000000. Power: PSCI over HVC. Tests register
 * with GTEST(); each prints "guest-test: <name>: PASS|FAIL ..." and the run
 * ends with "guest-tests: N passed, N failed" and PSCI SYSTEM_OFF.
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
#define RAM_BASE	0x40000000UL
#define RAM_SIZE	0x04000000UL	/* must match configs/vms/guest-tests.dts */
#define UART_BASE	0x09000000UL
#define POISON		0xdeadbeefdeadbeefUL	/* hyp/include/hyp/palloc.h PALLOC_POISON */

#define READ_ONCE(x)	(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define dmb()		__asm__ __volatile__("dmb ish" ::: "memory")
#define cpu_relax()	__asm__ __volatile__("yield" ::: "memory")

/* ---- SMCCC / PSCI / hypercalls (doc/hypercalls.md) ---------------------- */
struct smccc_res { s64 a0; u64 a1, a2, a3; };
struct smccc_res hvc_call(u64 fn, u64 a1, u64 a2, u64 a3);
struct smccc_res smc_call(u64 fn, u64 a1, u64 a2, u64 a3);

#define PSCI_VERSION		0x84000000UL
#define PSCI_CPU_OFF		0x84000002UL
#define PSCI_CPU_ON		0xc4000003UL
#define PSCI_AFFINITY_INFO	0xc4000004UL
#define PSCI_SYSTEM_OFF		0x84000008UL
#define PSCI_FEATURES		0x8400000aUL
#define PSCI_E_NOT_SUPPORTED	(-1)
#define PSCI_E_INVALID_PARAMS	(-2)
#define PSCI_E_ALREADY_ON	(-4)

#define HC_VERSION		0xc6000000UL
#define HC_MAP			0xc6000001UL
#define HC_UNMAP		0xc6000002UL
#define HC_PROTECT		0xc6000003UL
#define HC_MOVE			0xc6000004UL
#define HC_RECLAIM		0xc6000005UL
#define HC_COUNTER		0xc6000006UL
#define HC_DIRTY_START		0xc6000007UL
#define HC_DIRTY_STOP		0xc6000008UL
#define HC_DIRTY_HARVEST	0xc6000009UL
#define HC_RACE_DELAY		0xc600000aUL	/* (point, mode, us): doc/race-widening.md */
#define HC_ERR(e)		(-(0x100L | (e)))
#define E_NOMEM 1
#define E_INVAL 2
#define E_RANGE 3
#define E_ALIGN 4
#define E_EXIST 5
#define E_NOENT 6
/* hyp/include/hyp/mm/s2_counters.h field order */
#define CNT_INVALIDATIONS	5
#define CNT_FAULTS		14

/* ---- console ------------------------------------------------------------ */
void putc(char c);
void puts(const char *s);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- CPUs --------------------------------------------------------------- */
unsigned int cpu_id(void);		/* MPIDR_EL1.Aff0 = vCPU index */
extern unsigned int vm_id;		/* HC_VERSION x2: the hypervisor's VM number */
extern unsigned int nr_vms;		/* HC_VERSION x3: VMs the hypervisor runs */
extern unsigned int nr_cpus;		/* vCPUs found at boot (CPU_ON probing) */
/* Run fn(arg) on secondary cpu; returns at once. cpu_wait() waits for it. */
void cpu_run(unsigned int cpu, void (*fn)(void *), void *arg);
void cpu_wait(unsigned int cpu);
__attribute__((noreturn)) void system_off(void);

/* ---- faults ------------------------------------------------------------- */
/* Arm: the next synchronous exception on this CPU is recorded and skipped. */
void expect_fault(void);
/* Returns the ESR of the fault taken since expect_fault(), or 0 if none. */
u64 fault_taken(u64 *far);

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

/* ---- time --------------------------------------------------------------- */
static inline u64 cntvct(void)
{
	u64 v;

	__asm__ __volatile__("isb; mrs %0, cntvct_el0" : "=r"(v) :: "memory");
	return v;
}
static inline u64 cntfrq(void)
{
	u64 v;

	__asm__ __volatile__("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

#endif
