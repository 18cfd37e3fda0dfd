// SPDX-License-Identifier: GPL-2.0
/*
 * Physical GICv2 (GIC-400) driver at EL2 (arm64/gicv2.h). Register offsets
 * and bits are those of the GICv2 architecture specification (IHI 0048B).
 * Addresses come from the host DTB (struct platform).
 */
#include <hyp/atomic.h>
#include <hyp/console.h>
#include <hyp/platform.h>
#include <arm64/cpu.h>
#include <arm64/gic.h>
#include <arm64/gicv2.h>
#include <arm64/sysreg.h>

#define GICD_CTLR		0x000
#define GICD_TYPER		0x004
#define GICD_IGROUPR		0x080
#define GICD_ISENABLER		0x100
#define GICD_ICENABLER		0x180
#define GICD_ICPENDR		0x280
#define GICD_ISACTIVER		0x300
#define GICD_ICACTIVER		0x380
#define GICD_IPRIORITYR		0x400
#define GICD_ITARGETSR		0x800
#define GICD_ICFGR		0xc00
#define GICD_SGIR		0xf00
#define GICD_CTLR_EN		BIT(0)	/* EnableGrp0 (secure view) / Enable (NS view) */

#define GICC_CTLR		0x0000
#define GICC_PMR		0x0004
#define GICC_BPR		0x0008
#define GICC_IAR		0x000c
#define GICC_EOIR		0x0010
#define GICC_DIR		0x0000	/* in the second page (gicc_dir) */
#define GICC_CTLR_EN		BIT(0)	/* EnableGrp0 / EnableGrp1 (NS view) */
#define GICC_CTLR_EOIMODE	BIT(9)	/* EOImodeS / EOImodeNS (NS view) */

#define GICH_VTR		0x004

#define PRIO_HYP		0xa0
#define PMR_HYP			0xff	/* every priority passes */
#define IAR_ID_MASK		0x3ff

static volatile u8 *gicd, *gicc, *gicc_dir;	/* gicc_dir: GICC's second page */
static unsigned int gic_lines;
static u8 cpu_mask[HYP_MAX_CPUS];	/* GICD_ITARGETSR bit of each logical CPU */
static u32 sgi_iar[HYP_MAX_CPUS];	/* the last SGI's IAR value, per CPU */

static inline u32 rd32(volatile u8 *b, u32 off) { return *(volatile u32 *)(b + off); }
static inline void wr32(volatile u8 *b, u32 off, u32 v) { *(volatile u32 *)(b + off) = v; }
static inline u8 rd8(volatile u8 *b, u32 off) { return *(volatile u8 *)(b + off); }
static inline void wr8(volatile u8 *b, u32 off, u8 v) { *(volatile u8 *)(b + off) = v; }

bool gicv2_ready(void)
{
	return gicd != NULL;
}

bool gicv2_init(void)
{
	volatile u8 *d = (volatile u8 *)pa_to_ptr(platform.gicd_base);

	/* Off while reprogramming; firmware may have left anything enabled. */
	wr32(d, GICD_CTLR, 0);
	gic_lines = MIN(32 * ((rd32(d, GICD_TYPER) & 0x1f) + 1), 1020U);
	for (unsigned int i = 32; i < gic_lines; i += 32) {
		wr32(d, GICD_ICENABLER + i / 8, ~0U);
		wr32(d, GICD_ICPENDR + i / 8, ~0U);
		wr32(d, GICD_ICACTIVER + i / 8, ~0U);
		wr32(d, GICD_IGROUPR + i / 8, 0);
	}
	for (unsigned int i = 32; i < gic_lines; i++)
		wr8(d, GICD_IPRIORITYR + i, PRIO_HYP);
	wr32(d, GICD_CTLR, GICD_CTLR_EN);
	gicc = (volatile u8 *)pa_to_ptr(platform.gicc_base);
	gicc_dir = (volatile u8 *)pa_to_ptr(gic_cpuif_page1(platform.gicc_base, platform.gicc_size));
	gicd = d;
	pr_info("gic: GICv2 distributor at %#llx, CPU interface at %#llx, %u INTIDs, EOImode=1, "
		"hypervisor owns it\n", pa_addr(platform.gicd_base), pa_addr(platform.gicc_base),
		gic_lines);
	return true;
}

void gicv2_cpu_init(void)
{
	unsigned int cpu = arch_cpu_id();
	u8 me;

	if (!gicd)
		return;
	/* ITARGETSR0..7 (SGIs) read as this CPU interface's own bit. */
	me = rd8(gicd, GICD_ITARGETSR);
	if (!me || (me & (me - 1))) {
		pr_err("gic: cpu%u: GICD_ITARGETSR0 reads %#x: this CPU cannot be kicked\n", cpu, me);
		return;
	}
	/* SGIs and PPIs (banked): group 0, all off but those the hypervisor takes. */
	wr32(gicd, GICD_ICENABLER, ~0U);
	wr32(gicd, GICD_ICPENDR, ~0U);
	wr32(gicd, GICD_ICACTIVER, ~0U);
	wr32(gicd, GICD_IGROUPR, 0);
	for (unsigned int i = 0; i < 32; i++)
		wr8(gicd, GICD_IPRIORITYR + i, PRIO_HYP);
	wr32(gicd, GICD_ISENABLER, BIT(GIC_SGI_KICK) | BIT(GIC_PPI_MAINT) | BIT(GIC_PPI_VTIMER) |
	     BIT(GIC_PPI_PTIMER));
	WRITE_ONCE(cpu_mask[cpu], me);

	wr32(gicc, GICC_PMR, PMR_HYP);
	wr32(gicc, GICC_BPR, 0);
	wr32(gicc, GICC_CTLR, GICC_CTLR_EN | GICC_CTLR_EOIMODE);
}

