/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The instruction layer of stage-2 TLB maintenance: every instruction
 * arch/arm64/tlb.c executes that touches the TLBs or the registers they are
 * tagged with (VTTBR_EL2, HCR_EL2), one inline function each, with the
 * operand exactly as the instruction takes it.
 *
 * At EL2 (the arm64 build) each function is the instruction. In the host
 * simulation (ARCH=sim compiles arch/arm64/tlb.c with ARM64_INSN_MODEL) each
 * calls the architectural model in arch/sim/sim_arm64.c, which implements
 * what the Arm ARM guarantees and nothing more (doc/simulation.md, "The
 * arm64 instruction model"). tlb.c must not reach the TLBs any other way.
 *
 * Instructions are written with "sys" where the ARMv8.4 range forms would
 * not assemble with the baseline -march.
 */
#ifndef ARM64_TLBI_H
#define ARM64_TLBI_H

#include <hyp/types.h>

enum arm64_tlbi_op {
	A64_TLBI_IPAS2E1IS,	/* Xt: TTL[47:44], IPA[47:12] in [35:0] */
	A64_TLBI_IPAS2LE1IS,	/* same, last level only */
	A64_TLBI_RIPAS2E1IS,	/* Xt: TG[47:46] SCALE[45:44] NUM[43:39] TTL[38:37] BaseADDR[36:0] */
	A64_TLBI_RIPAS2LE1IS,	/* same, last level only */
	A64_TLBI_VMALLE1IS,	/* stage 1 (and combined) of the current VMID */
	A64_TLBI_VMALLS12E1IS,	/* stage 1 and 2 of the current VMID */
	A64_TLBI_ALLE1IS,	/* every EL1&0 entry, every VMID */
	A64_TLBI_VMALLE1,	/* VMALLE1IS on this CPU only (not broadcast) */
};

enum arm64_barrier { A64_DSB_ISH, A64_DSB_ISHST, A64_ISB };
enum arm64_sysreg { A64_VTTBR_EL2, A64_HCR_EL2 };

#ifdef ARM64_INSN_MODEL
/* arch/sim/sim_arm64.c */
void a64_model_tlbi(enum arm64_tlbi_op op, u64 xt);
void a64_model_barrier(enum arm64_barrier b);
u64 a64_model_mrs(enum arm64_sysreg r);
void a64_model_msr(enum arm64_sysreg r, u64 v);

#define A64_TLBI(op, sys_enc, xt)	a64_model_tlbi(op, xt)
#define A64_TLBI0(op, mnemonic)		a64_model_tlbi(op, 0)
#define A64_BARRIER(b, text)		a64_model_barrier(b)
#define A64_MRS(r, name)		return a64_model_mrs(r)
#define A64_MSR(r, name, v)		a64_model_msr(r, v)
#else
#ifdef CONFIG_TLBI_CHECK
/* Validation build: arch/arm64/tlbi_check.c records and checks each one first. */
void tlbi_check_tlbi(unsigned int op, u64 xt);
void tlbi_check_barrier(unsigned int b);
void tlbi_check_msr(unsigned int r, u64 v);
void tlbi_check_want_vmid(int vmid);
#define A64_CHECK(call)	call
#else
#define A64_CHECK(call)	do { } while (0)
#endif
#define A64_TLBI(op, sys_enc, xt) do {					\
	A64_CHECK(tlbi_check_tlbi(op, xt));				\
	__asm__ __volatile__("sys " sys_enc ", %0" : : "r"(xt) : "memory");	\
} while (0)
#define A64_TLBI0(op, mnemonic) do {					\
	A64_CHECK(tlbi_check_tlbi(op, 0));				\
	__asm__ __volatile__("tlbi " mnemonic ::: "memory");		\
} while (0)
#define A64_BARRIER(b, text) do {					\
	__asm__ __volatile__(text ::: "memory");			\
	A64_CHECK(tlbi_check_barrier(b));				\
} while (0)
#define A64_MRS(r, name) do {						\
	u64 __v;							\
	__asm__ __volatile__("mrs %0, " name : "=r"(__v));		\
	return __v;							\
} while (0)
#define A64_MSR(r, name, v) do {					\
	A64_CHECK(tlbi_check_msr(r, v));				\
	__asm__ __volatile__("msr " name ", %0" : : "r"(v) : "memory");	\
} while (0)
#endif

