// SPDX-License-Identifier: GPL-2.0
/*
 * DTB parsing: real trees (dtc-built and QEMU's own virt tree) give the
 * expected platform; malformed trees give a clear error; fuzzed trees never
 * crash or read out of bounds (ASan) and never hang.
 */
#include <hyp/fdt.h>
#include <hyp/platform.h>
#include <test/tap.h>
#include <stdlib.h>
#include <string.h>

static const char *dir = "build/sim/testdata";

static void *load(const char *name, size_t *size)
{
	char path[256];
	FILE *f;
	void *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = aligned_alloc(8, ((size_t)n + 7) & ~7UL);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		abort();
	fclose(f);
	*size = (size_t)n;
	return buf;
}

static void put32(void *p, unsigned int off, u32 v)
{
	u8 *b = (u8 *)p + off;

	b[0] = v >> 24; b[1] = v >> 16; b[2] = v >> 8; b[3] = v;
}

/* Every node, every property lookup we do at boot, on any checked blob. */
static int exercise(const void *blob, size_t size)
{
	struct fdt f;
	struct platform p;
	const char *why;
	int nodes = 0, depth = 0;
	u64 a, s;

	if (fdt_check(&f, blob, size, &why) < 0)
		return -1;
	for (int n = fdt_root(&f); n >= 0; n = fdt_next_node(&f, n, &depth)) {
		nodes++;
		fdt_reg(&f, n, 0, &a, &s);
		fdt_prop_has_string(&f, n, "compatible", "arm,pl011");
	}
	platform_from_dtb(&p, blob, size, &why);
	return nodes;
}

static void test_board(void)
{
	size_t size;
	void *blob = load("board.dtb", &size);
	struct platform p;
	const char *why = NULL;
	struct fdt f;
	u32 len;

	tap_ok(blob != NULL, "board.dtb built by dtc");
	if (!blob)
		return;
	tap_ok(platform_from_dtb(&p, blob, size, &why) == 0, "board.dtb parses");
	tap_ok(p.nr_mem == 2 && pa_addr(p.mem[0].base) == 0x40000000 && p.mem[0].size == SZ_1G &&
	       pa_addr(p.mem[1].base) == 0x100000000ULL, "two memory ranges with 2-cell addresses");
	tap_ok(p.nr_cpus == 3 && p.cpu_hwid[2] == 0x100, "three cpus, MPIDR from reg (cpu-map ignored)");
	tap_ok(p.psci == PSCI_SMC, "psci method smc");
	tap_ok(p.gic_version == 3 && pa_addr(p.gicd_base) == 0x8000000 &&
	       pa_addr(p.gicr_base) == 0x80a0000, "GICv3 distributor and redistributors");
	tap_ok(p.has_uart && pa_addr(p.uart_base) == 0x9000000, "console UART from stdout-path");
	tap_ok(p.nr_rsv == 2 && pa_addr(p.rsv[0].base) == 0x48000000 &&
	       pa_addr(p.rsv[1].base) == 0x7f000000, "/memreserve/ and /reserved-memory");
	fdt_check(&f, blob, size, &why);
	tap_ok(fdt_path(&f, "/cpus/cpu@100") >= 0 && fdt_path(&f, "/cpus/cpu") >= 0 &&
	       fdt_path(&f, "/cpus/cpu@2") < 0 && fdt_path(&f, "/nope") < 0 && fdt_path(&f, "x") < 0,
	       "path lookup with and without unit address");
	tap_ok(!strcmp(fdt_prop(&f, fdt_path(&f, "/chosen"), "bootargs", &len),
		       "loglevel=3 hyp.panic=poweroff"), "chosen/bootargs");
	tap_ok(fdt_prop(&f, -1, "x", &len) == NULL && fdt_prop(&f, 2, "x", &len) == NULL &&
	       fdt_node_name(&f, 1000000) == NULL, "bad node offsets are refused");
	tap_ok(exercise(blob, size) == 16, "depth-first walk sees all 16 nodes");

	/* Truncated anywhere: a clear error, never a crash. */
	{
		int refused = 0;

		for (size_t n = 0; n < size; n++)
			refused += platform_from_dtb(&p, blob, n, &why) < 0;
		tap_ok(refused == (int)size, "every truncation refused (%d of %zu)", refused, size);
	}
	free(blob);
}

