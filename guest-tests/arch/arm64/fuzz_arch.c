// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 part of the fuzzing guest (guest-tests/fuzz.h, doc/fuzzing.md):
 * calls through HVC or SMC with x4..x28 checked unchanged, and MMIO
 * accesses of every width (LDRB/H/W/X, LDRSB/SH/SW to W and X, STRB/H/W/X,
 * LDP without ISV) to the virtual GIC's distributor and redistributors, the
 * PL011, holes of the guest platform, IPAs just past RAM and past the IPA
 * space. Every address is mapped Device-nGnRE at stage 1 (mmu.c maps
 * [0, 1 GiB); fuzz_arch_init() adds blocks past RAM), so the outcome of an
 * access is defined:
 *   unaligned                       alignment fault (EC 0x25, DFSC 0x21), but a
 *                                   stage-2 fault comes first (the memory
 *                                   type is known only after both stages), so
 *                                   the hypervisor sees it: as below, and the
 *                                   PL011 refuses it (external abort)
 *   GICD, GICR of a vCPU, 8/16/32 bits to the PL011
 *                                   done; fixed registers read their value,
 *                                   16-bit GIC reads and sizes the register
 *                                   does not allow read 0 (arch/arm64/vgic_mmio.c)
 *   LDP (no ISV), 64 bits to the PL011, anything else
 *                                   synchronous external abort (DFSC 0x10),
 *                                   FAR = the address, WnR = a store
 * Sign extension is checked on registers only this vCPU writes: its own four
 * SPI priority bytes (GICD_IPRIORITYR, INTIDs 32 + 4 * cpu ..) and, on vCPU
 * 0, the PL011's IBRD (16 bits).
 */
#include "fuzz.h"

#define GICD		0x08000000UL
#define GICD_SIZE	0x10000UL
#define GICR		0x080a0000UL
#define GICR_STRIDE	0x20000UL
#define UART_SIZE	0x1000UL
#define PRIO_OWN(cpu)	(GICD + 0x400 + 32 + 4 * (cpu))	/* IPRIORITYR of INTIDs 32+4cpu.. */
#define UART_IBRD	0x24
#define SENTINEL	0x5e5e5e5e5e5e5e5eUL
#define SZ_1G		0x40000000UL

#define EC_DABT_CUR	0x25
#define DFSC_EXT	0x10
#define DFSC_ALIGN	0x21
#define ESR_WNR		(1UL << 6)

unsigned int fuzz_conduits = 2;		/* HVC, SMC */

void fuzz_regs(u64 *regs, u64 smc);

int fuzz_arch_call(u64 fn, const u64 *a, u64 *out, unsigned int conduit, char *msg, size_t len)
{
	u64 regs[29], want[29];

	regs[0] = fn;
	for (unsigned int i = 1; i < 29; i++)
		regs[i] = i <= 6 ? a[i - 1] : 0xca11000000000000UL | (u64)i << 8 | cpu_id();
	for (unsigned int i = 0; i < 29; i++)
		want[i] = regs[i];
	fuzz_regs(regs, conduit);
	for (unsigned int i = 0; i < 4; i++)
		out[i] = regs[i];
	for (unsigned int i = 4; i < 29; i++)
		if (regs[i] != want[i])
			return snprintf(msg, len, "call %lx over %s: x%u changed: %lx, was %lx", fn,
					conduit ? "SMC" : "HVC", i, regs[i], want[i]), 1;
	return 0;
}

/* ---- stage 1: Device blocks past RAM and past the IPA space -------------- */

#define PTE_DEVICE_BLOCK (1UL | 1UL << 2 | 1UL << 10 | 1UL << 53 | 1UL << 54)	/* attr 1, AF, XN */

static u64 outside[5];			/* IPAs with a stage-1 mapping and no RAM */
static unsigned int nr_outside;
static u64 fuzz_tcr;

