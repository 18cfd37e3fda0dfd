#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Each seed scenario of the simulation must pass on the correct build and
# fail on the build with its matching injected bug, on both machines
# (arm64 and x86; a third field names the machines when not both: the
# x86 instruction model's vCPU moves exist on x86 only). Prints one TAP
# line per (scenario, switch, machine).
# One build: build/sim is a validation build, the switch is chosen per
# scenario at run time (simtest --inject <switch>, hyp/inject.h).
#
#   scripts/tests/sim-inject-matrix.sh
set -u
cd "$(dirname "$0")/../.." || exit 2
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}

MATRIX="seed000-concurrent-unmap:skip-cleared
seed000-concurrent-unmap:nested-flush-narrow
seed001-teardown-speculation:teardown-flush-while-live
seed002-dirty-harvest:dirty-after-unlock
seed003-move-vs-reclaim:move-unserialized-reclaim
seed003-move-vs-reclaim:move-flush-after-unlock
seed004-reclaim-vs-lockless:reclaim-no-grace
vmid-rollover:vmid-reuse-no-flush
split-collapse:split-no-bbm
split-collapse:collapse-no-bbm
fault-during-unmap:fault-during-unmap
migrate-vs-writers:migrate-copy-before-flush
vcpu-move:x86-vmx-vpid-skip-same:x86
vcpu-move:x86-vmx-vpid-single-no-cap:x86
vcpu-move:x86-svm-no-vcpu-flush:x86"

make -s --no-print-directory ARCH=sim -j"$JOBS" build/sim/simtest || exit 2
n=0
fail=0
for line in $MATRIX; do
	t=${line%%:*}
	inj=${line#*:}
	ms="arm64 x86"
	case $inj in
	*:*)	ms=${inj#*:}; inj=${inj%%:*} ;;
	esac
	for m in $ms; do
		n=$((n + 1))
		good=$(build/sim/simtest --tap --jobs "$JOBS" --only "$t-$m" | grep -c '^ok ')
		bad=$(build/sim/simtest --inject "$inj" --tap --jobs "$JOBS" --only "$t-$m" |
			grep '^not ok' | sed 's/.*(\(.*\)).*/\1/')
		if [ "$good" = 1 ] && [ -n "$bad" ]; then
			echo "ok $n - $t-$m passes correct, fails --inject $inj ($bad)"
		else
			fail=$((fail + 1))
			echo "not ok $n - $t-$m: correct run ${good:+passes}, --inject $inj ${bad:-NOT caught}"
		fi
	done
done
echo "1..$n"
[ "$fail" -eq 0 ]
