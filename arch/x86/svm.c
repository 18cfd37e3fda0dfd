// SPDX-License-Identifier: GPL-2.0
/*
 * The SVM backend (AMD APM Vol. 2 ch. 15; doc/x86-virt.md): one VMCB per
 * vCPU, nested paging with hyp/mm's NPT tables (nCR3 = the VM's root), the
 * VM's VMID as its ASID, TLB_CONTROL for the flushes tlb.c says are owed,
 * and the exit handler. Without NRIPS (QEMU TCG) the length of the
 * instruction to skip is decoded from guest memory (vcpu.c).
 *
 * The guest starts in 64-bit mode, CPL 0, paging on through the identity
 * map the hypervisor wrote into its RAM (vcpu.c), RDI = the start argument.
 * Intercepted: INTR, NMI (the shootdown kick), INIT, CPUID, INVD, HLT,
 * INVLPGA, every I/O port and MSR (all-ones permission maps), task
 * switches, shutdown, every SVM instruction, XSETBV.
 */
#include <hyp/console.h>
#include <hyp/palloc.h>
#include <hyp/string.h>
#include <hyp/vm/vm_warn.h>
#include <x86/asm.h>
#include <x86/percpu.h>
#include <x86/svm.h>
#include <x86/tlb.h>
#include <x86/vcpu.h>
#include <x86/virt.h>

#define IOPM_PAGES	3
#define MSRPM_PAGES	2

static u8 svm_hsave[HYP_MAX_CPUS][PAGE_SIZE] __aligned(PAGE_SIZE);
static u8 svm_host_state[HYP_MAX_CPUS][PAGE_SIZE] __aligned(PAGE_SIZE);
static u8 svm_iopm[IOPM_PAGES * PAGE_SIZE] __aligned(PAGE_SIZE);
static u8 svm_msrpm[MSRPM_PAGES * PAGE_SIZE] __aligned(PAGE_SIZE);

#define EFER_SCE	BIT(0)
#define EFER_LME	BIT(8)
#define EFER_LMA	BIT(10)
#define EFER_NXE	BIT(11)
#define NPF_RSVD	BIT(3)		/* EXITINFO1: a reserved bit in a nested entry */
#define CR0_GUEST	0x80010031ULL	/* PG WP NE ET PE */
#define PAT_DEFAULT	0x0007040600070406ULL

#define MSR_TSC		0x10
#define MSR_APIC_BASE	0x1b
#define MSR_MTRRCAP	0xfe
#define MSR_MTRR_DEF	0x2ff
#define MSR_PAT		0x277

#define VEC_UD		6
#define VEC_GP		13

static u64 r64(const u8 *vmcb, unsigned int off)
{
	return *(const volatile u64 *)(vmcb + off);
}

static void w64(u8 *vmcb, unsigned int off, u64 v)
{
	*(volatile u64 *)(vmcb + off) = v;
}

static void w32(u8 *vmcb, unsigned int off, u32 v)
{
	*(volatile u32 *)(vmcb + off) = v;
}

static void seg(u8 *vmcb, unsigned int off, u16 sel, u16 attr, u32 limit, u64 base)
{
	*(volatile u16 *)(vmcb + off) = sel;
	*(volatile u16 *)(vmcb + off + 2) = attr;
	w32(vmcb, off + 4, limit);
	w64(vmcb, off + 8, base);
}

/*
 * EFER.SVME, EFER.NXE and the host save area, once per CPU (at its first
 * vCPU run). NXE: hyp/mm's NPT leaves say no-exec with bit 63
 * (s2_format_npt()'s perm_xn), and the nested walk takes EFER.NXE from the
 * host at VMRUN (APM Vol. 2, 15.25.5): without it bit 63 is a reserved
 * bit, every access to a no-exec page (HC_PROTECT without X) faults with
 * RSVD, and the fault handler, whose own walk finds the page readable,
 * retried for ever (the x86 fuzz soak's hang, doc/fuzzing.md). Set before
 * any VMRUN on this CPU: by construction every nested walk has it.
 */
