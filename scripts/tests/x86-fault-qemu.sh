#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# x86 exception report under QEMU: boot with hyp.selftest=abort (the core
# reads an unmapped address, 0x7fff00000000, above the 4 GiB identity map)
# and hyp.panic=poweroff. Pass iff the report names #PF with its error code
# and CR2, dumps the registers and a backtrace, the core panics, and the
# machine powers off with failure status 1 (QEMU exit status 3).
source "$(dirname "$0")/../x86-testlib.sh"
x86_test x86-fault-qemu console
x86_qemu 30 -c 2 -a "hyp.selftest=abort hyp.panic=poweroff"
expect 'unexpected exception 14 (#PF page fault), error code 0x0, CR2 0x7fff00000000' \
	"no #PF report with error code and CR2"
for r in RIP RSP RAX RBX RCX RDX RSI RDI RBP R8 R9 R10 R11 R12 R13 R14 R15 CR0 CR3 CR4; do
	expect "\\b$r " "register $r missing from the dump"
done
grep -A1 'Backtrace (faulting frame)' "$LOG" | grep -q '\[<' || fail "no backtrace"
expect 'HYPERVISOR PANIC' "no panic after the report"
expect_status 3 "power-off with status 1"
finish
