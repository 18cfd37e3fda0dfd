// SPDX-License-Identifier: GPL-2.0
/*
 * IDT for exception vectors 0-31. Every exception is fatal except two
 * expected ones: the NMI of arch_stop_other_cpus() (halt quietly) and a #GP
 * on rdmsr_safe's RDMSR (resume at its fixup). The rest print vector, error
 * code, CR2, every register and a backtrace, then panic.
 */
#include <hyp/types.h>
#include <hyp/arch.h>
#include <hyp/console.h>
#include <hyp/panic.h>
#include <x86/asm.h>
#include <x86/layout.h>
#include <x86/traps.h>
#include <x86/tlb.h>
#include <x86/backtrace.h>

struct idt_gate {
	u16 off_lo;
	u16 sel;
	u8 ist;
	u8 type;		/* P | DPL | type */
	u16 off_mid;
	u32 off_hi;
	u32 reserved;
} __packed;

struct idt_ptr {
	u16 limit;
	u64 base;
} __packed;

/* #PF error code bits */
#define PF_PRESENT	BIT(0)
#define PF_WRITE	BIT(1)
#define PF_USER		BIT(2)
#define PF_RSVD		BIT(3)
#define PF_INSN		BIT(4)

#define GATE_INTR	0x8e	/* present, DPL 0, 64-bit interrupt gate (IF cleared) */

static struct idt_gate idt[X86_NR_EXCEPTIONS] __aligned(16);
bool x86_stopping;

extern const u8 rdmsr_safe_insn[], rdmsr_safe_fixup[];

static const char *const exc_names[X86_NR_EXCEPTIONS] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint",
	"#OF overflow", "#BR bound range", "#UD invalid opcode",
	"#NM device not available", "#DF double fault",
	"coprocessor segment overrun", "#TS invalid TSS",
	"#NP segment not present", "#SS stack fault",
	"#GP general protection", "#PF page fault", "reserved 15",
	"#MF x87 error", "#AC alignment check", "#MC machine check",
	"#XM SIMD error", "#VE virtualization exception",
	"#CP control protection", "reserved 22", "reserved 23",
	"reserved 24", "reserved 25", "reserved 26", "reserved 27",
	"#HV hypervisor injection", "#VC VMM communication",
	"#SX security exception", "reserved 31",
};

static u8 vector_ist(unsigned int v)
{
	switch (v) {
	case X86_VEC_DF:	return IST_DF;
	case X86_VEC_NMI:	return IST_NMI;
	case X86_VEC_MC:	return IST_MC;
	default:		return 0;
	}
}

void x86_idt_init(void)
{
	unsigned int v;

	for (v = 0; v < X86_NR_EXCEPTIONS; v++) {
		u64 a = (u64)(uintptr_t)&x86_trap_stubs[v * X86_TRAP_STUB_SIZE];

		idt[v].off_lo = a & 0xffff;
		idt[v].sel = GDT_CS64;
		idt[v].ist = vector_ist(v);
		idt[v].type = GATE_INTR;
		idt[v].off_mid = a >> 16 & 0xffff;
		idt[v].off_hi = a >> 32;
		idt[v].reserved = 0;
	}
}

void x86_idt_load(void)
{
	struct idt_ptr p = { sizeof(idt) - 1, (u64)(uintptr_t)idt };

	__asm__ __volatile__("lidt %0" : : "m"(p) : "memory");
}

static void dump_frame(const struct x86_trap_frame *f)
{
	unsigned int v = (unsigned int)f->vector;

	hyp_printf("\n*** CPU%u: unexpected exception %u (%s), error code 0x%llx, CR2 0x%llx\n",
		   arch_cpu_id(), v, v < X86_NR_EXCEPTIONS ? exc_names[v] : "?",
		   f->error, read_cr2());
	if (v == X86_VEC_PF)
		hyp_printf("#PF: %s, %s, %s%s%s\n",
			   f->error & PF_PRESENT ? "protection violation" : "not present",
			   f->error & PF_WRITE ? "write" : "read",
			   f->error & PF_USER ? "user" : "supervisor",
			   f->error & PF_RSVD ? ", reserved bit set" : "",
			   f->error & PF_INSN ? ", instruction fetch" : "");
	hyp_printf("RIP %016llx CS %04llx RFLAGS %016llx\n", f->rip, f->cs, f->rflags);
	hyp_printf("RSP %016llx SS %04llx\n", f->rsp, f->ss);
	hyp_printf("RAX %016llx RBX %016llx RCX %016llx\n", f->rax, f->rbx, f->rcx);
	hyp_printf("RDX %016llx RSI %016llx RDI %016llx\n", f->rdx, f->rsi, f->rdi);
	hyp_printf("RBP %016llx R8  %016llx R9  %016llx\n", f->rbp, f->r8, f->r9);
	hyp_printf("R10 %016llx R11 %016llx R12 %016llx\n", f->r10, f->r11, f->r12);
	hyp_printf("R13 %016llx R14 %016llx R15 %016llx\n", f->r13, f->r14, f->r15);
	hyp_printf("CR0 %016llx CR3 %016llx CR4 %016llx\n", read_cr0(), read_cr3(), read_cr4());
	hyp_printf("Backtrace (faulting frame):\n  [<%016llx>]\n", f->rip);
	x86_backtrace_from(f->rbp);
}

void x86_trap(struct x86_trap_frame *f)
{
	/* The panic-path NMI: stop here, on this CPU's NMI stack, for good. */
	if (f->vector == X86_VEC_NMI && READ_ONCE(x86_stopping))
		arch_cpu_halt();
	/* Otherwise an NMI is a stage-2 shootdown request (tlb.c). */
	if (f->vector == X86_VEC_NMI) {
		x86_shootdown_nmi();
		return;
	}

	if (f->vector == X86_VEC_GP && f->rip == (u64)(uintptr_t)rdmsr_safe_insn) {
		f->rip = (u64)(uintptr_t)rdmsr_safe_fixup;
		return;
	}

	/* Fatal: the console lock may be held by the code we interrupted. */
	console_force_unlock();
	dump_frame(f);
	panic("unexpected exception %llu at RIP %#llx", f->vector, f->rip);
}
