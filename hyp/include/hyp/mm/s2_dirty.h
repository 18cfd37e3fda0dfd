/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Dirty logging (R4): write-protect harvesting into a per-VM bitmap.
 *
 * While logging is on for [base, base + size):
 *  - a write fault on a write-protected page of the range marks it dirty and
 *    restores write permission (s2_handle_fault());
 *  - unmapping or write-protecting a writable entry marks it dirty and
 *    completes the invalidation before the VM lock is released;
 *  - s2_dirty_log_harvest() takes the VM lock, moves the dirty bits out,
 *    write-protects those pages, and completes the invalidation before it
 *    releases the lock. A vCPU that keeps writing through a stale writable
 *    TLB entry does so only before harvest returns (so its data is in the
 *    copy the caller makes after), never after (it faults and is recorded).
 */
#ifndef HYP_MM_S2_DIRTY_H
#define HYP_MM_S2_DIRTY_H

#include <hyp/types.h>
#include <hyp/addr.h>

struct s2_vm;

/**
 * s2_dirty_log_start() - start logging [@ipa, @ipa + @size): allocate the
 * bitmap, write-protect the range (recording nothing), invalidate.
 * Return: 0, -E_ALIGN, -E_RANGE, -E_INVAL (size 0), -E_EXIST (already on),
 * -E_NOMEM.
 */
int s2_dirty_log_start(struct s2_vm *vm, ipaddr_t ipa, u64 size);

/**
 * s2_dirty_log_stop() - stop logging, free the bitmap. Pages stay
 * write-protected until written (then restored by the fault path).
 */
void s2_dirty_log_stop(struct s2_vm *vm);

/**
 * s2_dirty_log_harvest() - copy-and-clear the dirty bitmap into @out
 * (@nbits bits, bit i = page base + i*4K), write-protecting every page
 * reported, invalidation complete before return (R4).
 * Return: number of dirty pages reported, or -E_NOENT (logging off),
 * -E_INVAL (@nbits smaller than the logged range).
 */
int s2_dirty_log_harvest(struct s2_vm *vm, u64 *out, u64 nbits);

/**
 * s2_dirty_test() - is the page at @ipa marked dirty (not harvested yet)?
 */
bool s2_dirty_test(struct s2_vm *vm, ipaddr_t ipa);

#endif