static void svm_cpu_on(struct x86_cpu *cpu)
{
	if (cpu->svm_on)
		return;
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME | EFER_NXE);
	wrmsr(MSR_VM_HSAVE_PA, (u64)(uintptr_t)svm_hsave[cpu->cpu]);
	cpu->svm_on = true;
	x86_tlb_cpu_on(cpu);
}

int svm_vcpu_init(struct x86_vcpu *c)
{
	struct vm *vm = c->v->vm;
	paddr_t pa;
	u8 *vmcb;

	if (!pa_addr(c->vmcb)) {
		if (!palloc_alloc(0, &pa))
			return -E_NOMEM;
		c->vmcb = pa;
	}
	/* Intercept every port and MSR: all-ones maps (idempotent, tiny). */
	memset(svm_iopm, 0xff, sizeof(svm_iopm));
	memset(svm_msrpm, 0xff, sizeof(svm_msrpm));
	vmcb = pa_to_ptr(c->vmcb);
	memset(vmcb, 0, PAGE_SIZE);
	w32(vmcb, VMCB_INTERCEPT_1, SVM_INT1_INTR | SVM_INT1_NMI | SVM_INT1_INIT |
	    SVM_INT1_CPUID | SVM_INT1_INVD | SVM_INT1_HLT | SVM_INT1_INVLPGA |
	    SVM_INT1_IOIO | SVM_INT1_MSR | SVM_INT1_TASK_SWITCH | SVM_INT1_SHUTDOWN);
	w32(vmcb, VMCB_INTERCEPT_2, SVM_INT2_VMRUN | SVM_INT2_SVM_INSNS | SVM_INT2_XSETBV);
	w64(vmcb, VMCB_IOPM_PA, (u64)(uintptr_t)svm_iopm);
	w64(vmcb, VMCB_MSRPM_PA, (u64)(uintptr_t)svm_msrpm);
	w64(vmcb, VMCB_VINTR, SVM_VINTR_MASKING);
	w64(vmcb, VMCB_NP_CTL, 1);
	/* 64-bit code, flat data, a busy 64-bit TSS at 0 (the guest sets its own). */
	seg(vmcb, VMCB_CS, 0x08, 0x29b, 0xffffffff, 0);
	seg(vmcb, VMCB_DS, 0x10, 0xc93, 0xffffffff, 0);
	seg(vmcb, VMCB_ES, 0x10, 0xc93, 0xffffffff, 0);
	seg(vmcb, VMCB_SS, 0x10, 0xc93, 0xffffffff, 0);
	seg(vmcb, VMCB_FS, 0x10, 0xc93, 0xffffffff, 0);
	seg(vmcb, VMCB_GS, 0x10, 0xc93, 0xffffffff, 0);
	seg(vmcb, VMCB_TR, 0, 0x8b, 0x67, 0);
	seg(vmcb, VMCB_LDTR, 0, 0x82, 0, 0);
	seg(vmcb, VMCB_GDTR, 0, 0, 0, 0);
	seg(vmcb, VMCB_IDTR, 0, 0, 0, 0);
	vmcb[VMCB_CPL] = 0;
	w64(vmcb, VMCB_EFER, EFER_LME | EFER_LMA | EFER_NXE | EFER_SVME);
	w64(vmcb, VMCB_CR0, CR0_GUEST);
	w64(vmcb, VMCB_CR4, X86_CR4_PAE);
	w64(vmcb, VMCB_CR3, x86_guest_cr3(vm));
	w64(vmcb, VMCB_RFLAGS, 2);
	w64(vmcb, VMCB_RIP, c->entry);
	w64(vmcb, VMCB_DR7, 0x400);
	w64(vmcb, VMCB_DR6, 0xffff0ff0);
	w64(vmcb, VMCB_G_PAT, PAT_DEFAULT);
	return 0;
}

