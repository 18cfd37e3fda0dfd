/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Forced into arch/arm64/tlb.c when ARCH=sim compiles it (arch/sim/arch.mk):
 * its arch.h functions get an a64_ prefix, so that host.c can run them on
 * the CPUs of cfg.insn_cpus and its own abstract versions elsewhere. The
 * file itself is compiled unchanged.
 */
#define arch_s2_inval_ipa	a64_s2_inval_ipa
#define arch_s2_inval_range	a64_s2_inval_range
#define arch_s2_inval_vmid	a64_s2_inval_vmid
#define arch_s2_inval_all	a64_s2_inval_all
#define arch_s2_inval_sync	a64_s2_inval_sync
#define arch_s2_has_range_inval	a64_s2_has_range_inval
#define arch_s2_load		a64_s2_load
