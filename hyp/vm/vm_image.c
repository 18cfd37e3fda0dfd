// SPDX-License-Identifier: GPL-2.0
/*
 * A VM's boot modules (kernel, ramdisk, guest DTB; doc/vm-config.md): the
 * arm64 Image header, the layout in guest RAM, the guest DTB's checks and
 * its initrd properties, and the copy into fresh guest pages.
 */
#include <hyp/console.h>
#include <hyp/fdt.h>
#include <hyp/palloc.h>
#include <hyp/printf.h>
#include <hyp/string.h>
#include <hyp/vm/vm.h>
#include "vm_internal.h"

/* Copy @size bytes from host PA @src to RAM at ram_base + @off (backed by vm_build_page()). */
static int vm_copy_in(struct vm *vm, u64 off, u64 src, u64 size)
{
	for (u64 o = 0; o < size; o += PAGE_SIZE) {
		u64 n = MIN(PAGE_SIZE, size - o);
		paddr_t pa;
		/* Before the VM runs: nothing unmaps the page under this pointer. */
		int r = vm_build_page(vm, ipa_addr(vm->ram_base) + off + o, &pa);

		if (r < 0)
			return r;
		memcpy(pa_to_ptr(pa), pa_to_ptr(pa_init(src + o)), n);
		if (n < PAGE_SIZE)
			memset((u8 *)pa_to_ptr(pa) + n, 0, PAGE_SIZE - n);
		arch_guest_sync_mem(pa, PAGE_SIZE);	/* the guest starts with caches off */
	}
	return 0;
}

/* Copy every module to its IPA (the layout vm_layout() checked). */
int vm_load_modules(struct vm *vm)
{
	for (unsigned int m = 0; m < VM_MOD_NR; m++) {
		const struct vm_module *md = &vm->mod[m];
		int r;

		if (!md->size)
			continue;
		r = vm_copy_in(vm, md->off, md->pa, md->size);
		if (r < 0)
			return r;
	}
	return 0;
}

static u64 le64_ld(const u8 *p)
{
	u64 v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void be64_st(u8 *p, u64 v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (u8)v;
}

/*
 * Where the kernel goes: RAM base + text_offset of an arm64 Image header
 * ("ARM\x64" at byte 56; image_size 0 means text_offset 0x80000, per
 * Documentation/arch/arm64/booting.rst), else RAM base. Its footprint is
 * max(file size, image_size).
 */
#define ARM64_IMAGE_MAGIC	0x644d5241ULL

const char *vm_kernel_header(struct vm *vm, char *buf)
{
	struct vm_module *k = &vm->mod[VM_MOD_KERNEL];
	const u8 *h = pa_to_ptr(pa_init(k->pa));
	u64 text_offset, image_size;

	k->off = 0;
	vm->kernel_mem = k->size;
	if (k->size < 64 || (le64_ld(h + 56) & 0xffffffffULL) != ARM64_IMAGE_MAGIC)
		return NULL;
	text_offset = le64_ld(h + 8);
	image_size = le64_ld(h + 16);
	if (!image_size)
		text_offset = 0x80000;
	if (!IS_ALIGNED(text_offset, PAGE_SIZE) || text_offset >= vm->ram_size)
		return WHY("kernel Image header: text_offset %#llx not page aligned or beyond "
			   "the VM's memory", text_offset);
	k->off = text_offset;
	vm->kernel_mem = MAX(k->size, image_size);
	return NULL;
}

/* DTB in the last 2 MiB, ramdisk page aligned just below, kernel below that. */
const char *vm_layout(struct vm *vm, char *buf)
{
	struct vm_module *k = &vm->mod[VM_MOD_KERNEL], *rd = &vm->mod[VM_MOD_RAMDISK],
			 *dt = &vm->mod[VM_MOD_DTB];
	const char *below = "the end of RAM";
	u64 top = vm->ram_size;

	if (dt->size) {
		if (dt->size > SZ_2M)
			return WHY("dtb is %#llx bytes: more than the 2 MiB it gets at the top of RAM",
				   dt->size);
		if (vm->ram_size < 2 * SZ_2M)
			return "memory too small for a dtb (at least 4 MiB)";
		dt->off = vm->ram_size - SZ_2M;
		top = dt->off;
		below = "the dtb";
	}
	if (rd->size) {
		if (!dt->size)
			return "a ramdisk needs a dtb (the guest finds it through /chosen)";
		if (rd->size > top)
			return WHY("ramdisk (%#llx bytes) does not fit below the dtb", rd->size);
		rd->off = ALIGN_DOWN(top - rd->size, PAGE_SIZE);
		top = rd->off;
		below = "the ramdisk";
	}
	if (k->off > top || vm->kernel_mem > top - k->off)
		return WHY("kernel (%#llx bytes at RAM + %#llx) does not fit below %s "
			   "(RAM + %#llx): memory too small", vm->kernel_mem, k->off, below, top);
	return NULL;
}

/*
 * The guest DTB: valid, every /memory range inside the VM's RAM, and with a
 * ramdisk the /chosen initrd placeholders, which are patched here, in the
 * retained copy (the values only depend on the config, so a recreated VM
 * gets the same).
 */
const char *vm_check_dtb(struct vm *vm, char *buf)
{
	struct vm_module *dt = &vm->mod[VM_MOD_DTB], *rd = &vm->mod[VM_MOD_RAMDISK];
	u64 base = ipa_addr(vm->ram_base), end = base + vm->ram_size, a, sz;
	const u8 *ps, *pe;
	const char *why = "?";
	unsigned int ranges = 0;
	struct fdt g;
	u32 ls, le;
	int chosen;

	if (!dt->size)
		return NULL;
	if (fdt_check(&g, pa_to_ptr(pa_init(dt->pa)), dt->size, &why) < 0)
		return WHY("dtb is not a valid device tree: %s", why);
	for (int n = fdt_first_child(&g, fdt_root(&g)); n >= 0; n = fdt_next_sibling(&g, n)) {
		if (!fdt_prop_has_string(&g, n, "device_type", "memory"))
			continue;
		for (int i = 0; fdt_reg(&g, n, i, &a, &sz); i++, ranges++)
			if (a < base || a + sz < a || a + sz > end)
				return WHY("dtb: /%s range %#llx+%#llx is not inside the VM's memory "
					   "%#llx+%#llx", fdt_node_name(&g, n), a, sz, base,
					   vm->ram_size);
	}
	if (!ranges)
		return "dtb: no /memory node (device_type = \"memory\" with a reg)";
	if (!rd->size)
		return NULL;
	chosen = fdt_path(&g, "/chosen");
	ps = fdt_prop(&g, chosen, "linux,initrd-start", &ls);
	pe = fdt_prop(&g, chosen, "linux,initrd-end", &le);
	if (!ps || !pe || ls != 8 || le != 8)
		return "ramdisk given but the dtb's /chosen lacks the 64-bit placeholders "
		       "linux,initrd-start and linux,initrd-end (<0x0 0x0>)";
	be64_st((u8 *)pa_to_ptr(pa_init(dt->pa)) + (ps - g.blob), base + rd->off);
	be64_st((u8 *)pa_to_ptr(pa_init(dt->pa)) + (pe - g.blob), base + rd->off + rd->size);
	return NULL;
}
