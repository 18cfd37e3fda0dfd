/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The console UART, whichever the host DTB names (struct platform
 * uart_kind: PL011 or Cadence; doc/boards.md). arch_console_putc/getc and
 * the rx pause/resume of hyp/arch.h are implemented on top of it.
 */
#ifndef ARM64_UART_H
#define ARM64_UART_H

#include <hyp/types.h>

/* Start using the console UART of struct platform (no-op if there is none). */
void uart_init(void);
/* Wait until everything written has left the transmitter. */
void uart_flush(void);
/* Write a string, no locking (early boot, refusal and crash paths). */
void uart_puts(const char *s);
/* Interrupt on received characters, nothing else. */
void uart_rx_irq_enable(void);

#endif
