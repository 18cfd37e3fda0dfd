// SPDX-License-Identifier: GPL-2.0
/*
 * Physical GICv3 driver at EL2 (arm64/gic.h, doc/interrupts.md); a GICv2
 * named by the host DTB is driven by gicv2.c, each entry point below
 * dispatching to it on platform.gic_version (doc/boards.md). Addresses
 * come from the host DTB (struct platform). Register offsets and bits are
 * those of the GICv3 architecture specification (IHI 0069).
 */
#include <hyp/console.h>
#include <hyp/platform.h>
#include <arm64/cpu.h>
#include <arm64/cpufeature.h>
#include <arm64/gic.h>
#include <arm64/gicv2.h>
#include <arm64/sysreg.h>

#define GICD_CTLR		0x0000
#define GICD_TYPER		0x0004
#define GICD_IGROUPR		0x0080
#define GICD_ICENABLER		0x0180
#define GICD_ISENABLER		0x0100
#define GICD_ICPENDR		0x0280
#define GICD_ICACTIVER		0x0380
#define GICD_IPRIORITYR		0x0400
#define GICD_ICFGR		0x0c00
#define GICD_IROUTER		0x6000
#define GICD_CTLR_RWP		BIT(31)
#define GICD_CTLR_ARE		BIT(4)
#define GICD_CTLR_GRP1		BIT(1)	/* EnableGrp1 (DS=1) / EnableGrp1NS */

#define GICR_FRAME		0x20000	/* RD_base + SGI_base */
#define GICR_CTLR		0x0000
#define GICR_TYPER		0x0008
#define GICR_WAKER		0x0014
#define GICR_CTLR_RWP		BIT(3)
#define GICR_TYPER_VLPIS	BIT(1)
#define GICR_TYPER_LAST		BIT(4)
#define GICR_WAKER_PSLEEP	BIT(1)
#define GICR_WAKER_CASLEEP	BIT(2)
#define GICR_SGI		0x10000
#define GICR_IGROUPR0		(GICR_SGI + 0x0080)
#define GICR_ISENABLER0		(GICR_SGI + 0x0100)
#define GICR_ICENABLER0		(GICR_SGI + 0x0180)
#define GICR_ICPENDR0		(GICR_SGI + 0x0280)
#define GICR_ISACTIVER0		(GICR_SGI + 0x0300)
#define GICR_ICACTIVER0		(GICR_SGI + 0x0380)
#define GICR_IPRIORITYR0	(GICR_SGI + 0x0400)

#define ICC_CTLR_EOIMODE	BIT(1)
#define PRIO_HYP		0xa0	/* every interrupt the hypervisor enables */
#define GIC_WAIT_NS		(100ULL * 1000 * 1000)

static volatile u8 *gicd;
static unsigned int gic_lines;	/* INTIDs the distributor implements (32..1019 SPIs) */
static volatile u8 *gicr_of[HYP_MAX_CPUS];

static inline u32 rd32(volatile u8 *b, u32 off) { return *(volatile u32 *)(b + off); }
static inline u64 rd64(volatile u8 *b, u32 off) { return *(volatile u64 *)(b + off); }
static inline void wr32(volatile u8 *b, u32 off, u32 v) { *(volatile u32 *)(b + off) = v; }
static inline void wr64(volatile u8 *b, u32 off, u64 v) { *(volatile u64 *)(b + off) = v; }
static inline void wr8(volatile u8 *b, u32 off, u8 v) { *(volatile u8 *)(b + off) = v; }

bool gic_ready(void)
{
	if (platform.gic_version == 2)
		return gicv2_ready();
	return gicd != NULL;
}

static void wait_clear(volatile u8 *b, u32 off, u32 bit, const char *what)
{
	u64 deadline = arm64_now_ns() + GIC_WAIT_NS;

	while (rd32(b, off) & bit)
		if (arm64_now_ns() > deadline) {
			pr_err("gic: cpu%u: %s still set after 100 ms\n", arch_cpu_id(), what);
			return;
		}
}

