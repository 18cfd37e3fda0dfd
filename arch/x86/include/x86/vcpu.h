/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 vCPUs: state shared by the SVM and VMX backends and the guest-facing
 * emulation both use (vcpu.c): the guest's initial long-mode page tables,
 * reading guest memory through its page tables, instruction lengths,
 * CPUID, MSRs, port I/O (COM1), hypercalls. doc/x86-virt.md.
 */
#ifndef X86_VCPU_H
#define X86_VCPU_H

#include <hyp/types.h>
#include <hyp/addr.h>
#include <hyp/vm/vm.h>

/* Guest GPRs in x86 register-number order (RSP and RAX live in the VMCB/VMCS). */
enum { GPR_RAX, GPR_RCX, GPR_RDX, GPR_RBX, GPR_RSP, GPR_RBP, GPR_RSI, GPR_RDI,
       GPR_R8, GPR_R9, GPR_R10, GPR_R11, GPR_R12, GPR_R13, GPR_R14, GPR_R15, GPR_NR };

struct x86_gprs {
	u64 r[GPR_NR];
};

struct x86_vcpu {
	struct x86_gprs g;
	struct vcpu *v;
	paddr_t vmcb;		/* SVM: the VMCB; VMX: the VMCS region */
	u64 entry, arg;		/* from arch_vcpu_init() */
	bool launched;		/* VMX: VMLAUNCH done on the current VMCS */
	bool set_cr2;		/* VMX: load cr2 before the next entry */
	u64 cr2;
	u64 exits;
	/* Stage-2 faults "resolved" at one GPA and RIP in a row (x86_fault_retried()). */
	u64 npf_gpa, npf_rip;
	u32 npf_same;
};

/*
 * The guest's boot page tables (doc/x86-virt.md): an identity map of IPA
 * 0..4 GiB (2 MiB pages, write-back, A/D preset) in X86_GUEST_PT_PAGES pages
 * the hypervisor fills at VM creation (arch_vm_init()) and maps at
 * X86_BOOT_PT_IPA: PML4, PDPT, 4 page directories. Every vCPU starts in
 * 64-bit mode with CR3 at the PML4. They are never rewritten while the VM
 * runs, and lie outside its RAM (no hypercall can unmap them): a guest that
 * switched to its own tables may do anything with its RAM and still start
 * vCPUs. X86_BOOT_PT_IPA is in the device window hyp/vm keeps free of RAM
 * (hyp/vm/vm.c VM_DEV_IPA 0x08000000 + 32 MiB; the UART page is at
 * 0x09000000), its last 64 KiB. doc/guest-memory.md.
 */
#define X86_GUEST_PT_PAGES	6
#define X86_BOOT_PT_IPA		0x09ff0000ULL

/* The guest's boot CR3: X86_BOOT_PT_IPA (vcpu.c). */
u64 x86_guest_cr3(const struct vm *vm);

/* Guest instructions the exit handlers skip (x86_insn_len). */
enum x86_insn { INSN_CPUID, INSN_RDMSR, INSN_WRMSR, INSN_VMMCALL, INSN_VMCALL, INSN_HLT };

/*
 * Length of the instruction at guest RIP @rip, which must be @want (with
 * any legacy/REX prefixes), read through the guest's page tables (@cr3,
 * @paging: CR0.PG). Return: 1..15, or a negative error (unreadable, or not
 * that instruction).
 */
int x86_insn_len(struct vcpu *v, u64 cr3, bool paging, u64 rip, enum x86_insn want);

/* CPUID as the guest sees it: the host's, minus VMX/SVM, APIC ID = vCPU index. */
void x86_emulate_cpuid(struct vcpu *v, u64 *rax, u64 *rbx, u64 *rcx, u64 *rdx);

/* Port I/O: COM1 (output to the VM's console line), others read all ones. */
/*
 * A stage-2 fault vm_stage2_abort() called resolved (retry): count it
 * against the last one; at 2^16 and every power of two after, the same GPA
 * and RIP in a row with no other exit between (but NMIs) is a vCPU making
 * no progress: a rate-limited warning with the VM's unflushed state (the
 * fuzz soak's hang, doc/fuzzing.md). Any other exit resets the count.
 */
void x86_fault_retried(struct x86_vcpu *c, u64 gpa, u64 rip, u64 err);
void x86_emulate_io(struct vcpu *v, u16 port, unsigned int size, bool in, u64 *val);

/* VMMCALL/VMCALL: SMCCC with a0..a7 = RAX RBX RCX RDX RSI RDI R8 R9. */
void x86_hypercall(struct vcpu *v, struct x86_gprs *g, u64 *rax);

/* Backends (svm.c, vmx.c) */
int svm_vcpu_init(struct x86_vcpu *c);
int svm_vcpu_run(struct x86_vcpu *c, struct arch_vcpu_exit *exit);
int vmx_vcpu_init(struct x86_vcpu *c);
int vmx_vcpu_run(struct x86_vcpu *c, struct arch_vcpu_exit *exit);
void vmx_vcpu_destroy(struct x86_vcpu *c);
/* NMI in host mode on a VMX CPU: flush what is owed for the loaded VMID now. */
void vmx_nmi_flush(void);

#endif
