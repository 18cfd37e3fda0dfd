// SPDX-License-Identifier: GPL-2.0
/* arm64-only guest tests: PSCI over HVC and SMC. Run after tests.c's. */
#include "guest.h"

GTEST(psci_basics)
{
	struct hyp_res r = hyp_call(PSCI_VERSION, 0, 0, 0);
	s64 e;

	if (r.a0 != 0x10001)
		FAIL("PSCI_VERSION %lx, want 1.1", r.a0);
	if (hyp_call(PSCI_FEATURES, PSCI_CPU_ON, 0, 0).a0 != 0)
		FAIL("FEATURES(CPU_ON) not supported");
	if (hyp_call(PSCI_FEATURES, 0x8400ffffUL, 0, 0).a0 != PSCI_E_NOT_SUPPORTED)
		FAIL("FEATURES(bogus) supported");
	/* SMCCC 1.1 (doc/hypercalls.md), announced through PSCI_FEATURES. */
	if (hyp_call(PSCI_FEATURES, 0x80000000UL, 0, 0).a0 != 0)
		FAIL("FEATURES(SMCCC_VERSION) not supported");
	if ((r = hyp_call(0x80000000UL, 0, 0, 0)).a0 != 0x10001)
		FAIL("SMCCC_VERSION %lx, want 1.1", r.a0);
	if (hyp_call(0x80000001UL, 0x80000000UL, 0, 0).a0 != 0)
		FAIL("ARCH_FEATURES(SMCCC_VERSION) not supported");
	if (hyp_call(0x80000001UL, 0x80008000UL, 0, 0).a0 != PSCI_E_NOT_SUPPORTED)
		FAIL("ARCH_FEATURES(ARCH_WORKAROUND_1) supported");
	/* The SMC conduit is trapped (HCR_EL2.TSC) and answers the same. */
	r = smc_call(PSCI_VERSION, 0, 0, 0);
	if (r.a0 != 0x10001)
		FAIL("PSCI_VERSION over SMC %lx", r.a0);
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
		FAIL("CPU_ON of MPIDR 0x100: %ld, want INVALID_PARAMETERS", e);
	return 0;
}
