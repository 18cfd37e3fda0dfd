#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# arm64: VM reset + recreation while another VM runs, across VMID rollover
# (configs/vms/reset.dts, guest-tests/tests_reset.c, hyp.vmid_bits=2: VMIDs 1-3).
# Pass: VM "b" did PSCI SYSTEM_RESET and was torn down and recreated >= K=3
# times, each incarnation found its RAM fresh (its vm_reset test passed in the
# last one); VMID rollovers happened (logged with a count), one while both
# VMs were alive; every VMID "b" ran with while "a" was alive differed from
# a's; >= 1 reset of "b" fell inside the
# window in which "a" churned fresh pages, and "a" never saw foreign data;
# both summaries 0 failed; no page leaked at the end.
K=3
ARM64_TEST_TIMEOUT=${ARM64_TEST_TIMEOUT:-280}
source "$(dirname "$0")/../arm64-testlib.sh"

arm64_boot arm64-guest-reset SMP=4 VMCFG=configs/vms/reset.dts \
	BOOTARGS="hyp.panic=poweroff hyp.vmid_bits=2"
expect 'VMID width forced to 2 bits' "hyp.vmid_bits=2 applied"
n=$(grep -c 'vm1 (b): recreated from its images, incarnation' "$LOG")
[ "$n" -ge $K ] || FAILS+=("b recreated $n times, expected >= $K")
d=$(grep -c 'vm1 (b): destroyed for reset' "$LOG")
[ "$d" -ge $K ] || FAILS+=("b torn down for reset $d times, expected >= $K")
expect "\\[b\\] guest-test: vm_reset: PASS \\(incarnation $K of $K" "b's last incarnation passed vm_reset"
expect '\[a\] guest-test: vm_reset: PASS \(vm0: [0-9]+ churn rounds' "a's churn passed"
for v in a b; do
	expect "\\[$v\\] guest-tests: [1-9][0-9]* passed, 0 failed" "VM $v: guest summary with 0 failed"
done
reject 'guest-test: [a-z_]+: FAIL' "a failed guest test"
ro=$(grep -Eo 'VMID rollover: [0-9]+ so far' "$LOG" | tail -1 | grep -Eo '[0-9]+')
[ "${ro:-0}" -ge 1 ] || FAILS+=("no VMID rollover logged")
# VMIDs of concurrently live VMs: every VMID b started a vCPU with while a
# was alive (before "vm0 (a): destroyed") differs from every VMID of a; and
# a rollover happened while both were alive.
read -r clash va vb ro_live < <(awk '
	/vm0 \(a\): destroyed/ { dead = 1 }
	/VMID rollover: [0-9]+ so far/ && !dead { live_ro++ }
	/vm[01] \([ab]\): vcpu[0-9]+ starts on cpu[0-9]+ at 0x[0-9a-f]+, VMID [0-9]+/ {
		id = $NF; if ($0 ~ /vm0 \(a\)/) a[id] = 1; else if (!dead) b[id] = 1
	}
	END {
		c = 0; sa = ""; sb = ""
		for (x in a) { sa = sa x ","; if (x in b) c++ }
		for (y in b) sb = sb y ","
		printf "%d %s %s %d\n", c, (sa == "" ? "-" : sa), (sb == "" ? "-" : sb), live_ro
	}' "$LOG")
[ "$va" != "-" ] && [ "$vb" != "-" ] || FAILS+=("no VMIDs logged")
[ "${clash:-1}" -eq 0 ] || FAILS+=("a and b ran with the same VMID while both were alive (a={$va} b={$vb})")
[ "${ro_live:-0}" -ge 1 ] || FAILS+=("no VMID rollover while both VMs were alive")
# b's resets inside a's churn window (both read the same counter).
win=$(grep -Eo '\[a\] guest-test: vm_reset: PASS .*t=[0-9]+\.\.[0-9]+' "$LOG" | grep -Eo '[0-9]+\.\.[0-9]+$')
inside=0
if [ -n "$win" ]; then
	for t in $(grep -Eo 'SYSTEM_RESET at t=[0-9]+' "$LOG" | grep -Eo '[0-9]+$'); do
		[ "$t" -ge "${win%..*}" ] && [ "$t" -le "${win#*..}" ] && inside=$((inside + 1))
	done
fi
[ $inside -ge 1 ] || FAILS+=("no reset of b fell inside a's churn window (${win:-none})")
echo "reset: b recreated $n times, VMID rollovers ${ro:-0} (${ro_live:-0} while a was alive), VMIDs a={$va} b-while-a-alive={$vb}, $inside resets inside a's churn window ${win:-?}"
expect 'vm0 \(a\): stopping: PSCI SYSTEM_OFF' "a powered off"
expect 'vm1 \(b\): stopping: PSCI SYSTEM_OFF' "b powered off after its last incarnation"
expect_vms_clean_end
finish
