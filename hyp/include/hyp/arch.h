/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one interface between the architecture-neutral core (hyp/) and an
 * architecture (arch/arm64, arch/x86, arch/sim). hyp/ includes this header
 * and nothing from arch/. Each arch implements every function declared here.
 */
#ifndef HYP_ARCH_H
#define HYP_ARCH_H

#include <hyp/types.h>
#include <hyp/addr.h>

#define HYP_MAX_CPUS	8

/* ---- CPU identity, halting, interrupts ---------------------------------- */

/* Logical index of the calling CPU, 0 .. HYP_MAX_CPUS-1 (boot CPU is 0). */
unsigned int arch_cpu_id(void);

/* Spin-wait hint (arm64 YIELD, x86 PAUSE; the simulation switches CPU). */
void arch_cpu_relax(void);

/* Stop this CPU for good: interrupts masked, wait-for-interrupt loop. */
__noreturn void arch_cpu_halt(void);

/* Ask every other CPU to halt (panic path). Must not take locks. */
void arch_stop_other_cpus(void);

/* Power the machine off (PSCI SYSTEM_OFF, isa-debug-exit, bochs port). */
__noreturn void arch_system_off(int status);

unsigned long arch_irq_save(void);
void arch_irq_restore(unsigned long flags);

/* ---- Console ------------------------------------------------------------ */

/* Emit one byte on the boot console (raw; no locking, no CR/LF handling). */
void arch_console_putc(char c);

/*
 * Console input (hyp/vm/console_in.c, doc/console.md): the next byte the
 * physical UART received, or -1; pause/resume taking its receive interrupt
 * (back-pressure: bytes wait in the UART). Defaults: no input.
 */
int arch_console_getc(void);
void arch_console_rx_pause(void);
void arch_console_rx_resume(void);

/* Print the caller's backtrace through the console (best effort). */
void arch_dump_backtrace(void);

/*
 * Print what the CPU offers that matters to the stage-2 manager (arm64: VMID
 * bits, FEAT_TLBIRANGE, VHE, FWB, GIC and list registers, IPA size; x86: VMX
 * EPT/VPID/INVEPT types or SVM NPT/ASIDs/flush-by-ASID).
 */
void arch_banner(void);

/* ---- Time --------------------------------------------------------------- */

/*
 * A monotonic nanosecond count on this CPU, for short spin delays (race
 * widening, hyp/mm/s2_race.c). arm64: CNTPCT_EL0 / CNTFRQ_EL0; x86: TSC
 * scaled by a PIT calibration at boot (raw TSC ticks if uncalibrated); the
 * simulation: a deterministic counter that advances 1000 per call.
 */
u64 arch_counter_ns(void);

/* ---- Memory ordering ---------------------------------------------------- */

/* Full barrier between normal memory accesses of this CPU (arm64 DMB ISH). */
void arch_smp_mb(void);

/*
 * A point where the host simulation may switch to another simulated CPU.
 * The stage-2 code calls it around every descriptor access and every
 * invalidation so that the seeded scheduler can interleave at each of them.
 * A no-op on real hardware, and in make bench's simulation build
 * (SIM_BENCH: single-threaded, it measures the code the product runs).
 */
#if (defined(CONFIG_ARCH_SIM) && !defined(SIM_BENCH)) || defined(CONFIG_TLBI_CHECK)
void arch_sched_point(void);	/* arm64 TLBI_CHECK=1: arch/arm64/tlbi_check.c */
#else
static inline void arch_sched_point(void) { }
#endif

/* ---- Stage-2 TLB maintenance ------------------------------------------- */

/*
 * What an invalidation targets. arm64 uses vmid (TLBI ... IS broadcasts);
 * x86 uses root (EPTP / nCR3), vmid (VPID / ASID) and cpus: the set of CPUs
 * that ran this VM since its last flush, which get an IPI each (R7).
 */
struct arch_s2_tlb_ctx {
	u32 vmid;
	paddr_t root;
	u64 cpus;		/* bitmap of logical CPUs (x86 shootdown targets) */
};

/*
 * Issue (not complete) an invalidation. leaf_only: only last-level entries
 * of the range may be dropped; otherwise walk caches (intermediate entries)
 * for the range go too. level: the level of the entries being removed, as a
 * hint (arm64 TTL), or -1 if unknown.
 */
void arch_s2_inval_ipa(const struct arch_s2_tlb_ctx *ctx, ipaddr_t ipa,
		       int level, bool leaf_only);
/* Range invalidation; returns false (and does nothing) if unsupported. */
bool arch_s2_inval_range(const struct arch_s2_tlb_ctx *ctx, ipaddr_t start,
			 u64 size, bool leaf_only);
