// SPDX-License-Identifier: GPL-2.0
/*
 * VMs from the VM config (doc/vm-config.md), their vCPUs pinned to physical
 * CPUs, guest RAM demand-populated from the page allocator, power state.
 */
#include <hyp/atomic.h>
#include <hyp/console.h>
#include <hyp/fdt.h>
#include <hyp/palloc.h>
#include <hyp/percpu.h>
#include <hyp/string.h>
#include <hyp/vm/vm.h>
#include <hyp/mm/s2_vmid.h>

#define VM_CFG_MAX_SIZE		SZ_64K
#define VM_UART_IPA		0x09000000ULL	/* QEMU virt's PL011 address */
#define VM_IPA_BITS		39		/* arch_vm_s2_format() */

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
static u64 free_before_vms;		/* palloc_free_pages() before any VM */

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

static int kernel_node(const struct fdt *f, int vm)
{
	for (int n = fdt_first_child(f, vm); n >= 0; n = fdt_next_sibling(f, n))
		if (fdt_prop_has_string(f, n, "compatible", "hyp,kernel"))
			return n;
	return -1;
}

int vm_config_early(const void *dtb, int (*reserve)(paddr_t base, u64 size))
{
	const char *why = "?";
	struct fdt host, cfg;
	const u8 *p;
	u32 len;
	int vms_node;

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
	vms_node = fdt_path(&cfg, "/vms");
	for (int n = vms_node >= 0 ? fdt_first_child(&cfg, vms_node) : -1; n >= 0;
	     n = fdt_next_sibling(&cfg, n)) {
		int k = kernel_node(&cfg, n);
		u64 a, s;

		if (k >= 0 && prop_pair(&cfg, k, "reg", &a, &s) && s &&
		    reserve(pa_init(ALIGN_DOWN(a, PAGE_SIZE)), ALIGN_UP(s + (a & 0xfff), PAGE_SIZE)) < 0)
			return -E_RANGE;
	}
	vm_cfg = cfg.blob;
	return 0;
}

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
		pr_warn("vm%u (%s): vcpu%u: %s at IPA %#llx outside its memory map: "
			"injecting an abort\n", vm->id, vm->name, v->idx,
			exec ? "instruction fetch" : write ? "write" : "read", a);
		return -E_RANGE;
	}
	r = s2_handle_fault(&vm->s2, ipa, write, exec);
	if (r == -E_AGAIN)
		return VM_ABORT_DONE;	/* an unmap is in flight there: re-fault later */
	if (r < 0)
		pr_warn("vm%u (%s): vcpu%u: stage-2 fault at IPA %#llx (%s) not resolved: %s; "
			"injecting an abort\n", vm->id, vm->name, v->idx, a,
			exec ? "exec" : write ? "write" : "read", err_str(r));
	return r < 0 ? r : VM_ABORT_DONE;
}

/* ---- emulated PL011 (transmit only) ------------------------------------ */

#define PL011_DR	0x00
#define PL011_FR	0x18
#define PL011_FR_RXFE	BIT(4)
#define PL011_FR_TXFE	BIT(7)

static void uart_flush_locked(struct vm *vm) __must_hold(&vm->lock)
{
	vm->line[vm->line_len] = 0;
	hyp_printf("[%s] %s\n", vm->name, vm->line);
	vm->line_len = 0;
}

int vm_mmio(struct vcpu *v, ipaddr_t ipa, bool write, unsigned int size, u64 *val)
{
	struct vm *vm = v->vm;
	u64 off = ipa_addr(ipa) - ipa_addr(vm->uart_base);

	if (!write) {
		*val = off == PL011_FR ? (PL011_FR_RXFE | PL011_FR_TXFE) : 0;
		return 0;
	}
	if (off == PL011_DR) {
		char c = (char)(*val & 0xff);

		spin_lock(&vm->lock);
		if (c == '\n' || vm->line_len == sizeof(vm->line) - 1)
			uart_flush_locked(vm);
		if (c != '\n' && c != '\r')
			vm->line[vm->line_len++] = c;
		spin_unlock(&vm->lock);
	}
	return 0;	/* other registers: writes ignored */
}

