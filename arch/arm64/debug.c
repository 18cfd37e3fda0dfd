// SPDX-License-Identifier: GPL-2.0
/*
 * Self-hosted debug registers, per vCPU (doc/guest-fidelity.md "Debug
 * registers"). MDCR_EL2.TDA/TDOSA/TDRA trap every EL0/EL1 access to them;
 * TDE stays 0, so the debug exceptions a guest programs are taken at its own
 * EL1 (and never at EL2: with the debug target at EL1 the hypervisor cannot
 * take one). Each vCPU's state lives here; the breakpoint and watchpoint
 * registers, MDSCR_EL1 and the OS lock are written through to the CPU on a
 * trapped write and loaded when the vCPU enters a CPU whose registers hold
 * someone else's state (lazily: a vCPU owns its CPU, so usually never
 * again). Everything else (claim tags, DCC, double lock, powerdown request)
 * is only kept here: it has no effect a guest could rely on without an
 * external debugger, which the hypervisor does not offer.
 */
#include <hyp/arch.h>
#include <hyp/string.h>
#include <arm64/debug.h>
#include <arm64/sysreg.h>

#define MDCR_TDA	BIT(9)
#define MDCR_TDOSA	BIT(10)
#define MDCR_TDRA	BIT(11)

#define MDSCR_HDE	BIT(14)		/* halting debug: never given to the CPU */
#define MDCCINT_RW	(BIT(30) | BIT(29))
#define OSLSR_OSLM	(BIT(3) | BIT(0))

/* Which vCPU's state this CPU's debug registers hold (compared, never followed). */
static const struct arm64_debug *loaded[HYP_MAX_CPUS];

u64 arm64_debug_mdcr(void)
{
	return MDCR_TDA | MDCR_TDOSA | MDCR_TDRA;	/* TDE 0: debug exceptions go to the guest's EL1 */
}

/* Breakpoints / watchpoints the guest is told of (idregs.c passes BRPs/WRPs through). */
static unsigned int nr_brps(void)
{
	return ((read_sysreg(id_aa64dfr0_el1) >> 12) & 0xf) + 1;
}

static unsigned int nr_wrps(void)
{
	return ((read_sysreg(id_aa64dfr0_el1) >> 20) & 0xf) + 1;
}

void arm64_debug_reset(struct arm64_debug *d)
{
	memset(d, 0, sizeof(*d));
	d->oslk = 1;		/* OSLSR_EL1.OSLK is 1 after a cold reset */
	d->loaded_on = -1;
}

/*
 * DBGBVR/BCR/WVR/WCR<n>_EL1 = S2_0_C0_C<n>_<op2>, op2 4/5/6/7: the number
 * must be a constant in MRS/MSR, hence one case per register.
 */
