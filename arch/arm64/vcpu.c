// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 vCPUs (arch.h "Virtual CPUs"): EL1 context switch, HCR_EL2 for
 * guests, and guest exits: HVC/SMC (SMCCC: PSCI, hypercalls), WFI/WFE,
 * stage-2 aborts (demand paging, MMIO emulation, or an abort injected into
 * the guest), everything else an UNDEFINED injected into the guest. A guest
 * can make the hypervisor log, never crash.
 */
#include <hyp/atomic.h>
#include <hyp/console.h>
#include <hyp/palloc.h>
#include <hyp/string.h>
#include <hyp/mm/s2_format.h>
#include <hyp/vm/console_in.h>
#include <hyp/vm/vm.h>
#include <hyp/vm/vm_warn.h>
#include <hyp/vm/vuart.h>
#include <arm64/cpu.h>
#include <arm64/debug.h>
#include <arm64/gic.h>
#include <arm64/idregs.h>
#include <arm64/passthrough.h>
#include <arm64/smp.h>
#include <arm64/sysreg.h>
#include <arm64/vcpu.h>
#include <arm64/vgic.h>
#include <arm64/vtimer.h>
#include <arm64/uart.h>

BUILD_BUG_ON(__builtin_offsetof(struct arm64_vcpu_ctx, pc) != VC_PC);
BUILD_BUG_ON(__builtin_offsetof(struct arm64_vcpu_ctx, pstate) != VC_PSTATE);
BUILD_BUG_ON(__builtin_offsetof(struct arm64_vcpu_ctx, host) != VC_HOST);
BUILD_BUG_ON(sizeof(struct arm64_vcpu_ctx) > PAGE_SIZE);

/*
 * HCR_EL2 while a guest runs: stage 2 (VM, set by arch_s2_load), SWIO,
 * physical FIQ/IRQ/SError to EL2 (FMO/IMO/AMO), guest TLBI/barriers
 * broadcast inner shareable (FB, BSU=IS: a vCPU may move), WFI/WFE trapped
 * (TWI/TWE: exit points), SMC trapped (TSC: QEMU would answer it itself),
 * ID registers trapped (TID3: the guest sees only what is virtualized,
 * idregs.c),
 * EL1 is AArch64 (RW), pointer authentication keys and instructions not
 * trapped (APK, API: Linux uses them where the CPU has them; the hypervisor
 * is built without pointer authentication, and a vCPU owns its CPU's keys).
 */
#define HCR_SWIO	BIT(1)
#define HCR_FMO		BIT(3)
#define HCR_IMO		BIT(4)
#define HCR_AMO		BIT(5)
#define HCR_FB		BIT(9)
#define HCR_BSU_IS	BIT(10)
#define HCR_TWI		BIT(13)
#define HCR_TWE		BIT(14)
#define HCR_TID3	BIT(18)
#define HCR_TSC		BIT(19)
#define HCR_APK		BIT(40)
#define HCR_API		BIT(41)
#define HCR_GUEST	(HCR_API | HCR_APK | HCR_RW | HCR_TSC | HCR_TID3 | HCR_TWE | HCR_TWI | HCR_BSU_IS | HCR_FB | \
			 HCR_AMO | HCR_IMO | HCR_FMO | HCR_SWIO)

/*
 * MDCR_EL2 while a guest runs (doc/guest-fidelity.md): the PMU (TPM, TPMCR),
 * the statistical profiling extension (TPMS; its buffer owned by EL2, E2PB
 * 0) and trace filter controls (TTRF) trap and are UNDEFINED to the guest:
 * the ID registers do not advertise them, and their state would be shared
 * with the hypervisor and never switched. HPMN = all counters (EL2 does not
 * reserve any). Debug registers trap (TDA, TDOSA, TDRA) and are per vCPU:
 * arm64_debug_mdcr(), debug.c.
 */
#define MDCR_TPMCR	BIT(5)
#define MDCR_TPM	BIT(6)
#define MDCR_TPMS	BIT(14)
#define MDCR_TTRF	BIT(19)
#define MDCR_GUEST	(MDCR_TTRF | MDCR_TPMS | MDCR_TPM | MDCR_TPMCR)

