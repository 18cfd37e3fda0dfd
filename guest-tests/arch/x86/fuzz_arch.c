// SPDX-License-Identifier: GPL-2.0
/*
 * x86 part of the fuzzing guest (guest-tests/fuzz.h, doc/fuzzing.md): calls
 * through VMMCALL (AMD) or VMCALL (Intel) with every other register checked
 * unchanged, and accesses of every width to what the x86 guest platform has
 * (doc/x86-virt.md):
 *   MOV loads/stores of 8/16/32/64 bits, MOVZX/MOVSX of 8/16 bits, to IPAs
 *   outside RAM (below 4 GiB through the boot identity map; 4 GiB, 63 GiB
 *   and 512 GiB - 2 MiB through a page directory fuzz_arch_init() adds):
 *       #GP(0), CR2 = the IPA (a byte of the access), the destination
 *       register unchanged
 *   loads from the boot page tables (IPA 0x09ff0000, outside RAM, mapped):
 *       their identity-map entries, zero-/sign-extended or merged as the
 *       instruction says
 *   IN/OUT of 8/16/32 bits to any port (COM1's THR never written: it prints):
 *       COM1 reads 0 but LSR 0x60, every other port all ones; a 32-bit IN
 *       zero-extends into RAX, 8/16-bit ones keep the rest of RAX
 *   INS/OUTS: #GP
 * The boot page tables are never written by random stores (the vCPUs run on
 * them).
 */
#include "fuzz.h"

#define SENTINEL	0x5e5e5e5e5e5e5e5eUL
#define SZ_1G		0x40000000UL
#define SZ_4G		0x100000000UL
#define BOOT_PT		0x09ff0000UL	/* X86_BOOT_PT_IPA: PML4, PDPT, 4 PDs */
#define BOOT_PD		(BOOT_PT + 2 * PAGE_SIZE)
#define BOOT_PT_END	(BOOT_PT + 6 * PAGE_SIZE)
#define PTE_TABLE	0x23UL		/* P RW A */
#define PTE_2M		0xe3UL		/* P RW PS A D */
#define VEC_GP		13
#define COM1		0x3f8

typedef unsigned short u16;

unsigned int fuzz_conduits = 1;		/* the CPU's own instruction */
static u64 call_insn;			/* 0 VMMCALL (AMD), 1 VMCALL (Intel) */

void fuzz_regs(u64 *regs, u64 insn);

static const char *const reg_names[15] = {
	"RAX", "RBX", "RCX", "RDX", "RSI", "RDI", "RBP", "R8", "R9", "R10", "R11", "R12",
	"R13", "R14", "R15",
};

int fuzz_arch_call(u64 fn, const u64 *a, u64 *out, unsigned int conduit, char *msg, size_t len)
{
	u64 regs[15], want[15];

	(void)conduit;
	regs[0] = fn;
	/* RBX RCX RDX RSI RDI, then R8 = a[5] (doc/hypercalls.md: x1..x6) */
	for (unsigned int i = 1; i < 15; i++)
		regs[i] = i <= 5 ? a[i - 1] : i == 7 ? a[5] :
			  0xca11000000000000UL | (u64)i << 8 | cpu_id();
	for (unsigned int i = 0; i < 15; i++)
		want[i] = regs[i];
	fuzz_regs(regs, call_insn);
	for (unsigned int i = 0; i < 4; i++)
		out[i] = regs[i];
	for (unsigned int i = 4; i < 15; i++)
		if (regs[i] != want[i])
			return snprintf(msg, len, "call %lx over %s: %s changed: %lx, was %lx", fn,
					call_insn ? "VMCALL" : "VMMCALL", reg_names[i], regs[i],
					want[i]), 1;
	return 0;
}

/* ---- addresses outside RAM ----------------------------------------------- */

struct outside { u64 va, ipa; };
static struct outside outside[24];
static unsigned int nr_outside;
static u64 fuzz_pd[512] __attribute__((aligned(4096)));

static void add(u64 va, u64 ipa)
{
	outside[nr_outside++] = (struct outside){ va, ipa };
}

