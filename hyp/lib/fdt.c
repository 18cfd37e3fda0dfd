// SPDX-License-Identifier: GPL-2.0
/*
 * Flattened device tree reader (devicetree specification v0.4, blob
 * version 17). fdt_check() validates everything once; the accessors then
 * only accept node offsets that point at an FDT_BEGIN_NODE token.
 */
#include <hyp/fdt.h>
#include <hyp/string.h>

#define FDT_BEGIN_NODE	1
#define FDT_END_NODE	2
#define FDT_PROP	3
#define FDT_NOP		4
#define FDT_END		9

#define HDR_SIZE	40

static u32 hdr(const void *blob, unsigned int word)
{
	return fdt32_ld((const u8 *)blob + 4 * word);
}

/* Is [off, off + len) inside [0, limit)? (overflow-safe) */
static bool in_bounds(u64 off, u64 len, u64 limit)
{
	return off <= limit && len <= limit - off;
}

static u32 tok(const struct fdt *f, int off)
{
	return fdt32_ld(f->structs + off);
}

/* Offset just past a NUL-terminated name at off, 4-aligned; -1 if unterminated. */
static int skip_name(const struct fdt *f, int off)
{
	const void *nul = memchr(f->structs + off, 0, f->struct_size - (u32)off);

	if (!nul)
		return -1;
	return (int)ALIGN_UP((u32)((const u8 *)nul - f->structs) + 1, 4U);
}

/*
 * Tag of the token at off and the offset of the next token, or -1 when the
 * token is malformed. Used both by the checker and by the accessors.
 */
static int next_token(const struct fdt *f, int off, u32 *tag)
{
	u32 len, nameoff;

	if (off < 0 || !in_bounds((u32)off, 4, f->struct_size))
		return -1;
	*tag = tok(f, off);
	switch (*tag) {
	case FDT_BEGIN_NODE:
		return skip_name(f, off + 4);
	case FDT_PROP:
		if (!in_bounds((u32)off + 4, 8, f->struct_size))
			return -1;
		len = tok(f, off + 4);
		nameoff = tok(f, off + 8);
		if (!in_bounds((u32)off + 12, len, f->struct_size) ||
		    nameoff >= f->strings_size ||
		    !memchr(f->strings + nameoff, 0, f->strings_size - nameoff))
			return -1;
		return (int)ALIGN_UP((u32)off + 12 + len, 4U);
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		return off + 4;
	default:
		return -1;
	}
}