/* HPMN = PMCR_EL0.N (all counters), if there is a PMU (PMCR_EL0 is UNDEFINED without). */
static u64 mdcr_hpmn(void)
{
	unsigned int pmuver = id_field(read_sysreg(id_aa64dfr0_el1), 8);

	return pmuver && pmuver != 0xf ? (read_sysreg(pmcr_el0) >> 11) & 0x1f : 0;
}

#define PSTATE_EL1H_MASKED	0x3c5ULL	/* EL1h, DAIF set */
#define SCTLR_EL1_RES1		0x30d00800ULL	/* MMU and caches off */

#define EC_UNKNOWN	0x00
#define EC_WFX		0x01
#define EC_HVC64	0x16
#define EC_SMC64	0x17
#define EC_SYSREG	0x18
#define EC_IABT_LOW	0x20
#define EC_IABT_CUR	0x21
#define EC_DABT_LOW	0x24
#define EC_DABT_CUR	0x25
#define ESR_IL		BIT(25)
#define ESR_ISV		BIT(24)
#define ESR_WNR		BIT(6)
#define ESR_S1PTW	BIT(7)
#define FSC_EXTABT	0x10

/* ESR ISS of a trapped MSR/MRS (EC 0x18): Op0, Op2, Op1, CRn, CRm; Rt; read. */
#define SYSREG_ISS(op0, op1, crn, crm, op2) \
	((op0) << 20 | (op2) << 17 | (op1) << 14 | (crn) << 10 | (crm) << 1)
#define SYSREG_MASK	SYSREG_ISS(3, 7, 15, 15, 7)
#define SYSREG_ICC_SGI1R	SYSREG_ISS(3, 0, 12, 11, 5)
#define SYSREG_ICC_ASGI1R	SYSREG_ISS(3, 0, 12, 11, 6)
#define SYSREG_ICC_SGI0R	SYSREG_ISS(3, 0, 12, 11, 7)
/* The ID group 3 space TID3 traps: op0=3 op1=0 CRn=0, CRm 1..7, any op2 */
#define SYSREG_ID_MASK		SYSREG_ISS(3, 7, 15, 0, 0)
#define SYSREG_ID_SPACE		SYSREG_ISS(3, 0, 0, 0, 0)

int arch_vm_s2_format(struct s2_format *f)
{
	/* arm64_el2_init() programs VTCR_EL2 = arm64_vtcr(39, 3) on every CPU. */
	return s2_format_arm64(f, 39, 3);
}

void arch_guest_sync_mem(paddr_t pa, u64 size)
{
	u64 line = 4ULL << ((read_sysreg(ctr_el0) >> 16) & 0xf);
	u64 p = (u64)(uintptr_t)pa_to_ptr(pa);

	for (u64 a = ALIGN_DOWN(p, line); a < p + size; a += line)
		__asm__ __volatile__("dc civac, %0" : : "r"(a) : "memory");
	dsb(ish);
}

int arch_vcpu_init(struct vcpu *v, ipaddr_t entry, u64 arg)
{
	struct arm64_vcpu_ctx *c = v->arch;
	paddr_t pa;

	if (!c) {
		if (!palloc_alloc(0, &pa))
			return -E_NOMEM;
		c = pa_to_ptr(pa);
		v->arch = c;
	}
	memset(c, 0, sizeof(*c));
	c->v = v;
	c->x[0] = arg;
	c->pc = ipa_addr(entry);
	c->pstate = PSTATE_EL1H_MASKED;
	c->sctlr = SCTLR_EL1_RES1;
	arm64_debug_reset(&c->dbg);
	return 0;
}

int arch_vm_init(struct vm *vm)
{
	return vgic_vm_init(vm);
}

void arch_vm_irq_level(struct vm *vm, unsigned int intid, bool level)
{
	vgic_set_level(vm, intid, level);
}

static unsigned int console_irq;	/* the physical UART's INTID, 0: none */

void arm64_console_irq_init(const void *dtb)
{
	(void)dtb;
	console_irq = platform.uart_irq;
}

/*
 * Console input (hyp/vm/console_in.c, doc/console.md) is taken by the CPU
 * of the console-input VM's vCPU 0, or of the first vCPU 0 to run if no VM
 * is; when that VM is gone for good, by the next vCPU 0 to start elsewhere
 * (a CPU without a vCPU takes no interrupts).
 */
