#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make bench: run the stage-2 benchmark binary under callgrind and print
# "name: value unit" lines. Instruction counts are exact (callgrind counts
# instructions executed between the client requests in the binary), so the
# figures are repeatable run to run. The build is the product's shape
# (SIM_BENCH: no scheduling points); *_insns count everything between the
# requests, *_hyp_insns only hyp/'s code (not the simulation's TLB stubs).
#
#   scripts/sim-bench.sh build/sim-bench/simbench
set -eu
BIN=${1:-build/sim-bench/simbench}
DIR=$(mktemp -d /tmp/simbench.XXXXXX)
trap 'rm -rf "$DIR"' EXIT

if ! command -v valgrind >/dev/null 2>&1; then
	echo "bench: valgrind not found: instruction counts unavailable" >&2
	"$BIN"
	exit 0
fi

valgrind --tool=callgrind --callgrind-out-file="$DIR/cg.out" "$BIN" >"$DIR/stdout" 2>"$DIR/stderr" || {
	cat "$DIR/stderr" >&2
	exit 1
}

# Instructions (Ir) of the dump triggered by CALLGRIND_DUMP_STATS_AT(name).
ir() {
	for f in "$DIR"/cg.out*; do
		if grep -q "^desc: Trigger: Client Request: $1\$" "$f"; then
			sed -n 's/^summary: \([0-9]*\).*/\1/p; s/^totals: \([0-9]*\).*/\1/p' "$f" | head -1
			return
		fi
	done
	echo 0
}

# The same dump, only what hyp/ executes (its .c files and the inline code of
# its headers): the manager's cost without the simulation's stubs (arch/sim:
# the model behind every TLB instruction, the bench's own loop).
hyp_ir() {
	for f in "$DIR"/cg.out*; do
		if grep -q "^desc: Trigger: Client Request: $1\$" "$f"; then
			callgrind_annotate --inclusive=no --threshold=100 "$f" 2>/dev/null |
				awk '{ l = $0; sub(/^[ 0-9,]+\([ 0-9.]+%\) +/, "", l) }
				     l != $0 && l ~ /^([^ ]*\/)?hyp\/[^ ]*:/ { gsub(",", "", $1); s += $1 }
				     END { print s + 0 }'
			return
		fi
	done
	echo 0
}

pages=$(sed -n 's/^bench_pages_per_gib: \([0-9]*\).*/\1/p' "$DIR/stdout")
map4k=$(ir map_4k)
unmap4k=$(ir unmap_4k)
map1g=$(ir map_1g_blocks)
move=$(ir move_1g)
remap=$(ir remap_1g)

echo "map_4k_insns: $((map4k / pages)) insns"
echo "unmap_4k_insns: $((unmap4k / pages)) insns"
echo "map_1g_blocks_insns: $map1g insns"
grep -E '^(unmap_1g_4k_invalidations|unmap_pagewise_gather_invalidations|table_pages_per_gib_4k|unmap_4k_invalidations_per_call):' "$DIR/stdout"
if command -v callgrind_annotate >/dev/null 2>&1; then
	echo "map_4k_hyp_insns: $(( $(hyp_ir map_4k) / pages )) insns"
	echo "unmap_4k_hyp_insns: $(( $(hyp_ir unmap_4k) / pages )) insns"
	echo "map_1g_blocks_hyp_insns: $(hyp_ir map_1g_blocks) insns"
	echo "move_1g_hyp_insns: $(hyp_ir move_1g) insns"
fi
if [ "$remap" -gt 0 ]; then
	echo "move_1g_vs_remap_ratio: $(echo "scale=6; $move / $remap" | bc | sed 's/^\./0./') ratio"
	echo "move_1g_insns: $move insns"
	echo "remap_1g_pagewise_insns: $remap insns"
fi
