// SPDX-License-Identifier: GPL-2.0
/* The guest's virtual timer on its pinned CPU (arm64/vtimer.h). */
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