/* ---- power state ------------------------------------------------------- */

void vm_stop(struct vm *vm, const char *why);
void vm_stop(struct vm *vm, const char *why)
{
	spin_lock(&vm->lock);
	if (vm->state == VM_RUNNING) {
		atomic_store_release(&vm->state, VM_STOPPING);
		pr_info("vm%u (%s): stopping: %s\n", vm->id, vm->name, why);
	}
	spin_unlock(&vm->lock);
}

bool vcpu_must_exit(struct vcpu *v)
{
	return v->leave || atomic_load_acquire(&v->vm->state) != VM_RUNNING ||
	       s2_vm_exit_requested(&v->vm->s2);
}

static void vm_destroy(struct vm *vm)
{
	int r;

	/* R3: every vCPU has left and called s2_vm_exit() (running == 0). */
	vm_churn_report(vm, "at destroy");
	r = s2_vm_destroy(&vm->s2);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		arch_vcpu_destroy(&vm->vcpus[i]);
	atomic_store_release(&vm->state, VM_DEAD);
	pr_info("vm%u (%s): destroyed%s; %llu pages free\n", vm->id, vm->name,
		r ? " (stage-2 teardown failed)" : "", palloc_free_pages());
	if (atomic_fetch_sub(&vms_alive, 1) == 1) {
		u64 now = palloc_free_pages();

		if (now != free_before_vms)
			pr_err("all VMs destroyed: %lld pages leaked\n",
			       (long long)(free_before_vms - now));
		else
			pr_info("all VMs destroyed: every page returned\n");
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
		pr_info("vm%u (%s): vcpu%u starts on cpu%u at %#llx, VMID %u\n", vm->id,
			vm->name, v->idx, v->pcpu, v->entry,
			s2_vmid_of(atomic_load_acquire(&vm->s2.vmid)));
		r = arch_vcpu_run(v, &ex);
		s2_vm_exit(&vm->s2);
	}
	if (r < 0)
		pr_err("vm%u (%s): vcpu%u cannot run: %s\n", vm->id, vm->name, v->idx, err_str(r));
	if (r < 0 || ex.reason == VCPU_EXIT_ERROR)
		vm_stop(vm, "vCPU error");

	spin_lock(&vm->lock);
	if (vm->line_len)
		uart_flush_locked(vm);
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
	while (atomic_load_acquire(&vms_alive)) {
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

static int vm_load_kernel(struct vm *vm, u64 src, u64 size)
{
	for (u64 off = 0; off < size; off += PAGE_SIZE) {
		u64 n = MIN(PAGE_SIZE, size - off);
		paddr_t pa;
		int r;

		if (!palloc_alloc(0, &pa))
			return -E_NOMEM;
		memcpy(pa_to_ptr(pa), pa_to_ptr(pa_init(src + off)), n);
		arch_guest_sync_mem(pa, PAGE_SIZE);	/* the guest starts with caches off */
		r = s2_map(&vm->s2, ipa_add(vm->ram_base, off), pa, PAGE_SIZE, S2_PROT_RWX,
			   S2_MAP_OWNED | S2_MAP_PAGES);
		if (r < 0) {
			palloc_free(pa, 0);
			return r;
		}
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

static const char *vm_parse(const struct fdt *f, int node, struct vm *vm, u64 used_cpus,
			    u64 *kaddr, u64 *ksize)
{
	const char *name, *why;
	const u8 *cpus;
	u64 base, size;
	u32 len;
	int k;

	name = fdt_prop(f, node, "vm-name", &len);
	if (!name || !len || len > VM_NAME_LEN || name[len - 1])
		name = fdt_node_name(f, node);
	memcpy(vm->name, name, MIN(strlen(name), VM_NAME_LEN - 1));
	vm->name[MIN(strlen(name), VM_NAME_LEN - 1)] = 0;
	if (!prop_pair(f, node, "memory", &base, &size))
		return "no \"memory\" = <ipa-hi ipa-lo size-hi size-lo>";
	if (!size || !IS_ALIGNED(base, SZ_2M) || !IS_ALIGNED(size, SZ_2M))
		return "memory base and size must be non-zero multiples of 2 MiB";
	if (base + size < base || base + size > BIT(VM_IPA_BITS))
		return "memory beyond the 39-bit IPA space";
	if (VM_UART_IPA + PAGE_SIZE > base && VM_UART_IPA < base + size)
		return "memory overlaps the emulated UART at 0x09000000";
	vm->ram_base = ipa_init(base);
	vm->ram_size = size;
	vm->uart_base = ipa_init(VM_UART_IPA);
	cpus = fdt_prop(f, node, "cpus", &len);
	if (!cpus || !len || len % 4 || len / 4 > HYP_MAX_CPUS)
		return "\"cpus\" must list 1 to 8 physical CPUs";
	vm->nr_vcpus = len / 4;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		u32 c = fdt32_ld(cpus + 4 * i);

		if (c >= nr_cpus_possible)
			return "a CPU in \"cpus\" does not exist";
		if (used_cpus & BIT(c))
			return "a CPU in \"cpus\" is given twice (here or to another VM)";
		used_cpus |= BIT(c);
		vm->vcpus[i].pcpu = c;
	}
	why = vm_parse_race(f, node, vm);
	if (why)
		return why;
	why = vm_churn_parse(f, node, vm, used_cpus);
	if (why)
		return why;
	k = kernel_node(f, node);
	if (k < 0)
		return "no kernel node (compatible = \"hyp,kernel\")";
	if (!prop_pair(f, k, "reg", kaddr, ksize) || !*ksize)
		return "kernel image missing (the boot script fills in kernel/reg)";
	if (*ksize > size)
		return "kernel image larger than the VM's memory";
	return NULL;
}

static int vm_build(struct vm *vm, u64 kaddr, u64 ksize)
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
	r = vm_load_kernel(vm, kaddr, ksize);
	if (r < 0) {
		s2_vm_destroy(&vm->s2);
		return r;
	}
	spin_lock_init(&vm->lock);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		vm->vcpus[i].vm = vm;
		vm->vcpus[i].idx = i;
		vm->vcpus[i].state = VCPU_OFF;
	}
	/* vCPU 0 starts at the image's first byte, x0 = guest DTB (none yet: 0). */
	vm->vcpus[0].entry = ipa_addr(vm->ram_base);
	vm->vcpus[0].arg = 0;
	vm->vcpus[0].state = VCPU_ON_PENDING;
	vm->state = VM_RUNNING;
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
	free_before_vms = palloc_free_pages();
	vms_node = fdt_path(&f, "/vms");
	if (vms_node < 0)
		pr_err("vm config: no /vms node\n");
	for (int node = vms_node >= 0 ? fdt_first_child(&f, vms_node) : -1; node >= 0;
	     node = fdt_next_sibling(&f, node)) {
		struct vm *vm;
		u64 ka = 0, ks = 0;
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
		why = vm_parse(&f, node, vm, used_cpus, &ka, &ks);
		if (why) {
			pr_err("vm config: %s: %s; VM not started\n", fdt_node_name(&f, node), why);
			continue;
		}
		r = vm_build(vm, ka, ks);
		if (r < 0) {
			pr_err("vm config: %s: cannot build the VM: %s\n",
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
			vm->ram_size, ks);
		vm_churn_start(vm);
		n++;
	}
	vms_created = n;
	atomic_store_release(&vms_alive, n);
	/* vms_alive before vms_decided: CPUs leave vm_cpu_loop() when it is 0. */
	atomic_store_release(&vms_decided, 1);
	return n;
}
