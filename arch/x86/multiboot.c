// SPDX-License-Identifier: GPL-2.0
/*
 * Multiboot (v1) information -> platform.mem and platform.rsv.
 *
 * RAM handed to the allocator: "available" (type 1) ranges of the loader's
 * memory map, clipped to [1 MiB, IDMAP_GIB GiB): below 1 MiB live the BIOS
 * data, the EBDA and the AP trampoline; above the identity map the
 * hypervisor cannot address memory yet. Reserved: the image
 * [__hyp_start, __hyp_end), the low 1 MiB (for completeness), and every
 * multiboot structure (the information block, memory map, command line,
 * module list and modules), which the loader placed in available RAM.
 *
 * Reserved ranges are cut out of platform.mem as well, not only listed in
 * platform.rsv: the allocator then never manages a page it must not hand
 * out, whatever the order in which it learns regions and reservations (the
 * image sits at the very start of the RAM above 1 MiB).
 */
#include <hyp/types.h>
#include <hyp/addr.h>
#include <hyp/platform.h>
#include <hyp/panic.h>
#include <hyp/console.h>
#include <x86/layout.h>
#include <x86/multiboot.h>
#include <x86/setup.h>
#include <hyp/string.h>
#include <hyp/vm/vm.h>

#define LOW_MEM_END	0x100000ULL
#define IDMAP_END	((u64)IDMAP_GIB << 30)
#define MIN_REGION	(16 * PAGE_SIZE)

static void add_rsv(u64 base, u64 size)
{
	u64 start = ALIGN_DOWN(base, PAGE_SIZE), end = ALIGN_UP(base + size, PAGE_SIZE);

	unsigned int i;

	if (!size)
		return;
	/* The loader often packs several structures into one page. */
	for (i = 0; i < platform.nr_rsv; i++) {
		u64 b = pa_addr(platform.rsv[i].base);

		if (start >= b && end <= b + platform.rsv[i].size)
			return;
	}
	if (platform.nr_rsv >= PLAT_MAX_RSV)
		panic("multiboot: more than %d reserved ranges", PLAT_MAX_RSV);
	platform.rsv[platform.nr_rsv].base = pa_init(start);
	platform.rsv[platform.nr_rsv].size = end - start;
	platform.nr_rsv++;
}

static void add_range(u64 start, u64 end)
{
	/* Too small for the allocator's metadata plus a page: not worth it. */
	if (end - start < MIN_REGION)
		return;
	if (platform.nr_mem >= PLAT_MAX_MEM) {
		pr_warn("multiboot: ignoring RAM %#llx-%#llx (more than %d ranges)\n",
			start, end, PLAT_MAX_MEM);
		return;
	}
	platform.mem[platform.nr_mem].base = pa_init(start);
	platform.mem[platform.nr_mem].size = end - start;
	platform.nr_mem++;
}

/* Add [start, end) minus reserved ranges i.. (earlier ones do not overlap it). */
static void add_unreserved(u64 start, u64 end, unsigned int i)
{
	for (; i < platform.nr_rsv && start < end; i++) {
		u64 b = pa_addr(platform.rsv[i].base), e = b + platform.rsv[i].size;

		if (e <= start || b >= end)
			continue;
		if (b > start)
			add_unreserved(start, b, i + 1);
		start = e;
	}
	if (start < end)
		add_range(start, end);
}

static void add_mem(u64 base, u64 len)
{
	u64 start = MAX(base, LOW_MEM_END), end = MIN(base + len, IDMAP_END);

	/* Whole pages only: the allocator deals in pages. */
	start = ALIGN_UP(start, PAGE_SIZE);
	end = ALIGN_DOWN(end, PAGE_SIZE);
	if (end > start)
		add_unreserved(start, end, 0);
}

static const char *cmdline = "";

/* Boot modules, named by the last path component of their command line's first word. */
static struct vm_boot_module mods[VM_MAX_BOOT_MODULES];
static unsigned int nr_mods;

/*
 * A module's name: the last path component of the last word of its command
 * line ("build/x86/a.dtb vms.dtb" -> "vms.dtb", "/boot/guest-tests.bin" ->
 * "guest-tests.bin"): QEMU passes "file args", GRUB what follows `module`.
 */
