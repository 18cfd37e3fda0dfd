// SPDX-License-Identifier: GPL-2.0
/*
 * x86 vCPUs (arch.h "Virtual CPUs"), common to SVM and VMX: the context,
 * the guest's initial long-mode page tables, reading guest instructions
 * through the guest's page tables (instruction lengths where the hardware
 * does not give them: SVM without NRIPS), and the emulation both backends
 * share: CPUID, port I/O (COM1 -> the VM's console line), hypercalls.
 * A guest can make the hypervisor log, never crash. doc/x86-virt.md.
 */
#include <hyp/console.h>
#include <hyp/inject.h>
#include <hyp/palloc.h>
#include <hyp/string.h>
#include <hyp/vm/vm_warn.h>
#include <hyp/mm/s2_copy.h>
#include <hyp/mm/s2_format.h>
#include <hyp/mm/s2_gp.h>
#include <hyp/mm/s2_walk.h>
#include <x86/asm.h>
#include <x86/pit.h>
#include <x86/vcpu.h>
#include <x86/virt.h>
#include <x86/virt_caps.h>

BUILD_BUG_ON(sizeof(struct x86_vcpu) > PAGE_SIZE);

/* ---- guest memory --------------------------------------------------------- */

/*
 * Every read of guest memory is a copy made under the VM lock
 * (s2_copy_from_guest(), doc/guest-memory.md): no host pointer to a guest
 * page outlives the lock that keeps the page the VM's. Nothing is faulted
 * in here: an unmapped page makes the caller report -E_AGAIN (the guest
 * retries the instruction) or fail the walk.
 */
u64 x86_guest_cr3(const struct vm *vm)
{
	/* BUG (injected, x86-guest-ptr-unlocked): the old place, the top pages of the VM's RAM. */
	if (inject(X86_GUEST_PTR_UNLOCKED))
		return ipa_addr(vm->ram_base) + vm->ram_size - X86_GUEST_PT_PAGES * PAGE_SIZE;
	return X86_BOOT_PT_IPA;
}

/*
 * BUG (injected, x86-guest-ptr-unlocked): the host address of a guest page, returned after leaving
 * the read section that found it; the page may be freed while it is used
 * (issue 14: "written while free" from the CPU_ON rewrite below).
 */
static void *guest_page(struct vm *vm, u64 ipa, bool populate)
{
	struct s2_desc_info d;
	void *p = NULL;

	ipa = ALIGN_DOWN(ipa, PAGE_SIZE);
	if (ipa < ipa_addr(vm->ram_base) || ipa - ipa_addr(vm->ram_base) >= vm->ram_size)
		return NULL;
	if (populate) {
		int r;

		while ((r = s2_handle_fault(&vm->s2, ipa_init(ipa), true, false)) == -E_AGAIN)
			arch_cpu_relax();
		if (r < 0)
			return NULL;
	}
	s2_gp_read_lock();
	if (s2_lookup(&vm->fmt, vm->s2.root, ipa, &d, NULL) == S2_DESC_LEAF)
		p = pa_to_ptr(pa_add(d.pa, ipa & (d.size - 1)));
	s2_gp_read_unlock();
	return p;
}

static bool read_guest(struct vm *vm, u64 ipa, void *buf, u64 len)
{
	if (inject(X86_GUEST_PTR_UNLOCKED)) {
		const u8 *p = guest_page(vm, ipa, false);

		if (!p)
			return false;
		memcpy(buf, p + (ipa & (PAGE_SIZE - 1)), len);
		return true;
	}
	return s2_copy_from_guest(&vm->s2, ipa_init(ipa), buf, len) == 0;
}

static bool read_u64(struct vm *vm, u64 ipa, u64 *val)
{
	return !(ipa & 7) && read_guest(vm, ipa, val, sizeof(*val));
}

#define PTE_P		BIT(0)
#define PTE_RW		BIT(1)
#define PTE_A		BIT(5)
#define PTE_D		BIT(6)
#define PTE_PS		BIT(7)
#define PTE_ADDR	GENMASK(51, 12)

