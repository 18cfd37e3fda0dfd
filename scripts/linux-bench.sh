#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench, Linux part (doc/bench.md): figures as "name: value unit" lines on
# stdout, progress on stderr.
#
#  1. Boot to init: time from QEMU's start to the console line
#     "linux-guest: init reached" (guest-linux/init), for the minimal kernel and
#     its initramfs
#       hyp:  U-Boot -> hypervisor -> the Linux VM alone (configs/vms/linux-bench.dts,
#             CPUs 0-1; QEMU with 2 CPUs)
#       bare: the same kernel, initramfs, guest DTB and command line on bare
#             QEMU (-kernel/-initrd/-dtb/-append, 2 CPUs, 512 MiB = the VM's RAM)
#       bare_uboot: the same files through the same U-Boot and virtio disk
#             (configs/arm64/boot-linux.cmd), at EL1: the fair baseline, since
#             the hyp boot pays for U-Boot and bare -kernel does not
#             (linux_boot_to_init_bare_uboot, linux_boot_to_init_ratio_uboot)
#     all with the same -cpu ($BENCH_QEMU_CPU). BENCH_RUNS boots of each,
#     alternating hyp and bare (load drift hits both); medians reported (and
#     the minima: the runs least disturbed by the host), the ratio hyp / bare,
#     and the hypervisor boot split at its console markers (U-Boot's banner,
#     boot.scr, booti, "vm0 (linux): vcpu0 starts").
#     The same boots again with a CPU hog beside QEMU (a busy-loop shell at
#     nice 0, started before each hog pair and killed after it, and on any
#     exit): BENCH_HOG_RUNS (BENCH_RUNS) pairs, alternating with the idle ones;
#     linux_boot_to_init_{hyp,bare,ratio}_hog, and the idle ratio again as
#     linux_boot_to_init_ratio_idle (issue 16: both in one run).
#     BENCH_BOOT_ONLY=1 stops after the boot figures (no verifier runs).
#     Also the stage-2 faults of the Linux VM in each hyp boot (its destroy
#     line: the boot, init, 1 s of verifier, power-off), median:
#     linux_boot_stage2_faults (4 KiB + block), _4k, _block. BENCH_STAGE2_ONLY=1
#     runs one hyp boot and prints only these.
#  2. The verifier (verifier:S:64, S = BENCH_VERIFIER_SECS) on the Linux VM with
#     churn off (linux-bench.dts) and on (linux-churn.dts: CPU 3 churns), QEMU
#     with 4 CPUs both times, BENCH_VERIFIER_RUNS runs of each, alternating:
#     median writes/s (= the PASS line's writes / S), the ratio on / off, and
#     the churn done in the churn-on runs (medians of "churn at destroy").
#
# Time stamps: QEMU's console goes into a FIFO read by this shell, which stamps
# every line with bash's $EPOCHREALTIME (microseconds, no fork) when the line
# arrives; time 0 is when the FIFO opens, i.e. when the shell that runs QEMU
# redirects its output, right before exec (scripts/run-arm64.sh for hyp).
# Resolution: well under 0.01 s (a line is stamped once complete).
#
# Benchmarks, not tests: a ratio above its target is printed, not failed on.
# Exit 1 (with the console log) only if a run failed: QEMU's exit status not 0,
# or a marker or the verifier's PASS missing.
#
# Env: BENCH_RUNS (3), BENCH_VERIFIER_RUNS (BENCH_RUNS), BENCH_VERIFIER_SECS
# (15), BENCH_TIMEOUT (s per boot run, 180), BENCH_QEMU_CPU
# (max,sve=off,sme=off,pauth-impdef=on: the hypervisor needs SVE and SME off,
# see run-arm64.sh; pauth-impdef as in scripts/linux/bare-testlib.sh),
# BENCH_KEEP=1 keeps the staged files (the console logs stay in build/bench).
set -u
cd "$(dirname "$0")/.." || exit 2
export LC_ALL=C

RUNS=${BENCH_RUNS:-3}
VSECS=${BENCH_VERIFIER_SECS:-15}
VRUNS=${BENCH_VERIFIER_RUNS:-$RUNS}
TIMEOUT=${BENCH_TIMEOUT:-180}
CPU=${BENCH_QEMU_CPU:-max,sve=off,sme=off,pauth-impdef=on}
OUT=build/bench
INIT_RE='^(\[linux\] )?linux-guest: init reached'
DONE_RE='^(\[linux\] )?linux-guest: done \(status 0\)'

