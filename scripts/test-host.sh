#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make test-host: every test that needs no emulator, in one go — the first
# thing to run. Builds the host simulation (ASan + UBSan), runs every host
# unit test (hyp/**/*_test.c and arch/sim/*_test.c: build/sim/tests/**),
# hyp/mm's floors (scripts/check-floors.sh, doc/mm.md), the simulation suite
# (make ARCH=sim sim-tests: the abstract model and the
# arm64 instruction model, doc/simulation.md) and sparse over both real
# architectures (make check). Last line: "test-host: N passed, N failed".
#
# Env: JOBS (parallel build and seeds, default nproc), TEST_HOST_NO_SPARSE=1.
set -u
cd "$(dirname "$0")/.." || exit 2
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
PASS=0 FAIL=0 FAILED=()
LOG=$(mktemp -d /tmp/test-host.XXXXXX)
t_all=$SECONDS

step() {	# name command... : one TAP-producing or plain step
	local name=$1 t0=$SECONDS rc ok nok
	shift
	"$@" >"$LOG/$name.log" 2>&1
	rc=$?
	ok=$(grep -c '^ok ' "$LOG/$name.log")
	nok=$(grep -c '^not ok ' "$LOG/$name.log")
	[ "$ok" -eq 0 ] && [ "$nok" -eq 0 ] && { [ $rc -eq 0 ] && ok=1 || nok=1; }
	[ $rc -ne 0 ] && [ "$nok" -eq 0 ] && nok=1
	PASS=$((PASS + ok)); FAIL=$((FAIL + nok))
	if [ "$nok" -ne 0 ]; then
		FAILED+=("$name")
		echo "FAIL $name ($((SECONDS - t0)) s, exit $rc): log $LOG/$name.log"
		grep -E '^not ok|VIOLATION|error' "$LOG/$name.log" | head -n 20
	else
		echo "PASS $name: $ok ($((SECONDS - t0)) s)"
	fi
}

step build make -s --no-print-directory -j"$JOBS" ARCH=sim host-tests build/sim/simtest
for t in $(find build/sim/tests -name '*_test' -type f | sort); do
	step "unit-$(basename "$t")" "$t"
done
step mm-floors bash scripts/check-floors.sh
step sim-tests build/sim/simtest --tap --jobs "$JOBS"
if [ "${TEST_HOST_NO_SPARSE:-0}" != 1 ]; then
	if command -v sparse >/dev/null; then
		step sparse make -s --no-print-directory check
	else
		echo "SKIP sparse: not installed (scripts/deps.sh)"
	fi
fi
[ ${#FAILED[@]} -gt 0 ] && echo "failed: ${FAILED[*]}"
echo "test-host: $PASS passed, $FAIL failed ($((SECONDS - t_all)) s)"
[ "$FAIL" -eq 0 ]
