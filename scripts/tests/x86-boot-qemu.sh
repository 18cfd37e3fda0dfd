#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# x86 boot under QEMU TCG (-cpu EPYC, 4 CPUs). Pass iff the banner reports
# SVM with NPT, all 4 CPUs print on the console, and the hypervisor powers
# off cleanly (isa-debug-exit status 1 = arch_system_off(0)).
# The whole console log is printed on failure; it is kept in build/test/.
source "$(dirname "$0")/../x86-testlib.sh"
NCPUS=4

x86_test x86-boot-qemu console
x86_qemu 30 -c $NCPUS
expect 'SVM: .*NPT yes' "banner does not report SVM with NPT"
expect 'ASIDs [0-9]' "banner does not report the number of ASIDs"
expect 'flush-by-ASID' "banner does not report flush-by-ASID"
expect_cpus $NCPUS
expect_no_panic
expect_status 1 "clean power-off"
finish "$NCPUS CPUs, ${MS_TAKEN} ms"
