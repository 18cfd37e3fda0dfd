/* SPDX-License-Identifier: GPL-2.0 */
/* Atomics on top of the compiler's __atomic builtins (arm64 LSE/LL-SC, x86 lock). */
#ifndef HYP_ATOMIC_H
#define HYP_ATOMIC_H

#include <hyp/types.h>

#define atomic_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define atomic_load_relaxed(p)	__atomic_load_n((p), __ATOMIC_RELAXED)
#define atomic_store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define atomic_store_relaxed(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)
#define atomic_fetch_add(p, v)	__atomic_fetch_add((p), (v), __ATOMIC_SEQ_CST)
#define atomic_fetch_sub(p, v)	__atomic_fetch_sub((p), (v), __ATOMIC_SEQ_CST)
#define atomic_fetch_or(p, v)	__atomic_fetch_or((p), (v), __ATOMIC_SEQ_CST)
#define atomic_fetch_and(p, v)	__atomic_fetch_and((p), (v), __ATOMIC_SEQ_CST)
#define atomic_xchg(p, v)	__atomic_exchange_n((p), (v), __ATOMIC_SEQ_CST)
/* Returns true and stores new if *p == old. */
#define atomic_cmpxchg(p, old, new) ({					\
	__typeof__(*(p)) __o = (old);					\
	__atomic_compare_exchange_n((p), &__o, (new), false,		\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); })

#endif
