/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Forced into arch/x86/tlb.c when ARCH=sim compiles it (arch/sim/arch.mk):
 * its arch.h functions get an x86_s2_ prefix; host.c runs them on the x86
 * CPUs of cfg.insn_cpus (the shootdown protocol against sim_x86.c).
 */
#define arch_s2_inval_ipa	x86_s2_inval_ipa
#define arch_s2_inval_range	x86_s2_inval_range
#define arch_s2_inval_vmid	x86_s2_inval_vmid
#define arch_s2_inval_all	x86_s2_inval_all
#define arch_s2_inval_sync	x86_s2_inval_sync
#define arch_s2_has_range_inval	x86_s2_has_range_inval
#define arch_s2_load		x86_s2_load
#define arch_vcpu_kick		x86_s2_vcpu_kick
