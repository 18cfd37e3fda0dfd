// SPDX-License-Identifier: GPL-2.0
/*
 * PL011 UART: polled transmit. The firmware (U-Boot, or QEMU's reset state)
 * has programmed baud rate and line control; we only make sure the UART and
 * its transmitter are enabled.
 */
#include <hyp/arch.h>
#include <arm64/pl011.h>

#define UART_DR		0x00
#define UART_FR		0x18
#define UART_CR		0x30
#define FR_BUSY		BIT(3)
#define FR_TXFF		BIT(5)
#define CR_UARTEN	BIT(0)
#define CR_TXE		BIT(8)

static volatile u8 *uart;

static inline u32 rd(unsigned int off)
{
	return *(volatile u32 *)(uart + off);
}

static inline void wr(unsigned int off, u32 v)
{
	*(volatile u32 *)(uart + off) = v;
}

void pl011_init(u64 base)
{
	uart = (volatile u8 *)(uintptr_t)base;
	if ((rd(UART_CR) & (CR_UARTEN | CR_TXE)) != (CR_UARTEN | CR_TXE))
		wr(UART_CR, rd(UART_CR) | CR_UARTEN | CR_TXE);
}

void arch_console_putc(char c)
{
	if (!uart)
		return;
	while (rd(UART_FR) & FR_TXFF)
		;
	wr(UART_DR, (u8)c);
}

void pl011_flush(void)
{
	if (!uart)
		return;
	while (rd(UART_FR) & FR_BUSY)
		;
}

void pl011_puts(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			arch_console_putc('\r');
		arch_console_putc(*s);
	}
}
