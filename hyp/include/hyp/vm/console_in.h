/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Console input and focus (hyp/vm/console_in.c, doc/console.md): what is
 * typed on the physical UART goes to the VM with the focus, or to the
 * hypervisor. Ctrl-] typed three times moves the focus on: hypervisor,
 * vm0, vm1, ... (the living ones), hypervisor again.
 */
#ifndef HYP_VM_CONSOLE_IN_H
#define HYP_VM_CONSOLE_IN_H

#include <hyp/types.h>

#define CONSOLE_IN_ESC		0x1d	/* Ctrl-] */
#define CONSOLE_IN_ESC_COUNT	3	/* in a row: the focus moves on */
/* Bytes one delivery may need: the held-back escapes and the byte after them. */
#define CONSOLE_IN_MAX_PUSH	CONSOLE_IN_ESC_COUNT

struct vm;

/* The VM with the focus if it is not dead; NULL: the hypervisor has it. */
struct vm *console_in_focus(void);
/*
 * @vm was (re)created: if @console_input it gets the focus, unless a person
 * moved it already; the first time, the console says where input goes and how
 * to move it (the banner's line).
 */
void console_in_vm_added(struct vm *vm, bool console_input);
/* The physical UART received: take bytes until it is empty or the target is full. */
void console_in_rx(void);

#endif
