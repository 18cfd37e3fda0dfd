// SPDX-License-Identifier: GPL-2.0
/*
 * The VM config (doc/vm-config.md): found and reserved at boot
 * (vm_config_early(), or vm_config_from_module() on x86), then one VM node
 * parsed and checked (vm_parse()) before vm_create.c builds it. The checks
 * of the images themselves are in vm_image.c.
 */
#include <hyp/console.h>
#include <hyp/fdt.h>
#include <hyp/percpu.h>
#include <hyp/printf.h>
#include <hyp/string.h>
#include <hyp/vm/vm.h>
#include <hyp/vm/vuart.h>
#include <hyp/vm/passthrough.h>
#include <hyp/platform.h>
#include "vm_internal.h"

#define VM_UART_IPA		VUART_IPA
#define VM_IPA_BITS		39		/* arch_vm_s2_format() */
/* Guest device window (GICD, GICR, PL011): RAM may not overlap it. */
#define VM_DEV_IPA		0x08000000ULL
#define VM_DEV_SIZE		0x02000000ULL

const void *vm_cfg;			/* the config DTB, reserved at boot */

u64 be64_ld(const void *p)
{
	return (u64)fdt32_ld(p) << 32 | fdt32_ld((const u8 *)p + 4);
}

/* A "<hi lo hi lo>" (address, size) pair of 64-bit values. */
static bool prop_pair(const struct fdt *f, int node, const char *name, u64 *a, u64 *s)
{
	u32 len;
	const u8 *p = fdt_prop(f, node, name, &len);

	if (!p || len != 16)
		return false;
	*a = be64_ld(p);
	*s = be64_ld(p + 8);
	return true;
}

static const char *const mod_compat[VM_MOD_NR] = {
	"hyp,kernel", "hyp,ramdisk", "hyp,device-tree"
};
const char *const vm_mod_label[VM_MOD_NR] = { "kernel", "ramdisk", "dtb" };

/* The first child of @vm with compatible @compat, or -1. */
static int module_node(const struct fdt *f, int vm, const char *compat)
{
	for (int n = fdt_first_child(f, vm); n >= 0; n = fdt_next_sibling(f, n))
		if (fdt_prop_has_string(f, n, "compatible", compat))
			return n;
	return -1;
}

/* Module ranges to reserve, merged when the boot loader put them back to back. */
#define VM_RSV_MAX	(VM_MAX * VM_MOD_NR)
#define VM_RSV_GAP	SZ_2M		/* boot.cmd's alignment padding */

static int reserve_modules(const struct fdt *cfg, int vms_node,
			   int (*reserve)(paddr_t base, u64 size))
{
	u64 lo[VM_RSV_MAX], hi[VM_RSV_MAX];
	unsigned int n = 0;

	for (int v = vms_node >= 0 ? fdt_first_child(cfg, vms_node) : -1; v >= 0;
	     v = fdt_next_sibling(cfg, v)) {
		for (unsigned int m = 0; m < VM_MOD_NR; m++) {
			int k = module_node(cfg, v, mod_compat[m]);
			u64 a, s, e;

			if (k < 0 || !prop_pair(cfg, k, "reg", &a, &s) || !s)
				continue;
			e = ALIGN_UP(a + s, PAGE_SIZE);
			if (e < a || n == VM_RSV_MAX)
				continue;	/* vm_parse() refuses it; 4 VMs max */
			lo[n] = ALIGN_DOWN(a, PAGE_SIZE);
			hi[n++] = e;
		}
	}
	/* Sort (tiny n), merge ranges closer than VM_RSV_GAP, reserve. */
	for (unsigned int i = 1; i < n; i++)
		for (unsigned int j = i; j && lo[j - 1] > lo[j]; j--) {
			u64 t = lo[j]; lo[j] = lo[j - 1]; lo[j - 1] = t;
			t = hi[j]; hi[j] = hi[j - 1]; hi[j - 1] = t;
		}
	for (unsigned int i = 0; i < n;) {
		u64 a = lo[i], e = hi[i];

		for (i++; i < n && lo[i] <= e + VM_RSV_GAP; i++)
			e = MAX(e, hi[i]);
		if (reserve(pa_init(a), e - a) < 0)
			return -E_RANGE;
	}
	return 0;
}

