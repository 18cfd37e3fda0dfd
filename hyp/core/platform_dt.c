// SPDX-License-Identifier: GPL-2.0
/*
 * struct platform from a device tree: memory, reserved memory, CPUs, the
 * console UART (PL011 or Cadence), the GIC (v3, or v2 with GICH/GICV), the
 * timer PPIs and the PSCI conduit (doc/boards.md). Missing essentials
 * (memory, CPUs) are errors; a device that is there but that the hypervisor
 * cannot drive is refused with its node named; anything optional and absent
 * is left zero and reported by the banner.
 */
#include <hyp/platform.h>
#include <hyp/fdt.h>
#include <hyp/string.h>
#include <hyp/console.h>
#include <hyp/printf.h>

static int add_range(struct mem_range *arr, unsigned int *n, unsigned int max,
		     u64 base, u64 size)
{
	if (!size)
		return 0;
	if (base + size < base)
		return -E_RANGE;
	if (*n == max)
		return -E_RANGE;
	arr[*n].base = pa_init(base);
	arr[*n].size = size;
	(*n)++;
	return 0;
}

static bool has_device_type(const struct fdt *f, int node, const char *type)
{
	return fdt_prop_has_string(f, node, "device_type", type);
}

static int parse_memory(struct platform *p, const struct fdt *f, const char **why)
{
	for (int n = fdt_first_child(f, fdt_root(f)); n >= 0; n = fdt_next_sibling(f, n)) {
		u64 base, size;

		if (!has_device_type(f, n, "memory"))
			continue;
		for (int i = 0; fdt_reg(f, n, i, &base, &size); i++) {
			if (add_range(p->mem, &p->nr_mem, PLAT_MAX_MEM, base, size) < 0) {
				*why = "too many or overflowing /memory ranges";
				return -E_FORMAT;
			}
		}
	}
	if (!p->nr_mem) {
		*why = "no /memory node with a usable reg";
		return -E_FORMAT;
	}
	return 0;
}

static int parse_reserved(struct platform *p, const struct fdt *f, const char **why)
{
	u64 base, size;
	int rm = fdt_path(f, "/reserved-memory");

	for (int i = 0; fdt_rsv(f, i, &base, &size); i++)
		if (add_range(p->rsv, &p->nr_rsv, PLAT_MAX_RSV, base, size) < 0)
			goto bad;
	for (int n = fdt_first_child(f, rm); n >= 0; n = fdt_next_sibling(f, n))
		for (int i = 0; fdt_reg(f, n, i, &base, &size); i++)
			if (add_range(p->rsv, &p->nr_rsv, PLAT_MAX_RSV, base, size) < 0)
				goto bad;
	return 0;
bad:
	*why = "too many or overflowing reserved-memory ranges";
	return -E_FORMAT;
}

static int parse_cpus(struct platform *p, const struct fdt *f, const char **why)
{
	int cpus = fdt_path(f, "/cpus");

	for (int n = fdt_first_child(f, cpus); n >= 0; n = fdt_next_sibling(f, n)) {
		u64 hwid, unused;

		if (!has_device_type(f, n, "cpu"))
			continue;
		if (!fdt_reg(f, n, 0, &hwid, &unused)) {
			*why = "cpu node without a usable reg";
			return -E_FORMAT;
		}
		if (p->nr_cpus == HYP_MAX_CPUS) {
			pr_warn("dtb: more than %u cpus; using the first %u\n",
				HYP_MAX_CPUS, HYP_MAX_CPUS);
			break;
		}
		for (unsigned int i = 0; i < p->nr_cpus; i++) {
			if (p->cpu_hwid[i] == hwid) {
				*why = "two cpu nodes with the same reg (MPIDR)";
				return -E_FORMAT;
			}
		}
		p->cpu_hwid[p->nr_cpus++] = hwid;
	}
	if (!p->nr_cpus) {
		*why = "no cpu nodes under /cpus";
		return -E_FORMAT;
	}
	return 0;
}

/* Refusals name the node: "<path>: <what>" in this buffer (boot is single-threaded). */
static char refuse_buf[192];

static void node_path(const struct fdt *f, int node, char *buf, size_t len)
{
	int chain[FDT_MAX_DEPTH + 1], n = 0;
	size_t at = 0;

	for (int x = node; x >= 0 && x != fdt_root(f) && n <= FDT_MAX_DEPTH; x = fdt_parent(f, x))
		chain[n++] = x;
	buf[0] = 0;
	if (!n)
		hyp_snprintf(buf, len, "/");
	while (n-- > 0 && at + 1 < len) {
		const char *name = fdt_node_name(f, chain[n]);

		at += (size_t)hyp_snprintf(buf + at, len - at, "/%s", name ? name : "?");
	}
}

static int refuse(const struct fdt *f, int node, const char *what, const char **why)
{
	char path[96];

	node_path(f, node, path, sizeof(path));
	hyp_snprintf(refuse_buf, sizeof(refuse_buf), "node %s: %s", path, what);
	*why = refuse_buf;
	return -E_FORMAT;
}

