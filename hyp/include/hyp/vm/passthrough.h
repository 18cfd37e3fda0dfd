/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device passthrough (doc/passthrough.md): host MMIO regions and SPIs a VM
 * config assigns to one VM.
 *
 *   config node  "hyp,passthrough" child of a VM node
 *                hyp,reg = <pa size ipa> (64-bit each), interrupts = <0 spi flags>
 *   boot         vm_pt_parse() checks every region and SPI against the
 *                platform (RAM, the hypervisor's UART and GIC), the VM's
 *                own IPA layout and the VMs accepted before it
 *   build        vm_pt_map(): each region mapped Device-nGnRE, RW, no
 *                execute, pinned (S2_MAP_PINNED: never moved, migrated,
 *                reclaimed), then arch_vm_passthrough() hands the SPIs to the
 *                VM's virtual GIC as hardware interrupts
 *   run          a physical SPI of the table is forwarded to its VM
 *                (vm_pt_irq_owner())
 *   destroy      arch_vm_passthrough(vm, false): SPIs disabled, deactivated
 */
#ifndef HYP_VM_PASSTHROUGH_H
#define HYP_VM_PASSTHROUGH_H

#include <hyp/types.h>
#include <hyp/addr.h>
#include <hyp/fdt.h>
#include <hyp/platform.h>

#define VM_PT_MAX_REGIONS	8
#define VM_PT_MAX_IRQS		8
/* Virtual INTIDs the vGIC models (arm64 VGIC_NR_IRQS): guest INTID = host INTID. */
#define VM_PT_MAX_INTID		96
/* The guest device window (emulated GIC, PL011): vm_config.c's VM_DEV_IPA. */
#define VM_PT_DEV_IPA		0x08000000ULL
#define VM_PT_DEV_SIZE		0x02000000ULL
#define VM_PT_IPA_BITS		39
#define VM_PT_WHY_LEN		256	/* = VM_WHY_LEN (vm_internal.h) */
/* The emulated PL011's SPI (vuart.c): a passthrough SPI may not take it. */
#define VM_PT_VUART_INTID	33

struct vm_pt_region {
	u64 pa, size, ipa;
};

struct vm_passthrough {
	unsigned int nr_regions, nr_irqs;
	struct vm_pt_region reg[VM_PT_MAX_REGIONS];
	u32 irq[VM_PT_MAX_IRQS];	/* INTIDs (32 + SPI number) */
};

/*
 * vm_pt_parse() - read and check the "hyp,passthrough" children of VM node
 * @node into @pt. @ram_base/@ram_size: the VM's RAM (IPA); @plat: the host;
 * @others: the passthrough sets of the @nr_others VMs accepted before.
 * Return: NULL (fine; @pt empty if there is none) or why not (in @buf,
 * VM_WHY_LEN bytes).
 */
const char *vm_pt_parse(const struct fdt *f, int node, struct vm_passthrough *pt,
			u64 ram_base, u64 ram_size, const struct platform *plat,
			const struct vm_passthrough *const *others, unsigned int nr_others, char *buf);

struct vm;
/* Map @vm's regions in its stage 2 (vm_build()). Return: 0 or -E_*. */
int vm_pt_map(struct vm *vm);
/* The VM a physical SPI @intid is assigned to, or NULL (arch IRQ path). */
struct vm *vm_pt_irq_owner(unsigned int intid);
/* Is @intid one of @vm's passthrough SPIs? */
bool vm_pt_has_irq(const struct vm *vm, unsigned int intid);

#endif
