// SPDX-License-Identifier: GPL-2.0
/*
 * Frame-pointer backtrace. Everything is built with -fno-omit-frame-pointer,
 * so x29 points at a {previous x29, return address} record on the stack.
 * The walk only follows records inside a hypervisor stack (so a corrupted
 * x29 cannot fault) and stops at the zero frame head.S plants.
 */
#include <hyp/arch.h>
#include <hyp/console.h>
#include <arm64/cpu.h>
#include <arm64/layout.h>
#include <arm64/traps.h>

#define BT_MAX_DEPTH	32

/* A CPU's stack or its overflow stack (vectors.S). */
static bool on_a_stack(u64 fp)
{
	for (unsigned int i = 0; i < HYP_MAX_CPUS; i++) {
		u64 ovf = arm64_cpus[i].ovf_top;

		if (fp >= stack_lo(i) && fp + 16 <= stack_hi(i))
			return true;
		if (fp >= ovf - OVF_STACK_SIZE && fp + 16 <= ovf)
			return true;
	}
	return false;
}

static void print_pc(unsigned int n, u64 pc)
{
	/* Link addresses are what addr2line -e build/arm64/hyp.elf wants. */
	hyp_printf("  #%-2u %016llx  (link %016llx)%s\n", n, pc, pc - (u64)hyp_load_offset,
		   pc >= (uintptr_t)__text_start && pc < (uintptr_t)__text_end ? "" :
		   "  <outside hyp text>");
}

void backtrace_from(u64 fp, u64 pc)
{
	unsigned int n = 0;

	hyp_printf("  (symbols: addr2line -fe build/arm64/hyp.elf <link address>)\n");
	print_pc(n++, pc);
	while (fp && n < BT_MAX_DEPTH) {
		const u64 *rec;

		if (!IS_ALIGNED(fp, 16) || !on_a_stack(fp)) {
			hyp_printf("  (frame pointer %016llx is not on a stack: stop)\n", fp);
			return;
		}
		rec = (const u64 *)(uintptr_t)fp;
		if (!rec[1])
			break;
		/* The return address points after the call: show the call. */
		print_pc(n++, rec[1] - 4);
		if (rec[0] && rec[0] <= fp) {
			hyp_printf("  (frame pointer does not grow: stop)\n");
			return;
		}
		fp = rec[0];
	}
}

void arch_dump_backtrace(void)
{
	/* #0 is this function; the walk then shows each caller's call site. */
	backtrace_from((u64)(uintptr_t)__builtin_frame_address(0),
		       (u64)(uintptr_t)arch_dump_backtrace);
	barrier();	/* no tail call: our frame record must outlive the walk */
}
