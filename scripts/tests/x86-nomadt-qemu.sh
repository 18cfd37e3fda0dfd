#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# x86 CPU start-up without ACPI (QEMU -no-acpi: no MADT): the boot CPU
# starts all others with a broadcast INIT-SIPI-SIPI and counts those that
# claim an index. Pass iff 4 CPUs answer, all come online, clean power-off.
source "$(dirname "$0")/../x86-testlib.sh"
NCPUS=4

x86_test x86-nomadt-qemu console
x86_qemu 30 -c $NCPUS -- -no-acpi
expect 'no ACPI MADT' "a MADT was found: the test does not test the fallback"
expect "smp: $NCPUS CPU(s) answered the broadcast start-up" \
	"not $NCPUS CPUs answered the broadcast start-up"
expect "all $NCPUS cpus online" "no 'all $NCPUS cpus online' from the core"
expect_no_panic
expect_status 1 "clean power-off"
finish
