/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMID allocator with generations and rollover (R7), the arm64 ASID
 * allocator pattern.
 *
 *   vm->vmid = generation | vmid     (generation counts in units of 1 << bits)
 *
 * A VM keeps its VMID while the generation is current. When the VMID space
 * is exhausted a new generation starts: the bitmap is cleared, the VMIDs
 * active on each CPU are kept (reserved) for the VMs running there, and all
 * stage-2 TLB entries of every VMID are invalidated (arch_s2_inval_all +
 * sync) BEFORE any VMID is handed out again. VMID 0 is never allocated.
 *
 * The width is configurable down to 2 bits so that tests roll over
 * constantly; it must leave more VMIDs than CPUs running VMs at once
 * ((1 << bits) - 1 > CPUs), otherwise s2_vmid_get() returns -E_AGAIN.
 */
#ifndef HYP_MM_S2_VMID_H
#define HYP_MM_S2_VMID_H

#include <hyp/types.h>

#define S2_VMID_MIN_BITS	2
#define S2_VMID_MAX_BITS	16

struct s2_vm;

/**
 * s2_vmid_init() - (re)initialise the allocator with @bits wide VMIDs.
 * Only while no VM is running. Return: 0 or -E_INVAL.
 */
int s2_vmid_init(unsigned int bits);

/**
 * s2_vmid_get() - make sure @vm has a VMID of the current generation and
 * mark it active on this CPU. Called by s2_vm_enter() before loading.
 * Return: 0, or -E_AGAIN if every VMID is reserved by another CPU.
 */
int s2_vmid_get(struct s2_vm *vm);

/**
 * s2_vmid_put_cpu() - this CPU no longer runs a VM (s2_vm_exit()); its
 * active VMID stays reserved until the next rollover finds it idle.
 */
void s2_vmid_put_cpu(void);

/* (1 << bits) - 1 for the current width (read-only outside s2_vmid.c). */
extern u64 s2_vmid_mask;

/* VMID number (without generation) of a u64 vm->vmid value. */
static inline u32 s2_vmid_of(u64 vmid_gen)
{
	return (u32)(vmid_gen & s2_vmid_mask);
}

/* Rollovers since s2_vmid_init() (tests, counters). */
extern u64 s2_vmid_rollovers;

#endif
