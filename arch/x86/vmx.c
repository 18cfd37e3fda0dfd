// SPDX-License-Identifier: GPL-2.0
/*
 * The VMX backend (Intel SDM Vol. 3C; doc/x86-virt.md): VMXON per CPU, one
 * VMCS per vCPU, EPT with hyp/mm's EPT tables (EPTP = the VM's root, 4-level
 * walk, write-back, A/D if the CPU has them), a VPID per vCPU, INVEPT for the
 * flushes tlb.c says are owed, and the exit handler: EPT violation and
 * misconfiguration, CPUID, RDMSR/WRMSR, I/O, VMCALL, HLT, triple fault.
 *
 * The guest starts like under SVM (64-bit mode, identity map in its RAM,
 * RDI = argument). Intercepted: NMIs (the shootdown kick), external
 * interrupts, HLT, every I/O port (unconditional I/O exiting) and MSR (no
 * MSR bitmap), CPUID and VMX instructions (always).
 *
 * NMIs: with "NMI exiting" an NMI in guest mode is a VM exit and is not
 * delivered; the exit handler runs the shootdown acknowledgement itself. An
 * NMI taken in host mode between the owed-flush check and VM entry is
 * handled by x86_shootdown_nmi(), which on a VMX CPU flushes there and then
 * (vmx_nmi_flush): VMX has no GIF to hold it off.
 */
#include <hyp/atomic.h>
#include <hyp/console.h>
#include <hyp/inject.h>
#include <hyp/palloc.h>
#include <hyp/string.h>
#include <hyp/vm/vm_warn.h>
#include <x86/asm.h>
#include <x86/layout.h>
#include <x86/percpu.h>
#include <x86/tlb.h>
#include <x86/traps.h>
#include <x86/vcpu.h>
#include <x86/virt.h>
#include <x86/virt_caps.h>

/* VMCS field encodings (SDM Vol. 3D, App. B) */
#define VPID			0x0000
#define GUEST_ES_SEL		0x0800	/* ES CS SS DS FS GS LDTR TR: +2 each */
#define HOST_ES_SEL		0x0c00	/* ES CS SS DS FS GS TR */
#define GUEST_PHYS_ADDR		0x2400
#define VMCS_LINK		0x2800
#define GUEST_PAT		0x2804
#define GUEST_EFER		0x2806
#define HOST_PAT		0x2c00
#define HOST_EFER		0x2c02
#define PIN_CTLS		0x4000
#define PROC_CTLS		0x4002
#define EXC_BITMAP		0x4004
#define EXIT_CTLS		0x400c
#define ENTRY_CTLS		0x4012
#define ENTRY_INTR_INFO		0x4016
#define ENTRY_EXC_ERR		0x4018
#define PROC_CTLS2		0x401e
#define VM_INSN_ERROR		0x4400
#define EXIT_REASON		0x4402
#define EXIT_INTR_INFO		0x4404
#define EXIT_INSN_LEN		0x440c
#define GUEST_ES_LIMIT		0x4800	/* ... +2 each, GDTR 0x4810, IDTR 0x4812 */
#define GUEST_ES_AR		0x4814	/* ... +2 each (ES..TR) */
#define GUEST_INTERRUPTIBILITY	0x4824
#define GUEST_ACTIVITY		0x4826
#define GUEST_BLOCKED_BY_NMI	BIT(3)	/* in GUEST_INTERRUPTIBILITY */
#define CR0_MASK		0x6000
#define CR4_MASK		0x6002
#define CR0_SHADOW		0x6004
#define CR4_SHADOW		0x6006
#define EXIT_QUAL		0x6400
#define GUEST_CR0		0x6800
#define GUEST_CR3		0x6802
#define GUEST_CR4		0x6804
#define GUEST_ES_BASE		0x6806	/* ... +2 each, GDTR 0x6816, IDTR 0x6818 */
#define GUEST_DR7		0x681a
#define GUEST_RSP		0x681c
#define GUEST_RIP		0x681e
#define GUEST_RFLAGS		0x6820
#define HOST_CR0		0x6c00
#define HOST_CR3		0x6c02
#define HOST_CR4		0x6c04
#define HOST_FS_BASE		0x6c06
#define HOST_GS_BASE		0x6c08
#define HOST_TR_BASE		0x6c0a
#define HOST_GDTR_BASE		0x6c0c
#define HOST_IDTR_BASE		0x6c0e
#define HOST_RIP		0x6c16

