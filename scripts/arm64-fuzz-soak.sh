#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make soak, arm64 part (doc/fuzzing.md): the fuzzing guest beside the test
# VM (scripts/tests/arm64-fuzz.sh), RUNS boots of CALLS calls each, every
# one with its own random seed (printed; FUZZ_SEED=N makes the first run
# use N, the next N+1, ...). Stops at the first failing run (its seed and
# console log are printed). Last line: the totals.
#   SOAK_FUZZ_RUNS=10 SOAK_FUZZ_CALLS=100000 (10^6 calls in all)
set -u
cd "$(dirname "$0")/.."
RUNS=${SOAK_FUZZ_RUNS:-10}
CALLS=${SOAK_FUZZ_CALLS:-100000}
source scripts/fuzz-soak-lib.sh
# At least 50 calls/s (measured 90-340 on a loaded 2-core machine), + the test VM.
run() {
	FUZZ_NAME=arm64-fuzz-soak FUZZ_SEED=$1 FUZZ_CALLS=$CALLS \
		ARM64_TEST_TIMEOUT=$((CALLS / 50 + 300)) scripts/tests/arm64-fuzz.sh
}
fuzz_soak 'fuzz soak' '^(PASS|FAIL) |^arm64-fuzz-soak: fuzz: seed' run
