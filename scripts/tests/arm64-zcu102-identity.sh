#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test-timeout: 120
# Identity-mapped RAM (doc/passthrough.md, issue 15 item 5) on the ZCU102:
# the guest test kernel in a VM whose RAM is "memory-identity"
# (configs/vms/zcu102-identity.dts). The guest's identity_refusals test:
# HC_UNMAP, HC_MAP, HC_MOVE (from and onto) and HC_MIGRATE on its RAM are
# refused with HC_E_PERM and the memory keeps its contents; HC_PROTECT and
# HC_RECLAIM stay allowed. Its memory charge: the identity RAM (reserved at
# boot, never from the allocator) is not charged ("0 of memory"), its tables
# are, and everything is returned at the end.
ARM64_TEST_TIMEOUT=${ARM64_TEST_TIMEOUT:-100}
source "$(dirname "$0")/../arm64-testlib.sh"

arm64_boot arm64-zcu102-identity BOARD=zcu102 VMCFG=configs/vms/zcu102-identity.dts \
	BOOTARGS="hyp.panic=poweroff"
sed -i 's/\r$//' "$LOG"
expect 'vm0 \(ident\): RAM identity-mapped: IPA = PA 0x40000000\+0x4000000 \(pinned\)' "identity-mapped RAM"
expect '\[ident\] guest: RAM identity-mapped: running the identity_\* tests only' "the guest saw the identity flag"
expect '\[ident\] guest-test: identity_refusals: PASS 5 calls refused with HC_E_PERM, 4 pages intact' "refusals"
expect '\[ident\] guest-tests: 1 passed, 0 failed, 0 skipped' "only the identity test ran"
expect 'vm0 \(ident\): stage-2 faults: 0 4K, 0 block; memory charge: peak [1-9][0-9]* of [0-9]+ pages \(0 of memory \+ [0-9]+ for tables\), 0 refused; identity RAM reserved at boot, not charged' "identity RAM not charged, tables charged"
expect 'vm0 \(ident\): stopping: PSCI SYSTEM_OFF' "the VM powered off"
expect_vms_clean_end
finish
