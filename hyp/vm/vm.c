// SPDX-License-Identifier: GPL-2.0
/*
 * VMs from the VM config (doc/vm-config.md), their vCPUs pinned to physical
 * CPUs, guest RAM demand-populated from the page allocator, power state.
 */
#include <hyp/atomic.h>
#include <hyp/bootargs.h>
#include <hyp/console.h>
#include <hyp/fdt.h>
#include <hyp/palloc.h>
#include <hyp/percpu.h>
#include <hyp/printf.h>
#include <hyp/string.h>
#include <hyp/vm/vm.h>
#include <hyp/vm/vm_warn.h>
#include <hyp/vm/vuart.h>
#include <hyp/mm/s2_vmid.h>

#define VM_CFG_MAX_SIZE		SZ_64K
#define VM_UART_IPA		VUART_IPA
#define VM_IPA_BITS		39		/* arch_vm_s2_format() */
/* Guest device window (GICD, GICR, PL011): RAM may not overlap it. */
#define VM_DEV_IPA		0x08000000ULL
#define VM_DEV_SIZE		0x02000000ULL

static const void *vm_cfg;		/* the config DTB, reserved at boot */
static struct vm vms[VM_MAX];
static unsigned int vms_created;

unsigned int vm_count(void)
{
	return vms_created;
}
static struct vcpu *pinned[HYP_MAX_CPUS];	/* the vCPU each physical CPU runs */
static u32 vms_decided;			/* vm_create_all() or vm_none() ran */
static u32 vms_alive;			/* VMs not yet destroyed */
static u32 vms_reported;		/* the last destroyer printed the leak check */
static u64 free_before_vms;		/* palloc_free_pages() before any VM */
static u64 rollovers_logged;		/* s2_vmid_rollovers last logged */

static u64 be64_ld(const void *p)
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
static const char *const mod_label[VM_MOD_NR] = { "kernel", "ramdisk", "dtb" };

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

/* ---- guest memory -------------------------------------------------------- */

static bool in_ram(const struct vm *vm, u64 ipa)
{
	return ipa >= ipa_addr(vm->ram_base) && ipa - ipa_addr(vm->ram_base) < vm->ram_size;
}

/* s2_handle_fault() found nothing at @ipa: a fresh zeroed page if it is RAM. */
static int vm_fault_backing(void *arg, struct s2_vm *s2, ipaddr_t ipa, paddr_t *pa,
			    unsigned int *prot)
{
	struct vm *vm = arg;

	if (!in_ram(vm, ipa_addr(ipa)))
		return -E_RANGE;
	if (!palloc_alloc(0, pa))
		return -E_NOMEM;
	arch_guest_sync_mem(*pa, PAGE_SIZE);	/* zeroes visible to a cache-off guest */
	*prot = S2_PROT_RWX;
	return 0;
}

/*
 * A guest page is no longer mapped and no TLB can reach it (the gather calls
 * this after the invalidation completed, R1). The gather may hand over a
 * physically contiguous run of pages in one call; every page was allocated
 * alone (order 0), so free them one by one.
 */
static void vm_put_page(void *arg, paddr_t pa, u64 size)
{
	for (u64 off = 0; off < size; off += PAGE_SIZE)
		palloc_free(pa_add(pa, off), 0);
}

int vm_stage2_abort(struct vcpu *v, ipaddr_t ipa, bool write, bool exec)
{
	struct vm *vm = v->vm;
	u64 a = ipa_addr(ipa);
	int r;

	if (a >= ipa_addr(vm->uart_base) && a - ipa_addr(vm->uart_base) < PAGE_SIZE && !exec)
		return VM_ABORT_MMIO;
	if (!in_ram(vm, a)) {
		vm_warn(vm, "outside the memory map", "vm%u (%s): vcpu%u: %s at IPA %#llx "
			"outside its memory map: injecting an abort\n", vm->id, vm->name, v->idx,
			exec ? "instruction fetch" : write ? "write" : "read", a);
		return -E_RANGE;
	}
	r = s2_handle_fault(&vm->s2, ipa, write, exec);
	if (r == -E_AGAIN)
		return VM_ABORT_DONE;	/* an unmap is in flight there: re-fault later */
	if (r < 0)
		vm_warn(vm, "fault not resolved", "vm%u (%s): vcpu%u: stage-2 fault at IPA %#llx "
			"(%s) not resolved: %s; injecting an abort\n", vm->id, vm->name, v->idx, a,
			exec ? "exec" : write ? "write" : "read", err_str(r));
	return r < 0 ? r : VM_ABORT_DONE;
}

