// SPDX-License-Identifier: GPL-2.0
/*
 * Console input and focus (doc/console.md). The arch calls console_in_rx()
 * when the physical UART has received; bytes go to the VM with the focus
 * (vuart_rx_push) or, with the hypervisor's focus, to its keys (a digit
 * gives that VM the focus, anything else prints the status line).
 *
 * Ctrl-] (0x1d) three times in a row moves the focus on, as Xen's
 * console does with Ctrl-A (Ctrl-A is QEMU's, minicom's and screen's own
 * escape). Fewer than three are held back and delivered with the next
 * other byte, so a guest still receives a lone Ctrl-].
 *
 * Lossless: a byte is read from the UART only when its target queue has
 * room for it (and the Ctrl-] held back); otherwise the UART's receive
 * interrupt is paused (vuart_rx_room) and the bytes wait in the physical
 * UART (back-pressure) until the guest reads. Only this function pushes to
 * a queue, under in_lock, so the room it saw is still there.
 */
#include <hyp/arch.h>
#include <hyp/atomic.h>
#include <hyp/console.h>
#include <hyp/printf.h>
#include <hyp/spinlock.h>
#include <hyp/vm/console_in.h>
#include <hyp/vm/vm.h>
#include <hyp/vm/vuart.h>

#define FOCUS_HYP	(-1)

static struct spinlock in_lock = SPINLOCK_INIT;
static int focus = FOCUS_HYP;	/* atomic: a VM id, or FOCUS_HYP */
static bool focus_moved;	/* under in_lock: a person chose */
static unsigned int escapes;	/* under in_lock: Ctrl-] held back */

static bool alive(const struct vm *vm)
{
	return vm && atomic_load_acquire(&vm->state) != VM_DEAD;
}

struct vm *console_in_focus(void)
{
	int id = atomic_load_acquire(&focus);
	struct vm *vm = id < 0 ? NULL : vuart_vm((unsigned int)id);

	return alive(vm) ? vm : NULL;
}

static void announce(void)
{
	struct vm *vm = console_in_focus();

	if (vm)
		pr_info("console: input to vm%u (%s); Ctrl-] three times moves it on\n",
			vm->id, vm->name);
	else
		pr_info("console: input to the hypervisor (a digit N: vmN; any other key: "
			"status); Ctrl-] three times moves it on\n");
}

void console_in_vm_added(struct vm *vm, bool console_input)
{
	static bool announced;

	spin_lock(&in_lock);
	if (console_input && !focus_moved && atomic_load_acquire(&focus) != (int)vm->id) {
		atomic_store_release(&focus, (int)vm->id);
		announced = false;
	}
	if (!announced)
		announce();
	announced = true;
	spin_unlock(&in_lock);
}

static void set_focus(int id) __must_hold(&in_lock)
{
	focus_moved = true;
	atomic_store_release(&focus, id);
	announce();
}

/* Hypervisor, vm0, vm1, ... (those alive), hypervisor. */
static void next_focus(void) __must_hold(&in_lock)
{
	int cur = atomic_load_acquire(&focus);

	for (int id = cur + 1; id < VM_MAX; id++) {
		if (alive(vuart_vm((unsigned int)id))) {
			set_focus(id);
			return;
		}
	}
	set_focus(FOCUS_HYP);
}

static void status(void) __must_hold(&in_lock)
{
	static const char *const st[] = { "running", "stopping", "dead" };
	char s[200];
	int n = 0;

	for (unsigned int id = 0; id < VM_MAX; id++) {
		struct vm *vm = vuart_vm(id);
		u32 v;

		if (!vm)
			continue;
		v = atomic_load_acquire(&vm->state);
		n += hyp_snprintf(s + n, sizeof(s) - (size_t)n, " vm%u (%s) %s;", id, vm->name,
				  v < 3 ? st[v] : "?");
		if (n >= (int)sizeof(s) - 1)
			break;
	}
	pr_info("console: hypervisor has the input; VMs:%s input paused %u times for a full "
		"queue; keys: digit N gives vmN the input, Ctrl-] three times moves it on\n",
		n ? s : " none;", vuart_rx_pauses());
}

static void hyp_key(int c) __must_hold(&in_lock)
{
	if (c >= '0' && c <= '9' && alive(vuart_vm((unsigned int)(c - '0'))))
		set_focus(c - '0');
	else if (c != '\r' && c != '\n')
		status();
}

void console_in_rx(void)
{
	unsigned long flags = arch_irq_save();

	spin_lock(&in_lock);
	for (;;) {
		u8 buf[CONSOLE_IN_MAX_PUSH];
		unsigned int n = 0;
		struct vm *vm = console_in_focus();
		int c;

		/*
		 * Room first, then read: a byte taken from the UART always has a
		 * place, and when there is none it stays in the UART, whose
		 * interrupt fires again on resume (doc/console.md "lossless").
		 */
		if (vm && vuart_rx_room(vm, escapes + 1) == -E_AGAIN)
			break;
		c = arch_console_getc();
		if (c < 0)
			break;
		if (c == CONSOLE_IN_ESC) {
			if (++escapes == CONSOLE_IN_ESC_COUNT) {
				escapes = 0;
				next_focus();
			}
			continue;
		}
		vm = console_in_focus();
		if (!vm) {
			escapes = 0;
			hyp_key(c);
			continue;
		}
		while (n < escapes)
			buf[n++] = CONSOLE_IN_ESC;
		buf[n++] = (u8)c;
		vuart_rx_push(vm, buf, n);	/* room checked; fails only if the VM is gone */
		escapes = 0;
	}
	spin_unlock(&in_lock);
	arch_irq_restore(flags);
}