static void add_module(u32 start, u32 end, u32 cmd)
{
	const char *s = cmd ? (const char *)(uintptr_t)cmd : "";
	const char *w = s, *name, *e;
	size_t n;

	if (nr_mods == VM_MAX_BOOT_MODULES) {
		pr_warn("multiboot: more than %d modules: ignoring '%s'\n", VM_MAX_BOOT_MODULES, s);
		return;
	}
	for (e = s + strlen(s); e > s && e[-1] == ' '; e--)
		;
	for (const char *p = s; p < e; p++)
		if (*p == ' ')
			w = p + 1;
	name = w;
	for (const char *p = w; p < e; p++)
		if (*p == '/')
			name = p + 1;
	n = MIN((size_t)(e - name), sizeof(mods[0].name) - 1);
	memcpy(mods[nr_mods].name, name, n);
	mods[nr_mods].name[n] = 0;
	mods[nr_mods].addr = start;
	mods[nr_mods].size = end - start;
	pr_info("multiboot: module '%s' at %#x, %u bytes\n", mods[nr_mods].name, start, end - start);
	nr_mods++;
}

#define VM_CONFIG_MODULE	"vms.dtb"

void multiboot_vm_config(void)
{
	for (unsigned int i = 0; i < nr_mods; i++) {
		if (!strcmp(mods[i].name, VM_CONFIG_MODULE)) {
			if (vm_config_from_module(mods, nr_mods,
						  (const void *)(uintptr_t)mods[i].addr) < 0)
				pr_err("VM config unusable: no VMs will start\n");
			return;
		}
	}
}

const char *multiboot_cmdline(void)
{
	return cmdline;
}

static u64 c_strlen_pa(u32 pa)
{
	const char *s = (const char *)(uintptr_t)pa;
	u64 n = 0;

	while (s[n] && n < PAGE_SIZE)
		n++;
	return n + 1;
}

void multiboot_parse(u32 magic, u32 mbi_pa)
{
	const struct multiboot_info *mbi = (const void *)(uintptr_t)mbi_pa;
	u32 off;

	if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
		panic("not started by a multiboot loader (EAX %#x)", magic);
	if (!(mbi->flags & MB_INFO_MMAP))
		panic("multiboot: the loader gave no memory map (flags %#x)", mbi->flags);

	add_rsv(0, LOW_MEM_END);
	add_rsv((u64)(uintptr_t)__hyp_start, (u64)(__hyp_end - __hyp_start));
	add_rsv(mbi_pa, sizeof(*mbi));
	add_rsv(mbi->mmap_addr, mbi->mmap_length);
	if (mbi->flags & MB_INFO_CMDLINE) {
		/* Stays valid: its page is reserved. */
		cmdline = (const char *)(uintptr_t)mbi->cmdline;
		add_rsv(mbi->cmdline, c_strlen_pa(mbi->cmdline));
	}
	if (mbi->flags & MB_INFO_LOADER_NAME)
		add_rsv(mbi->boot_loader_name, c_strlen_pa(mbi->boot_loader_name));
	if (mbi->flags & MB_INFO_MODS && mbi->mods_count) {
		const struct multiboot_module *m = (const void *)(uintptr_t)mbi->mods_addr;
		u32 i;

		add_rsv(mbi->mods_addr, (u64)mbi->mods_count * sizeof(*m));
		for (i = 0; i < mbi->mods_count; i++) {
			add_rsv(m[i].start, m[i].end - m[i].start);
			if (m[i].end > m[i].start)
				add_module(m[i].start, m[i].end, m[i].cmdline);
			if (m[i].cmdline)
				add_rsv(m[i].cmdline, c_strlen_pa(m[i].cmdline));
		}
	}

	/* Each entry's size field does not count itself. */
	for (off = 0; off + sizeof(struct multiboot_mmap_entry) <= mbi->mmap_length;) {
		const struct multiboot_mmap_entry *e =
			(const void *)(uintptr_t)(mbi->mmap_addr + off);

		pr_info("e820: 0x%016llx-0x%016llx type %u\n", e->addr, e->addr + e->len, e->type);
		if (e->type == MB_MEMORY_AVAILABLE)
			add_mem(e->addr, e->len);
		off += e->size + 4;
	}
	if (!platform.nr_mem)
		panic("multiboot: no usable RAM above 1 MiB");
}
