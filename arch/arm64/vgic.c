// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual GICv3: interrupt state of each VM and the list registers of the
 * hardware's virtual CPU interface (arm64/vgic.h, doc/interrupts.md).
 *
 * Life of a virtual interrupt: a source (vuart line, guest SGI, the
 * physical virtual-timer PPI, a guest write to ISPENDR) sets it pending
 * under the VM's vGIC lock and kicks the vCPU it targets. That vCPU's
 * physical CPU, at its next return to the guest (every exit ends in
 * vgic_sync_fill()), first takes back what the guest finished with (LRs
 * the guest deactivated), then puts the highest-priority pending, enabled
 * interrupts into free LRs. What does not fit waits in software with the
 * underflow maintenance interrupt armed (ICH_HCR_EL2.UIE), so a refill
 * happens as soon as the guest has worked through the LRs. Level-sensitive
 * interrupts of emulated devices carry LR.EOI: their deactivation exits
 * (maintenance interrupt) and the line is sampled again.
 */
#include <hyp/atomic.h>
#include <hyp/console.h>
#include <hyp/string.h>
#include <hyp/vm/vm.h>
#include <arm64/cpufeature.h>
#include <arm64/gic.h>
#include <arm64/sysreg.h>
#include <arm64/vgic.h>

#define LR_STATE_SHIFT	62
#define LR_PENDING	BIT(62)
#define LR_ACTIVE	BIT(63)
#define LR_HW		BIT(61)
#define LR_GROUP1	BIT(60)
#define LR_EOI		BIT(41)
#define LR_PRIO_SHIFT	48
#define LR_PINTID_SHIFT	32

#define ICH_HCR_EN	BIT(0)
#define ICH_HCR_UIE	BIT(1)

static struct vgic vgics[VM_MAX];

struct vgic *vgic_of(struct vm *vm)
{
	return &vgics[vm->id];
}

static u64 read_lr(unsigned int n)
{
	if (vgic_is_v2())
		return vgic_v2_read_lr(n);
	switch (n) {
#define C(i) case i: return read_sysreg(ich_lr##i##_el2);
	C(0) C(1) C(2) C(3) C(4) C(5) C(6) C(7)
	C(8) C(9) C(10) C(11) C(12) C(13) C(14) C(15)
#undef C
	}
	return 0;
}

static void write_lr(unsigned int n, u64 v)
{
	if (vgic_is_v2()) {
		vgic_v2_write_lr(n, v);
		return;
	}
	switch (n) {
#define C(i) case i: write_sysreg(ich_lr##i##_el2, v); break;
	C(0) C(1) C(2) C(3) C(4) C(5) C(6) C(7)
	C(8) C(9) C(10) C(11) C(12) C(13) C(14) C(15)
#undef C
	}
}

static unsigned int nr_lrs(void)
{
	return MIN(vgic_is_v2() ? vgic_v2_nr_lrs() : cpu_features.ich_lrs,
		   (unsigned int)VGIC_MAX_LRS);
}

/* ICH_HCR/ELRSR/MISR/VMCR_EL2, or their GICH equivalents (vgic_v2.c). */
static u64 hcr_read(void)
{
	return vgic_is_v2() ? vgic_v2_hcr() : read_sysreg(ich_hcr_el2);
}

static void hcr_write(u64 v)
{
	if (vgic_is_v2())
		vgic_v2_set_hcr(v);
	else
		write_sysreg(ich_hcr_el2, v);
}

static u64 elrsr_read(void)
{
	return vgic_is_v2() ? vgic_v2_elrsr() : read_sysreg(ich_elrsr_el2);
}

static u64 misr_read(void)
{
	return vgic_is_v2() ? vgic_v2_misr() : read_sysreg(ich_misr_el2);
}

static void vmcr_write(u64 v)
{
	if (vgic_is_v2())
		vgic_v2_set_vmcr(v);
	else
		write_sysreg(ich_vmcr_el2, v);
}

