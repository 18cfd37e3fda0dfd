// SPDX-License-Identifier: GPL-2.0
/*
 * Freestanding string functions. memcpy and memset are on hot paths (every
 * hypercall copies the guest's argument registers, every stage-2 fault zeroes
 * a page): they move 8 bytes at a time when both ends are 8-byte aligned
 * (arm64 builds with -mstrict-align: never an unaligned u64), bytes
 * otherwise and for the tail. Measured under QEMU -icount (doc/bench.md):
 * byte-wise, HC_VERSION cost 879 instructions at EL2. The rest are byte-wise
 * and simple: boot paths and the DTB parser.
 */
#include <hyp/string.h>

#ifndef CONFIG_ARCH_SIM	/* the host build uses the C library's */
/* Keep gcc from turning these loops back into calls to themselves. */
#pragma GCC optimize("no-tree-loop-distribute-patterns")
/* A u64 that may alias whatever the bytes are (no strict-aliasing surprise). */
typedef u64 __attribute__((may_alias)) u64_alias;

static inline bool both_aligned8(const void *a, const void *b)
{
	return !(((unsigned long)a | (unsigned long)b) & 7);
}

void *memcpy(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	if (both_aligned8(d, s)) {
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(u64_alias *)d = *(const u64_alias *)s;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	if (d == s || n == 0)
		return dst;
	if (d < s) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

void *memset(void *s, int c, size_t n)
{
	u8 *p = s;

	if (both_aligned8(p, p)) {
		u64 v = 0x0101010101010101ULL * (u8)c;

		for (; n >= 8; n -= 8, p += 8)
			*(u64_alias *)p = v;
	}
	while (n--)
		*p++ = (u8)c;
	return s;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const u8 *p = s;

	for (; n; n--, p++)
		if (*p == (u8)c)
			return (void *)p;
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}
#endif
