// SPDX-License-Identifier: GPL-2.0
/*
 * Guest SMCCC calls (HVC, or SMC trapped): PSCI 1.1 for the VM (what each
 * call does: doc/guest-fidelity.md), and the
 * hypervisor's own calls in the vendor-specific hypervisor service range.
 * Every argument is validated; see doc/hypercalls.md for the error codes.
 */
#include <hyp/atomic.h>
#include <hyp/console.h>
#include <hyp/palloc.h>
#include <hyp/vm/vm.h>
#include <hyp/vm/hypercall.h>

#define SMCCC_VERSION		0x80000000U
#define SMCCC_ARCH_FEATURES	0x80000001U
#define SMCCC_NOT_SUPPORTED	(-1LL)

#define PSCI_VERSION		0x84000000U
#define PSCI_CPU_SUSPEND_32	0x84000001U
#define PSCI_CPU_SUSPEND	0xc4000001U
#define PSCI_CPU_OFF		0x84000002U
#define PSCI_CPU_ON_32		0x84000003U
#define PSCI_CPU_ON		0xc4000003U
#define PSCI_AFFINITY_INFO_32	0x84000004U
#define PSCI_AFFINITY_INFO	0xc4000004U
#define PSCI_MIGRATE_32		0x84000005U
#define PSCI_MIGRATE		0xc4000005U
#define PSCI_MIGRATE_INFO_TYPE	0x84000006U
#define PSCI_MIGRATE_INFO_UP_CPU_32 0x84000007U
#define PSCI_MIGRATE_INFO_UP_CPU 0xc4000007U
#define PSCI_SYSTEM_OFF		0x84000008U
#define PSCI_SYSTEM_RESET	0x84000009U
#define PSCI_FEATURES		0x8400000aU
#define PSCI_SYSTEM_RESET2_32	0x84000012U
#define PSCI_SYSTEM_RESET2	0xc4000012U

#define PSCI_1_1		0x10001
/* MIGRATE_INFO_TYPE: no Trusted OS, nothing to migrate (MIGRATE not needed). */
#define PSCI_TOS_NOT_PRESENT	2
/* SYSTEM_RESET2 reset_type: bit 31 vendor-specific; architectural 0 = warm reset. */
#define PSCI_RESET2_VENDOR	BIT(31)
#define PSCI_RESET2_WARM	0

#define PSCI_SUCCESS		0
#define PSCI_INVALID_PARAMS	(-2LL)
#define PSCI_ALREADY_ON		(-4LL)
#define PSCI_ON_PENDING		(-5LL)
#define PSCI_INVALID_ADDRESS	(-9LL)

static bool psci_supported(u32 fn)
{
	switch (fn) {
	case PSCI_VERSION: case PSCI_CPU_OFF: case PSCI_CPU_ON_32: case PSCI_CPU_ON:
	case PSCI_AFFINITY_INFO_32: case PSCI_AFFINITY_INFO: case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET: case PSCI_FEATURES: case PSCI_CPU_SUSPEND_32:
	case PSCI_CPU_SUSPEND: case PSCI_MIGRATE_INFO_TYPE: case PSCI_SYSTEM_RESET2_32:
	case PSCI_SYSTEM_RESET2:
	case SMCCC_VERSION:	/* how Linux finds out it may ask SMCCC_VERSION */
		return true;
	default:
		return false;
	}
}

static struct vcpu *psci_target(struct vm *vm, u64 mpidr)
{
	/* vCPU i has MPIDR Aff0 = i, Aff1..3 = 0. */
	if (mpidr & ~0xffULL || mpidr >= vm->nr_vcpus)
		return NULL;
	return &vm->vcpus[mpidr];
}

static s64 psci_cpu_on(struct vm *vm, u64 mpidr, u64 entry, u64 arg)
{
	struct vcpu *t = psci_target(vm, mpidr);
	s64 ret;

	if (!t)
		return PSCI_INVALID_PARAMS;
	if (entry < ipa_addr(vm->ram_base) || entry - ipa_addr(vm->ram_base) >= vm->ram_size ||
	    entry & 3)
		return PSCI_INVALID_ADDRESS;
	spin_lock(&vm->lock);
	switch (t->state) {
	case VCPU_ON:
		ret = PSCI_ALREADY_ON;
		break;
	case VCPU_ON_PENDING:
		ret = PSCI_ON_PENDING;
		break;
	default:
		t->entry = entry;
		t->arg = arg;
		/* Release: entry/arg before the state its CPU polls. */
		atomic_store_release(&t->state, VCPU_ON_PENDING);
		ret = PSCI_SUCCESS;
	}
	spin_unlock(&vm->lock);
	return ret;
}

