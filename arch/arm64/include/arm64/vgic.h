/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtual GICv3 of a VM (doc/interrupts.md); on a GICv2 host the same
 * state behind GICv2 frames and GICH list registers (vgic_v2.c,
 * doc/boards.md). Distributor and
 * redistributors are emulated (vgic_mmio.c); the CPU interface is the
 * hardware's virtual one (ICH_*_EL2, list registers), driven by vgic.c.
 *
 *   guest IPA 0x08000000  GICD, 64 KiB
 *   guest IPA 0x080a0000  GICR of vCPU i at + i * 128 KiB (RD + SGI frame)
 *
 * Interrupt state lives in struct vgic (one per VM, under its lock); an
 * interrupt placed in a list register is owned by the LR until the guest
 * deactivates it. Only the physical CPU a vCPU is pinned to touches that
 * vCPU's LRs: other CPUs change the software state and kick it.
 */
#ifndef ARM64_VGIC_H
#define ARM64_VGIC_H

#include <hyp/types.h>
#include <hyp/addr.h>
#include <hyp/atomic.h>
#include <hyp/arch.h>
#include <hyp/spinlock.h>
#include <hyp/platform.h>

#define VGIC_GICD_BASE		0x08000000ULL
#define VGIC_GICD_SIZE		0x10000ULL
#define VGIC_GICR_BASE		0x080a0000ULL
#define VGIC_GICR_STRIDE	0x20000ULL
#define VGIC2_GICC_BASE		0x08010000ULL	/* vGICv2: the guest's CPU interface */
#define VGIC2_GICC_SIZE		0x2000ULL
#define VGIC_NR_SPIS		64		/* INTIDs 32..95 */
#define VGIC_NR_IRQS		(32 + VGIC_NR_SPIS)
#define VGIC_MAX_LRS		16
#define VGIC_NO_LR		0xff

struct vgic_irq {
	u8 prio;
	u8 enabled;
	u8 pending;	/* pending latch (edge, or a write to ISPENDR); not in an LR */
	u8 active;	/* software active state (ISACTIVER) while not in an LR */
	u8 group;	/* 1: group 1 (reset value) */
	u8 edge;	/* ICFGR: 1 edge, 0 level */
	u8 line;	/* level-sensitive input level (emulated devices) */
	u8 hw;		/* the physical INTID of the same number is active for it */
	u8 lr;		/* list register holding it, or VGIC_NO_LR */
	u8 target;	/* SPIs: vCPU from IROUTER Aff0 */
	u8 pt;		/* SPIs: a passthrough device's, forwarded with HW=1 (passthrough.c) */
	u64 irouter;
};

struct vgic_cpu {
	struct vgic_irq priv[32];	/* SGIs 0-15, PPIs 16-31 */
	u32 waker;			/* GICR_WAKER.ProcessorSleep */
	u16 lr_used;			/* LRs this CPU filled */
	u16 lr_intid[VGIC_MAX_LRS];
	u32 kicked;			/* state changed: fill at next entry; atomic */
	bool loaded;			/* LRs are live on the pinned physical CPU */
	bool uie;			/* ICH_HCR_EL2.UIE as last written (vgic_exit_sync()) */
	/* counters (doc/interrupts.md) */
	u64 injected, sgis_sent;
};

struct vm;
struct vcpu;

struct vgic {
	struct spinlock lock;
	struct vm *vm;
	unsigned int nr_vcpus;
	u32 ctlr;			/* GICD_CTLR EnableGrp0/EnableGrp1 */
	struct vgic_irq spi[VGIC_NR_SPIS];
	struct vgic_cpu cpu[HYP_MAX_CPUS];
};

/*
 * No virtual GIC for VMs: the host GIC is a GICv2 without the
 * virtualization extensions (no GICH/GICV in its DTB node; doc/boards.md).
 * VMs run without interrupts: every
 * vgic_* entry point that touches the CPU interface returns at once, a
 * forwarded physical PPI is deactivated and dropped.
 */
static inline bool vgic_absent(void)
{
	return platform.gic_version == 2 && !(pa_addr(platform.gich_base) &&
					      pa_addr(platform.gicv_base));
}

/* The host GIC is a GICv2 with GICH/GICV: VMs get a virtual GICv2 (vgic_v2.c). */
static inline bool vgic_is_v2(void)
{
	return platform.gic_version == 2 && !vgic_absent();
}

/* The VM's vGIC (vgic.c holds one per VM slot). */
struct vgic *vgic_of(struct vm *vm);
int vgic_vm_init(struct vm *vm);

