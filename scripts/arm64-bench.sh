#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench, arm64 part: boot the benchmark image guest-bench.bin
# (guest-tests/bench.c) in QEMU (virt, 4 CPUs, MTTCG, through U-Boot) with
# configs/vms/attack-bench.dts and print its figures as "name: value unit"
# lines (doc/guests.md "Benchmarks"). Times are from the guest's counter and
# vary with the host's load; the ratios to a mapped access, measured in the
# same run, and the invalidation counts are what to compare.
# Env: BENCH_TIMEOUT (s, default 200). Exit 1 (with the console log) if the
# run did not complete.
set -u
cd "$(dirname "$0")/.." || exit 2
TIMEOUT=${BENCH_TIMEOUT:-200}
LOG=build/bench/arm64-bench.console.log
mkdir -p build/bench
make -s --no-print-directory ARCH=arm64 || { echo "arm64-bench: build failed" >&2; exit 1; }
SMP=4 VMCFG=configs/vms/attack-bench.dts BOOTARGS="hyp.panic=poweroff" \
	TIMEOUT="$TIMEOUT" LOG="$LOG" RUN_QUIET=1 NO_BUILD=1 \
	DISK=build/bench/arm64-bench.disk.img ENV=build/bench/arm64-bench.env.img \
	scripts/run-arm64.sh >/dev/null 2>&1
rc=$?
rm -f build/bench/arm64-bench.disk.img build/bench/arm64-bench.env.img
if [ $rc -ne 0 ] || ! grep -Eq '\[bench\] guest-tests: [0-9]+ passed, 0 failed' "$LOG"; then
	echo "arm64-bench: the benchmark run failed (QEMU exit $rc); console log $LOG:" >&2
	cat "$LOG" >&2
	exit 1
fi
sed -n 's/^\[bench\] guest-bench: /arm64_qemu_/p' "$LOG"
