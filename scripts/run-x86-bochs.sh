#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Boot build/x86/hyp.elf under bochs 2.7 (default CPU model: VMX + EPT) from a GRUB
# rescue ISO, headless. The serial console goes to a file (bochs has no
# stdio serial here), printed when bochs exits.
#   scripts/run-x86-bochs.sh [-c CPUS] [-m CPU_MODEL] [-t TIMEOUT_S] [-o SERIAL_LOG] [-a CMDLINE]
# CPU_MODEL: corei7_skylake_x (default, VMX + EPT) or e.g. ryzen (SVM + NPT).
# Exit status: bochs' own (always 1 after "Shutdown"; judge by the log),
# 124 on timeout.
set -eu
cd "$(dirname "$0")/.."
cpus=2
model=corei7_skylake_x
tmo=90
serial=build/test/x86-bochs-serial.log
cmdline=
vmcfg=
while getopts c:m:t:o:a:g: opt; do
	case $opt in
	c) cpus=$OPTARG ;;
	m) model=$OPTARG ;;
	t) tmo=$OPTARG ;;
	o) serial=$OPTARG ;;
	a) cmdline=$OPTARG ;;
	g) vmcfg=$OPTARG ;;
	*) echo "usage: $0 [-c CPUS] [-m CPU_MODEL] [-t TIMEOUT_S] [-o SERIAL_LOG] [-a CMDLINE] [-g VMCONFIG]" >&2; exit 2 ;;
	esac
done

make --no-print-directory -s ARCH=x86 >&2
mkdir -p build/test "$(dirname "$serial")"
MODULES=
if [ -n "$vmcfg" ]; then
	dtb=build/x86/vms-x86/$vmcfg.dtb
	[ -f "$dtb" ] || { echo "$0: no $dtb (configs/vms-x86/$vmcfg.dts)" >&2; exit 2; }
	MODULES="$dtb vms.dtb"
	for f in $(dtc -q -I dtb -O dts "$dtb" | sed -n 's/.*file = "\(.*\)";.*/\1/p' | sort -u); do
		# BASE.N.EXT: another copy of build/x86/BASE.EXT (VMs must not share a module)
		src=build/x86/$(echo "$f" | sed 's/\.[0-9][0-9]*\(\.[^.]*\)$/\1/')
		[ -f "$src" ] || { echo "$0: kernel file $src missing" >&2; exit 2; }
		MODULES="$MODULES $src $f"
	done
fi
MODULES=$MODULES scripts/mkiso-x86.sh build/x86/hyp.elf build/x86/hyp.iso "$cmdline" >/dev/null
log=${serial%.log}-bochs.log
rc=build/x86/bochsrc
sed -e "s|@ISO@|$PWD/build/x86/hyp.iso|" -e "s|@SERIAL@|$PWD/$serial|" \
    -e "s|@LOG@|$PWD/$log|" -e "s|@CPUS@|$cpus|" -e "s|@MODEL@|$model|" configs/x86/bochsrc.in > "$rc"
# The bochs debugger build stops at its prompt first: "c" continues.
echo c > build/x86/bochs-cont.rc
rm -f "$serial"
set +e
timeout --foreground -k 5 "$tmo" bochs -q -f "$rc" -rc build/x86/bochs-cont.rc \
	</dev/null >"${serial%.log}-bochs-stdout.log" 2>&1
status=$?
set -e
[ -f "$serial" ] && cat "$serial"
exit $status
