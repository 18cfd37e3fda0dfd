# SPDX-License-Identifier: GPL-2.0
# Shared by scripts/tests/arm64-*.sh (sourced, not run): boot once in QEMU,
# then check the console log. On failure the whole console log is printed.
#
#   arm64_boot NAME [VAR=value ...]   run scripts/run-arm64.sh with a timeout;
#                                     sets LOG, RC, SECS
#   expect REGEX DESCRIPTION          the log must match (grep -E)
#   reject REGEX DESCRIPTION          the log must not match (grep -Ei)
#   expect_rc N                       QEMU's exit status must be N
#   finish                            print the verdict, exit 0 / 1

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2
ARM64_TEST_TIMEOUT=${ARM64_TEST_TIMEOUT:-60}
FAILS=()

arm64_boot() {
	local name=$1 t0
	shift
	TEST_NAME=$name
	mkdir -p build/test
	LOG=build/test/$name.console.log
	make -s --no-print-directory ARCH=arm64 || { echo "FAIL $name: build failed"; exit 1; }
	t0=$(date +%s.%N)
	env "$@" TIMEOUT="$ARM64_TEST_TIMEOUT" LOG="$LOG" RUN_QUIET=1 NO_BUILD=1 \
		DISK="build/test/$name.disk.img" ENV="build/test/$name.env.img" \
		scripts/run-arm64.sh
	RC=$?
	SECS=$(awk -v s="$t0" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
	rm -f "build/test/$name.disk.img" "build/test/$name.env.img"
}

expect() {
	grep -Eq -- "$1" "$LOG" || FAILS+=("missing: $2 (/$1/)")
}

reject() {
	! grep -Eiq -- "$1" "$LOG" || FAILS+=("unexpected: $2 (/$1/): $(grep -Eim1 -- "$1" "$LOG")")
}

expect_rc() {
	if [ "$RC" -ne "$1" ]; then
		if [ "$RC" -eq 124 ]; then
			FAILS+=("QEMU timed out after ${ARM64_TEST_TIMEOUT}s")
		else
			FAILS+=("QEMU exit status $RC, expected $1")
		fi
	fi
}

finish() {
	if [ ${#FAILS[@]} -eq 0 ]; then
		echo "PASS $TEST_NAME: ${SECS}s in QEMU (console log: $LOG)"
		exit 0
	fi
	echo "FAIL $TEST_NAME (${SECS}s in QEMU):"
	printf '  - %s\n' "${FAILS[@]}"
	echo "---- console log ($LOG) ----"
	cat "$LOG"
	echo "---- end of console log ----"
	exit 1
}

# The checks every successful boot must pass: banner, every CPU reporting
# in, and a clean power-off through PSCI SYSTEM_OFF (QEMU exits 0 only then:
# -no-reboot turns a reset into exit status 0 too, so the log must also
# show the power-off line).
expect_good_boot() {
	local n=${1:-4}
	expect '^=== hyp [0-9.]+: ' "core banner"
	expect '^arm64: EL2, MPIDR' "arm64 banner"
	for ((i = 0; i < n; i++)); do
		expect "cpu$i online" "cpu$i online"
	done
	expect "all $n cpus online" "all $n CPUs online"
	expect 'powering off' "power-off line"
	reject 'HYPERVISOR PANIC|unexpected [a-zA-Z]+ exception|BUG_ON' "panic"
	expect_rc 0
}

# The end of a run with VMs: every VM destroyed with every page back, the
# hypervisor's power-off, no error line, no panic, QEMU exit status 0.
expect_vms_clean_end() {
	expect '^\[cpu[0-9]+\] I: all VMs destroyed: every page returned' "no page leaked"
	expect '^\[cpu[0-9]+\] I: all VMs powered off; powering off' "hypervisor power-off"
	reject '\] E: ' "an error logged by the hypervisor"
	reject 'HYPERVISOR PANIC|unexpected [a-zA-Z]+ exception|BUG_ON' "panic"
	expect_rc 0
}

# Linux VMs under the hypervisor (scripts/tests/arm64-linux-*.sh,
# doc/linux-guests.md): stage the kernel (min|debian), the initramfs and the
# guest DTB with hyp.job=JOBS under the names the VM config uses
# (scripts/linux/stage-vm-files.sh), then boot VMCFG through U-Boot.
#   linux_vm_boot NAME min|debian JOBS VMCFG [VAR=value ...]
linux_vm_boot() {
	local name=$1 kernel=$2 jobs=$3 vmcfg=$4 files
	shift 4
	files=build/test/$name.files
	rm -rf "$files"
	scripts/linux/stage-vm-files.sh "$files" "$kernel" "$jobs" ||
		{ echo "FAIL $name: staging the Linux VM's files failed"; exit 1; }
	arm64_boot "$name" SMP=4 VMCFG="$vmcfg" VMFILES_PATH="$files" \
		BOOTARGS="hyp.panic=poweroff" "$@"
	sed -i 's/\r$//' "$LOG"
}

# The Linux VM ("linux", vm0) with N vCPUs (default 2) booted, ran its jobs,
# every job passed, powered its VM off; nothing failed in Linux or the
# hypervisor; no page leaked.
expect_linux_vm_ok() {
	local n=${1:-2}
	expect "vm0 \\(linux\\): $n vCPUs" "Linux VM created"
	expect 'GICv3: 64 SPIs implemented' "Linux found the virtual GICv3"
	expect "smp: Brought up 1 node, $n CPUs" "Linux brought up $n vCPUs through PSCI"
	expect 'ttyAMA0 at MMIO 0x9000000 .*is a PL011' "amba-pl011 driver bound the vuart"
	expect '^(\[linux\] )?linux-guest: init reached' "initramfs marker"
	expect "^(\\[linux\\] )?linux-guest: [^ ]+, $n cpus, jobs:" "$n CPUs online in the guest"
	expect '^(\[linux\] )?linux-guest: done \(status 0\)' "every Linux job succeeded"
	expect 'vm0 \(linux\): stopping: PSCI SYSTEM_OFF' "Linux powered its VM off"
	expect 'vm0 \(linux\): destroyed;' "Linux VM destroyed"
	expect '^\[cpu[0-9]+\] I: all VMs destroyed: every page returned' "no page leaked"
	expect '^\[cpu[0-9]+\] I: all VMs powered off; powering off' "hypervisor power-off"
	reject 'Kernel panic|Oops|Internal error|Unable to handle|BUG:|WARNING:|verifier: FAIL|hyptest: FAIL' "Linux failure"
	reject 'HYPERVISOR PANIC|unexpected [a-zA-Z]+ exception|BUG_ON' "panic"
	reject '\] E: ' "an error logged by the hypervisor"
	expect_rc 0
}

# The test VM ("tests", vm1) beside it (N vCPUs, default 2): all its guest
# tests passed.
expect_test_vm_ok() {
	expect "vm1 \\(tests\\): ${1:-2} vCPUs" "test VM created"
	expect '\[tests\] guest-tests: [1-9][0-9]* passed, 0 failed' "test VM: 0 failed"
	expect 'vm1 \(tests\): destroyed;' "test VM destroyed"
	reject 'guest-test: [a-z_]+: FAIL' "a failed guest test"
}
