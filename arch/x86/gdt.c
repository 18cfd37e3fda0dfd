// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU GDT with a TSS. Ring 0 only, so the TSS is there for its
 * interrupt stack table: #DF, NMI and #MC run on their own stacks, so that
 * a stack overflow is reported instead of triple-faulting.
 */
#include <hyp/types.h>
#include <x86/gdt.h>
#include <x86/layout.h>
#include <x86/percpu.h>

static u8 ist_stacks[HYP_MAX_CPUS][3][HYP_IST_STACK_SIZE] __aligned(16);

struct gdt_ptr {
	u16 limit;
	u64 base;
} __packed;

void x86_gdt_init(struct x86_cpu *c)
{
	u64 tss = (u64)(uintptr_t)&c->tss;
	u64 limit = sizeof(c->tss) - 1;
	struct gdt_ptr p = { sizeof(c->gdt) - 1, (u64)(uintptr_t)c->gdt };

	c->tss.ist[IST_DF - 1] = (u64)(uintptr_t)&ist_stacks[c->cpu][0][HYP_IST_STACK_SIZE];
	c->tss.ist[IST_NMI - 1] = (u64)(uintptr_t)&ist_stacks[c->cpu][1][HYP_IST_STACK_SIZE];
	c->tss.ist[IST_MC - 1] = (u64)(uintptr_t)&ist_stacks[c->cpu][2][HYP_IST_STACK_SIZE];
	c->tss.iomap_base = sizeof(c->tss);	/* no I/O bitmap */

	c->gdt[0] = 0;
	c->gdt[GDT_CS32 / 8] = 0x00cf9a000000ffffULL;
	c->gdt[GDT_CS64 / 8] = 0x00af9a000000ffffULL;
	c->gdt[GDT_DS / 8] = 0x00cf92000000ffffULL;
	/* 64-bit available TSS (type 9), present, 16 bytes over two slots. */
	c->gdt[GDT_TSS / 8] = (limit & 0xffff) | (tss & 0xffffff) << 16 |
			      0x89ULL << 40 | (limit >> 16 & 0xf) << 48 |
			      (tss >> 24 & 0xff) << 56;
	c->gdt[GDT_TSS / 8 + 1] = tss >> 32;

	__asm__ __volatile__(
		"lgdt %0\n\t"
		/* Reload CS through a far return, then the data segments. */
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movl %2, %%eax\n\t"
		"movw %%ax, %%ds\n\t"
		"movw %%ax, %%es\n\t"
		"movw %%ax, %%ss\n\t"
		"ltr %w3"
		: : "m"(p), "i"(GDT_CS64), "i"(GDT_DS), "r"(GDT_TSS)
		: "rax", "memory");
}