/* Segment order of the guest fields */
enum { S_ES, S_CS, S_SS, S_DS, S_FS, S_GS, S_LDTR, S_TR };

/* Control MSRs and bits */
#define MSR_VMX_PINBASED	0x481
#define MSR_VMX_EXIT		0x483
#define MSR_VMX_ENTRY		0x484
#define MSR_VMX_CR0_FIXED0	0x486
#define MSR_VMX_CR0_FIXED1	0x487
#define MSR_VMX_CR4_FIXED0	0x488
#define MSR_VMX_CR4_FIXED1	0x489
#define MSR_VMX_TRUE_PINBASED	0x48d
#define MSR_VMX_TRUE_EXIT	0x48f
#define MSR_VMX_TRUE_ENTRY	0x490
#define VMX_BASIC_TRUE_CTLS	BIT(55)
#define PIN_EXT_INTR		BIT(0)
#define PIN_NMI			BIT(3)
#define PROC_HLT		BIT(7)
#define PROC_UNCOND_IO		BIT(24)
#define PROC_SECONDARY		BIT(31)
#define PROC2_EPT		BIT(1)
#define PROC2_VPID		BIT(5)
#define EXIT_HOST_64		BIT(9)
#define EXIT_SAVE_PAT		BIT(18)
#define EXIT_LOAD_PAT		BIT(19)
#define EXIT_SAVE_EFER		BIT(20)
#define EXIT_LOAD_EFER		BIT(21)
#define ENTRY_GUEST_64		BIT(9)
#define ENTRY_LOAD_PAT		BIT(14)
#define ENTRY_LOAD_EFER		BIT(15)

/* Exit reasons */
#define EXIT_EXC_NMI		0
#define EXIT_EXT_INTR		1
#define EXIT_TRIPLE_FAULT	2
#define EXIT_CPUID		10
#define EXIT_HLT		12
#define EXIT_VMCALL		18
#define EXIT_IO			30
#define EXIT_RDMSR		31
#define EXIT_WRMSR		32
#define EXIT_BAD_GUEST		33
#define EXIT_EPT_VIOLATION	48
#define EXIT_EPT_MISCONFIG	49

#define EFER_LME		BIT(8)
#define EFER_LMA		BIT(10)
#define EFER_NXE		BIT(11)
#define EFER_SCE		BIT(0)
#define CR0_GUEST		0x80010031ULL	/* PG WP NE ET PE */
#define PAT_DEFAULT		0x0007040600070406ULL
#define MSR_PAT_NR		0x277
#define MSR_TSC_NR		0x10
#define MSR_APIC_BASE_NR	0x1b
#define VEC_UD			6
#define VEC_GP			13

static u8 vmxon_region[HYP_MAX_CPUS][PAGE_SIZE] __aligned(PAGE_SIZE);

extern const u8 vmx_exit[];
int vmx_run(struct x86_gprs *g, int launched);

/* ---- instructions ------------------------------------------------------------ */

static bool vmwrite(u64 field, u64 v)
{
	bool fail;

	__asm__ __volatile__("vmwrite %2, %1; setna %0" : "=q"(fail) : "r"(field), "rm"(v)
			     : "cc", "memory");
	return !fail;
}

static u64 vmread(u64 field)
{
	u64 v = 0;

	__asm__ __volatile__("vmread %1, %0" : "=rm"(v) : "r"(field) : "cc");
	return v;
}

static bool vmptrld(u64 pa)
{
	bool fail;

	__asm__ __volatile__("vmptrld %1; setna %0" : "=q"(fail) : "m"(pa) : "cc", "memory");
	return !fail;
}

static bool vmclear(u64 pa)
{
	bool fail;

	__asm__ __volatile__("vmclear %1; setna %0" : "=q"(fail) : "m"(pa) : "cc", "memory");
	return !fail;
}

/* ---- per CPU ------------------------------------------------------------------- */

static u64 adjust(u32 msr, u32 true_msr, u64 want)
{
	u64 basic = rdmsr(MSR_IA32_VMX_BASIC);
	u64 caps = rdmsr((basic & VMX_BASIC_TRUE_CTLS) ? true_msr : msr);

	return (want | (u32)caps) & (caps >> 32);
}

