/* SPDX-License-Identifier: GPL-2.0 */
/* Symbols defined by the linker script (arch/arm64/hyp.lds). */
#ifndef ARM64_LAYOUT_H
#define ARM64_LAYOUT_H

extern char __hyp_start[], __hyp_end[];
extern char __text_start[], __text_end[];
extern char __rodata_start[], __rodata_end[];
extern char __data_start[], __data_end[];
extern char __bss_start[], __bss_end[];
extern char __stacks_start[], __stacks_end[];

#endif
