// SPDX-License-Identifier: GPL-2.0
/*
 * Device passthrough (doc/passthrough.md, passthrough.h): the config's
 * "hyp,passthrough" nodes read and checked at boot. Depends on nothing but
 * the DTB and struct platform (host-tested: passthrough_test.c).
 */
#include <hyp/console.h>
#include <hyp/printf.h>
#include <hyp/string.h>
#include <hyp/vm/passthrough.h>
#include <hyp/vm/vuart.h>

/* Refusal reasons with values are formatted into the caller's buffer. */
#define WHY(...)	(hyp_snprintf(buf, VM_PT_WHY_LEN, __VA_ARGS__), (const char *)buf)

BUILD_BUG_ON(VM_PT_VUART_INTID != VUART_INTID);

static u64 ld64(const u8 *p)
{
	return (u64)fdt32_ld(p) << 32 | fdt32_ld(p + 4);
}

static bool overlap(u64 a, u64 as, u64 b, u64 bs)
{
	return as && bs && a < b + bs && b < a + as;
}

/* The host ranges the hypervisor drives itself: no VM may have them. */
static const char *hyp_device(const struct platform *p, u64 pa, u64 size)
{
	if (p->has_uart && overlap(pa, size, pa_addr(p->uart_base), PAGE_SIZE))
		return "the hypervisor's console UART";
	if (p->gic_version && overlap(pa, size, pa_addr(p->gicd_base), SZ_64K))
		return "the GIC distributor";
	if (p->gic_version == 3 && overlap(pa, size, pa_addr(p->gicr_base), p->gicr_size))
		return "the GIC redistributors";
	if (p->gic_version == 2 && (overlap(pa, size, pa_addr(p->gicc_base), p->gicc_size) ||
				    overlap(pa, size, pa_addr(p->gich_base), SZ_64K) ||
				    overlap(pa, size, pa_addr(p->gicv_base), p->gicv_size)))
		return "the GIC CPU interface";
	return NULL;
}

static const char *check_region(const struct vm_pt_region *r, const struct vm_passthrough *pt,
				u64 ram_base, u64 ram_size, const struct platform *p,
				const struct vm_passthrough *const *others, unsigned int nr_others,
				char *buf)
{
	const char *dev;

	if (!r->size || !IS_ALIGNED(r->pa | r->size | r->ipa, PAGE_SIZE))
		return WHY("region %#llx+%#llx (IPA %#llx) is not 4 KiB aligned: stage 2 maps "
			   "whole pages", r->pa, r->size, r->ipa);
	if (r->pa + r->size < r->pa || r->ipa + r->size < r->ipa ||
	    r->ipa + r->size > BIT(VM_PT_IPA_BITS))
		return WHY("region %#llx+%#llx (IPA %#llx) wraps or leaves the 39-bit IPA space",
			   r->pa, r->size, r->ipa);
	for (unsigned int i = 0; i < p->nr_mem; i++)
		if (overlap(r->pa, r->size, pa_addr(p->mem[i].base), p->mem[i].size))
			return WHY("region %#llx+%#llx is RAM (memory bank %#llx+%#llx): only "
				   "device memory can be passed through", r->pa, r->size,
				   pa_addr(p->mem[i].base), p->mem[i].size);
	dev = hyp_device(p, r->pa, r->size);
	if (dev)
		return WHY("region %#llx+%#llx overlaps %s", r->pa, r->size, dev);
	if (overlap(r->ipa, r->size, ram_base, ram_size))
		return WHY("region IPA %#llx+%#llx overlaps the VM's RAM", r->ipa, r->size);
	if (overlap(r->ipa, r->size, VM_PT_DEV_IPA, VM_PT_DEV_SIZE))
		return WHY("region IPA %#llx+%#llx overlaps the emulated devices at %#llx-%#llx "
			   "(GIC, PL011)", r->ipa, r->size, VM_PT_DEV_IPA,
			   VM_PT_DEV_IPA + VM_PT_DEV_SIZE - 1);
	for (unsigned int i = 0; i < pt->nr_regions; i++) {
		const struct vm_pt_region *o = &pt->reg[i];

		if (overlap(r->pa, r->size, o->pa, o->size))
			return WHY("region %#llx+%#llx is assigned twice (overlaps %#llx+%#llx)",
				   r->pa, r->size, o->pa, o->size);
		if (overlap(r->ipa, r->size, o->ipa, o->size))
			return WHY("region IPA %#llx+%#llx overlaps IPA %#llx+%#llx", r->ipa,
				   r->size, o->ipa, o->size);
	}
	for (unsigned int v = 0; v < nr_others; v++)
		for (unsigned int i = 0; i < others[v]->nr_regions; i++)
			if (overlap(r->pa, r->size, others[v]->reg[i].pa, others[v]->reg[i].size))
				return WHY("region %#llx+%#llx overlaps %#llx+%#llx of vm%u: a "
					   "device belongs to one VM", r->pa, r->size,
					   others[v]->reg[i].pa, others[v]->reg[i].size, v);
	return NULL;
}

