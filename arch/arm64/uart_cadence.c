// SPDX-License-Identifier: GPL-2.0
/*
 * Cadence UART (Zynq-7000 / ZynqMP UART, UG1085 ch. 21; QEMU's
 * cadence_uart): polled transmit. The firmware has programmed the baud
 * rate (on QEMU it does not matter); we enable transmitter and receiver
 * and leave the mode register (8N1 at reset) alone.
 *
 * Receive interrupt: RXTRIG (FIFO level >= RXWM = 1) and TIMEOUT. The
 * channel interrupt status (ISR) is sticky, write-1-to-clear; it is cleared
 * when the FIFO has been read empty, and set again while bytes remain.
 */
#include <hyp/arch.h>
#include <arm64/uart_cadence.h>

#define CR		0x00
#define IER		0x08
#define IDR		0x0c
#define ISR		0x14
#define RXTOUT		0x1c
#define RXWM		0x20
#define SR		0x2c
#define FIFO		0x30
#define CR_RXEN		BIT(2)
#define CR_RXDIS	BIT(3)
#define CR_TXEN		BIT(4)
#define CR_TXDIS	BIT(5)
#define SR_RXEMPTY	BIT(1)
#define SR_TXEMPTY	BIT(3)
#define SR_TXFULL	BIT(4)
#define SR_TACTIVE	BIT(11)
#define INT_RXTRIG	BIT(0)
#define INT_TIMEOUT	BIT(8)
#define INT_ALL		0x3fff

static volatile u8 *uart;

static inline u32 rd(unsigned int off)
{
	return *(volatile u32 *)(uart + off);
}

static inline void wr(unsigned int off, u32 v)
{
	*(volatile u32 *)(uart + off) = v;
}

void cadence_init(u64 base)
{
	uart = (volatile u8 *)(uintptr_t)base;
	wr(CR, (rd(CR) & ~(CR_TXDIS | CR_RXDIS)) | CR_TXEN | CR_RXEN);
}

void cadence_putc(char c)
{
	if (!uart)
		return;
	while (rd(SR) & SR_TXFULL)
		;
	wr(FIFO, (u8)c);
}

void cadence_flush(void)
{
	if (!uart)
		return;
	while ((rd(SR) & (SR_TXEMPTY | SR_TACTIVE)) != SR_TXEMPTY)
		;
}

void cadence_rx_irq_enable(void)
{
	if (!uart)
		return;
	wr(IDR, INT_ALL);
	wr(RXWM, 1);
	wr(RXTOUT, 10);		/* in units of 4 bit times */
	wr(ISR, INT_ALL);
	wr(IER, INT_RXTRIG | INT_TIMEOUT);
}

int cadence_getc(void)
{
	if (!uart)
		return -1;
	if (rd(SR) & SR_RXEMPTY) {
		wr(ISR, INT_RXTRIG | INT_TIMEOUT);	/* drained: the line may drop */
		return -1;
	}
	return (int)(rd(FIFO) & 0xff);
}

/* Back-pressure (doc/console.md): masked, the bytes wait in the FIFO. */
void cadence_rx_pause(void)
{
	if (uart)
		wr(IDR, INT_RXTRIG | INT_TIMEOUT);
}

void cadence_rx_resume(void)
{
	if (uart)
		wr(IER, INT_RXTRIG | INT_TIMEOUT);
}
