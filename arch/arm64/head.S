/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry points: the arm64 Image header (so U-Boot's booti and QEMU's -kernel
 * start us), the boot CPU's entry and the secondaries' PSCI CPU_ON entry.
 *
 * Boot protocol (Linux Documentation/arch/arm64/booting.rst, which both
 * loaders follow): x0 = physical address of the DTB, MMU off, D-cache off,
 * interrupts masked, at EL2 (or EL1, which we refuse). We are loaded at any
 * 2 MiB-aligned address (flags bit 3), so the image is linked position-
 * independently (-pie) and applies its own R_AARCH64_RELATIVE relocations
 * before any C runs. Code uses only PC-relative addressing (adrp/adr).
 */
#include <arm64/cpu.h>

#define R_AARCH64_RELATIVE	1027
/* SCTLR_EL2 RES1 bits (ARMv8.0 non-VHE layout) plus SA: MMU and caches off. */
#define SCTLR_EL2_MMU_OFF	(0x30c50830 | (1 << 3))
/* HCR_EL2: RW (lower EL is AArch64), nothing trapped, stage 2 off. */
#define HCR_EL2_BOOT		(1 << 31)

	.section .head.text, "ax"
	.globl _start
_start:
	b	primary_entry			/* code0 */
	nop					/* code1 */
	.quad	0				/* text_offset */
	.quad	_hyp_image_size			/* image_size, incl. bss */
	.quad	0xa				/* LE, 4K pages, anywhere in RAM */
	.quad	0, 0, 0				/* res2..res4 */
	.ascii	"ARM\x64"			/* magic */
	.long	0				/* res5 (no PE/COFF header) */

	.text
primary_entry:
	msr	daifset, #0xf
	mov	x19, x0				/* DTB */
	mrs	x20, CurrentEL
	ubfx	x20, x20, #2, #2
	cmp	x20, #2
	b.ne	1f
	/* Known SCTLR_EL2 before anything else: MMU/D-cache off, little endian. */
	ldr	x0, =SCTLR_EL2_MMU_OFF
	msr	sctlr_el2, x0
	/* nVHE (E2H=0) so that TCR_EL2/SCTLR_EL2 have the layout we program. */
	mov	x0, #HCR_EL2_BOOT
	msr	hcr_el2, x0
	isb
1:
	/* Zero .bss with the MMU off: stores go straight to memory. First,
	 * because apply_relocations records hyp_load_offset in .bss. */
	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, __bss_end
	add	x1, x1, :lo12:__bss_end
2:	cmp	x0, x1
	b.hs	3f
	stp	xzr, xzr, [x0], #16
	b	2b
3:	bl	apply_relocations		/* .bss holds no relocation targets */
	adrp	x0, boot_el
	str	x20, [x0, :lo12:boot_el]
	/* Boot CPU's stack: top of slot 0. */
	adrp	x0, hyp_stacks
	add	x0, x0, :lo12:hyp_stacks
	add	x0, x0, #STACK_SLOT
	mov	sp, x0
	cmp	x20, #2
	b.ne	4f				/* EL1: C prints the refusal */
	adrp	x0, arm64_cpus			/* CPU 0's struct arm64_cpu */
	add	x0, x0, :lo12:arm64_cpus
	msr	tpidr_el2, x0
	adrp	x0, hyp_vectors
	add	x0, x0, :lo12:hyp_vectors
	msr	vbar_el2, x0
	isb
4:	mov	x29, xzr			/* terminate frame-pointer walks */
	mov	x30, xzr
	mov	x0, x19
	bl	arm64_boot_main
	b	.

/*
 * Apply R_AARCH64_RELATIVE entries: *(P + delta) = addend + delta, where
 * delta = runtime address - link address. Clobbers x0-x6.
 */
apply_relocations:
	adrp	x0, _start
	add	x0, x0, :lo12:_start
	ldr	x1, =_hyp_link_base		/* absolute: not relocated */
	sub	x6, x0, x1			/* delta */
	adrp	x2, hyp_load_offset
	str	x6, [x2, :lo12:hyp_load_offset]
	adrp	x2, __rela_start
	add	x2, x2, :lo12:__rela_start
	adrp	x3, __rela_end
	add	x3, x3, :lo12:__rela_end
