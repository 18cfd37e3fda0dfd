// SPDX-License-Identifier: GPL-2.0
/* CPU feature discovery and the arm64 part of the boot banner. */
#include <hyp/console.h>
#include <hyp/platform.h>
#include <arm64/cpu.h>
#include <arm64/clear_page.h>
#include <arm64/cpufeature.h>
#include <arm64/gicv2.h>
#include <arm64/layout.h>
#include <arm64/mmu.h>
#include <arm64/sysreg.h>

struct cpu_features cpu_features;

static const unsigned int parange_bits[] = { 32, 36, 40, 42, 44, 48, 52 };

void cpu_features_init(void)
{
	u64 mmfr0 = read_sysreg(id_aa64mmfr0_el1);
	u64 mmfr1 = read_sysreg(id_aa64mmfr1_el1);
	u64 mmfr2 = read_sysreg(id_aa64mmfr2_el1);
	u64 isar0 = read_sysreg(id_aa64isar0_el1);
	u64 pfr0 = read_sysreg(id_aa64pfr0_el1);
	struct cpu_features *f = &cpu_features;

	f->parange = id_field(mmfr0, MMFR0_PARANGE_SHIFT);
	if (f->parange >= ARRAY_SIZE(parange_bits))
		f->parange = ARRAY_SIZE(parange_bits) - 1;
	f->pa_bits = parange_bits[f->parange];
	f->vmid_bits = id_field(mmfr1, MMFR1_VMIDBITS_SHIFT) == 2 ? 16 : 8;
	f->vhe = id_field(mmfr1, MMFR1_VH_SHIFT) != 0;
	f->fwb = id_field(mmfr2, MMFR2_FWB_SHIFT) != 0;
	f->ttl = id_field(mmfr2, MMFR2_TTL_SHIFT) != 0;
	f->tlbi_range = id_field(isar0, ISAR0_TLB_SHIFT) >= 2;
	f->gicv3_sysregs = id_field(pfr0, PFR0_GIC_SHIFT) != 0;
	f->ich_lrs = 0;
}

/* ICH_VTR_EL2 needs ICC_SRE_EL2.SRE=1 (arm64_el2_init() sets it). */
static void read_gic_cpuif(void)
{
	if (!cpu_features.gicv3_sysregs || !(read_sysreg(icc_sre_el2) & BIT(0)))
		return;
	cpu_features.ich_lrs = (unsigned int)(read_sysreg(ich_vtr_el2) & 0x1f) + 1;
}

static const char *yn(bool b)
{
	return b ? "yes" : "no";
}

void arch_banner(void)
{
	const struct cpu_features *f = &cpu_features;

	read_gic_cpuif();
	hyp_printf("arm64: EL%llu, MPIDR 0x%llx, PA %u bits (stage-1 uses %u), VMID %u bits\n",
		   CURRENTEL_EL(read_sysreg(CurrentEL)), read_mpidr_aff(), f->pa_bits,
		   f->pa_bits > 48 ? 48 : f->pa_bits, f->vmid_bits);
	hyp_printf("arm64: FEAT_TLBIRANGE %s, FEAT_TTL %s, VHE %s (unused: nVHE), FWB %s, "
		   "pages zeroed by %s\n", yn(f->tlbi_range), yn(f->ttl), yn(f->vhe), yn(f->fwb),
		   arm64_zva_bytes() ? "DC ZVA" : "stores");
	if (platform.gic_version == 3)
		hyp_printf("arm64: GICv3 GICD 0x%llx GICR 0x%llx (+0x%llx), "
			   "CPU sysregs %s, %u list registers\n",
			   pa_addr(platform.gicd_base), pa_addr(platform.gicr_base),
			   platform.gicr_size, yn(f->gicv3_sysregs), f->ich_lrs);
	else if (platform.gic_version == 2)
		hyp_printf("arm64: GICv2 GICD 0x%llx GICC 0x%llx GICH 0x%llx GICV 0x%llx, "
			   "%u list registers, maintenance INTID %u\n",
			   pa_addr(platform.gicd_base), pa_addr(platform.gicc_base),
			   pa_addr(platform.gich_base), pa_addr(platform.gicv_base),
			   gicv2_list_regs(), platform.gic_maint_irq);
	else
		hyp_printf("arm64: no GIC in the DTB, CPU sysregs %s, %u list registers\n",
			   yn(f->gicv3_sysregs), f->ich_lrs);
	hyp_printf("arm64: stage-2 invalidation: %s, %s, VMIDs 1-%u\n",
		   f->tlbi_range ? "range TLBI (RIPAS2E1IS) for gathers" :
				   "no range TLBI: gathers fall back to IPAS2E1IS per entry, else VMALLS12E1IS",
		   f->ttl ? "TTL level hints" : "no TTL hints",
		   (1U << f->vmid_bits) - 1);
	hyp_printf("arm64: console %s at 0x%llx (INTID %u), timer PPIs %u/%u/%u/%u\n",
		   platform.uart_kind == UART_CADENCE ? "Cadence UART" :
		   platform.uart_kind == UART_PL011 ? "PL011" : "(none)",
		   pa_addr(platform.uart_base), platform.uart_irq, platform.timer_irq[0],
		   platform.timer_irq[1], platform.timer_irq[2], platform.timer_irq[3]);
	hyp_printf("arm64: image at 0x%llx (link 0x%llx), stage-1 tables %u pages, PSCI %s\n",
		   (u64)(uintptr_t)__hyp_start, (u64)(uintptr_t)__hyp_start -
		   (u64)hyp_load_offset, mmu_tables_used(),
		   platform.psci == PSCI_SMC ? "SMC" : platform.psci == PSCI_HVC ? "HVC" : "none");
}
