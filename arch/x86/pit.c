// SPDX-License-Identifier: GPL-2.0
/*
 * Delays from the 8254 PIT channel 2 in mode 0 (one-shot), polled through
 * port 0x61 bit 5 (OUT2). Needs no interrupts and no TSC calibration, and
 * both QEMU and bochs model it; only the boot CPU uses it (AP start-up).
 */
#include <hyp/types.h>
#include <x86/asm.h>
#include <x86/pit.h>

#define PIT_HZ		1193182
#define PIT_CH2		0x42
#define PIT_CMD		0x43
#define PORT_B		0x61
#define PORTB_GATE2	0x01
#define PORTB_SPKR	0x02
#define PORTB_OUT2	0x20

static void pit_wait_ticks(u32 ticks)
{
	u8 b = inb(PORT_B);

	/* Gate on, speaker off. */
	outb(PORT_B, (b & ~PORTB_SPKR) | PORTB_GATE2);
	outb(PIT_CMD, 0xb0);		/* channel 2, lo/hi byte, mode 0, binary */
	outb(PIT_CH2, ticks & 0xff);
	outb(PIT_CH2, ticks >> 8);
	while (!(inb(PORT_B) & PORTB_OUT2))
		cpu_relax();
}

void pit_udelay(u32 us)
{
	u64 ticks = ((u64)us * PIT_HZ + 999999) / 1000000;

	while (ticks) {
		u32 n = ticks > 0xffff ? 0xffff : (u32)ticks;

		pit_wait_ticks(n < 2 ? 2 : n);
		ticks -= n;
	}
}
