// SPDX-License-Identifier: GPL-2.0
/*
 * Issue 14 item 2 (doc/guest-fidelity.md): what an unmodified guest reads
 * about the machine must be what the hypervisor supports.
 *
 *   idregs_sanitized   ID registers are trapped (HCR_EL2.TID3) and show no
 *                      EL2, VHE, nested virtualization, SVE/SME, MTE, PMU,
 *                      SPE, trace, RAS, AMU or MPAM; unallocated ones read 0;
 *                      writes are UNDEFINED
 *   pmu_hidden           PMU registers are UNDEFINED (MDCR_EL2 traps them)
 *   mmio_sign_extension  emulated MMIO loads sign-extend as LDRSB/LDRSW ask
 *   psci_1_1             PSCI 1.1 calls; concurrent CPU_ON: exactly one wins
 *                        (here, not in tests_psci.c: it needs 3 vCPUs, and
 *                        tests_irq.c's last test leaves one spinning)
 */
#include "guest.h"

#define mrs(r) ({ u64 __v; __asm__ __volatile__("mrs %0, " #r : "=r"(__v)); __v; })
#define FLD(v, s)	(((v) >> (s)) & 0xf)

GTEST(idregs_sanitized)
{
	u64 pfr0 = mrs(id_aa64pfr0_el1), pfr1 = mrs(id_aa64pfr1_el1);
	u64 dfr0 = mrs(id_aa64dfr0_el1), mmfr0 = mrs(id_aa64mmfr0_el1);
	u64 mmfr1 = mrs(id_aa64mmfr1_el1), mmfr2 = mrs(id_aa64mmfr2_el1);
	u64 zfr0 = mrs(s3_0_c0_c4_4), smfr0 = mrs(s3_0_c0_c4_5), dfr0_32 = mrs(id_dfr0_el1);
	u64 unalloc = mrs(s3_0_c0_c4_3), syn;

	if (FLD(pfr0, 8))
		FAIL("ID_AA64PFR0_EL1 %lx: EL2 shown (no nested virtualization)", pfr0);
	if (FLD(pfr0, 32) || zfr0 || FLD(pfr1, 24) || smfr0)
		FAIL("SVE/SME shown: PFR0 %lx PFR1 %lx ZFR0 %lx SMFR0 %lx", pfr0, pfr1, zfr0, smfr0);
	if (FLD(pfr0, 28) || FLD(pfr0, 40) || FLD(pfr0, 44) || FLD(pfr1, 12))
		FAIL("ID_AA64PFR0_EL1 %lx / PFR1 %lx: RAS, MPAM or AMU shown", pfr0, pfr1);
	if (FLD(pfr1, 8))
		FAIL("ID_AA64PFR1_EL1 %lx: MTE shown", pfr1);
	if (FLD(dfr0, 8) || FLD(dfr0, 32) || FLD(dfr0, 4) || FLD(dfr0_32, 24))
		FAIL("PMU, SPE or trace shown: ID_AA64DFR0_EL1 %lx ID_DFR0_EL1 %lx", dfr0, dfr0_32);
	if (FLD(dfr0, 0) < 6)
		FAIL("ID_AA64DFR0_EL1 %lx: DebugVer below Armv8.0", dfr0);
	if (FLD(mmfr1, 8) || FLD(mmfr2, 24))
		FAIL("VHE or NV shown: MMFR1 %lx MMFR2 %lx", mmfr1, mmfr2);
	if (FLD(mmfr0, 0) > 2)
		FAIL("ID_AA64MMFR0_EL1 %lx: PARange beyond the 40 bits covering the IPA space",
		     mmfr0);
	if (unalloc)
		FAIL("unallocated ID register S3_0_C0_C4_3 reads %lx", unalloc);
	if (!FLD(pfr0, 0) || !FLD(pfr0, 4))
		FAIL("ID_AA64PFR0_EL1 %lx: EL0/EL1 not shown", pfr0);
	expect_fault();
	__asm__ __volatile__("msr s3_0_c0_c4_0, %0" :: "r"(0UL));
	syn = fault_taken(NULL);
	if ((syn >> 26) != 0)
		FAIL("write to ID_AA64PFR0_EL1: ESR %lx, want UNDEFINED (EC 0)", syn);
	return 0;
}