/* Active-priority registers implemented: 1, 2 or 4 (ICH_VTR_EL2.PREbits). */
static void clear_aprs(void)
{
	unsigned int pre;

	if (vgic_is_v2()) {
		vgic_v2_clear_aprs();
		return;
	}
	pre = (unsigned int)((read_sysreg(ich_vtr_el2) >> 26) & 7) + 1;
	write_sysreg(ich_ap0r0_el2, 0);
	write_sysreg(ich_ap1r0_el2, 0);
	if (pre >= 6) {
		write_sysreg(ich_ap0r1_el2, 0);
		write_sysreg(ich_ap1r1_el2, 0);
	}
	if (pre == 7) {
		write_sysreg(ich_ap0r2_el2, 0);
		write_sysreg(ich_ap1r2_el2, 0);
		write_sysreg(ich_ap0r3_el2, 0);
		write_sysreg(ich_ap1r3_el2, 0);
	}
}

bool vgic_overlaps(u64 base, u64 size, unsigned int nr_vcpus)
{
	u64 rend = VGIC_GICR_BASE + (u64)nr_vcpus * VGIC_GICR_STRIDE;

	return (base < VGIC_GICD_BASE + VGIC_GICD_SIZE && base + size > VGIC_GICD_BASE) ||
	       (base < rend && base + size > VGIC_GICR_BASE);
}

static void irq_reset(struct vgic_irq *irq, bool edge)
{
	memset(irq, 0, sizeof(*irq));
	irq->group = vgic_is_v2() ? 0 : 1;	/* GICD_IGROUPR's reset value */
	irq->edge = edge;
	irq->lr = VGIC_NO_LR;
}

int vgic_vm_init(struct vm *vm)
{
	struct vgic *g = vgic_of(vm);

	if (vgic_overlaps(ipa_addr(vm->ram_base), vm->ram_size, vm->nr_vcpus)) {
		pr_err("vm%u (%s): RAM overlaps the virtual GIC at %#llx/%#llx\n", vm->id,
		       vm->name, VGIC_GICD_BASE, VGIC_GICR_BASE);
		return -E_RANGE;
	}
	if (vgic_absent() && !vm->incarnation)
		pr_warn("vm%u (%s): the host GIC is a GICv2: no virtual GIC, no interrupts "
			"(doc/boards.md)\n", vm->id, vm->name);
	memset(g, 0, sizeof(*g));
	spin_lock_init(&g->lock);
	g->vm = vm;
	g->nr_vcpus = vm->nr_vcpus;
	for (unsigned int i = 0; i < VGIC_NR_SPIS; i++)
		irq_reset(&g->spi[i], false);
	for (unsigned int c = 0; c < HYP_MAX_CPUS; c++) {
		for (unsigned int i = 0; i < 32; i++)
			irq_reset(&g->cpu[c].priv[i], i < 16);	/* SGIs edge, PPIs level */
		g->cpu[c].waker = BIT(1);			/* ProcessorSleep */
	}
	return 0;
}

struct vgic_irq *vgic_irq(struct vgic *g, unsigned int vcpu, unsigned int intid)
{
	if (intid < 32)
		return vcpu < g->nr_vcpus ? &g->cpu[vcpu].priv[intid] : NULL;
	if (intid < VGIC_NR_IRQS)
		return &g->spi[intid - 32];
	return NULL;
}

/* The vCPU an interrupt is delivered to. */
static unsigned int irq_owner(struct vgic *g, struct vgic_irq *irq)
{
	if (irq >= &g->spi[0] && irq < &g->spi[VGIC_NR_SPIS])
		return irq->target;
	return (unsigned int)(((const u8 *)irq - (const u8 *)&g->cpu[0]) / sizeof(g->cpu[0]));
}

void vgic_update_target(struct vgic *g, struct vgic_irq *irq)
{
	u64 aff0 = irq->irouter & 0xff;

	/* IRM=1 (any vCPU) or an affinity that names no vCPU: vCPU 0. */
	if ((irq->irouter & BIT(31)) || (irq->irouter & 0xff00ffff00ULL) || aff0 >= g->nr_vcpus)
		aff0 = 0;
	irq->target = (u8)aff0;
	/* A passthrough SPI follows its vCPU: the physical one goes to that CPU. */
	if (irq->pt)
		gic_enable_spi(32 + (unsigned int)(((const u8 *)irq - (const u8 *)g->spi) /
						 sizeof(*irq)), g->vm->vcpus[aff0].pcpu);
}

void vgic_kick_locked(struct vgic *g, unsigned int vcpu)
{
	if (vcpu >= g->nr_vcpus)
		return;
	atomic_store_release(&g->cpu[vcpu].kicked, 1);
	if (g->vm->vcpus[vcpu].pcpu != arch_cpu_id())
		arch_vcpu_kick(&g->vm->vcpus[vcpu]);
}

