/* SPDX-License-Identifier: GPL-2.0 */
/* ARM PL011 UART: polled transmit; receive by interrupt for a guest (console-input). */
#ifndef ARM64_PL011_H
#define ARM64_PL011_H

#include <hyp/types.h>

/* Start using the UART at base (firmware has set the baud rate). */
void pl011_init(u64 base);
/* Wait until everything written has left the transmitter. */
void pl011_flush(void);
/* Write a string, no locking (early boot and the EL1 refusal path). */
void pl011_puts(const char *s);

/* INTID of the UART's interrupt from the host DTB (0: none found). */
unsigned int pl011_find_irq(const void *dtb);
/* Interrupt on received characters (RX level and RX timeout), nothing else. */
void pl011_rx_irq_enable(void);
/* A received character, or -1 if the RX FIFO is empty. */

#endif
