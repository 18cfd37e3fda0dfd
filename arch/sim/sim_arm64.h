/* SPDX-License-Identifier: GPL-2.0 */
/* The arm64 instruction model (sim_arm64.c), as host.c and tests use it. */
#ifndef ARCH_SIM_ARM64_H
#define ARCH_SIM_ARM64_H

#include <hyp/arch.h>

/* arch/arm64/tlb.c, compiled for the simulation (arm64_names.h). */
void a64_s2_inval_ipa(const struct arch_s2_tlb_ctx *ctx, ipaddr_t ipa, int level,
		      bool leaf_only);
bool a64_s2_inval_range(const struct arch_s2_tlb_ctx *ctx, ipaddr_t start, u64 size,
			bool leaf_only);
void a64_s2_inval_vmid(const struct arch_s2_tlb_ctx *ctx);
void a64_s2_inval_all(void);
void a64_s2_inval_sync(const struct arch_s2_tlb_ctx *ctx);
bool a64_s2_has_range_inval(void);
void a64_s2_load(const struct arch_s2_tlb_ctx *ctx);
void tlb_boot_check(void);

/* VTTBR_EL2 and HCR_EL2 of this simulated CPU, before a call into tlb.c. */
struct a64_regs {
	u64 vttbr, hcr;
};
struct a64_regs a64_regs_before(void);
/* A1/A2: the call gave back (and committed) what it borrowed. */
void a64_regs_after(struct a64_regs before, const char *fn);
/* A2/R3: after arch_s2_load() the context is the one asked for, in force. */
void a64_check_loaded(const struct arch_s2_tlb_ctx *ctx);

/* The model's CPUs' VMID width, 16 (VTCR_EL2.VS 1) unless a test sets 8 (rule A8). */
void a64_set_vmid_bits(unsigned int bits);

/*
 * Test hook: when set, every TLBI goes here (and nothing else happens);
 * barriers and register accesses still work (tlbi_range_test.c).
 */
extern void (*a64_tlbi_hook)(int op, u64 xt);

#endif
