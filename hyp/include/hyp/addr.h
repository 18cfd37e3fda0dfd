/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Three address spaces that must never mix silently (sparse-checked):
 *   paddr_t  - host-physical address (what the hypervisor's allocator hands out)
 *   ipaddr_t - guest-physical address (IPA on arm64, GPA on x86)
 *   vaddr_t  - hypervisor-virtual address
 * Convert only through the helpers below.
 */
#ifndef HYP_ADDR_H
#define HYP_ADDR_H

#include <hyp/types.h>

typedef u64 __bitwise paddr_t;
typedef u64 __bitwise ipaddr_t;
typedef u64 __bitwise vaddr_t;

static inline paddr_t pa_init(u64 a)		{ return (__force paddr_t)a; }
static inline u64 pa_addr(paddr_t a)		{ return (__force u64)a; }
static inline paddr_t pa_add(paddr_t a, u64 n)	{ return pa_init(pa_addr(a) + n); }
static inline bool pa_eq(paddr_t a, paddr_t b)	{ return pa_addr(a) == pa_addr(b); }

static inline ipaddr_t ipa_init(u64 a)		{ return (__force ipaddr_t)a; }
static inline u64 ipa_addr(ipaddr_t a)		{ return (__force u64)a; }
static inline ipaddr_t ipa_add(ipaddr_t a, u64 n) { return ipa_init(ipa_addr(a) + n); }

static inline vaddr_t va_init(u64 a)		{ return (__force vaddr_t)a; }
static inline u64 va_addr(vaddr_t a)		{ return (__force u64)a; }

/*
 * The hypervisor maps all of RAM at a fixed offset from its physical
 * address (identity, offset 0, on arm64 and x86; the host simulation keeps
 * "physical memory" in a host buffer and sets the offset to its base).
 */
extern uintptr_t hyp_phys_virt_offset;

static inline void *pa_to_ptr(paddr_t pa)
{
	return (void *)(uintptr_t)(pa_addr(pa) + hyp_phys_virt_offset);
}

static inline paddr_t ptr_to_pa(const void *p)
{
	return pa_init((u64)((uintptr_t)p - hyp_phys_virt_offset));
}

static inline vaddr_t ptr_to_va(const void *p)	{ return va_init((u64)(uintptr_t)p); }
static inline void *va_to_ptr(vaddr_t va)	{ return (void *)(uintptr_t)va_addr(va); }

#endif
