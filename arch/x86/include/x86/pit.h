/* SPDX-License-Identifier: GPL-2.0 */
/* Busy-wait delays from the 8254 PIT, channel 2 (no interrupts). */
#ifndef X86_PIT_H
#define X86_PIT_H

#include <hyp/types.h>

void pit_udelay(u32 us);
/* Measure the TSC rate against the PIT (boot CPU, before the APs start). */
void x86_tsc_calibrate(void);
/* The measured TSC rate in kHz (0: not calibrated). */
u64 x86_tsc_khz(void);

#endif
