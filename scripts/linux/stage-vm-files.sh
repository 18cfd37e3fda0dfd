#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Put one Linux VM's files under the names the VM configs use
# (configs/vms/linux-*.dts): DIR/linux.img (the kernel Image), DIR/initrd.img
# and DIR/linux.dtb = build/linux/linux.dtb (configs/guests/linux.dts) with
# /chosen/bootargs set for the job (doc/linux-guests.md: the job is chosen by
# the guest DTB's bootargs, set here with fdtput). Builds or fetches what is
# missing. Pass DIR as VMFILES_PATH to scripts/run-arm64.sh / mkdisk-arm64.sh
# (searched before build/arm64).
#
# Usage: stage-vm-files.sh DIR min|debian JOBS [EXTRA_BOOTARGS]
#   LINUX_GUEST_DTS=NAME: configs/guests/NAME.dts instead of linux.dts
#   (linux-3cpu: 3 vCPUs, for VM configs that give the VM three CPUs)
#   JOBS: the hyp.job= value, e.g. verifier:20:64 or hypdev,hyptest:10 or shell
set -euo pipefail
. "$(dirname "$0")/common.sh"

dir=${1:?usage: $0 DIR min\|debian JOBS [EXTRA_BOOTARGS]}
kernel=${2:?kernel: min or debian}
jobs=${3:?jobs}
extra=${4:-}
case $kernel in
min) image=$("$LINUX_ROOT/scripts/linux/build-min-kernel.sh") ;;
debian) image=$("$LINUX_ROOT/scripts/linux/fetch-debian-kernel.sh" --print image) ;;
*) die "kernel: min or debian" ;;
esac
initrd=$("$LINUX_ROOT/scripts/linux/mkinitramfs.sh" "$kernel")
dtb=$("$LINUX_ROOT/scripts/linux/build-dtb.sh" "${LINUX_GUEST_DTS:-linux}")
command -v fdtput >/dev/null || die "fdtput missing (device-tree-compiler)"

mkdir -p "$dir"
cp "$image" "$dir/linux.img"
cp "$initrd" "$dir/initrd.img"
cp "$dtb" "$dir/linux.dtb"
args="console=ttyAMA0 earlycon=pl011,0x09000000 rdinit=/init panic=-1 hyp.job=$jobs${extra:+ $extra}"
fdtput -t s "$dir/linux.dtb" /chosen bootargs "$args"
say "$dir: $kernel kernel, bootargs: $args"
