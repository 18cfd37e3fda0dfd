#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# x86 (SVM/NPT, QEMU TCG -cpu EPYC): the fuzzing guest (guest-fuzz.bin,
# doc/fuzzing.md) in VM "fuzz" (3 vCPUs, CPUs 1-3, configs/vms-x86/fuzz.dts);
# with X86_FUZZ_BESIDE=1 on CPUs 2-4 while VM "tests" runs the x86-only
# guest tests on CPU 1 (configs/vms-x86/fuzz-beside.dts). Its vCPUs
# issue random hypercalls, PSCI calls over VMMCALL, accesses of every width
# to IPAs outside RAM and to the boot page tables, and port I/O, at once,
# and check every answer against the ABI; a region of its memory with known
# contents is re-verified throughout.
# Pass: the fuzzer made all its calls with 0 wrong answers and its verified
# region intact, the test VM (if any) passed, the VMs were destroyed with every page
# returned, no hypervisor error line, no exception or panic, QEMU powered
# off cleanly before the timeout. On failure: the seed and the console log.
#   FUZZ_SEED=N (default 1: a fixed seed in make test)  FUZZ_CALLS=N (default 2000)
#   X86_FUZZ_TIMEOUT=S (default 200)  FUZZ_BOOTARGS="hyp.inject=..." (VALIDATION=1 build)
# test-timeout: 240
FUZZ_NAME=${FUZZ_NAME:-x86-fuzz-qemu}
# A timeout dumps every CPU (gdb) into the log: the soak hang of seed 105849092.
X86_HANG_DUMP=${X86_HANG_DUMP-1}
source "$(dirname "$0")/../x86-testlib.sh"
x86_test "$FUZZ_NAME" console
SEED=${FUZZ_SEED:-1}
CALLS=${FUZZ_CALLS:-2000}
need_file build/x86/guest-fuzz.bin "no build/x86/guest-fuzz.bin"
need_file build/x86/guest-x86only.bin "no build/x86/guest-x86only.bin"
# x86 guests get no DTB: the seed and count go into a copy of the image,
# after the marker of fuzz_cfg (guest-tests/fuzz.c).
# Plain shell (no python3: the fresh-machine check found it missing).
le32() { local v=$1 i o=; for i in 0 1 2 3; do o+=$(printf '\\x%02x' $(((v >> (8 * i)) & 255))); done; printf "$o"; }
patch_seed() {
	local img=build/x86/guest-fuzz.bin out=build/x86/guest-fuzz-run.bin at
	at=$(grep -obUa 'HYPFUZZ' "$img" | cut -d: -f1)
	[ -n "$at" ] && [ "$(wc -w <<<"$at")" = 1 ] || return 1
	[ "$(od -An -tx1 -j $((at + 7)) -N1 "$img" | tr -d ' ')" = 00 ] || return 1
	cp "$img" "$out" &&
	{ le32 "$SEED"; le32 "$CALLS"; } | dd of="$out" bs=1 seek=$((at + 8)) conv=notrunc status=none
}
patch_seed || fail "could not patch the seed into guest-fuzz-run.bin"
rerun="${X86_FUZZ_BESIDE:+X86_FUZZ_BESIDE=1 }FUZZ_SEED=$SEED FUZZ_CALLS=$CALLS $0"
echo "$FUZZ_NAME: seed $SEED, $CALLS calls (rerun: $rerun)"
rerun="seed $SEED, $CALLS calls: rerun with $rerun"
if [ -n "${X86_FUZZ_BESIDE:-}" ]; then
	x86_qemu "${X86_FUZZ_TIMEOUT:-200}" -c 5 -g fuzz-beside ${FUZZ_BOOTARGS:+-a "$FUZZ_BOOTARGS"}
	guest_tests_ok 3 tests
	expect 'vm0 (tests): destroyed;' "test VM not destroyed"
	fvm=vm1
else
	x86_qemu "${X86_FUZZ_TIMEOUT:-200}" -c 4 -g fuzz ${FUZZ_BOOTARGS:+-a "$FUZZ_BOOTARGS"}
	fvm=vm0
fi
expect 'backend SVM/NPT' "SVM/NPT backend not selected"
expect "\[fuzz\] fuzz: seed $SEED, [0-9]* calls on 3 vCPUs" "fuzzer did not start with 3 vCPUs ($rerun)"
reject '\[fuzz\] fuzz: cpu[0-9]*: FAIL\|\[fuzz\] guest: cpu[0-9]*: unexpected exception\|guest-tests: aborted' \
	"the fuzzer failed or crashed ($rerun)"
expect "\[fuzz\] fuzz: seed $SEED: [0-9]* calls in [0-9]* ms ([0-9]* calls/s), 0 wrong" \
	"fuzzer did not finish with 0 wrong answers ($rerun)"
expect '\[fuzz\] guest-test: fuzz: PASS' "fuzz test did not pass ($rerun)"
# vCPU 0 (the runner) is cycled too: CPU_ON(0) racing HC_UNMAP of RAM's last pages (issue 14).
expect "\[fuzz\] fuzz: cpu0 turned off [1-9][0-9]* times, CPU_ON of it by 2 vCPUs: [1-9]" \
	"vCPU 0 was not turned off and on ($rerun)"
reject 'guest-test: [a-z_0-9]*: FAIL' "a failed guest test ($rerun)"
expect "$fvm (fuzz): destroyed;" "fuzz VM not destroyed"
expect '^\[cpu[0-9]*\] I: all VMs destroyed: every page returned' "pages leaked ($rerun)"
reject '\] E: ' "an error logged by the hypervisor ($rerun)"
reject 'written while free' "a freed page was written ($rerun)"
expect_no_panic "hypervisor exception or panic ($rerun)"
# Guest-triggered warnings are rate-limited (vm_warn, doc/console.md): each
# kind prints its first 5 then the 2^n-th. The x86 exits printed every #GP
# (hundreds of lines in 2000 calls) before the fuzzer found it.
n=$(grep -c 'not emulated: #GP\|no MMIO device on x86' "$LOG")
[ "$n" -le 30 ] || fail "$n guest-triggered #GP warnings printed: not rate-limited ($rerun)"
expect_status 1 "clean power-off"
finish "$(grep -o 'fuzz: seed [0-9]*: [0-9]* calls in [0-9]* ms ([0-9]* calls/s)' "$LOG" | head -1), ${SECS_TAKEN} s"
