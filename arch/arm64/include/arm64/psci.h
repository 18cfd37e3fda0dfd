/* SPDX-License-Identifier: GPL-2.0 */
/* PSCI 0.2+ calls through the conduit the DTB names (SMC at EL2). */
#ifndef ARM64_PSCI_H
#define ARM64_PSCI_H

#include <hyp/types.h>
#include <hyp/platform.h>

#define PSCI_0_2_FN_PSCI_VERSION	0x84000000U
#define PSCI_0_2_FN_CPU_OFF		0x84000002U
#define PSCI_0_2_FN64_CPU_ON		0xc4000003U
#define PSCI_0_2_FN_SYSTEM_OFF		0x84000008U
#define PSCI_0_2_FN_SYSTEM_RESET	0x84000009U

#define PSCI_SUCCESS			0
#define PSCI_NOT_SUPPORTED		(-1)
#define PSCI_INVALID_PARAMS		(-2)
#define PSCI_DENIED			(-3)
#define PSCI_ALREADY_ON			(-4)
#define PSCI_ON_PENDING			(-5)
#define PSCI_INTERNAL_FAILURE		(-6)

/* head.S / psci_call.S: SMCCC call with the given conduit. */
s64 psci_smc(u64 fn, u64 a0, u64 a1, u64 a2);
s64 psci_hvc(u64 fn, u64 a0, u64 a1, u64 a2);

/* Choose the conduit; returns false (conduit unusable at this EL). */
bool psci_init(enum psci_conduit conduit, unsigned int el);
s64 psci_cpu_on(u64 mpidr, u64 entry_pa, u64 context);
__noreturn void psci_system_off(void);
const char *psci_err_str(s64 err);

#endif
