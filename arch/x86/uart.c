// SPDX-License-Identifier: GPL-2.0
/*
 * COM1 16550, polled. Programmed to 115200 8N1 explicitly: bochs models the
 * line control register and prints 5-bit garbage otherwise.
 */
#include <hyp/types.h>
#include <hyp/arch.h>
#include <x86/asm.h>
#include <x86/uart.h>

#define COM1		0x3f8
#define UART_THR	0	/* transmit holding (DLAB=0) */
#define UART_DLL	0	/* divisor low (DLAB=1) */
#define UART_IER	1
#define UART_DLM	1
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define LCR_8N1		0x03
#define LCR_DLAB	0x80
#define LSR_THRE	0x20	/* holding register empty: may write */
#define LSR_TEMT	0x40	/* shift register empty too: all sent */

void x86_uart_init(void)
{
	outb(COM1 + UART_IER, 0);		/* polled: no interrupts */
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DLL, 1);		/* 115200 baud */
	outb(COM1 + UART_DLM, 0);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, 0x07);		/* FIFOs on and cleared */
	outb(COM1 + UART_MCR, 0x03);		/* DTR, RTS */
}

void arch_console_putc(char c)
{
	while (!(inb(COM1 + UART_LSR) & LSR_THRE))
		cpu_relax();
	outb(COM1 + UART_THR, (u8)c);
}

void x86_uart_drain(void)
{
	unsigned int n = 1000000;	/* bounded: a stuck UART must not hang power-off */

	while (!(inb(COM1 + UART_LSR) & LSR_TEMT) && --n)
		cpu_relax();
}
