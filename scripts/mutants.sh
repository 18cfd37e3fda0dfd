#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make mutants: run the simulation suite against each fault-injection switch
# and report which test catches each injected bug. One build: build/sim is a
# validation build (hyp/inject.h), and `simtest --inject <name>` turns a
# switch on at run time. A switch still written as `#ifdef INJECT_<NAME>`
# (not yet in inject.h's list) gets its own INJECT=<name> build as before.
#
#   <name>: caught by <test> in <seconds> s
#   <name>: SURVIVED
#   mutants: K killed, S survived
#
# Switches: every `name` in flush-bugs.md's table, every switch of
# hyp/include/hyp/inject.h's list, and every INJECT_<NAME> still tested with
# #ifdef in a file the simulation compiles: hyp/, arch/sim/, and
# arch/arm64/tlb.c and arch/x86/tlb.c, which run unchanged against the
# instruction model (arch/sim/arch.mk). A switch elsewhere in arch/ is not
# built by the simulation: emulator_test() names the emulator test that must
# fail with it on (x86-guest-ptr-unlocked: scripts/tests/x86-guest-bochs.sh,
# doc/guest-memory.md), run on the validation build with hyp.inject=<name>.
# A switch that no code implements SURVIVES: that
# is a hole, reported as such.
#
# A seed that already fails on the correct build cannot "catch" anything:
# the baseline runs every seed, and the seeds that fail there are skipped
# (and listed), so a kill always means: this (test, seed) passes without the
# bug and fails with it. The model's own negative controls (model-*) are
# not run against mutants: they do not use hyp/mm.
#
# Env: MUTANTS_JOBS (parallel seeds, default nproc), MUTANTS_ONLY (names),
#      FLUSH_BUGS (path of flush-bugs.md), MUTANTS_SEEDS (seeds per test).
set -u

# Everything is in main(): the shell parses the whole file before running it,
# so editing this script while a run is in progress cannot derail that run.
main() {
cd "$(dirname "$0")/.." || exit 2

JOBS=${MUTANTS_JOBS:-$(nproc 2>/dev/null || echo 2)}
BUGS=${FLUSH_BUGS:-}
for p in ../shared/flush-bugs.md /work/shared/flush-bugs.md doc/flush-bugs.md; do
	[ -z "$BUGS" ] && [ -f "$p" ] && BUGS=$p
done

names() {
	if [ -n "$BUGS" ] && [ -f "$BUGS" ]; then
		sed -n 's/^| `\([a-z0-9-]*\)` .*/\1/p' "$BUGS"
	fi
	listed
	legacy
}
# The switches of the one list (hyp/inject.h): chosen at run time.
listed() {
	sed -n 's/^[[:space:]]*X([A-Z0-9_]*,[[:space:]]*"\([a-z0-9-]*\)").*/\1/p' hyp/include/hyp/inject.h
}
# Switches still written as #ifdef INJECT_<NAME>: one build each.
legacy() {
	grep -rhoE '^#if(n?def| defined)[ (]*INJECT_[A-Z0-9_]+' hyp arch/sim arch/arm64/tlb.c arch/x86/tlb.c arch/x86/tlb_entry.c 2>/dev/null |
		sed 's/.*INJECT_//' | grep -vxE 'NAME|ONE' | tr 'A-Z_' 'a-z-'
}
LIST=${MUTANTS_ONLY:-$(names | sort -u)}
SEEDS_ARG=${MUTANTS_SEEDS:+--seeds $MUTANTS_SEEDS}

# One run at a time (builds share build/sim and build/sim-inject-*); logs in a private dir.
mkdir -p build
exec 9>build/.mutants.lock
if ! flock -n 9; then
	echo "mutants: another run holds build/.mutants.lock; waiting"
	flock 9
fi
LOG=$(mktemp -d /tmp/mutants.XXXXXX)
echo "mutants: logs in $LOG"

t_start=$(date +%s)
echo "mutants: building the correct simulation (baseline)"
if ! make --no-print-directory -s ARCH=sim -j"$JOBS" build/sim/simtest >"$LOG/base-build.log" 2>&1; then
	cat "$LOG/base-build.log"
	echo "mutants: baseline build failed"
	exit 2
fi
base_out=$(build/sim/simtest --tap --all-seeds --jobs "$JOBS" $SEEDS_ARG 2>&1)
# Seeds that fail on the correct build cannot catch anything: skipped below.
EXCL=$LOG/excluded-seeds
printf '%s\n' "$base_out" | sed -n 's/^# failing-seeds //p' |
	while read -r t seeds; do
		for s in $seeds; do echo "$t $s"; done
	done >"$EXCL"
if [ -s "$EXCL" ]; then
	echo "mutants: WARNING: $(wc -l <"$EXCL") seed(s) fail on the correct build and are skipped:"
	printf '%s\n' "$base_out" | sed -n 's/^# failing-seeds /mutants:   /p'
fi
ok_tests=$(printf '%s\n' "$base_out" | sed -n 's/^\(not \)*ok [0-9]* - \([^ ]*\) .*/\2/p' |
	grep -v '^model-' | grep -v '^replay-' | paste -sd, -)

# Which tests were written for which switch: run them first (speed only; if
# they do not catch it, every other test still runs).
hint() {
	case $1 in
	free-before-flush|skip-cleared|nested-flush-narrow|leaf-only-after-table-free)
		echo seed000-concurrent-unmap-arm64,seed000-concurrent-unmap-x86 ;;
	teardown-flush-while-live)
		echo seed001-teardown-speculation-arm64,seed001-teardown-speculation-x86 ;;
	dirty-after-unlock)
		echo seed002-dirty-harvest-arm64,seed002-dirty-harvest-x86 ;;
	move-flush-after-unlock|move-unserialized-reclaim)
		echo seed003-move-vs-reclaim-arm64,seed003-move-vs-reclaim-x86 ;;
	reclaim-no-grace)
		echo seed004-reclaim-vs-lockless-arm64,seed004-reclaim-vs-lockless-x86 ;;
	vmid-reuse-no-flush)
		echo vmid-rollover-arm64,vmid-rollover-x86 ;;
	ipi-subset)
		echo seed000-concurrent-unmap-x86,seed001-teardown-speculation-x86 ;;
	split-no-bbm|collapse-no-bbm)
		echo split-collapse-arm64,split-collapse-x86 ;;
	fault-during-unmap)
		echo fault-during-unmap-arm64,fault-during-unmap-x86 ;;
	tlbi-*)	# arch/arm64/tlb.c under the instruction model (doc/simulation.md A1-A7)
		echo insn-primitives-arm64,insn-boot-check-arm64 ;;
	x86-vmx-fallback-no-owe)	# X6 without all-context INVEPT
		echo vmx-no-invept-all-x86 ;;
	x86-vmx-vpid-*|x86-svm-no-vcpu-flush)	# X9/X10: a vCPU arriving on a CPU
		echo vcpu-move-x86 ;;
	x86-*)	# arch/x86/tlb.c, tlb_entry.c under the x86 model (X1-X11)
		echo insn-primitives-x86,insn-vmid-rollover-x86 ;;
	first-run-no-flush)	# R7, and EPT's EP4TA tags (X6)
		echo vmx-root-reuse-x86 ;;
	esac
}