static void test_qemu(void)
{
	size_t size;
	void *blob = load("qemu-virt.dtb", &size);
	struct platform p;
	const char *why = "?";

	tap_ok(blob != NULL, "QEMU virt DTB dumped");
	if (!blob)
		return;
	tap_ok(platform_from_dtb(&p, blob, size, &why) == 0, "QEMU virt DTB parses");
	tap_ok(p.nr_mem == 1 && pa_addr(p.mem[0].base) == 0x40000000 && p.mem[0].size == SZ_1G,
	       "QEMU: 1 GiB at 0x40000000");
	tap_ok(p.nr_cpus == 4, "QEMU: 4 cpus (%u)", p.nr_cpus);
	tap_ok(p.psci == PSCI_SMC, "QEMU with virtualization=on: PSCI over SMC");
	tap_ok(p.gic_version == 3 && pa_addr(p.gicd_base) == 0x8000000, "QEMU: GICv3 at 0x8000000");
	tap_ok(p.has_uart && pa_addr(p.uart_base) == 0x9000000 && p.uart_kind == UART_PL011 &&
	       p.uart_irq == 33, "QEMU: PL011 at 0x9000000, SPI 1");
	tap_ok(p.timer_irq[TIMER_VIRT] == 27 && p.timer_irq[TIMER_PHYS] == 30 && p.gic_maint_irq == 25,
	       "QEMU: timer and maintenance PPIs");
	free(blob);
}

/* The ZynqMP shape: aliases, a bus, GIC-400, Cadence UART, two DDR banks. */
static void test_zynqmp(void)
{
	size_t size;
	void *blob = load("zynqmp.dtb", &size);
	struct platform p;
	const char *why = "?";
	static const struct { const char *file, *expect; } refusals[] = {
		{ "refuse-uart.dtb", "node /axi/serial@ff010000: the console" },
		{ "refuse-ranges.dtb", "node /axi: bus with address translation" },
		{ "refuse-intc.dtb", "node /intc@1000: the timer's interrupt controller" },
		{ "refuse-psci.dtb", "node /psci: PSCI method" },
	};

	tap_ok(blob != NULL, "zynqmp.dtb built by dtc");
	if (!blob)
		return;
	tap_ok(platform_from_dtb(&p, blob, size, &why) == 0, "zynqmp.dtb parses (%s)", why);
	tap_ok(p.nr_mem == 2 && pa_addr(p.mem[0].base) == 0 && p.mem[0].size == 0x80000000ULL &&
	       pa_addr(p.mem[1].base) == 0x800000000ULL && p.mem[1].size == 0x80000000ULL,
	       "ZynqMP: DDR below 2 GiB and at 32 GiB");
	tap_ok(p.has_uart && p.uart_kind == UART_CADENCE && pa_addr(p.uart_base) == 0xff010000 &&
	       p.uart_irq == 32 + 22, "console: Cadence UART through the serial1 alias, SPI 22");
	tap_ok(p.gic_version == 2 && pa_addr(p.gicd_base) == 0xf9010000 &&
	       pa_addr(p.gicc_base) == 0xf9020000 && pa_addr(p.gich_base) == 0xf9040000 &&
	       pa_addr(p.gicv_base) == 0xf9060000 && p.gic_maint_irq == 25,
	       "GIC-400: GICD, GICC, GICH, GICV and maintenance PPI 9");
	tap_ok(pa_addr(gic_cpuif_page1(p.gicc_base, p.gicc_size)) == 0xf9030000 &&
	       pa_addr(gic_cpuif_page1(p.gicv_base, p.gicv_size)) == 0xf9070000,
	       "128 KiB GICC/GICV: second page (GICC_DIR) 64 KiB in");
	tap_ok(p.timer_irq[TIMER_SEC_PHYS] == 29 && p.timer_irq[TIMER_PHYS] == 30 &&
	       p.timer_irq[TIMER_VIRT] == 27 && p.timer_irq[TIMER_HYP] == 26, "timer PPIs 29/30/27/26");
	tap_ok(p.psci == PSCI_SMC, "ZynqMP: PSCI over SMC");
	free(blob);
	for (unsigned int i = 0; i < ARRAY_SIZE(refusals); i++) {
		blob = load(refusals[i].file, &size);
		why = "";
		tap_ok(blob && platform_from_dtb(&p, blob, size, &why) == -E_FORMAT &&
		       strstr(why, refusals[i].expect), "%s refused with the node named", refusals[i].file);
		printf("#   %s\n", why);
		free(blob);
	}
}

