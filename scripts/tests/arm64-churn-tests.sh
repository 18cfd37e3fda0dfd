#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# arm64: the guest test kernel on CPUs 0-2 while CPU 3 churns its memory
# (configs/vms/churn-tests.dts, doc/churn.md): pages migrated to new host
# pages, 2 MiB chunks moved away and back, empty tables reclaimed, blocks
# split. The guest's attack tests must all still pass (counters_batching
# skips itself: churn invalidates too), a minimum of churn must have been
# done, and every page must come back.
ARM64_TEST_TIMEOUT=${ARM64_TEST_TIMEOUT:-250}
source "$(dirname "$0")/../arm64-testlib.sh"

arm64_boot arm64-churn-tests SMP=4 VMCFG=configs/vms/churn-tests.dts \
	BOOTARGS="hyp.panic=poweroff"
expect 'vm0 \(tests\): churn on cpu3' "churn started on CPU 3"
expect '\[tests\] guest-tests: [1-9][0-9]* passed, 0 failed' "guest summary with 0 failed"
expect 'guest-test: counters_batching: SKIP the hypervisor churns' "the guest saw the churn flag"
reject 'guest-test: [a-z_]+: FAIL' "a failed guest test"
line=$(grep -Eo 'churn at destroy: [0-9]+ pages migrated; .*' "$LOG" | tail -1)
if [ -z "$line" ]; then
	FAILS+=("no churn report at destroy")
else
	mig=$(sed -E 's/.*migrate ([0-9]+)\/.*/\1/' <<<"$line")
	mov=$(sed -E 's/.*move ([0-9]+)\/.*/\1/' <<<"$line")
	rec=$(sed -E 's/.*reclaim ([0-9]+)\/.*/\1/' <<<"$line")
	echo "churn: $mig migrations, $mov moves away and back, $rec reclaims"
	[ "$mig" -ge 50 ] || FAILS+=("only $mig page migrations (want >= 50)")
	[ "$mov" -ge 10 ] || FAILS+=("only $mov chunk moves (want >= 10)")
	[ "$rec" -ge 10 ] || FAILS+=("only $rec table reclaims (want >= 10)")
fi
expect '^\[cpu[0-9]+\] I: all VMs destroyed: every page returned' "no page leaked"
reject '\] E: ' "an error logged by the hypervisor"
expect_good_boot 4
finish
