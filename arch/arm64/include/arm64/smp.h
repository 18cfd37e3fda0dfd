/* SPDX-License-Identifier: GPL-2.0 */
/* Secondary CPU bring-up (PSCI CPU_ON) and the panic-time CPU stop. */
#ifndef ARM64_SMP_H
#define ARM64_SMP_H

#include <hyp/types.h>

/*
 * Assign logical CPU numbers (the boot CPU is 0, the others in DTB order)
 * and record each CPU's MPIDR. Called once after hyp_init() parsed the DTB.
 */
void smp_init_cpus(void);

/* PSCI CPU_ON every CPU but the boot CPU; does not wait for them. */
void smp_boot_secondaries(void);

/* Number of CPUs smp_init_cpus() numbered (including the boot CPU). */
unsigned int smp_nr_cpus(void);

/* head.S: where PSCI CPU_ON enters a secondary (x0 = logical CPU). */
extern char secondary_entry[];

/* If another CPU asked everyone to stop, acknowledge and halt. */
void smp_check_stop(void);

#endif