static void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	__asm__ __volatile__("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

void fuzz_arch_init(void)
{
	u64 end = RAM_BASE + RAM_SIZE, *pdpt = (u64 *)(BOOT_PT + PAGE_SIZE);
	const u64 low[] = { 0, PAGE_SIZE, 0x08000000, 0x09000000, 0x0a000000,
			    BOOT_PT - PAGE_SIZE, BOOT_PT_END, RAM_BASE - PAGE_SIZE, end,
			    end + SZ_2M, 2 * SZ_1G, 0xfec00000, 0xfed00000, 0xfee00000,
			    SZ_4G - PAGE_SIZE };
	u32 a, b, c, d, maxphys;

	cpuid(0, &a, &b, &c, &d);
	call_insn = b == 0x68747541 ? 0 : 1;	/* "Auth"enticAMD */
	for (unsigned int i = 0; i < sizeof(low) / sizeof(low[0]); i++)
		add(low[i], low[i]);
	/* VA 4 GiB + 2 MiB * i -> IPAs past the identity map, within MAXPHYADDR. */
	cpuid(0x80000000, &a, &b, &c, &d);
	maxphys = 36;
	if (a >= 0x80000008) {
		cpuid(0x80000008, &a, &b, &c, &d);
		maxphys = a & 0xff;
	}
	fuzz_pd[0] = SZ_4G | PTE_2M;
	add(SZ_4G, SZ_4G);
	if (maxphys > 36) {
		fuzz_pd[1] = 63 * SZ_1G | PTE_2M;
		add(SZ_4G + SZ_2M, 63 * SZ_1G);
	}
	if (maxphys > 39) {
		fuzz_pd[2] = ((1UL << 39) - SZ_2M) | PTE_2M;
		add(SZ_4G + 2 * SZ_2M, (1UL << 39) - SZ_2M);
	}
	smp_mb();
	WRITE_ONCE(pdpt[4], (u64)fuzz_pd | PTE_TABLE);	/* was not present: no flush owed */
	smp_mb();
}

void fuzz_arch_cpu_init(void)
{
}

/* ---- vCPU 0 off and back (fuzz.h, doc/fuzzing.md) ------------------------- */

/*
 * vCPU 0 runs the test: it goes off inside its worker and must come back
 * there. fuzz_arch_cpu0_off() keeps its context (__builtin_setjmp: frame
 * and stack pointers; the callee-saved registers are in this function's
 * frame) and does CPU_OFF; the CPU_ON another vCPU wins starts vCPU 0 at
 * fuzz_cpu0_entry on a stack of its own, which reloads the GDT, IDT and CR3
 * saved here and longjmps back onto vCPU 0's stack (as
 * tests_x86_bootpt.c's bp_entry).
 */
struct fz_desc_ptr {
	u16 limit;
	u64 base;
} __attribute__((packed));

static void *c0_jmp[5];
static u8 c0_stack[4096] __attribute__((aligned(16)));
u8 *fz_c0_stack_top = c0_stack + sizeof(c0_stack);
struct fz_desc_ptr fz_c0_gdtr, fz_c0_idtr;
u64 fz_c0_cr3;

void fuzz_cpu0_entry(void);
__asm__(".text\n" X86_CPU_ON_ENTRY(fuzz_cpu0_entry, fz_c0, fz_cpu0_back));

void fz_cpu0_back(void);
void fz_cpu0_back(void)
{
	__builtin_longjmp(c0_jmp, 1);	/* back into fuzz_arch_cpu0_off(), on its stack */
}

char *fuzz_arch_cpu0_entry(void)
{
	return (char *)fuzz_cpu0_entry;
}

__attribute__((noinline)) int fuzz_arch_cpu0_off(void)
{
	if (__builtin_setjmp(c0_jmp))
		return 0;	/* CPU_ON'd at fuzz_cpu0_entry */
	__asm__ __volatile__("sgdt %0; sidt %1; mov %%cr3, %%rax; mov %%rax, %2"
			     : "=m"(fz_c0_gdtr), "=m"(fz_c0_idtr), "=m"(fz_c0_cr3) : : "rax", "memory");
	arch_cpu_off();
	return -1;	/* CPU_OFF returned */
}

/* ---- one access ---------------------------------------------------------- */

enum op { LDB, LDW, LDL, LDQ, LDZB, LDZW, LDSB, LDSW, STB, STW, STL, STQ, NR_OPS };
static const unsigned int op_size[NR_OPS] = { 1, 2, 4, 8, 1, 2, 1, 2, 1, 2, 4, 8 };
static const char *const op_name[NR_OPS] = {
	"movb", "movw", "movl", "movq", "movzbq", "movzwq", "movsbq", "movswq",
	"movb st", "movw st", "movl st", "movq st",
};

static u64 access(enum op op, u64 a, u64 v)
{
	u64 x = SENTINEL;

	switch (op) {
	case LDB:  __asm__ __volatile__("movb (%1), %b0" : "+q"(x) : "r"(a) : "memory"); break;
	case LDW:  __asm__ __volatile__("movw (%1), %w0" : "+r"(x) : "r"(a) : "memory"); break;
	case LDL:  __asm__ __volatile__("movl (%1), %k0" : "+r"(x) : "r"(a) : "memory"); break;
	case LDQ:  __asm__ __volatile__("movq (%1), %q0" : "+r"(x) : "r"(a) : "memory"); break;
	case LDZB: __asm__ __volatile__("movzbq (%1), %q0" : "+r"(x) : "r"(a) : "memory"); break;
	case LDZW: __asm__ __volatile__("movzwq (%1), %q0" : "+r"(x) : "r"(a) : "memory"); break;
	case LDSB: __asm__ __volatile__("movsbq (%1), %q0" : "+r"(x) : "r"(a) : "memory"); break;
	case LDSW: __asm__ __volatile__("movswq (%1), %q0" : "+r"(x) : "r"(a) : "memory"); break;
	case STB:  __asm__ __volatile__("movb %b0, (%1)" : : "q"(v), "r"(a) : "memory"); break;
	case STW:  __asm__ __volatile__("movw %w0, (%1)" : : "r"(v), "r"(a) : "memory"); break;
	case STL:  __asm__ __volatile__("movl %k0, (%1)" : : "r"(v), "r"(a) : "memory"); break;
	case STQ:  __asm__ __volatile__("movq %q0, (%1)" : : "r"(v), "r"(a) : "memory"); break;
	default:   break;
	}
	return x;
}

/* What a load of @size bytes at @a in the boot page directories returns. */
static u64 pd_bytes(u64 a, unsigned int size)
{
	u64 v = 0;

	for (unsigned int i = 0; i < size; i++) {
		u64 b = a + i, j = (b - BOOT_PD) / 8;	/* entry: 2 MiB page j of 0..4 GiB */
		u64 e = j << 21 | PTE_2M;

		v |= (e >> (8 * (b % 8)) & 0xff) << (8 * i);
	}
	return v;
}

/* The register after load op of value v (raw, size bytes) into SENTINEL. */
static u64 loaded(enum op op, u64 v)
{
	switch (op) {
	case LDB:  return (SENTINEL & ~0xffUL) | v;
	case LDW:  return (SENTINEL & ~0xffffUL) | v;
	case LDSB: return (u64)(s64)(signed char)v;
	case LDSW: return (u64)(s64)(short)v;
	default:   return v;	/* LDL zero-extends, LDQ, LDZB, LDZW */
	}
}

static int mem_access(struct fuzz_rng *r, struct fuzz_mmio_stats *st, char *msg, size_t len)
{
	enum op op = (enum op)rnd_below(r, NR_OPS);
	unsigned int size = op_size[op];
	u64 off, va, ipa, got, syn, cr2, v = fuzz_value(r);

	if (rnd_below(r, 4)) {		/* outside RAM: #GP, CR2 = the IPA */
		const struct outside *o = &outside[rnd_below(r, nr_outside)];

		off = rnd_below(r, 4) ? rnd_below(r, 64) : rnd_below(r, PAGE_SIZE - size + 1);
		va = o->va + off, ipa = o->ipa + off;
		expect_fault();
		got = access(op, va, v);
		syn = fault_taken(&cr2);
		if (!syn)
			return snprintf(msg, len, "%s at IPA %lx (outside RAM): completed (%lx)",
					op_name[op], ipa, got), 1;
		if (((syn >> 32) & 0xff) != VEC_GP || (u32)syn || cr2 != ipa)
			return snprintf(msg, len, "%s at IPA %lx: syndrome %lx CR2 %lx, want #GP(0) "
					"with CR2 %lx", op_name[op], ipa, syn, cr2, ipa), 1;
		if (op < STB && got != SENTINEL)
			return snprintf(msg, len, "%s at IPA %lx faulted but wrote %lx", op_name[op],
					ipa, got), 1;
		st->ext_abort++;
		return 0;
	}
	/* A load from the boot page directories (stores: never, the vCPUs use them). */
	op = (enum op)rnd_below(r, STB);
	size = op_size[op];
	va = BOOT_PD + rnd_below(r, 4 * PAGE_SIZE - size + 1);
	if (rnd_below(r, 2))
		va &= ~(u64)(size - 1);
	expect_fault();
	got = access(op, va, 0);
	syn = fault_taken(&cr2);
	if (syn)
		return snprintf(msg, len, "%s from the boot page tables at %lx: fault %lx CR2 %lx",
				op_name[op], va, syn, cr2), 1;
	if (got != loaded(op, pd_bytes(va, size)))
		return snprintf(msg, len, "%s from the boot page tables at %lx: %lx, want %lx",
				op_name[op], va, got, loaded(op, pd_bytes(va, size))), 1;
	st->ok++;
	return 0;
}

/* ---- port I/O ------------------------------------------------------------ */

static u16 gen_port(struct fuzz_rng *r)
{
	const u16 v[] = { 0x3f8, 0x3f9, 0x3fa, 0x3fb, 0x3fc, 0x3fd, 0x3fe, 0x3ff, 0x3f7, 0x400,
			  0x20, 0x21, 0x40, 0x43, 0x60, 0x64, 0x70, 0x71, 0x80, 0xcf8, 0xcfc,
			  0xcf9, 0xf4, 0x510, 0x2f8, 0xfffc, 0xfffe, 0xffff, 0 };

	return rnd_below(r, 2) ? v[rnd_below(r, sizeof(v) / sizeof(v[0]))] : (u16)rnd(r);
}

/*
 * String I/O: INS/OUTS of 1, 2 and 4 bytes, with and without REP, RCX from
 * 0 up to ~0, the buffer in a page of the image (a pattern that must stay),
 * across its page boundary, in the playground's last pages (the ones
 * race_on() unmaps), across RAM's end or outside RAM. doc/x86-virt.md: not
 * emulated, #GP(0) at the instruction: RCX, RSI, RDI unchanged, nothing
 * written. REP with RCX = 0 does nothing; the hardware need not exit for it
 * (QEMU does): then it completes, registers unchanged.
 */
static u8 sio_buf[2 * PAGE_SIZE] __attribute__((aligned(4096)));
static const char *const sio_name[12] = {
	"insb", "insw", "insl", "rep insb", "rep insw", "rep insl",
	"outsb", "outsw", "outsl", "rep outsb", "rep outsw", "rep outsl",
};

#define SIO(insn)	__asm__ __volatile__(insn : "+c"(cx), "+S"(si), "+D"(di) : "d"(port) : "memory")

static int string_io(struct fuzz_rng *r, struct fuzz_mmio_stats *st, u16 port, char *msg,
		     size_t len)
{
	unsigned int k = (unsigned int)rnd_below(r, 12), w = 1U << (k % 3);
	const u64 counts[] = { 0, 1, 2, 3, PAGE_SIZE, 0x10000, ~0UL };
	u64 buf, cx, si, di, cx0, syn, cr2, sum = 0;
	bool rep = k % 6 >= 3;

	switch (rnd_below(r, 6)) {
	case 0:		/* in the image, aligned or not */
		buf = (u64)sio_buf + rnd_below(r, PAGE_SIZE - 4);
		break;
	case 1:		/* across the page boundary */
		buf = (u64)sio_buf + PAGE_SIZE - 1 - rnd_below(r, 3);
		break;
	case 2:		/* the last pages of RAM: unmapped by race_on() at times */
		buf = RAM_BASE + RAM_SIZE - PAGE_SIZE * (1 + rnd_below(r, 16)) + rnd_below(r, PAGE_SIZE);
		break;
	case 3:		/* across RAM's end */
		buf = RAM_BASE + RAM_SIZE - 1 - rnd_below(r, 3);
		break;
	case 4:		/* just below RAM */
		buf = RAM_BASE - 1 - rnd_below(r, 64);
		break;
	default:	/* anywhere outside RAM the fuzzer knows */
		buf = outside[rnd_below(r, nr_outside)].va + rnd_below(r, PAGE_SIZE);
	}
	cx = cx0 = rnd_below(r, 4) ? counts[rnd_below(r, sizeof(counts) / sizeof(counts[0]))]
				   : fuzz_value(r);
	si = di = buf;
	if (port == COM1)
		port++;		/* an emulated OUTS to THR would print */
	for (unsigned int i = 0; i < sizeof(sio_buf); i += 8)
		sum += *(volatile u64 *)&sio_buf[i] ^ (i * 0x9e3779b97f4a7c15UL);
	expect_fault();
	switch (k) {
	case 0:  SIO("insb"); break;
	case 1:  SIO("insw"); break;
	case 2:  SIO("insl"); break;
	case 3:  SIO("rep insb"); break;
	case 4:  SIO("rep insw"); break;
	case 5:  SIO("rep insl"); break;
	case 6:  SIO("outsb"); break;
	case 7:  SIO("outsw"); break;
	case 8:  SIO("outsl"); break;
	case 9:  SIO("rep outsb"); break;
	case 10: SIO("rep outsw"); break;
	default: SIO("rep outsl"); break;
	}
	syn = fault_taken(&cr2);
	if (cx != cx0 || si != buf || di != buf)
		return snprintf(msg, len, "%s (%u bytes) port %x buffer %lx RCX %lx: RCX %lx RSI %lx "
				"RDI %lx after it, want them unchanged", sio_name[k], w, port, buf,
				cx0, cx, si, di), 1;
	if (!syn && !(rep && !cx0))
		return snprintf(msg, len, "%s port %x buffer %lx RCX %lx: completed, want #GP(0)",
				sio_name[k], port, buf, cx0), 1;
	if (syn && (((syn >> 32) & 0xff) != VEC_GP || (u32)syn))
		return snprintf(msg, len, "%s port %x buffer %lx RCX %lx: syndrome %lx, want #GP(0)",
				sio_name[k], port, buf, cx0, syn), 1;
	for (unsigned int i = 0; i < sizeof(sio_buf); i += 8)
		sum -= *(volatile u64 *)&sio_buf[i] ^ (i * 0x9e3779b97f4a7c15UL);
	if (sum)
		return snprintf(msg, len, "%s port %x buffer %lx RCX %lx: the image's buffer changed",
				sio_name[k], port, buf, cx0), 1;
	if (syn)
		st->ext_abort++;
	else
		st->ok++;
	return 0;
}

static int port_io(struct fuzz_rng *r, struct fuzz_mmio_stats *st, char *msg, size_t len)
{
	unsigned int size = 1U << rnd_below(r, 3), kind = (unsigned int)rnd_below(r, 8);
	u16 port = gen_port(r);
	u64 x = SENTINEL, want, mask = size == 4 ? 0xffffffffUL : (1UL << (8 * size)) - 1;

	if (kind < 4) {			/* IN */
		if (size == 1)
			__asm__ __volatile__("inb %w1, %b0" : "+a"(x) : "Nd"(port));
		else if (size == 2)
			__asm__ __volatile__("inw %w1, %w0" : "+a"(x) : "Nd"(port));
		else
			__asm__ __volatile__("inl %w1, %k0" : "+a"(x) : "Nd"(port));
		/* doc/x86-virt.md: COM1 reads 0 but LSR; other ports float high */
		want = port >= COM1 && port < COM1 + 8 ? (port == COM1 + 5 ? 0x60 : 0) : mask;
		want = size == 4 ? want : (SENTINEL & ~mask) | want;
		if (x != want)
			return snprintf(msg, len, "in%c from port %x: RAX %lx, want %lx",
					"bw?l"[size - 1], port, x, want), 1;
		st->ok++;
		return 0;
	}
	if (kind < 6) {			/* OUT: ignored (COM1's THR would print) */
		if (port == COM1)
			port++;
		x = fuzz_value(r);
		if (size == 1)
			__asm__ __volatile__("outb %b0, %w1" : : "a"(x), "Nd"(port));
		else if (size == 2)
			__asm__ __volatile__("outw %w0, %w1" : : "a"(x), "Nd"(port));
		else
			__asm__ __volatile__("outl %k0, %w1" : : "a"(x), "Nd"(port));
		st->ok++;
		return 0;
	}
	return string_io(r, st, port, msg, len);
}

int fuzz_arch_mmio(struct fuzz_rng *r, char *msg, size_t len)
{
	struct fuzz_mmio_stats *st = &fuzz_mmio_stats[cpu_id()];

	return rnd_below(r, 2) ? mem_access(r, st, msg, len) : port_io(r, st, msg, len);
}