static const char *check_irq(u32 intid, const struct vm_passthrough *pt,
			     const struct platform *p, const struct vm_passthrough *const *others,
			     unsigned int nr_others, char *buf)
{
	if (intid < 32 || intid >= VM_PT_MAX_INTID)
		return WHY("SPI %u: only SPIs 0..%u (INTIDs 32..%u) can be forwarded", intid - 32,
			   VM_PT_MAX_INTID - 33, VM_PT_MAX_INTID - 1);
	if (intid == VM_PT_VUART_INTID)
		return WHY("SPI %u is the emulated PL011's in every VM", intid - 32);
	if (p->uart_irq && intid == p->uart_irq)
		return WHY("SPI %u is the hypervisor's console UART's", intid - 32);
	for (unsigned int i = 0; i < pt->nr_irqs; i++)
		if (pt->irq[i] == intid)
			return WHY("SPI %u is assigned twice", intid - 32);
	for (unsigned int v = 0; v < nr_others; v++)
		for (unsigned int i = 0; i < others[v]->nr_irqs; i++)
			if (others[v]->irq[i] == intid)
				return WHY("SPI %u is already vm%u's: an interrupt belongs to one VM",
					   intid - 32, v);
	return NULL;
}

static const char *parse_node(const struct fdt *f, int n, struct vm_passthrough *pt,
			      u64 ram_base, u64 ram_size, const struct platform *p,
			      const struct vm_passthrough *const *others, unsigned int nr_others, char *buf)
{
	const char *why;
	const u8 *c;
	u32 len;

	c = fdt_prop(f, n, "hyp,reg", &len);
	if (!c || !len || len % 24)
		return "passthrough node needs \"hyp,reg\" = <pa-hi pa-lo size-hi size-lo "
		       "ipa-hi ipa-lo>...";
	for (u32 o = 0; o < len; o += 24) {
		struct vm_pt_region r = {
			.pa = ld64(c + o), .size = ld64(c + o + 8), .ipa = ld64(c + o + 16),
		};

		if (pt->nr_regions == VM_PT_MAX_REGIONS)
			return WHY("more than %u passthrough regions", VM_PT_MAX_REGIONS);
		why = check_region(&r, pt, ram_base, ram_size, p, others, nr_others, buf);
		if (why)
			return why;
		pt->reg[pt->nr_regions++] = r;
	}
	c = fdt_prop(f, n, "interrupts", &len);
	if (!c)
		return NULL;
	if (!len || len % 12)
		return "passthrough \"interrupts\" must be <0 spi flags> triples (GIC binding)";
	for (u32 o = 0; o < len; o += 12) {
		u32 type = fdt32_ld(c + o), spi = fdt32_ld(c + o + 4);

		if (type != 0)
			return WHY("passthrough interrupt <%u %u ...>: only SPIs (type 0)", type, spi);
		if (pt->nr_irqs == VM_PT_MAX_IRQS)
			return WHY("more than %u passthrough interrupts", VM_PT_MAX_IRQS);
		if (spi > VM_PT_MAX_INTID)
			spi = VM_PT_MAX_INTID;	/* refused just below, without overflow */
		why = check_irq(spi + 32, pt, p, others, nr_others, buf);
		if (why)
			return why;
		pt->irq[pt->nr_irqs++] = spi + 32;
	}
	return NULL;
}

const char *vm_pt_parse(const struct fdt *f, int node, struct vm_passthrough *pt,
			u64 ram_base, u64 ram_size, const struct platform *plat,
			const struct vm_passthrough *const *others, unsigned int nr_others, char *buf)
{
	memset(pt, 0, sizeof(*pt));
	for (int n = fdt_first_child(f, node); n >= 0; n = fdt_next_sibling(f, n)) {
		const char *why;

		if (!fdt_prop_has_string(f, n, "compatible", "hyp,passthrough"))
			continue;
		why = parse_node(f, n, pt, ram_base, ram_size, plat, others, nr_others, buf);
		if (why)
			return why;
	}
	return NULL;
}