void fuzz_arch_init(void)
{
	u64 ttbr, *l1, *l2, end = plat.ram_base + plat.ram_size, mmfr0, ips, tcr;

	__asm__ __volatile__("mrs %0, ttbr0_el1" : "=r"(ttbr));
	l1 = (u64 *)(ttbr & 0xfffffffff000UL);
	l2 = (u64 *)(l1[1] & 0xfffffffff000UL);		/* [1 GiB, 2 GiB): RAM's table (mmu.c) */
	if (!(end & (SZ_2M - 1)) && end < 2 * SZ_1G - SZ_2M) {
		l2[(end % SZ_1G) / SZ_2M] = end | PTE_DEVICE_BLOCK;
		outside[nr_outside++] = end;
	}
	l2[511] = (2 * SZ_1G - SZ_2M) | PTE_DEVICE_BLOCK;
	outside[nr_outside++] = 2 * SZ_1G - SZ_2M;
	l1[2] = 2 * SZ_1G | PTE_DEVICE_BLOCK;			/* 2 GiB: no RAM, no device */
	outside[nr_outside++] = 2 * SZ_1G;
	l1[510] = 63 * SZ_1G | PTE_DEVICE_BLOCK;		/* VA 510 GiB: IPA 63 GiB */
	outside[nr_outside++] = 510 * SZ_1G;
	/*
	 * VA 511 GiB: IPA 2^47 (past a 40-bit stage 2; a 48-bit one faults
	 * there too): the output size this guest's TCR allows raised to what
	 * the (sanitized) ID_AA64MMFR0_EL1.PARange says, at most 48 bits.
	 */
	__asm__ __volatile__("mrs %0, id_aa64mmfr0_el1" : "=r"(mmfr0));
	ips = mmfr0 & 0xf;
	if (ips > 5)
		ips = 5;
	__asm__ __volatile__("mrs %0, tcr_el1" : "=r"(tcr));
	tcr = (tcr & ~(7UL << 32)) | ips << 32;
	if (ips >= 5) {
		l1[511] = (1UL << 47) | PTE_DEVICE_BLOCK;
		outside[nr_outside++] = 511 * SZ_1G;
	}
	fuzz_tcr = tcr;
	__asm__ __volatile__("dsb ishst; tlbi vmalle1is; dsb ish; isb" ::: "memory");
}

/* Every vCPU (TCR_EL1 is its own): the output size fuzz_arch_init() chose. */
void fuzz_arch_cpu_init(void)
{
	__asm__ __volatile__("msr tcr_el1, %0; isb; tlbi vmalle1; dsb nsh; isb"
			     : : "r"(fuzz_tcr) : "memory");
}

/* ---- one access ---------------------------------------------------------- */

enum op { LDRB, LDRH, LDRW, LDRX, LDRSBW, LDRSBX, LDRSHW, LDRSHX, LDRSWX,
	  STRB, STRH, STRW, STRX, LDPX, NR_OPS };

static const unsigned int op_size[NR_OPS] = { 1, 2, 4, 8, 1, 1, 2, 2, 4, 1, 2, 4, 8, 8 };

static u64 access(enum op op, u64 a, u64 v)
{
	u64 x = SENTINEL, y = SENTINEL;

	switch (op) {
	case LDRB:   __asm__ __volatile__("ldrb %w0, [%1]" : "+r"(x) : "r"(a) : "memory"); break;
	case LDRH:   __asm__ __volatile__("ldrh %w0, [%1]" : "+r"(x) : "r"(a) : "memory"); break;
	case LDRW:   __asm__ __volatile__("ldr %w0, [%1]" : "+r"(x) : "r"(a) : "memory"); break;
	case LDRX:   __asm__ __volatile__("ldr %x0, [%1]" : "+r"(x) : "r"(a) : "memory"); break;
	case LDRSBW: __asm__ __volatile__("ldrsb %w0, [%1]" : "+r"(x) : "r"(a) : "memory"); break;
	case LDRSBX: __asm__ __volatile__("ldrsb %x0, [%1]" : "+r"(x) : "r"(a) : "memory"); break;
	case LDRSHW: __asm__ __volatile__("ldrsh %w0, [%1]" : "+r"(x) : "r"(a) : "memory"); break;
	case LDRSHX: __asm__ __volatile__("ldrsh %x0, [%1]" : "+r"(x) : "r"(a) : "memory"); break;
	case LDRSWX: __asm__ __volatile__("ldrsw %x0, [%1]" : "+r"(x) : "r"(a) : "memory"); break;
	case STRB:   __asm__ __volatile__("strb %w0, [%1]" : : "r"(v), "r"(a) : "memory"); break;
	case STRH:   __asm__ __volatile__("strh %w0, [%1]" : : "r"(v), "r"(a) : "memory"); break;
	case STRW:   __asm__ __volatile__("str %w0, [%1]" : : "r"(v), "r"(a) : "memory"); break;
	case STRX:   __asm__ __volatile__("str %x0, [%1]" : : "r"(v), "r"(a) : "memory"); break;
	case LDPX:
		__asm__ __volatile__("ldp %x0, %x1, [%2]" : "+r"(x), "+r"(y) : "r"(a) : "memory");
		break;
	default:
		break;
	}
	return x;
}

static bool is_store(enum op op)
{
	return op >= STRB && op <= STRX;
}

/* What a load of @size bytes puts in its register: sign- and zero-extension. */
static u64 extend(enum op op, u64 raw)
{
	switch (op) {
	case LDRB:   return raw & 0xff;
	case LDRH:   return raw & 0xffff;
	case LDRW:   return raw & 0xffffffffUL;
	case LDRSBW: return (u32)(s64)(signed char)raw;
	case LDRSBX: return (u64)(s64)(signed char)raw;
	case LDRSHW: return (u32)(s64)(short)raw;
	case LDRSHX: return (u64)(s64)(short)raw;
	case LDRSWX: return (u64)(s64)(int)raw;
	default:     return raw;
	}
}

