// SPDX-License-Identifier: GPL-2.0
/*
 * The guest platform: built-in defaults (guest_arch.h PLAT_*), replaced by
 * what the guest DTB says when the hypervisor passed one (arm64: x0 at vCPU 0
 * entry; 0 = none). A tiny flattened-device-tree reader, enough for:
 *   /memory*  device_type "memory", reg       -> RAM base and size
 *   /cpus/cpu* device_type "cpu"               -> number of vCPUs
 *   /<node> compatible "arm,pl011", reg        -> UART base
 *   compatible "arm,gic-v3" / "arm,gic-400"    -> GIC version (0: none)
 * Runs before the MMU is on (arm64: memory is Device-typed then): byte loads
 * only, every offset checked against the blob's size. It prints nothing (the
 * console is not set up); guest_main() prints plat and plat.dtb_err.
 */
#include "guest.h"

#define FDT_MAGIC	0xd00dfeedU
#define FDT_BEGIN_NODE	1
#define FDT_END_NODE	2
#define FDT_PROP	3
#define FDT_NOP		4
#define FDT_END		9
#define FDT_MAX_SIZE	SZ_2M		/* the hypervisor gives it the last 2 MiB */
#define FDT_MAX_DEPTH	8

struct platform plat;

static u32 be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static u64 cells(const u8 *p, u32 n)
{
	u64 v = 0;

	for (u32 i = 0; i < n; i++)
		v = v << 32 | be32(p + 4 * i);
	return v;
}

static bool str_eq(const u8 *a, const char *b, u32 max)
{
	u32 i;

	for (i = 0; i < max && b[i]; i++)
		if (a[i] != (u8)b[i])
			return false;
	return i < max && a[i] == 0 && b[i] == 0;
}

/* Is s (a NUL-separated string list of len bytes) containing want? */
static bool strlist_has(const u8 *s, u32 len, const char *want)
{
	u32 i = 0;

	while (i < len) {
		if (str_eq(s + i, want, len - i))
			return true;
		while (i < len && s[i])
			i++;
		i++;
	}
	return false;
}

/* Does the node name (up to its NUL) start with prefix and then '@' or end? */
static bool name_is(const u8 *name, u32 max, const char *prefix)
{
	u32 i;

	for (i = 0; prefix[i]; i++)
		if (i >= max || name[i] != (u8)prefix[i])
			return false;
	return i < max && (name[i] == 0 || name[i] == '@');
}

struct node {
	bool is_memory, is_cpu, is_uart, in_cpus, is_cpus;
	const u8 *reg;
	u32 reg_len;
};

