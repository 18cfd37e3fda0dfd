/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMs and vCPUs (arch-neutral). Static partitioning: every vCPU is pinned to
 * one physical CPU for its whole life; a physical CPU hosts at most one vCPU.
 *
 *   boot:   vm_config_early()  find the VM config (/chosen "hyp,vm-config"),
 *                              reserve it and the images it points at
 *                              (vm_config.c)
 *           vm_create_all()    parse, validate, build each VM (refusing bad
 *                              nodes with a message), start vCPU 0 of each
 *                              (vm_create.c; images: vm_image.c)
 *   every CPU: vm_cpu_loop()   run the vCPU pinned here when it is on;
 *                              returns once every VM is off and destroyed
 *                              (vm.c, with the power states)
 *
 * Callbacks from the arch's guest-exit handling (arch_vcpu_run):
 *   vm_smccc()         HVC/SMC: PSCI and the hypervisor's hypercalls
 *   vm_stage2_abort()  stage-2 fault: demand paging, MMIO, or inject (vm_mem.c)
 *   vm_mmio()          emulated device access (the PL011) (vm_mem.c)
 *   vcpu_must_exit()   polled at every exit
 * See doc/vm-config.md, doc/hypercalls.md.
 */
#ifndef HYP_VM_VM_H
#define HYP_VM_VM_H

#include <hyp/types.h>
#include <hyp/addr.h>
#include <hyp/arch.h>
#include <hyp/spinlock.h>
#include <hyp/mm/s2.h>
#include <hyp/vm/churn.h>
#include <hyp/vm/vm_charge.h>
#include <hyp/vm/passthrough.h>

#define VM_MAX		4
#define VM_NAME_LEN	24

enum vcpu_state { VCPU_OFF = 0, VCPU_ON_PENDING = 1, VCPU_ON = 2 };
enum vm_state { VM_RUNNING = 0, VM_STOPPING = 1, VM_DEAD = 2 };
/* How guest RAM is backed (doc/memory-charge.md "Block-backed RAM", doc/vm-config.md). */
enum vm_backing {
	VM_BACK_BLOCK = 0,	/* default: a fault maps a 2 MiB block when a run is free */
	VM_BACK_4K = 1,		/* "memory-4k": a fault maps one 4 KiB page */
	VM_BACK_PREMAP = 2,	/* "memory-premap": all of it mapped at creation, largest blocks */
	VM_BACK_IDENTITY = 3,	/* "memory-identity": IPA = PA, reserved at boot, pinned */
};

struct vm;

struct vcpu {
	struct vm *vm;
	unsigned int idx;	/* vCPU number = MPIDR Aff0 seen by the guest */
	unsigned int pcpu;	/* physical CPU it is pinned to */
	u32 state;		/* enum vcpu_state; atomic */
	u64 entry, arg;		/* CPU_ON: where and with what to start */
	bool leave;		/* set by a callback: leave the guest (CPU_OFF) */
	void *arch;		/* arch context (arch_vcpu_init) */
};

/* Guest modules (doc/vm-config.md): where the boot loader put each file. */
enum vm_mod { VM_MOD_KERNEL, VM_MOD_RAMDISK, VM_MOD_DTB, VM_MOD_NR };

struct vm_module {
	u64 pa, size;		/* retained (reserved) source; size 0: absent */
	u64 off;		/* copied to IPA ram_base + off */
};

struct vm {
	unsigned int id;
	char name[VM_NAME_LEN];
	ipaddr_t ram_base;
	u64 ram_size;
	ipaddr_t uart_base;	/* emulated PL011, one page */
	unsigned int nr_vcpus;
	struct vcpu vcpus[HYP_MAX_CPUS];
	u32 state;		/* enum vm_state; atomic */
	u32 running;		/* vCPUs inside vm_run_vcpu(); atomic */
	struct spinlock lock;	/* power state transitions */
	bool console_input;	/* "console-input": gets the console's RX (vuart.c) */
	u8 backing;		/* enum vm_backing */
	struct s2_format fmt;
	struct s2_mm_ops ops;
	struct s2_vm s2;
	/* From the config ("race-delay", "race-seed"), applied after s2_vm_init(). */
	u32 race_cfg[S2_RACE_POINTS][2];	/* mode, us */
	u64 race_seed;
	struct vm_module mod[VM_MOD_NR];
	u64 kernel_mem;		/* bytes the kernel occupies from mod[KERNEL].off */
	bool reset;		/* PSCI SYSTEM_RESET: recreate once destroyed */
	u32 incarnation;	/* 0 at boot, +1 per reset (HC_VERSION x3[63:32]) */
	struct vm_churn churn;	/* churn.h: memory rearranged under the running guest */
	struct vm_charge charge;	/* vm_charge.h: the pages it holds, and its bound */
	struct vm_passthrough pt;	/* passthrough.h: devices it owns (doc/passthrough.md) */
};

/* Enter guest-visible values of the SMCCC result registers. */
struct smccc_regs {
	u64 a[8];		/* in: a[0] function id, a[1..7] args; out: a[0..3] */
};

int vm_config_early(const void *dtb, int (*reserve)(paddr_t base, u64 size));

/* x86 hook: the config is a boot module, kernels are found by file name. */
#define VM_MAX_BOOT_MODULES	8
struct vm_boot_module {
	char name[32];		/* file name (last path component) */
	u64 addr, size;
};
int vm_config_from_module(const struct vm_boot_module *mods, unsigned int n,
			  const void *cfg_blob);
unsigned int vm_create_all(void);
/* Number of VMs created at boot (HC_VERSION tells guests, see doc/hypercalls.md). */
unsigned int vm_count(void);
void vm_cpu_loop(unsigned int cpu);
/* No VM will be created (called by the boot CPU when there is no config). */
void vm_none(void);

void vm_smccc(struct vcpu *v, struct smccc_regs *r);
/* Power: every vCPU leaves at its next exit, the last one destroys the VM. */
void vm_stop(struct vm *vm, const char *why);
/* The same, then the VM is rebuilt from its retained images (fresh VMID). */
void vm_request_reset(struct vm *vm);

#define VM_ABORT_DONE	0	/* handled: retry the access */
#define VM_ABORT_MMIO	1	/* emulate it: vm_mmio() */
/* Return: VM_ABORT_*, or a negative error: inject an abort into the guest. */
int vm_stage2_abort(struct vcpu *v, ipaddr_t ipa, bool write, bool exec);
/* Return: 0 (for reads *val is set), or -E_*: inject an abort. */
int vm_mmio(struct vcpu *v, ipaddr_t ipa, bool write, unsigned int size, u64 *val);
bool vcpu_must_exit(struct vcpu *v);

/*
 * A user of a VM other than its vCPUs (the churn CPU): vm_get() succeeds
 * while the VM runs and keeps it from being destroyed until vm_put(); the
 * last one out of a stopping VM destroys it.
 */
bool vm_get(struct vm *vm);
void vm_put(struct vm *vm);

#endif
