/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 per-CPU state, reached through the GS base (IA32_GS_BASE points at the
 * CPU's struct x86_cpu). The core's struct percpu lives beside it.
 */
#ifndef X86_PERCPU_H
#define X86_PERCPU_H

#include <hyp/types.h>
#include <hyp/arch.h>
#include <x86/layout.h>
#include <x86/gdt.h>

struct x86_cpu {
	struct x86_cpu *self;		/* %gs:0 — for getting a pointer */
	unsigned int cpu;		/* %gs:8 — logical index */
	u32 apic_id;
	u64 stack_top;			/* top of the boot/idle stack */
	u64 gdt[GDT_ENTRIES] __aligned(16);
	struct x86_tss tss;
	/*
	 * Stage-2 shootdown (tlb.c): flushes owed before this CPU's next VM
	 * entry (one bit per VMID, or everything), set by any CPU; requests
	 * and acknowledgements counted; this CPU's batch as a shooter.
	 */
	u32 s2_flush_all;
	u64 s2_flush_vmids;
	u32 shoot_req;			/* bumped by shooters (atomic) */
	u32 shoot_ack;			/* = shoot_req seen by this CPU in host mode */
	u64 batch_cpus;			/* as a shooter: targets since the last sync */
	u64 batch_vmids;
	bool batch_all;
	u64 ipis_sent;			/* NMIs this CPU sent as a shooter */
	u64 acks_waited;		/* acknowledgements it waited for */
	u64 flushes_done;		/* TLB_CONTROL / INVEPT done at VM entry */
	u64 nmi_exits;			/* NMIs taken as VM exits (VMX) */
	bool in_guest_ops;		/* vCPU loop running here (diagnostics) */
	paddr_t s2_root;		/* what arch_s2_load() installed */
	u32 s2_vmid;
	bool svm_on;			/* EFER.SVME and VM_HSAVE_PA set */
	bool vmx_on;			/* VMXON done */
};

#define X86_CPU_OFF_CPU		8	/* checked by BUILD_BUG_ON in percpu.c */

extern struct x86_cpu x86_cpus[HYP_MAX_CPUS];
extern u8 hyp_stacks[HYP_MAX_CPUS][HYP_STACK_SIZE];

#ifdef X86_INSN_MODEL
/* The simulation (arch/sim/sim_x86.c): the simulated CPU this code runs on. */
struct x86_cpu *x86_model_this_cpu(void);
#define this_x86_cpu()	x86_model_this_cpu()
#else
static inline struct x86_cpu *this_x86_cpu(void)
{
	struct x86_cpu *c;

	__asm__ __volatile__("movq %%gs:0, %0" : "=r"(c));
	return c;
}
#endif

/* Point this CPU's GS base at x86_cpus[cpu] and record its APIC ID. */
void x86_percpu_init(unsigned int cpu, u32 apic_id);

#endif
