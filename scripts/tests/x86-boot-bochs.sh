#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# x86 boot under bochs 2.7 (corei7_skylake_x: VMX + EPT) from a GRUB rescue
# ISO, 4 CPUs. Pass iff the banner reports VMX with EPT, VPID and INVEPT
# single/all-context, all CPUs print, and the hypervisor shuts bochs down
# ("Shutdown" port; bochs' exit status is always 1, so the bochs log's
# shutdown message and the serial log are what count).
source "$(dirname "$0")/../x86-testlib.sh"
NCPUS=4

x86_test x86-boot-bochs serial
x86_bochs 90 -c $NCPUS -m corei7_skylake_x
expect 'VMX: .*EPT yes, VPID yes' "banner does not report VMX with EPT and VPID"
expect 'INVEPT yes: single-context yes, all-context yes' \
	"banner does not report INVEPT single- and all-context"
expect_cpus $NCPUS
expect_no_panic
expect_in "$BLOG" 'Shutdown port: shutdown requested' "no shutdown through port 0x8900"
finish "$NCPUS CPUs, ${MS_TAKEN} ms"
