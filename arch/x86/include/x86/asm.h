/* SPDX-License-Identifier: GPL-2.0 */
/* Thin wrappers around single x86 instructions (port I/O, MSRs, CPUID, CRs). */
#ifndef X86_ASM_H
#define X86_ASM_H

#include <hyp/types.h>

static inline void outb(u16 port, u8 v)
{
	__asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(u16 port, u16 v)
{
	__asm__ __volatile__("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(u16 port, u32 v)
{
	__asm__ __volatile__("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (u64)hi << 32 | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ __volatile__("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)) : "memory");
}

/*
 * rdmsr that survives a #GP (MSR not implemented by this CPU or emulator):
 * returns false and leaves *val alone. The #GP handler recognises the
 * instruction's address (traps.c, fixup table) and skips it.
 */
bool rdmsr_safe(u32 msr, u64 *val) __must_check;

struct cpuid_regs {
	u32 eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid_count(u32 leaf, u32 sub)
{
	struct cpuid_regs r;

	__asm__ __volatile__("cpuid"
			     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			     : "a"(leaf), "c"(sub));
	return r;
}

static inline struct cpuid_regs cpuid(u32 leaf)
{
	return cpuid_count(leaf, 0);
}

static inline u64 read_cr0(void)
{
	u64 v;

	__asm__ __volatile__("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline u64 read_cr2(void)
{
	u64 v;

	__asm__ __volatile__("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline u64 read_cr3(void)
{
	u64 v;

	__asm__ __volatile__("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(u64 v)
{
	__asm__ __volatile__("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline u64 read_cr4(void)
{
	u64 v;

	__asm__ __volatile__("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline u64 read_rflags(void)
{
	u64 v;

	__asm__ __volatile__("pushfq; popq %0" : "=r"(v) : : "memory");
	return v;
}

static inline u64 read_rbp(void)
{
	u64 v;

	__asm__ __volatile__("mov %%rbp, %0" : "=r"(v));
	return v;
}

static inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" : : : "memory");
}

#define X86_RFLAGS_IF		BIT(9)

#define X86_CR4_PAE		BIT(5)
#define X86_CR4_PGE		BIT(7)
#define X86_CR4_VMXE		BIT(13)

#define MSR_IA32_APIC_BASE		0x0000001b
#define MSR_IA32_FEATURE_CONTROL	0x0000003a
#define MSR_IA32_VMX_BASIC		0x00000480
#define MSR_IA32_VMX_PROCBASED_CTLS	0x00000482
#define MSR_IA32_VMX_PROCBASED_CTLS2	0x0000048b
#define MSR_IA32_VMX_EPT_VPID_CAP	0x0000048c
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS 0x0000048e
#define MSR_EFER			0xc0000080
#define MSR_GS_BASE			0xc0000101
#define MSR_VM_CR			0xc0010114

#endif
