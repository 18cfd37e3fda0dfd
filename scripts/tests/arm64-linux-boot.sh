#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Debian's unmodified arm64 kernel as a VM under the hypervisor, 2 vCPUs,
# beside a VM running the guest test kernel (configs/vms/linux-beside-tests.dts),
# booted through U-Boot. Linux runs on the virtual GICv3, the virtual timer and
# the emulated PL011 (doc/interrupts.md).
# Pass: Linux reaches the initramfs marker with 2 CPUs, the verifier job
# passes, Linux powers its VM off through PSCI; the test VM's tests pass; both
# VMs destroyed, every page returned, hypervisor power-off.
# Fetches the kernel and busybox (cached under build/linux) when needed.
ARM64_TEST_TIMEOUT=${ARM64_TEST_TIMEOUT:-280}
source "$(dirname "$0")/../arm64-testlib.sh"

kernel=$(scripts/linux/fetch-debian-kernel.sh --print image) || { echo "FAIL: fetch"; exit 1; }
initrd=$(scripts/linux/mkinitramfs.sh debian) || { echo "FAIL: initramfs"; exit 1; }
dtb=$(scripts/linux/build-dtb.sh) || { echo "FAIL: guest DTB"; exit 1; }
# The guest DTB with a bounded job instead of the interactive shell.
mkdir -p build/test/linux-boot
dtc -q -I dtb -O dts "$dtb" |
	sed 's/hyp\.job=shell/panic=-1 hyp.job=verifier:5:16/' |
	dtc -q -I dts -O dtb -o build/test/linux-boot/linux-test.dtb - ||
	{ echo "FAIL: test DTB"; exit 1; }
ln -sf "$(realpath "$initrd")" build/test/linux-boot/initrd-debian.img

arm64_boot arm64-linux-boot SMP=4 MEM=2048 VMCFG=configs/vms/linux-beside-tests.dts \
	VMFILES_PATH="$(dirname "$kernel"):build/test/linux-boot" BOOTARGS="hyp.panic=poweroff"
expect 'vm0 \(linux\): 2 vCPUs' "Linux VM created"
expect 'vm1 \(tests\): 2 vCPUs' "test VM created"
expect 'console input goes to vm0 \(linux\)' "console input routed to Linux"
expect 'GICv3: 64 SPIs implemented' "Linux found the virtual GICv3"
expect 'smp: Brought up 1 node, 2 CPUs' "Linux brought up 2 vCPUs"
expect 'arch_timer: cp15 timer\(s\) running' "Linux uses the arch timer"
expect 'ttyAMA0 at MMIO 0x9000000 .*is a PL011' "amba-pl011 driver bound the vuart"
expect 'linux-guest: init reached' "initramfs marker"
expect 'verifier: PASS' "verifier ran"
expect 'linux-guest: done \(status 0\)' "every Linux job succeeded"
expect 'vm0 \(linux\): stopping: PSCI SYSTEM_OFF' "Linux powered its VM off"
expect '\[tests\] guest-tests: [1-9][0-9]* passed, 0 failed' "test VM: 0 failed"
expect 'vm0 \(linux\): destroyed;' "Linux VM destroyed"
expect 'vm1 \(tests\): destroyed;' "test VM destroyed"
expect 'all VMs destroyed: every page returned' "no page leaked"
expect 'all VMs powered off; powering off' "hypervisor power-off"
reject 'Kernel panic|Oops|Internal error|Unable to handle|BUG:|WARNING:|verifier: FAIL' "Linux failure"
reject 'guest-test: [a-z_]+: FAIL' "a failed guest test"
reject 'HYPERVISOR PANIC|unexpected [a-zA-Z]+ exception|BUG_ON' "panic"
expect_rc 0
finish