/* Everything tagged with this VMID, all levels. */
void arch_s2_inval_vmid(const struct arch_s2_tlb_ctx *ctx);
/* Everything, every VMID, every CPU (VMID rollover). */
void arch_s2_inval_all(void);
/*
 * Wait until every invalidation this CPU issued is complete on every CPU
 * (arm64 DSB ISH; x86 IPI acknowledgements). Only after this may anything
 * the invalidation covered be freed (R1).
 */
void arch_s2_inval_sync(const struct arch_s2_tlb_ctx *ctx);

/* True if arch_s2_inval_range() is backed by hardware (FEAT_TLBIRANGE). */
bool arch_s2_has_range_inval(void);

/*
 * Make this CPU translate guest accesses through ctx (load VTTBR / EPTP),
 * or through nothing (NULL): after arch_s2_load(NULL) returns, the CPU can no
 * longer fill its TLB or walk caches from the previous context (R3).
 */
void arch_s2_load(const struct arch_s2_tlb_ctx *ctx);

/* ---- Virtual CPUs (hyp/vm) ---------------------------------------------- */

struct vcpu;

/*
 * Why arch_vcpu_run() returned: the vCPU left its physical CPU.
 * @reason: VCPU_EXIT_OFF (the vCPU powered itself off, PSCI CPU_OFF),
 *          VCPU_EXIT_VM_OFF (its VM is shutting down: SYSTEM_OFF/RESET by any
 *          vCPU, or teardown requested), VCPU_EXIT_ERROR (the guest did
 *          something the hypervisor cannot continue from; logged)
 */
struct arch_vcpu_exit {
	enum { VCPU_EXIT_OFF = 1, VCPU_EXIT_VM_OFF, VCPU_EXIT_ERROR } reason;
};

/*
 * Reset @v's architectural state: it will start at @entry (guest IPA, guest
 * kernel mode, MMU off) with @arg in its first argument register. Allocates
 * the arch context on first use (v->arch). Return: 0, -E_NOMEM; arches
 * without guest support return -E_NOSYS.
 */
int arch_vcpu_init(struct vcpu *v, ipaddr_t entry, u64 arg);

/*
 * Run @v on this CPU until it must leave it (see struct arch_vcpu_exit). The
 * caller has loaded the VM's stage 2 (s2_vm_enter). Guest exits are handled
 * inside through the hyp/vm callbacks (hyp/include/hyp/vm/vm.h: vm_smccc,
 * vm_stage2_abort, vm_mmio, vcpu_must_exit). Return: 0, or -E_NOSYS.
 */
int arch_vcpu_run(struct vcpu *v, struct arch_vcpu_exit *exit);

/*
 * The stage-2 table format VMs use on this CPU, matching what the CPUs are
 * programmed for (arm64: VTCR_EL2 = arm64_vtcr(39, 3) on every CPU, so
 * s2_format_arm64(f, 39, 3)). Return: 0, or -E_NOSYS.
 */
struct s2_format;
int arch_vm_s2_format(struct s2_format *f);

/*
 * Make @v's physical CPU leave the guest (if @v is running there) and look
 * at its state again: vcpu_must_exit(), newly pending virtual interrupts.
 * Callable from any CPU, any time; a kick of a vCPU that is not in its
 * guest costs one spurious exit at most. arm64: SGI to v->pcpu.
 */
void arch_vcpu_kick(struct vcpu *v);

/*
 * Per-VM arch state (arm64: the virtual GIC), reset before the VM's first
 * vCPU runs. Return: 0, or -E_* (the VM is not started).
 */
struct vm;
int arch_vm_init(struct vm *vm);

/*
 * Level of @vm's interrupt @intid as driven by an emulated device (arm64:
 * a virtual GIC SPI); the arch delivers it to the vCPU it targets.
 */
void arch_vm_irq_level(struct vm *vm, unsigned int intid, bool level);

/*
 * @vm's passthrough SPIs (vm->pt, doc/passthrough.md): @on: forward each
 * physical SPI to the VM's virtual GIC as a hardware interrupt (built);
 * !@on: disable and deactivate them (every vCPU has left, destroy).
 */
void arch_vm_passthrough(struct vm *vm, bool on);

/* Free what arch_vcpu_init() allocated. */
void arch_vcpu_destroy(struct vcpu *v);

/*
 * Make [pa, pa + size) coherent between the hypervisor (cacheable) and a
 * guest that may access it with its caches off, in both directions: what
 * the hypervisor wrote reaches memory, and the hypervisor's next read comes
 * from memory, not from a line cached before the guest wrote it there
 * (arm64: clean and invalidate to PoC; x86: nothing).
 */
void arch_guest_sync_mem(paddr_t pa, u64 size);

/*
 * Zero one page-aligned page of Normal memory (the page allocator hands out
 * zeroed pages: hyp/mm/palloc.c). arm64: DC ZVA where DCZID_EL0 allows it
 * (arch/arm64/clear_page.c); elsewhere memset (palloc.c's weak default).
 * Ordered like plain stores.
 */
void arch_clear_page(void *page);

#endif
