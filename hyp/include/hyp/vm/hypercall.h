/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypervisor's side of the guest calls: numbers, errors, limits and
 * counter indices are the guest ABI in hyp/include/hyp/abi/hypercall.h
 * (shared with the guests); doc/hypercalls.md.
 */
#ifndef HYP_VM_HYPERCALL_H
#define HYP_VM_HYPERCALL_H

#include <hyp/abi/hypercall.h>
#include <hyp/vm/vm.h>

void vm_hypercall(struct vcpu *v, struct smccc_regs *r);

#endif
