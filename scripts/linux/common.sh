# SPDX-License-Identifier: GPL-2.0
# Shared by scripts/linux/*.sh (sourced, not run): paths, messages, root/apt helpers.

LINUX_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LINUX_OUT=$LINUX_ROOT/build/linux
mkdir -p "$LINUX_OUT"

say() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { printf '%s: error: %s\n' "${0##*/}" "$*" >&2; exit 1; }

# As root: nothing; else password-less sudo; else stop with the command to run.
as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
		sudo -n "$@"
	else
		die "need root for: $* (run it as root, then rerun this script)"
	fi
}

# apt takes a lock; other jobs (deps.sh, other users) may hold it: wait for it.
apt_root() {
	local i
	for i in $(seq 1 60); do
		if as_root env DEBIAN_FRONTEND=noninteractive apt-get \
			-o DPkg::Lock::Timeout=60 -q "$@" >&2; then
			return 0
		fi
		# Only retry while some other apt/dpkg holds a lock.
		pgrep -x 'apt-get|apt|dpkg' >/dev/null || return 1
		say "apt busy, retrying ($i)"
		sleep 5
	done
	return 1
}

# sha256 of files and strings, short.
key_of() { sha256sum "$@" | sha256sum | cut -c1-12; }