static int vmx_cpu_on(struct x86_cpu *cpu)
{
	u64 fc, cr0, cr4, pa = (u64)(uintptr_t)vmxon_region[cpu->cpu];
	bool fail;

	if (cpu->vmx_on)
		return 0;
	if (!rdmsr_safe(MSR_IA32_FEATURE_CONTROL, &fc))
		fc = 0;
	if (!(fc & FC_LOCKED))
		wrmsr(MSR_IA32_FEATURE_CONTROL, fc | FC_LOCKED | FC_VMX_OUTSIDE_SMX);
	cr0 = (read_cr0() | rdmsr(MSR_VMX_CR0_FIXED0)) & rdmsr(MSR_VMX_CR0_FIXED1);
	__asm__ __volatile__("mov %0, %%cr0" : : "r"(cr0) : "memory");
	cr4 = (read_cr4() | X86_CR4_VMXE | rdmsr(MSR_VMX_CR4_FIXED0)) & rdmsr(MSR_VMX_CR4_FIXED1);
	__asm__ __volatile__("mov %0, %%cr4" : : "r"(cr4) : "memory");
	*(u32 *)vmxon_region[cpu->cpu] = x86_virt.vmcs_revision;
	__asm__ __volatile__("vmxon %1; setna %0" : "=q"(fail) : "m"(pa) : "cc", "memory");
	if (fail) {
		pr_err("x86: cpu%u: VMXON failed\n", cpu->cpu);
		return -E_PERM;
	}
	cpu->vmx_on = true;
	/* Nothing this CPU cached before VMXON may be trusted (tlb_entry.c). */
	x86_tlb_cpu_on(cpu);
	return 0;
}

/* ---- vCPU ---------------------------------------------------------------------- */

int vmx_vcpu_init(struct x86_vcpu *c)
{
	paddr_t pa;

	if (!pa_addr(c->vmcb)) {
		if (!palloc_alloc(0, &pa))
			return -E_NOMEM;
		c->vmcb = pa;
	}
	memset(pa_to_ptr(c->vmcb), 0, PAGE_SIZE);
	*(u32 *)pa_to_ptr(c->vmcb) = x86_virt.vmcs_revision;
	c->launched = false;
	return 0;
}

void vmx_vcpu_destroy(struct x86_vcpu *c)
{
	/* vmx_vcpu_run() VMCLEARed it when the vCPU left its CPU. */
}

static u16 vpid_of(const struct vcpu *v)
{
	return (u16)(1 + v->vm->id * HYP_MAX_CPUS + v->idx);
}