static const char *parse(const u8 *fdt)
{
	u32 size, off_struct, off_strings, size_struct, size_strings, pos, end;
	u32 addr_cells = 2, size_cells = 1, depth = 0, cpus = 0, gic = 0;
	struct node st[FDT_MAX_DEPTH];
	u64 ram_base = 0, ram_size = 0, uart = 0;

	if (be32(fdt) != FDT_MAGIC)
		return "bad magic";
	size = be32(fdt + 4);
	off_struct = be32(fdt + 8);
	off_strings = be32(fdt + 12);
	size_strings = be32(fdt + 32);
	size_struct = be32(fdt + 36);
	if (size < 40 || size > FDT_MAX_SIZE || be32(fdt + 20) < 17)
		return "bad size or version < 17";
	if (off_struct > size || size_struct > size - off_struct || off_strings > size ||
	    size_strings > size - off_strings)
		return "blocks outside the blob";
	pos = off_struct;
	end = off_struct + size_struct;
	for (;;) {
		u32 tok, len, nameoff;
		const u8 *val;
		struct node *n;

		if (pos + 4 > end)
			return "truncated structure block";
		tok = be32(fdt + pos);
		pos += 4;
		switch (tok) {
		case FDT_BEGIN_NODE: {
			const u8 *name = fdt + pos;
			u32 max = end - pos, l = 0;

			while (l < max && name[l])
				l++;
			if (l == max)
				return "unterminated node name";
			if (depth >= FDT_MAX_DEPTH)
				return "nested too deep";
			n = &st[depth];
			*n = (struct node){ 0 };
			n->is_cpus = depth == 1 && name_is(name, max, "cpus");
			n->in_cpus = depth == 2 && st[1].is_cpus;
			depth++;
			pos += (l + 1 + 3) & ~3U;
			break;
		}
		case FDT_END_NODE:
			if (!depth)
				return "unbalanced END_NODE";
			n = &st[--depth];
			if (n->is_memory && n->reg && !ram_size &&
			    n->reg_len >= 4 * (addr_cells + size_cells)) {
				ram_base = cells(n->reg, addr_cells);
				ram_size = cells(n->reg + 4 * addr_cells, size_cells);
			}
			if (n->is_cpu && n->in_cpus)
				cpus++;
			if (n->is_uart && n->reg && !uart && n->reg_len >= 4 * addr_cells)
				uart = cells(n->reg, addr_cells);
			break;
		case FDT_PROP:
			if (pos + 8 > end)
				return "truncated property";
			len = be32(fdt + pos);
			nameoff = be32(fdt + pos + 4);
			pos += 8;
			if (len > end - pos || nameoff >= size_strings)
				return "property outside the blob";
			val = fdt + pos;
			pos += (len + 3) & ~3U;
			if (!depth)
				return "property outside a node";
			{
				const u8 *pname = fdt + off_strings + nameoff;
				u32 pmax = size_strings - nameoff;

				n = &st[depth - 1];
				if (depth == 1 && len == 4 && str_eq(pname, "#address-cells", pmax))
					addr_cells = be32(val);
				else if (depth == 1 && len == 4 && str_eq(pname, "#size-cells", pmax))
					size_cells = be32(val);
				else if (str_eq(pname, "reg", pmax)) {
					n->reg = val;
					n->reg_len = len;
				} else if (str_eq(pname, "device_type", pmax)) {
					n->is_memory = depth == 2 && strlist_has(val, len, "memory");
					n->is_cpu = strlist_has(val, len, "cpu");
				} else if (str_eq(pname, "compatible", pmax)) {
					n->is_uart = depth == 2 && strlist_has(val, len, "arm,pl011");
					if (strlist_has(val, len, "arm,gic-v3"))
						gic = 3;
					else if (strlist_has(val, len, "arm,gic-400") ||
						 strlist_has(val, len, "arm,cortex-a15-gic"))
						gic = 2;
				}
			}
			if (addr_cells < 1 || addr_cells > 2 || size_cells < 1 || size_cells > 2)
				return "#address-cells/#size-cells not 1 or 2";
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			goto done;
		default:
			return "unknown token";
		}
	}
done:
	if (!ram_size)
		return "no /memory node with reg";
	if (ram_base != PLAT_RAM_BASE)
		return "RAM base is not the address the image is linked at";
	if (!cpus || cpus > GUEST_MAX_CPUS)
		return "no /cpus/cpu nodes or too many";
	if (!uart)
		return "no arm,pl011 node with reg";
	if (!plat_valid(ram_base, ram_size, uart))
		return "RAM or UART outside what the stage-1 map can cover";
	plat.ram_base = ram_base;
	plat.ram_size = ram_size;
	plat.uart_base = uart;
	plat.cpus = cpus;
	plat.gic = gic;
	return NULL;
}

void platform_init(u64 dtb)
{
	plat.ram_base = PLAT_RAM_BASE;
	plat.ram_size = PLAT_RAM_SIZE;
	plat.uart_base = PLAT_UART_BASE;
	plat.cpus = 0;		/* unknown: probe with arch_cpu_on() */
	plat.gic = 3;		/* the built-in platform: QEMU virt's */
	plat.dtb = dtb;
	plat.dtb_err = NULL;
	plat.from_dtb = false;
	if (!dtb)
		return;
	if (dtb < PLAT_RAM_BASE || dtb - PLAT_RAM_BASE >= PLAT_RAM_SIZE_MAX ||
	    dtb & 7) {
		plat.dtb_err = "DTB address not in the RAM window or not 8-byte aligned";
		return;
	}
	plat.dtb_err = parse((const u8 *)dtb);
	plat.from_dtb = !plat.dtb_err;
}
