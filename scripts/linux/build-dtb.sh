#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# configs/guests/NAME.dts (default linux) -> build/linux/NAME.dtb with dtc;
# any dtc warning fails the build. Prints the DTB's path on stdout.
#   build-dtb.sh [NAME]
set -euo pipefail
. "$(dirname "$0")/common.sh"

command -v dtc >/dev/null || die "dtc missing: run scripts/deps.sh"
name=${1:-linux}
src=$LINUX_ROOT/configs/guests/$name.dts
out=$LINUX_OUT/$name.dtb
[ -f "$src" ] || die "no guest device tree $src"
# Rebuilt when it or any .dts/.dtsi it may include is newer.
if [ ! -f "$out" ] || [ -n "$(find "$LINUX_ROOT/configs/guests" -name '*.dts*' -newer "$out")" ]; then
	warn=$(dtc -I dts -O dtb -i "$LINUX_ROOT/configs/guests" -o "$out.tmp" "$src" 2>&1) || { echo "$warn" >&2; die "dtc failed"; }
	[ -z "$warn" ] || { echo "$warn" >&2; rm -f "$out.tmp"; die "dtc warnings in $src"; }
	mv "$out.tmp" "$out"
fi
echo "$out"