# Switches in code the simulation does not build: an emulator test that must
# fail with the switch on (validation build, hyp.inject= on the command line).
emulator_test() {
	case $1 in
	x86-guest-ptr-unlocked)	# arch/x86/vcpu.c (doc/guest-memory.md)
		echo scripts/tests/x86-guest-bochs.sh ;;
	x86-vmx-nmi-stays-blocked)	# arch/x86/vmx.c (doc/x86-virt.md)
		echo scripts/tests/x86-guest-bochs.sh ;;
	esac
}

# $1 minus the names in $2 (comma lists)
without() {
	printf '%s\n' "$1" | tr , '\n' | grep -vxF -f "$(printf '%s\n' "$2" | tr , '\n' > "$LOG/w"; echo "$LOG/w")" |
		paste -sd, -
}

LISTED=$(listed)
killed=0
survived=0
for n in $LIST; do
	et=$(emulator_test "$n")
	if [ -n "$et" ]; then
		t0=$(date +%s)
		if VALIDATION=1 X86_BOOTARGS="hyp.inject=$n" bash "$et" >"$LOG/$n.out" 2>&1; then
			echo "$n: SURVIVED ($et passed with it on; log $LOG/$n.out)"
			survived=$((survived + 1))
		else
			echo "$n: caught by $(basename "$et" .sh) in $(( $(date +%s) - t0 )) s (emulator)"
			killed=$((killed + 1))
		fi
		continue
	fi
	if printf '%s\n' "$LISTED" | grep -qxF "$n"; then
		sim="build/sim/simtest --inject $n"
	else
		dir=build/sim-inject-$n
		sim=$dir/simtest
		if ! make --no-print-directory -s ARCH=sim INJECT="$n" -j"$JOBS" "$dir/simtest" \
			>"$LOG/$n.build.log" 2>&1; then
			echo "$n: BUILD FAILED (see $LOG/$n.build.log)"
			survived=$((survived + 1))
			continue
		fi
	fi
	first=$(printf '%s\n' "$(hint "$n")" | tr , '\n' | grep -xF -f "$(printf '%s\n' "$ok_tests" |
		tr , '\n' > "$LOG/ok"; echo "$LOG/ok")" | paste -sd, -)
	rest=$ok_tests
	[ -n "$first" ] && rest=$(without "$ok_tests" "$first")
	t0=$(date +%s.%N)
	out=""
	if [ -n "$first" ]; then
		out=$($sim --tap --stop-first --jobs "$JOBS" --only "$first" \
			--exclude-seeds "$EXCL" $SEEDS_ARG 2>&1)
	fi
	if ! printf '%s\n' "$out" | grep -q '^not ok' && [ -n "$rest" ]; then
		out=$($sim --tap --stop-first --jobs "$JOBS" --only "$rest" \
			--exclude-seeds "$EXCL" $SEEDS_ARG 2>&1)
	fi
	t1=$(date +%s.%N)
	caught=$(printf '%s\n' "$out" | sed -n 's/^not ok [0-9]* - \([^ ]*\) (\([0-9]*\) seeds, \([0-9.]*\) s).*/\1 \3/p' | head -1)
	printf '%s\n' "$out" >"$LOG/$n.out"
	if [ -n "$caught" ]; then
		set -- $caught
		rule=$(printf '%s\n' "$out" | sed -n 's/^# VIOLATION \([A-Z0-9]*\) .*/\1/p' | head -1)
		total=$(printf '%.1f' "$(echo "$t1 - $t0" | bc)")
		echo "$n: caught by $1 in $total s (${rule:-crash}; the catching test itself took $2 s)"
		killed=$((killed + 1))
	else
		echo "$n: SURVIVED"
		survived=$((survived + 1))
	fi
done
echo "mutants: $killed killed, $survived survived ($(( $(date +%s) - t_start )) s)"
[ "$survived" -eq 0 ]
}

main "$@"