say() { printf 'linux-bench: %s\n' "$*" >&2; }
fail() {	# fail WHAT LOG: the run failed: its console log, exit 1
	say "FAILED: $1; console log ($2, seconds since QEMU start):"
	cat "$2" >&2
	exit 1
}

say "host load average (1, 5, 15 min) at start: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
mkdir -p "$OUT"
make -s --no-print-directory ARCH=arm64 || { say "hypervisor build failed"; exit 1; }
boot_files=$OUT/linux-boot.files
verif_files=$OUT/linux-verifier.files
rm -rf "$boot_files" "$verif_files"
# A job that ends at once after the marker: 1 s of verifier, then power-off.
scripts/linux/stage-vm-files.sh "$boot_files" min verifier:1:16 ||
	{ say "staging the Linux VM's files failed"; exit 1; }
if [ "${BENCH_BOOT_ONLY:-0}" != 1 ]; then
	scripts/linux/stage-vm-files.sh "$verif_files" min "verifier:$VSECS:64" ||
		{ say "staging the Linux VM's files failed"; exit 1; }
fi
append=$(fdtget -t s "$boot_files/linux.dtb" /chosen bootargs) || { say "no bootargs"; exit 1; }

# stamp FIFO LOG: copy FIFO's lines to LOG as "<seconds since open> <line>".
stamp() {
	local fd t0 now d line
	exec {fd}<"$1"
	t0=${EPOCHREALTIME/./}
	while IFS= read -r -u "$fd" line || [ -n "$line" ]; do
		now=${EPOCHREALTIME/./}
		d=$((now - t0))
		printf '%d.%06d %s\n' $((d / 1000000)) $((d % 1000000)) "${line%$'\r'}"
	done >"$2"
	exec {fd}<&-
}

# stamped LOG CMD...: run CMD (which writes the console to $FIFO) with the
# stamper reading; sets RC.
FIFO=$OUT/linux-bench.fifo
stamped() {
	local log=$1 spid fd
	shift
	rm -f "$FIFO"
	mkfifo "$FIFO" || exit 2
	stamp "$FIFO" "$log" &
	spid=$!
	"$@" >&2
	RC=$?
	# If CMD failed before opening the FIFO, the stamper still waits in open():
	# a read-write open never blocks and lets it see EOF.
	exec {fd}<>"$FIFO"
	exec {fd}>&-
	wait "$spid"
	rm -f "$FIFO"
}

# at LOG REGEX: seconds of the first line matching REGEX (empty if none)
at() {
	awk -v re="$2" '{ t = $1; sub(/^[^ ]+ /, "") } $0 ~ re { print t; exit }' "$1"
}
sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a - b }'; }
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
	if (NR % 2) printf "%.2f", v[(NR + 1) / 2]; else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# shellcheck disable=SC2317 # (called through stamped)
qemu_hyp() {	# qemu_hyp NAME SMP VMCFG FILES TIMEOUT (console to $FIFO)
	SMP=$2 VMCFG=$3 VMFILES_PATH=$4 TIMEOUT=$5 BOOTARGS="hyp.panic=poweroff" \
		LOG="$FIFO" RUN_QUIET=1 NO_BUILD=1 QEMU_EXTRA="-cpu $CPU" \
		DISK="$OUT/$1.disk.img" ENV="$OUT/$1.env.img" scripts/run-arm64.sh
	local rc=$?
	rm -f "$OUT/$1.disk.img" "$OUT/$1.env.img"
	return "$rc"
}
# QEMU_EXTRA's -cpu comes after run-arm64.sh's own: QEMU takes the last -cpu.

# shellcheck disable=SC2317 # (called through stamped)
qemu_bare() {	# qemu_bare TIMEOUT (console to $FIFO)
	timeout -k 5 "$1" qemu-system-aarch64 -M virt,gic-version=3 -cpu "$CPU" -smp 2 -m 512 \
		-accel tcg,thread=multi -nographic -no-reboot \
		-kernel "$boot_files/linux.img" -initrd "$boot_files/initrd.img" \
		-dtb "$boot_files/linux.dtb" -append "$append" </dev/null >"$FIFO" 2>&1
}

