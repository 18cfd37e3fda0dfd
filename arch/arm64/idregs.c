// SPDX-License-Identifier: GPL-2.0
/*
 * The ID registers a guest sees (HCR_EL2.TID3: every read of the ID group 3
 * space op0=3 op1=0 CRn=0 CRm=1..7 traps here). Each is the host's value
 * with every feature the hypervisor does not virtualize hidden; fields are
 * kept by an allow-list, so a feature a newer CPU adds is hidden until it is
 * decided. The decisions and their reasons: doc/guest-fidelity.md.
 */
#include <arm64/idregs.h>
#include <arm64/sysreg.h>

/* A 4-bit field at @shift, as a mask. */
#define F(shift)	(0xfULL << (shift))

/*
 * Read one ID register by its CRm/op2 (the encoding must be a constant in
 * MRS): all 56 of CRm 1..7 exist as S3_0_C0_Cm_n names; the unallocated ones
 * read as zero on the hardware and in the architecture.
 */
#define RD(m, n) case (m) * 8 + (n): return read_sysreg(s3_0_c0_c##m##_##n)
#define RD8(m) RD(m, 0); RD(m, 1); RD(m, 2); RD(m, 3); RD(m, 4); RD(m, 5); RD(m, 6); RD(m, 7)

static u64 host_idreg(unsigned int crm, unsigned int op2)
{
	switch (crm * 8 + op2) {
	RD8(1); RD8(2); RD8(3); RD8(4); RD8(5); RD8(6); RD8(7);
	default:
		return 0;
	}
}

/* Lower a field to at most @max (a "this much or less" field). */
static u64 cap(u64 v, unsigned int shift, u64 max)
{
	return ((v >> shift) & 0xf) > max ? (v & ~F(shift)) | max << shift : v;
}

#define ID(m, n)	((m) * 8 + (n))

u64 arm64_guest_idreg(unsigned int crm, unsigned int op2)
{
	u64 v = host_idreg(crm, op2);

	switch (ID(crm, op2)) {
	/* ---- AArch32 (EL0 may be AArch32): as the host, minus what is hidden ---- */
	case ID(1, 0):	/* ID_PFR0_EL1: RAS[31:28], AMU[23:20] hidden */
		return v & ~(F(28) | F(20));
	case ID(1, 1):	/* ID_PFR1_EL1: Security, Virtualization, Virt_frac hidden */
		return v & ~(F(4) | F(12) | F(24));
	case ID(1, 2):	/* ID_DFR0_EL1: PerfMon[27:24], trace (CopTrc, MMapTrc, TraceFilt) hidden */
		return v & ~(F(28) | F(24) | F(16) | F(12));
	case ID(3, 4):	/* ID_PFR2_EL1: RAS_frac[11:8] hidden */
		return v & ~F(8);
	case ID(3, 5):	/* ID_DFR1_EL1: MTPMU, HPMN0 */
		return 0;
	/* ---- AArch64 processor features ---- */
	case ID(4, 0):	/* ID_AA64PFR0_EL1 */
		/* EL0, EL1, EL3 (as implemented), FP, AdvSIMD, GIC, DIT, CSV2, CSV3; EL2 none */
		v &= F(0) | F(4) | F(12) | F(16) | F(20) | F(24) | F(48) | F(56) | F(60);
		return v;
	case ID(4, 1):	/* ID_AA64PFR1_EL1: BT, SSBS, CSV2_frac; no MTE, SME, RAS_frac, MPAM_frac, NMI, GCS */
		return v & (F(0) | F(4) | F(32));
	case ID(4, 4):	/* ID_AA64ZFR0_EL1: no SVE */
	case ID(4, 5):	/* ID_AA64SMFR0_EL1: no SME */
		return 0;
	/* ---- debug ---- */
	case ID(5, 0):	/* ID_AA64DFR0_EL1 */
		/* DebugVer (at most v8.2), BRPs, WRPs, CTX_CMPs, DoubleLock; no trace, PMU, SPE, BRBE */
		v &= F(0) | F(12) | F(20) | F(28) | F(36);
		return cap(v, 0, 8);
	case ID(5, 1):	/* ID_AA64DFR1_EL1 */
	case ID(5, 4):	/* ID_AA64AFR0_EL1 */
	case ID(5, 5):	/* ID_AA64AFR1_EL1 */
		return 0;
	/* ---- instructions: unprivileged, no state to virtualize ---- */
	case ID(6, 0):	/* ID_AA64ISAR0_EL1 */
		return v;
	case ID(6, 1):	/* ID_AA64ISAR1_EL1: LS64[63:60] hidden (device stores) */
		return v & ~F(60);
	case ID(6, 2):	/* ID_AA64ISAR2_EL1: as the host, minus WFxT[3:0] (not trapped yet) */
		return v & ~F(0);
	/* ---- memory model ---- */
	case ID(7, 0):	/* ID_AA64MMFR0_EL1: PARange: the smallest covering the 39-bit IPA space */
		return cap(v, 0, 2);
	case ID(7, 1):	/* ID_AA64MMFR1_EL1: no VHE, no LO regions, no HCX */
		return v & ~(F(8) | F(16) | F(40));
	case ID(7, 2):	/* ID_AA64MMFR2_EL1: no nested virtualization (NV) */
		return v & ~F(24);
	case ID(7, 3):	/* ID_AA64MMFR3_EL1 */
	case ID(7, 4):	/* ID_AA64MMFR4_EL1 */
		return 0;
	default:
		/* AArch32 ISAR/MMFR/MVFR: as the host; everything unallocated reads 0 */
		return crm <= 3 ? v : 0;
	}
}