static bool vmcs_setup(struct x86_vcpu *c)
{
	struct x86_cpu *cpu = this_x86_cpu();
	struct vm *vm = c->v->vm;
	struct { u16 limit; u64 base; } __attribute__((packed)) idtr;
	bool ok = true;
	u64 proc2 = PROC2_EPT | (x86_virt.vpid ? PROC2_VPID : 0);
	u64 cr4 = (X86_CR4_PAE | X86_CR4_VMXE | rdmsr(MSR_VMX_CR4_FIXED0)) &
		  rdmsr(MSR_VMX_CR4_FIXED1);

	__asm__ __volatile__("sidt %0" : "=m"(idtr));
#define W(f, v) (ok &= vmwrite((f), (v)))
	W(PIN_CTLS, adjust(MSR_VMX_PINBASED, MSR_VMX_TRUE_PINBASED, PIN_EXT_INTR | PIN_NMI));
	W(PROC_CTLS, adjust(MSR_IA32_VMX_PROCBASED_CTLS, MSR_IA32_VMX_TRUE_PROCBASED_CTLS,
			    PROC_HLT | PROC_UNCOND_IO | PROC_SECONDARY));
	W(PROC_CTLS2, (proc2 | (u32)rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2)) &
		      (rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2) >> 32));
	W(EXIT_CTLS, adjust(MSR_VMX_EXIT, MSR_VMX_TRUE_EXIT, EXIT_HOST_64 | EXIT_SAVE_EFER |
			    EXIT_LOAD_EFER | EXIT_SAVE_PAT | EXIT_LOAD_PAT));
	W(ENTRY_CTLS, adjust(MSR_VMX_ENTRY, MSR_VMX_TRUE_ENTRY, ENTRY_GUEST_64 |
			     ENTRY_LOAD_EFER | ENTRY_LOAD_PAT));
	W(EXC_BITMAP, 0);
	W(VMCS_LINK, ~0ULL);
	if (x86_virt.vpid)
		W(VPID, vpid_of(c->v));
	/* CR0.PG/PE/NE and CR4.VMXE stay set: the guest sees its shadow. */
	W(CR0_MASK, 0x80000021ULL);
	W(CR0_SHADOW, CR0_GUEST);
	W(CR4_MASK, X86_CR4_VMXE);
	W(CR4_SHADOW, X86_CR4_PAE);
	/* Host state: this CPU as it is now. */
	W(HOST_CR0, read_cr0());
	W(HOST_CR3, read_cr3());
	W(HOST_CR4, read_cr4());
	W(HOST_ES_SEL + 2 * 0, GDT_DS);
	W(HOST_ES_SEL + 2 * 1, GDT_CS64);
	W(HOST_ES_SEL + 2 * 2, GDT_DS);
	W(HOST_ES_SEL + 2 * 3, GDT_DS);
	W(HOST_ES_SEL + 2 * 4, 0);
	W(HOST_ES_SEL + 2 * 5, 0);
	W(HOST_ES_SEL + 2 * 6, GDT_TSS);
	W(HOST_FS_BASE, 0);
	W(HOST_GS_BASE, (u64)(uintptr_t)cpu);
	W(HOST_TR_BASE, (u64)(uintptr_t)&cpu->tss);
	W(HOST_GDTR_BASE, (u64)(uintptr_t)cpu->gdt);
	W(HOST_IDTR_BASE, idtr.base);
	W(HOST_EFER, rdmsr(MSR_EFER));
	W(HOST_PAT, rdmsr(MSR_PAT_NR));
	W(HOST_RIP, (u64)(uintptr_t)vmx_exit);
	/* Guest: 64-bit mode, flat segments, the identity map in its RAM. */
	for (unsigned int s = S_ES; s <= S_TR; s++) {
		u32 ar = s == S_CS ? 0xa09b : s == S_TR ? 0x008b : s == S_LDTR ? 0x10000 : 0xc093;

		W(GUEST_ES_SEL + 2 * s, s == S_CS ? 0x08 : s >= S_LDTR ? 0 : 0x10);
		W(GUEST_ES_LIMIT + 2 * s, s == S_TR ? 0x67 : s == S_LDTR ? 0 : 0xffffffff);
		W(GUEST_ES_AR + 2 * s, ar);
		W(GUEST_ES_BASE + 2 * s, 0);
	}
	W(GUEST_ES_LIMIT + 2 * 8, 0);	/* GDTR */
	W(GUEST_ES_LIMIT + 2 * 9, 0);	/* IDTR */
	W(GUEST_ES_BASE + 2 * 8, 0);
	W(GUEST_ES_BASE + 2 * 9, 0);
	W(GUEST_CR0, (CR0_GUEST | rdmsr(MSR_VMX_CR0_FIXED0)) & rdmsr(MSR_VMX_CR0_FIXED1));
	W(GUEST_CR4, cr4);
	W(GUEST_CR3, x86_guest_cr3(vm));
	W(GUEST_EFER, EFER_LME | EFER_LMA | EFER_NXE);
	W(GUEST_PAT, PAT_DEFAULT);
	W(GUEST_DR7, 0x400);
	W(GUEST_RFLAGS, 2);
	W(GUEST_RIP, c->entry);
	W(GUEST_RSP, 0);
	W(GUEST_INTERRUPTIBILITY, 0);
	W(GUEST_ACTIVITY, 0);
#undef W
	return ok;
}

static void inject_exc(unsigned int vec, bool err)
{
	/* valid, type 3 (hardware exception), deliver error code (0) */
	vmwrite(ENTRY_INTR_INFO, BIT(31) | 3 << 8 | (err ? BIT(11) : 0) | vec);
	vmwrite(ENTRY_EXC_ERR, 0);
}

static void skip_insn(void)
{
	vmwrite(GUEST_RIP, vmread(GUEST_RIP) + vmread(EXIT_INSN_LEN));
}

static bool pat_valid(u64 v)
{
	for (unsigned int i = 0; i < 8; i++) {
		u8 t = (v >> (8 * i)) & 0xff;

		if (t == 2 || t == 3 || t > 7)
			return false;
	}
	return true;
}