/* ---- emulated devices: the PL011 (hyp/vm/vuart.c) ---------------------- */

int vm_mmio(struct vcpu *v, ipaddr_t ipa, bool write, unsigned int size, u64 *val)
{
	struct vm *vm = v->vm;

	return vuart_mmio(vm, ipa_addr(ipa) - ipa_addr(vm->uart_base), write, size, val);
}

/* ---- power state ------------------------------------------------------- */

void vm_stop(struct vm *vm, const char *why)
{
	spin_lock(&vm->lock);
	if (vm->state == VM_RUNNING) {
		atomic_store_release(&vm->state, VM_STOPPING);
		pr_info("vm%u (%s): stopping: %s\n", vm->id, vm->name, why);
	}
	spin_unlock(&vm->lock);
	/* interrupts (doc/interrupts.md): a vCPU spinning without exits must see it */
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		if (atomic_load_acquire(&vm->vcpus[i].state) == VCPU_ON)
			arch_vcpu_kick(&vm->vcpus[i]);
}

void vm_request_reset(struct vm *vm)
{
	spin_lock(&vm->lock);
	if (vm->state == VM_RUNNING)
		vm->reset = true;
	spin_unlock(&vm->lock);
	vm_stop(vm, "PSCI SYSTEM_RESET: tearing down to recreate");
}

bool vcpu_must_exit(struct vcpu *v)
{
	return v->leave || atomic_load_acquire(&v->vm->state) != VM_RUNNING ||
	       s2_vm_exit_requested(&v->vm->s2);
}

static int vm_build(struct vm *vm);

/*
 * SYSTEM_RESET: the old stage 2 is gone (every page freed after the
 * VMID-wide flush, R1/R3); build a fresh one from the retained images. The
 * VMID is released implicitly: s2_vm_init() starts with none, the next
 * s2_vm_enter() allocates one, the old number is reused only after a rollover.
 */
static bool vm_recreate(struct vm *vm)
{
	int r;

	vm->incarnation++;
	r = vm_build(vm);
	if (r < 0) {
		pr_err("vm%u (%s): cannot recreate after reset: %s; VM stays off\n", vm->id,
		       vm->name, err_str(r));
		return false;
	}
	pr_info("vm%u (%s): recreated from its images, incarnation %u; %llu pages free, "
		"VMID rollovers so far %llu\n", vm->id, vm->name, vm->incarnation,
		palloc_free_pages(), READ_ONCE(s2_vmid_rollovers));
	/* Every field above before the state the VM's CPUs poll. */
	spin_lock(&vm->lock);
	atomic_store_release(&vm->state, VM_RUNNING);
	atomic_store_release(&vm->vcpus[0].state, VCPU_ON_PENDING);
	spin_unlock(&vm->lock);
	return true;
}

static void vm_destroy(struct vm *vm)
{
	bool reset = READ_ONCE(vm->reset);
	int r;

	/* R3: every vCPU has left and called s2_vm_exit() (running == 0). */
	vm_churn_report(vm, "at destroy");
	r = s2_vm_destroy(&vm->s2);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		arch_vcpu_destroy(&vm->vcpus[i]);
	atomic_store_release(&vm->state, VM_DEAD);
	pr_info("vm%u (%s): destroyed%s%s; %llu pages free\n", vm->id, vm->name,
		r ? " (stage-2 teardown failed)" : "", reset ? " for reset" : "",
		palloc_free_pages());
	if (reset && !r && vm_recreate(vm))
		return;
	if (atomic_fetch_sub(&vms_alive, 1) == 1) {
		u64 now = palloc_free_pages();

		if (now != free_before_vms)
			pr_err("all VMs destroyed: %lld pages leaked\n",
			       (long long)(free_before_vms - now));
		else
			pr_info("all VMs destroyed: every page returned\n");
		/* Only now may the boot CPU power off (seen losing this line). */
		atomic_store_release(&vms_reported, 1);
	}
}

bool vm_get(struct vm *vm)
{
	bool ok;

	spin_lock(&vm->lock);
	ok = vm->state == VM_RUNNING;
	if (ok)
		vm->running++;
	spin_unlock(&vm->lock);
	return ok;
}

