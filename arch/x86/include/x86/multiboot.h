/* SPDX-License-Identifier: GPL-2.0 */
/* Multiboot (v1) information structure, as far as we read it. */
#ifndef X86_MULTIBOOT_H
#define X86_MULTIBOOT_H

#define MULTIBOOT_HEADER_MAGIC		0x1badb002
#define MULTIBOOT_BOOTLOADER_MAGIC	0x2badb002
#define MB_HDR_PAGE_ALIGN		(1u << 0)
#define MB_HDR_MEMORY_INFO		(1u << 1)

#ifndef __ASSEMBLY__
#include <hyp/types.h>

#define MB_INFO_MEM		(1u << 0)
#define MB_INFO_CMDLINE		(1u << 2)
#define MB_INFO_MODS		(1u << 3)
#define MB_INFO_MMAP		(1u << 6)
#define MB_INFO_LOADER_NAME	(1u << 9)

struct multiboot_info {
	u32 flags;
	u32 mem_lower, mem_upper;
	u32 boot_device;
	u32 cmdline;
	u32 mods_count, mods_addr;
	u32 syms[4];
	u32 mmap_length, mmap_addr;
	u32 drives_length, drives_addr;
	u32 config_table;
	u32 boot_loader_name;
} __packed;

struct multiboot_mmap_entry {
	u32 size;		/* of the rest of the entry */
	u64 addr;
	u64 len;
	u32 type;
} __packed;

struct multiboot_module {
	u32 start, end;
	u32 cmdline;
	u32 reserved;
} __packed;

#define MB_MEMORY_AVAILABLE	1

/*
 * Fill platform.mem (RAM above 1 MiB, below the identity map's end) and
 * platform.rsv (image, low 1 MiB, multiboot structures) from the loader's
 * information. Panics if the loader is not multiboot.
 */
void multiboot_parse(u32 magic, u32 mbi_pa);

/* The kernel command line ("" if none); valid after multiboot_parse(). */
const char *multiboot_cmdline(void);
/* Hand the VM config module ("vms.dtb") and the module list to hyp/vm. */
void multiboot_vm_config(void);
#endif

#endif
