#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# arm64: the fuzzing guest (guest-fuzz.bin, doc/fuzzing.md) in VM "fuzz" on
# CPUs 2-3 while VM "tests" runs the guest test kernel on CPUs 0-1
# (configs/vms/fuzz.dts). Its 2 vCPUs issue random hypercalls, PSCI/SMCCC
# calls and MMIO accesses at once and check every answer against the ABI;
# a region of its memory with known contents is re-verified throughout.
# Pass: the fuzzer made all its calls with 0 wrong answers and its verified
# region intact, the test VM passed every test, both VMs were destroyed
# with every page returned, no hypervisor error line, no panic, no timeout.
# On failure the seed is printed with the console log.
#   FUZZ_SEED=N (default: random, printed)  FUZZ_CALLS=N (default 10000)
#   FUZZ_BOOTARGS="hyp.inject=..." more boot arguments (a VALIDATION=1 build)
# test-timeout: 300
ARM64_TEST_TIMEOUT=${ARM64_TEST_TIMEOUT:-240}
FUZZ_NAME=${FUZZ_NAME:-arm64-fuzz}
source "$(dirname "$0")/../arm64-testlib.sh"

SEED=${FUZZ_SEED:-$(( (RANDOM << 15 | RANDOM) % 4000000000 + 1 ))}
CALLS=${FUZZ_CALLS:-10000}
files=build/test/$FUZZ_NAME.files
rm -rf "$files" && mkdir -p "$files"
printf '/include/ "guest-fuzz.dts"\n/ { chosen { hyp-test,fuzz-seed = <%u>; hyp-test,fuzz-calls = <%u>; }; };\n' \
	"$SEED" "$CALLS" > "$files/run.dts"
dtc -q -i configs/guests -I dts -O dtb -o "$files/guest-fuzz.dtb" "$files/run.dts" ||
	{ echo "FAIL $FUZZ_NAME: guest DTB"; exit 1; }
echo "$FUZZ_NAME: seed $SEED, $CALLS calls (rerun: FUZZ_SEED=$SEED FUZZ_CALLS=$CALLS $0)"

arm64_boot "$FUZZ_NAME" SMP=5 VMCFG=configs/vms/fuzz.dts VMFILES_PATH="$files" \
	BOOTARGS="hyp.panic=poweroff${FUZZ_BOOTARGS:+ $FUZZ_BOOTARGS}"
expect "\\[fuzz\\] fuzz: seed $SEED, [0-9]+ calls on 3 vCPUs" "fuzzer started with the seed"
expect "\\[fuzz\\] fuzz: seed $SEED: [0-9]+ calls in [0-9]+ ms \\([0-9]+ calls/s\\), 0 wrong" \
	"fuzzer finished, 0 wrong answers"
expect '\[fuzz\] guest-test: fuzz: PASS' "fuzz test passed"
expect '\[tests\] guest-tests: [1-9][0-9]* passed, 0 failed' "test VM beside it: 0 failed"
reject 'guest-test: [a-z_0-9]+: FAIL' "a failed guest test"
reject '\[fuzz\] (fuzz: cpu[0-9]+: FAIL|guest: cpu[0-9]+: unexpected exception|guest-tests: aborted)' \
	"the fuzzer failed or crashed"
expect 'vm0 \(tests\): destroyed;' "test VM destroyed"
expect 'vm1 \(fuzz\): destroyed;' "fuzz VM destroyed"
expect_vms_clean_end
if [ ${#FAILS[@]} -ne 0 ]; then
	FAILS+=("seed $SEED, $CALLS calls: rerun with FUZZ_SEED=$SEED FUZZ_CALLS=$CALLS $0")
else
	grep -Eo '\[fuzz\] fuzz: seed [0-9]+: [0-9]+ calls in [0-9]+ ms \([0-9]+ calls/s\)' "$LOG" |
		sed 's/^\[fuzz\] /'"$FUZZ_NAME"': /'
fi
finish
