/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flattened device tree reader. fdt_check() validates a whole blob once
 * (header, block bounds, token stream, nesting, name and string offsets);
 * every other function assumes a checked blob and stays in bounds anyway.
 * See doc/dtb.md for why this is our own parser and not libfdt.
 */
#ifndef HYP_FDT_H
#define HYP_FDT_H

#include <hyp/types.h>

#define FDT_MAGIC	0xd00dfeed
#define FDT_MAX_DEPTH	16

struct fdt {
	const u8 *blob;
	u32 size;		/* totalsize from the header */
	const u8 *structs;
	u32 struct_size;
	const char *strings;
	u32 strings_size;
	const u8 *rsvmap;	/* memory reservation block */
};

/* Returns 0 or -E_FORMAT and points *why at a static description. */
int fdt_check(struct fdt *fdt, const void *blob, u64 max_size, const char **why);

/* Nodes are identified by the offset of their FDT_BEGIN_NODE in the struct block. */
int fdt_root(const struct fdt *fdt);
/* Next node in depth-first order; *depth tracks nesting; returns -1 at end. */
int fdt_next_node(const struct fdt *fdt, int node, int *depth);
int fdt_first_child(const struct fdt *fdt, int node);
int fdt_next_sibling(const struct fdt *fdt, int node);
const char *fdt_node_name(const struct fdt *fdt, int node);
/* Finds a node by absolute path ("/cpus/cpu@0"); unit addresses optional. */
int fdt_path(const struct fdt *fdt, const char *path);

const void *fdt_prop(const struct fdt *fdt, int node, const char *name, u32 *len);
bool fdt_prop_u32(const struct fdt *fdt, int node, const char *name, u32 *val);
/* Is str one of the strings in a stringlist property (e.g. compatible)? */
bool fdt_prop_has_string(const struct fdt *fdt, int node, const char *name, const char *str);
/* Next node (after 'from', -1 = start) whose compatible contains compat. */
int fdt_find_compatible(const struct fdt *fdt, int from, const char *compat);

/* Decode entry i of a "reg" property using the parent's #address/#size-cells. */
/* Parent of @node, or -1 (root, bad offset, too deep). */
int fdt_parent(const struct fdt *fdt, int node);

bool fdt_reg(const struct fdt *fdt, int node, int i, u64 *addr, u64 *size);
/* Memory reservation block entry i. */
bool fdt_rsv(const struct fdt *fdt, int i, u64 *addr, u64 *size);

static inline u32 fdt32_ld(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

#endif
