/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ticket spinlock. Fair, so that a CPU hammering a VM's lock cannot starve
 * another CPU's unmap. Annotated for sparse's context checking.
 */
#ifndef HYP_SPINLOCK_H
#define HYP_SPINLOCK_H

#include <hyp/types.h>
#include <hyp/atomic.h>
#include <hyp/arch.h>

struct spinlock {
	u32 next;
	u32 owner;
};

#define SPINLOCK_INIT	{ 0, 0 }

static inline void spin_lock_init(struct spinlock *l)
{
	l->next = 0;
	l->owner = 0;
}

static inline void spin_lock(struct spinlock *l) __acquires(l)
{
	u32 ticket = atomic_fetch_add(&l->next, 1);

	arch_sched_point();
	while (atomic_load_acquire(&l->owner) != ticket)
		arch_cpu_relax();
	__acquire(l);
}

static inline bool spin_trylock(struct spinlock *l)
{
	u32 owner = atomic_load_acquire(&l->owner);

	return atomic_cmpxchg(&l->next, owner, owner + 1);
}

static inline void spin_unlock(struct spinlock *l) __releases(l)
{
	atomic_store_release(&l->owner, l->owner + 1);
	__release(l);
	arch_sched_point();
}

static inline bool spin_is_locked(struct spinlock *l)
{
	return atomic_load_relaxed(&l->next) != atomic_load_relaxed(&l->owner);
}

#endif
