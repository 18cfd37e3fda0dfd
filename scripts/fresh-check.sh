#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make fresh-check: prove the README's two commands on a fresh Debian 12
# machine. Creates a minimal Debian 12 root with debootstrap (from the mirror
# apt already uses here), copies this tree into it (without build/), and
# inside it with chroot runs, as a new user would:
#
#   1. make test   in full; its last line must be "N passed, 0 failed"
#   2. make run    driven as a person would, through a terminal (a pty made
#                  by script(1)): wait for the Linux shell, type a command,
#                  read its answer, power the Linux VM off, quit QEMU (Ctrl-A x)
#
# The root starts with Debian's minbase variant plus `make` (the one package
# the README asks a user to have); everything else must come from the
# project's own set-up (scripts/deps.sh, the Debian archive). Nothing is
# cached across runs: the root is made anew each time; within one run,
# `make run` reuses what `make test` built inside the root.
#
# Needs root (debootstrap, mount, chroot). Output: each step's log streams to
# stdout; the last line is "fresh-check: PASS ..." or "fresh-check: FAIL ...".
#
# Env: FRESH=dir (default build/fresh), FRESH_STEPS=test,run (a subset for
#      development), FRESH_MIRROR=url (default: apt's own), FRESH_KEEP=1
#      (keep the root afterwards; it is always unmounted),
#      FRESH_RUN_TIMEOUT=s (default 900: the driven make run, boot included)
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$PWD
FRESH=${FRESH:-$SRC/build/fresh}
ROOT=$FRESH/root
STEPS=${FRESH_STEPS:-test,run}
RUN_TIMEOUT=${FRESH_RUN_TIMEOUT:-900}
T0=$SECONDS

say() { printf 'fresh-check: %s\n' "$*"; }
fail() {
	printf 'fresh-check: FAIL: %s\n' "$*"
	exit 1
}

[ "$(id -u)" -eq 0 ] ||
	fail "needs root for debootstrap, mount and chroot (run: sudo make fresh-check)"
scripts/deps.sh debootstrap

# The first Debian mirror apt uses for bookworm (deb822 .sources, then
# one-line .list files).
apt_mirror() {
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk 'BEGIN { RS = ""; FS = "\n" }
		{
			uri = ""; ok = 0; deb = 0
			for (i = 1; i <= NF; i++) {
				if ($i ~ /^URIs:/) { split($i, a, /[ \t]+/); uri = a[2] }
				if ($i ~ /^Suites:/ && $i ~ /[ \t]bookworm([ \t]|$)/) ok = 1
				if ($i ~ /^Types:/ && $i ~ /[ \t]deb([ \t]|$)/) deb = 1
				if ($i ~ /^Enabled:[ \t]*no/) ok = 0
			}
			if (uri != "" && ok && deb) { print uri; exit }
		}' "$f"
	done | head -n1 | grep . && return 0
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		sed -n 's/^deb[ \t]\+\(\[[^]]*\][ \t]\+\)\?\([^ \t]\+\)[ \t]\+bookworm[ \t].*/\2/p' |
		head -n1 | grep . && return 0
	echo http://deb.debian.org/debian
}

# Unmount everything under the root, deepest first.
unmount_root() {
	local m
	for m in $(awk -v r="$ROOT/" 'index($2, r) == 1 { print $2 }' /proc/self/mounts | sort -r); do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
	done
	if awk -v r="$ROOT/" 'index($2, r) == 1 { found = 1 } END { exit !found }' /proc/self/mounts; then
		say "error: still mounted under $ROOT:"
		awk -v r="$ROOT/" 'index($2, r) == 1 { print "  " $2 }' /proc/self/mounts
		return 1
	fi
}

remove_root() {
	[ -d "$FRESH" ] || return 0
	unmount_root || fail "cannot unmount the old root under $ROOT; not removing it"
	rm -rf --one-file-system "$FRESH"
}

cleanup() {
	local rc=$?
	[ -n "${RUN_PID:-}" ] && kill "$RUN_PID" 2>/dev/null
	unmount_root || true
	if [ $rc -eq 0 ] && [ "${FRESH_KEEP:-0}" != 1 ]; then
		rm -rf --one-file-system "$FRESH"
	else
		say "the root is kept (unmounted) in $ROOT"
	fi
}

# in_root CMD: a login-like clean environment inside the root, in the tree.
in_root() {
	chroot "$ROOT" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		/bin/bash -c "cd /src/hyp && $1"
}