static void console_rx_route(struct vcpu *v)
{
	static struct spinlock route_lock = SPINLOCK_INIT;
	static struct vm *route_vm;	/* under route_lock */
	struct vm *in = vuart_input_vm(), *cur;
	bool first;

	if (!console_irq || v->idx || !gic_ready())
		return;
	cur = READ_ONCE(route_vm);
	if (cur == v->vm || (cur && atomic_load_acquire(&cur->state) == VM_RUNNING) ||
	    (!cur && in && in != v->vm))
		return;
	spin_lock(&route_lock);
	cur = route_vm;
	if (cur != v->vm && (!cur || atomic_load_acquire(&cur->state) != VM_RUNNING)) {
		first = !cur;
		WRITE_ONCE(route_vm, v->vm);
		gic_enable_spi(console_irq, arch_cpu_id());
		if (first)
			uart_rx_irq_enable();
		pr_info("console input: UART INTID %u on cpu%u (vm%u's vCPU 0)\n", console_irq,
			arch_cpu_id(), v->vm->id);
	}
	spin_unlock(&route_lock);
}

void arch_vcpu_kick(struct vcpu *v)
{
	if (v->pcpu != arch_cpu_id())
		gic_send_sgi(v->pcpu, GIC_SGI_KICK);
}

void arch_vcpu_destroy(struct vcpu *v)
{
	const struct arm64_vcpu_ctx *c = v->arch;

	if (c && c->exits[ARM64_EXIT_WFI] + c->exits[ARM64_EXIT_WFE] + c->exits[ARM64_EXIT_HVC] +
		 c->exits[ARM64_EXIT_SMC] + c->exits[ARM64_EXIT_SYSREG] + c->exits[ARM64_EXIT_ABORT] +
		 c->exits[ARM64_EXIT_IRQ] + c->exits[ARM64_EXIT_OTHER])
		pr_info("vm%u (%s): vcpu%u exits: wfi %llu wfe %llu hvc %llu smc %llu sysreg %llu "
			"abort %llu irq %llu other %llu; in WFI %llu ms\n", v->vm->id, v->vm->name,
			v->idx, c->exits[ARM64_EXIT_WFI], c->exits[ARM64_EXIT_WFE],
			c->exits[ARM64_EXIT_HVC], c->exits[ARM64_EXIT_SMC],
			c->exits[ARM64_EXIT_SYSREG], c->exits[ARM64_EXIT_ABORT],
			c->exits[ARM64_EXIT_IRQ], c->exits[ARM64_EXIT_OTHER],
			c->wfi_ns / 1000000);
	if (v->arch)
		palloc_free(ptr_to_pa(v->arch), 0);
	v->arch = NULL;
}

#define EL1_REGS(X) \
	X(sctlr, sctlr_el1) X(ttbr0, ttbr0_el1) X(ttbr1, ttbr1_el1) X(tcr, tcr_el1)	\
	X(mair, mair_el1) X(amair, amair_el1) X(vbar, vbar_el1)				\
	X(contextidr, contextidr_el1) X(tpidr_el1, tpidr_el1) X(tpidr_el0, tpidr_el0)	\
	X(tpidrro_el0, tpidrro_el0) X(sp_el1, sp_el1) X(sp_el0, sp_el0)			\
	X(elr_el1, elr_el1) X(spsr_el1, spsr_el1) X(esr, esr_el1) X(far, far_el1)	\
	X(afsr0, afsr0_el1) X(afsr1, afsr1_el1) X(par, par_el1) X(cpacr, cpacr_el1)	\
	X(cntkctl, cntkctl_el1) X(csselr, csselr_el1)

static void el1_restore(const struct arm64_vcpu_ctx *c)
{
#define X(f, r) write_sysreg(r, c->f);
	EL1_REGS(X)
#undef X
}

static void el1_save(struct arm64_vcpu_ctx *c)
{
#define X(f, r) c->f = read_sysreg(r);
	EL1_REGS(X)
#undef X
}

