#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the minimal arm64 Linux guest kernel from Debian's linux-source
# (installed by scripts/deps.sh) with `tinyconfig` + configs/linux/min.config:
#
#   build/linux/min-<key>/Image     the kernel
#   build/linux/min-<key>/build/    the kernel build tree (O=): out-of-tree
#                                   modules are built against it
#                                   (make -C build/linux/min-<key>/build M=...)
#
# key = hash of (configs/linux/min.config, the linux-source package version,
# this script, the cross compiler's version). A complete directory is reused as
# is; an interrupted build resumes in the same directory. The source tarball is
# unpacked once per package version into build/linux/src-<version>/.
#
# Usage: build-min-kernel.sh [--print image|build]   (default: image path on stdout)
set -euo pipefail
. "$(dirname "$0")/common.sh"

PRINT=image
case "${1:-}" in
"") ;;
--print) PRINT=${2:?--print needs image or build} ;;
*) die "usage: $0 [--print image|build]" ;;
esac

FRAG=$LINUX_ROOT/configs/linux/min.config
CROSS=aarch64-linux-gnu-
JOBS=${JOBS:-3}
command -v ${CROSS}gcc >/dev/null || die "${CROSS}gcc missing: run scripts/deps.sh"
for t in flex bison bc xz; do
	command -v $t >/dev/null || die "$t missing: run scripts/deps.sh"
done

# The installed linux-source-X.Y package and its tarball.
srcpkg=$(dpkg-query -W -f='${Package} ${Status}\n' 'linux-source-[0-9]*' 2>/dev/null |
	awk '$NF == "installed" { print $1 }' | sort -V | tail -n1)
[ -n "$srcpkg" ] || die "no linux-source-X.Y package installed: run scripts/deps.sh"
srcver=$(dpkg-query -W -f='${Version}' "$srcpkg")
tarball=/usr/src/$srcpkg.tar.xz
[ -f "$tarball" ] || die "$tarball missing (package $srcpkg $srcver is installed: reinstall it)"

key=$( { cat "$FRAG" "$0"; echo "$srcpkg $srcver"; ${CROSS}gcc --version | head -n1; } |
	sha256sum | cut -c1-12)
out=$LINUX_OUT/min-$key
obj=$out/build

print() {
	case $PRINT in
	image) echo "$out/Image" ;;
	build) echo "$obj" ;;
	*) die "--print: image or build" ;;
	esac
}
if [ -f "$out/.complete" ]; then
	print
	exit 0
fi

src=$LINUX_OUT/src-${srcver//:/_}/$srcpkg
if [ ! -f "$src/Makefile" ]; then
	say "unpacking $tarball ($srcpkg $srcver)"
	rm -rf "$LINUX_OUT/src-${srcver//:/_}" "$LINUX_OUT/.src-tmp"
	mkdir -p "$LINUX_OUT/.src-tmp"
	tar -C "$LINUX_OUT/.src-tmp" -xf "$tarball"
	[ -f "$LINUX_OUT/.src-tmp/$srcpkg/Makefile" ] || die "$tarball has no $srcpkg/Makefile"
	mv "$LINUX_OUT/.src-tmp" "$LINUX_OUT/src-${srcver//:/_}"
fi

mkdir -p "$obj"
log=$out/build.log
kmake() { make -C "$src" O="$obj" ARCH=arm64 CROSS_COMPILE=$CROSS "$@"; }
t0=$SECONDS
say "building the minimal kernel ($srcpkg $srcver, key $key, -j$JOBS; log: $log)"
if ! {
	kmake tinyconfig &&
		"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$FRAG" &&
		kmake olddefconfig
} >"$log" 2>&1; then
	tail -n 40 "$log" >&2
	die "configuring the kernel failed (log: $log)"
fi

# Every option of the fragment must have survived Kconfig's dependency rules.
bad=0
while IFS= read -r line; do
	case $line in CONFIG_*=*) ;; *) continue ;; esac
	grep -qx -- "$line" "$obj/.config" || {
		say "config fragment: '$line' not in the final .config (dependency missing?)"
		bad=1
	}
done <"$FRAG"
[ $bad -eq 0 ] || die "configs/linux/min.config does not apply to $srcpkg $srcver"

if ! kmake -j"$JOBS" Image modules >>"$log" 2>&1; then
	tail -n 40 "$log" >&2
	die "building the kernel failed (log: $log)"
fi
cp "$obj/arch/arm64/boot/Image" "$out/Image"
echo "$srcpkg $srcver $((SECONDS - t0)) s" >"$out/.complete"
say "built $out/Image ($(stat -c %s "$out/Image") bytes) in $((SECONDS - t0)) s"
print
