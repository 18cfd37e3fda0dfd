# SPDX-License-Identifier: GPL-2.0
# x86-64 flags of the guest test kernel (included by guest-tests/guest.mk).
# No SSE: the hypervisor does not switch FPU state between host and guest.
GUEST_ARCH_CFLAGS := -m64 -mno-red-zone -mno-sse -mno-sse2 -mno-mmx -mno-80387 \
	-mcmodel=small -fno-omit-frame-pointer