static inline bool deliverable(const struct vgic *g, const struct vgic_irq *irq)
{
	/* Neither latched nor a raised line (most interrupts): nothing to deliver. */
	if (!irq->pending && !irq->line)
		return false;
	return irq->lr == VGIC_NO_LR && irq->enabled &&
	       (irq->pending || (!irq->edge && !irq->hw && irq->line)) &&
	       (g->ctlr & BIT(irq->group ? 1 : 0));
}

/*
 * Highest-priority deliverable interrupt of vCPU @c, lowest INTID first;
 * *@more (if given): whether another one is deliverable too. Private ones,
 * then SPIs, in two loops (one test less per interrupt; with *@more the
 * fill needs one scan per interrupt delivered, not two: doc/bench.md
 * "Session 7").
 */
static struct vgic_irq *best_pending(struct vgic *g, unsigned int c, unsigned int *intid,
				     bool *more)
{
	struct vgic_irq *best = NULL;
	unsigned int n = 0;

	for (unsigned int i = 0; i < 32; i++) {
		struct vgic_irq *irq = &g->cpu[c].priv[i];

		if (!deliverable(g, irq))
			continue;
		n++;
		if (!best || irq->prio < best->prio) {
			best = irq;
			*intid = i;
		}
	}
	for (unsigned int i = 0; i < VGIC_NR_SPIS; i++) {
		struct vgic_irq *irq = &g->spi[i];

		if (irq->target != c || !deliverable(g, irq))
			continue;
		n++;
		if (!best || irq->prio < best->prio) {
			best = irq;
			*intid = 32 + i;
		}
	}
	if (more)
		*more = n > 1;
	return best;
}

/* LRs back to software: what the guest deactivated leaves its LR. */
static void sync_lrs(struct vgic *g, unsigned int c) __must_hold(&g->lock)
{
	struct vgic_cpu *vc = &g->cpu[c];

	for (unsigned int lr = 0; lr < VGIC_MAX_LRS; lr++) {
		struct vgic_irq *irq;
		u64 val;

		if (!(vc->lr_used & BIT(lr)))
			continue;
		val = read_lr(lr);
		irq = vgic_irq(g, c, vc->lr_intid[lr]);
		if (!(val & (LR_PENDING | LR_ACTIVE))) {
			/*
			 * Done. HW=1: the guest's deactivation reached the physical
			 * one; if that has fired again since (vgic_inject_hw() set
			 * pending), the new activation keeps hw.
			 */
			write_lr(lr, 0);
			vc->lr_used &= ~BIT(lr);
			irq->lr = VGIC_NO_LR;
			if (!irq->pending)
				irq->hw = 0;
			continue;
		}
		if (!irq->enabled && !(val & LR_ACTIVE) && !irq->hw) {
			/* Disabled while only pending: back to software, still pending. */
			write_lr(lr, 0);
			vc->lr_used &= ~BIT(lr);
			irq->lr = VGIC_NO_LR;
			irq->pending = 1;
			continue;
		}
		if (irq->pending) {
			/* Another edge while it was in the LR: active -> active+pending. */
			if (!(val & LR_PENDING))
				write_lr(lr, val | LR_PENDING);
			irq->pending = 0;
		}
	}
}

static void fill_lrs(struct vgic *g, unsigned int c) __must_hold(&g->lock)
{
	struct vgic_cpu *vc = &g->cpu[c];
	u64 hcr = ICH_HCR_EN;
	unsigned int n = nr_lrs(), intid = 0;
	struct vgic_irq *irq;
	bool more = true;	/* something may still be deliverable */

	for (unsigned int lr = 0; lr < n && more; lr++) {
		u64 val;

		if (vc->lr_used & BIT(lr))
			continue;
		irq = best_pending(g, c, &intid, &more);
		if (!irq)
			break;	/* more is false */
		val = LR_PENDING | (u64)irq->prio << LR_PRIO_SHIFT | intid |
		      (irq->group ? LR_GROUP1 : 0) | (irq->active ? LR_ACTIVE : 0);
		if (irq->hw)
			val |= LR_HW | (u64)intid << LR_PINTID_SHIFT;
		else if (!irq->edge)
			val |= LR_EOI;	/* resample the line when the guest is done */
		write_lr(lr, val);
		irq->lr = (u8)lr;
		irq->pending = 0;
		irq->active = 0;
		vc->lr_intid[lr] = (u16)intid;
		vc->lr_used |= BIT(lr);
	}
	if (more && best_pending(g, c, &intid, NULL))
		hcr |= ICH_HCR_UIE;	/* more than fits: refill when the LRs drain */
	hcr_write(hcr);
	vc->uie = hcr & ICH_HCR_UIE;
}

