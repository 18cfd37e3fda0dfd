// SPDX-License-Identifier: GPL-2.0
/*
 * The arch interface (hyp/include/hyp/arch.h) for the host build. Outside a
 * simulation run (plain unit tests) it behaves as one CPU with nothing
 * cached: scheduling points are no-ops and invalidations complete at once.
 * Inside sim_run() every call goes to the machine model (sim_*.c).
 */
#include <hyp/arch.h>
#include "sim_internal.h"
#include "sim_arm64.h"

/* arch/x86/tlb.c, compiled for the simulation (x86_names.h). */
void x86_s2_inval_ipa(const struct arch_s2_tlb_ctx *ctx, ipaddr_t ipa, int level,
		      bool leaf_only);
bool x86_s2_inval_range(const struct arch_s2_tlb_ctx *ctx, ipaddr_t start, u64 size,
			bool leaf_only);
void x86_s2_inval_vmid(const struct arch_s2_tlb_ctx *ctx);
void x86_s2_inval_all(void);
void x86_s2_inval_sync(const struct arch_s2_tlb_ctx *ctx);
void x86_s2_load(const struct arch_s2_tlb_ctx *ctx);
#include <stdio.h>
#include <stdlib.h>

uintptr_t hyp_phys_virt_offset;

unsigned int arch_cpu_id(void)
{
	return sim_this_cpu < 0 ? 0 : (unsigned int)sim_this_cpu;
}

/* Spinning: hand the baton to another simulated CPU (the lock holder). */
void arch_cpu_relax(void)
{
	sim_sched(true);
}

/*
 * Simulated time: advances a fixed 1000 "ns" per call, so a spin delay of
 * N us is N calls (each an arch_cpu_relax(): a CPU switch in a simulation
 * run) and the simulation stays deterministic.
 */
u64 arch_counter_ns(void)
{
	static u64 now;

	return __atomic_add_fetch(&now, 1000, __ATOMIC_RELAXED);
}

void arch_cpu_halt(void)
{
	fflush(stdout);
	if (sim.running)
		sim_violation("PANIC", 0, ~0ULL, 0, "a simulated CPU halted (panic or BUG_ON)");
	abort();
}

void arch_stop_other_cpus(void) { }

void arch_system_off(int status)
{
	fflush(stdout);
	exit(status);
}

/* Interrupt masking is per simulated CPU: x86 shootdown IPIs wait for it. */
unsigned long arch_irq_save(void)
{
	struct sim_cpu *c = sim_cur();
	unsigned long old = c->irq_masked;

	c->irq_masked = true;
	return old;
}

void arch_irq_restore(unsigned long flags)
{
	sim_cur()->irq_masked = flags != 0;
}

__attribute__((weak)) void arch_console_putc(char c) { fputc(c, stdout); }
void arch_dump_backtrace(void) { }
__attribute__((weak)) void arch_banner(void) { fputs("hyp: host simulation (arch/sim)\n", stdout); }
void arch_smp_mb(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }

/* ---- stage-2 TLB maintenance ------------------------------------------------
 * On a CPU in cfg.insn_cpus (arm64): arch/arm64/tlb.c itself (compiled as
 * a64_s2_*(), arch/sim/arm64_names.h) against the instruction model
 * (sim_arm64.c), and after each call a check of the registers it must leave
 * behind. Elsewhere: the abstract model's invalidation queue.
 */

#ifndef SIM_BENCH	/* make bench: the product's no-op (hyp/arch.h) */
void arch_sched_point(void)
{
	/* A3: hyp/mm writes a descriptor after each scheduling point (s2_set). */
	if (sim_insn_cpu())
		sim_cur()->a64_unordered_writes = true;
	sim_sched(false);
}
#endif

void arch_s2_inval_ipa(const struct arch_s2_tlb_ctx *ctx, ipaddr_t ipa, int level,
		       bool leaf_only)
{
	if (sim_x86_insn_cpu()) {
		x86_s2_inval_ipa(ctx, ipa, level, leaf_only);
		return;
	}
	if (sim_insn_cpu()) {
		struct a64_regs regs = a64_regs_before();

		a64_s2_inval_ipa(ctx, ipa, level, leaf_only);
		a64_regs_after(regs, "arch_s2_inval_ipa");
		return;
	}
	sim_sched(false);
	sim_inval_issue(INV_IPA, ctx, ipa_addr(ipa) & ~(PAGE_SIZE - 1), PAGE_SIZE, level,
			leaf_only, 0);
	sim_sched(false);
}

bool arch_s2_inval_range(const struct arch_s2_tlb_ctx *ctx, ipaddr_t start, u64 size,
			 bool leaf_only)
{
	if (sim_x86_insn_cpu())
		return x86_s2_inval_range(ctx, start, size, leaf_only);
	if (sim_insn_cpu()) {
		struct a64_regs regs = a64_regs_before();
		bool ret = a64_s2_inval_range(ctx, start, size, leaf_only);

		a64_regs_after(regs, "arch_s2_inval_range");
		return ret;
	}
	if (!arch_s2_has_range_inval())
		return false;
	sim_sched(false);
	sim_inval_issue(INV_RANGE, ctx, ipa_addr(start), size, -1, leaf_only, 0);
	sim_sched(false);
	return true;
}

void arch_s2_inval_vmid(const struct arch_s2_tlb_ctx *ctx)
{
	if (sim_x86_insn_cpu()) {
		x86_s2_inval_vmid(ctx);
		return;
	}
	if (sim_insn_cpu()) {
		struct a64_regs regs = a64_regs_before();

		a64_s2_inval_vmid(ctx);
		a64_regs_after(regs, "arch_s2_inval_vmid");
		return;
	}
	sim_sched(false);
	sim_inval_issue(INV_VMID, ctx, 0, 0, -1, false, 0);
	sim_sched(false);
}

void arch_s2_inval_all(void)
{
	if (sim_x86_insn_cpu()) {
		x86_s2_inval_all();
		return;
	}
	if (sim_insn_cpu()) {
		a64_s2_inval_all();
		return;
	}
	sim_sched(false);
	sim_inval_issue(INV_ALL, NULL, 0, 0, -1, false, 0);
	sim_sched(false);
}

void arch_s2_inval_sync(const struct arch_s2_tlb_ctx *ctx)
{
	if (sim_x86_insn_cpu()) {
		x86_s2_inval_sync(ctx);
		return;
	}
	if (sim_insn_cpu()) {
		a64_s2_inval_sync(ctx);
		return;
	}
	(void)ctx;
	sim_inval_sync();
}

/* arm64 with FEAT_TLBIRANGE; x86 has no range INVEPT. */
bool sim_has_range = true;

bool arch_s2_has_range_inval(void)
{
	return sim_has_range && sim.cfg.flavour == SIM_ARM64;
}

void arch_s2_load(const struct arch_s2_tlb_ctx *ctx)
{
	sim_sched(false);
	if (sim_insn_cpu()) {
		a64_s2_load(ctx);
		a64_check_loaded(ctx);
	}
	if (sim_x86_insn_cpu())
		x86_s2_load(ctx);
	sim_load(ctx);
	sim_sched(false);
}
