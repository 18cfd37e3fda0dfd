#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench, part 4: what each churn operation costs the Linux guest
# (issue 16: "the churn ratio explained: which operation costs the guest
# what, per operation").
#
# The verifier (verifier:S:64, S = BENCH_VERIFIER_SECS, 15) runs on the
# block-backed Linux VM of configs/vms/linux-churn.dts once with churn off
# (configs/vms/linux-bench.dts: the same VM, CPU 3 idle) before and after
# the others, and once per operation with `churn-ops` set to that operation
# alone (doc/churn.md). For each operation:
#
#   linux_churn_<op>_ops: the operations completed in the VM's life
#   linux_churn_<op>_writes: the verifier's writes in S seconds
#   linux_churn_<op>_invalidations_per_op: the VM's stage-2 invalidation
#       batches (its destroy line) beyond churn off's, per operation: exact,
#       whatever the host's load
#   linux_churn_<op>_guest_us_per_op: (off - op) writes / off writes/s / ops,
#       the guest time one operation costs, in microseconds (0 when the run
#       was not slower than churn off: within the noise; not printed when
#       no operation of the kind completed)
#
# One run each: on a shared host only the order of magnitude counts
# (doc/bench.md says what was measured and under which load).
#
#   scripts/churn-cost.sh           (builds the hypervisor; needs build/linux)
set -u
cd "$(dirname "$0")/.." || exit 2
export LC_ALL=C

VSECS=${BENCH_VERIFIER_SECS:-15}
TIMEOUT=${BENCH_TIMEOUT:-180}
CPU=${BENCH_QEMU_CPU:-max,sve=off,sme=off,pauth-impdef=on}
OUT=build/bench/churn-cost
say() { printf 'churn-cost: %s\n' "$*" >&2; }

mkdir -p "$OUT"
make -s --no-print-directory ARCH=arm64 || { say "hypervisor build failed"; exit 1; }
files=$OUT/files
rm -rf "$files"
scripts/linux/stage-vm-files.sh "$files" min "verifier:$VSECS:64" >&2 ||
	{ say "staging the Linux VM's files failed"; exit 1; }

# run NAME CFG: boot CFG with the verifier; sets W (writes) and LINE (churn report)
run() {
	local log=$OUT/$1.log
	say "verifier:$VSECS:64, $1 ($2)"
	SMP=4 VMCFG=$2 VMFILES_PATH=$files TIMEOUT=$((TIMEOUT + 2 * VSECS)) \
		BOOTARGS="hyp.panic=poweroff" LOG="$log" RUN_QUIET=1 NO_BUILD=1 \
		QEMU_EXTRA="-cpu $CPU" DISK="$OUT/disk.img" ENV="$OUT/env.img" \
		scripts/run-arm64.sh >&2
	rm -f "$OUT/disk.img" "$OUT/env.img"
	sed -i 's/\r$//' "$log"
	W=$(sed -nE 's/^(\[linux\] )?verifier: PASS ([0-9]+) writes.*/\2/p' "$log" | head -1)
	if [ -z "$W" ] || ! grep -q 'all VMs destroyed: every page returned' "$log"; then
		say "FAILED: $1: no verifier PASS or a page leaked; console log:"
		cat "$log" >&2
		exit 1
	fi
	LINE=$(grep -Eo 'churn at destroy: .*' "$log" | tail -1)
	# "vm0 (linux): stage-2 invalidations: N batches: ..." at destroy
	INV=$(sed -nE 's/.*vm0 \(linux\): stage-2 invalidations: ([0-9]+) batches.*/\1/p' "$log" | tail -1)
	[ -n "$INV" ] || { say "FAILED: $1: no invalidation count at destroy"; cat "$log" >&2; exit 1; }
}

say "host load average (1, 5, 15 min) at start: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
run off1 configs/vms/linux-bench.dts
off1=$W inv_off=$INV
declare -A writes done_ inv
ops=(migrate compact split reclaim dirty move)
for i in "${!ops[@]}"; do
	op=${ops[$i]}
	cfg=$OUT/churn-$op.dts
	# linux-churn.dts with this operation alone
	sed "s/churn-cpu = <3>;/churn-cpu = <3>;\n\t\t\tchurn-ops = <$((1 << i))>;/" \
		configs/vms/linux-churn.dts >"$cfg"
	run "$op" "$cfg"
	writes[$op]=$W
	inv[$op]=$INV
	done_[$op]=$(sed -E "s/.* $op ([0-9]+)\/([0-9]+).*/\\1/" <<<"$LINE")
	say "  $W writes; churn: ${LINE#churn at destroy: }"
done
run off2 configs/vms/linux-bench.dts
off=$(( (off1 + W) / 2 ))
say "churn off: $off1 and $W writes (mean $off)"
echo "linux_churn_off_writes: $off writes"
for op in "${ops[@]}"; do
	echo "linux_churn_${op}_ops: ${done_[$op]} ops"
	echo "linux_churn_${op}_writes: ${writes[$op]} writes"
	[ "${done_[$op]}" -gt 0 ] && awk -v i="${inv[$op]}" -v i0="$inv_off" -v n="${done_[$op]}" -v op="$op" \
		'BEGIN { printf "linux_churn_%s_invalidations_per_op: %.2f batches\n", op, (i - i0) / n }'
	if [ "${done_[$op]}" -eq 0 ]; then
		say "$op: none completed (on block-backed RAM, compact needs a 2 MiB chunk of 4 KiB pages and split a 2 MiB block: see doc/churn.md); no cost per operation"
		continue
	fi
	awk -v off="$off" -v w="${writes[$op]}" -v n="${done_[$op]}" -v s="$VSECS" -v op="$op" 'BEGIN {
		us = (w < off) ? (off - w) / (off / s) / n * 1e6 : 0
		printf "linux_churn_%s_guest_us_per_op: %.0f us\n", op, us }'
done
say "host load average (1, 5, 15 min) at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
