#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test-timeout: 150
# arm64: VMID rollover on the ZCU102's real 8-bit VMIDs (doc/boards.md; no
# hyp.vmid_bits forcing): one VM (configs/vms/zcu102-vmid.dts) SYSTEM_RESETs
# itself until incarnation 300, i.e. 301 VM lifetimes, each starting with a
# fresh VMID. Pass: the banner says 8 bits; every VMID logged is in 1-255; at
# least one rollover was counted and a VMID was used again after it; the last
# incarnation passed; every page came back; no error, no panic.
ARM64_TEST_TIMEOUT=${ARM64_TEST_TIMEOUT:-140}
source "$(dirname "$0")/../arm64-testlib.sh"

arm64_boot arm64-zcu102-vmid BOARD=zcu102 VMCFG=configs/vms/zcu102-vmid.dts \
	BOOTARGS="hyp.panic=poweroff ${ZCU102_VMID_BOOTARGS:-}"
sed -i 's/\r$//' "$LOG"
expect 'VMID 8 bits' "8-bit VMIDs (Cortex-A53)"
n=$(grep -c 'vm0 (loop): recreated from its images, incarnation' "$LOG")
[ "$n" -ge 300 ] || FAILS+=("the VM was recreated $n times, expected 300")
read -r starts max distinct < <(grep -Eo 'vm0 \(loop\): vcpu0 starts on cpu[0-9]+ at 0x[0-9a-f]+, VMID [0-9]+' "$LOG" |
	awk '{ v = $NF; n++; if (v > m) m = v; if (!(v in s)) d++; s[v] = 1 } END { printf "%d %d %d\n", n, m, d }')
[ "${starts:-0}" -ge 301 ] || FAILS+=("${starts:-0} vCPU starts logged, expected 301")
[ "${max:-999}" -le 255 ] || FAILS+=("VMID ${max} used: above the A53's 8-bit range (1-255)")
[ "${distinct:-0}" -lt "${starts:-0}" ] || FAILS+=("no VMID was used again ($distinct distinct of $starts)")
ro=$(grep -Eo 'VMID rollovers so far [0-9]+' "$LOG" | tail -1 | grep -Eo '[0-9]+$')
[ "${ro:-0}" -ge 1 ] || FAILS+=("no VMID rollover counted")
echo "zcu102-vmid: $starts VM lifetimes, VMIDs 1-$max ($distinct distinct), rollovers ${ro:-0}"
expect '\[loop\] guest-test: reset_loop: PASS \(incarnation 300 of 300\)' "the last incarnation ran"
reject 'guest-test: reset_loop: FAIL' "a failed incarnation"
expect 'vm0 \(loop\): stopping: PSCI SYSTEM_OFF' "the VM powered off at the end"
expect_vms_clean_end
finish