1:	cmp	x2, x3
	b.hs	3f
	ldp	x4, x5, [x2], #24		/* r_offset, r_info */
	cmp	x5, #R_AARCH64_RELATIVE
	b.ne	2f				/* only RELATIVE is emitted (checked at link) */
	ldur	x5, [x2, #-8]			/* r_addend */
	add	x5, x5, x6
	str	x5, [x4, x6]
2:	b	1b
3:	ret

/*
 * PSCI CPU_ON lands here: x0 = logical CPU number (context_id), MMU off,
 * at EL2. Turn the MMU on first, using only registers, so that every
 * memory access this CPU makes afterwards is cacheable and coherent with
 * what the boot CPU wrote (rule: no non-cacheable writes to shared data).
 */
	.globl secondary_entry
secondary_entry:
	msr	daifset, #0xf
	mov	x19, x0
	ldr	x0, =SCTLR_EL2_MMU_OFF
	msr	sctlr_el2, x0
	mov	x0, #HCR_EL2_BOOT
	msr	hcr_el2, x0
	/* TPIDR_EL2 = &arm64_cpus[cpu], SP = top of this CPU's stack slot:
	 * computed, not loaded, and set before VBAR_EL2 (vectors.S uses both). */
	adrp	x0, arm64_cpus
	add	x0, x0, :lo12:arm64_cpus
	mov	x1, #ARM64_CPU_SIZE
	madd	x0, x19, x1, x0
	msr	tpidr_el2, x0
	adrp	x0, hyp_stacks
	add	x0, x0, :lo12:hyp_stacks
	mov	x1, #STACK_SLOT
	madd	x0, x19, x1, x0
	add	x0, x0, x1
	mov	sp, x0
	adrp	x0, hyp_vectors
	add	x0, x0, :lo12:hyp_vectors
	msr	vbar_el2, x0
	isb
	adrp	x0, mmu_boot_cfg		/* cleaned to PoC by the boot CPU */
	add	x0, x0, :lo12:mmu_boot_cfg
	bl	arm64_mmu_enable		/* no stack, no other memory access */
	mov	x29, xzr
	mov	x30, xzr
	mov	x0, x19
	bl	arm64_secondary_main
	b	.

/*
 * void arm64_inval_image_dcache(void)
 * Boot CPU only, MMU off, before its first arm64_mmu_enable(): everything
 * written so far (relocations, .bss, page tables) went to memory; discard
 * whatever older copies of the image the caches may hold (e.g. from the
 * loader) so that the cacheable view after the switch equals memory.
 * Never on a secondary: DC IVAC is broadcast and would discard the boot
 * CPU's dirty lines of .data/.bss.
 */
	.globl arm64_inval_image_dcache
arm64_inval_image_dcache:
	adrp	x4, __hyp_start
	add	x4, x4, :lo12:__hyp_start
	adrp	x5, __hyp_end
	add	x5, x5, :lo12:__hyp_end
	mrs	x6, ctr_el0
	ubfx	x6, x6, #16, #4			/* DminLine: log2(words) */
	mov	x7, #4
	lsl	x7, x7, x6			/* line size in bytes */
	sub	x6, x7, #1
	bic	x4, x4, x6
1:	dc	ivac, x4
	add	x4, x4, x7
	cmp	x4, x5
	b.lo	1b
	dsb	sy
	ret

/*
 * void arm64_mmu_enable(const struct mmu_boot_cfg *cfg)
 * Called with the MMU off; uses x0-x3 only and no stack.
 */
	.globl arm64_mmu_enable
arm64_mmu_enable:
	ldp	x1, x2, [x0]			/* ttbr, tcr */
	ldr	x3, [x0, #16]			/* mair */
	msr	mair_el2, x3
	msr	tcr_el2, x2
	msr	ttbr0_el2, x1
	isb
	tlbi	alle2				/* nothing cached from a previous owner */
	dsb	nsh
	isb
	ldr	x1, =SCTLR_EL2_MMU_OFF | (1 << 0) | (1 << 2) | (1 << 12) | (1 << 19)
	msr	sctlr_el2, x1			/* M, C, I, WXN */
	isb
	ic	iallu
	dsb	nsh
	isb
	ret

	.ltorg
