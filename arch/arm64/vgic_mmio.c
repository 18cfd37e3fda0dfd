// SPDX-License-Identifier: GPL-2.0
/*
 * Registers of the virtual GICv3's distributor and redistributors
 * (arm64/vgic.h, doc/interrupts.md): what Linux's irq-gic-v3 driver and the
 * guest test kernels use. Affinity routing is always on (GICD_CTLR.ARE
 * RAO/WI), one security state (DS RAO/WI), no LPIs/ITS, no extended SPI/PPI
 * ranges. Unknown or reserved offsets read as zero and ignore writes; a
 * register accessed with a size the architecture does not allow does too.
 */
#include <hyp/console.h>
#include <hyp/vm/vm.h>
#include <arm64/gic.h>
#include <arm64/vgic.h>

#define GICD_CTLR	0x0000
#define GICD_TYPER	0x0004
#define GICD_IIDR	0x0008
#define GICD_IGROUPR	0x0080
#define GICD_ISENABLER	0x0100
#define GICD_ICENABLER	0x0180
#define GICD_ISPENDR	0x0200
#define GICD_ICPENDR	0x0280
#define GICD_ISACTIVER	0x0300
#define GICD_ICACTIVER	0x0380
#define GICD_IPRIORITYR	0x0400
#define GICD_ICFGR	0x0c00
#define GICD_IROUTER	0x6000
#define GIC_PIDR2	0xffe8

#define GICR_CTLR	0x0000
#define GICR_IIDR	0x0004
#define GICR_TYPER	0x0008
#define GICR_WAKER	0x0014
#define GICR_SGI	0x10000

#define CTLR_ARE	BIT(4)
#define CTLR_DS		BIT(6)
#define IIDR_VALUE	0x0100069bU	/* ProductID 1, implementer code of our own */
#define PIDR2_GICV3	0x3b		/* ArchRev 3 */

enum bitreg { B_GROUP, B_SENABLE, B_CENABLE, B_SPEND, B_CPEND, B_SACTIVE, B_CACTIVE };

/* Pending / active as the guest sees them, LRs of the accessing vCPU included. */
static bool irq_pending(const struct vgic_irq *irq)
{
	return irq->pending || (!irq->edge && irq->line) || irq->lr != VGIC_NO_LR;
}

/* One 32-bit word of a 1-bit-per-INTID register, INTIDs first .. first+31. */
static u32 bits_rw(struct vgic *g, unsigned int vcpu, unsigned int first, enum bitreg r,
		   bool write, u32 val) __must_hold(&g->lock)
{
	u32 out = 0;
	bool kick = false;

	for (unsigned int b = 0; b < 32; b++) {
		struct vgic_irq *irq = vgic_irq(g, vcpu, first + b);
		bool set = val & BIT(b);

		if (!irq)
			break;
		if (!write) {
			bool on = r == B_GROUP ? irq->group :
				  r <= B_CENABLE ? irq->enabled :
				  r <= B_CPEND ? irq_pending(irq) : irq->active;

			out |= on ? BIT(b) : 0;
			continue;
		}
		if (!set && r != B_GROUP)
			continue;
		switch (r) {
		case B_GROUP:
			irq->group = set;
			break;
		case B_SENABLE:
			kick |= !irq->enabled;
			irq->enabled = 1;
			break;
		case B_CENABLE:
			irq->enabled = 0;
			kick = true;	/* the owner takes it out of its LRs */
			break;
		case B_SPEND:
			irq->pending = 1;
			kick = true;
			break;
		case B_CPEND:
			/* Not retracted from an LR already holding it. */
			irq->pending = 0;
			if (irq->hw && irq->lr == VGIC_NO_LR && first < 32) {
				gic_clear_active_ppi(g->vm->vcpus[vcpu].pcpu, first + b);
				irq->hw = 0;
			} else if (irq->hw && irq->lr == VGIC_NO_LR && irq->pt) {
				/* A passthrough SPI (doc/passthrough.md): end the physical one too. */
				gic_deactivate(first + b);
				irq->hw = 0;
			}
			break;
		case B_SACTIVE:
			irq->active = irq->lr == VGIC_NO_LR;
			break;
		case B_CACTIVE:
			irq->active = 0;
			break;
		}
		if (kick)
			vgic_kick_locked(g, first < 32 ? vcpu : irq->target);
		kick = false;
	}
	return out;
}

/* The bit registers and priorities common to GICD (SPIs) and GICR (SGI/PPI). */
bool vgic_common_rw(struct vgic *g, unsigned int vcpu, u32 off, unsigned int first_ok,
		      unsigned int limit, bool write, unsigned int size, u64 *val)
	__must_hold(&g->lock)
{
	if (off >= GICD_IGROUPR && off < GICD_IPRIORITYR) {
		unsigned int first = (off & 0x7f) / 4 * 32;
		enum bitreg r = (enum bitreg)((off - GICD_IGROUPR) / 0x80);

		if (size != 4 || (off & 3) || first < first_ok || first >= limit)
			return false;
		*val = bits_rw(g, vcpu, first, r, write, (u32)*val);
		return true;
	}
	if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 1020) {
		unsigned int first = off - GICD_IPRIORITYR;
		u64 out = 0;

		if ((size != 1 && size != 4) || (off & (size - 1)) || first < first_ok ||
		    first + size > limit)
			return false;
		for (unsigned int i = 0; i < size; i++) {
			struct vgic_irq *irq = vgic_irq(g, vcpu, first + i);

			if (write)
				irq->prio = (u8)(*val >> (8 * i));
			else
				out |= (u64)irq->prio << (8 * i);
		}
		if (!write)
			*val = out;
		return true;
	}
	if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100) {
		unsigned int first = (off - GICD_ICFGR) / 4 * 16;
		u32 out = 0;

		if (size != 4 || (off & 3) || first < first_ok || first >= limit)
			return false;
		for (unsigned int i = 0; i < 16; i++) {
			struct vgic_irq *irq = vgic_irq(g, vcpu, first + i);

			if (!irq)
				break;
			if (write && first + i >= 16)	/* SGIs are always edge */
				irq->edge = (*val >> (2 * i + 1)) & 1;
			out |= (u32)irq->edge << (2 * i + 1);
		}
		if (!write)
			*val = out;
		return true;
	}
	return false;
}

