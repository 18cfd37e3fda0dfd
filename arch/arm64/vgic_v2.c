// SPDX-License-Identifier: GPL-2.0
/*
 * The virtual GICv2 of a VM on a GICv2 host (GIC-400 with the
 * virtualization extensions; doc/boards.md). vgic.c's interrupt state and
 * list-register logic is the same for both GIC versions: it works on
 * GICv3-format list registers, and on a GICv2 host this file translates
 * them to and from GICH_LRn (IHI 0048B, 5.3) and stands in for the other
 * ICH_* registers (GICH_HCR, ELRSR0, MISR, VMCR, APR).
 *
 * The guest sees (IPA): GICD at 0x08000000 (64 KiB, emulated below), GICC
 * at 0x08010000 (8 KiB): the hardware's virtual CPU interface GICV, reached
 * by forwarding each trapped access to GICV from EL2 on the vCPU's own
 * physical CPU, where its list registers are loaded (GICV is banked per CPU
 * like GICC). Forwarding instead of mapping GICV into stage 2 costs an exit
 * per GICC access (doc/boards.md).
 */
#include <hyp/console.h>
#include <hyp/platform.h>
#include <hyp/vm/vm.h>
#include <arm64/gic.h>
#include <arm64/gicv2.h>
#include <arm64/vgic.h>

#define GICH_HCR		0x000
#define GICH_VMCR		0x008
#define GICH_MISR		0x010
#define GICH_ELRSR0		0x030
#define GICH_APR		0x0f0
#define GICH_LR0		0x100

#define V2_LR_HW		BIT(31)
#define V2_LR_GROUP1		BIT(30)
#define V2_LR_ACTIVE		BIT(29)
#define V2_LR_PENDING		BIT(28)
#define V2_LR_PRIO_SHIFT	23
#define V2_LR_EOI		BIT(19)
#define V2_LR_PID_SHIFT		10

/* vgic.c's GICv3 LR layout (ICH_LR<n>_EL2). */
#define V3_LR_ACTIVE		BIT(63)
#define V3_LR_PENDING		BIT(62)
#define V3_LR_HW		BIT(61)
#define V3_LR_GROUP1		BIT(60)
#define V3_LR_EOI		BIT(41)
#define V3_LR_PRIO_SHIFT	48
#define V3_LR_PINTID_SHIFT	32

#define GICD_CTLR		0x000
#define GICD_TYPER		0x004
#define GICD_IIDR		0x008
#define GICD_IGROUPR		0x080
#define GICD_ITARGETSR		0x800
#define GICD_ICFGR		0xc00
#define GICD_SGIR		0xf00
#define GICD_PIDR2		0xfe8
#define GICC_EOIR		0x0010
#define GICC_DIR		0x1000
#define IIDR_VALUE		0x0100069bU	/* as the vGICv3's */
#define PIDR2_GICV2		0x2b		/* ArchRev 2 */

static inline volatile u32 *gich(u32 off)
{
	return (volatile u32 *)((volatile u8 *)pa_to_ptr(platform.gich_base) + off);
}

unsigned int vgic_v2_nr_lrs(void)
{
	return gicv2_list_regs();
}

u64 vgic_v2_read_lr(unsigned int n)
{
	u32 lr = *gich(GICH_LR0 + 4 * n);
	u64 v = lr & 0x3ff;

	v |= (u64)((lr >> V2_LR_PRIO_SHIFT) & 0x1f) << (V3_LR_PRIO_SHIFT + 3);
	v |= lr & V2_LR_PENDING ? V3_LR_PENDING : 0;
	v |= lr & V2_LR_ACTIVE ? V3_LR_ACTIVE : 0;
	v |= lr & V2_LR_GROUP1 ? V3_LR_GROUP1 : 0;
	if (lr & V2_LR_HW)
		v |= V3_LR_HW | (u64)((lr >> V2_LR_PID_SHIFT) & 0x3ff) << V3_LR_PINTID_SHIFT;
	else if (lr & V2_LR_EOI)
		v |= V3_LR_EOI;
	return v;
}

void vgic_v2_write_lr(unsigned int n, u64 v)
{
	u32 lr = (u32)(v & 0x3ff);

	lr |= (u32)((v >> (V3_LR_PRIO_SHIFT + 3)) & 0x1f) << V2_LR_PRIO_SHIFT;
	lr |= v & V3_LR_PENDING ? V2_LR_PENDING : 0;
	lr |= v & V3_LR_ACTIVE ? V2_LR_ACTIVE : 0;
	lr |= v & V3_LR_GROUP1 ? V2_LR_GROUP1 : 0;
	if (v & V3_LR_HW)
		lr |= V2_LR_HW | (u32)((v >> V3_LR_PINTID_SHIFT) & 0x3ff) << V2_LR_PID_SHIFT;
	else if (v & V3_LR_EOI)
		lr |= V2_LR_EOI;
	*gich(GICH_LR0 + 4 * n) = lr;
}

u64 vgic_v2_hcr(void)		{ return *gich(GICH_HCR); }
void vgic_v2_set_hcr(u64 v)	{ *gich(GICH_HCR) = (u32)v; }
u64 vgic_v2_elrsr(void)		{ return *gich(GICH_ELRSR0); }
u64 vgic_v2_misr(void)		{ return *gich(GICH_MISR); }
void vgic_v2_set_vmcr(u64 v)	{ *gich(GICH_VMCR) = (u32)v; }
void vgic_v2_clear_aprs(void)	{ *gich(GICH_APR) = 0; }