/*
 * pmu_hidden: the PMU is neither advertised (ID_AA64DFR0.PMUVer 0) nor
 * reachable: PMCR_EL0 and PMCCNTR_EL0 are UNDEFINED (MDCR_EL2.TPM/TPMCR).
 * The old build let every VM read and program the shared counters.
 */
GTEST(pmu_hidden)
{
	u64 syn, v = 0;

	expect_fault();
	__asm__ __volatile__("mrs %0, pmcr_el0" : "+r"(v));
	syn = fault_taken(NULL);
	if ((syn >> 26) != 0)
		FAIL("PMCR_EL0 read %lx (ESR %lx), want UNDEFINED", v, syn);
	expect_fault();
	__asm__ __volatile__("mrs %0, pmccntr_el0" : "+r"(v));
	syn = fault_taken(NULL);
	if ((syn >> 26) != 0)
		FAIL("PMCCNTR_EL0 read %lx (ESR %lx), want UNDEFINED", v, syn);
	expect_fault();
	__asm__ __volatile__("msr pmcr_el0, %0" :: "r"(1UL));
	syn = fault_taken(NULL);
	if ((syn >> 26) != 0)
		FAIL("PMCR_EL0 write: ESR %lx, want UNDEFINED", syn);
	return 0;
}

/*
 * mmio_sign_extension: emulated loads give what the instruction asks for
 * (ESR_EL2.ISS.SSE/SF): LDRSB/LDRSW sign-extend to Xt, or to 32 bits and
 * then zero-extended for a Wt. Four priority bytes of the virtual GIC
 * (SPIs 32..35, plain [Xn] addressing so the access is decodable) hold
 * 0x80818283; the old build returned them zero-extended.
 */
#define GICD_PRIO_SPI32	(0x08000000UL + 0x400 + 32)

GTEST(mmio_sign_extension)
{
	u64 a = GICD_PRIO_SPI32, x;
	u32 w;

	if (plat.gic != 3)
		SKIP("the guest DTB has no GICv3 distributor at 0x08000000 (doc/boards.md)");
	__asm__ __volatile__("str %w0, [%1]" :: "r"(0x80818283U), "r"(a) : "memory");
	__asm__ __volatile__("ldr %w0, [%1]" : "=r"(w) : "r"(a) : "memory");
	if (w != 0x80818283U)
		FAIL("GICD_IPRIORITYR8 reads %x after writing 80818283", w);
	__asm__ __volatile__("ldrsb %0, [%1]" : "=r"(x) : "r"(a) : "memory");
	if (x != 0xffffffffffffff83UL)
		FAIL("LDRSB Xt of 0x83: %lx, want ffffffffffffff83", x);
	x = ~0UL;
	__asm__ __volatile__("ldrsb %w0, [%1]" : "=r"(x) : "r"(a) : "memory");
	if (x != 0xffffff83UL)
		FAIL("LDRSB Wt of 0x83: %lx, want ffffff83 (upper half zero)", x);
	__asm__ __volatile__("ldrsw %0, [%1]" : "=r"(x) : "r"(a) : "memory");
	if (x != 0xffffffff80818283UL)
		FAIL("LDRSW of 0x80818283: %lx, want ffffffff80818283", x);
	__asm__ __volatile__("ldrb %w0, [%1]" : "=r"(x) : "r"(a + 1) : "memory");
	if (x != 0x82)
		FAIL("LDRB of 0x82: %lx", x);
	__asm__ __volatile__("str %w0, [%1]" :: "r"(0U), "r"(a) : "memory");
	return 0;
}

/*
 * psci_1_1 (issue 14, doc/guest-fidelity.md): the calls PSCI 1.1 adds or
 * specifies, and CPU_ON of one target from two vCPUs at once: exactly one
 * SUCCESS, the other ALREADY_ON or ON_PENDING.
 */
#define PSCI_CPU_SUSPEND	0xc4000001UL
#define PSCI_MIGRATE		0xc4000005UL
#define PSCI_MIGRATE_INFO_TYPE	0x84000006UL
#define PSCI_SYSTEM_RESET2	0xc4000012UL
#define PSCI_E_ON_PENDING	(-5)