/* Guest linear -> guest physical through 4-level long-mode tables. */
static bool gva_to_gpa(struct vm *vm, u64 cr3, u64 gva, u64 *gpa)
{
	u64 table = cr3 & PTE_ADDR, e = 0;

	for (int level = 3; level >= 0; level--) {
		unsigned int shift = 12 + 9 * level;

		if (!read_u64(vm, table + ((gva >> shift) & 511) * 8, &e) || !(e & PTE_P))
			return false;
		if ((level == 1 || level == 2) && (e & PTE_PS)) {
			*gpa = (e & PTE_ADDR & ~(BIT(shift) - 1)) | (gva & (BIT(shift) - 1));
			return true;
		}
		table = e & PTE_ADDR;
	}
	*gpa = table | (gva & 0xfff);
	return true;
}

/*
 * Up to @len instruction bytes at guest @rip into @buf (a copy: the guest
 * may change or unmap them meanwhile; the decode below rejects garbage).
 * Return: how many could be read (stops at the first unreadable page).
 */
static unsigned int read_insn(struct vm *vm, u64 cr3, bool paging, u64 rip, u8 *buf,
			      unsigned int len)
{
	unsigned int n = 0;

	while (n < len) {
		u64 gva = rip + n, gpa = gva;
		unsigned int chunk = (unsigned int)MIN((u64)(len - n),
						       PAGE_SIZE - (gva & (PAGE_SIZE - 1)));

		if (paging && !gva_to_gpa(vm, cr3, gva, &gpa))
			break;
		if (!read_guest(vm, gpa, buf + n, chunk))
			break;
		n += chunk;
	}
	return n;
}

static const u8 insn_bytes[][4] = {
	[INSN_CPUID] = { 2, 0x0f, 0xa2 },
	[INSN_RDMSR] = { 2, 0x0f, 0x32 },
	[INSN_WRMSR] = { 2, 0x0f, 0x30 },
	[INSN_VMMCALL] = { 3, 0x0f, 0x01, 0xd9 },
	[INSN_VMCALL] = { 3, 0x0f, 0x01, 0xc1 },
	[INSN_HLT] = { 1, 0xf4 },
};

static bool is_prefix(u8 b)
{
	return b == 0x66 || b == 0x67 || b == 0xf2 || b == 0xf3 || b == 0xf0 ||
	       b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e || b == 0x64 || b == 0x65 ||
	       (b >= 0x40 && b <= 0x4f);	/* REX (64-bit mode) */
}

#define X86_INSN_MAX	15

int x86_insn_len(struct vcpu *v, u64 cr3, bool paging, u64 rip, enum x86_insn want)
{
	const u8 *op = insn_bytes[want];
	u8 b[X86_INSN_MAX];
	unsigned int have = read_insn(v->vm, cr3, paging, rip, b, X86_INSN_MAX), n = 0;

	while (n < have && n < X86_INSN_MAX - 1 && is_prefix(b[n]))
		n++;
	if (n + op[0] > X86_INSN_MAX)
		return -E_INVAL;
	if (n + op[0] > have)
		return -E_AGAIN;	/* unmapped meanwhile: the guest retries */
	for (unsigned int i = 0; i < op[0]; i++)
		if (b[n + i] != op[1 + i])
			return -E_INVAL;
	return (int)(n + op[0]);
}

/* ---- the guest's boot page tables ------------------------------------------- */

/*
 * Built once per VM incarnation, in pages the hypervisor allocates and fills
 * before mapping them (never a host pointer into live guest memory), and
 * mapped at X86_BOOT_PT_IPA, outside the VM's RAM, where no hypercall
 * reaches (hyp/vm checks every range against RAM). A/D bits are preset so
 * the guest's walker has nothing to write. The VM owns the pages: they are
 * freed with its stage 2. doc/x86-virt.md, doc/guest-memory.md.
 */
static void fill_boot_tables(u64 *t[X86_GUEST_PT_PAGES], u64 base)
{
	/* t[0] PML4, t[1] PDPT, t[2..5] page directories for 0..4 GiB, 2 MiB pages. */
	t[0][0] = (base + PAGE_SIZE) | PTE_P | PTE_RW | PTE_A;
	for (u64 g = 0; g < 4; g++) {
		t[1][g] = (base + (2 + g) * PAGE_SIZE) | PTE_P | PTE_RW | PTE_A;
		for (u64 j = 0; j < 512; j++)
			t[2 + g][j] = (g << 30 | j << 21) | PTE_P | PTE_RW | PTE_PS | PTE_A |
				      PTE_D;
	}
}