enum region { R_GICD, R_GICR, R_UART, R_NONE };

static enum region region_of(u64 a, u64 *off, unsigned int *idx)
{
	if (a >= GICD && a < GICD + GICD_SIZE) {
		*off = a - GICD;
		return R_GICD;
	}
	if (a >= GICR && a < GICR + nr_cpus * GICR_STRIDE) {
		*idx = (unsigned int)((a - GICR) / GICR_STRIDE);
		*off = (a - GICR) % GICR_STRIDE;
		return R_GICR;
	}
	if (a >= UART_BASE && a < UART_BASE + UART_SIZE) {
		*off = a - UART_BASE;
		return R_UART;
	}
	return R_NONE;
}

static u64 gen_addr(struct fuzz_rng *r)
{
	static const u64 gicd_off[] = { 0, 4, 8, 0x80, 0x84, 0x100, 0x104, 0x180, 0x200, 0x280,
					0x300, 0x380, 0x400, 0x41c, 0x45c, 0xc00, 0xc08, 0x6100,
					0x6108, 0x62f8, 0x6300, 0xffe8, 0xfffc };
	static const u64 gicr_off[] = { 0, 4, 8, 0xc, 0x14, 0xffe8, 0x10080, 0x10100, 0x10180,
					0x10200, 0x10280, 0x10400, 0x1041c, 0x10c00, 0x10c04,
					0x1fffc };
	static const u64 uart_off[] = { 0x18, 0x20, 0x24, 0x28, 0x2c, 0x30, 0x34, 0x38, 0x3c,
					0x40, 0x44, 0x48, 0xfe0, 0xfec, 0xff0, 0xffc, 4 };
	const u64 holes[] = { 0, 0x1000, GICD + GICD_SIZE, GICR - 8, GICR + nr_cpus * GICR_STRIDE,
			      UART_BASE + UART_SIZE, UART_BASE - 8, 0x20000000, SZ_1G - 32 };
	u64 a;

	switch (rnd_below(r, 10)) {
	case 0: case 1:
		a = GICD + (rnd_below(r, 3) ? gicd_off[rnd_below(r, sizeof(gicd_off) / 8)]
					    : rnd_below(r, GICD_SIZE));
		break;
	case 2: case 3:
		a = GICR + GICR_STRIDE * rnd_below(r, nr_cpus) +
		    (rnd_below(r, 3) ? gicr_off[rnd_below(r, sizeof(gicr_off) / 8)]
				     : rnd_below(r, GICR_STRIDE));
		break;
	case 4: case 5:
		a = UART_BASE + (rnd_below(r, 3) ? uart_off[rnd_below(r, sizeof(uart_off) / 8)]
						 : rnd_below(r, UART_SIZE));
		break;
	case 6:
		a = holes[rnd_below(r, sizeof(holes) / 8)] + 8 * rnd_below(r, 4);
		break;
	case 7:
		a = outside[rnd_below(r, nr_outside)] + (rnd_below(r, 2) ? 8 * rnd_below(r, 8)
								: rnd_below(r, SZ_2M));
		break;
	default:
		a = rnd_below(r, SZ_1G);
	}
	return a;
}

