/* SPDX-License-Identifier: GPL-2.0 */
/* 16550 UART on COM1 (0x3f8), polled. */
#ifndef X86_UART_H
#define X86_UART_H

void x86_uart_init(void);
/* Wait until the transmitter is completely empty (before power-off). */
void x86_uart_drain(void);

#endif
