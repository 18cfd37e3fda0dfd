#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make linux`: every Linux guest artifact under build/linux (each step cached):
# Debian's kernel + busybox, the minimal kernel, both initramfs images, the
# guest DTB. Prints "name: path" lines.
set -euo pipefail
d=$(dirname "$0")
echo "debian-kernel: $("$d/fetch-debian-kernel.sh" --print image)"
echo "min-kernel: $("$d/build-min-kernel.sh")"
echo "initrd-debian: $("$d/mkinitramfs.sh" debian)"
echo "initrd-min: $("$d/mkinitramfs.sh" min)"
echo "dtb: $("$d/build-dtb.sh")"
