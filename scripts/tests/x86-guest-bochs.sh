#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# x86 guests under VMX/EPT: bochs 2.7 corei7_skylake_x, 4 CPUs, GRUB ISO with
# the VM config configs/vms-x86/x86only.dts and guest-x86only.bin as
# multiboot modules (the x86 guest tests only: the full suite is too slow at
# ~75 MIPS). Pass iff the VMX/EPT backend was chosen, 3 vCPUs came up (PSCI
# CPU_ON over VMCALL), every guest test passed (at least 4, among them
# x86_shootdown_targets), the VM was destroyed with every page returned, no
# hypervisor exception, and bochs was shut down through port 0x8900.
# Bounded: 170 s limit (about 17 s at load ~6). Logs in build/test/.
set -u
cd "$(dirname "$0")/../.."
log=build/test/x86-guest-bochs.serial.log
blog=build/test/x86-guest-bochs.serial-bochs.log
mkdir -p build/test
fail() {
	echo "--- $log ---"
	cat "$log" 2>/dev/null
	echo "--- end of $log ---"
	[ -f "$blog" ] && { echo "--- bochs log (errors) ---"; grep -v '^[0-9]*i\[' "$blog" | tail -40; }
	echo "x86-guest-bochs: FAIL: $*"
	exit 1
}

make --no-print-directory -s ARCH=x86 >"$log" 2>&1 || fail "build failed"
[ -f build/x86/guest-x86only.bin ] ||
	fail "no build/x86/guest-x86only.bin (guest-tests/ without its architecture split?)"
start=$(date +%s)
scripts/run-x86-bochs.sh -c 4 -t 170 -g x86only -o "$log" >/dev/null 2>&1
status=$?
secs=$(( $(date +%s) - start ))

[ $status -eq 124 ] && fail "timeout (170 s)"
grep -q 'backend VMX/EPT' "$log" || fail "VMX/EPT backend not selected"
grep -q 'guest: 3 vCPUs' "$log" || fail "the guest did not bring up 3 vCPUs (PSCI CPU_ON over VMCALL)"
summary=$(grep -o 'guest-tests: [0-9]* passed, [0-9]* failed' "$log" | tail -1)
[ -n "$summary" ] || fail "no guest-tests summary line"
passed=$(echo "$summary" | sed 's/guest-tests: \([0-9]*\) passed.*/\1/')
failed=$(echo "$summary" | sed 's/.* \([0-9]*\) failed/\1/')
[ "$failed" -eq 0 ] || fail "$failed guest test(s) failed"
[ "$passed" -ge 4 ] || fail "only $passed guest tests passed, expected at least 4"
grep -q 'guest-test: x86_shootdown_targets: PASS' "$log" || fail "x86_shootdown_targets did not pass"
grep -q 'vm0 (tests): destroyed;' "$log" || fail "VM not destroyed"
grep -Eq '^\[cpu[0-9]+\] I: all VMs destroyed: every page returned' "$log" || fail "pages leaked"
grep -q 'unexpected exception\|PANIC' "$log" && fail "hypervisor exception or panic"
grep -q 'Shutdown port: shutdown requested' "$blog" || fail "no shutdown through port 0x8900"
echo "x86-guest-bochs: PASS ($passed guest tests, 0 failed, ${secs} s)"
