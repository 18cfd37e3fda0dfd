#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# arm64: two VMs at once (configs/vms/two-vms.dts): "a" on CPUs 0-1, "b" on
# CPUs 2-3, both running the guest test kernel at the same IPAs.
# Pass: both VMs got distinct VMIDs, every guest test passed in both, the
# vm_isolation test ran in both at overlapping times (each VM verifying its
# own pattern while the other churned the same IPAs with UNMAP/MAP), each
# VM's vCPUs read back their own debug register values (debug_regs_per_vcpu), both
# VMs powered off and were destroyed, no page leaked.
# Generous: TCG on 2 loaded cores can be 4x slower than idle (measured 16-28 s idle).
ARM64_TEST_TIMEOUT=${ARM64_TEST_TIMEOUT:-150}
source "$(dirname "$0")/../arm64-testlib.sh"

arm64_boot arm64-guest-two-vms SMP=4 VMCFG=configs/vms/two-vms.dts \
	BOOTARGS="hyp.panic=poweroff"
for v in 0:a 1:b; do
	i=${v%%:*} n=${v#*:}
	expect "hyp: vm@$i: kernel guest-tests.bin at" "boot.scr loaded vm@$i's image"
	expect "vm$i \\($n\\): 2 vCPUs" "VM $n created"
	expect "\\[$n\\] guest: 2 vCPUs" "VM $n started its secondary"
	expect "\\[$n\\] guest-test: vm_isolation: PASS" "VM $n: isolation test passed"
	expect "\\[$n\\] guest-test: debug_regs_per_vcpu: PASS vm$i:" "VM $n: its own debug register values"
	expect "\\[$n\\] guest-tests: [1-9][0-9]* passed, 0 failed" "VM $n: guest summary with 0 failed"
	expect "vm$i \\($n\\): stopping: PSCI SYSTEM_OFF" "VM $n powered off through PSCI"
	expect "vm$i \\($n\\): destroyed;" "VM $n destroyed"
done
# b: memory-premap: all 64 MiB as 32 blocks of 2 MiB before it ran; its
# faults come only after the tests' own unmaps. a: block-backed on demand.
expect 'vm1 \(b\): RAM premapped: 0 1G, 32 2M, 0 4K blocks' "VM b premapped with 2 MiB blocks"
expect 'vm0 \(a\): stage-2 faults: [0-9]+ 4K, [1-9][0-9]* block; memory charge: peak [0-9]+ of 17523 pages' \
	"VM a: block faults, charge reported"
expect 'vm1 \(b\): stage-2 faults: [0-9]+ 4K, [0-9]+ block; memory charge: peak 1[6-7][0-9]{3} of 17523 pages' \
	"VM b: its charge holds the premapped RAM"
reject 'pages still charged after teardown' "charge not exact"
reject 'guest-test: [a-z_]+: FAIL' "a failed guest test"
# Distinct VMIDs: the VMID each VM's vCPU 0 got.
va=$(grep -Eo 'vm0 \(a\): vcpu0 starts on cpu[0-9]+ at 0x[0-9a-f]+, VMID [0-9]+' "$LOG" | grep -Eo '[0-9]+$')
vb=$(grep -Eo 'vm1 \(b\): vcpu0 starts on cpu[0-9]+ at 0x[0-9a-f]+, VMID [0-9]+' "$LOG" | grep -Eo '[0-9]+$')
if [ -z "$va" ] || [ -z "$vb" ] || [ "$va" = "$vb" ]; then
	FAILS+=("VMIDs not distinct: a=${va:-?} b=${vb:-?}")
fi
# The isolation tests overlapped in time (both VMs read the same counter).
ta=$(grep -Eo '\[a\] guest-test: vm_isolation: PASS .*t=[0-9]+\.\.[0-9]+' "$LOG" | grep -Eo '[0-9]+\.\.[0-9]+$')
tb=$(grep -Eo '\[b\] guest-test: vm_isolation: PASS .*t=[0-9]+\.\.[0-9]+' "$LOG" | grep -Eo '[0-9]+\.\.[0-9]+$')
if [ -n "$ta" ] && [ -n "$tb" ]; then
	a0=${ta%..*} a1=${ta#*..} b0=${tb%..*} b1=${tb#*..}
	lo=$((a0 > b0 ? a0 : b0)) hi=$((a1 < b1 ? a1 : b1))
	if [ $((hi - lo)) -lt 1000 ]; then
		FAILS+=("isolation tests overlapped only $((hi - lo)) ms (a=$ta b=$tb), want >= 1000")
	else
		echo "two-vms: VMIDs a=$va b=$vb; isolation tests overlapped $((hi - lo)) ms"
	fi
fi
expect_vms_clean_end
finish
