/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Compiler and sparse annotations. Everything in hyp/ and arch/ includes this
 * (through types.h). Under sparse (__CHECKER__) the annotations are real;
 * under gcc they compile away.
 */
#ifndef HYP_COMPILER_H
#define HYP_COMPILER_H

#ifdef __CHECKER__
#define __bitwise	__attribute__((bitwise))
#define __force		__attribute__((force))
#define __must_hold(x)	__attribute__((context(x, 1, 1)))
#define __acquires(x)	__attribute__((context(x, 0, 1)))
#define __releases(x)	__attribute__((context(x, 1, 0)))
#define __acquire(x)	__context__(x, 1)
#define __release(x)	__context__(x, -1)
#else
#define __bitwise
#define __force
#define __must_hold(x)
#define __acquires(x)
#define __releases(x)
#define __acquire(x)	((void)0)
#define __release(x)	((void)0)
#endif

#define __noreturn	__attribute__((noreturn))
#define __unused	__attribute__((unused))
#define __used		__attribute__((used))
#define __packed	__attribute__((packed))
#define __aligned(x)	__attribute__((aligned(x)))
#define __section(s)	__attribute__((section(s)))
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define __must_check	__attribute__((warn_unused_result))
#define __always_inline	inline __attribute__((always_inline))

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#define barrier()	__asm__ __volatile__("" ::: "memory")

/* Single-copy-atomic accesses that the compiler may not tear, merge or elide. */
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define BUILD_BUG_ON(c)	_Static_assert(!(c), #c)

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - __builtin_offsetof(type, member)))

#endif
