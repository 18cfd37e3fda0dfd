#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench, arm64 part: boot the benchmark image guest-bench.bin
# (guest-tests/bench.c) in QEMU (virt, 4 CPUs, MTTCG, through U-Boot) with
# configs/vms/attack-bench.dts and print its figures as "name: value unit"
# lines (doc/guests.md "Benchmarks"). Times are from the guest's counter and
# vary with the host's load; the ratios to a mapped access, measured in the
# same run, and the invalidation counts are what to compare.
# A second run under QEMU -icount shift=0 gives the same figures as
# instruction counts (arm64_icount_*_insns), see below.
# Env: BENCH_TIMEOUT (s, default 200), BENCH_ICOUNT=0 skips the icount runs,
# BENCH_SKIP_MT=1 the first (multi-threaded, timed) one.
# Exit 1 (with the console log) if a run did not complete.
set -u
cd "$(dirname "$0")/.." || exit 2
TIMEOUT=${BENCH_TIMEOUT:-200}
mkdir -p build/bench
make -s --no-print-directory ARCH=arm64 || { echo "arm64-bench: build failed" >&2; exit 1; }

# bench_run NAME [VAR=value...]: one boot of the benchmark VM; its log path on stdout.
bench_run() {
	local name=$1 log=build/bench/$1.console.log rc
	shift
	env SMP=4 VMCFG=configs/vms/attack-bench.dts BOOTARGS="hyp.panic=poweroff" \
		TIMEOUT="$TIMEOUT" LOG="$log" RUN_QUIET=1 NO_BUILD=1 \
		DISK="build/bench/$name.disk.img" ENV="build/bench/$name.env.img" \
		"$@" scripts/run-arm64.sh >/dev/null 2>&1
	rc=$?
	rm -f "build/bench/$name.disk.img" "build/bench/$name.env.img"
	if [ $rc -ne 0 ] || ! grep -Eq '\[bench\] guest-tests: [0-9]+ passed, 0 failed' "$log"; then
		echo "arm64-bench: the $name run failed (QEMU exit $rc); console log $log:" >&2
		cat "$log" >&2
		return 1
	fi
	echo "$log"
}

# 1. Multi-threaded TCG, as the tests run: times that vary with the host.
if [ "${BENCH_SKIP_MT:-0}" != 1 ]; then
	log=$(bench_run arm64-bench) || exit 1
	sed -n 's/^\[bench\] guest-bench: /arm64_qemu_/p' "$log"
fi
# 2. -icount shift=0: virtual time counts instructions, 1 ns = 1 instruction
#    (all CPUs share one instruction clock; the benchmark VM's other CPUs and
#    the hypervisor's idle CPUs sit in WFI, executing nothing). The ns lines
#    become instruction counts per operation, repeatable whatever the host
#    does; ratios and counts are the same as above and are not repeated.
[ "${BENCH_ICOUNT:-1}" = 1 ] || exit 0
#    Page poisoning (hyp.palloc-poison=0) off, as in bench-sim: the manager's
#    cost, not the validation aid's (it adds a 4 KiB check to every page
#    allocated and a 4 KiB fill to every page freed).
icount_figures() {
	tr -d '\r' <"$1" |
		sed -n 's/^\[bench\] guest-bench: \([a-z0-9_]*\): \([0-9.]*\) ns$/arm64_icount_\1_insns: \2 insns/p'
}
log=$(bench_run arm64-bench-icount ICOUNT=0 BOOTARGS="hyp.panic=poweroff hyp.palloc-poison=0") || exit 1
icount_figures "$log"
# 3. The same, block-backed (attack-bench-block.dts: no memory-4k): the
#    guest finds its RAM block-backed and runs only bench_fault_2m, a stage-2
#    fault that maps 2 MiB (arm64_icount_s2_fault_2m_round_trip_insns).
log=$(bench_run arm64-bench-icount-block ICOUNT=0 VMCFG=configs/vms/attack-bench-block.dts \
	BOOTARGS="hyp.panic=poweroff hyp.palloc-poison=0") || exit 1
icount_figures "$log"
