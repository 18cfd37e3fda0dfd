// SPDX-License-Identifier: GPL-2.0
/* x86-only guest tests: PSCI over VMMCALL/VMCALL, what the hypervisor emulates. */
#include "guest.h"

static void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	__asm__ __volatile__("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

GTEST(x86_psci_basics)
{
	struct hyp_res r = hyp_call(PSCI_VERSION, 0, 0, 0);
	s64 e;

	if (r.a0 != 0x10001)
		FAIL("PSCI_VERSION %lx, want 1.1", r.a0);
	if (hyp_call(PSCI_FEATURES, PSCI_CPU_ON, 0, 0).a0 != 0)
		FAIL("FEATURES(CPU_ON) not supported");
	if (hyp_call(PSCI_FEATURES, 0x8400ffffUL, 0, 0).a0 != PSCI_E_NOT_SUPPORTED)
		FAIL("FEATURES(bogus) supported");
	for (unsigned int c = 1; c < nr_cpus; c++) {
		e = hyp_call(PSCI_AFFINITY_INFO, c, 0, 0).a0;
		if (e != 0)
			FAIL("AFFINITY_INFO(cpu%u) = %ld, want 0 (on)", c, e);
	}
	if (nr_cpus > 1) {
		e = hyp_call(PSCI_CPU_ON, 1, RAM_BASE, 0).a0;
		if (e != PSCI_E_ALREADY_ON)
			FAIL("CPU_ON of a running vCPU: %ld, want ALREADY_ON", e);
	}
	e = hyp_call(PSCI_CPU_ON, 0x100, RAM_BASE, 0).a0;
	if (e != PSCI_E_INVALID_PARAMS)
		FAIL("CPU_ON of vCPU 0x100: %ld, want INVALID_PARAMETERS", e);
	return 0;
}

GTEST(x86_cpuid_view)
{
	u32 a, b, c, d;

	cpuid(1, &a, &b, &c, &d);
	if (c & (1U << 5))
		FAIL("CPUID.1:ECX shows VMX to the guest");
	if (!(c & (1U << 31)))
		FAIL("CPUID.1:ECX hypervisor bit not set");
	if (b >> 24 != cpu_id())
		FAIL("initial APIC ID %u, want the vCPU index %u", b >> 24, cpu_id());
	cpuid(0x80000001, &a, &b, &c, &d);
	if (c & (1U << 2))
		FAIL("CPUID 0x80000001:ECX shows SVM to the guest");
	cpuid(0x40000000, &a, &b, &c, &d);
	if (b != 0x20707968 || c != 0x67617473 || d != 0x6d6d3265)
		FAIL("no \"hyp stage2mm\" signature at CPUID 0x40000000");
	if (clock_hz() < 1000000)
		FAIL("TSC rate %lu Hz from CPUID 0x40000010 is implausible", clock_hz());
	return 0;
}

GTEST(x86_io_and_msr)
{
	u8 lsr;
	u32 v;
	u64 syn, addr;
	u32 lo, hi;

	__asm__ __volatile__("inb %w1, %0" : "=a"(lsr) : "Nd"(0x3fd));
	if ((lsr & 0x60) != 0x60)
		FAIL("COM1 LSR %x: transmitter not shown empty", lsr);
	__asm__ __volatile__("inl %w1, %0" : "=a"(v) : "Nd"(0x1234));
	if (v != 0xffffffffU)
		FAIL("IN from an absent port: %x, want all ones", v);
	/* EFER reads back long mode; an unknown MSR is #GP. */
	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0xc0000080U));
	if (!(lo & (1U << 10)) || (lo & (1U << 12)))
		FAIL("EFER %x: want LMA set and SVME hidden", lo);
	expect_fault();
	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0x12345678U));
	syn = fault_taken(&addr);
	if (((syn >> 32) & 0xff) != 13)
		FAIL("RDMSR of an unknown MSR: syndrome %lx, want #GP", syn);
	return 0;
}

/*
 * A page the guest made non-executable (HC_PROTECT without X) still reads
 * and writes. NPT says no-exec with bit 63 (NX), which the nested walk
 * honours only with the host's EFER.NXE; without it bit 63 is a reserved
 * bit: every access faulted with RSVD and the hypervisor, whose own walk
 * found the page readable, answered "resolved" for ever (the x86 fuzz
 * soak's hang after its PASS line, doc/fuzzing.md). Under VMX (EPT has its
 * own X bit) the same accesses must work too.
 */
#define NX_AREA		(RAM_BASE + 0x3c00000)	/* 60 MiB in: free */
#define PROT_R		1
#define PROT_W		2

GTEST(x86_noexec_page_access)
{
	volatile u64 *p = (volatile u64 *)NX_AREA;
	s64 r;

	hyp_call(HC_UNMAP, NX_AREA, PAGE_SIZE, 0);
	if ((r = hyp_call(HC_MAP, NX_AREA, PAGE_SIZE, 0).a0))
		FAIL("MAP: %ld", r);
	if ((r = hyp_call(HC_PROTECT, NX_AREA, PAGE_SIZE, PROT_R | PROT_W).a0))
		FAIL("PROTECT RW: %ld", r);
	*p = 0x5a5a1234;	/* a write through a no-exec leaf */
	if (*p != 0x5a5a1234)
		FAIL("no-exec RW page reads %lx, wrote 5a5a1234", *p);
	if ((r = hyp_call(HC_PROTECT, NX_AREA, PAGE_SIZE, PROT_R).a0))
		FAIL("PROTECT R: %ld", r);
	if (*p != 0x5a5a1234)	/* a read of a read-only no-exec leaf */
		FAIL("no-exec R page reads %lx, want 5a5a1234", *p);
	if ((r = hyp_call(HC_UNMAP, NX_AREA, PAGE_SIZE, 0).a0))
		FAIL("UNMAP: %ld", r);
	return 0;
}

