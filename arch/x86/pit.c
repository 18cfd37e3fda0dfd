// SPDX-License-Identifier: GPL-2.0
/*
 * Delays from the 8254 PIT channel 2 in mode 0 (one-shot), polled through
 * port 0x61 bit 5 (OUT2). Needs no interrupts and no TSC calibration, and
 * both QEMU and bochs model it; only the boot CPU uses it (AP start-up).
 */
#include <hyp/types.h>
#include <x86/asm.h>
#include <x86/pit.h>
#include <hyp/arch.h>

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

/* TSC ticks per millisecond, measured once at boot; 0: not calibrated. */
static u64 tsc_per_ms;

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return (u64)hi << 32 | lo;
}

void x86_tsc_calibrate(void)
{
	u64 t0 = rdtsc();

	pit_udelay(10000);
	tsc_per_ms = (rdtsc() - t0) / 10;
}

u64 x86_tsc_khz(void)
{
	return tsc_per_ms;
}

/* arch.h: TSC scaled to ns (an invariant TSC is assumed); raw ticks if uncalibrated. */
u64 arch_counter_ns(void)
{
	u64 t = rdtsc(), k = tsc_per_ms;

	if (!k)
		return t;
	return t / k * 1000000ULL + t % k * 1000000ULL / k;
}
