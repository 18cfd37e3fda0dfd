/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cadence UART (xlnx,xuartps; cdns,uart-r1p8/r1p12 as on the ZynqMP):
 * polled transmit, receive by interrupt for a guest (console input). Used
 * through arm64/uart.h.
 */
#ifndef ARM64_UART_CADENCE_H
#define ARM64_UART_CADENCE_H

#include <hyp/types.h>

void cadence_init(u64 base);
void cadence_putc(char c);
void cadence_flush(void);
void cadence_rx_irq_enable(void);
int cadence_getc(void);
void cadence_rx_pause(void);
void cadence_rx_resume(void);

#endif
