#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The crash path, booted through U-Boot (bootargs from its environment):
# bootargs "hyp.selftest=abort" makes the boot CPU read an
# unmapped address once all CPUs are up; "hyp.panic=poweroff" ends QEMU after
# the panic. Pass: decoded ESR (data abort, translation fault, read), FAR,
# register dump, backtrace, every other CPU stopped, panic, power-off.
source "$(dirname "$0")/../arm64-testlib.sh"

arm64_boot arm64-crash SMP=4 BOOTARGS="hyp.selftest=abort hyp.panic=poweroff"
expect 'all 4 cpus online' "all CPUs online before the test"
expect 'selftest: deliberate data abort' "self test started"
expect 'stopped 3 of 3 other online CPUs' "every other CPU stopped"
expect 'unexpected synchronous exception from EL2 with SP_EL2 on cpu0' "exception header"
expect 'EC 0x25 \(data abort from current EL\)' "ESR exception class decoded"
expect 'DFSC: translation fault, level [0-3] .*WnR=0 \(read\)' "DFSC and WnR decoded"
expect 'FAR_EL2 0x00007fff00000000' "FAR"
expect '^  x0  [0-9a-f]{16}  x1  [0-9a-f]{16}' "register dump x0/x1"
expect '^  x30 [0-9a-f]{16}  sp  [0-9a-f]{16}' "register dump x30/sp"
expect 'ELR_EL2 [0-9a-f]{16} \(link address [0-9a-f]{16}\)  SPSR_EL2' "ELR/SPSR"
expect '^Backtrace' "backtrace header"
expect '^  #1  [0-9a-f]{16}  \(link [0-9a-f]{16}\)[[:space:]]*$' "at least two backtrace frames in hyp text"
reject 'outside hyp text|not on a stack|recursive exception' "a broken backtrace or handler"
expect 'HYPERVISOR PANIC on cpu0: unexpected exception' "panic"
expect 'all CPUs stopped' "panic completion"
expect_rc 0
finish
