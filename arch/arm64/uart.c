// SPDX-License-Identifier: GPL-2.0
/* The console UART: PL011 or Cadence, as the host DTB says (arm64/uart.h). */
#include <hyp/arch.h>
#include <hyp/platform.h>
#include <arm64/pl011.h>
#include <arm64/uart.h>
#include <arm64/uart_cadence.h>

void uart_init(void)
{
	if (!platform.has_uart)
		return;
	if (platform.uart_kind == UART_CADENCE)
		cadence_init(pa_addr(platform.uart_base));
	else if (platform.uart_kind == UART_PL011)
		pl011_init(pa_addr(platform.uart_base));
}

void arch_console_putc(char c)
{
	if (platform.uart_kind == UART_CADENCE)
		cadence_putc(c);
	else if (platform.uart_kind == UART_PL011)
		pl011_putc(c);
}

void uart_flush(void)
{
	if (platform.uart_kind == UART_CADENCE)
		cadence_flush();
	else if (platform.uart_kind == UART_PL011)
		pl011_flush();
}

void uart_puts(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			arch_console_putc('\r');
		arch_console_putc(*s);
	}
}

void uart_rx_irq_enable(void)
{
	if (platform.uart_kind == UART_CADENCE)
		cadence_rx_irq_enable();
	else if (platform.uart_kind == UART_PL011)
		pl011_rx_irq_enable();
}

int arch_console_getc(void)
{
	if (platform.uart_kind == UART_CADENCE)
		return cadence_getc();
	if (platform.uart_kind == UART_PL011)
		return pl011_getc();
	return -1;
}

void arch_console_rx_pause(void)
{
	if (platform.uart_kind == UART_CADENCE)
		cadence_rx_pause();
	else if (platform.uart_kind == UART_PL011)
		pl011_rx_pause();
}

void arch_console_rx_resume(void)
{
	if (platform.uart_kind == UART_CADENCE)
		cadence_rx_resume();
	else if (platform.uart_kind == UART_PL011)
		pl011_rx_resume();
}