# The fair baseline (doc/bench.md, session 8): the same kernel, initramfs and
# DTB booted through the same U-Boot and virtio disk as the hypervisor, at EL1
# (virtualization off, as qemu_bare), 2 CPUs, 512 MiB.
# shellcheck disable=SC2317 # (called through stamped)
qemu_bare_uboot() {	# qemu_bare_uboot TIMEOUT (console to $FIFO)
	SMP=2 MEM=512 VIRT=off TIMEOUT=$1 LOG="$FIFO" RUN_QUIET=1 NO_BUILD=1 \
		QEMU_EXTRA="-cpu $CPU" BOOT_CMD=configs/arm64/boot-linux.cmd \
		EXTRA_FILES="$boot_files/linux.img:$boot_files/initrd.img:$boot_files/linux.dtb" \
		DISK="$OUT/linux-bare-uboot.disk.img" ENV="$OUT/linux-bare-uboot.env.img" \
		scripts/run-arm64.sh
	local rc=$?
	rm -f "$OUT/linux-bare-uboot.disk.img" "$OUT/linux-bare-uboot.env.img"
	return "$rc"
}

check_boot() {	# check_boot LOG: the run reached init and every job passed
	[ "$RC" -eq 0 ] || fail "QEMU exit status $RC" "$1"
	[ -n "$(at "$1" "$INIT_RE")" ] || fail "no init marker" "$1"
	[ -n "$(at "$1" "$DONE_RE")" ] || fail "the guest's jobs did not all pass" "$1"
}

# stage2_faults LOG: "4k block" of the Linux VM's destroy line (hyp/vm/vm_charge.c)
stage2_faults() {
	sed -nE 's/.*vm0 \(linux\): stage-2 faults: ([0-9]+) 4K, ([0-9]+) block;.*/\1 \2/p' "$1" | tail -1
}

# BENCH_STAGE2_ONLY=1: one boot under the hypervisor, the stage-2 fault count only.
if [ "${BENCH_STAGE2_ONLY:-0}" = 1 ]; then
	log=$OUT/linux-boot-hyp-stage2.log
	stamped "$log" qemu_hyp linux-boot-hyp 2 configs/vms/linux-bench.dts "$boot_files" "$TIMEOUT"
	check_boot "$log"
	read -r f4 fb <<<"$(stage2_faults "$log")"
	[ -n "${fb:-}" ] || fail "no stage-2 fault count at destroy" "$log"
	echo "linux_boot_stage2_faults: $((f4 + fb)) faults"
	echo "linux_boot_stage2_faults_4k: $f4 faults"
	echo "linux_boot_stage2_faults_block: $fb faults"
	exit 0
fi

