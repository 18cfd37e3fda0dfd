/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The emulated PL011 of every VM (hyp/vm/vuart.c, doc/interrupts.md "vuart"):
 * guest IPA 0x09000000, one page, interrupt SPI 1 (INTID 33). TX goes to the
 * hypervisor console ("[vm-name] line"); the VM with the console focus
 * (hyp/vm/console_in.h; at boot the one marked `console-input;`) receives
 * what is typed on the physical UART.
 */
#ifndef HYP_VM_VUART_H
#define HYP_VM_VUART_H

#include <hyp/types.h>

#define VUART_IPA	0x09000000ULL	/* QEMU virt's PL011 address */
#define VUART_INTID	33		/* SPI 1 */

struct vm;

/* Reset @vm's vuart. Return 0, or -E_EXIST: another VM already has the input. */
int vuart_init(struct vm *vm, bool console_input);
/* Register access at @off in the vuart's page. Return 0, -E_INVAL (bad size). */
int vuart_mmio(struct vm *vm, u64 off, bool write, unsigned int size, u64 *val);
/* Print a partial output line (a vCPU leaves, the VM stops). */
void vuart_flush(struct vm *vm);
/* The VM that receives console input, if it is alive; NULL otherwise. */
struct vm *vuart_input_vm(void);
/* The VM whose vuart slot @id is (NULL: never created). */
struct vm *vuart_vm(unsigned int id);
/*
 * Room for @n typed bytes in @vm's queue? Return 0; -E_AGAIN: no, console
 * input is paused (arch_console_rx_pause) until the guest reads and resumes
 * it; -E_NOENT: the VM is not running.
 */
int vuart_rx_room(struct vm *vm, unsigned int n);
/* Queue @n typed bytes for @vm's guest, all or none: 0, -E_AGAIN, -E_NOENT. */
int vuart_rx_push(struct vm *vm, const u8 *s, unsigned int n);
/* How many times a full queue paused console input (the status line). */
u32 vuart_rx_pauses(void);

#endif
