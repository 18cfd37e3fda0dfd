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
total=0 ms=0 seeds=()
for ((i = 0; i < RUNS; i++)); do
	seed=${FUZZ_SEED:+$((FUZZ_SEED + i))}
	seed=${seed:-$(( (RANDOM << 15 | RANDOM) % 4000000000 + 1 ))}
	# At least 10 calls/s (measured 21-1800 on a loaded 2-core machine).
	out=$(FUZZ_NAME=x86-fuzz-soak FUZZ_SEED=$seed FUZZ_CALLS=$CALLS X86_FUZZ_BESIDE=1 \
		X86_FUZZ_TIMEOUT=$((CALLS / 10 + 120)) scripts/tests/x86-fuzz-qemu.sh 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -E '^x86-fuzz-soak: (PASS|FAIL)'
	if [ $rc -ne 0 ]; then
		printf '%s\n' "$out"
		echo "x86 fuzz soak: FAILED at run $((i + 1)) of $RUNS, seed $seed (earlier seeds: ${seeds[*]:-none})"
		exit 1
	fi
	line=$(printf '%s\n' "$out" | grep -Eo 'seed [0-9]+: [0-9]+ calls in [0-9]+ ms' | head -n1)
	n=$(echo "$line" | awk '{print $3}') t=$(echo "$line" | awk '{print $6}')
	total=$((total + n)) ms=$((ms + t)) seeds+=("$seed")
done
echo "x86 fuzz soak: $RUNS runs, $total calls in $((ms / 1000)) s of fuzzing ($((ms ? total * 1000 / ms : 0)) calls/s), 0 wrong; seeds ${seeds[*]}"