/* Same MSR policy as the SVM backend (doc/x86-virt.md). False: #GP. */
static bool msr(struct x86_vcpu *c, bool write)
{
	u32 m = (u32)c->g.r[GPR_RCX];
	u64 val = (c->g.r[GPR_RAX] & 0xffffffffULL) | c->g.r[GPR_RDX] << 32;

	if (write) {
		switch (m) {
		case MSR_EFER:
			if ((val & ~(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)) ||
			    ((val ^ vmread(GUEST_EFER)) & (EFER_LME | EFER_LMA)))
				return false;
			vmwrite(GUEST_EFER, val);
			return true;
		case MSR_PAT_NR:
			if (!pat_valid(val))
				return false;
			vmwrite(GUEST_PAT, val);
			return true;
		case MSR_APIC_BASE_NR:
		case 0x2ff:
			return true;
		default:
			return false;
		}
	}
	switch (m) {
	case MSR_EFER:
		val = vmread(GUEST_EFER);
		break;
	case MSR_PAT_NR:
		val = vmread(GUEST_PAT);
		break;
	case MSR_TSC_NR:
		val = rdmsr(MSR_TSC_NR);
		break;
	case MSR_APIC_BASE_NR:
		val = 0xfee00000ULL | BIT(11) | (c->v->idx == 0 ? BIT(8) : 0);
		break;
	case 0xfe:
	case 0x2ff:
		val = 0;
		break;
	default:
		return false;
	}
	c->g.r[GPR_RAX] = val & 0xffffffffULL;
	c->g.r[GPR_RDX] = val >> 32;
	return true;
}

static bool handle_exit(struct x86_vcpu *c, struct arch_vcpu_exit *exit)
{
	struct vcpu *v = c->v;
	u32 reason = (u32)vmread(EXIT_REASON) & 0xffff;
	u64 q = vmread(EXIT_QUAL), rax;
	int r;

	if (reason != EXIT_EPT_VIOLATION && reason != EXIT_EXC_NMI && reason != EXIT_EXT_INTR)
		c->npf_same = 0;	/* progress (x86_fault_retried()) */
	switch (reason) {
	case EXIT_EXC_NMI:
		if (((vmread(EXIT_INTR_INFO) >> 8) & 7) == 2) {	/* NMI */
			u64 intr = vmread(GUEST_INTERRUPTIBILITY);

			if (READ_ONCE(x86_stopping))
				arch_cpu_halt();
			this_x86_cpu()->nmi_exits++;
			x86_shootdown_nmi();
			/*
			 * R7: the next shootdown's NMI must reach this CPU. The NMI
			 * that caused this exit found the guest unblocked, so the
			 * saved blocking-by-NMI must be 0 (bochs 2.7 saves 1, which
			 * the next entry would load); and in root operation NMIs stay
			 * blocked until an IRET (doc/x86-virt.md, "NMIs taken as VM
			 * exits").
			 */
			if (inject(X86_VMX_NMI_STAYS_BLOCKED))
				return true;
			if (intr & GUEST_BLOCKED_BY_NMI)
				vmwrite(GUEST_INTERRUPTIBILITY, intr & ~GUEST_BLOCKED_BY_NMI);
			x86_nmi_unblock();
			return true;
		}
		break;
	case EXIT_EXT_INTR:
		return true;
	case EXIT_EPT_VIOLATION:
		/* q bit 1 write, bit 2 instruction fetch */
		r = vm_stage2_abort(v, ipa_init(vmread(GUEST_PHYS_ADDR)), q & BIT(1), q & BIT(2));
		if (r == VM_ABORT_DONE) {
			x86_fault_retried(c, vmread(GUEST_PHYS_ADDR), vmread(GUEST_RIP), q);
			return true;
		}
		if (r == VM_ABORT_MMIO)
			vm_warn(v->vm, "no MMIO device", "vm%u (%s): vcpu%u: access to IPA %#llx: "
				"no MMIO device on x86 (the console is COM1): #GP\n", v->vm->id,
				v->vm->name, v->idx, vmread(GUEST_PHYS_ADDR));	/* rate-limited */
		/* doc/x86-virt.md: #GP(0), CR2 = the IPA (CR2 is not in the VMCS). */
		c->cr2 = vmread(GUEST_PHYS_ADDR);
		c->set_cr2 = true;
		inject_exc(VEC_GP, true);
		return true;
	case EXIT_EPT_MISCONFIG:
		pr_err("vm%u (%s): vcpu%u: EPT misconfiguration at IPA %#llx (a hyp/mm bug): "
		       "stopping its VM\n", v->vm->id, v->vm->name, v->idx, vmread(GUEST_PHYS_ADDR));
		exit->reason = VCPU_EXIT_ERROR;
		return false;
	case EXIT_CPUID:
		x86_emulate_cpuid(v, &c->g.r[GPR_RAX], &c->g.r[GPR_RBX], &c->g.r[GPR_RCX],
				  &c->g.r[GPR_RDX]);
		skip_insn();
		return true;
	case EXIT_RDMSR:
	case EXIT_WRMSR:
		if (msr(c, reason == EXIT_WRMSR))
			skip_insn();
		else
			inject_exc(VEC_GP, true);
		return true;
	case EXIT_IO:
		/* q: bits 2:0 size - 1, bit 3 IN, bit 4 string, bits 31:16 port */
		if (q & BIT(4)) {
			inject_exc(VEC_GP, true);
			return true;
		}
		rax = c->g.r[GPR_RAX];
		{
			unsigned int size = (q & 7) + 1;
			u64 val = rax, mask = size == 4 ? 0xffffffffULL : BIT(8 * size) - 1;

			x86_emulate_io(v, (u16)(q >> 16), size, q & BIT(3), &val);
			if (q & BIT(3))
				c->g.r[GPR_RAX] = size == 4 ? (val & mask) : (rax & ~mask) | (val & mask);
		}
		skip_insn();
		return true;
	case EXIT_VMCALL:
		skip_insn();
		x86_hypercall(v, &c->g, &c->g.r[GPR_RAX]);
		return true;
	case EXIT_HLT:
		skip_insn();
		arch_cpu_relax();
		return true;
	case EXIT_TRIPLE_FAULT:
		pr_err("vm%u (%s): vcpu%u: triple fault at RIP %#llx: stopping its VM\n",
		       v->vm->id, v->vm->name, v->idx, vmread(GUEST_RIP));
		exit->reason = VCPU_EXIT_ERROR;
		return false;
	case EXIT_BAD_GUEST:
		pr_err("vm%u (%s): vcpu%u: VM entry refused the guest state (qualification %#llx): "
		       "stopping its VM\n", v->vm->id, v->vm->name, v->idx, q);
		exit->reason = VCPU_EXIT_ERROR;
		return false;
	default:
		if (reason >= 19 && reason <= 27) {	/* VMX instructions: no nesting */
			inject_exc(VEC_UD, false);
			return true;
		}
		break;
	}
	pr_err("vm%u (%s): vcpu%u: unhandled VM exit %u (qualification %#llx) at RIP %#llx: "
	       "stopping its VM\n", v->vm->id, v->vm->name, v->idx, reason, q, vmread(GUEST_RIP));
	exit->reason = VCPU_EXIT_ERROR;
	return false;
}