void vm_put(struct vm *vm)
{
	bool last;

	spin_lock(&vm->lock);
	last = --vm->running == 0 && vm->state != VM_RUNNING;
	spin_unlock(&vm->lock);
	if (last)
		vm_destroy(vm);
}

static void vm_run_vcpu(struct vcpu *v)
{
	struct vm *vm = v->vm;
	struct arch_vcpu_exit ex = { .reason = VCPU_EXIT_ERROR };
	bool last;
	int r;

	spin_lock(&vm->lock);
	if (vm->state != VM_RUNNING || v->state != VCPU_ON_PENDING) {
		if (vm->state != VM_RUNNING)
			v->state = VCPU_OFF;	/* CPU_ON raced with SYSTEM_OFF */
		spin_unlock(&vm->lock);
		return;
	}
	vm->running++;
	v->leave = false;
	atomic_store_release(&v->state, VCPU_ON);
	spin_unlock(&vm->lock);

	r = arch_vcpu_init(v, ipa_init(v->entry), v->arg);
	if (!r) {
		while ((r = s2_vm_enter(&vm->s2)) == -E_AGAIN)
			arch_cpu_relax();
	}
	if (!r) {
		u64 ro = READ_ONCE(s2_vmid_rollovers);

		pr_info("vm%u (%s): vcpu%u starts on cpu%u at %#llx, VMID %u\n", vm->id,
			vm->name, v->idx, v->pcpu, v->entry,
			s2_vmid_of(atomic_load_acquire(&vm->s2.vmid)));
		if (ro > atomic_load_acquire(&rollovers_logged)) {
			u64 old = atomic_xchg(&rollovers_logged, ro);

			if (ro > old)
				pr_info("VMID rollover: %llu so far (VMIDs 1..%llu)\n", ro,
					s2_vmid_mask);
		}
		r = arch_vcpu_run(v, &ex);
		s2_vm_exit(&vm->s2);
	}
	if (r < 0)
		pr_err("vm%u (%s): vcpu%u cannot run: %s\n", vm->id, vm->name, v->idx, err_str(r));
	if (r < 0 || ex.reason == VCPU_EXIT_ERROR)
		vm_stop(vm, "vCPU error");

	vuart_flush(vm);
	spin_lock(&vm->lock);
	atomic_store_release(&v->state, VCPU_OFF);
	last = --vm->running == 0 && vm->state != VM_RUNNING;
	spin_unlock(&vm->lock);
	if (last)
		vm_destroy(vm);
}

void vm_cpu_loop(unsigned int cpu)
{
	while (!atomic_load_acquire(&vms_decided))
		arch_cpu_relax();
	while (atomic_load_acquire(&vms_alive) ||
	       (vms_created && !atomic_load_acquire(&vms_reported))) {
		struct vcpu *v = pinned[cpu];

		if (v && atomic_load_acquire(&v->state) == VCPU_ON_PENDING)
			vm_run_vcpu(v);
		else if (!vm_churn_cpu(cpu))
			arch_cpu_relax();
	}
}

void vm_none(void)
{
	atomic_store_release(&vms_decided, 1);
}

/* ---- creation ----------------------------------------------------------- */

/* Copy @size bytes from host PA @src into fresh pages mapped at ram_base + @off. */
static int vm_copy_in(struct vm *vm, u64 off, u64 src, u64 size)
{
	for (u64 o = 0; o < size; o += PAGE_SIZE) {
		u64 n = MIN(PAGE_SIZE, size - o);
		paddr_t pa;
		int r;

		if (!palloc_alloc(0, &pa))
			return -E_NOMEM;
		memcpy(pa_to_ptr(pa), pa_to_ptr(pa_init(src + o)), n);
		if (n < PAGE_SIZE)
			memset((u8 *)pa_to_ptr(pa) + n, 0, PAGE_SIZE - n);
		arch_guest_sync_mem(pa, PAGE_SIZE);	/* the guest starts with caches off */
		r = s2_map(&vm->s2, ipa_add(vm->ram_base, off + o), pa, PAGE_SIZE, S2_PROT_RWX,
			   S2_MAP_OWNED | S2_MAP_PAGES);
		if (r < 0) {
			palloc_free(pa, 0);
			return r;
		}
	}
	return 0;
}

