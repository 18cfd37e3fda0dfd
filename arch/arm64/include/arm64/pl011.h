/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ARM PL011 UART: polled transmit; receive by interrupt for a guest
 * (console-input). Used through arm64/uart.h, which picks the console UART.
 */
#ifndef ARM64_PL011_H
#define ARM64_PL011_H

#include <hyp/types.h>

/* Start using the UART at base (firmware has set the baud rate). */
void pl011_init(u64 base);
void pl011_putc(char c);
/* Wait until everything written has left the transmitter. */
void pl011_flush(void);
/* Interrupt on received characters (RX level and RX timeout), nothing else. */
void pl011_rx_irq_enable(void);
/* A received character, or -1 if the RX FIFO is empty. */
int pl011_getc(void);
void pl011_rx_pause(void);
void pl011_rx_resume(void);

#endif
