/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Passthrough SPIs on arm64 (doc/passthrough.md): the physical SPI of a
 * device a VM owns is forwarded to that VM's virtual GIC with the list
 * register's HW bit (pINTID = vINTID); the guest's deactivation ends the
 * physical interrupt.
 */
#ifndef ARM64_PASSTHROUGH_H
#define ARM64_PASSTHROUGH_H

#include <hyp/types.h>

/*
 * Physical SPI @intid was acknowledged and its priority dropped: if a VM
 * owns it, it is now pending in that VM's vGIC (HW=1) and stays active
 * until the guest deactivates it. Return: false if no running VM owns it
 * (the caller deactivates it as usual).
 */
bool arm64_pt_forward(unsigned int intid);

#endif
