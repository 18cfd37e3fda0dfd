// SPDX-License-Identifier: GPL-2.0
/* Decoding of ESR_EL2 for the crash dump: exception class and ISS fields. */
#include <hyp/console.h>
#include <arm64/traps.h>

#define ESR_EC(esr)	(((esr) >> 26) & 0x3f)
#define ESR_IL		BIT(25)
#define ESR_ISS(esr)	((esr) & GENMASK(24, 0))

#define EC_IABT_LOW	0x20
#define EC_IABT_CUR	0x21
#define EC_DABT_LOW	0x24
#define EC_DABT_CUR	0x25

static const char *ec_name(unsigned int ec)
{
	switch (ec) {
	case 0x00: return "unknown reason";
	case 0x01: return "WFI/WFE";
	case 0x07: return "SVE/SIMD/FP access";
	case 0x0e: return "illegal execution state";
	case 0x11: return "SVC (AArch32)";
	case 0x12: return "HVC (AArch32)";
	case 0x13: return "SMC (AArch32)";
	case 0x15: return "SVC (AArch64)";
	case 0x16: return "HVC (AArch64)";
	case 0x17: return "SMC (AArch64)";
	case 0x18: return "MSR/MRS/system instruction";
	case 0x19: return "SVE access";
	case 0x1c: return "pointer authentication failure";
	case 0x20: return "instruction abort from lower EL";
	case 0x21: return "instruction abort from current EL";
	case 0x22: return "PC alignment fault";
	case 0x24: return "data abort from lower EL";
	case 0x25: return "data abort from current EL";
	case 0x26: return "SP alignment fault";
	case 0x28: return "FP exception (AArch32)";
	case 0x2c: return "FP exception (AArch64)";
	case 0x2f: return "SError";
	case 0x30: return "breakpoint from lower EL";
	case 0x31: return "breakpoint from current EL";
	case 0x32: return "software step from lower EL";
	case 0x33: return "software step from current EL";
	case 0x34: return "watchpoint from lower EL";
	case 0x35: return "watchpoint from current EL";
	case 0x38: return "BKPT (AArch32)";
	case 0x3c: return "BRK (AArch64)";
	default:   return "reserved/unhandled EC";
	}
}

/* Data/instruction fault status code (DFSC/IFSC). */
static const char *fsc_name(unsigned int fsc)
{
	switch (fsc & 0x3c) {
	case 0x00: return "address size fault";
	case 0x04: return "translation fault";
	case 0x08: return "access flag fault";
	case 0x0c: return "permission fault";
	}
	switch (fsc) {
	case 0x10: return "synchronous external abort";
	case 0x11: return "synchronous tag check fault";
	case 0x14: case 0x15: case 0x16: case 0x17:
		return "synchronous external abort on table walk";
	case 0x18: return "synchronous parity/ECC error";
	case 0x21: return "alignment fault";
	case 0x30: return "TLB conflict abort";
	case 0x31: return "unsupported atomic hardware update";
	default:   return "other fault";
	}
}

static bool fsc_has_level(unsigned int fsc)
{
	return fsc < 0x10 || (fsc >= 0x14 && fsc <= 0x17);
}

void esr_dump(u64 esr, u64 far)
{
	unsigned int ec = ESR_EC(esr);
	u64 iss = ESR_ISS(esr);

	hyp_printf("ESR_EL2 0x%016llx: EC 0x%02x (%s), IL %u, ISS 0x%07llx\n",
		   esr, ec, ec_name(ec), (esr & ESR_IL) ? 32 : 16, iss);

	if (ec == EC_DABT_LOW || ec == EC_DABT_CUR ||
	    ec == EC_IABT_LOW || ec == EC_IABT_CUR) {
		bool data = ec == EC_DABT_LOW || ec == EC_DABT_CUR;
		unsigned int fsc = iss & 0x3f;

		hyp_printf("  %s: %s%s%u (0x%02x)%s%s%s\n",
			   data ? "DFSC" : "IFSC", fsc_name(fsc),
			   fsc_has_level(fsc) ? ", level " : "",
			   fsc_has_level(fsc) ? fsc & 3 : 0, fsc,
			   data ? ((iss & BIT(6)) ? ", WnR=1 (write)" : ", WnR=0 (read)") : "",
			   (iss & BIT(7)) ? ", S1PTW (stage-2 fault on a table walk)" : "",
			   (iss & BIT(9)) ? ", EA (external abort)" : "");
		if (data && (iss & BIT(24)))
			hyp_printf("  ISV: access size %u bytes, Rt x%llu, %s-extend, %s register%s\n",
				   1U << ((iss >> 22) & 3), (iss >> 16) & 0x1f,
				   (iss & BIT(21)) ? "sign" : "zero",
				   (iss & BIT(15)) ? "64-bit" : "32-bit",
				   (iss & BIT(14)) ? ", acquire/release" : "");
		if (data && (iss & BIT(8)))
			hyp_printf("  CM: fault on a cache maintenance instruction\n");
		if (iss & BIT(10))
			hyp_printf("  FnV: FAR_EL2 is not valid\n");
		else
			hyp_printf("  FAR_EL2 0x%016llx (faulting address)\n", far);
	} else if (ec == 0x16 || ec == 0x17 || ec == 0x15) {
		hyp_printf("  imm16 0x%04llx\n", iss & 0xffff);
	} else if (ec == 0x18) {
		hyp_printf("  sysreg op0=%llu op1=%llu CRn=%llu CRm=%llu op2=%llu Rt=x%llu %s\n",
			   (iss >> 20) & 3, (iss >> 14) & 7, (iss >> 10) & 0xf,
			   (iss >> 1) & 0xf, (iss >> 17) & 7, (iss >> 5) & 0x1f,
			   (iss & 1) ? "read (MRS)" : "write (MSR)");
	} else if (ec == 0x3c) {
		hyp_printf("  BRK comment 0x%04llx\n", iss & 0xffff);
	}
}