int fdt_check(struct fdt *f, const void *blob, u64 max_size, const char **why)
{
	u32 total, off_struct, off_strings, off_rsv, size_strings, size_struct;
	int off, depth = 0, roots = 0;
	bool ended = false;

	memset(f, 0, sizeof(*f));
	if (!blob || max_size < HDR_SIZE) {
		*why = "no device tree";
		return -E_FORMAT;
	}
	if (((uintptr_t)blob & 3)) {
		*why = "device tree not 4-byte aligned";
		return -E_FORMAT;
	}
	if (hdr(blob, 0) != FDT_MAGIC) {
		*why = "bad magic (not a DTB)";
		return -E_FORMAT;
	}
	total = hdr(blob, 1);
	off_struct = hdr(blob, 2);
	off_strings = hdr(blob, 3);
	off_rsv = hdr(blob, 4);
	size_strings = hdr(blob, 8);
	size_struct = hdr(blob, 9);
	if (total < HDR_SIZE || total > max_size) {
		*why = "totalsize out of range";
		return -E_FORMAT;
	}
	if (hdr(blob, 5) < 17 || hdr(blob, 6) > 17) {
		*why = "unsupported version (need v17 compatible)";
		return -E_FORMAT;
	}
	if (!in_bounds(off_struct, size_struct, total) || (off_struct & 3) ||
	    (size_struct & 3) || size_struct < 12 || off_struct < HDR_SIZE) {
		*why = "structure block out of bounds";
		return -E_FORMAT;
	}
	if (!in_bounds(off_strings, size_strings, total) || off_strings < HDR_SIZE) {
		*why = "strings block out of bounds";
		return -E_FORMAT;
	}
	if ((off_rsv & 7) || off_rsv < HDR_SIZE || !in_bounds(off_rsv, 16, total)) {
		*why = "memory reservation block out of bounds";
		return -E_FORMAT;
	}
	f->blob = blob;
	f->size = total;
	f->structs = (const u8 *)blob + off_struct;
	f->struct_size = size_struct;
	f->strings = (const char *)blob + off_strings;
	f->strings_size = size_strings;
	f->rsvmap = (const u8 *)blob + off_rsv;

	/* Reservation entries: pairs of u64 ending with (0, 0), all in bounds. */
	for (u32 o = off_rsv;; o += 16) {
		if (!in_bounds(o, 16, total)) {
			*why = "memory reservation block not terminated";
			return -E_FORMAT;
		}
		if (!hdr(blob, o / 4) && !hdr(blob, o / 4 + 1) &&
		    !hdr(blob, o / 4 + 2) && !hdr(blob, o / 4 + 3))
			break;
	}

	for (off = 0; !ended;) {
		u32 tag;
		int next = next_token(f, off, &tag);

		if (next < 0) {
			*why = "malformed token in structure block";
			return -E_FORMAT;
		}
		switch (tag) {
		case FDT_BEGIN_NODE:
			if (depth == 0) {
				if (roots++ || f->structs[off + 4] != 0) {
					*why = "structure block does not start with one root node";
					return -E_FORMAT;
				}
			}
			if (++depth > FDT_MAX_DEPTH) {
				*why = "nodes nested too deeply";
				return -E_FORMAT;
			}
			break;
		case FDT_END_NODE:
			if (depth-- == 0) {
				*why = "unbalanced end of node";
				return -E_FORMAT;
			}
			break;
		case FDT_PROP:
			if (depth == 0) {
				*why = "property outside any node";
				return -E_FORMAT;
			}
			break;
		case FDT_END:
			if (depth != 0 || roots != 1) {
				*why = "structure block ends inside a node";
				return -E_FORMAT;
			}
			ended = true;
			break;
		}
		off = next;
	}
	*why = "ok";
	return 0;
}

static bool is_node(const struct fdt *f, int node)
{
	return node >= 0 && in_bounds((u32)node, 4, f->struct_size) &&
	       !(node & 3) && tok(f, node) == FDT_BEGIN_NODE;
}

int fdt_root(const struct fdt *f)
{
	int off = 0;
	u32 tag;

	while (off >= 0) {
		int next = next_token(f, off, &tag);

		if (tag == FDT_BEGIN_NODE)
			return off;
		if (tag != FDT_NOP)
			return -1;
		off = next;
	}
	return -1;
}

int fdt_next_node(const struct fdt *f, int node, int *depth)
{
	u32 tag;
	int off;

	if (!is_node(f, node))
		return -1;
	off = next_token(f, node, &tag);
	while (off >= 0) {
		int next = next_token(f, off, &tag);

		switch (tag) {
		case FDT_BEGIN_NODE:
			if (depth)
				(*depth)++;
			return off;
		case FDT_END_NODE:
			if (depth)
				(*depth)--;
			break;
		case FDT_END:
			return -1;
		}
		off = next;
	}
	return -1;
}

int fdt_first_child(const struct fdt *f, int node)
{
	int depth = 0;
	int n = fdt_next_node(f, node, &depth);

	return (n >= 0 && depth == 1) ? n : -1;
}

int fdt_next_sibling(const struct fdt *f, int node)
{
	int depth = 0;
	int n = node;

	/* Depth is relative to node: children are at 1, siblings at 0. */
	for (;;) {
		n = fdt_next_node(f, n, &depth);
		if (n < 0 || depth < 0)
			return -1;
		if (depth == 0)
			return n;
	}
}

const char *fdt_node_name(const struct fdt *f, int node)
{
	return is_node(f, node) ? (const char *)f->structs + node + 4 : NULL;
}

/* Does node name "cpu@0" match path component [c, c+n)? "cpu" matches too. */
static bool name_matches(const char *name, const char *c, size_t n)
{
	if (strncmp(name, c, n))
		return false;
	return name[n] == 0 || (name[n] == '@' && !memchr(c, '@', n));
}

