// SPDX-License-Identifier: GPL-2.0
/*
 * Device passthrough (doc/passthrough.md): the config's refusals (overlap
 * between VMs, double assignment, RAM, the hypervisor's UART and GIC,
 * unaligned regions, IPA clashes, non-SPIs), each with its message; and the
 * stage-2 manager's refusal to move or migrate a pinned leaf (-E_PERM)
 * while an unpinned one still moves.
 */
#include <hyp/fdt.h>
#include <hyp/platform.h>
#include <hyp/vm/passthrough.h>
#include <hyp/mm/s2_migrate.h>
#include <hyp/mm/s2_move.h>
#include "mm/s2_test_util.h"
#include <test/tap.h>
#include <stdlib.h>
#include <string.h>

static void *load(const char *path)
{
	FILE *f = fopen(path, "rb");
	void *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = aligned_alloc(8, ((size_t)n + 7) & ~7UL);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		abort();
	fclose(f);
	return buf;
}

static struct platform plat;

static void virt_platform(void)
{
	memset(&plat, 0, sizeof(plat));
	plat.mem[0].base = pa_init(0x40000000);
	plat.mem[0].size = SZ_1G;
	plat.nr_mem = 1;
	plat.uart_base = pa_init(0x09000000);
	plat.has_uart = true;
	plat.uart_irq = 33;
	plat.gic_version = 3;
	plat.gicd_base = pa_init(0x08000000);
	plat.gicr_base = pa_init(0x080a0000);
	plat.gicr_size = 0xf60000;
}

static const struct {
	const char *node, *want;
} cases[] = {
	{ "none", NULL },
	{ "other-vm-region", "overlaps 0xa003000+0x1000 of vm0: a device belongs to one VM" },
	{ "other-vm-spi", "SPI 46 is already vm0's" },
	{ "ram", "is RAM (memory bank 0x40000000+0x40000000)" },
	{ "uart", "overlaps the hypervisor's console UART" },
	{ "gicd", "overlaps the GIC distributor" },
	{ "gicr", "overlaps the GIC redistributors" },
	{ "unaligned", "is not 4 KiB aligned" },
	{ "twice", "is assigned twice" },
	{ "spi-twice", "SPI 40 is assigned twice" },
	{ "ipa-ram", "overlaps the VM's RAM" },
	{ "ipa-devwin", "overlaps the emulated devices" },
	{ "ppi", "only SPIs (type 0)" },
	{ "vuart-spi", "SPI 1 is the emulated PL011's" },
	{ "big-spi", "only SPIs 0..63" },
	{ "no-reg", "needs \"hyp,reg\"" },
};

static void config_refusals(void)
{
	void *blob = load("build/sim/testdata/passthrough.dtb");
	struct vm_passthrough good, pt;
	const struct vm_passthrough *others[1] = { &good };
	const char *why;
	char buf[256];
	struct fdt f;

	tap_ok(blob != NULL, "passthrough.dtb built (make ARCH=sim host-tests)");
	if (!blob)
		return;
	tap_ok(fdt_check(&f, blob, SZ_64K, &why) == 0, "config DTB valid");
	virt_platform();
	why = vm_pt_parse(&f, fdt_path(&f, "/vms/good"), &good, 0x40000000, 0x10000000ULL, &plat,
			  NULL, 0, buf);
	tap_ok(!why, "good: accepted (%s)", why ? why : "");
	tap_ok(good.nr_regions == 1 && good.reg[0].pa == 0x0a003000 &&
	       good.reg[0].size == 0x1000 && good.reg[0].ipa == 0x0a003000 &&
	       good.nr_irqs == 1 && good.irq[0] == 78, "good: one region, SPI 46 = INTID 78");
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[64];

		snprintf(path, sizeof(path), "/vms/%s", cases[i].node);
		why = vm_pt_parse(&f, fdt_path(&f, path), &pt, 0x40000000, 0x10000000ULL, &plat,
				  others, 1, buf);
		if (!cases[i].want)
			tap_ok(!why && !pt.nr_regions && !pt.nr_irqs, "%s: accepted, empty",
			       cases[i].node);
		else
			tap_ok(why && strstr(why, cases[i].want), "%s: refused: %s", cases[i].node,
			       why ? why : "(accepted!)");
	}
	/* The same region in one VM is fine when no VM before has it. */
	why = vm_pt_parse(&f, fdt_path(&f, "/vms/other-vm-region"), &pt, 0x40000000, 0x10000000ULL,
			  &plat, NULL, 0, buf);
	tap_ok(!why, "other-vm-region alone: accepted (%s)", why ? why : "");
	free(blob);
}

