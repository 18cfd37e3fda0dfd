#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# arm64 boot without firmware: QEMU -kernel loads the Image at 0x40200000
# and enters it at EL2. Pass: the banner, all 4 CPUs online, PSCI SYSTEM_OFF.
source "$(dirname "$0")/../arm64-testlib.sh"

# hyp.panic=poweroff: a failing boot ends at once instead of at the timeout.
arm64_boot arm64-boot-kernel KERNEL_PATH=1 SMP=4 BOOTARGS="hyp.panic=poweroff"
expect_good_boot 4
finish
