// SPDX-License-Identifier: GPL-2.0
/*
 * struct platform from a device tree: memory, reserved memory, CPUs, UART,
 * GIC and the PSCI conduit. Missing essentials (memory, CPUs) are errors;
 * anything optional is left zero and reported by the banner.
 */
#include <hyp/platform.h>
#include <hyp/fdt.h>
#include <hyp/string.h>
#include <hyp/console.h>

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

static void parse_psci(struct platform *p, const struct fdt *f)
{
	int n = fdt_path(f, "/psci");

	if (n < 0)
		return;
	if (fdt_prop_has_string(f, n, "method", "smc"))
		p->psci = PSCI_SMC;
	else if (fdt_prop_has_string(f, n, "method", "hvc"))
		p->psci = PSCI_HVC;
}

/* The console: /chosen/stdout-path if it names a PL011, else the first PL011. */
static void parse_uart(struct platform *p, const struct fdt *f)
{
	u32 len;
	const char *sp = fdt_prop(f, fdt_path(f, "/chosen"), "stdout-path", &len);
	int n = -1;
	u64 base, size;

	if (sp && len && len < 128 && sp[0] == '/') {
		char path[128];
		size_t l = strnlen(sp, len);

		memcpy(path, sp, l);
		path[l] = 0;
		if (strchr(path, ':'))
			*strchr(path, ':') = 0;	/* "…/pl011@9000000:115200n8" */
		n = fdt_path(f, path);
		if (n >= 0 && !fdt_prop_has_string(f, n, "compatible", "arm,pl011"))
			n = -1;
	}
	if (n < 0)
		n = fdt_find_compatible(f, -1, "arm,pl011");
	if (n >= 0 && fdt_reg(f, n, 0, &base, &size)) {
		p->uart_base = pa_init(base);
		p->has_uart = true;
	}
}

static void parse_gic(struct platform *p, const struct fdt *f)
{
	u64 base, size;
	int n = fdt_find_compatible(f, -1, "arm,gic-v3");

	if (n >= 0) {
		p->gic_version = 3;
		if (fdt_reg(f, n, 0, &base, &size))
			p->gicd_base = pa_init(base);
		if (fdt_reg(f, n, 1, &base, &size)) {
			p->gicr_base = pa_init(base);
			p->gicr_size = size;
		}
		return;
	}
	n = fdt_find_compatible(f, -1, "arm,cortex-a15-gic");
	if (n < 0)
		n = fdt_find_compatible(f, -1, "arm,gic-400");
	if (n >= 0) {
		p->gic_version = 2;
		if (fdt_reg(f, n, 0, &base, &size))
			p->gicd_base = pa_init(base);
	}
}

int platform_from_dtb(struct platform *p, const void *dtb, u64 max_size, const char **why)
{
	struct fdt f;
	int r;

	memset(p, 0, sizeof(*p));
	r = fdt_check(&f, dtb, max_size, why);
	if (r < 0)
		return r;
	r = parse_memory(p, &f, why);
	if (!r)
		r = parse_reserved(p, &f, why);
	if (!r)
		r = parse_cpus(p, &f, why);
	if (r < 0)
		return r;
	parse_psci(p, &f);
	parse_uart(p, &f);
	parse_gic(p, &f);
	return 0;
}