int vmx_vcpu_run(struct x86_vcpu *c, struct arch_vcpu_exit *exit)
{
	struct x86_cpu *cpu = this_x86_cpu();
	u64 vmcs = pa_addr(c->vmcb);
	int r = vmx_cpu_on(cpu);

	if (r < 0)
		return r;
	if (!vmclear(vmcs) || !vmptrld(vmcs)) {
		pr_err("x86: cpu%u: VMCLEAR/VMPTRLD failed\n", cpu->cpu);
		return -E_PERM;
	}
	c->launched = false;
	if (!vmcs_setup(c)) {
		pr_err("x86: cpu%u: VMWRITE failed (VM-instruction error %llu)\n", cpu->cpu,
		       vmread(VM_INSN_ERROR));
		vmclear(vmcs);
		return -E_INVAL;
	}
	vmx_tlb_vcpu_load(vpid_of(c->v));
	for (;;) {
		if (c->v->leave || vcpu_must_exit(c->v)) {
			exit->reason = c->v->leave ? VCPU_EXIT_OFF : VCPU_EXIT_VM_OFF;
			break;
		}
		/* EPTP, then INVEPT for what is owed (tlb_entry.c, X6/X8). */
		vmx_tlb_enter();
		if (c->set_cr2) {
			__asm__ __volatile__("mov %0, %%cr2" : : "r"(c->cr2));
			c->set_cr2 = false;
		}
		/* An NMI from here to VM entry flushes in its handler (vmx_nmi_flush). */
		if (vmx_run(&c->g, c->launched)) {
			pr_err("vm%u (%s): vcpu%u: VM entry failed, VM-instruction error %llu: "
			       "stopping its VM\n", c->v->vm->id, c->v->vm->name, c->v->idx,
			       vmread(VM_INSN_ERROR));
			exit->reason = VCPU_EXIT_ERROR;
			break;
		}
		c->launched = true;
		c->exits++;
		if (!handle_exit(c, exit))
			break;
	}
	vmclear(vmcs);
	return 0;
}