extern char __hyp_start[], __hyp_end[];

static bool rsv_overlaps(u64 a, u64 s)
{
	u64 hs = pa_addr(ptr_to_pa(__hyp_start)), he = hs + (u64)(__hyp_end - __hyp_start);

	if (a < he && hs < a + s)
		return true;
	for (unsigned int i = 0; i < platform.nr_rsv; i++)
		if (a < pa_addr(platform.rsv[i].base) + platform.rsv[i].size &&
		    pa_addr(platform.rsv[i].base) < a + s)
			return true;
	return false;
}

/*
 * "memory-identity" (doc/passthrough.md): the VM's RAM is the host range of
 * the same addresses, taken out of the allocator here, before it exists.
 * It must lie inside one memory bank and clear of the hypervisor's image,
 * the DTB and every loaded module; else it is not reserved and vm_parse()
 * refuses the VM (vm_identity_reserved()).
 */
static void reserve_identity(const struct fdt *cfg, int vms_node,
			     int (*reserve)(paddr_t base, u64 size))
{
	for (int v = vms_node >= 0 ? fdt_first_child(cfg, vms_node) : -1; v >= 0;
	     v = fdt_next_sibling(cfg, v)) {
		u64 a, s;
		u32 len;
		bool in_bank = false;

		if (!fdt_prop(cfg, v, "memory-identity", &len) ||
		    !prop_pair(cfg, v, "memory", &a, &s) || !s || a + s < a ||
		    !IS_ALIGNED(a | s, SZ_2M))
			continue;	/* vm_parse() says what is wrong */
		for (unsigned int i = 0; i < platform.nr_mem; i++)
			if (a >= pa_addr(platform.mem[i].base) &&
			    a + s <= pa_addr(platform.mem[i].base) + platform.mem[i].size)
				in_bank = true;
		if (!in_bank || rsv_overlaps(a, s) || reserve(pa_init(a), s) < 0)
			pr_err("vm config: %s: memory-identity %#llx+%#llx is not free host RAM "
			       "(outside a memory bank, or over the hypervisor, its DTB or a "
			       "module)\n", fdt_node_name(cfg, v), a, s);
	}
}

/* Did reserve_identity() take exactly [@a, @a + @s)? */
static bool vm_identity_reserved(u64 a, u64 s)
{
	for (unsigned int i = 0; i < platform.nr_rsv; i++)
		if (pa_addr(platform.rsv[i].base) == a && platform.rsv[i].size == s)
			return true;
	return false;
}

int vm_config_early(const void *dtb, int (*reserve)(paddr_t base, u64 size))
{
	const char *why = "?";
	struct fdt host, cfg;
	const u8 *p;
	u32 len;

	if (fdt_check(&host, dtb, 2 * SZ_1G, &why) < 0)
		return -E_FORMAT;
	p = fdt_prop(&host, fdt_path(&host, "/chosen"), "hyp,vm-config", &len);
	if (!p)
		return 0;	/* no VMs: the hypervisor only boots */
	if (len != 8) {
		pr_err("vm config: /chosen/hyp,vm-config must be one 64-bit address\n");
		return -E_FORMAT;
	}
	if (fdt_check(&cfg, pa_to_ptr(pa_init(be64_ld(p))), VM_CFG_MAX_SIZE, &why) < 0) {
		pr_err("vm config at %#llx: not a valid DTB: %s\n", be64_ld(p), why);
		return -E_FORMAT;
	}
	/* Reserve before the page allocator takes RAM: it must not hand these out. */
	if (reserve(pa_init(be64_ld(p)), cfg.size) < 0)
		return -E_RANGE;
	if (reserve_modules(&cfg, fdt_path(&cfg, "/vms"), reserve) < 0)
		return -E_RANGE;
	reserve_identity(&cfg, fdt_path(&cfg, "/vms"), reserve);
	vm_cfg = cfg.blob;
	return 0;
}

/* ---- x86 hook: config and images as boot modules, found by file name ---- */
/*
 * Multiboot loaders (GRUB, QEMU -kernel -initrd) hand over modules with a
 * command line, and nobody edits the config: a kernel node without `reg`
 * is found among the modules by its `file` (doc/x86-virt.md).
 */