void gicv2_send_sgi(unsigned int cpu, unsigned int intid)
{
	u8 target = cpu < HYP_MAX_CPUS ? READ_ONCE(cpu_mask[cpu]) : 0;

	if (!gicd || !target || intid > 15)
		return;
	dsb(ish);	/* what the target will look at, before the SGI */
	wr32(gicd, GICD_SGIR, (u32)target << 16 | intid);
}

unsigned int gicv2_ack(void)
{
	u32 iar = rd32(gicc, GICC_IAR);
	unsigned int intid = iar & IAR_ID_MASK;

	__asm__ __volatile__("dsb sy" ::: "memory");	/* device state after the ack */
	/*
	 * An SGI's IAR carries its source CPU (bits [12:10]), which GICC_EOIR
	 * and GICC_DIR need back; callers see the bare INTID. The ack loop
	 * ends one SGI before it acknowledges the next (vcpu.c).
	 */
	if (intid < 16)
		sgi_iar[arch_cpu_id()] = iar & 0x1fff;
	return intid;
}

static u32 full_id(unsigned int intid)
{
	return intid < 16 ? sgi_iar[arch_cpu_id()] : intid;
}

void gicv2_eoi(unsigned int intid)
{
	wr32(gicc, GICC_EOIR, full_id(intid));
}

void gicv2_deactivate(unsigned int intid)
{
	wr32(gicc_dir, GICC_DIR, full_id(intid));
}

bool gicv2_ppi_active(unsigned int intid)
{
	return gicd && intid < 32 && (rd32(gicd, GICD_ISACTIVER) & BIT(intid));
}

/*
 * GICD_ICACTIVER0 is banked per CPU interface: only @cpu itself can clear
 * it. From another CPU this does nothing; the vGICv2 clears on the CPU
 * that runs the vCPU instead (doc/boards.md).
 */
void gicv2_clear_active_ppi(unsigned int cpu, unsigned int intid)
{
	if (gicd && intid < 32 && cpu == arch_cpu_id())
		wr32(gicd, GICD_ICACTIVER, BIT(intid));
}

void gicv2_enable_spi(unsigned int intid, unsigned int cpu)
{
	u8 target = cpu < HYP_MAX_CPUS ? READ_ONCE(cpu_mask[cpu]) : 0;

	if (!gicd || intid < 32 || intid >= gic_lines || !target)
		return;
	wr8(gicd, GICD_ITARGETSR + intid, target);
	/* Level-sensitive: ICFGR bit 2n+1 = 0. */
	wr32(gicd, GICD_ICFGR + intid / 16 * 4,
	     rd32(gicd, GICD_ICFGR + intid / 16 * 4) & ~BIT(2 * (intid % 16) + 1));
	wr32(gicd, GICD_ISENABLER + intid / 32 * 4, BIT(intid % 32));
}

/* Passthrough (doc/passthrough.md): disabled, not pending, not active (SPIs are not banked). */
void gicv2_disable_spi(unsigned int intid)
{
	if (!gicd || intid < 32 || intid >= gic_lines)
		return;
	wr32(gicd, GICD_ICENABLER + intid / 32 * 4, BIT(intid % 32));
	wr32(gicd, GICD_ICPENDR + intid / 32 * 4, BIT(intid % 32));
	wr32(gicd, GICD_ICACTIVER + intid / 32 * 4, BIT(intid % 32));
}

/*
 * After a guest's EOIR/DIR (forwarded to GICV by vgic_v2.c) may have
 * deactivated a physical interrupt through a hardware-mapped list register:
 * make the distributor signal that interrupt again if its level-sensitive
 * line is still high. A GIC-400 does this by itself. QEMU's GICv2 model
 * (hw/intc/arm_gic.c: gic_complete_irq()/gic_cpu_write() for a vCPU end in
 * gic_update_virt()) clears the physical active bit but re-evaluates only the
 * virtual CPU interface, so the physical IRQ output stays low until some
 * other GIC event anywhere: with every CPU idle, a timer the guest re-armed
 * in its handler never fires again (doc/boards.md). Any physical CPU
 * interface write re-evaluates it; rewriting PMR with the value it holds
 * changes nothing else, on the model or on hardware.
 */
void gicv2_resample(void)
{
	if (gicc)
		wr32(gicc, GICC_PMR, PMR_HYP);
}

/* GICH_VTR.ListRegs + 1 (0 without the virtualization extensions). */
unsigned int gicv2_list_regs(void)
{
	if (!pa_addr(platform.gich_base))
		return 0;
	return (rd32((volatile u8 *)pa_to_ptr(platform.gich_base), GICH_VTR) & 0x3f) + 1;
}