/*
 * reg entry @i of @node in the CPU's address space: every bus above it must
 * map 1:1 (no "ranges" or an empty one), the only kind this parser follows.
 */
static int reg_cpu(const struct fdt *f, int node, int i, u64 *base, u64 *size, const char **why)
{
	u32 len;

	for (int b = fdt_parent(f, node); b >= 0 && b != fdt_root(f); b = fdt_parent(f, b))
		if (fdt_prop(f, b, "ranges", &len) && len)
			return refuse(f, b, "bus with address translation (non-empty ranges) "
				      "is not supported", why);
	if (!fdt_reg(f, node, i, base, size))
		return refuse(f, node, "no usable reg", why);
	return 0;
}

static bool node_enabled(const struct fdt *f, int n)
{
	u32 len;
	const char *st = fdt_prop(f, n, "status", &len);

	return !st || !len || !strncmp(st, "okay", len) || !strncmp(st, "ok", len);
}

static int parse_psci(struct platform *p, const struct fdt *f, const char **why)
{
	int n = fdt_path(f, "/psci");

	if (n < 0)
		return 0;	/* no PSCI: secondaries stay off (reported at boot) */
	if (fdt_prop_has_string(f, n, "method", "smc"))
		p->psci = PSCI_SMC;
	else if (fdt_prop_has_string(f, n, "method", "hvc"))
		p->psci = PSCI_HVC;
	else
		return refuse(f, n, "PSCI method is neither \"smc\" nor \"hvc\"", why);
	return 0;
}

static const char *const cadence_compat[] = {
	"xlnx,xuartps", "cdns,uart-r1p8", "cdns,uart-r1p12", "xlnx,zynqmp-uart",
};

static enum uart_kind uart_kind_of(const struct fdt *f, int n)
{
	if (fdt_prop_has_string(f, n, "compatible", "arm,pl011"))
		return UART_PL011;
	for (unsigned int i = 0; i < ARRAY_SIZE(cadence_compat); i++)
		if (fdt_prop_has_string(f, n, "compatible", cadence_compat[i]))
			return UART_CADENCE;
	return UART_NONE;
}

/* The first enabled UART the hypervisor drives, PL011 first. */
static int first_uart(const struct fdt *f)
{
	static const char *const all[] = {
		"arm,pl011", "xlnx,xuartps", "cdns,uart-r1p8", "cdns,uart-r1p12", "xlnx,zynqmp-uart",
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(all); i++)
		for (int n = fdt_find_compatible(f, -1, all[i]); n >= 0;
		     n = fdt_find_compatible(f, n, all[i]))
			if (node_enabled(f, n))
				return n;
	return -1;
}

/* A GIC interrupt specifier <type number flags>: its INTID (SPI 32+, PPI 16+), or 0. */
static unsigned int gic_intid(const u8 *cell)
{
	u32 type = fdt32_ld(cell), nr = fdt32_ld(cell + 4);

	if (type == 0 && nr < 988)
		return 32 + nr;
	if (type == 1 && nr < 16)
		return 16 + nr;
	return 0;
}

/*
 * The console: /chosen/stdout-path (a path or an alias, ":options" dropped)
 * if present — it must then be a UART the hypervisor drives — else the first
 * enabled PL011 or Cadence UART. None at all is not an error (no output).
 */
static int parse_uart(struct platform *p, const struct fdt *f, const char **why)
{
	u32 len;
	const char *sp = fdt_prop(f, fdt_path(f, "/chosen"), "stdout-path", &len);
	const u8 *irq;
	int n = -1, r;
	u64 base, size;

	if (sp && len && len < 128) {
		char path[128];
		size_t l = strnlen(sp, len);

		memcpy(path, sp, l);
		path[l] = 0;
		if (strchr(path, ':'))
			*strchr(path, ':') = 0;	/* "…/pl011@9000000:115200n8" */
		if (path[0] != '/') {		/* "serial0:115200n8": an alias */
			const char *a = fdt_prop(f, fdt_path(f, "/aliases"), path, &len);

			l = a ? strnlen(a, len) : 0;
			if (!l || l >= sizeof(path) || a[0] != '/') {
				*why = "/chosen/stdout-path names an alias missing from /aliases";
				return -E_FORMAT;
			}
			memcpy(path, a, l);
			path[l] = 0;
		}
		n = fdt_path(f, path);
		if (n < 0) {
			*why = "/chosen/stdout-path names no node";
			return -E_FORMAT;
		}
		if (uart_kind_of(f, n) == UART_NONE)
			return refuse(f, n, "the console (stdout-path) is not a UART this hypervisor "
				      "drives (arm,pl011; xlnx,xuartps, cdns,uart-r1p8/r1p12)", why);
	} else {
		n = first_uart(f);
	}
	if (n < 0)
		return 0;
	r = reg_cpu(f, n, 0, &base, &size, why);
	if (r)
		return r;
	p->uart_base = pa_init(base);
	p->uart_kind = uart_kind_of(f, n);
	p->has_uart = true;
	irq = fdt_prop(f, n, "interrupts", &len);
	if (irq && len >= 12)
		p->uart_irq = gic_intid(irq);
	return 0;
}

