// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu-move-x86: a VM's two vCPUs move between two CPUs while the VM's
 * stage 2 changes (rules X9, X10). cpu0 and cpu1 each take a free vCPU at
 * random, enter the VM (s2_vm_enter), make the vCPU current
 * (sim_x86_vcpu_load(): arch/x86/tlb_entry.c's vmx_tlb_vcpu_load(), or on
 * SVM svm_tlb_vcpu_load(), unchanged), run it -- guest accesses that leave
 * combined (guest-linear) entries tagged by VPID + PCID (VMX) or ASID +
 * PCID (SVM), and now and then a rewrite of the guest's own page table
 * that the guest invalidates on the CPU it runs on, as a guest does --
 * then leave and give the vCPU back. cpu2 unmaps pages of the VM meanwhile
 * (demand-paged back by the next fault): stage-2 flushes, owed to the CPUs
 * that ran the VM, remove combined entries of its EP4TA / ASID too.
 *
 * A vCPU that comes back to a CPU where it (or, on SVM, the other vCPU:
 * one ASID per VM) left combined entries must not use them: the guest's
 * rewrite since was invalidated only where it ran then. The model flags a
 * hit on such an entry (X10). What removes them: the INVVPID of
 * vmx_tlb_vcpu_load() (INJECT x86-vmx-vpid-skip-same skips it when the
 * CPU's last vCPU was this one), or the ASID flush svm_tlb_vcpu_load()
 * owes to the next VMRUN (INJECT x86-svm-no-vcpu-flush). On the seeds
 * without single-context INVVPID, x86-vmx-vpid-single-no-cap is VMfail
 * (X9).
 */
#include "harness.h"
#include <hyp/string.h>

#define VM_PAGES	8
#define VM_VCPUS	2
#define ROUNDS		120

static struct {
	struct hvm h;
	volatile int owner[VM_VCPUS];	/* CPU + 1 running the vCPU, 0: free */
	volatile int done;
	u64 loads, changes, returns, unmaps;
	int last_cpu[VM_VCPUS];		/* CPU + 1 the vCPU last ran on */
	unsigned int ran_on[VM_VCPUS];	/* CPUs it ran on (bits) */
} vm_;

/* vmx.c's VPID numbering: 1 + 8 * VM + vCPU index (VM 0 here). */
static u16 vpid_of(unsigned int v)
{
	return (u16)(1 + v);
}

static void vm_host(unsigned int cpu, void *arg)
{
	for (int r = 0; r < ROUNDS; r++) {
		unsigned int v = (unsigned int)sim_rand_below(VM_VCPUS);

		while (vm_.owner[v])
			sim_yield();
		vm_.owner[v] = (int)cpu + 1;	/* no sched point in between: atomic here */
		while (s2_vm_enter(&vm_.h.vm))
			sim_yield();
		sim_x86_vcpu_load(vpid_of(v));
		vm_.loads++;
		/* Back on a CPU it ran on, having run elsewhere since: what X10 is about. */
		if (vm_.last_cpu[v] != (int)cpu + 1 && (vm_.ran_on[v] & BIT(cpu)))
			vm_.returns++;
		vm_.last_cpu[v] = (int)cpu + 1;
		vm_.ran_on[v] |= (unsigned int)BIT(cpu);
		/* The vCPU's guest: two processes, each run for a while. */
		sim_guest_asid((int)sim_rand_below(2));
		for (int i = 0; i < 12; i++) {
			h_access(&vm_.h, sim_rand_below(VM_PAGES) << PAGE_SHIFT,
				 sim_rand_below(4) == 0);
			if (sim_rand_below(6) == 0) {
				sim_guest_s1_change();
				vm_.changes++;
			}
		}
		s2_vm_exit(&vm_.h.vm);
		vm_.owner[v] = 0;
		/* Idle a while now and then: the vCPU moves meanwhile. */
		for (u64 k = sim_rand_below(2) ? sim_rand_below(30) : 0; k; k--)
			sim_yield();
	}
	sim_guest_asid(-1);
}

static void vm_churn(unsigned int cpu, void *arg)
{
	while (!vm_.done) {
		h_unmap(&vm_.h, sim_rand_below(VM_PAGES) << PAGE_SHIFT, PAGE_SIZE);
		vm_.unmaps++;
		for (u64 k = 300 + sim_rand_below(300); k && !vm_.done; k--)
			sim_yield();
	}
}

static void vm_host_last(unsigned int cpu, void *arg)
{
	vm_host(cpu, arg);
	while (vm_.owner[0] || vm_.owner[1])
		sim_yield();
	vm_.done = 1;
}

static int vm_run(u64 seed)
{
	sim_prog_fn progs[3] = { vm_host, vm_host_last, vm_churn };

	memset(&vm_, 0, sizeof(vm_));
	h_init(6);
	if (h_vm_create(&vm_.h, 0, SZ_2M, H_BACK_ALLOC, 0) ||
	    h_map_owned(&vm_.h, 0, VM_PAGES * PAGE_SIZE, S2_PROT_R | S2_PROT_W, false, 0))
		return 1;
	sim_run(progs, NULL);
	if (!vm_.changes || !vm_.returns || vm_.unmaps < 2)
		sim_violation("COVERAGE", 0, 0, 0, "%llu vCPU loads, %llu returns to an earlier "
			      "CPU, %llu guest page-table rewrites, %llu unmaps: the scenario did "
			      "not move vCPUs under stage-2 changes", vm_.loads, vm_.returns,
			      vm_.changes, vm_.unmaps);
	simtest_log("%llu vCPU loads, %llu returns, %llu guest page-table rewrites, %llu unmaps",
		    vm_.loads, vm_.returns, vm_.changes, vm_.unmaps);
	return 0;
}

static void vm_setup(u64 seed, struct sim_config *cfg)
{
	h_setup(cfg, SIM_X86, 3, seed);
	cfg->insn_cpus = ~0ULL;
}

/*
 * Odd seeds VMX, even SVM (sim_x86_reset()); 96..111: seed bits 5 and 6
 * set, single-context INVVPID absent (all-context used).
 */
static const u64 vm_seeds[] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
	96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
};

static const struct simtest t_vm = {
	.name = "vcpu-move-x86", .setup = vm_setup, .run = vm_run,
	.what = "vCPUs moving between CPUs while stage 2 changes: no combined (guest-linear) "
		"entry of an earlier stay used after the guest rewrote and invalidated it "
		"elsewhere (X9, X10; VMX VPID and SVM ASID)",
	.seeds = ARRAY_SIZE(vm_seeds), .soak_seeds = 1000, .seed_list = vm_seeds,
};
SIMTEST(t_vm)