# --- 1. boot to init ------------------------------------------------------------
# The CPU hog: one busy-loop shell at nice 0 (the default), by its PID only.
HOG_PID=
hog_start() {
	bash -c 'while :; do :; done' </dev/null >/dev/null 2>&1 &
	HOG_PID=$!
	say "  CPU hog started (pid $HOG_PID)"
}
hog_stop() {
	[ -n "$HOG_PID" ] || return 0
	kill "$HOG_PID" 2>/dev/null
	wait "$HOG_PID" 2>/dev/null
	say "  CPU hog stopped (pid $HOG_PID)"
	HOG_PID=
}
trap 'hog_stop' EXIT
trap 'exit 130' INT TERM
HOG_RUNS=${BENCH_HOG_RUNS:-$RUNS}
hyp_hog=() bare_hog=() lin_hog=()
# hog_pair I: one hyp and one bare boot with the hog running.
hog_pair() {
	local log t_vm t_init
	hog_start
	log=$OUT/linux-boot-hyp-hog-$1.log
	say "boot $1/$HOG_RUNS under the hypervisor, CPU hog beside it"
	stamped "$log" qemu_hyp linux-boot-hyp 2 configs/vms/linux-bench.dts "$boot_files" "$TIMEOUT"
	check_boot "$log"
	t_vm=$(at "$log" 'vm0 \(linux\): vcpu0 starts on')
	t_init=$(at "$log" "$INIT_RE")
	[ -n "$t_vm" ] || fail "a boot marker is missing" "$log"
	hyp_hog+=("$t_init") lin_hog+=("$(sub "$t_init" "$t_vm")")
	say "  init at ${t_init}s (vm0 started ${t_vm}s)"
	log=$OUT/linux-boot-bare-hog-$1.log
	say "boot $1/$HOG_RUNS on bare QEMU, CPU hog beside it"
	stamped "$log" qemu_bare "$TIMEOUT"
	check_boot "$log"
	bare_hog+=("$(at "$log" "$INIT_RE")")
	say "  init at ${bare_hog[-1]}s"
	hog_stop
}
bare_ub=() hyp=() bare=() s2f=() s2f4=() s2fb=() qemu_ub=() uboot=() load=() setup=() prevm=() lin=() noub=() qemu_k=()
for ((i = 1; i <= RUNS || i <= HOG_RUNS; i++)); do
	if ((i > RUNS)); then
		hog_pair "$i"
		continue
	fi
	log=$OUT/linux-boot-hyp-$i.log
	say "boot $i/$RUNS under the hypervisor"
	stamped "$log" qemu_hyp linux-boot-hyp 2 configs/vms/linux-bench.dts "$boot_files" "$TIMEOUT"
	check_boot "$log"
	t_ub=$(at "$log" '^U-Boot 20')
	t_scr=$(at "$log" '^hyp: boot\.scr on')
	t_booti=$(at "$log" '^hyp: booti ')
	t_vm=$(at "$log" 'vm0 \(linux\): vcpu0 starts on')
	t_init=$(at "$log" "$INIT_RE")
	if [ -z "$t_ub" ] || [ -z "$t_scr" ] || [ -z "$t_booti" ] || [ -z "$t_vm" ]; then
		fail "a boot marker is missing" "$log"
	fi
	hyp+=("$t_init") qemu_ub+=("$t_ub") uboot+=("$t_booti") load+=("$(sub "$t_booti" "$t_scr")")
	setup+=("$(sub "$t_vm" "$t_booti")") prevm+=("$t_vm") lin+=("$(sub "$t_init" "$t_vm")")
	noub+=("$(sub "$t_init" "$t_booti")")
	read -r f4 fb <<<"$(stage2_faults "$log")"
	[ -n "${fb:-}" ] || fail "no stage-2 fault count at destroy" "$log"
	s2f+=("$((f4 + fb))") s2f4+=("$f4") s2fb+=("$fb")
	say "  init at ${t_init}s (U-Boot banner ${t_ub}s, booti ${t_booti}s, vm0 started ${t_vm}s)"

	log=$OUT/linux-boot-bare-$i.log
	say "boot $i/$RUNS on bare QEMU"
	stamped "$log" qemu_bare "$TIMEOUT"
	check_boot "$log"
	t_k=$(at "$log" 'Booting Linux on physical CPU')
	[ -n "$t_k" ] || fail "no 'Booting Linux' line" "$log"
	bare+=("$(at "$log" "$INIT_RE")") qemu_k+=("$t_k")
	say "  init at ${bare[-1]}s (kernel's first line ${t_k}s)"
	log=$OUT/linux-boot-bare-uboot-$i.log
	say "boot $i/$RUNS on bare QEMU through U-Boot"
	stamped "$log" qemu_bare_uboot "$TIMEOUT"
	check_boot "$log"
	bare_ub+=("$(at "$log" "$INIT_RE")")
	say "  init at ${bare_ub[-1]}s"
	((i <= HOG_RUNS)) && hog_pair "$i"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
minimum() { printf '%s\n' "$@" | sort -n | awk 'NR == 1 { printf "%.2f", $1 }'; }
m_hyp=$(median "${hyp[@]}")
m_bare=$(median "${bare[@]}")
m_lin=$(median "${lin[@]}")
m_noub=$(median "${noub[@]}")
echo "linux_boot_to_init_hyp: $m_hyp s"
echo "linux_boot_to_init_bare: $m_bare s"
echo "linux_boot_to_init_ratio: $(ratio "$m_hyp" "$m_bare") x"
echo "linux_boot_to_init_hyp_min: $(minimum "${hyp[@]}") s"
echo "linux_boot_to_init_bare_min: $(minimum "${bare[@]}") s"
echo "linux_boot_to_init_ratio_min: $(ratio "$(minimum "${hyp[@]}")" "$(minimum "${bare[@]}")") x"
echo "linux_boot_hyp_qemu_to_uboot: $(median "${qemu_ub[@]}") s"
echo "linux_boot_hyp_uboot: $(median "${uboot[@]}") s"
echo "linux_boot_hyp_uboot_load: $(median "${load[@]}") s"
echo "linux_boot_hyp_setup: $(median "${setup[@]}") s"
echo "linux_boot_hyp_before_vm: $(median "${prevm[@]}") s"
echo "linux_boot_hyp_linux: $m_lin s"
echo "linux_boot_bare_qemu_to_kernel: $(median "${qemu_k[@]}") s"
echo "linux_boot_linux_ratio: $(ratio "$m_lin" "$m_bare") x"
echo "linux_boot_to_init_hyp_after_uboot: $m_noub s"
echo "linux_boot_to_init_ratio_after_uboot: $(ratio "$m_noub" "$m_bare") x"
echo "linux_boot_to_init_ratio_idle: $(ratio "$m_hyp" "$m_bare") x"
m_bare_ub=$(median "${bare_ub[@]}")
echo "linux_boot_to_init_bare_uboot: $m_bare_ub s"
echo "linux_boot_to_init_ratio_uboot: $(ratio "$m_hyp" "$m_bare_ub") x"
if ((HOG_RUNS > 0)); then
	m_hyp_hog=$(median "${hyp_hog[@]}")
	m_bare_hog=$(median "${bare_hog[@]}")
	echo "linux_boot_to_init_hyp_hog: $m_hyp_hog s"
	echo "linux_boot_to_init_bare_hog: $m_bare_hog s"
	echo "linux_boot_to_init_ratio_hog: $(ratio "$m_hyp_hog" "$m_bare_hog") x"
	echo "linux_boot_hyp_linux_hog: $(median "${lin_hog[@]}") s"
