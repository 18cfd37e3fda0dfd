// SPDX-License-Identifier: GPL-2.0
/* x86-64 side of the guest framework: COM1, hypercalls, PSCI, exceptions. */
#include "guest.h"

static inline void outb(u32 port, u8 v)
{
	__asm__ __volatile__("outb %0, %w1" : : "a"(v), "Nd"(port));
}

/* The hypervisor takes each byte at once (trapped port I/O): no LSR polling. */
void arch_putc(char c)
{
	outb(PLAT_UART_BASE, (u8)c);
}

static void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	__asm__ __volatile__("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

/* 0 unknown, 1 VMMCALL (AMD), 2 VMCALL (Intel): from the CPUID vendor. */
static u32 call_insn;

struct hyp_res hyp_call(u64 fn, u64 a1, u64 a2, u64 a3)
{
	register u64 rax __asm__("rax") = fn;
	register u64 rbx __asm__("rbx") = a1;
	register u64 rcx __asm__("rcx") = a2;
	register u64 rdx __asm__("rdx") = a3;

	if (!call_insn) {
		u32 a, b, c, d;

		cpuid(0, &a, &b, &c, &d);
		call_insn = b == 0x68747541 ? 1 : 2;	/* "Auth"enticAMD */
	}
	if (call_insn == 1)
		__asm__ __volatile__("vmmcall" : "+r"(rax), "+r"(rbx), "+r"(rcx), "+r"(rdx)
				     :: "memory");
	else
		__asm__ __volatile__("vmcall" : "+r"(rax), "+r"(rbx), "+r"(rcx), "+r"(rdx)
				     :: "memory");
	return (struct hyp_res){ (s64)rax, rbx, rcx, rdx };
}

u64 clock_hz(void)
{
	static u64 hz;
	u32 a, b, c, d;

	if (!hz) {
		cpuid(0x40000000, &a, &b, &c, &d);
		if (a >= 0x40000010)
			cpuid(0x40000010, &a, &b, &c, &d);
		else
			a = 0;
		hz = a ? (u64)a * 1000 : 1000000000UL;	/* unknown: assume 1 GHz */
	}
	return hz;
}

extern char secondary_entry[];

int arch_cpu_on(unsigned int cpu)
{
	s64 r = hyp_call(PSCI_CPU_ON, cpu, (u64)secondary_entry, cpu).a0;

	if (r == PSCI_E_INVALID_PARAMS)
		return 1;
	return r ? (int)r : 0;
}

void arch_cpu_off(void)
{
	hyp_call(PSCI_CPU_OFF, 0, 0, 0);
}

bool arch_cpu_is_off(unsigned int cpu)
{
	return hyp_call(PSCI_AFFINITY_INFO, cpu, 0, 0).a0 == 1;
}

void arch_system_off(void)
{
	hyp_call(PSCI_SYSTEM_OFF, 0, 0, 0);
}

/* ---- exceptions ------------------------------------------------------------ */

/* What start.S pushes, lowest address first. */
struct exc_frame {
	u64 r11, r10, r9, r8, rdi, rsi, rdx, rcx, rax;
	u64 vector, error;
	u64 rip, cs, rflags, rsp, ss;
};

/*
 * Length of the faulting instruction, for the memory accesses the compiler
 * emits in tests (MOV/MOVZX/MOVSX/ALU/CMP/TEST with a ModRM memory operand,
 * optional prefixes, REX, SIB, displacement and immediate) and string I/O
 * (INS/OUTS). 0: unknown.
 */
static unsigned int insn_len(const u8 *p)
{
	unsigned int n = 0, imm = 0, opsz16 = 0, mod, rm;
	u8 op;

	for (;; n++) {
		u8 b = p[n];

		if (b == 0x66)
			opsz16 = 1;
		else if (!(b == 0xf0 || b == 0xf2 || b == 0xf3 || b == 0x2e || b == 0x36 ||
			   b == 0x3e || b == 0x26 || b == 0x64 || b == 0x65 || b == 0x67))
			break;
	}
	if ((p[n] & 0xf0) == 0x40)
		n++;	/* REX */
	op = p[n++];
	if (op >= 0x6c && op <= 0x6f)
		return n;	/* INS, OUTS (the fuzzer: string I/O is #GP) */
	if (op == 0x0f) {
		op = p[n++];
		if (op == 0x30 || op == 0x32)
			return n;	/* WRMSR, RDMSR */
		if (!(op == 0xb6 || op == 0xb7 || op == 0xbe || op == 0xbf))
			return 0;
	} else if (op == 0x88 || op == 0x89 || op == 0x8a || op == 0x8b || op == 0x85 ||
		   op == 0x84 || op == 0x39 || op == 0x3b || op == 0x01 || op == 0x03 ||
		   op == 0x09 || op == 0x0b || op == 0x21 || op == 0x23 || op == 0x29 ||
		   op == 0x2b || op == 0x31 || op == 0x33 || op == 0x87) {
		imm = 0;
	} else if (op == 0xc6 || op == 0x80 || op == 0x83) {
		imm = 1;
	} else if (op == 0xc7 || op == 0x81) {
		imm = opsz16 ? 2 : 4;
	} else {
		return 0;
	}
	mod = p[n] >> 6;
	rm = p[n] & 7;
	n++;
	if (mod != 3 && rm == 4)
		n += (mod == 0 && (p[n] & 7) == 5) ? 5 : 1;	/* SIB (+disp32 w/o base) */
	if (mod == 0 && rm == 5)
		n += 4;		/* RIP-relative */
	else if (mod == 1)
		n += 1;
	else if (mod == 2)
		n += 4;
	return n + imm;
}

void guest_exception(struct exc_frame *f);
void guest_exception(struct exc_frame *f)
{
	u64 cr2, syn = X86_SYN_VALID | f->vector << 32 | (u32)f->error;
	unsigned int len;

	__asm__ __volatile__("mov %%cr2, %0" : "=r"(cr2));
	len = f->vector < 32 ? insn_len((const u8 *)f->rip) : 0;
	if (len && fault_record(syn, cr2)) {
		f->rip += len;
		return;
	}
	fault_unexpected(f->vector, syn, cr2, f->rip);
}

/* The platform is the built-in one (no DTB on x86): RAM as configured, COM1. */
bool plat_valid(u64 ram_base, u64 ram_size, u64 uart)
{
	return ram_base == PLAT_RAM_BASE && ram_size <= PLAT_RAM_SIZE_MAX &&
	       uart == PLAT_UART_BASE;
}

/* Paging is on from entry (the hypervisor's identity map): CR0.PG. */
bool arch_mmu_on(void)
{
	u64 cr0;

	__asm__ __volatile__("mov %%cr0, %0" : "=r"(cr0));
	return cr0 & (1UL << 31);
}
