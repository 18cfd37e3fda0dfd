/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SMC Calling Convention: function id in x0, arguments in x1-x3, result in
 * x0. Callee may clobber x0-x17 (SMCCC 1.0); those are caller-saved in the
 * AAPCS64 anyway, so a plain call suffices.
 */
	.text
	.globl psci_smc
psci_smc:
	smc	#0
	ret

	.globl psci_hvc
psci_hvc:
	hvc	#0
	ret