static struct vm_boot_module boot_mods[VM_MAX_BOOT_MODULES];
static unsigned int nr_boot_mods;

int vm_config_from_module(const struct vm_boot_module *mods, unsigned int n,
			  const void *cfg_blob)
{
	const char *why = "?";
	struct fdt cfg;

	nr_boot_mods = MIN(n, VM_MAX_BOOT_MODULES);
	memcpy(boot_mods, mods, nr_boot_mods * sizeof(*mods));
	if (fdt_check(&cfg, cfg_blob, VM_CFG_MAX_SIZE, &why) < 0) {
		pr_err("vm config module: not a valid DTB: %s\n", why);
		return -E_FORMAT;
	}
	vm_cfg = cfg.blob;	/* the loader's modules are reserved already */
	return 0;
}

static bool module_by_file(const struct fdt *f, int k, u64 *addr, u64 *size)
{
	u32 len;
	const char *file = fdt_prop(f, k, "file", &len);

	if (!file || !len || file[len - 1])
		return false;
	for (unsigned int i = 0; i < nr_boot_mods; i++) {
		if (!strcmp(boot_mods[i].name, file)) {
			*addr = boot_mods[i].addr;
			*size = boot_mods[i].size;
			return true;
		}
	}
	return false;
}
/* ---- end of the x86 hook ---- */

/*
 * Race widening (doc/race-widening.md): "race-delay" = <point mode us>...
 * (triples of u32, checked like HC_RACE_DELAY), "race-seed" = <hi lo>.
 */
static const char *vm_parse_race(const struct fdt *f, int node, struct vm *vm)
{
	const u8 *p;
	u32 len;

	memset(vm->race_cfg, 0, sizeof(vm->race_cfg));
	vm->race_seed = 0;
	p = fdt_prop(f, node, "race-seed", &len);
	if (p) {
		if (len != 8)
			return "\"race-seed\" must be <hi lo> (one 64-bit value)";
		vm->race_seed = be64_ld(p);
	}
	p = fdt_prop(f, node, "race-delay", &len);
	if (!p)
		return NULL;
	if (!len || len % 12)
		return "\"race-delay\" must be triples <point mode us>";
	for (u32 i = 0; i < len; i += 12) {
		u32 point = fdt32_ld(p + i), mode = fdt32_ld(p + i + 4), us = fdt32_ld(p + i + 8);

		if (point >= S2_RACE_POINTS)
			return "\"race-delay\": point must be 0 (clear-inval), 1 (inval-free) or 2 (move)";
		if (mode >= S2_RACE_MODES)
			return "\"race-delay\": mode must be 0 (off), 1 (fixed) or 2 (random)";
		if (mode != S2_RACE_OFF && (!us || us > S2_RACE_MAX_US))
			return "\"race-delay\": us must be 1..100000 for fixed or random";
		vm->race_cfg[point][0] = mode;
		vm->race_cfg[point][1] = mode == S2_RACE_OFF ? 0 : us;
	}
	return NULL;
}

/*
 * The memory bound (doc/memory-charge.md): "memory-limit" = <hi lo> bytes of
 * guest RAM the VM may hold at once (a multiple of 4 KiB, at most its
 * "memory" size; default: all of it), then the boot check that every VM's
 * bound fits in the machine.
 */
static const char *vm_parse_charge(const struct fdt *f, int node, struct vm *vm,
				   unsigned int accepted, char *buf)
{
	u64 limit = vm->ram_size;
	const u8 *p;
	u32 len;

	p = fdt_prop(f, node, "memory-limit", &len);
	if (vm->backing == VM_BACK_IDENTITY) {
		/*
		 * Its RAM was reserved at boot, before the allocator: no guest
		 * page ever comes from the allocator, so none is charged (and
		 * free_before_vms already lacks it). Only its tables are.
		 */
		if (p)
			return "\"memory-limit\" has no meaning with \"memory-identity\" (its RAM is "
			       "reserved at boot, not allocated: doc/passthrough.md)";
		limit = 0;
	} else if (p) {
		if (len != 8)
			return "\"memory-limit\" must be <hi lo> (one 64-bit size in bytes)";
		limit = be64_ld(p);
		if (!limit || !IS_ALIGNED(limit, PAGE_SIZE) || limit > vm->ram_size)
			return WHY("memory-limit %#llx must be a non-zero multiple of 4 KiB, at most "
				   "the memory size %#llx", limit, vm->ram_size);
	}
	vm_charge_size(vm, limit);
	return vm_charge_check(vm, accepted, buf);
}

