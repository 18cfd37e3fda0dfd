/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-VM stage-2 counters. Incremented with relaxed atomics (some outside the
 * VM lock); read with s2_vm_counters(). Tests and benchmarks assert on them.
 */
#ifndef HYP_MM_S2_COUNTERS_H
#define HYP_MM_S2_COUNTERS_H

#include <hyp/abi/hypercall.h>
#include <hyp/types.h>

/*
 * struct s2_counters - what one VM's stage-2 manager did: one u64 per entry
 * of HC_COUNTERS (hyp/include/hyp/abi/hypercall.h, the guest ABI; what each
 * counts is written there), in that order, so HC_COUNTER's index i is
 * field i and the list cannot be reordered on one side only.
 */
#define S2_COUNTER_FIELD_(name, field) u64 field;
struct s2_counters {
	HC_COUNTERS(S2_COUNTER_FIELD_)
};
#undef S2_COUNTER_FIELD_

#define s2_count(vm, field, n) \
	__atomic_fetch_add(&(vm)->cnt.field, (u64)(n), __ATOMIC_RELAXED)

#endif
