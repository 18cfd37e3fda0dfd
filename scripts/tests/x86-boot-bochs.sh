#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# x86 boot under bochs 2.7 (corei7_skylake_x: VMX + EPT) from a GRUB rescue
# ISO, 4 CPUs. Pass iff the banner reports VMX with EPT, VPID and INVEPT
# single/all-context, all CPUs print, and the hypervisor shuts bochs down
# ("Shutdown" port; bochs' exit status is always 1, so the bochs log's
# shutdown message and the serial log are what count).
set -u
cd "$(dirname "$0")/../.."
NCPUS=4
# Not x86-boot-bochs.log: scripts/test.sh keeps this script's own output there.
log=build/test/x86-boot-bochs.serial.log
blog=build/test/x86-boot-bochs.serial-bochs.log
mkdir -p build/test
fail() {
	echo "--- $log ---"
	cat "$log"
	echo "--- end of $log ---"
	[ -f "$blog" ] && { echo "--- bochs log (errors) ---"; grep -v '^[0-9]*i\[' "$blog" | tail -40; }
	echo "x86-boot-bochs: FAIL: $*"
	exit 1
}

make --no-print-directory -s ARCH=x86 >"$log" 2>&1 || fail "build failed"
start=$(date +%s%N)
scripts/run-x86-bochs.sh -c $NCPUS -m corei7_skylake_x -t 90 -o "$log" >/dev/null 2>&1
status=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))

[ $status -eq 124 ] && fail "timeout (90 s)"
[ -f "$log" ] || fail "no serial log"
grep -q 'VMX: .*EPT yes, VPID yes' "$log" || fail "banner does not report VMX with EPT and VPID"
grep -q 'INVEPT yes: single-context yes, all-context yes' "$log" ||
	fail "banner does not report INVEPT single- and all-context"
cpu=0
while [ $cpu -lt $NCPUS ]; do
	grep -q "^\[cpu$cpu\]" "$log" || fail "CPU$cpu never printed"
	cpu=$((cpu + 1))
done
grep -q "all $NCPUS cpus online" "$log" || fail "no 'all $NCPUS cpus online' from the core"
grep -q 'unexpected exception\|PANIC' "$log" && fail "exception or panic"
grep -q 'Shutdown port: shutdown requested' "$blog" || fail "no shutdown through port 0x8900"
echo "x86-boot-bochs: PASS ($NCPUS CPUs, ${ms} ms)"