/* Physical CPU enters / leaves vCPU @v for good (arch_vcpu_run). */
void vgic_vcpu_load(struct vcpu *v);
void vgic_vcpu_put(struct vcpu *v);
/* At every return to the guest: LR state back to software, pending into LRs. */
void vgic_sync_fill(struct vcpu *v);
/*
 * At the end of a guest exit of @v (@vc: its vGIC CPU state), on its CPU:
 * vgic_sync_fill() unless nothing can have changed. With no LR in use and
 * the underflow interrupt off, the LRs are all empty and ICH_MISR_EL2 is 0
 * (the hypervisor enables no other maintenance interrupt), so only a kick
 * (another CPU, or this one, made something pending) needs a fill: three
 * loads instead of three system-register reads behind an out-of-line call
 * (doc/bench.md "Session 7"). lr_used and uie are this CPU's only.
 */
static inline void vgic_exit_sync(struct vcpu *v, struct vgic_cpu *vc)
{
	if (!vc->lr_used && !vc->uie && !atomic_load_acquire(&vc->kicked))
		return;
	vgic_sync_fill(v);
}
/* Something is pending for @v: a WFI must not wait. */
bool vgic_vcpu_pending(struct vcpu *v);

/* Make @intid pending: private ones of vCPU @v, SPIs of @v's VM (v any vCPU). */
void vgic_inject(struct vcpu *v, unsigned int intid);
/* Level of SPI @intid's input (emulated devices). */
void vgic_set_level(struct vm *vm, unsigned int intid, bool level);
/* Physical PPI @intid arrived for the running vCPU @v: forward it with HW=1. */
void vgic_inject_hw(struct vcpu *v, unsigned int intid);
/*
 * The source of forwarded (HW=1) PPI @intid of the running vCPU @v is no
 * longer asserted (sampled at an exit): a copy not yet taken by the guest is
 * withdrawn and the physical interrupt deactivated. Level-sensitive lines
 * follow their source, as KVM's timer does.
 */
void vgic_hw_line_low(struct vcpu *v, unsigned int intid);
/*
 * Passthrough SPI @intid of @vm fired (its physical copy acknowledged,
 * priority dropped, still active): pending with HW=1 for the vCPU it
 * targets; the guest's deactivation deactivates the physical one.
 */
void vgic_inject_hw_spi(struct vm *vm, unsigned int intid);
/* Trapped ICC_SGI1R_EL1 / ICC_ASGI1R_EL1 / ICC_SGI0R_EL1 write by @v. */
void vgic_sgi(struct vcpu *v, u64 val);

/* vgic_mmio.c: -E_NOENT if @ipa is not a vGIC register of this VM. */
int vgic_mmio(struct vcpu *v, u64 ipa, bool write, unsigned int size, u64 *val);
/* Is @ipa a register of @v's VM's vGIC? */
bool vgic_is_mmio(struct vcpu *v, u64 ipa);
/* Does [base, base + size) overlap the vGIC's frames for @nr_vcpus vCPUs? */
bool vgic_overlaps(u64 base, u64 size, unsigned int nr_vcpus);

/* vgic_v2.c: GICH in place of the ICH_* registers (GICv3-format LR values). */
unsigned int vgic_v2_nr_lrs(void);
u64 vgic_v2_read_lr(unsigned int n);
void vgic_v2_write_lr(unsigned int n, u64 v);
u64 vgic_v2_hcr(void);
void vgic_v2_set_hcr(u64 v);
u64 vgic_v2_elrsr(void);
u64 vgic_v2_misr(void);
void vgic_v2_set_vmcr(u64 v);
void vgic_v2_clear_aprs(void);
bool vgic_v2_is_mmio(u64 ipa);
int vgic_v2_mmio(struct vcpu *v, u64 ipa, bool write, unsigned int size, u64 *val);
/* vgic_mmio.c: bit registers, priorities, ICFGR of GICD layout (lock held). */
bool vgic_common_rw(struct vgic *g, unsigned int vcpu, u32 off, unsigned int first_ok,
		    unsigned int limit, bool write, unsigned int size, u64 *val);

/* vgic.c internals shared with vgic_mmio.c (lock held). */
struct vgic_irq *vgic_irq(struct vgic *g, unsigned int vcpu, unsigned int intid);
void vgic_kick_locked(struct vgic *g, unsigned int vcpu);
void vgic_update_target(struct vgic *g, struct vgic_irq *irq);

#endif