/* BUG (injected, x86-guest-ptr-unlocked): the old tables in the top pages of RAM, rewritten at every vCPU 0 start. */
static int write_guest_page_tables(struct vm *vm)
{
	u64 base = x86_guest_cr3(vm);
	u64 *t[X86_GUEST_PT_PAGES];

	for (unsigned int i = 0; i < X86_GUEST_PT_PAGES; i++) {
		t[i] = guest_page(vm, base + i * PAGE_SIZE, true);
		if (!t[i])
			return -E_NOMEM;
		memset(t[i], 0, PAGE_SIZE);
	}
	fill_boot_tables(t, base);
	return 0;
}

int arch_vm_init(struct vm *vm)
{
	u64 base = X86_BOOT_PT_IPA, end = base + X86_GUEST_PT_PAGES * PAGE_SIZE;
	u64 ram = ipa_addr(vm->ram_base), uart = ipa_addr(vm->uart_base);
	u64 *t[X86_GUEST_PT_PAGES];
	paddr_t pa[X86_GUEST_PT_PAGES];
	unsigned int n;
	int r = 0;

	if (inject(X86_GUEST_PTR_UNLOCKED))
		return 0;	/* the old way: written at vCPU 0's start instead */
	/* hyp/vm keeps its device window (where these are) free of RAM; check anyway. */
	if ((base < ram + vm->ram_size && ram < end) || (uart >= base && uart < end)) {
		pr_err("vm%u (%s): x86 boot page tables at %#llx overlap its RAM or UART\n",
		       vm->id, vm->name, base);
		return -E_INVAL;
	}
	for (n = 0; n < X86_GUEST_PT_PAGES; n++) {
		if (!vm_mem_alloc(vm, 0, &pa[n])) {	/* charged to the VM (vm_charge.h) */
			r = -E_NOMEM;
			break;
		}
		t[n] = pa_to_ptr(pa[n]);
		memset(t[n], 0, PAGE_SIZE);
	}
	if (!r)
		fill_boot_tables(t, base);
	for (unsigned int i = 0; i < n; i++) {
		if (!r) {
			arch_guest_sync_mem(pa[i], PAGE_SIZE);
			/* Filled before it is published (s2_map's barrier): the guest sees them whole. */
			r = s2_map(&vm->s2, ipa_init(base + i * PAGE_SIZE), pa[i], PAGE_SIZE,
				   S2_PROT_RWX, S2_MAP_OWNED | S2_MAP_PAGES);
			if (!r)
				continue;
		}
		vm_mem_free(vm, pa[i], 0);	/* not mapped: still ours (mapped ones go with the VM) */
	}
	return r == -E_EXIST ? -E_INVAL : r;	/* -E_EXIST means "console taken" to vm_build */
}

/* ---- CPUID, port I/O, hypercalls ------------------------------------------ */

#define CPUID1_ECX_HYPERVISOR	BIT(31)

void x86_emulate_cpuid(struct vcpu *v, u64 *rax, u64 *rbx, u64 *rcx, u64 *rdx)
{
	u32 leaf = (u32)*rax, sub = (u32)*rcx;
	struct cpuid_regs r = cpuid_count(leaf, sub);

	switch (leaf) {
	case 1:
		r.ecx &= ~(u32)CPUID1_ECX_VMX;
		r.ecx |= CPUID1_ECX_HYPERVISOR;
		r.ebx = (r.ebx & 0x00ffffff) | v->idx << 24;	/* initial APIC ID */
		break;
	case 0xb:
	case 0x1f:
		r.edx = v->idx;
		break;
	case 0x40000000:	/* "hyp stage2mm", highest leaf 0x40000010 */
		r.eax = 0x40000010;
		r.ebx = 0x20707968;
		r.ecx = 0x67617473;
		r.edx = 0x6d6d3265;
		break;
	case 0x40000010:	/* timing leaf (as VMware/KVM): TSC kHz */
		r.eax = (u32)x86_tsc_khz();
		r.ebx = r.ecx = r.edx = 0;
		break;
	case 0x80000001:
		r.ecx &= ~(u32)CPUID_EXT1_ECX_SVM;
		break;
	case 0x8000000a:
		r.eax = r.ebx = r.ecx = r.edx = 0;
		break;
	default:
		break;
	}
	*rax = r.eax;
	*rbx = r.ebx;
	*rcx = r.ecx;
	*rdx = r.edx;
}