fi
echo "linux_boot_stage2_faults: $(median "${s2f[@]}" | awk '{ printf "%.0f", $1 }') faults"
echo "linux_boot_stage2_faults_4k: $(median "${s2f4[@]}" | awk '{ printf "%.0f", $1 }') faults"
echo "linux_boot_stage2_faults_block: $(median "${s2fb[@]}" | awk '{ printf "%.0f", $1 }') faults"

if [ "${BENCH_BOOT_ONLY:-0}" = 1 ]; then
	say "host load average (1, 5, 15 min) at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
	[ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$boot_files" "$verif_files"
	exit 0
fi

# --- 2. verifier throughput, churn off and on, alternating --------------------------
vtimeout=$((TIMEOUT + 2 * VSECS))
off=() on=() c_pages=()
declare -A c_ops	# per operation: its "done" count of each churn-on run, space-separated
for ((i = 1; i <= VRUNS; i++)); do
	for churn in off on; do
		log=$OUT/linux-verifier-churn-$churn-$i.log
		cfg=configs/vms/linux-bench.dts
		[ $churn = on ] && cfg=configs/vms/linux-churn.dts
		say "verifier:$VSECS:64 $i/$VRUNS, churn $churn ($cfg)"
		stamped "$log" qemu_hyp linux-verifier 4 "$cfg" "$verif_files" "$vtimeout"
		check_boot "$log"
		writes=$(sed -nE 's/^[^ ]+ (\[linux\] )?verifier: PASS ([0-9]+) writes.*/\2/p' "$log" | head -1)
		[ -n "$writes" ] || fail "no verifier PASS line" "$log"
		wps=$(awk -v w="$writes" -v s="$VSECS" 'BEGIN { printf "%.0f", w / s }')
		say "  $writes writes in ${VSECS}s: $wps writes/s"
		if [ $churn = off ]; then
			off+=("$wps")
			continue
		fi
		on+=("$wps")
		# "...: N pages migrated; migrate d/t compact d/t split d/t reclaim d/t dirty d/t move d/t"
		line=$(grep -Eo 'vm0 \(linux\): churn at destroy: [0-9]+ pages migrated; .*' "$log" | tail -1)
		[ -n "$line" ] || fail "no churn report at destroy" "$log"
		say "  churn: ${line#*churn at destroy: }"
		c_pages+=("$(sed -E 's/.*: ([0-9]+) pages migrated.*/\1/' <<<"$line")")
		for op in migrate compact split reclaim dirty move; do
			c_ops[$op]+=" $(sed -E "s/.* $op ([0-9]+)\/([0-9]+).*/\\1/" <<<"$line")"
		done
	done
done
imedian() { median "$@" | awk '{ printf "%.0f", $1 }'; }
m_off=$(imedian "${off[@]}")
m_on=$(imedian "${on[@]}")
echo "linux_verifier_churn_off: $m_off writes/s"
echo "linux_verifier_churn_on: $m_on writes/s"
echo "linux_verifier_churn_ratio: $(awk -v a="$m_on" -v b="$m_off" 'BEGIN { printf "%.4f", a / b }') x"
echo "linux_verifier_churn_pages_migrated: $(imedian "${c_pages[@]}") pages"
for op in migrate compact split reclaim dirty move; do
	# shellcheck disable=SC2086 # (split on purpose)
	echo "linux_verifier_churn_$op: $(imedian ${c_ops[$op]}) ops"
done
say "host load average (1, 5, 15 min) at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
[ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$boot_files" "$verif_files"
exit 0