/* kernel, ramdisk, dtb nodes: each loaded (reg set by the boot loader)? */
static const char *vm_parse_modules(const struct fdt *f, int node, struct vm *vm, char *buf)
{
	for (unsigned int m = 0; m < VM_MOD_NR; m++) {
		int k = module_node(f, node, mod_compat[m]);
		const char *file;
		u32 len;
		u64 a, sz;

		if (k < 0) {
			if (m == VM_MOD_KERNEL)
				return "no kernel node (compatible = \"hyp,kernel\")";
			continue;
		}
		file = fdt_prop(f, k, "file", &len);
		if (!file || !len || file[len - 1])
			return WHY("%s node without a \"file\" string", vm_mod_label[m]);
		/* reg: set by U-Boot's boot.scr; else a boot module of that name (x86 GRUB) */
		if ((!prop_pair(f, k, "reg", &a, &sz) && !module_by_file(f, k, &a, &sz)) || !sz)
			return WHY("%s file \"%s\" missing or empty (the boot loader did not load it)",
				   vm_mod_label[m], file);
		if (a + sz < a || !IS_ALIGNED(a, 8))
			return WHY("%s \"reg\" %#llx+%#llx is not a usable address range",
				   vm_mod_label[m], a, sz);
		vm->mod[m].pa = a;
		vm->mod[m].size = sz;
	}
	return NULL;
}

static const char *vm_check_overlap(const struct vm *vm, unsigned int accepted, char *buf);

