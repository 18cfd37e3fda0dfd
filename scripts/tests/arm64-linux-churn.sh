#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Churn under Linux (doc/churn.md, doc/linux-guests.md): the minimal Linux
# kernel as a 3-vCPU VM (CPUs 0-2, guest DTB configs/guests/linux-3cpu.dts)
# runs hyptest's unmapread, migrate and movesrc phases for 12 s, its overlap
# phase for 20 s (hypdev.ko: UNMAP a page a thread keeps reading, MIGRATE
# pages two threads keep writing, MOVE a page a thread reads while another
# MAPs it anew; two threads UNMAP the same range while a third reads it: it
# needs ~20 rounds to show skip-cleared) and then the verifier for 20 s over
# 64 MiB, while CPU 3 churns the VM's memory
# (configs/vms/linux-churn-3.dts).
# Pass: hyptest and verifier PASS (zero errors), Linux clean, a minimum
# of churn done (from "churn at destroy": page migrations, chunk moves away
# and back, table reclaims), no page leaked.
# INJECT=<switch>[,<switch>] (doc/validation.md): the same run with that
# fault-injection switch on (hyp.inject=<switch> in the boot arguments of
# the validation build, make ARCH=arm64 VALIDATION=1 into
# build/arm64-validation, built once for every switch); the test must then FAIL.
ARM64_TEST_TIMEOUT=${ARM64_TEST_TIMEOUT:-280}
source "$(dirname "$0")/../arm64-testlib.sh"

name=arm64-linux-churn
extra=()
if [ -n "${INJECT:-}" ]; then
	name=arm64-linux-churn-$INJECT
	ib=build/arm64-validation
	make -s --no-print-directory ARCH=arm64 VALIDATION=1 BUILD="$ib" ||
		{ echo "FAIL $name: build failed"; exit 1; }
	extra=(BUILD="$ib" BOOTARGS="hyp.panic=poweroff hyp.inject=$INJECT")
	# Time to catch: the first hyptest/verifier FAIL (or panic) line; the
	# run is then stopped 2 s later (its QEMU, found by its disk image),
	# unless LINUX_INJECT_FULL=1.
	( t0=$SECONDS; log=build/test/$name.console.log; : >"$log.ttc"
	  while sleep 1; do
		[ $((SECONDS - t0)) -gt $((ARM64_TEST_TIMEOUT + 30)) ] && break
		if grep -Eq 'verifier: FAIL|hyptest: FAIL|HYPERVISOR PANIC|Kernel panic|Unable to handle' "$log" 2>/dev/null; then
			echo $((SECONDS - t0)) >"$log.ttc"
			[ "${LINUX_INJECT_FULL:-0}" = 1 ] && break
			sleep 2
			pkill -f "qemu-system-aarch64.*build/test/$name.disk.img"
			break
		fi
	  done ) &
	watcher=$!
fi
LINUX_GUEST_DTS=linux-3cpu linux_vm_boot "$name" min \
	hypdev,hyptest:12:2:unmapread+migrate+movesrc,hyptest:20:2:overlap,verifier:20:64 \
	"${LINUX_CHURN_VMCFG:-configs/vms/linux-churn-3.dts}" "${extra[@]}"
[ -n "${watcher:-}" ] && { sleep 1; kill "$watcher" 2>/dev/null; }
expect 'vm0 \(linux\): churn on cpu3' "churn started on CPU 3"
expect_linux_vm_ok 3
expect '^(\[linux\] )?hyptest: hypervisor interface 1, vm0 of 1 \(memory churned by the hypervisor\)' "hyptest sees churn on"
L='^(\[linux\] )?hyptest: '
expect "${L}unmapread: [1-9][0-9]* rounds" "hyptest: unmapread rounds done"
expect "${L}migrate: [1-9][0-9]* calls [1-9][0-9]* pages" "hyptest: page migrations done"
expect "${L}overlap: [1-9][0-9]* rounds" "hyptest: overlapping-unmap rounds done"
expect "${L}movesrc: [1-9][0-9]* rounds" "hyptest: move-source rounds done"
expect "${L}PASS invalidations \\+[1-9]" "hyptest PASS"
expect '^(\[linux\] )?verifier: start 64 MiB' "verifier started"
expect '^(\[linux\] )?verifier: PASS [1-9][0-9]* writes' "verifier PASS"
expect '^(\[linux\] )?linux-guest: verifier exit 0' "verifier exit 0"
line=$(grep -Eo 'vm0 \(linux\): churn at destroy: [0-9]+ pages migrated; .*' "$LOG" | tail -1)
if [ -z "$line" ]; then
	FAILS+=("no churn report at destroy")
else
	n() { sed -E "s/.* $1 ([0-9]+)\/([0-9]+).*/\\$2/" <<<"$line"; }
	echo "churn: ${line#*churn at destroy: }"
	[ "$(n migrate 1)" -ge 300 ] || FAILS+=("only $(n migrate 1) page migrations (want >= 300)")
	[ "$(n move 1)" -ge 20 ] || FAILS+=("only $(n move 1) chunk moves (want >= 20)")
	[ "$(n reclaim 1)" -ge 20 ] || FAILS+=("only $(n reclaim 1) table reclaims (want >= 20)")
fi
if [ -n "${INJECT:-}" ]; then
	expect "validation build: fault injection hyp.inject=$INJECT\$" "switch $INJECT on (banner)"
	echo "$name: time to catch: $(cat "$LOG.ttc" 2>/dev/null)s after QEMU start (empty: no FAIL line)"
fi
finish
