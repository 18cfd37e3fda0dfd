/* SPDX-License-Identifier: GPL-2.0 */
/* DC ZVA page zeroing (arch/arm64/clear_page.c). */
#ifndef ARM64_CLEAR_PAGE_H
#define ARM64_CLEAR_PAGE_H

/* Read DCZID_EL0; call once the EL2 stage 1 maps RAM Normal (after arm64_mmu_enable()). */
void arm64_clear_page_init(void);
/* The DC ZVA block in bytes, or 0 when pages are zeroed with plain stores. */
unsigned int arm64_zva_bytes(void);

#endif