/* TLBI IPAS2E1IS, Xt (sys #4, C8, C0, #1) */
static inline void tlbi_ipas2e1is(u64 xt)   { A64_TLBI(A64_TLBI_IPAS2E1IS, "#4, c8, c0, #1", xt); }
/* TLBI IPAS2LE1IS, Xt (sys #4, C8, C0, #5) */
static inline void tlbi_ipas2le1is(u64 xt)  { A64_TLBI(A64_TLBI_IPAS2LE1IS, "#4, c8, c0, #5", xt); }
/* TLBI RIPAS2E1IS, Xt (sys #4, C8, C0, #2), FEAT_TLBIRANGE */
static inline void tlbi_ripas2e1is(u64 xt)  { A64_TLBI(A64_TLBI_RIPAS2E1IS, "#4, c8, c0, #2", xt); }
/* TLBI RIPAS2LE1IS, Xt (sys #4, C8, C0, #6), FEAT_TLBIRANGE */
static inline void tlbi_ripas2le1is(u64 xt) { A64_TLBI(A64_TLBI_RIPAS2LE1IS, "#4, c8, c0, #6", xt); }
static inline void tlbi_vmalle1is(void)     { A64_TLBI0(A64_TLBI_VMALLE1IS, "vmalle1is"); }
static inline void tlbi_vmalls12e1is(void)  { A64_TLBI0(A64_TLBI_VMALLS12E1IS, "vmalls12e1is"); }
static inline void tlbi_alle1is(void)       { A64_TLBI0(A64_TLBI_ALLE1IS, "alle1is"); }
/* Local form: this CPU's stage-1/combined entries only (tlb.c uses the IS forms). */
static inline void tlbi_vmalle1(void)       { A64_TLBI0(A64_TLBI_VMALLE1, "vmalle1"); }

static inline void dsb_ish(void)   { A64_BARRIER(A64_DSB_ISH, "dsb ish"); }
static inline void dsb_ishst(void) { A64_BARRIER(A64_DSB_ISHST, "dsb ishst"); }
static inline void isb_sync(void)  { A64_BARRIER(A64_ISB, "isb"); }

/* Not an instruction: the VMID the next TLBIs mean (-1: none); TLBI_CHECK=1 checks it. */
static inline void tlbi_expect_vmid(int vmid)
{
#if defined(CONFIG_TLBI_CHECK) && !defined(ARM64_INSN_MODEL)
	tlbi_check_want_vmid(vmid);
#else
	(void)vmid;
#endif
}

static inline u64 read_vttbr_el2(void)    { A64_MRS(A64_VTTBR_EL2, "vttbr_el2"); }
static inline void write_vttbr_el2(u64 v) { A64_MSR(A64_VTTBR_EL2, "vttbr_el2", v); }
static inline u64 read_hcr_el2(void)      { A64_MRS(A64_HCR_EL2, "hcr_el2"); }
static inline void write_hcr_el2(u64 v)   { A64_MSR(A64_HCR_EL2, "hcr_el2", v); }

/*
 * ---- operand encodings, as tlb.c builds them ----
 * (sim_arm64.c and arch/sim/tlbi_range_test.c decode them independently)
 */

#define TLBI_IPA_MASK		GENMASK(35, 0)	/* IPA[47:12] in bits [35:0] */
#define TLBI_TTL_SHIFT		44
#define TTL_4K			(1ULL << 2)		/* TTL[3:2] = 0b01: 4 KiB granule */

/* Range operands: TG[47:46] SCALE[45:44] NUM[43:39] TTL[38:37] BaseADDR[36:0]. */
#define RANGE_TG_4K		(1ULL << 46)
#define RANGE_SCALE(s)		((u64)(s) << 44)
#define RANGE_NUM(n)		((u64)(n) << 39)
#define RANGE_BASE_MASK		GENMASK(36, 0)
/* One range op covers (NUM+1) << (5*SCALE+1) pages; the largest is 2^21 pages. */
#define RANGE_PAGES(scale, num)	((u64)((num) + 1) << (5 * (scale) + 1))
#define RANGE_MAX_PAGES		RANGE_PAGES(3, 31)

#endif
