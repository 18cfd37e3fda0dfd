/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HYP_TYPES_H
#define HYP_TYPES_H

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

/* Error codes: negative values, returned by every function that can fail. */
#define E_OK		0
#define E_NOMEM		1	/* allocation failed; nothing was changed */
#define E_INVAL		2	/* bad argument */
#define E_RANGE		3	/* address outside the allowed range */
#define E_ALIGN		4	/* misaligned address or size */
#define E_EXIST		5	/* already mapped / already present */
#define E_NOENT		6	/* not mapped / not found */
#define E_BUSY		7	/* resource in use */
#define E_PERM		8	/* not permitted */
#define E_FORMAT	9	/* malformed input (DTB, config) */
#define E_NOSYS		10	/* not implemented / not supported */
#define E_AGAIN		11	/* transient; retry */

const char *err_str(int err);

#endif