#define ONE(n, k)	case (n) * 8 + (k):					\
		if (w)								\
			write_sysreg(s2_0_c0_c##n##_##k, v);			\
		return read_sysreg(s2_0_c0_c##n##_##k)
#define FOUR(n)		ONE(n, 4); ONE(n, 5); ONE(n, 6); ONE(n, 7)

/* Write (if @w) then read back one breakpoint/watchpoint register. */
static u64 bpwp(unsigned int n, unsigned int op2, bool w, u64 v)
{
	switch (n * 8 + op2) {
	FOUR(0); FOUR(1); FOUR(2); FOUR(3); FOUR(4); FOUR(5); FOUR(6); FOUR(7);
	FOUR(8); FOUR(9); FOUR(10); FOUR(11); FOUR(12); FOUR(13); FOUR(14); FOUR(15);
	default:
		return 0;
	}
}

void arm64_debug_load(struct arm64_debug *d)
{
	unsigned int cpu = arch_cpu_id(), i, nb = nr_brps(), nw = nr_wrps();

	if (d->loaded_on == (int)cpu && loaded[cpu] == d)
		return;		/* nothing else ran a guest on this CPU since */
	for (i = 0; i < nb; i++) {
		bpwp(i, 4, true, d->bvr[i]);
		bpwp(i, 5, true, d->bcr[i]);
	}
	for (i = 0; i < nw; i++) {
		bpwp(i, 6, true, d->wvr[i]);
		bpwp(i, 7, true, d->wcr[i]);
	}
	write_sysreg(mdscr_el1, d->mdscr & ~MDSCR_HDE);
	write_sysreg(oslar_el1, d->oslk);
	d->loaded_on = (int)cpu;
	loaded[cpu] = d;
}

/* op1, CRn, CRm, op2 of an op0 = 2 register */
#define REG(op1, crn, crm, op2)	((op1) << 12 | (crn) << 8 | (crm) << 4 | (op2))
#define MDCCINT_EL1	REG(0, 0, 2, 0)
#define MDSCR_EL1	REG(0, 0, 2, 2)
#define OSDTRRX_EL1	REG(0, 0, 0, 2)
#define OSDTRTX_EL1	REG(0, 0, 3, 2)
#define OSECCR_EL1	REG(0, 0, 6, 2)
#define MDRAR_EL1	REG(0, 1, 0, 0)
#define OSLAR_EL1	REG(0, 1, 0, 4)
#define OSLSR_EL1	REG(0, 1, 1, 4)
#define OSDLR_EL1	REG(0, 1, 3, 4)
#define DBGPRCR_EL1	REG(0, 1, 4, 4)
#define DBGCLAIMSET_EL1	REG(0, 7, 8, 6)
#define DBGCLAIMCLR_EL1	REG(0, 7, 9, 6)
#define DBGAUTHSTATUS_EL1 REG(0, 7, 14, 6)
#define MDCCSR_EL0	REG(3, 0, 1, 0)
#define DBGDTR_EL0	REG(3, 0, 4, 0)
#define DBGDTRRXTX_EL0	REG(3, 0, 5, 0)

int arm64_debug_sysreg(struct arm64_debug *d, u64 iss, u64 *val)
{
	unsigned int op0 = (iss >> 20) & 3, op2 = (iss >> 17) & 7, op1 = (iss >> 14) & 7;
	unsigned int crn = (iss >> 10) & 15, crm = (iss >> 1) & 15;
	bool read = iss & 1;
	u64 v = read ? 0 : *val, *slot;

	if (op0 != 2)
		return -E_NOENT;
	if (op1 == 0 && crn == 0 && op2 >= 4) {
		/* DBGBVR/BCR (op2 4, 5), DBGWVR/WCR (6, 7) <CRm>: only those advertised */
		if (crm >= (op2 < 6 ? nr_brps() : nr_wrps()))
			return -E_NOENT;
		slot = op2 == 4 ? &d->bvr[crm] : op2 == 5 ? &d->bcr[crm] :
		       op2 == 6 ? &d->wvr[crm] : &d->wcr[crm];
		if (read)
			*val = *slot;
		else
			*slot = bpwp(crm, op2, true, v);	/* as the CPU keeps it (RES0 bits) */
		return 0;
	}
	switch (REG(op1, crn, crm, op2) | (read ? BIT(16) : 0)) {
	case MDSCR_EL1 | BIT(16):
		*val = d->mdscr;
		return 0;
	case MDSCR_EL1:
		write_sysreg(mdscr_el1, v & ~MDSCR_HDE);
		d->mdscr = read_sysreg(mdscr_el1) | (v & MDSCR_HDE);
		return 0;
	case OSLAR_EL1:
		d->oslk = v & 1;
		write_sysreg(oslar_el1, d->oslk);
		return 0;
	case OSLSR_EL1 | BIT(16):
		*val = (read_sysreg(oslsr_el1) & OSLSR_OSLM) | d->oslk << 1;
		return 0;
	case OSDLR_EL1 | BIT(16):
		*val = d->osdlr;
		return 0;
	case OSDLR_EL1:
		d->osdlr = v & 1;
		return 0;
	case DBGPRCR_EL1 | BIT(16):
		*val = d->dbgprcr;
		return 0;
	case DBGPRCR_EL1:
		d->dbgprcr = v & 1;
		return 0;
	case DBGCLAIMSET_EL1 | BIT(16):
		*val = 0xff;		/* eight claim tags */
		return 0;
	case DBGCLAIMSET_EL1:
		d->claim |= v & 0xff;
		return 0;
	case DBGCLAIMCLR_EL1 | BIT(16):
		*val = d->claim;
		return 0;
	case DBGCLAIMCLR_EL1:
		d->claim &= ~v;
		return 0;
	case MDCCINT_EL1 | BIT(16):
		*val = d->mdccint;
		return 0;
	case MDCCINT_EL1:
		d->mdccint = v & MDCCINT_RW;
		return 0;
	case OSECCR_EL1 | BIT(16):
		*val = d->oseccr;
		return 0;
	case OSECCR_EL1:
		d->oseccr = v & 0xffffffffULL;
		return 0;
	case DBGAUTHSTATUS_EL1 | BIT(16):
		*val = read_sysreg(dbgauthstatus_el1);
		return 0;
	/* No external debugger and no memory-mapped debug: the DCC is empty, writes go nowhere. */
	case MDRAR_EL1 | BIT(16):
	case MDCCSR_EL0 | BIT(16):
	case DBGDTR_EL0 | BIT(16):
	case DBGDTRRXTX_EL0 | BIT(16):
	case OSDTRRX_EL1 | BIT(16):
	case OSDTRTX_EL1 | BIT(16):
		*val = 0;
		return 0;
	case DBGDTR_EL0:
	case DBGDTRRXTX_EL0:
	case OSDTRRX_EL1:
	case OSDTRTX_EL1:
		return 0;
	default:
		return -E_NOENT;
	}
}
