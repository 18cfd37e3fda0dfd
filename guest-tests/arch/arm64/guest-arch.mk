# SPDX-License-Identifier: GPL-2.0
# arm64 flags of the guest test kernel (included by guest-tests/guest.mk).
# The stage-1 MMU is on (mmu.c) once arch_early_init() ran: RAM is Normal
# memory and unaligned accesses are fine. The code that runs before, with
# the MMU off (memory Device-typed), is built with -mstrict-align:
# GUEST_EARLY_OBJS.
GUEST_ARCH_CFLAGS := -mgeneral-regs-only -mno-outline-atomics -mbranch-protection=none
GUEST_EARLY_CFLAGS := -mstrict-align
GUEST_EARLY_OBJS := $(GUEST_BUILD)/dtb.o $(GUEST_BUILD)/arch/arm64/mmu.o
