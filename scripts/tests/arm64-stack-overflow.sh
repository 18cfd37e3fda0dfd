#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Stack overflow detection: bootargs "arm64.selftest=stack-overflow" makes
# the boot CPU recurse into its stack guard once all CPUs are up. The vector
# must notice SP in the guard, move to the overflow stack and report it.
# Pass: overflow line, data abort at the guard decoded, backtrace through
# the recursion, other CPUs stopped, panic, power-off (hyp.panic=poweroff).
source "$(dirname "$0")/../arm64-testlib.sh"

arm64_boot arm64-stack-overflow SMP=4 BOOTARGS="arm64.selftest=stack-overflow hyp.panic=poweroff"
expect 'selftest: stack overflow on cpu0 \(3 other CPUs online\)' "self test started"
expect 'stopped 3 of 3 other online CPUs' "every other CPU stopped"
expect '\*\*\* stack overflow: SP [0-9a-f]{16} is in cpu0.s stack guard' "overflow detected"
expect 'EC 0x25 \(data abort from current EL\)' "data abort decoded"
expect 'DFSC: translation fault, level 3 .*WnR=1 \(write\)' "write to the unmapped guard"
expect '^  #8  [0-9a-f]{16}  \(link [0-9a-f]{16}\)[[:space:]]*$' "backtrace through the recursion"
reject 'recursive exception' "a fault in the handler"
expect 'HYPERVISOR PANIC on cpu0: stack overflow' "panic"
expect 'all CPUs stopped' "panic completion"
expect_rc 0
finish
