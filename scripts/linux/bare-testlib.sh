# SPDX-License-Identifier: GPL-2.0
# Shared by scripts/tests/linux-bare-*.sh (sourced, not run): boot a Linux
# guest kernel + initramfs on bare QEMU (no hypervisor), then check the
# console log with expect/reject/finish from scripts/arm64-testlib.sh (the
# whole console log is printed on failure).
#
#   linux_bare_boot NAME KERNEL INITRD APPEND [QEMU ARGS...]
#       sets LOG, RC, SECS; QEMU is killed after $LINUX_TEST_TIMEOUT s
#   expect_count REGEX MIN DESCRIPTION   the first number after REGEX >= MIN

. "$(dirname "${BASH_SOURCE[0]}")/../arm64-testlib.sh"
LINUX_TEST_TIMEOUT=${LINUX_TEST_TIMEOUT:-180}
# pauth-impdef: QEMU's own pointer-authentication hash instead of QARMA
# (architecturally allowed; several times faster under TCG). Same in make bench.
LINUX_QEMU_CPU=${LINUX_QEMU_CPU:-max,pauth-impdef=on}

linux_bare_boot() {
	local name=$1 kernel=$2 initrd=$3 append=$4 t0
	shift 4
	TEST_NAME=$name
	mkdir -p build/test
	LOG=build/test/$name.console.log
	t0=$(date +%s.%N)
	timeout --kill-after=5 "$LINUX_TEST_TIMEOUT" qemu-system-aarch64 \
		-M virt,gic-version=3 -cpu "$LINUX_QEMU_CPU" -smp 2 -m 1024 \
		-nographic -no-reboot -monitor none -serial stdio \
		-kernel "$kernel" -initrd "$initrd" -append "$append" "$@" \
		</dev/null >"$LOG" 2>&1
	RC=$?
	sed -i 's/\r$//' "$LOG"
	SECS=$(awk -v s="$t0" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
}

expect_count() {
	local n
	n=$(grep -Eo -- "$1 *[0-9]+" "$LOG" | head -n1 | grep -Eo '[0-9]+$')
	if [ -z "$n" ]; then
		FAILS+=("missing: $3 (/$1 N/)")
	elif [ "$n" -lt "$2" ]; then
		FAILS+=("$3: $n < $2")
	fi
}

# expect_linux_ok [selftest]: init marker first, every job passed, clean
# power-off; no kernel failure and no FAIL line (with "selftest": exactly one
# verifier FAIL line, the self-test's).
expect_linux_ok() {
	expect '^linux-guest: init reached' "init marker"
	expect '^linux-guest: done \(status 0\)' "every job succeeded"
	expect 'reboot: Power down' "power-off through PSCI"
	reject 'Kernel panic|Oops|Internal error|Unable to handle|BUG:|WARNING:|hyptest: FAIL' "kernel or test failure"
	if [ "${1:-}" = selftest ]; then
		[ "$(grep -c 'verifier: FAIL' "$LOG")" -eq 1 ] ||
			FAILS+=("expected exactly one verifier FAIL line (the self-test's)")
	else
		reject 'verifier: FAIL' "verifier failure"
	fi
	expect_rc 0
}
