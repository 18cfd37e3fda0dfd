#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make soak, x86 part (doc/fuzzing.md): the x86 fuzzing guest under QEMU
# SVM/NPT beside the x86-only test VM (X86_FUZZ_BESIDE=1
# scripts/tests/x86-fuzz-qemu.sh), RUNS boots of CALLS calls each, every one
# with its own random seed (printed; FUZZ_SEED=N makes the first run use N,
# the next N+1, ...). Stops at the first failing run (its seed and console
# log are printed). Last line: the totals.
#   SOAK_X86_FUZZ_RUNS=5 SOAK_X86_FUZZ_CALLS=20000
set -u
cd "$(dirname "$0")/.."
RUNS=${SOAK_X86_FUZZ_RUNS:-5}
CALLS=${SOAK_X86_FUZZ_CALLS:-20000}
source scripts/fuzz-soak-lib.sh
# At least 10 calls/s (measured 21-1800 on a loaded 2-core machine).
run() {
	FUZZ_NAME=x86-fuzz-soak FUZZ_SEED=$1 FUZZ_CALLS=$CALLS X86_FUZZ_BESIDE=1 \
		X86_FUZZ_TIMEOUT=$((CALLS / 10 + 120)) scripts/tests/x86-fuzz-qemu.sh
}
fuzz_soak 'x86 fuzz soak' '^x86-fuzz-soak: (PASS|FAIL)' run
