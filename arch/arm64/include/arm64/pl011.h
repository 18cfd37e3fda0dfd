/* SPDX-License-Identifier: GPL-2.0 */
/* ARM PL011 UART, polled transmit only. */
#ifndef ARM64_PL011_H
#define ARM64_PL011_H

#include <hyp/types.h>

/* Start using the UART at base (firmware has set the baud rate). */
void pl011_init(u64 base);
/* Wait until everything written has left the transmitter. */
void pl011_flush(void);
/* Write a string, no locking (early boot and the EL1 refusal path). */
void pl011_puts(const char *s);

#endif