int fdt_path(const struct fdt *f, const char *path)
{
	int node = fdt_root(f);

	if (!path || path[0] != '/')
		return -1;
	while (node >= 0 && *path) {
		const char *c;
		size_t n;
		int child;

		while (*path == '/')
			path++;
		if (!*path)
			break;
		c = path;
		while (*path && *path != '/')
			path++;
		n = (size_t)(path - c);
		for (child = fdt_first_child(f, node); child >= 0;
		     child = fdt_next_sibling(f, child))
			if (name_matches(fdt_node_name(f, child), c, n))
				break;
		node = child;
	}
	return node;
}

const void *fdt_prop(const struct fdt *f, int node, const char *name, u32 *len)
{
	u32 tag;
	int off;

	if (!is_node(f, node))
		return NULL;
	off = next_token(f, node, &tag);
	while (off >= 0) {
		int next = next_token(f, off, &tag);

		if (tag == FDT_PROP) {
			if (!strcmp(f->strings + tok(f, off + 8), name)) {
				if (len)
					*len = tok(f, off + 4);
				return f->structs + off + 12;
			}
		} else if (tag != FDT_NOP) {
			break;	/* properties come before subnodes */
		}
		off = next;
	}
	return NULL;
}

bool fdt_prop_u32(const struct fdt *f, int node, const char *name, u32 *val)
{
	u32 len;
	const void *p = fdt_prop(f, node, name, &len);

	if (!p || len != 4)
		return false;
	*val = fdt32_ld(p);
	return true;
}

bool fdt_prop_has_string(const struct fdt *f, int node, const char *name, const char *str)
{
	u32 len;
	const char *p = fdt_prop(f, node, name, &len);
	size_t want = strlen(str);

	while (p && len) {
		size_t n = strnlen(p, len);

		if (n == want && !memcmp(p, str, n))
			return true;
		if (n >= len)
			break;
		p += n + 1;
		len -= (u32)n + 1;
	}
	return false;
}

int fdt_find_compatible(const struct fdt *f, int from, const char *compat)
{
	int node = from < 0 ? fdt_root(f) : fdt_next_node(f, from, NULL);

	for (; node >= 0; node = fdt_next_node(f, node, NULL))
		if (fdt_prop_has_string(f, node, "compatible", compat))
			return node;
	return -1;
}

/* Parent of node (scan from the root with a stack of open nodes). */
int fdt_parent(const struct fdt *f, int node)
{
	int stack[FDT_MAX_DEPTH + 1];
	int depth = 0, n = fdt_root(f);

	stack[0] = n;
	while (n >= 0 && n != node) {
		n = fdt_next_node(f, n, &depth);
		if (n < 0 || depth < 0 || depth > FDT_MAX_DEPTH)
			return -1;
		stack[depth] = n;
	}
	return (n == node && depth > 0) ? stack[depth - 1] : -1;
}

static u64 read_cells(const u8 *p, u32 cells)
{
	u64 v = 0;

	for (u32 i = 0; i < cells; i++)
		v = (v << 32) | fdt32_ld(p + 4 * i);
	return v;
}

bool fdt_reg(const struct fdt *f, int node, int i, u64 *addr, u64 *size)
{
	u32 ac = 2, sc = 1, len, entry;
	int parent = fdt_parent(f, node);
	const u8 *p;

	if (parent < 0 || i < 0)
		return false;
	fdt_prop_u32(f, parent, "#address-cells", &ac);
	fdt_prop_u32(f, parent, "#size-cells", &sc);
	if (ac < 1 || ac > 2 || sc > 2)
		return false;
	entry = 4 * (ac + sc);
	p = fdt_prop(f, node, "reg", &len);
	if (!p || (u64)(i + 1) * entry > len)
		return false;
	p += (u32)i * entry;
	*addr = read_cells(p, ac);
	*size = read_cells(p + 4 * ac, sc);
	return true;
}

bool fdt_rsv(const struct fdt *f, int i, u64 *addr, u64 *size)
{
	for (int k = 0; k <= i; k++) {
		const u8 *e = f->rsvmap + 16 * k;
		u64 a = read_cells(e, 2), s = read_cells(e + 8, 2);

		if (!a && !s)
			return false;	/* fdt_check saw this terminator */
		if (k == i) {
			*addr = a;
			*size = s;
			return true;
		}
	}
	return false;
}