/* ---- guest-visible registers -------------------------------------------- */

bool vgic_v2_is_mmio(u64 ipa)
{
	return (ipa >= VGIC_GICD_BASE && ipa < VGIC_GICD_BASE + VGIC_GICD_SIZE) ||
	       (ipa >= VGIC2_GICC_BASE && ipa < VGIC2_GICC_BASE + VGIC2_GICC_SIZE);
}

static void sgir_write(struct vgic *g, struct vcpu *v, u32 val) __must_hold(&g->lock)
{
	unsigned int intid = val & 0xf, filter = (val >> 24) & 3, list = (val >> 16) & 0xff;

	for (unsigned int t = 0; t < g->nr_vcpus && t < 8; t++) {
		bool hit = filter == 0 ? (list & BIT(t)) != 0 :
			   filter == 1 ? t != v->idx :
			   filter == 2 ? t == v->idx : false;

		if (!hit)
			continue;
		g->cpu[t].priv[intid].pending = 1;
		vgic_kick_locked(g, t);
	}
}

static void gicd_rw(struct vgic *g, struct vcpu *v, u32 off, bool write, unsigned int size,
		    u64 *val) __must_hold(&g->lock)
{
	/* Bit registers, priorities, ICFGR: SGIs/PPIs are the accessing vCPU's (banked). */
	if (off >= GICD_IGROUPR && off < GICD_ITARGETSR &&
	    vgic_common_rw(g, v->idx, off, 0, VGIC_NR_IRQS, write, size, val))
		return;
	if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100 &&
	    vgic_common_rw(g, v->idx, off, 0, VGIC_NR_IRQS, write, size, val))
		return;
	if (off >= GICD_ITARGETSR && off < GICD_ITARGETSR + VGIC_NR_IRQS &&
	    (size == 1 || size == 4) && !(off & (size - 1))) {
		u64 out = 0;

		for (unsigned int i = 0; i < size; i++) {
			unsigned int intid = off - GICD_ITARGETSR + i;
			struct vgic_irq *irq = vgic_irq(g, v->idx, intid);
			u8 b = (u8)(*val >> (8 * i));

			if (intid < 32) {	/* read-only: this vCPU */
				out |= (u64)BIT(v->idx & 7) << (8 * i);
				continue;
			}
			if (write) {
				/* The lowest vCPU named (none or beyond: vCPU 0). */
				unsigned int t = b ? (unsigned int)__builtin_ctz(b) : 0;

				irq->irouter = b;
				irq->target = (u8)(t < g->nr_vcpus ? t : 0);
				/* A passthrough SPI follows its vCPU (doc/passthrough.md). */
				if (irq->pt)
					gic_enable_spi(intid, g->vm->vcpus[irq->target].pcpu);
				if (irq->pending || irq->line)
					vgic_kick_locked(g, irq->target);
			}
			out |= (u64)(irq->irouter & 0xff) << (8 * i);
		}
		if (!write)
			*val = out;
		return;
	}
	if (size != 4)
		goto raz_wi;
	switch (off) {
	case GICD_CTLR:
		if (write) {
			g->ctlr = (u32)*val & 1;	/* Enable (one security state) */
			for (unsigned int i = 0; i < g->nr_vcpus; i++)
				vgic_kick_locked(g, i);
		} else {
			*val = g->ctlr;
		}
		return;
	case GICD_TYPER:
		/* ITLinesNumber, CPUNumber; no security extensions. */
		*val = write ? *val : (VGIC_NR_IRQS / 32 - 1) | (MIN(g->nr_vcpus, 8U) - 1) << 5;
		return;
	case GICD_IIDR:
		*val = write ? *val : IIDR_VALUE;
		return;
	case GICD_SGIR:
		if (write)
			sgir_write(g, v, (u32)*val);
		else
			*val = 0;
		return;
	case GICD_PIDR2:
		*val = write ? *val : PIDR2_GICV2;
		return;
	}
raz_wi:
	if (!write)
		*val = 0;
}

/* The guest's GICC: the same access on GICV, on this (the vCPU's) CPU. */
static void gicc_rw(u32 off, bool write, unsigned int size, u64 *val)
{
	paddr_t page = off < 0x1000 ? platform.gicv_base :
		       gic_cpuif_page1(platform.gicv_base, platform.gicv_size);
	volatile u32 *r = (volatile u32 *)((volatile u8 *)pa_to_ptr(page) + (off & 0xfff));

	if (size != 4 || (off & 3)) {
		if (!write)
			*val = 0;
		return;
	}
	if (write)
		*r = (u32)*val;
	else
		*val = *r;
	/* GICC_EOIR or GICC_DIR: a HW list register may have ended a physical one. */
	if (write && (off == GICC_EOIR || off == GICC_DIR))
		gicv2_resample();
}

int vgic_v2_mmio(struct vcpu *v, u64 ipa, bool write, unsigned int size, u64 *val)
{
	struct vgic *g = vgic_of(v->vm);

	if (ipa >= VGIC_GICD_BASE && ipa < VGIC_GICD_BASE + VGIC_GICD_SIZE) {
		spin_lock(&g->lock);
		gicd_rw(g, v, (u32)(ipa - VGIC_GICD_BASE), write, size, val);
		spin_unlock(&g->lock);
		return 0;
	}
	if (ipa >= VGIC2_GICC_BASE && ipa < VGIC2_GICC_BASE + VGIC2_GICC_SIZE) {
		gicc_rw((u32)(ipa - VGIC2_GICC_BASE), write, size, val);
		return 0;
	}
	return -E_NOENT;
}