static struct t_alloc ta;
static const struct s2_mm_ops t_ops = {
	.alloc_pages = t_alloc_pages, .free_pages = t_free_pages,
	.put_page = t_put_page, .arg = &ta,
};

static void pinned_leaves(void)
{
	struct s2_format fmt;
	struct s2_vm vm;
	struct s2_vm_config cfg = { .fmt = &fmt, .ops = &t_ops };
	const u64 dev = 0x0a000000, ram = 0x40000000;
	struct s2_desc_info di;
	paddr_t np, pa;
	int r;

	t_setup_mem();
	memset(&ta, 0, sizeof(ta));
	ta.fail_after = -1;
	if (s2_format_arm64(&fmt, 39, 3) || s2_vm_init(&vm, &cfg))
		abort();
	r = s2_map(&vm, ipa_init(dev), pa_init(0x0a000000), 0x4000,
		   S2_PROT_R | S2_PROT_W | S2_PROT_DEVICE, S2_MAP_PINNED);
	tap_ok(r == 0, "map device pages pinned: %d", r);
	if (!palloc_alloc(2, &pa))
		abort();
	r = s2_map(&vm, ipa_init(ram), pa, 0x4000, S2_PROT_RWX, 0);
	tap_ok(r == 0, "map normal pages: %d", r);
	tap_ok(palloc_alloc(0, &np), "a page to migrate to");
	r = s2_migrate(&vm, ipa_init(dev + 0x1000), np);
	tap_ok(r == -E_PERM, "migrate of a pinned page refused: %d (want %d)", r, -E_PERM);
	r = s2_move(&vm, ipa_init(dev), ipa_init(0x0b000000), 0x4000);
	tap_ok(r == -E_PERM, "move of pinned pages refused: %d", r);
	r = s2_move(&vm, ipa_init(dev + 0x2000), ipa_init(0x0b000000), 0x1000);
	tap_ok(r == -E_PERM, "move of one pinned page refused: %d", r);
	/* The check looks only where the source meets the pinned hull: one that starts below it. */
	r = s2_move(&vm, ipa_init(dev - 0x4000), ipa_init(0x0c000000), 0x8000);
	tap_ok(r == -E_PERM, "move of a range that starts below the pinned pages refused: %d", r);
	tap_ok(s2_lookup(&fmt, vm.root, dev + 0x2000, &di, NULL) == S2_DESC_LEAF &&
	       pa_addr(di.pa) == dev + 0x2000 && (di.prot & S2_PROT_DEVICE) &&
	       !(di.prot & S2_PROT_X), "pinned page still mapped where it was, device, XN");
	r = s2_move(&vm, ipa_init(ram), ipa_init(0x50000000), 0x4000);
	tap_ok(r == 0, "move of unpinned pages works: %d", r);
	/* A pinned page above: the hull now spans the moved pages, which still move. */
	r = s2_map(&vm, ipa_init(0x60000000), pa_init(0x0a010000), 0x1000,
		   S2_PROT_R | S2_PROT_W | S2_PROT_DEVICE, S2_MAP_PINNED);
	tap_ok(r == 0, "map a pinned page above the RAM: %d", r);
	r = s2_move(&vm, ipa_init(0x50000000), ipa_init(0x51000000), 0x4000);
	tap_ok(r == 0, "move of unpinned pages inside the pinned hull works: %d", r);
	r = s2_move(&vm, ipa_init(0x5ffff000), ipa_init(0x52000000), 0x2000);
	tap_ok(r == -E_PERM, "move ending on the upper pinned page refused: %d", r);
	r = s2_migrate(&vm, ipa_init(0x51001000), np);
	tap_ok(r == 0, "migrate of an unpinned page works: %d", r);
	if (s2_vm_destroy(&vm))
		abort();
}

int main(void)
{
	config_refusals();
	pinned_leaves();
	return tap_done();
}