void vgic_sync_fill(struct vcpu *v)
{
	struct vgic *g = vgic_of(v->vm);
	struct vgic_cpu *vc = &g->cpu[v->idx];
	u64 empty;

	if (!vc->loaded || vgic_absent())
		return;
	/* An LR with EOI=1 the guest finished is not "empty" but raises MISR.EOI. */
	empty = elrsr_read();
	if (!(empty & vc->lr_used) && !atomic_load_acquire(&vc->kicked) &&
	    !(hcr_read() & ICH_HCR_UIE) && !misr_read())
		return;		/* nothing changed: the common exit */
	atomic_store_release(&vc->kicked, 0);
	spin_lock(&g->lock);
	sync_lrs(g, v->idx);
	fill_lrs(g, v->idx);
	spin_unlock(&g->lock);
	isb();
}

bool vgic_vcpu_pending(struct vcpu *v)
{
	struct vgic *g = vgic_of(v->vm);
	struct vgic_cpu *vc = &g->cpu[v->idx];
	unsigned int intid;
	bool p = false;

	if (vgic_absent())
		return false;
	for (unsigned int lr = 0; lr < VGIC_MAX_LRS && !p; lr++)
		if ((vc->lr_used & BIT(lr)) && (read_lr(lr) & LR_PENDING))
			p = true;
	if (p)
		return true;
	spin_lock(&g->lock);
	p = best_pending(g, v->idx, &intid, NULL) != NULL;
	spin_unlock(&g->lock);
	return p;
}

void vgic_vcpu_load(struct vcpu *v)
{
	struct vgic_cpu *vc = &vgic_of(v->vm)->cpu[v->idx];

	if (vgic_absent())
		return;
	for (unsigned int lr = 0; lr < nr_lrs(); lr++)
		write_lr(lr, 0);
	clear_aprs();
	vc->lr_used = 0;
	vmcr_write(0);
	hcr_write(ICH_HCR_EN);
	vc->uie = false;
	if (!vgic_is_v2())
		write_sysreg(icc_sre_el1, BIT(0));	/* the guest sees a system-register GIC */
	isb();
	vc->loaded = true;
	atomic_store_release(&vc->kicked, 1);	/* fill at the first entry */
}

void vgic_vcpu_put(struct vcpu *v)
{
	struct vgic *g = vgic_of(v->vm);
	struct vgic_cpu *vc = &g->cpu[v->idx];

	if (vgic_absent())
		return;
	spin_lock(&g->lock);
	for (unsigned int lr = 0; lr < VGIC_MAX_LRS; lr++) {
		struct vgic_irq *irq;
		u64 val;

		if (!(vc->lr_used & BIT(lr)))
			continue;
		val = read_lr(lr);
		irq = vgic_irq(g, v->idx, vc->lr_intid[lr]);
		irq->lr = VGIC_NO_LR;
		if ((val & LR_PENDING) && !irq->hw)
			irq->pending = 1;	/* still owed to the guest */
		if (irq->hw && vc->lr_intid[lr] >= 32) {
			/* A passthrough SPI the guest never finished: end it here. */
			gic_deactivate(vc->lr_intid[lr]);
			irq->hw = 0;
			irq->pending = 0;
		}
		write_lr(lr, 0);
	}
	vc->lr_used = 0;
	vc->loaded = false;
	vc->uie = false;
	/* A forwarded physical interrupt the guest never finished: end it here. */
	for (unsigned int i = 16; i < 32; i++) {
		struct vgic_irq *irq = &vc->priv[i];

		if (irq->hw) {
			gic_deactivate(i);
			irq->hw = 0;
			irq->pending = 0;
		}
	}
	spin_unlock(&g->lock);
	hcr_write(0);
	vmcr_write(0);
	clear_aprs();
	isb();
}