/* Copy every module to its IPA (the layout vm_layout() checked). */
static int vm_load_modules(struct vm *vm)
{
	for (unsigned int m = 0; m < VM_MOD_NR; m++) {
		const struct vm_module *md = &vm->mod[m];
		int r;

		if (!md->size)
			continue;
		r = vm_copy_in(vm, md->off, md->pa, md->size);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Parse and check one VM node; the VM is not built yet. NULL: fine, else why. */
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

/* Refusal reasons with values are formatted into the caller's buffer. */
#define VM_WHY_LEN	192
#define WHY(...)	(hyp_snprintf(buf, VM_WHY_LEN, __VA_ARGS__), (const char *)buf)

static u64 le64_ld(const u8 *p)
{
	u64 v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void be64_st(u8 *p, u64 v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (u8)v;
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
			return WHY("%s node without a \"file\" string", mod_label[m]);
		/* reg: set by U-Boot's boot.scr; else a boot module of that name (x86 GRUB) */
		if ((!prop_pair(f, k, "reg", &a, &sz) && !module_by_file(f, k, &a, &sz)) || !sz)
			return WHY("%s file \"%s\" missing or empty (the boot loader did not load it)",
				   mod_label[m], file);
		if (a + sz < a || !IS_ALIGNED(a, 8))
			return WHY("%s \"reg\" %#llx+%#llx is not a usable address range",
				   mod_label[m], a, sz);
		vm->mod[m].pa = a;
		vm->mod[m].size = sz;
	}
	return NULL;
}

/*
 * Where the kernel goes: RAM base + text_offset of an arm64 Image header
 * ("ARM\x64" at byte 56; image_size 0 means text_offset 0x80000, per
 * Documentation/arch/arm64/booting.rst), else RAM base. Its footprint is
 * max(file size, image_size).
 */
#define ARM64_IMAGE_MAGIC	0x644d5241ULL

static const char *vm_kernel_header(struct vm *vm, char *buf)
{
	struct vm_module *k = &vm->mod[VM_MOD_KERNEL];
	const u8 *h = pa_to_ptr(pa_init(k->pa));
	u64 text_offset, image_size;

	k->off = 0;
	vm->kernel_mem = k->size;
	if (k->size < 64 || (le64_ld(h + 56) & 0xffffffffULL) != ARM64_IMAGE_MAGIC)
		return NULL;
	text_offset = le64_ld(h + 8);
	image_size = le64_ld(h + 16);
	if (!image_size)
		text_offset = 0x80000;
	if (!IS_ALIGNED(text_offset, PAGE_SIZE) || text_offset >= vm->ram_size)
		return WHY("kernel Image header: text_offset %#llx not page aligned or beyond "
			   "the VM's memory", text_offset);
	k->off = text_offset;
	vm->kernel_mem = MAX(k->size, image_size);
	return NULL;
}

/* DTB in the last 2 MiB, ramdisk page aligned just below, kernel below that. */
static const char *vm_layout(struct vm *vm, char *buf)
{
	struct vm_module *k = &vm->mod[VM_MOD_KERNEL], *rd = &vm->mod[VM_MOD_RAMDISK],
			 *dt = &vm->mod[VM_MOD_DTB];
	const char *below = "the end of RAM";
	u64 top = vm->ram_size;

	if (dt->size) {
		if (dt->size > SZ_2M)
			return WHY("dtb is %#llx bytes: more than the 2 MiB it gets at the top of RAM",
				   dt->size);
		if (vm->ram_size < 2 * SZ_2M)
			return "memory too small for a dtb (at least 4 MiB)";
		dt->off = vm->ram_size - SZ_2M;
		top = dt->off;
		below = "the dtb";
	}
	if (rd->size) {
		if (!dt->size)
			return "a ramdisk needs a dtb (the guest finds it through /chosen)";
		if (rd->size > top)
			return WHY("ramdisk (%#llx bytes) does not fit below the dtb", rd->size);
		rd->off = ALIGN_DOWN(top - rd->size, PAGE_SIZE);
		top = rd->off;
		below = "the ramdisk";
	}
	if (k->off > top || vm->kernel_mem > top - k->off)
		return WHY("kernel (%#llx bytes at RAM + %#llx) does not fit below %s "
			   "(RAM + %#llx): memory too small", vm->kernel_mem, k->off, below, top);
	return NULL;
}

/*
 * The guest DTB: valid, every /memory range inside the VM's RAM, and with a
 * ramdisk the /chosen initrd placeholders, which are patched here, in the
 * retained copy (the values only depend on the config, so a recreated VM
 * gets the same).
 */
static const char *vm_check_dtb(struct vm *vm, char *buf)
{
	struct vm_module *dt = &vm->mod[VM_MOD_DTB], *rd = &vm->mod[VM_MOD_RAMDISK];
	u64 base = ipa_addr(vm->ram_base), end = base + vm->ram_size, a, sz;
	const u8 *ps, *pe;
	const char *why = "?";
	unsigned int ranges = 0;
	struct fdt g;
	u32 ls, le;
	int chosen;

	if (!dt->size)
		return NULL;
	if (fdt_check(&g, pa_to_ptr(pa_init(dt->pa)), dt->size, &why) < 0)
		return WHY("dtb is not a valid device tree: %s", why);
	for (int n = fdt_first_child(&g, fdt_root(&g)); n >= 0; n = fdt_next_sibling(&g, n)) {
		if (!fdt_prop_has_string(&g, n, "device_type", "memory"))
			continue;
		for (int i = 0; fdt_reg(&g, n, i, &a, &sz); i++, ranges++)
			if (a < base || a + sz < a || a + sz > end)
				return WHY("dtb: /%s range %#llx+%#llx is not inside the VM's memory "
					   "%#llx+%#llx", fdt_node_name(&g, n), a, sz, base,
					   vm->ram_size);
	}
	if (!ranges)
		return "dtb: no /memory node (device_type = \"memory\" with a reg)";
	if (!rd->size)
		return NULL;
	chosen = fdt_path(&g, "/chosen");
	ps = fdt_prop(&g, chosen, "linux,initrd-start", &ls);
	pe = fdt_prop(&g, chosen, "linux,initrd-end", &le);
	if (!ps || !pe || ls != 8 || le != 8)
		return "ramdisk given but the dtb's /chosen lacks the 64-bit placeholders "
		       "linux,initrd-start and linux,initrd-end (<0x0 0x0>)";
	be64_st((u8 *)pa_to_ptr(pa_init(dt->pa)) + (ps - g.blob), base + rd->off);
	be64_st((u8 *)pa_to_ptr(pa_init(dt->pa)) + (pe - g.blob), base + rd->off + rd->size);
	return NULL;
}

static const char *vm_check_overlap(const struct vm *vm, unsigned int accepted, char *buf);

/* @accepted: VMs vms[0..accepted-1] already built. */
static const char *vm_parse(const struct fdt *f, int node, struct vm *vm, u64 used_cpus,
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
	why = vm_parse_race(f, node, vm);
	if (!why)
		why = vm_churn_parse(f, node, vm, used_cpus);
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
				return WHY("%s and %s overlap in host memory at %#llx", mod_label[m],
					   mod_label[o], MAX(md->pa, vm->mod[o].pa));
		for (unsigned int i = 0; i < accepted; i++)
			for (unsigned int o = 0; o < VM_MOD_NR; o++)
				if (ranges_overlap(md, &vms[i].mod[o]))
					return WHY("%s at host %#llx+%#llx overlaps the %s of vm%u (%s): "
						   "VMs must not share memory", mod_label[m], md->pa,
						   md->size, mod_label[o], i, vms[i].name);
	}
	return NULL;
}

static int vm_build(struct vm *vm)
{
	struct s2_vm_config cfg = { .fmt = &vm->fmt, .ipa_size = 0, .ops = &vm->ops };
	int r;

	r = arch_vm_s2_format(&vm->fmt);
	if (r < 0)
		return r;
	vm->ops.fault_backing = vm_fault_backing;
	vm->ops.put_page = vm_put_page;
	vm->ops.arg = vm;
	r = s2_vm_init(&vm->s2, &cfg);
	if (r < 0)
		return r;
	/* Checked by vm_parse_race(): cannot fail. */
	if (vm->race_seed)
		s2_race_seed(&vm->s2, vm->race_seed);
	for (unsigned int p = 0; p < S2_RACE_POINTS; p++) {
		if (vm->race_cfg[p][0] != S2_RACE_OFF) {
			s2_race_set(&vm->s2, p, vm->race_cfg[p][0], vm->race_cfg[p][1]);
			pr_info("vm%u (%s): race delay point %u mode %u %u us\n", vm->id, vm->name,
				p, vm->race_cfg[p][0], vm->race_cfg[p][1]);
		}
	}
	r = vm_load_modules(vm);
	if (r < 0) {
		s2_vm_destroy(&vm->s2);
		return r;
	}
	if (!vm->incarnation)
		spin_lock_init(&vm->lock);
	vm->reset = false;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		vm->vcpus[i].vm = vm;
		vm->vcpus[i].idx = i;
		atomic_store_release(&vm->vcpus[i].state, VCPU_OFF);
	}
	/* interrupts (doc/interrupts.md): the VM's virtual GIC and PL011 */
	r = vuart_init(vm, vm->console_input);
	if (!r)
		r = arch_vm_init(vm);
	if (r < 0) {
		if (r != -E_EXIST)
			vuart_init(vm, false);	/* give the console input back */
		s2_vm_destroy(&vm->s2);
		return r;
	}
	/* vCPU 0 starts at the kernel's first byte, x0 = guest DTB IPA (0: none). */
	vm->vcpus[0].entry = ipa_addr(vm->ram_base) + vm->mod[VM_MOD_KERNEL].off;
	vm->vcpus[0].arg = vm->mod[VM_MOD_DTB].size ?
			   ipa_addr(vm->ram_base) + vm->mod[VM_MOD_DTB].off : 0;
	if (!vm->incarnation) {		/* at boot: vm_create_all() publishes it */
		vm->vcpus[0].state = VCPU_ON_PENDING;
		vm->state = VM_RUNNING;
	}
	return 0;
}