# ---- 1. the root
remove_root
mkdir -p "$FRESH"
MIRROR=${FRESH_MIRROR:-$(apt_mirror)}
say "debootstrap --variant=minbase --include=make bookworm from $MIRROR"
t=$SECONDS
debootstrap --variant=minbase --include=make bookworm "$ROOT" "$MIRROR" >"$FRESH/debootstrap.log" 2>&1 ||
	{ tail -n 30 "$FRESH/debootstrap.log"; fail "debootstrap failed (log above: $FRESH/debootstrap.log)"; }
say "root made in $((SECONDS - t)) s"
trap cleanup EXIT

# The machine's own apt sources (Debian's suites: bookworm, -updates,
# -security) and the Acquire:: settings it reaches them with, so that the
# root sees the same archive this machine does.
: >"$ROOT/etc/apt/sources.list"
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
	[ -s "$f" ] && cp "$f" "$ROOT$f"
done
for f in /etc/apt/apt.conf.d/*; do
	[ -f "$f" ] && grep -qiE '^[[:space:]]*Acquire::' "$f" && cp "$f" "$ROOT$f"
done
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"

mount -t proc proc "$ROOT/proc"
mount --rbind /sys "$ROOT/sys" && mount --make-rslave "$ROOT/sys"
mount --rbind /dev "$ROOT/dev" && mount --make-rslave "$ROOT/dev"

mkdir -p "$ROOT/src/hyp"
tar -C "$SRC" --exclude=./build -cf - . | tar -C "$ROOT/src/hyp" -xf -
say "tree copied to /src/hyp in the root ($(du -sh "$ROOT/src/hyp" | cut -f1))"

TEST_SUMMARY="not run"
RUN_SUMMARY="not run"

# ---- 2. make test, in full
if [[ ,$STEPS, == *,test,* ]]; then
	say "== make test (inside the fresh root)"
	t=$SECONDS
	set +e
	in_root 'make test' 2>&1 | tee "$FRESH/make-test.log"
	rc=${PIPESTATUS[0]}
	set -e
	TEST_SUMMARY=$(grep -aE '^[0-9]+ passed, [0-9]+ failed$' "$FRESH/make-test.log" | tail -n1)
	say "make test: exit $rc, '${TEST_SUMMARY:-no summary line}' in $((SECONDS - t)) s"
	[ $rc -eq 0 ] && [[ $TEST_SUMMARY == *" passed, 0 failed" ]] ||
		fail "make test in the fresh root: exit $rc, '${TEST_SUMMARY:-no summary line}'"
fi

# ---- 3. make run, driven through a terminal as a person would
# wait_for REGEX SECONDS: the run's output (CRs removed) matches, or fail.
RUNLOG=$FRESH/make-run.log
run_log_dump() {
	echo "---- make run's terminal output ($RUNLOG) ----"
	tr -d '\r' <"$RUNLOG"
	echo "---- end of make run's terminal output ----"
}
run_fail() {
	run_log_dump
	fail "make run in the fresh root: $*"
}
wait_for() {
	local re=$1 end=$((SECONDS + $2))
	while ((SECONDS < end)); do
		tr -d '\r' <"$RUNLOG" | grep -aEq -- "$re" && return 0
		kill -0 "$RUN_PID" 2>/dev/null || { tr -d '\r' <"$RUNLOG" | grep -aEq -- "$re" && return 0; return 2; }
		sleep 1
	done
	return 1
}
# type TEXT: one key at a time, at about a person's speed.
type_keys() {
	local s=$1 i
	for ((i = 0; i < ${#s}; i++)); do
		printf '%s' "${s:i:1}" >&4
		sleep 0.08
	done
}

# count REGEX: matching lines of the run's output so far.
count() { tr -d '\r' <"$RUNLOG" | grep -acE -- "$1" || true; }
# wait_more REGEX N SECONDS: more than N matching lines, or fail.
wait_more() {
	local end=$((SECONDS + $3))
	while ((SECONDS < end)); do
		[ "$(count "$1")" -gt "$2" ] && return 0
		kill -0 "$RUN_PID" 2>/dev/null || return 2
		sleep 1
	done
	return 1
}
# focus_keys: Ctrl-] three times, as README.md says.
focus_keys() {
	local i
	for i in 1 2 3; do
		printf '\035' >&4
		sleep 0.2
	done
}

if [[ ,$STEPS, == *,run,* ]]; then
	say "== make run (inside the fresh root, through a terminal)"
	# The README must show the two commands and the keys this check types.
	sed -n '/^```sh$/,/^```$/p' README.md | grep -q '^make run ' || fail "README.md's commands lack 'make run'"
	sed -n '/^```sh$/,/^```$/p' README.md | grep -q '^make test ' || fail "README.md's commands lack 'make test'"
	grep -q 'Ctrl-\] three' README.md || fail "README.md does not show the console's focus keys (Ctrl-] three times)"
	grep -q 'Ctrl-A X quits QEMU' README.md || fail "README.md does not show how to quit QEMU (Ctrl-A X)"
	t=$SECONDS
	fifo=$FRESH/run.keys
	rm -f "$fifo"
	mkfifo "$fifo"
	: >"$RUNLOG"
	# script(1) gives make run a terminal (QEMU puts it in raw mode, as on a
	# person's screen); the keys come from the fifo.
	script -qfec "chroot $ROOT /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=xterm \
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
/bin/bash -c 'cd /src/hyp && make run'" /dev/null <"$fifo" >"$RUNLOG" 2>&1 &
	RUN_PID=$!
	exec 4>"$fifo"
	deadline=$((SECONDS + RUN_TIMEOUT))
	left() { echo $((deadline - SECONDS > 0 ? deadline - SECONDS : 1)); }

	wait_for 'linux-guest: shell' "$(left)" ||
		run_fail "the Linux shell did not start within $RUN_TIMEOUT s"
	sleep 3
	answered=0
	for try in 1 2; do
		type_keys "echo typed-\$((6 * 7))-ok"$'\r'
		if wait_for '^(\[linux\] )?typed-42-ok' 30; then answered=1; break; fi
		say "no answer to the typed command yet (try $try)"
	done
	[ $answered = 1 ] || run_fail "the shell did not answer 'echo typed-\$((6 * 7))-ok' with typed-42-ok"
	say "the Linux shell answered: $(tr -d '\r' <"$RUNLOG" | grep -aE '^(\[linux\] )?typed-42-ok' | head -n1)"
	# The focus keys: Linux -> the test VM -> the hypervisor (a key: status;
	# the digit 0: back to Linux), as README.md and doc/console.md say.
	re_tests='console: input to vm1 \(tests\)'
	re_hyp='console: input to the hypervisor'
	re_status='console: hypervisor has the input; VMs:'
	re_linux='console: input to vm0 \(linux\)'
	# Ctrl-] x3 until the hypervisor has the input: via vm1 (tests), unless
	# the test VM is being recreated at that moment (then it is skipped).
	visited=linux
	for step in 1 2; do
		nt=$(count "$re_tests") nh=$(count "$re_hyp")
		focus_keys
		wait_more "$re_tests|$re_hyp" $((nt + nh)) 30 ||
			run_fail "Ctrl-] x3 did not move the input on (from $visited)"
		[ "$(count "$re_hyp")" -gt "$nh" ] && break
		visited="$visited -> tests"
	done
	[ "$(count "$re_hyp")" -gt "$nh" ] || run_fail "Ctrl-] x3 twice did not give the hypervisor the input"
	visited="$visited -> hypervisor"
	n=$(count "$re_status"); type_keys s
	wait_more "$re_status" "$n" 30 || run_fail "a key with the hypervisor's focus did not print the status line"
	n=$(count "$re_linux"); type_keys 0
	wait_more "$re_linux" "$n" 30 || run_fail "the digit 0 did not give the input back to vm0 (linux)"
	say "focus keys: $visited (status shown) -> linux"
	type_keys "echo focus-back-\$((2 * 3))"$'\r'
	wait_for '^(\[linux\] )?focus-back-6$' 30 || run_fail "the Linux shell did not answer after the focus came back"
	type_keys $'poweroff -f\r'
	wait_for 'vm0 \(linux\): destroyed' 120 ||
		run_fail "poweroff -f did not destroy the Linux VM"
	printf '\001x' >&4 # Ctrl-A x: QEMU's quit key, as the banner says
	for ((i = 0; i < 30; i++)); do
		kill -0 "$RUN_PID" 2>/dev/null || break
		sleep 1
	done
	if kill -0 "$RUN_PID" 2>/dev/null; then
		run_fail "QEMU did not quit on Ctrl-A x"
	fi
	set +e
	wait "$RUN_PID"
	rc=$?
	set -e
	RUN_PID=
	exec 4>&-
	[ $rc -eq 0 ] || run_fail "make run exited with status $rc after Ctrl-A x"
	RUN_SUMMARY="shell answered, Linux VM powered off, QEMU quit (exit 0) in $((SECONDS - t)) s"
	say "make run: $RUN_SUMMARY"
fi

say "PASS in $((SECONDS - T0)) s: make test: ${TEST_SUMMARY}; make run: ${RUN_SUMMARY}"