extern char secondary_entry[];
static s64 on_race[2];
static u32 on_go;

static void on_racer(void *arg)
{
	(void)arg;
	while (!load_acquire(&on_go))
		cpu_relax();
	on_race[1] = hyp_call(PSCI_CPU_ON, 2, (u64)secondary_entry, 2).a0;
}

static void nop(void *arg)
{
	(void)arg;
}

static void park(void *arg)
{
	(void)arg;
	arch_cpu_off();
}

GTEST(psci_1_1)
{
	s64 e;
	unsigned int ok = 0;

	if ((e = hyp_call(PSCI_VERSION, 0, 0, 0).a0) != 0x10001)
		FAIL("PSCI_VERSION %lx, want 1.1", e);
	if (hyp_call(PSCI_FEATURES, PSCI_CPU_SUSPEND, 0, 0).a0 != 0)
		FAIL("FEATURES(CPU_SUSPEND) not 0 (original format, platform-coordinated)");
	if (hyp_call(PSCI_FEATURES, PSCI_MIGRATE_INFO_TYPE, 0, 0).a0 != 0 ||
	    hyp_call(PSCI_FEATURES, PSCI_SYSTEM_RESET2, 0, 0).a0 != 0)
		FAIL("FEATURES(MIGRATE_INFO_TYPE / SYSTEM_RESET2) not supported");
	if (hyp_call(PSCI_FEATURES, PSCI_MIGRATE, 0, 0).a0 != PSCI_E_NOT_SUPPORTED)
		FAIL("FEATURES(MIGRATE) supported without a Trusted OS");
	if ((e = hyp_call(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0).a0) != 2)
		FAIL("MIGRATE_INFO_TYPE %ld, want 2 (no Trusted OS)", e);
	if ((e = hyp_call(PSCI_MIGRATE, 1, 0, 0).a0) != PSCI_E_NOT_SUPPORTED)
		FAIL("MIGRATE %ld, want NOT_SUPPORTED", e);
	if ((e = hyp_call(PSCI_CPU_SUSPEND, 0, RAM_BASE, 0).a0) != 0)
		FAIL("CPU_SUSPEND(standby) %ld, want SUCCESS", e);
	if ((e = hyp_call(PSCI_SYSTEM_RESET2, 1, 0, 0).a0) != PSCI_E_INVALID_PARAMS)
		FAIL("SYSTEM_RESET2(architectural type 1) %ld, want INVALID_PARAMETERS", e);
	if ((e = hyp_call(PSCI_SYSTEM_RESET2, 0x80000000UL, 0, 0).a0) != PSCI_E_INVALID_PARAMS)
		FAIL("SYSTEM_RESET2(vendor type) %ld, want INVALID_PARAMETERS", e);
	if ((e = hyp_call(PSCI_AFFINITY_INFO, 0, 1, 0).a0) != PSCI_E_INVALID_PARAMS)
		FAIL("AFFINITY_INFO level 1: %ld, want INVALID_PARAMETERS", e);
	if (nr_cpus < 3)
		SKIP("concurrent CPU_ON needs 3 vCPUs, have %u", nr_cpus);
	cpu_run(2, park, NULL);		/* never returns: no cpu_wait() */
	while (!arch_cpu_is_off(2))
		cpu_relax();
	on_go = 0;
	cpu_run(1, on_racer, NULL);
	store_release(&on_go, 1);
	on_race[0] = hyp_call(PSCI_CPU_ON, 2, (u64)secondary_entry, 2).a0;
	cpu_wait(1);
	for (unsigned int i = 0; i < 2; i++) {
		if (on_race[i] == 0)
			ok++;
		else if (on_race[i] != PSCI_E_ALREADY_ON && on_race[i] != PSCI_E_ON_PENDING)
			FAIL("concurrent CPU_ON(2) from vCPU %u: %ld", i, on_race[i]);
	}
	if (ok != 1)
		FAIL("concurrent CPU_ON(2): %u successes (%ld, %ld), want exactly 1", ok,
		     on_race[0], on_race[1]);
	cpu_run(2, nop, NULL);		/* the one that succeeded brought it back */
	cpu_wait(2);
	return 0;
}