int arch_vcpu_run(struct vcpu *v, struct arch_vcpu_exit *exit)
{
	struct arm64_vcpu_ctx *c = v->arch;
	struct arm64_cpu *pc = this_arm64_cpu();
	u64 hcr_vm = read_sysreg(hcr_el2) & HCR_VM;	/* s2_vm_enter() set it */

	el1_restore(c);
	write_sysreg(vmpidr_el2, BIT(31) | v->idx);	/* Aff0 = vCPU index */
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	vtimer_vcpu_load();
	console_rx_route(v);
	c->gic = gic_ready();
	c->vgic = &vgic_of(v->vm)->cpu[v->idx];
	if (c->gic) {
		vgic_vcpu_load(v);
		vgic_sync_fill(v);
	}
	arm64_debug_load(&c->dbg);
	write_sysreg(mdcr_el2, MDCR_GUEST | arm64_debug_mdcr() | mdcr_hpmn());
	write_sysreg(hcr_el2, HCR_GUEST | hcr_vm);
	isb();
	pc->vcpu = c;
	exit->reason = (int)__guest_enter(c);
	pc->vcpu = NULL;
	vtimer_vcpu_put();
	if (gic_ready())
		vgic_vcpu_put(v);
	el1_save(c);
	/* Back to the hypervisor's HCR_EL2 (arm64_el2_init); VM stays for s2_vm_exit(). */
	write_sysreg(hcr_el2, HCR_RW | hcr_vm);
	isb();
	return 0;
}

static __noreturn void leave(struct arm64_vcpu_ctx *c, struct trap_frame *tf, int reason)
{
	memcpy(c->x, tf->x, sizeof(c->x));
	c->pc = tf->elr;
	c->pstate = tf->spsr;
	__guest_leave(c, (u64)reason);
}

/* Take an exception to the guest's EL1 as the hardware would. */
static void inject(struct trap_frame *tf, unsigned int ec_low, u64 iss)
{
	unsigned int mode = tf->spsr & 0xf;
	bool aarch32 = tf->spsr & BIT(4);	/* SPSR.M[4]: AArch32 (only EL0 can be) */
	bool from_el0 = aarch32 || mode == 0;
	/* EC for "same EL" is the "lower EL" one + 1 for aborts; UNKNOWN has one. */
	unsigned int ec = (ec_low == EC_UNKNOWN || from_el0) ? ec_low : ec_low + 1;
	/* VBAR_EL1 offsets: current EL SP0 / SPx, lower EL AArch64 / AArch32 */
	u64 off = aarch32 ? 0x600 : mode == 0x5 ? 0x200 : mode == 0x4 ? 0x0 : 0x400;

	write_sysreg(esr_el1, (u64)ec << 26 | ESR_IL | iss);
	write_sysreg(far_el1, tf->far);
	write_sysreg(elr_el1, tf->elr);
	write_sysreg(spsr_el1, tf->spsr);
	tf->elr = read_sysreg(vbar_el1) + off;
	tf->spsr = PSTATE_EL1H_MASKED;
}

/*
 * The SMCCC arguments are the frame's x0-x7 in place: no copy in or out
 * (doc/bench.md "Session 7": the two copies were 94 of an HVC's ~510
 * instructions). vm_smccc() writes only a[0..3] (struct smccc_regs), so x4-x7
 * come back unchanged as before.
 */
BUILD_BUG_ON(sizeof(struct smccc_regs) != 8 * sizeof(u64));

static inline void do_smccc(struct vcpu *v, struct trap_frame *tf)
{
	vm_smccc(v, (struct smccc_regs *)tf->x);
}

#define ESR_SSE		BIT(21)		/* ISS: load sign-extends */
#define ESR_SF		BIT(15)		/* ISS: the register is 64 bits (Xt), else Wt */

/*
 * The register value of an emulated load (ESR_EL2.ISS, Arm ARM D17.2.40):
 * @size bytes, sign-extended if SSE (LDRSB/LDRSH/LDRSW), to 64 bits for an
 * Xt or to 32 bits then zero-extended for a Wt (SF clear).
 */
static u64 mmio_load_value(u64 esr, unsigned int size, u64 val)
{
	unsigned int bits = 8 * size;

	if (size < 8) {
		val &= BIT(bits) - 1;
		if ((esr & ESR_SSE) && (val & BIT(bits - 1)))
			val |= ~(BIT(bits) - 1);
	}
	return (esr & ESR_SF) ? val : val & 0xffffffffULL;
}

