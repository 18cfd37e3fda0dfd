// SPDX-License-Identifier: GPL-2.0
/*
 * Power-off. Emulator exits first, in this order:
 *  - QEMU isa-debug-exit at port 0xf4 (tests pass
 *    -device isa-debug-exit,iobase=0xf4,iosize=0x04): writing v exits QEMU
 *    with status (v << 1) | 1. We write `status`, so a clean power-off
 *    (status 0) is QEMU exit status 1 and failure status s is 2s+1.
 *  - bochs: the string "Shutdown" to port 0x8900 (bochs exits with 1
 *    whatever the status; tests judge by the serial log).
 *  - ACPI-less PM1a_CNT writes (SLP_TYP 5 | SLP_EN) at the ports QEMU's
 *    PIIX4/ICH9 and bochs' PIIX4 use by default: 0x604, 0xb004, 0x4004.
 * Then halt. The UART is drained first so the last line is not lost.
 */
#include <hyp/types.h>
#include <hyp/arch.h>
#include <x86/asm.h>
#include <x86/tlb.h>
#include <x86/uart.h>

#define QEMU_DEBUG_EXIT_PORT	0xf4
#define BOCHS_SHUTDOWN_PORT	0x8900

__noreturn void arch_system_off(int status)
{
	const char *s;

	x86_tlb_report();	/* shootdown counters of every CPU */
	x86_uart_drain();
	outl(QEMU_DEBUG_EXIT_PORT, (u32)status);
	for (s = "Shutdown"; *s; s++)
		outb(BOCHS_SHUTDOWN_PORT, (u8)*s);
	outw(0x604, 0x2000);
	outw(0xb004, 0x2000);
	outw(0x4004, 0x3400);
	arch_cpu_halt();
}
