// SPDX-License-Identifier: GPL-2.0
/*
 * Backtrace by walking the rbp chain: each frame holds [saved rbp, return
 * address]. Only frames inside the image (stacks are in its .bss) are
 * followed, and each must be above the last, so a corrupt chain ends the
 * walk instead of faulting. Symbolise with addr2line -e build/x86/hyp64.elf.
 */
#include <hyp/types.h>
#include <hyp/arch.h>
#include <hyp/console.h>
#include <x86/asm.h>
#include <x86/backtrace.h>
#include <x86/setup.h>

#define BT_MAX_FRAMES	32

void x86_backtrace_from(u64 rbp)
{
	u64 lo = (u64)(uintptr_t)__hyp_start, hi = (u64)(uintptr_t)__hyp_end;
	unsigned int n;

	for (n = 0; n < BT_MAX_FRAMES; n++) {
		const u64 *frame = (const u64 *)(uintptr_t)rbp;

		if (rbp < lo || rbp + 16 > hi || !IS_ALIGNED(rbp, 8))
			break;
		if (!frame[1])
			break;
		hyp_printf("  [<%016llx>]\n", frame[1]);
		if (frame[0] <= rbp)
			break;
		rbp = frame[0];
	}
}

void arch_dump_backtrace(void)
{
	hyp_printf("Backtrace:\n");
	x86_backtrace_from(read_rbp());
}