/* MPIDR (Aff3 at bit 32) to the GICR_TYPER / IROUTER affinity layout. */
static u64 aff_of(u64 mpidr)
{
	return (mpidr & 0xffffffULL) | ((mpidr >> 32) & 0xff) << 24;
}

bool gic_init(void)
{
	if (platform.gic_version == 2)
		return gicv2_init();
	volatile u8 *d;

	if (platform.gic_version != 3 || !platform.gicr_size || !cpu_features.gicv3_sysregs) {
		pr_warn("gic: no GICv3 with system registers: guests get no interrupts and a "
			"vCPU that never exits cannot be stopped\n");
		return false;
	}
	d = (volatile u8 *)pa_to_ptr(platform.gicd_base);
	/* Off while reprogramming; firmware may have left anything enabled. */
	wr32(d, GICD_CTLR, 0);
	wait_clear(d, GICD_CTLR, GICD_CTLR_RWP, "GICD_CTLR.RWP");
	gic_lines = MIN(32 * ((rd32(d, GICD_TYPER) & 0x1f) + 1), 1020U);
	for (unsigned int i = 32; i < gic_lines; i += 32) {
		wr32(d, GICD_ICENABLER + i / 8, ~0U);
		wr32(d, GICD_ICPENDR + i / 8, ~0U);
		wr32(d, GICD_ICACTIVER + i / 8, ~0U);
		wr32(d, GICD_IGROUPR + i / 8, ~0U);
	}
	for (unsigned int i = 32; i < gic_lines; i++)
		wr8(d, GICD_IPRIORITYR + i, PRIO_HYP);
	wait_clear(d, GICD_CTLR, GICD_CTLR_RWP, "GICD_CTLR.RWP");
	wr32(d, GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_GRP1);
	wait_clear(d, GICD_CTLR, GICD_CTLR_RWP, "GICD_CTLR.RWP");
	gicd = d;
	pr_info("gic: GICv3 distributor at %#llx, %u INTIDs, EOImode=1, hypervisor owns it\n",
		pa_addr(platform.gicd_base), gic_lines);
	return true;
}

static volatile u8 *find_gicr(u64 mpidr)
{
	volatile u8 *r = (volatile u8 *)pa_to_ptr(platform.gicr_base);
	volatile u8 *end = r + platform.gicr_size;

	while (r < end) {
		u64 typer = rd64(r, GICR_TYPER);

		if (typer >> 32 == aff_of(mpidr))
			return r;
		if (typer & GICR_TYPER_LAST)
			break;
		r += typer & GICR_TYPER_VLPIS ? 2 * GICR_FRAME : GICR_FRAME;
	}
	return NULL;
}

void gic_cpu_init(void)
{
	if (platform.gic_version == 2) {
		gicv2_cpu_init();
		return;
	}
	unsigned int cpu = arch_cpu_id();
	volatile u8 *r;

	if (!gicd)
		return;
	r = find_gicr(this_arm64_cpu()->mpidr);
	if (!r) {
		pr_err("gic: cpu%u: no redistributor for MPIDR %#llx: this CPU cannot be kicked\n",
		       cpu, this_arm64_cpu()->mpidr);
		return;
	}
	wr32(r, GICR_WAKER, rd32(r, GICR_WAKER) & ~GICR_WAKER_PSLEEP);
	wait_clear(r, GICR_WAKER, GICR_WAKER_CASLEEP, "GICR_WAKER.ChildrenAsleep");
	/* SGIs and PPIs: all group 1, all off but those the hypervisor takes. */
	wr32(r, GICR_ICENABLER0, ~0U);
	wait_clear(r, GICR_CTLR, GICR_CTLR_RWP, "GICR_CTLR.RWP");
	wr32(r, GICR_ICPENDR0, ~0U);
	wr32(r, GICR_ICACTIVER0, ~0U);
	wr32(r, GICR_IGROUPR0, ~0U);
	for (unsigned int i = 0; i < 32; i++)
		wr8(r, GICR_IPRIORITYR0 + i, PRIO_HYP);
	wr32(r, GICR_ISENABLER0, BIT(GIC_SGI_KICK) | BIT(GIC_PPI_MAINT) | BIT(GIC_PPI_VTIMER) |
	     BIT(GIC_PPI_PTIMER));
	gicr_of[cpu] = r;

	/* CPU interface (ICC_SRE_EL2.SRE is set by arm64_el2_init()). */
	write_sysreg(icc_pmr_el1, 0xff);
	write_sysreg(icc_bpr1_el1, 0);
	write_sysreg(icc_ctlr_el1, read_sysreg(icc_ctlr_el1) | ICC_CTLR_EOIMODE);
	write_sysreg(icc_igrpen1_el1, 1);
	isb();
}

