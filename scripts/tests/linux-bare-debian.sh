#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Debian's unmodified arm64 kernel on bare QEMU (no hypervisor): boots to the
# initramfs marker with 2 CPUs and the verifier passes for 10 s.
# Fetches the kernel and busybox (cached under build/linux) when needed.
set -u
. "$(dirname "$0")/../linux/bare-testlib.sh"

kernel=$(scripts/linux/fetch-debian-kernel.sh --print image) || { echo "FAIL: fetch"; exit 1; }
initrd=$(scripts/linux/mkinitramfs.sh debian) || { echo "FAIL: initramfs"; exit 1; }

linux_bare_boot linux-bare-debian "$kernel" "$initrd" \
	"console=ttyAMA0 rdinit=/init panic=-1 hyp.job=verifier:10:64"
expect_linux_ok
expect '^linux-guest: [^ ]+-arm64, 2 cpus' "Debian kernel with 2 CPUs"
expect '^verifier: start 64 MiB' "verifier started"
expect_count 'verifier: PASS' 1000000 "verifier writes"
expect '^linux-guest: verifier exit 0' "verifier exit 0"
finish
