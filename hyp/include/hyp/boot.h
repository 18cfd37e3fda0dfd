/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry points of the architecture-neutral bring-up (hyp/main.c), called
 * by arch entry code. See doc/architecture.md for the boot flow.
 */
#ifndef HYP_BOOT_H
#define HYP_BOOT_H

#include <hyp/types.h>

/* arm64: DTB -> platform, page allocator, banner. */
void hyp_init(const void *dtb);
/* x86 (after filling `platform`): page allocator over platform.mem. */
void hyp_init_memory(void);
void hyp_print_banner(void);
/* A secondary CPU, on its own stack with its MMU on: never returns. */
__noreturn void hyp_secondary_main(unsigned int cpu);
/* The boot CPU once the secondaries were started: never returns. */
__noreturn void hyp_main(void);

#endif
