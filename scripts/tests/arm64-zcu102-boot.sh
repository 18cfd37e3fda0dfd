#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test-timeout: 90
# arm64: the hypervisor on QEMU's Xilinx ZCU102 model (doc/boards.md), with
# the board DTB from Debian's kernel package: platform from the DTB (one
# 2 GiB DDR bank as QEMU's loader rewrites it, Cadence UART console, GIC-400
# with GICH/GICV, PSCI over SMC), four Cortex-A53 online through PSCI and
# kicked through GICv2 SGIs, the banner's GIC version, 8-bit VMIDs and the
# invalidation features used (no range TLBI, no TTL). Then the same DTB with
# the timer wired to the GPIO controller: refused at boot, node named.
ARM64_TEST_TIMEOUT=${ARM64_TEST_TIMEOUT:-40}
source "$(dirname "$0")/../arm64-testlib.sh"

dtb=$(scripts/linux/fetch-board-dtb.sh zcu102) || { echo "FAIL arm64-zcu102-boot: no board DTB"; exit 1; }
arm64_boot arm64-zcu102-boot BOARD=zcu102 BOOTARGS="hyp.panic=poweroff"
expect_good_boot 4
expect 'memory: 0-0x7fffffff \(2048 MiB\)' "the DDR bank QEMU describes"
expect 'VMID 8 bits' "8-bit VMIDs (Cortex-A53)"
expect 'FEAT_TLBIRANGE no, FEAT_TTL no, VHE no .*FWB no' "A53 features: no range TLBI, TTL, VHE, FWB"
expect 'GICv2 GICD 0xf9010000 GICC 0xf9020000 GICH 0xf9040000 GICV 0xf9060000, [1-9][0-9]* list registers, maintenance INTID 25' "GIC-400 from the DTB"
expect 'stage-2 invalidation: no range TLBI: gathers fall back .*VMIDs 1-255' "invalidation features in the banner"
expect 'console Cadence UART at 0xff000000 \(INTID 53\), timer PPIs 29/30/27/26' "Cadence console, timer PPIs from the DTB"
expect 'PSCI SMC' "PSCI conduit SMC from the DTB"
expect 'stage-2 TLB maintenance ok \(range invalidation not available\)' "TLBI boot check without range ops"
expect 'gic: GICv2 distributor at 0xf9010000' "GICv2 host driver up"
[ ${#FAILS[@]} -eq 0 ] || finish	# prints this boot's log

# The same DTB with the timer wired to the GPIO controller's interrupts.
bad=build/test/zcu102-bad-timer.dtb
cp "$dtb" "$bad"
gpio=$(fdtget -t x "$bad" /axi/gpio@ff0a0000 phandle)
fdtput -t x "$bad" /timer interrupt-parent "$gpio"
arm64_boot arm64-zcu102-boot-refuse BOARD=zcu102 DTB="$bad" BOOTARGS="hyp.panic=poweroff"
expect 'hyp: bad DTB at .*: node /axi/gpio@ff0a0000: the timer.s interrupt controller is not' "refusal naming the node"
reject 'all 4 cpus online' "a boot past the refusal"
expect_rc 0
TEST_NAME=arm64-zcu102-boot
finish