/*
 * R7 on x86 (doc/x86-virt.md): a shootdown targets exactly the physical
 * CPUs that ran the VM since its last VMID-wide flush. hyp/mm counts the
 * targets of every shootdown (HC_CNT_IPIS). With vCPUs 0-2 on
 * CPUs 1-3 (configs/vms-x86/guest-tests.dts): one page unmapped targets 3
 * CPUs; after vCPU 2 is off and a VMID-wide flush trimmed the set, 2 (not
 * CPU 3); when vCPU 2 comes back, its CPU flushes locally first
 * (HC_CNT_INVAL_LOCAL) and is a target again.
 */
#define SD_AREA		(RAM_BASE + 0x3a00000)	/* 58 MiB in: free */
#define SD_PAGES	64			/* > 32 entries: a VMID-wide flush */

static u32 sd_parked;

static void sd_park(void *arg)
{
	(void)arg;
	store_release(&sd_parked, 1);
	arch_cpu_off();
}

static void sd_nop(void *arg)
{
	(void)arg;
}

/* Targets of the shootdown of one page unmapped; ~0 on error. */
static u64 sd_unmap_one(void)
{
	u64 before;

	if (hyp_call(HC_MAP, SD_AREA, PAGE_SIZE, 0).a0)
		return ~0UL;
	*(volatile u64 *)SD_AREA = 1;
	before = hyp_counter(HC_CNT_IPIS);
	if (hyp_call(HC_UNMAP, SD_AREA, PAGE_SIZE, 0).a0)
		return ~0UL;
	return hyp_counter(HC_CNT_IPIS) - before;
}

GTEST(x86_shootdown_targets)
{
	u64 n, local;

	if (nr_cpus < 3)
		SKIP("needs 3 vCPUs, have %u", nr_cpus);
	n = sd_unmap_one();
	if (n != 3)
		FAIL("unmap with vCPUs on CPUs 1-3: %lu shootdown targets, want 3", n);
	cpu_run(2, sd_park, NULL);
	while (!load_acquire(&sd_parked) || !arch_cpu_is_off(2))
		cpu_relax();
	/* A VMID-wide flush (more than 32 entries) trims the set to the loaded CPUs. */
	for (u64 i = 0; i < SD_PAGES; i++)
		if (hyp_call(HC_MAP, SD_AREA + i * PAGE_SIZE, PAGE_SIZE, 0).a0)
			FAIL("MAP %lx failed", SD_AREA + i * PAGE_SIZE);
	if (hyp_call(HC_UNMAP, SD_AREA, SD_PAGES * PAGE_SIZE, 0).a0)
		FAIL("UNMAP of %u pages failed", SD_PAGES);
	n = sd_unmap_one();
	if (n != 2)
		FAIL("unmap after vCPU 2 (CPU 3) left: %lu shootdown targets, want 2 (CPUs 1, 2)", n);
	local = hyp_counter(HC_CNT_INVAL_LOCAL);
	if (arch_cpu_on(2))
		FAIL("CPU_ON(2) failed");
	cpu_run(2, sd_nop, NULL);	/* returns once vCPU 2 runs guest code */
	cpu_wait(2);
	if (hyp_counter(HC_CNT_INVAL_LOCAL) - local != 1)
		FAIL("vCPU 2 back on CPU 3: %lu local flushes, want 1",
		     hyp_counter(HC_CNT_INVAL_LOCAL) - local);
	n = sd_unmap_one();
	if (n != 3)
		FAIL("unmap with vCPU 2 back: %lu shootdown targets, want 3", n);
	return 0;
}

/*
 * Shootdown NMIs that find their target in guest mode (doc/x86-virt.md,
 * "NMIs taken as VM exits"). vCPUs 1 and 2 spin in guest code with no exit
 * while vCPU 0 unmaps a page SN_ROUNDS times, so each round's NMIs reach
 * CPUs 2 and 3 in guest mode and are VM exits. Under VMX such an exit leaves
 * NMIs blocked until an IRET: a backend that re-enters the guest without one
 * never takes the next round's NMI, and vCPU 0 waits for its acknowledgement
 * for ever (the x86_cpu0_restart_vs_unmap hang of issue 15's first merge).
 */
#define SN_ROUNDS	8

static u32 sn_stop, sn_spinning;

static void sn_spin(void *arg)
{
	(void)arg;
	__atomic_fetch_add(&sn_spinning, 1, __ATOMIC_RELEASE);
	while (!load_acquire(&sn_stop))
		cpu_relax();	/* PAUSE: no exit */
}

GTEST(x86_shootdown_in_guest)
{
	u64 n;

	if (nr_cpus < 3)
		SKIP("needs 3 vCPUs, have %u", nr_cpus);
	cpu_run(1, sn_spin, NULL);
	cpu_run(2, sn_spin, NULL);
	while (load_acquire(&sn_spinning) != 2)
		cpu_relax();
	for (unsigned int r = 0; r < SN_ROUNDS; r++) {
		n = sd_unmap_one();
		if (n != 3) {
			store_release(&sn_stop, 1);
			FAIL("round %u: %lu shootdown targets, want 3", r, n);
		}
	}
	store_release(&sn_stop, 1);
	cpu_wait(1);
	cpu_wait(2);
	return 0;
}
