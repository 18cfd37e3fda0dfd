# SPDX-License-Identifier: GPL-2.0
# arm64 flags of the guest test kernel (included by guest-tests/guest.mk).
# -mstrict-align: the MMU is off, so memory is Device-typed (no unaligned).
GUEST_ARCH_CFLAGS := -mgeneral-regs-only -mstrict-align -mno-outline-atomics \
	-mbranch-protection=none
