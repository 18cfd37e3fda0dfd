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
total=0 ms=0 seeds=()
for ((i = 0; i < RUNS; i++)); do
	seed=${FUZZ_SEED:+$((FUZZ_SEED + i))}
	seed=${seed:-$(( (RANDOM << 15 | RANDOM) % 4000000000 + 1 ))}
	# At least 50 calls/s (measured 90-340 on a loaded 2-core machine), + the test VM.
	out=$(FUZZ_NAME=arm64-fuzz-soak FUZZ_SEED=$seed FUZZ_CALLS=$CALLS \
		ARM64_TEST_TIMEOUT=$((CALLS / 50 + 300)) scripts/tests/arm64-fuzz.sh 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -E '^(PASS|FAIL) |^arm64-fuzz-soak: fuzz: seed'
	if [ $rc -ne 0 ]; then
		printf '%s\n' "$out"
		echo "fuzz soak: FAILED at run $((i + 1)) of $RUNS, seed $seed (earlier seeds: ${seeds[*]:-none})"
		exit 1
	fi
	line=$(printf '%s\n' "$out" | grep -Eo 'seed [0-9]+: [0-9]+ calls in [0-9]+ ms' | head -n1)
	n=$(echo "$line" | awk '{print $3}') t=$(echo "$line" | awk '{print $6}')
	total=$((total + n)) ms=$((ms + t)) seeds+=("$seed")
done
echo "fuzz soak: $RUNS runs, $total calls in $((ms / 1000)) s of fuzzing ($((ms ? total * 1000 / ms : 0)) calls/s), 0 wrong; seeds ${seeds[*]}"