static void do_abort(struct vcpu *v, struct trap_frame *tf, bool data)
{
	u64 esr = tf->esr;
	unsigned int fsc = esr & 0x3f;
	bool write = data && (esr & ESR_WNR) && !(esr & ESR_S1PTW);
	/*
	 * HPFAR_EL2.FIPA[47:4] holds IPA[55:12] for stage-2 translation/AF/
	 * permission faults (52-bit IPAs included): not cut to 48 bits.
	 */
	u64 ipa = ((read_sysreg(hpfar_el2) >> 4) & GENMASK(43, 0)) << 12 | (tf->far & 0xfff);
	int r = -E_PERM;

	if (fsc >= 0x04 && fsc <= 0x0f && data && vgic_is_mmio(v, ipa))
		r = VM_ABORT_MMIO;
	else if (fsc >= 0x04 && fsc <= 0x0f)
		r = vm_stage2_abort(v, ipa_init(ipa), write, !data);
	else
		vm_warn(v->vm, "abort FSC", "vm%u (%s): vcpu%u: abort with FSC %#x at FAR %#llx: "
			"injecting\n", v->vm->id, v->vm->name, v->idx, fsc, tf->far);
	if (r == VM_ABORT_DONE)
		return;		/* mapped now: the guest retries the access */
	if (r == VM_ABORT_MMIO) {
		unsigned int srt = (esr >> 16) & 31, size = 1U << ((esr >> 22) & 3);
		u64 val = 0;

		if (!(esr & ESR_ISV) || (esr & ESR_S1PTW)) {
			vm_warn(v->vm, "MMIO no ISV", "vm%u (%s): vcpu%u: MMIO at IPA %#llx with an "
				"instruction the hypervisor cannot decode (no ISV): injecting an "
				"abort\n", v->vm->id, v->vm->name, v->idx, ipa);
			r = -E_INVAL;
		} else {
			if (write)
				val = srt == 31 ? 0 : tf->x[srt];
			r = vgic_mmio(v, ipa, write, size, &val);
			if (r == -E_NOENT)
				r = vm_mmio(v, ipa_init(ipa), write, size, &val);
			if (!r) {
				if (!write && srt != 31)
					tf->x[srt] = mmio_load_value(esr, size, val);
				tf->elr += (esr & ESR_IL) ? 4 : 2;	/* IL 0: a 16-bit T32 load/store */
				return;
			}
		}
	}
	inject(tf, data ? EC_DABT_LOW : EC_IABT_LOW,
	       FSC_EXTABT | (write ? ESR_WNR : 0));
}

/*
 * Physical interrupts, taken as a guest exit (HCR_EL2.IMO) or polled after a
 * WFI. Each is acknowledged and its priority dropped at once (EOImode=1);
 * the timers' (virtual, EL1 physical) stay active until the guest deactivates them through
 * the hardware-mapped LR, the others are deactivated here.
 */
static void handle_irqs(struct vcpu *v)
{
	static bool warned;

	for (;;) {
		unsigned int intid = gic_ack();

		if (intid >= 1020)
			break;
		gic_eoi(intid);
		if (intid == GIC_PPI_VTIMER || intid == GIC_PPI_PTIMER) {
			vgic_inject_hw(v, intid);
			continue;
		}
		if (intid >= 32 && arm64_pt_forward(intid))
			continue;	/* a passthrough SPI: active until its guest is done */
		if (intid == GIC_PPI_MAINT)
			vgic_sync_fill(v);	/* level: stays asserted until the LRs change */
		else if (intid == console_irq)
			console_in_rx();
		else if (intid != GIC_SGI_KICK && intid != GIC_PPI_MAINT && !warned) {
			warned = true;
			pr_warn("cpu%u: unexpected physical interrupt %u (ignored)\n",
				arch_cpu_id(), intid);
		}
		gic_deactivate(intid);
	}
	smp_check_stop();	/* a panic elsewhere kicks every CPU */
}

/*
 * WFI with nothing pending: wait in the hypervisor until a physical
 * interrupt (the timer, a kick for a new virtual interrupt or for stopping)
 * arrives; interrupts stay masked at EL2, a pending one ends the WFI anyway.
 */
static void vcpu_wfi(struct vcpu *v)
{
	if (!gic_ready()) {
		arch_cpu_relax();	/* nothing could wake us: behave like a YIELD */
		return;
	}
	for (;;) {
		vgic_sync_fill(v);
		if (v->leave || vcpu_must_exit(v) || vgic_vcpu_pending(v))
			return;
		vtimer_check_lost(v, &((struct arm64_vcpu_ctx *)v->arch)->timer_lost_warned);
		__asm__ __volatile__("dsb sy; wfi" ::: "memory");
		handle_irqs(v);
	}
}

