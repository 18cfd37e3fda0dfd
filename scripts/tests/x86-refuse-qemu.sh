#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A CPU that cannot isolate guests: QEMU -cpu EPYC,-npt (SVM without nested
# paging), with the guest-tests VM config. Pass iff the banner names the
# missing feature ("missing NPT"), the VM is refused ("refusing the VM",
# "VM not started"/"cannot build"), no guest output appears, and the
# hypervisor still boots all CPUs and powers off cleanly (exit status 1).
set -u
cd "$(dirname "$0")/../.."
log=build/test/x86-refuse-qemu.console.log
mkdir -p build/test
fail() {
	echo "--- $log ---"
	cat "$log"
	echo "--- end of $log ---"
	echo "x86-refuse-qemu: FAIL: $*"
	exit 1
}

make --no-print-directory -s ARCH=x86 >"$log" 2>&1 || fail "build failed"
timeout -k 5 60 scripts/run-x86-qemu.sh -c 4 -g guest-tests -- -cpu EPYC,-npt \
	</dev/null >"$log" 2>/dev/null
status=$?
[ $status -eq 124 ] && fail "timeout (60 s)"
grep -q 'no usable virtualization backend: missing NPT' "$log" || fail "missing NPT not reported"
grep -q 'refusing the VM: it cannot be isolated (missing NPT)' "$log" || fail "VM not refused"
grep -q '^\[tests\]' "$log" && fail "the guest ran"
grep -q 'all 4 cpus online' "$log" || fail "the hypervisor did not boot every CPU"
grep -q 'unexpected exception\|PANIC' "$log" && fail "exception or panic"
[ $status -eq 1 ] || fail "QEMU exit status $status, expected 1 (clean power-off)"
echo "x86-refuse-qemu: PASS"
