#!/usr/bin/env bash
# The test spine behind `make test`: builds everything, runs every test with a
# timeout, prints one line per test and, last, "N passed, N failed".
#
# A test is either a TAP producer (each "ok"/"not ok" line counts as one
# test) or a plain command (exit status 0 = pass). Logs go to build/test/;
# a failing test's log is printed.
set -u
cd "$(dirname "$0")/.."
OUT=build/test
mkdir -p "$OUT"
PASS=0
FAIL=0
FAILED=()
JOBS=${JOBS:-2}
# Every build here is a validation build (fault-injection switches compiled
# in, off unless hyp.inject= names them; hyp/inject.h).
export VALIDATION=${VALIDATION:-1}

note() { printf '%s\n' "$*"; }

# After a failure or a timeout: the emulator console logs the test wrote
# (build/test/*.log newer than its start marker), unless the test's own
# output already holds them whole. A test killed by its timeout never
# reaches its own "print the log" step; this is the one that always runs.
MARK=$OUT/.test-start
print_consoles() {
	local name=$1 log=$2 f
	for f in $(find "$OUT" -maxdepth 1 -type f -name '*.log' -newer "$MARK" ! -name "$name.log" | sort); do
		[ -s "$f" ] || { note "---- console log $f: empty ----"; continue; }
		# already printed whole by the test itself?
		if grep -qF -- "$(tail -n1 "$f")" "$log" && grep -qF -- "$(head -n1 "$f")" "$log"; then
			continue
		fi
		note "---- console log $f (last 400 lines) ----"
		tail -n 400 "$f"
		note "---- end of $f ----"
	done
}

# run NAME TIMEOUT_S CMD... : one result from the exit status.
run() {
	local name=$1 to=$2; shift 2
	local log="$OUT/$name.log" t0=$SECONDS rc
	touch "$MARK"
	timeout --kill-after=10 "$to" "$@" >"$log" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		PASS=$((PASS + 1)); note "PASS $name ($((SECONDS - t0)) s)"
	else
		FAIL=$((FAIL + 1)); FAILED+=("$name")
		[ $rc -eq 124 ] && note "FAIL $name: timed out after $to s" || note "FAIL $name (exit $rc)"
		note "---- log of $name ($log) ----"; cat "$log"; note "---- end of $name ----"
		print_consoles "$name" "$log"
	fi
}

# tap NAME TIMEOUT_S CMD... : one result per TAP line; a crash or a timeout
# (or no TAP line at all) counts as one more failure.
tap() {
	local name=$1 to=$2; shift 2
	local log="$OUT/$name.log" t0=$SECONDS rc ok nok
	touch "$MARK"
	timeout --kill-after=10 "$to" "$@" >"$log" 2>&1
	rc=$?
	ok=$(grep -c '^ok ' "$log")
	nok=$(grep -c '^not ok ' "$log")
	PASS=$((PASS + ok)); FAIL=$((FAIL + nok))
	if [ $rc -ne 0 ] && [ "$nok" -eq 0 ] || [ $((ok + nok)) -eq 0 ]; then
		FAIL=$((FAIL + 1)); nok=$((nok + 1))
	fi
	if [ "$nok" -ne 0 ]; then
		FAILED+=("$name")
		note "FAIL $name: $ok passed, $nok failed (exit $rc$([ $rc -eq 124 ] && echo ', timed out'))"
		note "---- log of $name ($log) ----"; cat "$log"; note "---- end of $name ----"
		print_consoles "$name" "$log"
	else
		note "PASS $name: $ok tests ($((SECONDS - t0)) s)"
	fi
}

note "== build"
run build-host-tests 600 make -j"$JOBS" ARCH=sim host-tests
run build-arm64 600 make -j"$JOBS" ARCH=arm64
run build-x86 600 make -j"$JOBS" ARCH=x86
run sparse-check 600 make check
run build-linux 1200 make linux

note "== host unit tests (ASan + UBSan)"
for t in $(find build/sim/tests -name '*_test' -type f 2>/dev/null | sort); do
	tap "unit-$(basename "$t")" 120 "$t"
done

# hyp/mm's floors (doc/mm.md): no call goes up, read from the objects.
tap mm-floors 60 bash scripts/check-floors.sh

# Simulation suites (arch/sim), when the tree has them.
if make -s -n ARCH=sim sim-tests >/dev/null 2>&1; then
	note "== stage-2 simulation"
	tap sim-tests 900 make -s --no-print-directory ARCH=sim sim-tests
fi

note "== emulator tests"
for s in scripts/tests/*.sh; do
	[ -e "$s" ] || continue
	# 300 s each, or what a "# test-timeout: N" line in the script says
	to=$(sed -n 's/^# test-timeout: \([0-9]*\)$/\1/p' "$s" | head -n1)
	run "$(basename "$s" .sh)" "${to:-300}" bash "$s"
done

[ ${#FAILED[@]} -gt 0 ] && note "failed: ${FAILED[*]}"
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
