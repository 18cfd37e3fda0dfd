#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The Linux layer's injected-bug runs (issue: "with each INJECT= switch, where
# the layer can show it, the same run must fail"; doc/validation.md, Linux
# column). For each switch the Linux guest can show, run
# scripts/tests/arm64-linux-churn.sh with it on (one validation build,
# build/arm64-validation, for every switch; hyp.inject=<switch> at boot)
# and require that the run FAILS, and fails
# because a detector inside the Linux guest saw the bug: a "hyptest: FAIL" or
# "verifier: FAIL" line (not a build failure, a timeout or a crash). The
# correct build passes the same run (arm64-linux-churn.sh itself).
#   LINUX_INJECT="sw ..." overrides the list.
# test-timeout: 600
set -u
cd "$(dirname "$0")/../.." || exit 2
# migrate-copy-before-flush runs with configs/vms/linux-churn-3-nomigrate.dts:
# since guest RAM is block-backed (issue 16), churn's own migrations with the
# bug kill the kernel before a detector runs (measured: "Unable to handle
# kernel execute" 1.2 s after boot); without them only hyptest's HC_MIGRATE
# pages are migrated and its migrate phase sees the lost write.
switches=${LINUX_INJECT:-free-before-flush nested-flush-narrow skip-cleared migrate-copy-before-flush}
vmcfg() {
	case $1 in
	migrate-copy-before-flush) echo configs/vms/linux-churn-3-nomigrate.dts ;;
	*) echo configs/vms/linux-churn-3.dts ;;
	esac
}
fails=0
for sw in $switches; do
	log=build/test/arm64-linux-churn-$sw.log
	con=build/test/arm64-linux-churn-$sw.console.log
	rm -f "$con"
	INJECT=$sw LINUX_CHURN_VMCFG=$(vmcfg "$sw") bash scripts/tests/arm64-linux-churn.sh >"$log" 2>&1
	rc=$?
	caught=$(grep -aEo '(hyptest|verifier): FAIL .*' "$con" 2>/dev/null | head -n1)
	ttc=$(grep -o 'time to catch: [0-9]*s' "$log" | head -n1)
	if [ $rc -ne 0 ] && [ -n "$caught" ]; then
		echo "ok: INJECT=$sw caught in the Linux guest (${ttc:-time to catch: ?}): $caught"
	else
		fails=$((fails + 1))
		echo "FAIL: INJECT=$sw not caught in the Linux guest (churn test exit $rc," \
			"detector line: ${caught:-none}); its output:"
		cat "$log"
	fi
done
[ $fails -eq 0 ]
