/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multiboot (v1) header. The linker script puts it first in the image, so it
 * lies within the first 8 KiB of the ELF32 file that loaders read. No a.out
 * kludge: the ELF32 program headers give the load addresses (see
 * doc/boot-x86.md for why the image is converted to ELF32).
 */
#include <x86/multiboot.h>

#define MB_FLAGS	(MB_HDR_PAGE_ALIGN | MB_HDR_MEMORY_INFO)

	.section .multiboot, "a"
	.balign 4
	.long MULTIBOOT_HEADER_MAGIC
	.long MB_FLAGS
	.long -(MULTIBOOT_HEADER_MAGIC + MB_FLAGS)
