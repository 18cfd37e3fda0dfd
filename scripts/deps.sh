#!/usr/bin/env bash
# Install the Debian packages the build and the tests need, and say what is
# installed. Idempotent and quiet when everything is present. As root it runs
# apt-get; otherwise it uses sudo if that works without a password; else it
# stops with the exact command to run.
#
# Usage: deps.sh            every package any target of the Makefile needs
#        deps.sh PKG...     only these (make fresh-check: debootstrap on the host)
set -euo pipefail

PKGS=(
	make gcc libc6-dev			# host build, host tests
	gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
	libc6-dev-arm64-cross			# aarch64 C library: guest-linux userspace (verifier, hyptest)
	qemu-system-arm qemu-system-x86		# emulators
	u-boot-qemu u-boot-tools		# firmware + mkimage (boot.scr)
	device-tree-compiler			# dtc: DTBs, VM configs
	sparse					# make check
	mtools dosfstools			# FAT boot disk without root
	bochs bochsbios vgabios			# VMX/EPT emulator
	grub-pc-bin grub-common xorriso		# GRUB rescue ISO for bochs
	valgrind				# make bench (instruction counts)
	debootstrap				# make fresh-check (a fresh Debian 12 root)
	gdb-multiarch				# make debug
	cpio					# initramfs (Linux guests)
	e2fsprogs				# mkfs.ext2 -d, debugfs: the passed-through disk
	procps					# pgrep/pkill/ps in the test scripts (came only as a dependency of others)
	linux-source flex bison bc xz-utils	# minimal Linux guest kernel (scripts/linux)
)

[ $# -gt 0 ] && PKGS=("$@")

missing=()
for p in "${PKGS[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed'; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

cmd=(apt-get install -y --no-install-recommends "${missing[@]}")
echo "deps: installing missing Debian packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
	SUDO=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
	SUDO=(sudo -n)
else
	echo "deps: cannot install as $(id -un) (no root, no password-less sudo). Run:" >&2
	echo "  sudo apt-get update && sudo ${cmd[*]}" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" "${cmd[@]}" -qq >/dev/null
echo "deps: done"
