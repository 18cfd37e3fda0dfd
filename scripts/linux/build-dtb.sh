#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# configs/guests/linux.dts -> build/linux/linux.dtb with dtc; any dtc warning
# fails the build. Prints the DTB's path on stdout.
set -euo pipefail
. "$(dirname "$0")/common.sh"

command -v dtc >/dev/null || die "dtc missing: run scripts/deps.sh"
src=$LINUX_ROOT/configs/guests/linux.dts
out=$LINUX_OUT/linux.dtb
if [ ! -f "$out" ] || [ "$src" -nt "$out" ]; then
	warn=$(dtc -I dts -O dtb -o "$out.tmp" "$src" 2>&1) || { echo "$warn" >&2; die "dtc failed"; }
	[ -z "$warn" ] || { echo "$warn" >&2; rm -f "$out.tmp"; die "dtc warnings in $src"; }
	mv "$out.tmp" "$out"
fi
echo "$out"
