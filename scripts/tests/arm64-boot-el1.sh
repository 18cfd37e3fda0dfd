#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Started at EL1 (QEMU virt without virtualization=on), the hypervisor must
# refuse clearly and power off through PSCI (HVC conduit at EL1).
source "$(dirname "$0")/../arm64-testlib.sh"

arm64_boot arm64-boot-el1 KERNEL_PATH=1 SMP=2 VIRT=off
expect 'hyp: entered at EL1, but must be started at EL2' "EL1 refusal"
reject '=== hyp |cpu[0-9] online' "boot continuing at EL1"
expect_rc 0
finish
