// SPDX-License-Identifier: GPL-2.0
/* The guest's virtual timer on its pinned CPU (arm64/vtimer.h). */
#include <hyp/console.h>
#include <hyp/vm/vm.h>
#include <arm64/gic.h>
#include <arm64/sysreg.h>
#include <arm64/vgic.h>
#include <arm64/vtimer.h>

#define CNTHCTL_EL1PCTEN	BIT(0)	/* EL1/EL0 may read CNTPCT_EL0 */
#define CNTHCTL_EL1PCEN		BIT(1)	/* EL1/EL0 may use the EL1 physical timer (CNTP_*) */

void vtimer_vcpu_load(void)
{
	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(cntp_ctl_el0, 0);
	write_sysreg(cntvoff_el2, 0);
	write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN);
	isb();
}

void vtimer_vcpu_put(void)
{
	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(cntp_ctl_el0, 0);
	isb();
}

void vtimer_check_lost(struct vcpu *v, bool *warned)
{
	u64 ctl = read_sysreg(cntv_ctl_el0);

	/* Forwarded (hw) or not asserted: nothing can be owed by the GIC. */
	if (*warned || !vtimer_asserted(ctl) ||
	    READ_ONCE(vgic_of(v->vm)->cpu[v->idx].priv[GIC_PPI_VTIMER].hw))
		return;
	if (read_sysreg(cntvct_el0) - read_sysreg(cntv_cval_el0) <= read_sysreg(cntfrq_el0))
		return;
	*warned = true;
	pr_warn("vm%u (%s): vcpu%u waits in WFI while its virtual timer has been asserted for "
		"over 1 s and the physical PPI %u was never taken: a lost interrupt "
		"(doc/interrupts.md)\n", v->vm->id, v->vm->name, v->idx, GIC_PPI_VTIMER);
}