static void do_sysreg(struct vcpu *v, struct trap_frame *tf)
{
	u64 iss = tf->esr & GENMASK(24, 0);
	unsigned int rt = (iss >> 5) & 31;
	bool read = iss & 1;
	unsigned int crm = (iss >> 1) & 15, op2 = (iss >> 17) & 7;
	u64 val = rt == 31 ? 0 : tf->x[rt];

	if ((iss & SYSREG_ID_MASK) == SYSREG_ID_SPACE && crm >= 1 && crm <= 7 && read) {
		if (rt != 31)
			tf->x[rt] = arm64_guest_idreg(crm, op2);
		tf->elr += 4;
		return;
	}
	if (arm64_debug_sysreg(&((struct arm64_vcpu_ctx *)v->arch)->dbg, iss, &val) == 0) {
		if (read && rt != 31)
			tf->x[rt] = val;
		tf->elr += 4;
		return;
	}
	switch (iss & SYSREG_MASK) {
	case SYSREG_ICC_SGI1R:
	case SYSREG_ICC_ASGI1R:
	case SYSREG_ICC_SGI0R:
		if (read || !gic_ready())
			break;
		vgic_sgi(v, rt == 31 ? 0 : tf->x[rt]);
		tf->elr += 4;
		return;
	}
	vm_warn(v->vm, "trapped sysreg", "vm%u (%s): vcpu%u: trapped system register access "
		"ESR %#llx at %#llx: injecting UNDEFINED\n", v->vm->id, v->vm->name, v->idx,
		tf->esr, tf->elr);
	inject(tf, EC_UNKNOWN, 0);
}

void arm64_vcpu_trap(struct arm64_vcpu_ctx *c, struct trap_frame *tf, unsigned int vector)
{
	struct vcpu *v = c->v;
	unsigned int ec = (tf->esr >> 26) & 0x3f;

	if (c->gic)
		vtimer_sample(v, c->vgic);	/* before anything reads or delivers the timer's line */
	switch (vector & 3) {
	case 0:
		switch (ec) {
		case EC_WFX:
			tf->elr += 4;
			if (tf->esr & 1) {
				c->exits[ARM64_EXIT_WFE]++;
				arch_cpu_relax();	/* WFE: a spin-wait hint */
			} else {
				u64 t0 = arm64_now_ns();

				c->exits[ARM64_EXIT_WFI]++;
				vcpu_wfi(v);
				c->wfi_ns += arm64_now_ns() - t0;
			}
			break;
		case EC_SYSREG:
			c->exits[ARM64_EXIT_SYSREG]++;
			do_sysreg(v, tf);
			break;
		case EC_HVC64:
			c->exits[ARM64_EXIT_HVC]++;
			do_smccc(v, tf);	/* ELR is already past the HVC */
			break;
		case EC_SMC64:
			c->exits[ARM64_EXIT_SMC]++;
			do_smccc(v, tf);
			tf->elr += 4;		/* a trapped SMC returns to itself */
			break;
		case EC_DABT_LOW:
		case EC_IABT_LOW:
			c->exits[ARM64_EXIT_ABORT]++;
			do_abort(v, tf, ec == EC_DABT_LOW);
			break;
		default:
			c->exits[ARM64_EXIT_OTHER]++;
			vm_warn(v->vm, "unhandled exit", "vm%u (%s): vcpu%u: unhandled exit EC %#x "
				"ESR %#llx at %#llx: injecting UNDEFINED\n", v->vm->id, v->vm->name,
				v->idx, ec, tf->esr, tf->elr);
			inject(tf, EC_UNKNOWN, 0);
		}
		break;
	case 3:
		pr_err("vcpu%u: SError from the guest (ESR %#llx): stopping its VM\n",
		       v->idx, tf->esr);
		leave(c, tf, VCPU_EXIT_ERROR);
	case 1:
		c->exits[ARM64_EXIT_IRQ]++;
		handle_irqs(v);
		break;
	default:
		c->exits[ARM64_EXIT_OTHER]++;
		break;	/* FIQ: the hypervisor enables no group 0 interrupt */
	}
	if (v->leave)
		leave(c, tf, VCPU_EXIT_OFF);
	if (vcpu_must_exit(v))
		leave(c, tf, VCPU_EXIT_VM_OFF);
	vgic_exit_sync(v, c->vgic);
}
