// SPDX-License-Identifier: GPL-2.0
/*
 * PL011 UART: polled transmit. The firmware (U-Boot, or QEMU's reset state)
 * has programmed baud rate and line control; we only make sure the UART and
 * its transmitter are enabled. Reached through arm64/uart.h.
 */
#include <hyp/arch.h>
#include <arm64/pl011.h>

#define UART_DR		0x00
#define UART_FR		0x18
#define UART_CR		0x30
#define UART_IMSC	0x38
#define UART_ICR	0x44
#define FR_RXFE		BIT(4)
#define CR_RXE		BIT(9)
#define INT_RX		BIT(4)
#define INT_RT		BIT(6)
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

void pl011_putc(char c)
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

void pl011_rx_irq_enable(void)
{
	if (!uart)
		return;
	wr(UART_ICR, 0x7ff);
	wr(UART_IMSC, INT_RX | INT_RT);
	wr(UART_CR, rd(UART_CR) | CR_RXE);
}

int pl011_getc(void)
{
	if (!uart || (rd(UART_FR) & FR_RXFE))
		return -1;
	return (int)(rd(UART_DR) & 0xff);
}

/*
 * Back-pressure (doc/console.md): with RX/RT masked the bytes stay in the
 * FIFO (QEMU then stops reading its chardev); unmasked, the still-pending
 * RX/RT status raises the interrupt again. Whole-register writes, no
 * read-modify-write: a resume that races a pause only costs one more try.
 */
void pl011_rx_pause(void)
{
	if (uart)
		wr(UART_IMSC, 0);
}

void pl011_rx_resume(void)
{
	if (uart)
		wr(UART_IMSC, INT_RX | INT_RT);
}
