#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make run: U-Boot -> the hypervisor -> a Linux VM with a shell on the
# console (Debian's unmodified arm64 kernel, hyp.job=shell) beside a VM
# running the guest test kernel in a loop (configs/vms/linux-run.dts).
# Fetches/builds what is missing (cached under build/linux), stages the
# Linux VM's files in build/run/ and runs scripts/run-arm64.sh. Ctrl-] three
# times moves the console input (doc/console.md); Ctrl-A X quits QEMU.
#
# Env: KERNEL=debian|min (default debian), JOBS=... (default shell: any
# hyp.job= value, doc/linux-guests.md), and everything run-arm64.sh takes
# (TIMEOUT=, LOG=, ...). BOARD=zcu102 (make run BOARD=zcu102): the ZCU102
# model instead, Linux alone (configs/vms/zcu102-linux.dts,
# scripts/run-zcu102.sh; doc/boards.md).
set -euo pipefail
cd "$(dirname "$0")/.."

files=build/run/files
rm -rf "$files"
if [ "${BOARD:-virt}" = zcu102 ]; then
	# The ZCU102 model (doc/boards.md): Linux alone, on the virtual GICv2.
	LINUX_GUEST_DTS=linux-gicv2 scripts/linux/stage-vm-files.sh "$files" "${KERNEL:-debian}" "${JOBS:-shell}"
	echo "run-main: ZCU102 model: hyp -> Linux (shell, VM \"linux\", CPUs 1-2, virtual GICv2); Ctrl-A X quits QEMU" >&2
	exec env VMCFG=configs/vms/zcu102-linux.dts VMFILES_PATH="$files" scripts/run-zcu102.sh
fi
scripts/linux/stage-vm-files.sh "$files" "${KERNEL:-debian}" "${JOBS:-shell}"
echo "run-main: U-Boot -> hyp -> Linux (shell, VM \"linux\", CPUs 0-1) beside the test VM (CPUs 2-3, looping)" >&2
echo "run-main: console keys: Ctrl-] three times moves the input (Linux -> test VM -> hypervisor); Ctrl-A X quits QEMU" >&2
exec env VMCFG=configs/vms/linux-run.dts VMFILES_PATH="$files" \
	DISK="${DISK:-build/run/disk.img}" ENV="${ENV:-build/run/env.img}" scripts/run-arm64.sh