void gic_send_sgi(unsigned int cpu, unsigned int intid)
{
	if (platform.gic_version == 2) {
		gicv2_send_sgi(cpu, intid);
		return;
	}
	u64 mpidr = arm64_cpus[cpu].mpidr;
	u64 aff0 = mpidr & 0xff;
	u64 v = (u64)intid << 24 | BIT(aff0 & 15) | (aff0 >> 4) << 44 |
		((mpidr >> 8) & 0xff) << 16 | ((mpidr >> 16) & 0xff) << 32 |
		((mpidr >> 32) & 0xff) << 48;

	if (!gicd)
		return;
	dsb(ish);	/* what the target will look at, before the SGI */
	write_sysreg(icc_sgi1r_el1, v);
	isb();
}

unsigned int gic_ack(void)
{
	if (platform.gic_version == 2)
		return gicv2_ack();
	unsigned int intid = (unsigned int)(read_sysreg(icc_iar1_el1) & 0xffffff);

	__asm__ __volatile__("dsb sy" ::: "memory");	/* device state after the ack */
	return intid;
}

void gic_eoi(unsigned int intid)
{
	if (platform.gic_version == 2) {
		gicv2_eoi(intid);
		return;
	}
	write_sysreg(icc_eoir1_el1, intid);
	isb();
}

void gic_deactivate(unsigned int intid)
{
	if (platform.gic_version == 2) {
		gicv2_deactivate(intid);
		return;
	}
	write_sysreg(icc_dir_el1, intid);
	isb();
}

bool gic_ppi_active(unsigned int intid)
{
	if (platform.gic_version == 2)
		return gicv2_ppi_active(intid);
	volatile u8 *r = gicr_of[arch_cpu_id()];

	return r && intid < 32 && (rd32(r, GICR_ISACTIVER0) & BIT(intid));
}

void gic_clear_active_ppi(unsigned int cpu, unsigned int intid)
{
	if (platform.gic_version == 2) {
		gicv2_clear_active_ppi(cpu, intid);
		return;
	}
	volatile u8 *r = cpu < HYP_MAX_CPUS ? gicr_of[cpu] : NULL;

	if (r && intid < 32)
		wr32(r, GICR_ICACTIVER0, BIT(intid));
}

/* Passthrough (doc/passthrough.md): disabled, not pending, not active. */
void gic_disable_spi(unsigned int intid)
{
	if (platform.gic_version == 2) {
		gicv2_disable_spi(intid);
		return;
	}
	if (!gicd || intid < 32 || intid >= gic_lines)
		return;
	wr32(gicd, GICD_ICENABLER + intid / 32 * 4, BIT(intid % 32));
	wr32(gicd, GICD_ICPENDR + intid / 32 * 4, BIT(intid % 32));
	wr32(gicd, GICD_ICACTIVER + intid / 32 * 4, BIT(intid % 32));
}

void gic_enable_spi(unsigned int intid, unsigned int cpu)
{
	if (platform.gic_version == 2) {
		gicv2_enable_spi(intid, cpu);
		return;
	}
	if (!gicd || intid < 32 || intid >= gic_lines)
		return;
	wr64(gicd, GICD_IROUTER + 8 * intid, aff_of(arm64_cpus[cpu].mpidr));
	/* Level-sensitive: ICFGR bit 2n+1 = 0. */
	wr32(gicd, GICD_ICFGR + intid / 16 * 4,
	     rd32(gicd, GICD_ICFGR + intid / 16 * 4) & ~BIT(2 * (intid % 16) + 1));
	wr32(gicd, GICD_ISENABLER + intid / 32 * 4, BIT(intid % 32));
}