static void gicd_rw(struct vgic *g, struct vcpu *v, u32 off, bool write, unsigned int size,
		    u64 *val) __must_hold(&g->lock)
{
	if (vgic_common_rw(g, v->idx, off, 32, VGIC_NR_IRQS, write, size, val))
		return;
	if (off >= GICD_IROUTER + 8 * 32 && off < GICD_IROUTER + 8 * VGIC_NR_IRQS &&
	    (size == 8 || size == 4) && !(off & (size - 1))) {
		struct vgic_irq *irq = vgic_irq(g, 0, (off - GICD_IROUTER) / 8);
		unsigned int sh = (off & 4) * 8;
		u64 mask = size == 8 ? ~0ULL : 0xffffffffULL << sh;

		if (write) {
			irq->irouter = (irq->irouter & ~mask) | ((*val << sh) & mask);
			irq->irouter &= 0xff00ffffffULL | BIT(31);
			vgic_update_target(g, irq);
			if (irq->pending || irq->line)
				vgic_kick_locked(g, irq->target);
		} else {
			*val = (irq->irouter & mask) >> sh;
		}
		return;
	}
	if (size != 4)
		goto raz_wi;
	switch (off) {
	case GICD_CTLR:
		if (write) {
			g->ctlr = (u32)*val & 3;
			for (unsigned int i = 0; i < g->nr_vcpus; i++)
				vgic_kick_locked(g, i);
		} else {
			*val = g->ctlr | CTLR_ARE | CTLR_DS;
		}
		return;
	case GICD_TYPER:
		/* ITLinesNumber, CPUNumber, IDbits = 10 bits, No1N. */
		*val = write ? *val : (VGIC_NR_IRQS / 32 - 1) | (MIN(g->nr_vcpus, 8U) - 1) << 5 |
			9U << 19 | BIT(25);
		return;
	case GICD_IIDR:
		*val = write ? *val : IIDR_VALUE;
		return;
	case GIC_PIDR2:
		*val = write ? *val : PIDR2_GICV3;
		return;
	}
raz_wi:
	if (!write)
		*val = 0;
}

static void gicr_rw(struct vgic *g, unsigned int idx, u32 off, bool write, unsigned int size,
		    u64 *val) __must_hold(&g->lock)
{
	struct vgic_cpu *vc = &g->cpu[idx];

	if (off >= GICR_SGI) {
		if (vgic_common_rw(g, idx, off - GICR_SGI, 0, 32, write, size, val))
			return;
		if (!write)
			*val = 0;
		return;
	}
	if (off == GICR_TYPER || off == GICR_TYPER + 4) {
		u64 typer = (u64)idx << 32 | idx << 8 | (idx == g->nr_vcpus - 1 ? BIT(4) : 0);

		if (!write)
			*val = size == 8 && off == GICR_TYPER ? typer :
			       size == 4 ? (u32)(typer >> ((off & 4) * 8)) : 0;
		return;
	}
	if (size != 4) {
		if (!write)
			*val = 0;
		return;
	}
	switch (off) {
	case GICR_WAKER:
		if (write)
			vc->waker = (u32)*val & BIT(1);
		else	/* ChildrenAsleep follows ProcessorSleep at once */
			*val = vc->waker | (vc->waker ? BIT(2) : 0);
		return;
	case GICR_IIDR:
		*val = write ? *val : IIDR_VALUE;
		return;
	case GIC_PIDR2:
		*val = write ? *val : PIDR2_GICV3;
		return;
	}
	if (!write)
		*val = 0;	/* GICR_CTLR (no LPIs), STATUSR, PROPBASER, ... */
}

bool vgic_is_mmio(struct vcpu *v, u64 ipa)
{
	if (vgic_is_v2())
		return vgic_v2_is_mmio(ipa);
	return !vgic_absent() &&
	       ((ipa >= VGIC_GICD_BASE && ipa < VGIC_GICD_BASE + VGIC_GICD_SIZE) ||
	       (ipa >= VGIC_GICR_BASE &&
		ipa < VGIC_GICR_BASE + vgic_of(v->vm)->nr_vcpus * VGIC_GICR_STRIDE));
}

int vgic_mmio(struct vcpu *v, u64 ipa, bool write, unsigned int size, u64 *val)
{
	struct vgic *g = vgic_of(v->vm);
	u64 rbase = VGIC_GICR_BASE;

	if (vgic_is_v2())
		return vgic_v2_mmio(v, ipa, write, size, val);
	if (ipa >= VGIC_GICD_BASE && ipa < VGIC_GICD_BASE + VGIC_GICD_SIZE) {
		spin_lock(&g->lock);
		gicd_rw(g, v, (u32)(ipa - VGIC_GICD_BASE), write, size, val);
		spin_unlock(&g->lock);
		return 0;
	}
	if (ipa >= rbase && ipa < rbase + g->nr_vcpus * VGIC_GICR_STRIDE) {
		spin_lock(&g->lock);
		gicr_rw(g, (unsigned int)((ipa - rbase) / VGIC_GICR_STRIDE),
			(u32)((ipa - rbase) % VGIC_GICR_STRIDE), write, size, val);
		spin_unlock(&g->lock);
		return 0;
	}
	return -E_NOENT;
}
