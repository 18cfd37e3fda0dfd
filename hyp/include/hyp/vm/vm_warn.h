/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Warnings a guest can trigger, rate-limited per VM and per kind
 * (hyp/vm/vm_warn.c, doc/console.md): a guest looping on a bad access must
 * not flood the console (each line holds the console lock for ~8 ms at
 * 115200 baud and stalls every VM that prints).
 */
#ifndef HYP_VM_VM_WARN_H
#define HYP_VM_VM_WARN_H

#include <hyp/types.h>

struct vm;

/*
 * pr_warn() for @vm's occurrence of @kind (a string constant naming it):
 * the first VM_WARN_BURST of each kind are printed, then only the 2^n-th,
 * with the count suppressed since the last one printed.
 */
void vm_warn(struct vm *vm, const char *kind, const char *fmt, ...) __printf(3, 4);
/* @vm stops: one line per kind with warnings not shown since the last printed. */
void vm_warn_report(struct vm *vm);

#define VM_WARN_BURST	5
#define VM_WARN_KINDS	8	/* kinds tracked per VM; more share the last slot */

#endif
