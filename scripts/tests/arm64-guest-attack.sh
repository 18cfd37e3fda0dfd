#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# arm64: the guest test kernel under run-time race widening
# (configs/vms/attack.dts: guest-tests.dts with 2 ms before every
# invalidation, random delays at the other points; doc/race-widening.md) on
# the correct build. The attack tests must pass with their windows wide
# open: this is the baseline scripts/test-inject.sh compares against (a
# test that failed here would "catch" every switch).
# Pass: every guest test passed, delays were spun, the VM was destroyed
# with every page returned, the hypervisor powered off.
ARM64_TEST_TIMEOUT=${ARM64_TEST_TIMEOUT:-280}
source "$(dirname "$0")/../arm64-testlib.sh"

arm64_boot arm64-guest-attack SMP=4 VMCFG=configs/vms/attack.dts \
	BOOTARGS="hyp.panic=poweroff"
expect 'vm0 \(tests\): race delay point 0 mode 1 2000 us' "race widening on"
expect '\[tests\] guest: 3 vCPUs' "guest started its secondaries"
expect '\[tests\] guest-test: move_racing_reclaim: PASS' "move racing reclaim"
expect '\[tests\] guest-test: reclaim_racing_faults: PASS' "reclaim racing faults"
expect '\[tests\] guest-tests: [1-9][0-9]* passed, 0 failed' "guest summary"
# Only vm_reset may skip (it needs configs/vms/reset.dts): every attack test must run.
skips=$(grep -E 'guest-test: [a-z0-9_]+: SKIP' "$LOG" | grep -v 'guest-test: vm_reset: SKIP')
[ -z "$skips" ] || FAILS+=("a test skipped: $skips")
reject 'guest-test: [a-z_0-9]+: FAIL' "a failed guest test"
expect 'vm0 \(tests\): destroyed;' "VM destroyed"
expect_vms_clean_end
finish
