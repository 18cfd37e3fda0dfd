/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Link map: one identity-mapped image at HYP_LOAD_ADDR. Preprocessed by cpp
 * (arch.mk) for the constants in <x86/layout.h>.
 */
#include <x86/layout.h>

OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(_start32)

SECTIONS
{
	. = HYP_LOAD_ADDR;
	__hyp_start = .;

	.text : {
		KEEP(*(.multiboot))
		*(.text.boot32)
		*(.text .text.*)
	}
	. = ALIGN(4096);
	.rodata : {
		*(.rodata .rodata.*)
	}
	. = ALIGN(4096);
	.data : {
		*(.data .data.*)
	}
	. = ALIGN(4096);
	.bss : {
		__bss_start = .;
		*(.bss .bss.*)
		*(COMMON)
		__bss_end = .;
	}
	. = ALIGN(4096);
	__hyp_end = .;

	/DISCARD/ : {
		*(.eh_frame*)
		*(.note*)
		*(.comment)
	}
}