void vgic_inject(struct vcpu *v, unsigned int intid)
{
	struct vgic *g = vgic_of(v->vm);
	struct vgic_irq *irq;

	spin_lock(&g->lock);
	irq = vgic_irq(g, v->idx, intid);
	if (irq) {
		irq->pending = 1;
		vgic_kick_locked(g, irq_owner(g, irq));
	}
	spin_unlock(&g->lock);
}

void vgic_set_level(struct vm *vm, unsigned int intid, bool level)
{
	struct vgic *g = vgic_of(vm);
	struct vgic_irq *irq;

	if (intid < 32)
		return;
	spin_lock(&g->lock);
	irq = vgic_irq(g, 0, intid);
	if (irq && irq->line != level) {
		irq->line = level;
		if (level && irq->edge)
			irq->pending = 1;
		if (level)
			vgic_kick_locked(g, irq_owner(g, irq));
	}
	spin_unlock(&g->lock);
}

void vgic_inject_hw(struct vcpu *v, unsigned int intid)
{
	struct vgic *g = vgic_of(v->vm);
	struct vgic_irq *irq = &g->cpu[v->idx].priv[intid & 31];

	if (vgic_absent()) {
		gic_deactivate(intid);	/* nobody to forward it to (doc/boards.md) */
		return;
	}
	spin_lock(&g->lock);
	irq->hw = 1;
	irq->pending = 1;
	atomic_store_release(&g->cpu[v->idx].kicked, 1);
	spin_unlock(&g->lock);
}

void vgic_inject_hw_spi(struct vm *vm, unsigned int intid)
{
	struct vgic *g = vgic_of(vm);
	struct vgic_irq *irq;

	spin_lock(&g->lock);
	irq = vgic_irq(g, 0, intid);
	if (irq && irq->pt) {
		irq->hw = 1;
		irq->pending = 1;
		vgic_kick_locked(g, irq->target);
	} else {
		gic_deactivate(intid);	/* no longer the VM's: drop it */
	}
	spin_unlock(&g->lock);
}

void vgic_hw_line_low(struct vcpu *v, unsigned int intid)
{
	struct vgic *g = vgic_of(v->vm);
	struct vgic_cpu *vc = &g->cpu[v->idx];
	struct vgic_irq *irq = &vc->priv[intid & 31];

	/* Only this CPU sets hw for its running vCPU's PPIs: the common exit is one load. */
	if (vgic_absent() || !READ_ONCE(irq->hw))
		return;
	spin_lock(&g->lock);
	if (irq->hw && irq->lr != VGIC_NO_LR && vc->loaded &&
	    (read_lr(irq->lr) & (LR_PENDING | LR_ACTIVE)) == LR_PENDING) {
		/* Listed but not yet taken by the guest: take it back. */
		write_lr(irq->lr, 0);
		vc->lr_used &= ~BIT(irq->lr);
		irq->lr = VGIC_NO_LR;
		irq->pending = 1;	/* dropped just below */
	}
	if (irq->hw && irq->pending && irq->lr == VGIC_NO_LR) {
		/*
		 * Level-sensitive (doc/guest-fidelity.md): the source no longer
		 * asserts it, so it is not pending any more; the physical PPI,
		 * active since it was taken, may fire again when it is.
		 */
		irq->pending = 0;
		irq->hw = 0;
		gic_deactivate(intid);
	}
	spin_unlock(&g->lock);
}

void vgic_sgi(struct vcpu *v, u64 val)
{
	struct vgic *g = vgic_of(v->vm);
	unsigned int intid = (val >> 24) & 0xf, rs = (val >> 44) & 0xf;

	spin_lock(&g->lock);
	for (unsigned int t = 0; t < g->nr_vcpus; t++) {
		bool hit;

		if (val & BIT(40))		/* IRM: every vCPU but the sender */
			hit = t != v->idx;
		else				/* Aff3.Aff2.Aff1 must be 0: our vCPUs' */
			hit = !(val & (0xffULL << 48 | 0xffULL << 32 | 0xffULL << 16)) &&
			      t / 16 == rs && (val & BIT(t % 16));
		if (!hit)
			continue;
		g->cpu[t].priv[intid].pending = 1;
		vgic_kick_locked(g, t);
	}
	spin_unlock(&g->lock);
}
