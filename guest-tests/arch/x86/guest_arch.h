/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64 side of the guest test-kernel framework (doc/guests.md,
 * "Architecture split"; the x86 guest platform: doc/x86-virt.md).
 *
 * The hypervisor enters the image at its first byte in 64-bit mode, CPL 0,
 * paging on through an identity map of 0..4 GiB it built outside the VM's
 * RAM (IPA 0x09ff0000, doc/guest-memory.md), RDI = argument (0 for vCPU 0, the context for
 * CPU_ON). Console: COM1 (port 0x3f8, trapped). Hypercalls: VMMCALL (AMD)
 * or VMCALL (Intel) with the SMCCC registers mapped to RAX RBX RCX RDX.
 */
#ifndef GUEST_ARCH_H
#define GUEST_ARCH_H

/* Platform (configs/vms-x86/): RAM like arm64, all of it the guest's. */
#define PLAT_RAM_BASE	0x40000000UL
#define PLAT_RAM_SIZE	0x04000000UL
#define PLAT_UART_BASE	0x3f8UL		/* an I/O port on x86, not an address */
/* x86 guests get no DTB (RDI = 0): the defaults are the platform. */
#define PLAT_RAM_SIZE_MAX PLAT_RAM_SIZE

#define smp_mb()	__asm__ __volatile__("mfence" ::: "memory")
#define cpu_relax()	__asm__ __volatile__("pause" ::: "memory")
/* HLT traps to the hypervisor and returns at once: an exit point. */
#define cpu_idle_wait()	__asm__ __volatile__("hlt" ::: "memory")
#define cpu_wake_all()	__asm__ __volatile__("" ::: "memory")

/* One hypercall: VMMCALL/VMCALL, fn in RAX, a1..a3 in RBX RCX RDX (doc/hypercalls.md). */
struct hyp_res { s64 a0; u64 a1, a2, a3; };
struct hyp_res hyp_call(u64 fn, u64 a1, u64 a2, u64 a3);

/* PSCI 1.0 function ids, the same on x86 (doc/hypercalls.md). */
#define PSCI_VERSION		0x84000000UL
#define PSCI_CPU_OFF		0x84000002UL
#define PSCI_CPU_ON		0xc4000003UL
#define PSCI_AFFINITY_INFO	0xc4000004UL
#define PSCI_SYSTEM_OFF		0x84000008UL
#define PSCI_FEATURES		0x8400000aUL
#define PSCI_E_NOT_SUPPORTED	(-1)
#define PSCI_E_INVALID_PARAMS	(-2)
#define PSCI_E_ALREADY_ON	(-4)

#define GUEST_STACK_SIZE	16384UL
extern char guest_stacks[];

/* This vCPU's index, from the stack it runs on (start.S: one stack per vCPU). */
static inline unsigned int cpu_id(void)
{
	u64 sp;

	__asm__ __volatile__("mov %%rsp, %0" : "=r"(sp));
	return (unsigned int)((sp - (u64)guest_stacks) / GUEST_STACK_SIZE);
}

static inline u64 clock_ticks(void)
{
	u32 lo, hi;

	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return (u64)hi << 32 | lo;
}

/* TSC rate from the hypervisor's timing leaf (CPUID 0x40000010 EAX, kHz). */
u64 clock_hz(void);

/* Caches are coherent with every agent on x86: a barrier is all it takes. */
static inline void dcache_clean_inval(u64 addr, u64 size)
{
	(void)addr;
	(void)size;
	smp_mb();
}

void arch_putc(char c);
int arch_cpu_on(unsigned int cpu);
void arch_cpu_off(void);
bool arch_cpu_is_off(unsigned int cpu);
void arch_system_off(void);

/*
 * Faults: syndrome = 1 << 63 | vector << 32 | error code; address = CR2.
 * An access to an IPA outside the VM's memory map is #GP(0) with CR2 = the
 * IPA (the hypervisor's convention, doc/x86-virt.md).
 */
#define X86_SYN_VALID	(1UL << 63)
static inline bool arch_fault_is_external(u64 syn)
{
	return (syn & X86_SYN_VALID) && ((syn >> 32) & 0xff) == 13 && (u32)syn == 0;
}
#define ARCH_FAULT_EXTERNAL_DESC "#GP(0) with CR2 = the IPA"

/*
 * A 64-bit CPU_ON entry point (PSCI CPU_ON of a vCPU that must run on the
 * test's own tables): @name loads the stack from @pfx_stack_top, the GDT and
 * IDT from @pfx_gdtr / @pfx_idtr, CR3 from @pfx_cr3 (all globals the C side
 * fills), reloads CS (0x08) and the data segments (0x10), then calls @fn,
 * which does not return. Used in a top-level __asm__(".text\n" ...).
 */
#define X86_CPU_ON_ENTRY(name, pfx, fn)					\
	".balign 16\n"							\
	".globl " #name "\n"						\
	#name ":\n"							\
	"	cli\n"							\
	"	mov " #pfx "_stack_top(%rip), %rsp\n"			\
	"	lgdt " #pfx "_gdtr(%rip)\n"				\
	"	lidt " #pfx "_idtr(%rip)\n"				\
	"	mov " #pfx "_cr3(%rip), %rax\n"				\
	"	mov %rax, %cr3\n"					\
	"	pushq $0x08\n"						\
	"	lea 1f(%rip), %rax\n"					\
	"	push %rax\n"						\
	"	lretq\n"							\
	"1:	mov $0x10, %eax\n"					\
	"	mov %eax, %ds\n"						\
	"	mov %eax, %es\n"						\
	"	mov %eax, %ss\n"						\
	"	mov %eax, %fs\n"						\
	"	mov %eax, %gs\n"						\
	"	xor %ebp, %ebp\n"					\
	"	call " #fn "\n"						\
	"2:	hlt\n"							\
	"	jmp 2b\n"

#endif
