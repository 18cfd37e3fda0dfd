#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# arm64: the memory charge (doc/memory-charge.md, configs/vms/mem-bound.dts).
# Two VMs of 512 MiB RAM, each bound to 64 MiB ("memory-limit"), on a 384 MiB
# machine; each runs the guest tests with the memory hog on (writes every
# page above 64 MiB until refused). Pass: both hogs got between 32 and 72 MiB
# (mem_hog PASS in both: neither drained the allocator under the other, and
# each hit its own bound), the refusals were aborts with the hypervisor's
# "memory bound reached" line, every other guest test passed in both VMs,
# each destroy reported its charge with nothing left charged, no page leaked.
# Without the charge the first hog takes what the machine has (~250 MiB) and
# the second gets almost nothing: mem_hog fails in both.
# test-timeout: 240
ARM64_TEST_TIMEOUT=${ARM64_TEST_TIMEOUT:-240}
source "$(dirname "$0")/../arm64-testlib.sh"

arm64_boot arm64-mem-bound SMP=4 MEM=384 VMCFG=configs/vms/mem-bound.dts \
	BOOTARGS="hyp.panic=poweroff"
for v in 0:a 1:b; do
	i=${v%%:*} n=${v#*:}
	expect "vm$i \\($n\\): 2 vCPUs" "VM $n created"
	expect "\\[$n\\] mem-hog: [0-9]+ KiB written" "VM $n: the hog ran"
	expect "\\[$n\\] guest-test: mem_hog: PASS" "VM $n: hog got its bound, no more, no less"
	expect "vm$i \\($n\\): memory bound reached: [0-9]+ of [0-9]+ pages charged" \
		"VM $n: the hypervisor said why it refused"
	expect "\\[$n\\] guest-tests: [1-9][0-9]* passed, 0 failed" "VM $n: guest summary with 0 failed"
	expect "vm$i \\($n\\): stage-2 faults: [0-9]+ 4K, [0-9]+ block; memory charge: peak [0-9]+ of [0-9]+ pages" \
		"VM $n: charge reported at destroy"
done
reject 'guest-test: [a-z_]+: FAIL' "a failed guest test"
reject 'pages still charged after teardown' "charge not exact"
expect '^\[cpu[0-9]+\] I: all VMs destroyed: every page returned' "no page leaked"
reject 'HYPERVISOR PANIC|unexpected [a-zA-Z]+ exception|BUG_ON' "panic"
expect_rc 0
finish