struct corruption {
	const char *what;
	unsigned int off;	/* header word offset in bytes */
	u32 value;
	const char *expect;	/* substring of the error */
};

static void test_malformed(void)
{
	size_t size;
	void *good = load("board.dtb", &size);
	void *blob;
	struct platform p;
	const char *why;
	static const struct corruption c[] = {
		{ "bad magic", 0, 0x12345678, "magic" },
		{ "totalsize beyond buffer", 4, 0x10000000, "totalsize" },
		{ "struct offset beyond end", 8, 0x7ffffff0, "structure block" },
		{ "strings offset beyond end", 12, 0xfffffff0, "strings block" },
		{ "rsvmap misaligned", 16, 0x29, "reservation" },
		{ "version 15", 20, 15, "version" },
		{ "struct size overflow", 36, 0xfffffffc, "structure block" },
	};

	if (!good) {
		tap_ok(0, "malformed tests need board.dtb");
		return;
	}
	blob = malloc(size);
	for (unsigned int i = 0; i < ARRAY_SIZE(c); i++) {
		memcpy(blob, good, size);
		put32(blob, c[i].off, c[i].value);
		why = "";
		tap_ok(platform_from_dtb(&p, blob, size, &why) == -E_FORMAT &&
		       strstr(why, c[i].expect), "%s: refused (\"%s\")", c[i].what, why);
	}
	tap_ok(platform_from_dtb(&p, NULL, 100, &why) == -E_FORMAT, "NULL blob refused");
	tap_ok(platform_from_dtb(&p, (u8 *)good + 1, size - 1, &why) == -E_FORMAT &&
	       strstr(why, "aligned"), "misaligned blob refused");

	/* Structure-level damage: first token of the struct block. */
	memcpy(blob, good, size);
	{
		u32 off_struct = fdt32_ld((u8 *)blob + 8);

		put32(blob, off_struct, 7);	/* unknown token */
		tap_ok(platform_from_dtb(&p, blob, size, &why) == -E_FORMAT &&
		       strstr(why, "token"), "unknown token refused (\"%s\")", why);
		memcpy(blob, good, size);
		put32(blob, off_struct, 2);	/* END_NODE at depth 0 */
		tap_ok(platform_from_dtb(&p, blob, size, &why) == -E_FORMAT,
		       "unbalanced end refused (\"%s\")", why);
		memcpy(blob, good, size);
		put32(blob, off_struct, 9);	/* END before any node */
		tap_ok(platform_from_dtb(&p, blob, size, &why) == -E_FORMAT,
		       "end before root refused (\"%s\")", why);
	}
	free(blob);

	blob = load("nomem.dtb", &size);
	tap_ok(blob && platform_from_dtb(&p, blob, size, &why) == -E_FORMAT && strstr(why, "memory"),
	       "tree without memory refused (\"%s\")", blob ? why : "missing");
	free(blob);
	blob = load("dupcpu.dtb", &size);
	tap_ok(blob && platform_from_dtb(&p, blob, size, &why) == -E_FORMAT && strstr(why, "same reg"),
	       "duplicate cpu refused (\"%s\")", blob ? why : "missing");
	free(blob);
	free(good);
}

/* Random byte and word corruption: must never crash, hang or over-read. */
static void test_fuzz(void)
{
	size_t size;
	void *good = load("board.dtb", &size);
	void *blob;
	unsigned int seed = 12345, accepted = 0, rounds = 20000;

	if (!good) {
		tap_ok(0, "fuzz needs board.dtb");
		return;
	}
	blob = malloc(size);
	for (unsigned int r = 0; r < rounds; r++) {
		memcpy(blob, good, size);
		for (int k = 0; k < 1 + (int)(rand_r(&seed) % 4); k++) {
			size_t pos = (size_t)rand_r(&seed) % size;

			if (rand_r(&seed) & 1)
				((u8 *)blob)[pos] ^= (u8)(1 + rand_r(&seed) % 255);
			else if (pos + 4 <= size)
				put32(blob, (unsigned int)(pos & ~3UL), (u32)rand_r(&seed));
		}
		accepted += exercise(blob, size) >= 0;
	}
	tap_ok(1, "fuzz: %u corrupted trees, %u still well-formed, no crash", rounds, accepted);
	free(blob);
	free(good);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		dir = argv[1];
	test_board();
	test_qemu();
	test_zynqmp();
	test_malformed();
	test_fuzz();
	return tap_done();
}