static void psci(struct vcpu *v, struct smccc_regs *r, u32 fn)
{
	struct vm *vm = v->vm;
	bool smc32 = !(fn & BIT(30));
	u64 a1 = smc32 ? (u32)r->a[1] : r->a[1];
	u64 a2 = smc32 ? (u32)r->a[2] : r->a[2];
	u64 a3 = smc32 ? (u32)r->a[3] : r->a[3];
	struct vcpu *t;

	switch (fn) {
	case PSCI_VERSION:
		r->a[0] = PSCI_1_1;
		break;
	case PSCI_CPU_SUSPEND_32:
	case PSCI_CPU_SUSPEND:
		/*
		 * Every power state is a standby the caller wakes from at once
		 * (a wake-up event may end standby any time; doc/guest-fidelity.md):
		 * context is kept, the call returns SUCCESS, entry_point is unused.
		 */
		r->a[0] = PSCI_SUCCESS;
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		r->a[0] = PSCI_TOS_NOT_PRESENT;
		break;
	case PSCI_SYSTEM_RESET2_32:
	case PSCI_SYSTEM_RESET2:
		/* Only the architectural warm reset; vendor and unknown types are invalid. */
		if ((u32)a1 != PSCI_RESET2_WARM) {
			r->a[0] = (u64)PSCI_INVALID_PARAMS;
			break;
		}
		vm_request_reset(vm);
		r->a[0] = PSCI_SUCCESS;
		break;
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON:
		r->a[0] = (u64)psci_cpu_on(vm, a1, a2, a3);
		break;
	case PSCI_CPU_OFF:
		v->leave = true;	/* the vCPU leaves at the end of this exit */
		r->a[0] = PSCI_SUCCESS;
		break;
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO:
		t = psci_target(vm, a1);
		if (!t || a2 != 0)	/* only level 0 (a single vCPU) */
			r->a[0] = (u64)PSCI_INVALID_PARAMS;
		else
			r->a[0] = (u64[]){ 1, 2, 0 }[atomic_load_acquire(&t->state)];
		break;
	case PSCI_SYSTEM_OFF:
		vm_stop(vm, "PSCI SYSTEM_OFF");
		r->a[0] = PSCI_SUCCESS;
		break;
	case PSCI_SYSTEM_RESET:
		vm_request_reset(vm);
		r->a[0] = PSCI_SUCCESS;
		break;
	case PSCI_FEATURES:
		/* CPU_SUSPEND's flags are 0: original power_state format, no OS-initiated mode. */
		r->a[0] = psci_supported((u32)a1) ? PSCI_SUCCESS : (u64)SMCCC_NOT_SUPPORTED;
		break;
	default:
		r->a[0] = (u64)SMCCC_NOT_SUPPORTED;
	}
}

void vm_smccc(struct vcpu *v, struct smccc_regs *r)
{
	u32 fn = (u32)r->a[0];

	if ((fn & 0xbfffffe0U) == 0x84000000U)
		psci(v, r, fn);
	else if ((fn & 0xffff0000U) == HC_BASE)
		vm_hypercall(v, r);
	else if (fn == SMCCC_VERSION)
		r->a[0] = 0x10001;	/* SMCCC 1.1: Linux then trusts the conduit */
	else if (fn == SMCCC_ARCH_FEATURES)
		/* Only the two 1.1 calls; no firmware workarounds (ARCH_WORKAROUND_*). */
		r->a[0] = (u32)r->a[1] == SMCCC_VERSION || (u32)r->a[1] == SMCCC_ARCH_FEATURES ?
			  0 : (u64)SMCCC_NOT_SUPPORTED;
	else
		r->a[0] = (u64)SMCCC_NOT_SUPPORTED;
}
