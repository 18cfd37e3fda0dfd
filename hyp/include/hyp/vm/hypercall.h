/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypervisor's guest calls: SMCCC fast calls, SMC64, owner 6 (vendor
 * specific hypervisor service), through HVC. doc/hypercalls.md.
 * Return in x0: 0 or HC_ERR(E_*); unknown function: -1 (SMCCC NOT_SUPPORTED).
 */
#ifndef HYP_VM_HYPERCALL_H
#define HYP_VM_HYPERCALL_H

#include <hyp/vm/vm.h>

#define HC_BASE		0xc6000000U
#define HC_VERSION	(HC_BASE + 0)	/* -> x1 = interface version (1) */
#define HC_VERSION_F_CHURN	(1ULL << 32)	/* x2 flag: churn rearranges this VM (doc/churn.md) */
#define HC_MAP		(HC_BASE + 1)	/* (ipa, size): fresh zeroed pages */
#define HC_UNMAP	(HC_BASE + 2)	/* (ipa, size) */
#define HC_PROTECT	(HC_BASE + 3)	/* (ipa, size, prot R=1 W=2 X=4) */
#define HC_MOVE		(HC_BASE + 4)	/* (src, dst, size) */
#define HC_RECLAIM	(HC_BASE + 5)	/* (ipa, size): free empty tables */
#define HC_COUNTER	(HC_BASE + 6)	/* (index) -> x1 = value */
#define HC_DIRTY_START	(HC_BASE + 7)	/* (ipa, size <= HC_DIRTY_MAX): dirty logging on */
#define HC_DIRTY_STOP	(HC_BASE + 8)	/* (): dirty logging off */
#define HC_DIRTY_HARVEST (HC_BASE + 9)	/* () -> x1 = bitmap (bit i: page i), x2 = count */
#define HC_RACE_DELAY	(HC_BASE + 10)	/* (point, mode, us, seed): race widening, s2_race.h */
#define HC_MIGRATE	(HC_BASE + 11)	/* (ipa, size): each mapped page to a new host page */
#define HC_MIGRATE_MAX	(64 * PAGE_SIZE)	/* bound on the work of one MIGRATE */
#define HC_DIRTY_MAX	(64 * PAGE_SIZE)	/* the bitmap fits in x1 */

#define HC_MAP_MAX	SZ_2M		/* bound on the work of one MAP */
#define HC_ERR(e)	(-(s64)(0x100 | (e)))

void vm_hypercall(struct vcpu *v, struct smccc_regs *r);

#endif