void x86_fault_retried(struct x86_vcpu *c, u64 gpa, u64 rip, u64 err)
{
	struct vm *vm = c->v->vm;

	if (c->npf_same && ALIGN_DOWN(gpa, PAGE_SIZE) == c->npf_gpa && rip == c->npf_rip) {
		c->npf_same++;
	} else {
		c->npf_gpa = ALIGN_DOWN(gpa, PAGE_SIZE);
		c->npf_rip = rip;
		c->npf_same = 1;
	}
	if (c->npf_same >= BIT(16) && !(c->npf_same & (c->npf_same - 1)))
		vm_warn(vm, "fault no progress", "vm%u (%s): vcpu%u: stage-2 fault at IPA %#llx "
			"(error %#llx) at RIP %#llx resolved %u times in a row, no progress "
			"(unflushed %u [%#llx, %#llx))\n", vm->id, vm->name, c->v->idx, gpa, err,
			rip, c->npf_same, READ_ONCE(vm->s2.unflushed), READ_ONCE(vm->s2.unflushed_start),
			READ_ONCE(vm->s2.unflushed_end));
}

#define COM1		0x3f8
#define COM1_LSR	5
#define LSR_THRE_TEMT	0x60

void x86_emulate_io(struct vcpu *v, u16 port, unsigned int size, bool in, u64 *val)
{
	u64 mask = size >= 4 ? 0xffffffffULL : BIT(8 * size) - 1;

	if (port >= COM1 && port < COM1 + 8) {
		if (in) {
			*val = port == COM1 + COM1_LSR ? LSR_THRE_TEMT : 0;
		} else if (port == COM1) {
			u64 c = *val & 0xff;

			/* The VM's console line, shared with the arm64 PL011 (offset 0 = DR). */
			vm_mmio(v, v->vm->uart_base, true, 1, &c);
		}
		return;
	}
	if (in)
		*val = mask;	/* nothing there: the bus floats high */
}

void x86_hypercall(struct vcpu *v, struct x86_gprs *g, u64 *rax)
{
	struct smccc_regs r = { .a = { *rax, g->r[GPR_RBX], g->r[GPR_RCX], g->r[GPR_RDX],
				       g->r[GPR_RSI], g->r[GPR_RDI], g->r[GPR_R8],
				       g->r[GPR_R9] } };

	vm_smccc(v, &r);
	*rax = r.a[0];
	g->r[GPR_RBX] = r.a[1];
	g->r[GPR_RCX] = r.a[2];
	g->r[GPR_RDX] = r.a[3];
}

/* ---- arch.h --------------------------------------------------------------- */

int arch_vcpu_init(struct vcpu *v, ipaddr_t entry, u64 arg)
{
	struct x86_vcpu *c = v->arch;
	paddr_t pa;
	int r __unused;

	if (x86_virt.backend == X86_BACKEND_NONE)
		return -E_NOSYS;
	if (!c) {
		if (!palloc_alloc(0, &pa))
			return -E_NOMEM;
		c = pa_to_ptr(pa);
		memset(c, 0, sizeof(*c));
		v->arch = c;
	}
	memset(&c->g, 0, sizeof(c->g));
	c->v = v;
	c->entry = ipa_addr(entry);
	c->arg = arg;
	c->g.r[GPR_RDI] = arg;		/* first argument register (SysV) */
	if (inject(X86_GUEST_PTR_UNLOCKED) && v->idx == 0) {
		r = write_guest_page_tables(v->vm);
		if (r < 0)
			return r;
	}
	return x86_virt.backend == X86_BACKEND_SVM ? svm_vcpu_init(c) : vmx_vcpu_init(c);
}

int arch_vcpu_run(struct vcpu *v, struct arch_vcpu_exit *exit)
{
	struct x86_vcpu *c = v->arch;

	if (!c)
		return -E_INVAL;
	return x86_virt.backend == X86_BACKEND_SVM ? svm_vcpu_run(c, exit) :
						     vmx_vcpu_run(c, exit);
}

void arch_vcpu_destroy(struct vcpu *v)
{
	struct x86_vcpu *c = v->arch;

	if (!c)
		return;
	if (x86_virt.backend == X86_BACKEND_VMX)
		vmx_vcpu_destroy(c);
	if (pa_addr(c->vmcb))
		palloc_free(c->vmcb, 0);
	palloc_free(ptr_to_pa(c), 0);
	v->arch = NULL;
}
