#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# arm64 boot through U-Boot, like a board: distro boot finds boot.scr on a
# FAT partition of a virtio disk, booti's hyp.bin at EL2 with the DTB.
# Pass: U-Boot ran boot.scr, the banner, all 4 CPUs online, PSCI SYSTEM_OFF.
source "$(dirname "$0")/../arm64-testlib.sh"

# hyp.panic=poweroff: a failing boot ends at once instead of at the timeout.
arm64_boot arm64-boot-uboot SMP=4 BOOTARGS="hyp.panic=poweroff"
expect '^U-Boot 20' "U-Boot started"
expect 'hyp: boot.scr on virtio 0:1' "distro boot ran boot.scr"
expect 'Starting kernel' "booti started the image"
expect_good_boot 4
finish