static const char *const gicv2_compat[] = { "arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a7-gic" };

static int find_node_phandle(const struct fdt *f, u32 ph)
{
	int depth = 0;
	u32 v;

	for (int n = fdt_root(f); n >= 0; n = fdt_next_node(f, n, &depth))
		if ((fdt_prop_u32(f, n, "phandle", &v) || fdt_prop_u32(f, n, "linux,phandle", &v)) &&
		    v == ph)
			return n;
	return -1;
}

/* The interrupt controller @node's interrupts go to (interrupt-parent, inherited). */
static int irq_parent(const struct fdt *f, int node)
{
	u32 ph;

	for (int n = node; n >= 0; n = fdt_parent(f, n))
		if (fdt_prop_u32(f, n, "interrupt-parent", &ph))
			return find_node_phandle(f, ph);
	return -1;
}

static int parse_gic(struct platform *p, const struct fdt *f, const char **why)
{
	u64 base, size;
	const u8 *irq;
	u32 len;
	int n = fdt_find_compatible(f, -1, "arm,gic-v3"), r;

	if (n >= 0) {
		p->gic_version = 3;
		if (fdt_reg(f, n, 0, &base, &size))
			p->gicd_base = pa_init(base);
		if (fdt_reg(f, n, 1, &base, &size)) {
			p->gicr_base = pa_init(base);
			p->gicr_size = size;
		}
	}
	for (unsigned int i = 0; n < 0 && i < ARRAY_SIZE(gicv2_compat); i++)
		n = fdt_find_compatible(f, -1, gicv2_compat[i]);
	if (n < 0 || p->gic_version)
		goto maint;
	/* GICv2 binding: GICD, GICC, then GICH and GICV with the virtualization extensions. */
	p->gic_version = 2;
	r = reg_cpu(f, n, 0, &base, &size, why);
	if (!r) {
		p->gicd_base = pa_init(base);
		r = reg_cpu(f, n, 1, &base, &size, why);
	}
	if (r)
		return r;
	p->gicc_base = pa_init(base);
	p->gicc_size = size;
	if (fdt_reg(f, n, 2, &base, &size))
		p->gich_base = pa_init(base);
	if (fdt_reg(f, n, 3, &base, &size)) {
		p->gicv_base = pa_init(base);
		p->gicv_size = size;
	}
maint:
	if (n < 0)
		return 0;
	irq = fdt_prop(f, n, "interrupts", &len);
	if (irq && len >= 12)
		p->gic_maint_irq = gic_intid(irq);
	return 0;
}

/*
 * The architected timer: its four PPIs (arm,armv8-timer binding order) must
 * reach the GIC found above — a timer wired elsewhere cannot be driven.
 */
static int parse_timer(struct platform *p, const struct fdt *f, const char **why)
{
	int n = fdt_find_compatible(f, -1, "arm,armv8-timer"), ic;
	const u8 *irq;
	u32 len;

	if (n < 0)
		return 0;
	irq = fdt_prop(f, n, "interrupts", &len);
	if (!irq || len < 12 * TIMER_NR)
		return refuse(f, n, "timer without its four interrupts", why);
	for (unsigned int i = 0; i < TIMER_NR; i++) {
		p->timer_irq[i] = gic_intid(irq + 12 * i);
		if (p->timer_irq[i] < 16 || p->timer_irq[i] >= 32)
			return refuse(f, n, "timer interrupt is not a GIC PPI", why);
	}
	ic = irq_parent(f, n);
	if (p->gic_version && ic >= 0 && !fdt_prop_has_string(f, ic, "compatible", "arm,gic-v3")) {
		bool v2 = false;

		for (unsigned int i = 0; i < ARRAY_SIZE(gicv2_compat); i++)
			v2 |= fdt_prop_has_string(f, ic, "compatible", gicv2_compat[i]);
		if (!v2)
			return refuse(f, ic, "the timer's interrupt controller is not a GICv2 "
				      "(gic-400) or GICv3 this hypervisor drives", why);
	}
	return 0;
}

int platform_from_dtb(struct platform *p, const void *dtb, u64 max_size, const char **why)
{
	struct fdt f;
	int r;

	memset(p, 0, sizeof(*p));
	r = fdt_check(&f, dtb, max_size, why);
	if (r < 0)
		return r;
	r = parse_uart(p, &f, why);
	if (!r)
		r = parse_memory(p, &f, why);
	if (!r)
		r = parse_reserved(p, &f, why);
	if (!r)
		r = parse_cpus(p, &f, why);
	if (r < 0)
		return r;
	r = parse_psci(p, &f, why);
	if (!r)
		r = parse_gic(p, &f, why);
	if (!r)
		r = parse_timer(p, &f, why);
	return r;
}