unsigned int vm_create_all(void)
{
	u64 used_cpus = 0, vm_cpus;
	struct fdt f;
	const char *why;
	int vms_node;
	unsigned int n = 0;

	if (!vm_cfg || fdt_check(&f, vm_cfg, VM_CFG_MAX_SIZE, &why) < 0) {
		vm_none();
		return 0;
	}
	if (bootargs.vmid_bits) {
		if (s2_vmid_init(bootargs.vmid_bits) < 0)
			pr_err("hyp.vmid_bits=%u refused by the VMID allocator\n", bootargs.vmid_bits);
		else
			pr_info("VMID width forced to %u bits (hyp.vmid_bits): %llu VMIDs\n",
				bootargs.vmid_bits, s2_vmid_mask);
	}
	free_before_vms = palloc_free_pages();
	vms_node = fdt_path(&f, "/vms");
	if (vms_node < 0)
		pr_err("vm config: no /vms node\n");
	for (int node = vms_node >= 0 ? fdt_first_child(&f, vms_node) : -1; node >= 0;
	     node = fdt_next_sibling(&f, node)) {
		char buf[VM_WHY_LEN];
		struct vm *vm;
		int r;

		if (!fdt_prop_has_string(&f, node, "compatible", "hyp,vm"))
			continue;
		if (n == VM_MAX) {
			pr_err("vm config: %s: more than %u VMs, ignored\n",
			       fdt_node_name(&f, node), VM_MAX);
			continue;
		}
		vm = &vms[n];
		memset(vm, 0, sizeof(*vm));
		vm->id = n;
		why = vm_parse(&f, node, vm, used_cpus, n, buf);
		if (why) {
			pr_err("vm config: %s: %s; VM not started\n", fdt_node_name(&f, node), why);
			continue;
		}
		r = vm_build(vm);
		if (r < 0) {
			pr_err("vm config: %s: cannot build the VM: %s; VM not started\n",
			       fdt_node_name(&f, node), err_str(r));
			continue;
		}
		vm_cpus = 0;
		for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
			vm_cpus |= BIT(vm->vcpus[i].pcpu);
			pinned[vm->vcpus[i].pcpu] = &vm->vcpus[i];
		}
		if (vm->churn.on)
			vm_cpus |= BIT(vm->churn.cpu);
		used_cpus |= vm_cpus;
		pr_info("vm%u (%s): %u vCPUs on cpus %#llx, RAM %#llx+%#llx, kernel %llu bytes\n",
			vm->id, vm->name, vm->nr_vcpus, vm_cpus, ipa_addr(vm->ram_base),
			vm->ram_size, vm->mod[VM_MOD_KERNEL].size);
		for (unsigned int m = 0; m < VM_MOD_NR; m++)
			if (vm->mod[m].size)
				pr_info("vm%u (%s): %s %#llx bytes at IPA %#llx\n", vm->id,
					vm->name, mod_label[m], vm->mod[m].size,
					ipa_addr(vm->ram_base) + vm->mod[m].off);
		vm_churn_start(vm);
		n++;
	}
	vms_created = n;
	atomic_store_release(&vms_alive, n);
	/* vms_alive before vms_decided: CPUs leave vm_cpu_loop() when it is 0. */
	atomic_store_release(&vms_decided, 1);
	return n;
}