/* doc/passthrough.md: devices this VM owns, checked against the VMs before it. */
static const char *vm_parse_passthrough(const struct fdt *f, int node, struct vm *vm,
					unsigned int accepted, char *buf)
{
	const struct vm_passthrough *others[VM_MAX];

	for (unsigned int i = 0; i < accepted && i < VM_MAX; i++)
		others[i] = &vms[i].pt;
	return vm_pt_parse(f, node, &vm->pt, ipa_addr(vm->ram_base), vm->ram_size, &platform,
			   others, MIN(accepted, (unsigned int)VM_MAX), buf);
}
/* Parse and check one VM node; the VM is not built yet. NULL: fine, else why. */
/* @accepted: VMs vms[0..accepted-1] already built. */
const char *vm_parse(const struct fdt *f, int node, struct vm *vm, u64 used_cpus,
		     unsigned int accepted, char *buf)
{
	const char *name, *why;
	const u8 *cpus;
	u64 base, size;
	u32 len;

	name = fdt_prop(f, node, "vm-name", &len);
	if (!name || !len || len > VM_NAME_LEN || name[len - 1])
		name = fdt_node_name(f, node);
	memcpy(vm->name, name, MIN(strlen(name), VM_NAME_LEN - 1));
	vm->name[MIN(strlen(name), VM_NAME_LEN - 1)] = 0;
	if (!prop_pair(f, node, "memory", &base, &size))
		return "no \"memory\" = <ipa-hi ipa-lo size-hi size-lo>";
	if (!size || !IS_ALIGNED(base, SZ_2M) || !IS_ALIGNED(size, SZ_2M))
		return WHY("memory %#llx+%#llx: base and size must be non-zero multiples of 2 MiB",
			   base, size);
	if (base + size < base || base + size > BIT(VM_IPA_BITS))
		return WHY("memory %#llx+%#llx beyond the 39-bit IPA space", base, size);
	if (VM_DEV_IPA + VM_DEV_SIZE > base && VM_DEV_IPA < base + size)
		return WHY("memory %#llx+%#llx overlaps the emulated devices at %#llx-%#llx "
			   "(GIC, PL011)", base, size, VM_DEV_IPA, VM_DEV_IPA + VM_DEV_SIZE - 1);
	vm->ram_base = ipa_init(base);
	vm->ram_size = size;
	vm->uart_base = ipa_init(VM_UART_IPA);
	vm->console_input = fdt_prop(f, node, "console-input", &len) != NULL;
	/* doc/memory-charge.md "Block-backed RAM": block-backed faults by default */
	vm->backing = fdt_prop(f, node, "memory-premap", &len) ? VM_BACK_PREMAP : VM_BACK_BLOCK;
	if (fdt_prop(f, node, "memory-4k", &len)) {
		if (vm->backing == VM_BACK_PREMAP)
			return "\"memory-4k\" and \"memory-premap\" exclude each other";
		vm->backing = VM_BACK_4K;
	}
	if (fdt_prop(f, node, "memory-identity", &len)) {
		if (vm->backing != VM_BACK_BLOCK)
			return "\"memory-identity\" excludes \"memory-4k\" and \"memory-premap\"";
		if (!vm_identity_reserved(base, size))
			return WHY("memory-identity %#llx+%#llx was not reserved at boot (see the "
				   "error above)", base, size);
		vm->backing = VM_BACK_IDENTITY;
	}
	cpus = fdt_prop(f, node, "cpus", &len);
	if (!cpus || !len || len % 4 || len / 4 > HYP_MAX_CPUS)
		return "\"cpus\" must list 1 to 8 physical CPUs";
	vm->nr_vcpus = len / 4;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		u32 c = fdt32_ld(cpus + 4 * i);

		if (c >= nr_cpus_possible)
			return WHY("cpu %u in \"cpus\" does not exist", c);
		if (used_cpus & BIT(c))
			return WHY("cpu %u in \"cpus\" is given twice (here or to another VM)", c);
		used_cpus |= BIT(c);
		vm->vcpus[i].pcpu = c;
	}
	why = vm_parse_passthrough(f, node, vm, accepted, buf);
	if (!why)
		why = vm_parse_charge(f, node, vm, accepted, buf);
	if (!why)
		why = vm_parse_race(f, node, vm);
	if (!why)
		why = vm_churn_parse(f, node, vm, used_cpus);
	if (!why && vm->churn.on && vm->backing == VM_BACK_IDENTITY)
		why = "churn moves and migrates pages: not with \"memory-identity\" "
		      "(doc/passthrough.md)";
	if (!why)
		why = vm_parse_modules(f, node, vm, buf);
	if (!why)
		why = vm_kernel_header(vm, buf);
	if (!why)
		why = vm_layout(vm, buf);
	if (!why)
		why = vm_check_overlap(vm, accepted, buf);
	if (!why)	/* last: it patches the DTB */
		why = vm_check_dtb(vm, buf);
	return why;
}

static bool ranges_overlap(const struct vm_module *a, const struct vm_module *b)
{
	return a->size && b->size && a->pa < b->pa + b->size && b->pa < a->pa + a->size;
}

/*
 * IPA spaces are per VM (two VMs may use the same IPAs), but the host memory
 * the modules were loaded to must not be shared: not within @vm, nor with a
 * VM already accepted (a hand-written "reg" on a board could do it).
 */
static const char *vm_check_overlap(const struct vm *vm, unsigned int accepted, char *buf)
{
	for (unsigned int m = 0; m < VM_MOD_NR; m++) {
		const struct vm_module *md = &vm->mod[m];

		for (unsigned int o = m + 1; o < VM_MOD_NR; o++)
			if (ranges_overlap(md, &vm->mod[o]))
				return WHY("%s and %s overlap in host memory at %#llx", vm_mod_label[m],
					   vm_mod_label[o], MAX(md->pa, vm->mod[o].pa));
		for (unsigned int i = 0; i < accepted; i++)
			for (unsigned int o = 0; o < VM_MOD_NR; o++)
				if (ranges_overlap(md, &vms[i].mod[o]))
					return WHY("%s at host %#llx+%#llx overlaps the %s of vm%u (%s): "
						   "VMs must not share memory", vm_mod_label[m], md->pa,
						   md->size, vm_mod_label[o], i, vms[i].name);
	}
	return NULL;
}