static int check_read(enum region reg, u64 off, unsigned int idx, enum op op, u64 got,
		      char *msg, size_t len)
{
	unsigned int size = op_size[op];
	u64 raw;
	bool known = true;

	if ((reg == R_GICD || reg == R_GICR) && size == 2) {
		raw = 0;	/* no GIC register allows 16-bit accesses: RAZ */
	} else if (reg == R_GICD && size == 4 && off == 4) {
		raw = 2 | (nr_cpus - 1) << 5 | 9U << 19 | 1U << 25;	/* GICD_TYPER */
	} else if (reg == R_GICD && size == 4 && off == 8) {
		raw = 0x0100069b;				/* GICD_IIDR */
	} else if ((reg == R_GICD || reg == R_GICR) && size == 4 && off == 0xffe8) {
		raw = 0x3b;					/* PIDR2: GICv3 */
	} else if (reg == R_GICR && size == 8 && off == 8) {	/* GICR_TYPER */
		raw = (u64)idx << 32 | idx << 8 | (idx == nr_cpus - 1 ? 1U << 4 : 0);
	} else if (reg == R_UART && size == 4 && off >= 0xfe0) {	/* PeriphID, CellID */
		static const u8 id[8] = { 0x11, 0x10, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

		raw = id[(off - 0xfe0) / 4];
	} else if (reg == R_UART && off == 0x18) {		/* FR: TXFE, never TXFF */
		if (!(got & 0x80) || (got & 0x20))
			return snprintf(msg, len, "PL011 FR %lx: want TXFE set, TXFF clear", got), 1;
		known = false;
	} else {
		known = false;
	}
	if (known && got != extend(op, raw))
		return snprintf(msg, len, "read of %s+%lx (op %u, %u bytes): %lx, want %lx",
				reg == R_GICD ? "GICD" : reg == R_GICR ? "GICR" : "PL011", off,
				op, size, got, extend(op, raw)), 1;
	return 0;
}

/* A register only this vCPU writes: what is written reads back, extended right. */
static int sign_check(struct fuzz_rng *r, char *msg, size_t len)
{
	unsigned int cpu = cpu_id();
	u64 a, v, got;
	enum op op;

	if (cpu == 0 && rnd_below(r, 2)) {
		a = UART_BASE + UART_IBRD;
		v = 0x8000 | (rnd(r) & 0x7ff0);
		access(STRH, a, v);
		op = (enum op[]){ LDRH, LDRSHW, LDRSHX, LDRW }[rnd_below(r, 4)];
	} else if (rnd_below(r, 2)) {
		a = PRIO_OWN(cpu) + rnd_below(r, 4);
		v = 0x80 | (rnd(r) & 0x70);	/* high nibble only: a GIC may keep fewer bits */
		access(STRB, a, v);
		op = (enum op[]){ LDRB, LDRSBW, LDRSBX }[rnd_below(r, 3)];
	} else {
		a = PRIO_OWN(cpu);
		v = (rnd(r) & 0x70707070UL) | 0x80808080UL;
		access(STRW, a, v);
		op = (enum op[]){ LDRW, LDRSWX }[rnd_below(r, 2)];
	}
	expect_fault();
	got = access(op, a, 0);
	if (fault_taken(NULL))
		return snprintf(msg, len, "MMIO read of %lx faulted", a), 1;
	if (got != extend(op, v))
		return snprintf(msg, len, "MMIO at %lx: wrote %lx, read back %lx with op %u, "
				"want %lx", a, v, got, op, extend(op, v)), 1;
	return 0;
}

int fuzz_arch_mmio(struct fuzz_rng *r, char *msg, size_t len)
{
	struct fuzz_mmio_stats *st = &fuzz_mmio_stats[cpu_id()];
	enum op op = (enum op)rnd_below(r, NR_OPS);
	u64 a = gen_addr(r), off = 0, v = fuzz_value(r), got, esr, far;
	unsigned int size = op_size[op], idx = 0;
	enum region reg;
	bool store = is_store(op), want_ext, unaligned;

	if (!rnd_below(r, 16))
		return sign_check(r, msg, len);
	if (rnd_below(r, 8))
		a &= ~(u64)(size - 1);
	reg = region_of(a, &off, &idx);
	/* Stores that would print (PL011 DR) or change what sign_check() owns: loads. */
	if (store && ((reg == R_UART && (off < 4 || (off & ~3UL) == UART_IBRD)) ||
		      (reg == R_GICD && a + size > PRIO_OWN(0) &&
		       a < PRIO_OWN(0) + 4 * GUEST_MAX_CPUS)))
		op = LDRX, store = false, size = 8;
	expect_fault();
	got = access(op, a, v);
	esr = fault_taken(&far);
	unaligned = a & (size - 1);
	if (unaligned && (esr >> 26) == EC_DABT_CUR && (esr & 0x3f) == DFSC_ALIGN) {
		st->align_fault++;	/* the Device type's check, if nothing faulted before */
		return 0;
	}
	want_ext = op == LDPX || reg == R_NONE || (reg == R_UART && (size == 8 || unaligned));
	if (want_ext) {
		if ((esr >> 26) != EC_DABT_CUR || (esr & 0x3f) != DFSC_EXT)
			return snprintf(msg, len, "op %u at %lx: ESR %lx (got %lx), want an "
					"external abort", op, a, esr, got), 1;
		if (op != LDPX && far != a)
			return snprintf(msg, len, "op %u at %lx: external abort with FAR %lx",
					op, a, far), 1;
		if (!!(esr & ESR_WNR) != store)
			return snprintf(msg, len, "op %u at %lx: ESR %lx: WnR wrong", op, a, esr), 1;
		st->ext_abort++;
		return 0;
	}
	if (esr)
		return snprintf(msg, len, "op %u (%u bytes) at %lx: ESR %lx FAR %lx, want no fault",
				op, size, a, esr, far), 1;
	st->ok++;
	/* unaligned to the GIC: read as zero / ignored (vgic_mmio.c), not checked */
	return store || unaligned ? 0 : check_read(reg, off, idx, op, got, msg, len);
}
