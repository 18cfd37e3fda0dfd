/* SPDX-License-Identifier: GPL-2.0 */
/* Per-CPU GDT and TSS (the TSS exists only for its interrupt stack table). */
#ifndef X86_GDT_H
#define X86_GDT_H

#include <hyp/types.h>

struct x86_tss {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __packed;

struct x86_cpu;

/* Load the per-CPU GDT (with its TSS, IST stacks set up) into this CPU. */
void x86_gdt_init(struct x86_cpu *c);

#endif
