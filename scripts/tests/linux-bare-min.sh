#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The project's minimal kernel on bare QEMU (no hypervisor), two boots:
#  1. QEMU's own device tree (no /hypervisor node): hypdev.ko refuses to load
#     cleanly (no HVC issued, no /dev/hyp, kernel fine), the verifier's
#     self-test catches a planted stale word, the verifier passes for 10 s.
#  2. configs/guests/linux.dts (the DTB the hypervisor gives a Linux VM; QEMU
#     answers its PSCI HVCs): 2 CPUs up, PL011 console, verifier passes.
# Builds the kernel (cached under build/linux) when needed.
set -u
. "$(dirname "$0")/../linux/bare-testlib.sh"

kernel=$(scripts/linux/build-min-kernel.sh) || { echo "FAIL: kernel build"; exit 1; }
initrd=$(scripts/linux/mkinitramfs.sh min) || { echo "FAIL: initramfs"; exit 1; }
dtb=$(scripts/linux/build-dtb.sh) || { echo "FAIL: dtb"; exit 1; }

linux_bare_boot linux-bare-min "$kernel" "$initrd" \
	"console=ttyAMA0 rdinit=/init panic=-1 hyp.job=hypdev,verifier-selftest,verifier:10:64"
expect_linux_ok selftest
expect '^linux-guest: [^ ]+, 2 cpus' "2 CPUs"
expect 'hypdev: no hypervisor: no "hyp,stage2-hyp" node in the device tree; not loading' \
	"hypdev's refusal message"
expect '^linux-guest: hypdev refused' "insmod hypdev.ko failed"
reject '/dev/hyp present' "/dev/hyp without a hypervisor"
expect '^verifier: self-test: stale value put at 0x[0-9a-f]+' "verifier self-test planted"
expect '^verifier: FAIL addr=0x[0-9a-f]+ expected=0x[0-9a-f]{16} found=0x[0-9a-f]{16}$' \
	"verifier self-test caught the stale word"
expect '^linux-guest: verifier-selftest exit 1' "verifier self-test exit 1"
expect_count 'verifier: PASS' 1000000 "verifier writes"
expect '^linux-guest: verifier exit 0' "verifier exit 0"
# the planted address is the one reported
planted=$(grep -Eo 'stale value put at 0x[0-9a-f]+' "$LOG" | grep -Eo '0x[0-9a-f]+$')
[ -n "$planted" ] && expect "^verifier: FAIL addr=$planted " "FAIL names the planted address"
[ ${#FAILS[@]} -eq 0 ] || finish
echo "PASS linux-bare-min (QEMU DTB, hypdev refused, self-test, verifier): ${SECS}s in QEMU (console log: $LOG)"

linux_bare_boot linux-bare-min-dtb "$kernel" "$initrd" \
	"console=ttyAMA0 earlycon=pl011,0x09000000 rdinit=/init panic=-1 hyp.job=verifier:3:32" \
	-m 512 -dtb "$dtb"
expect_linux_ok
expect '^linux-guest: [^ ]+, 2 cpus' "2 CPUs from the guest DTB"
expect 'Machine model: hyp Linux guest' "booted with configs/guests/linux.dts"
expect_count 'verifier: PASS' 100000 "verifier writes"
finish
