# SPDX-License-Identifier: GPL-2.0
# The soak loop shared by scripts/arm64-fuzz-soak.sh and x86-fuzz-soak.sh
# (doc/fuzzing.md): RUNS boots of CALLS calls, each with its own random seed
# (FUZZ_SEED=N makes the first run use N, the next N+1, ...). Stops at the
# first failing run and prints its output, seed and the seeds before it.
# Last line: the totals.
#   fuzz_soak LABEL SHOW RUN: RUN SEED runs one boot (stdout+stderr kept);
#   SHOW is the grep -E pattern of its lines echoed for each run.
fuzz_soak() {
	local label=$1 show=$2 run=$3 i seed out rc line n t total=0 ms=0 seeds=()
	for ((i = 0; i < RUNS; i++)); do
		seed=${FUZZ_SEED:+$((FUZZ_SEED + i))}
		seed=${seed:-$(( (RANDOM << 15 | RANDOM) % 4000000000 + 1 ))}
		out=$("$run" "$seed" 2>&1)
		rc=$?
		printf '%s\n' "$out" | grep -E "$show"
		if [ $rc -ne 0 ]; then
			printf '%s\n' "$out"
			echo "$label: FAILED at run $((i + 1)) of $RUNS, seed $seed (earlier seeds: ${seeds[*]:-none})"
			exit 1
		fi
		line=$(printf '%s\n' "$out" | grep -Eo 'seed [0-9]+: [0-9]+ calls in [0-9]+ ms' | head -n1)
		n=$(echo "$line" | awk '{print $3}') t=$(echo "$line" | awk '{print $6}')
		total=$((total + n)) ms=$((ms + t)) seeds+=("$seed")
	done
	echo "$label: $RUNS runs, $total calls in $((ms / 1000)) s of fuzzing ($((ms ? total * 1000 / ms : 0)) calls/s), 0 wrong; seeds ${seeds[*]}"
}
