/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixed x86 memory layout and segment selectors, shared by assembly and C.
 * See doc/boot-x86.md for the picture.
 */
#ifndef X86_LAYOUT_H
#define X86_LAYOUT_H

/*
 * Physical = virtual load address of the image: the first address above the
 * legacy 1 MiB area, where multiboot loaders expect kernels.
 */
#define HYP_LOAD_ADDR		0x100000

/*
 * Where the AP start-up code is copied (one page at most): below 1 MiB (SIPI
 * starts a CPU in real mode at vector << 12), above the IVT and BIOS data
 * area, below QEMU's multiboot information (0x9000) and GRUB's (>= 0x10000).
 * The copy is made after the multiboot information has been read anyway.
 */
#define TRAMPOLINE_BASE		0x8000
#define TRAMPOLINE_SIPI_VECTOR	(TRAMPOLINE_BASE >> 12)

/* The boot page tables identity-map this much with 2 MiB pages. */
#define IDMAP_GIB		4

#define HYP_STACK_SIZE		0x4000	/* per CPU: the boot/idle stack */
#define HYP_IST_STACK_SIZE	0x1000	/* per CPU: #DF, NMI, #MC */

/* GDT layout (same in the boot GDT and in every per-CPU GDT). */
#define GDT_CS32		0x08	/* only used on the way to long mode */
#define GDT_CS64		0x10
#define GDT_DS			0x18
#define GDT_TSS			0x20	/* 16-byte descriptor, two slots */
#define GDT_ENTRIES		6

/* Interrupt-stack-table slots (TSS.IST1..). */
#define IST_DF			1
#define IST_NMI			2
#define IST_MC			3

#endif
