/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HYP_TYPES_H
#define HYP_TYPES_H

#include <hyp/abi/hypercall.h>
#include <hyp/compiler.h>

typedef unsigned char		u8;
typedef unsigned short		u16;
typedef unsigned int		u32;
typedef unsigned long long	u64;
typedef signed char		s8;
typedef short			s16;
typedef int			s32;
typedef long long		s64;

typedef __SIZE_TYPE__		size_t;
typedef __PTRDIFF_TYPE__	ptrdiff_t;
typedef __UINTPTR_TYPE__	uintptr_t;
typedef __INTPTR_TYPE__		intptr_t;
typedef long			ssize_t;

#ifndef __cplusplus
typedef _Bool			bool;
#define true	1
#define false	0
#endif

#ifndef NULL
#define NULL	((void *)0)
#endif

#define BIT(n)		(1ULL << (n))
#define GENMASK(h, l)	(((~0ULL) << (l)) & (~0ULL >> (63 - (h))))

#define ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))
#define ALIGN_UP(x, a)		ALIGN_DOWN((x) + (a) - 1, (a))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)

#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1ULL << PAGE_SHIFT)

#define SZ_4K	0x1000ULL
#define SZ_64K	0x10000ULL
#define SZ_2M	0x200000ULL
#define SZ_1G	0x40000000ULL

/*
 * Error codes: negative values, returned by every function that can fail.
 * The numbers and their meaning are the guest ABI's (hypercalls return
 * HC_ERR(e)): hyp/include/hyp/abi/hypercall.h.
 */
#define E_OK		HC_E_OK
#define E_NOMEM		HC_E_NOMEM
#define E_INVAL		HC_E_INVAL
#define E_RANGE		HC_E_RANGE
#define E_ALIGN		HC_E_ALIGN
#define E_EXIST		HC_E_EXIST
#define E_NOENT		HC_E_NOENT
#define E_BUSY		HC_E_BUSY
#define E_PERM		HC_E_PERM
#define E_FORMAT	HC_E_FORMAT
#define E_NOSYS		HC_E_NOSYS
#define E_AGAIN		HC_E_AGAIN

const char *err_str(int err);

#endif
