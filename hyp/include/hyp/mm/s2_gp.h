/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Grace periods for lockless stage-2 walkers (R6).
 *
 * The fault path walks a VM's tables without the VM lock. A table unlinked
 * by a writer may still be being read by such a walker, so it is freed only
 * after (a) the invalidation covering it completed (the gather, R1) and
 * (b) a grace period: every read section that may have started before the
 * unlink has ended.
 *
 * Per-CPU epochs, kept here in hyp/mm (not percpu.h, so the simulation's
 * CPUs need nothing but arch_cpu_id()):
 *
 *   reader: epoch[cpu] = gp_seq (nonzero)  ; full barrier ; walk ; epoch[cpu] = 0
 *   writer: unlink ; t = ++gp_seq (full barrier) ;
 *           wait until every epoch[cpu] is 0 or >= t
 *
 * A reader whose epoch is below t may have seen the table before the unlink
 * and is waited for; a reader that publishes its epoch after the writer's
 * scan is ordered after the unlink (both sides use full barriers: Dekker).
 * Read sections do not nest and must not wait for a grace period.
 */
#ifndef HYP_MM_S2_GP_H
#define HYP_MM_S2_GP_H

#include <hyp/types.h>

/**
 * s2_gp_read_lock() - enter a lockless read section on this CPU.
 */
void s2_gp_read_lock(void);

/**
 * s2_gp_read_unlock() - leave the read section entered by s2_gp_read_lock().
 */
void s2_gp_read_unlock(void);

/**
 * s2_gp_in_read() - is this CPU inside a read section?
 */
bool s2_gp_in_read(void);

/**
 * s2_gp_synchronize() - wait for a grace period: returns once every read
 * section that was active when it was called has ended. Spins with
 * arch_cpu_relax(). Must not be called inside a read section.
 */
void s2_gp_synchronize(void);

/* Number of grace periods waited for (all VMs; tests). */
extern u64 s2_gp_waits;

#endif
