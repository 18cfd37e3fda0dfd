#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# arm64: a VM config with one good VM and eight broken ones
# (configs/vms/config-errors.dts). Pass: each broken node is refused with
# "vm config: <node>: <its problem>; VM not started" (exactly 8 refusals),
# no broken VM was created, and the good VM ("good", CPUs 0-1) still ran every
# guest test to completion with 0 failed, powered off, nothing leaked.
ARM64_TEST_TIMEOUT=${ARM64_TEST_TIMEOUT:-150}
source "$(dirname "$0")/../arm64-testlib.sh"

arm64_boot arm64-config-errors SMP=4 VMCFG=configs/vms/config-errors.dts \
	VMCFG_ALLOW_MISSING=1 BOOTARGS="hyp.panic=poweroff"
refused() {	# node, problem regex, description
	expect "vm config: $1: $2.*; VM not started" "$1 refused: $3"
}
refused 'vm@1' 'dtb: /memory@40000000 range 0x40000000\+0x8000000 is not inside the VM.s memory 0x40000000\+0x4000000' \
	"guest DTB memory outside the VM"
refused 'vm@2' 'kernel file "no-such-kernel.bin" missing' "missing image file"
refused 'vm@3' 'cpu 1 in "cpus" is given twice' "CPU given twice"
refused 'vm@4' 'memory 0x40000000\+0x3f00000: base and size must be non-zero multiples of 2 MiB' \
	"bad memory size"
refused 'vm@5' 'memory 0x8000000\+0x4000000 overlaps the emulated devices' "RAM over the device window"
refused 'vm@6' 'kernel at host 0x44400000\+0x1000 overlaps the kernel of vm0 \(good\)' \
	"host memory shared with another VM"
refused 'vm@7' 'over-commit: needs 526420 pages \(524288 of memory \+ 2132 for tables\), only [0-9]+ of the [0-9]+ pages free at boot are left \([0-9]+ to the 1 VMs before, 512 to the hypervisor\)' \
	"over-committed memory (doc/memory-charge.md)"
refused 'vm@8' 'memory-limit 0x8000000 must be a non-zero multiple of 4 KiB, at most the memory size 0x4000000' \
	"memory-limit above the RAM"
refused 'vm@9' 'region 0x9000000\+0x1000 overlaps the hypervisor.s console UART' \
	"passthrough of the hypervisor's UART (doc/passthrough.md)"
expect 'vm config: vm@10: memory-identity 0(x0)?\+0x4000000 is not free host RAM' \
	"identity RAM outside host RAM reported at boot"
refused 'vm@10' 'memory-identity 0(x0)?\+0x4000000 was not reserved at boot' \
	"identity RAM outside host RAM refused"
n=$(grep -c 'vm config: .*; VM not started' "$LOG")
[ "$n" -eq 10 ] || FAILS+=("$n refusals, expected 10")
expect 'hyp: vm@2: kernel no-such-kernel.bin missing' "boot.scr reported the missing file"
expect 'vm0 \(good\): 2 vCPUs' "good VM created"
reject 'vm[1-9] \(' "a broken VM was created"
expect '\[good\] guest: 2 vCPUs' "good VM started its secondary"
expect '\[good\] guest-tests: [1-9][0-9]* passed, 0 failed' "good VM: guest summary with 0 failed"
reject 'guest-test: [a-z_]+: FAIL' "a failed guest test"
expect 'vm0 \(good\): stopping: PSCI SYSTEM_OFF' "good VM powered off through PSCI"
expect '^\[cpu[0-9]+\] I: all VMs destroyed: every page returned' "no page leaked"
expect '^\[cpu[0-9]+\] I: all VMs powered off; powering off' "hypervisor power-off"
reject 'HYPERVISOR PANIC|unexpected [a-zA-Z]+ exception|BUG_ON' "panic"
expect_rc 0
finish