static void inject(u8 *vmcb, unsigned int vec, bool err)
{
	w64(vmcb, VMCB_EVENTINJ, vec | SVM_EVT_EXCEPTION | SVM_EVT_VALID |
	    (err ? SVM_EVT_ERR : 0));	/* error code 0 */
}

/*
 * Step over the intercepted instruction @insn. Return 1: done; 0: the
 * bytes could not be read (unmapped meanwhile): do nothing, the guest runs
 * the instruction again; -1: not the instruction the exit names (logged).
 */
static int skip(struct x86_vcpu *c, u8 *vmcb, enum x86_insn insn)
{
	u64 rip = r64(vmcb, VMCB_RIP);
	int len;

	if (x86_virt.nrips) {
		w64(vmcb, VMCB_RIP, r64(vmcb, VMCB_NRIP));
		return 1;
	}
	len = x86_insn_len(c->v, r64(vmcb, VMCB_CR3), r64(vmcb, VMCB_CR0) & BIT(31), rip, insn);
	if (len == -E_AGAIN)
		return 0;
	if (len < 0) {
		pr_err("vm%u (%s): vcpu%u: cannot decode the instruction at RIP %#llx\n",
		       c->v->vm->id, c->v->vm->name, c->v->idx, rip);
		return -1;
	}
	w64(vmcb, VMCB_RIP, rip + (u64)len);
	return 1;
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

/* Return false: inject #GP. */
static bool msr(struct x86_vcpu *c, u8 *vmcb, bool write)
{
	u32 m = (u32)c->g.r[GPR_RCX];
	u64 val = (r64(vmcb, VMCB_RAX) & 0xffffffffULL) | c->g.r[GPR_RDX] << 32;
	u64 efer_ok = EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE;

	if (write) {
		switch (m) {
		case MSR_EFER:
			/* Only SCE and NXE may change: the guest stays in long mode. */
			if ((val & ~efer_ok) ||
			    ((val ^ r64(vmcb, VMCB_EFER)) & (EFER_LME | EFER_LMA)))
				return false;
			w64(vmcb, VMCB_EFER, val | EFER_SVME);
			return true;
		case MSR_PAT:
			if (!pat_valid(val))
				return false;
			w64(vmcb, VMCB_G_PAT, val);
			return true;
		case MSR_APIC_BASE:
		case MSR_MTRR_DEF:
			return true;	/* ignored */
		default:
			return false;
		}
	}
	switch (m) {
	case MSR_EFER:
		val = r64(vmcb, VMCB_EFER) & ~EFER_SVME;
		break;
	case MSR_PAT:
		val = r64(vmcb, VMCB_G_PAT);
		break;
	case MSR_TSC:
		val = rdmsr(MSR_TSC);
		break;
	case MSR_APIC_BASE:
		val = 0xfee00000ULL | BIT(11) | (c->v->idx == 0 ? BIT(8) : 0);
		break;
	case MSR_MTRRCAP:
	case MSR_MTRR_DEF:
		val = 0;
		break;
	default:
		return false;
	}
	w64(vmcb, VMCB_RAX, val & 0xffffffffULL);
	c->g.r[GPR_RDX] = val >> 32;
	return true;
}

static void ioio(struct x86_vcpu *c, u8 *vmcb, u64 info1, u64 info2)
{
	unsigned int size = info1 & BIT(4) ? 1 : info1 & BIT(5) ? 2 : 4;
	bool in = info1 & BIT(0);
	u64 rax = r64(vmcb, VMCB_RAX), val = rax;

	if (info1 & BIT(2)) {	/* INS/OUTS */
		/* guest-triggered: rate-limited (doc/console.md) */
		vm_warn(c->v->vm, "string I/O", "vm%u (%s): vcpu%u: string I/O to port %#llx "
			"not emulated: #GP\n", c->v->vm->id, c->v->vm->name, c->v->idx,
			info1 >> 16);
		inject(vmcb, VEC_GP, true);
		return;
	}
	x86_emulate_io(c->v, (u16)(info1 >> 16), size, in, &val);
	if (in) {
		u64 mask = size == 4 ? 0xffffffffULL : BIT(8 * size) - 1;

		/* A 32-bit IN zero-extends into RAX; 8/16-bit ones merge. */
		rax = size == 4 ? (val & mask) : (rax & ~mask) | (val & mask);
		w64(vmcb, VMCB_RAX, rax);
	}
	w64(vmcb, VMCB_RIP, info2);	/* IOIO always gives the next RIP */
}

/* Return false: stop the VM (a malformed nested page table). */
static bool stage2_fault(struct x86_vcpu *c, u8 *vmcb, u64 err, u64 gpa)
{
	struct vcpu *v = c->v;
	int r;

	/*
	 * RSVD: an entry hyp/mm wrote has a bit the nested walk reserves. No
	 * fault handling can change that; retrying would loop for ever (as
	 * VMX's EPT misconfiguration, a hypervisor bug: stop the VM, loudly).
	 */
	if (err & NPF_RSVD) {
		pr_err("vm%u (%s): vcpu%u: nested page fault at IPA %#llx with a reserved bit set "
		       "(error %#llx, a hyp/mm or EFER bug): stopping its VM\n", v->vm->id,
		       v->vm->name, v->idx, gpa, err);
		return false;
	}
	r = vm_stage2_abort(v, ipa_init(gpa), err & BIT(1), err & BIT(4));

	if (r == VM_ABORT_DONE) {
		x86_fault_retried(c, gpa, r64(vmcb, VMCB_RIP), err);
		return true;
	}
	if (r == VM_ABORT_MMIO)
		vm_warn(v->vm, "no MMIO device", "vm%u (%s): vcpu%u: access to IPA %#llx: no "
			"MMIO device on x86 (the console is COM1): #GP\n", v->vm->id,
			v->vm->name, v->idx, gpa);	/* rate-limited (doc/console.md) */
	/* doc/x86-virt.md: an access the VM cannot have is #GP(0), CR2 = the IPA. */
	w64(vmcb, VMCB_CR2, gpa);
	inject(vmcb, VEC_GP, true);
	return true;
}

/* Return true to keep running the vCPU. */
static bool handle_exit(struct x86_vcpu *c, u8 *vmcb, struct arch_vcpu_exit *exit)
{
	struct vcpu *v = c->v;
	u64 code = r64(vmcb, VMCB_EXITCODE);
	u64 info1 = r64(vmcb, VMCB_EXITINFO1), info2 = r64(vmcb, VMCB_EXITINFO2);
	u64 rax;
	int s;

	if (code != SVM_EXIT_NPF && code != SVM_EXIT_NMI && code != SVM_EXIT_INTR)
		c->npf_same = 0;	/* progress (x86_fault_retried()) */
	switch (code) {
	case SVM_EXIT_NPF:
		if (stage2_fault(c, vmcb, info1, info2))
			return true;
		exit->reason = VCPU_EXIT_ERROR;
		return false;
	case SVM_EXIT_IOIO:
		ioio(c, vmcb, info1, info2);
		return true;
	case SVM_EXIT_CPUID:
		s = skip(c, vmcb, INSN_CPUID);
		if (s > 0) {
			rax = r64(vmcb, VMCB_RAX);
			x86_emulate_cpuid(v, &rax, &c->g.r[GPR_RBX], &c->g.r[GPR_RCX],
					  &c->g.r[GPR_RDX]);
			w64(vmcb, VMCB_RAX, rax);
		}
		break;
	case SVM_EXIT_MSR:
		/* Decide before skipping: #GP is reported at the instruction. */
		if (x86_virt.nrips || x86_insn_len(v, r64(vmcb, VMCB_CR3),
						   r64(vmcb, VMCB_CR0) & BIT(31),
						   r64(vmcb, VMCB_RIP),
						   info1 ? INSN_WRMSR : INSN_RDMSR) > 0) {
			u64 save_rax = r64(vmcb, VMCB_RAX), save_rdx = c->g.r[GPR_RDX];

			if (msr(c, vmcb, info1 == 1)) {
				s = skip(c, vmcb, info1 ? INSN_WRMSR : INSN_RDMSR);
				if (s <= 0) {	/* undo: the guest runs it again */
					w64(vmcb, VMCB_RAX, save_rax);
					c->g.r[GPR_RDX] = save_rdx;
				}
			} else {
				inject(vmcb, VEC_GP, true);
				s = 1;
			}
		} else {
			s = 0;
		}
		break;
	case SVM_EXIT_VMMCALL:
		s = skip(c, vmcb, INSN_VMMCALL);
		if (s > 0) {
			rax = r64(vmcb, VMCB_RAX);
			x86_hypercall(v, &c->g, &rax);
			w64(vmcb, VMCB_RAX, rax);
		}
		break;
	case SVM_EXIT_HLT:
		s = skip(c, vmcb, INSN_HLT);
		arch_cpu_relax();	/* no virtual interrupts yet: an exit point */
		break;
	case SVM_EXIT_NMI:
	case SVM_EXIT_INTR:
		return true;	/* the host's NMI handler ran after STGI (tlb.c) */
	case SVM_EXIT_SHUTDOWN:
		pr_err("vm%u (%s): vcpu%u: shutdown (triple fault) at RIP %#llx: stopping its VM\n",
		       v->vm->id, v->vm->name, v->idx, r64(vmcb, VMCB_RIP));
		exit->reason = VCPU_EXIT_ERROR;
		return false;
	case SVM_EXIT_INVALID:
		pr_err("vm%u (%s): vcpu%u: VMRUN refused the guest state (exit code -1): "
		       "stopping its VM\n", v->vm->id, v->vm->name, v->idx);
		exit->reason = VCPU_EXIT_ERROR;
		return false;
	default:
		if (code >= SVM_EXIT_VMRUN && code <= SVM_EXIT_VMRUN + 6) {
			inject(vmcb, VEC_UD, false);	/* no nested virtualization */
			return true;
		}
		pr_err("vm%u (%s): vcpu%u: unhandled exit %#llx (info %#llx %#llx) at RIP %#llx: "
		       "stopping its VM\n", v->vm->id, v->vm->name, v->idx, code, info1, info2,
		       r64(vmcb, VMCB_RIP));
		exit->reason = VCPU_EXIT_ERROR;
		return false;
	}
	if (s < 0) {
		exit->reason = VCPU_EXIT_ERROR;
		return false;
	}
	return true;
}

int svm_vcpu_run(struct x86_vcpu *c, struct arch_vcpu_exit *exit)
{
	struct x86_cpu *cpu = this_x86_cpu();
	u8 *vmcb = pa_to_ptr(c->vmcb);
	u64 host = (u64)(uintptr_t)svm_host_state[cpu->cpu];

	svm_cpu_on(cpu);
	/* The VM's ASID may hold another vCPU's guest-linear entries here (tlb_entry.c, X11). */
	svm_tlb_vcpu_load();
	w64(vmcb, VMCB_RAX, 0);
	for (;;) {
		if (c->v->leave) {
			exit->reason = VCPU_EXIT_OFF;
			return 0;
		}
		if (vcpu_must_exit(c->v)) {
			exit->reason = VCPU_EXIT_VM_OFF;
			return 0;
		}
		/* GIF clear, ASID, nCR3, TLB_CONTROL for the next VMRUN (tlb_entry.c, X7/X8). */
		svm_tlb_enter(vmcb);
		svm_vmrun(&c->g, pa_addr(c->vmcb), host);
		c->exits++;
		if (!handle_exit(c, vmcb, exit))
			return 0;
	}
}
