// SPDX-License-Identifier: GPL-2.0
/*
 * Emulated PL011 (ARM PrimeCell UART, DDI 0183) for guests, good for Linux's
 * amba-pl011 driver and earlycon (hyp/include/hyp/vm/vuart.h).
 *
 * Model: transmission is instantaneous (TX FIFO always empty, TXFE set,
 * TXFF never); TXRIS is raised by every DR write and cleared by ICR, as
 * Linux expects when it enables TXIM with characters left to send. RX is a
 * 32-entry FIFO (1 entry with LCRH.FEN clear): the head of a 4 KiB queue
 * filled from the hypervisor's console while this VM has the console focus
 * (hyp/vm/console_in.c). The queue never drops a byte: when it is full the
 * console stops reading the physical UART until the guest reads (back-
 * pressure, doc/console.md); switching LCRH.FEN flushes nothing. RXRIS
 * follows the IFLS trigger level, RTRIS (receive timeout) is raised at once
 * while the FIFO is not empty.
 *
 * Output: the VM with the focus prints as it comes; the others line by
 * line, and while another VM has the focus only one line per round (the
 * last one, with the count of those not shown). Every line carries
 * "[name] " (console_vm_write); control characters other than tab from a VM
 * without the focus are dropped. The interrupt line is (RIS & IMSC) != 0, level-sensitive, SPI 1.
 * Baud rate, line control and DMA registers hold what is written and do
 * nothing else. Every access size other than 8/16/32 bits, unaligned
 * accesses and writes to read-only registers are refused or ignored with a
 * defined result; nothing a guest does here can disturb the hypervisor.
 */
#include <hyp/arch.h>
#include <hyp/atomic.h>
#include <hyp/printf.h>
#include <hyp/console.h>
#include <hyp/string.h>
#include <hyp/vm/console_in.h>
#include <hyp/vm/vm.h>
#include <hyp/vm/vm_warn.h>
#include <hyp/vm/vuart.h>

#define DR	0x000
#define RSR	0x004
#define FR	0x018
#define ILPR	0x020
#define IBRD	0x024
#define FBRD	0x028
#define LCRH	0x02c
#define CR	0x030
#define IFLS	0x034
#define IMSC	0x038
#define RIS	0x03c
#define MIS	0x040
#define ICR	0x044
#define DMACR	0x048
#define PERIPHID0 0xfe0
#define CELLID0	0xff0

#define FR_RXFE	BIT(4)
#define FR_TXFF	BIT(5)
#define FR_RXFF	BIT(6)
#define FR_TXFE	BIT(7)
#define LCRH_FEN BIT(4)
#define INT_RX	BIT(4)
#define INT_TX	BIT(5)
#define INT_RT	BIT(6)
#define INT_ALL	0x7ff

#define RX_FIFO	32
#define RX_QUEUE 4096	/* doc/console.md: a 4 KiB paste fits while the guest is slow */
#define LINE_MAX 160

static const u8 periph_id[4] = { 0x11, 0x10, 0x04, 0x00 };	/* 0x00041011 */
static const u8 cell_id[4] = { 0x0d, 0xf0, 0x05, 0xb1 };	/* 0xb105f00d */

struct vuart {
	struct spinlock lock;
	struct vm *vm;
	bool input;		/* console-input */
	bool irq_level;		/* last level given to the interrupt controller */
	u32 ibrd, fbrd, lcrh, cr, ifls, imsc, ris, dmacr, ilpr;
	u8 rx[RX_QUEUE];	/* the FIFO is its first rx_depth() bytes */
	unsigned int rx_head, rx_count;
	bool rx_waiting;	/* the console paused input for us: resume when read */
	char line[LINE_MAX];
	unsigned int line_len;
	char last[LINE_MAX];	/* the last line not shown (no focus) */
	unsigned int hidden;	/* lines not shown this round */
};

static struct vuart vuarts[VM_MAX];
static struct vm *input_vm;	/* atomic: the console-input VM (first focus) */
static u32 rx_pauses;		/* atomic: times a full queue paused console input */

static struct vuart *vu(struct vm *vm)
{
	return &vuarts[vm->id];
}

struct vm *vuart_vm(unsigned int id)
{
	return id < VM_MAX ? READ_ONCE(vuarts[id].vm) : NULL;
}

int vuart_init(struct vm *vm, bool console_input)
{
	struct vuart *u = vu(vm);
	struct vm *other = atomic_load_acquire(&input_vm);
	bool resume;

	if (console_input && other && other != vm &&
	    atomic_load_acquire(&other->state) != VM_DEAD) {
		pr_err("vm%u (%s): console-input is already vm%u (%s)'s\n", vm->id, vm->name,
		       other->id, other->name);
		return -E_EXIST;
	}
	spin_lock(&u->lock);	/* zeroed at boot: an unlocked lock */
	resume = u->rx_waiting;
	spin_unlock(&u->lock);
	memset(u, 0, sizeof(*u));
	spin_lock_init(&u->lock);
	u->vm = vm;
	u->input = console_input;
	u->cr = 0x300;		/* TXE | RXE, UART disabled: the reset value */
	u->ifls = 0x12;		/* 1/2 full both ways */
	if (console_input)
		atomic_store_release(&input_vm, vm);
	else if (other == vm)
		atomic_store_release(&input_vm, NULL);
	if (resume)
		arch_console_rx_resume();	/* a new incarnation: what waited for the old one is gone */
	console_in_vm_added(vm, console_input);
	return 0;
}

struct vm *vuart_input_vm(void)
{
	struct vm *vm = atomic_load_acquire(&input_vm);

	return vm && atomic_load_acquire(&vm->state) == VM_RUNNING ? vm : NULL;
}

static unsigned int rx_depth(const struct vuart *u)
{
	return (u->lcrh & LCRH_FEN) ? RX_FIFO : 1;
}

/* What the guest sees of the queue: at most the FIFO's depth. */
static unsigned int rx_fifo(const struct vuart *u)
{
	return MIN(u->rx_count, rx_depth(u));
}

/* RX trigger level from IFLS.RXIFLSEL: 1/8, 1/4, 1/2, 3/4, 7/8 of the FIFO. */
static unsigned int rx_trigger(const struct vuart *u)
{
	static const unsigned int eighths[8] = { 1, 2, 4, 6, 7, 7, 7, 7 };

	if (!(u->lcrh & LCRH_FEN))
		return 1;
	return RX_FIFO * eighths[(u->ifls >> 3) & 7] / 8;
}

static void update_rx(struct vuart *u) __must_hold(&u->lock)
{
	u->ris &= ~(INT_RX | INT_RT);
	if (rx_fifo(u) >= rx_trigger(u))
		u->ris |= INT_RX;
	if (u->rx_count)
		u->ris |= INT_RT;
}

/* The line to the interrupt controller; called with the lock held. */
static void update_irq(struct vuart *u) __must_hold(&u->lock)
{
	bool level = (u->ris & u->imsc) != 0;

	if (level != u->irq_level) {
		u->irq_level = level;
		arch_vm_irq_level(u->vm, VUART_INTID, level);
	}
}

/* Another VM has the focus: a person talks to it, show our rounds only. */
static bool quiet(const struct vuart *u)
{
	struct vm *f = console_in_focus();

	return f && f != u->vm;
}

static void flush_line(struct vuart *u) __must_hold(&u->lock)
{
	u->line[u->line_len] = '\n';
	if (quiet(u)) {
		memcpy(u->last, u->line, u->line_len);
		u->last[u->line_len] = 0;
		u->hidden++;
	} else {
		console_vm_write(u->vm->id, u->vm->name, u->line, u->line_len + 1);
	}
	u->line_len = 0;
}

/* The round is over (the VM stops): its last line stands for the hidden ones. */
static void round_summary(struct vuart *u) __must_hold(&u->lock)
{
	char s[LINE_MAX + 48];
	int n;

	if (!u->hidden)
		return;
	n = hyp_snprintf(s, sizeof(s), "%s   (+%u lines not shown: no console focus)\n",
			 u->last, u->hidden - 1);
	console_vm_write(u->vm->id, u->vm->name, s, (size_t)MIN(n, (int)sizeof(s) - 1));
	u->hidden = 0;
}

void vuart_flush(struct vm *vm)
{
	struct vuart *u = vu(vm);

	spin_lock(&u->lock);
	if (u->line_len)
		flush_line(u);
	if (atomic_load_acquire(&vm->state) != VM_RUNNING) {
		round_summary(u);
		vm_warn_report(vm);	/* the VM's console account, with its lines */
		if (u->rx_waiting) {
			u->rx_waiting = false;	/* its input is dropped with it */
			arch_console_rx_resume();
		}
	}
	spin_unlock(&u->lock);
}

static void tx(struct vuart *u, char c) __must_hold(&u->lock)
{
	/*
	 * The VM with the focus talks to a person: its output goes out as it
	 * comes (a shell prompt has no newline), each line still prefixed.
	 */
	if (console_in_focus() == u->vm) {
		if (u->line_len)
			flush_line(u);
		if (c != '\r')
			console_vm_write(u->vm->id, u->vm->name, &c, 1);
		return;
	}
	if (c == '\n' || u->line_len == LINE_MAX - 1)
		flush_line(u);
	if ((c >= ' ' && c != 0x7f) || c == '\t' || (c & 0x80))
		u->line[u->line_len++] = c;
}

static u32 reg_read(struct vuart *u, u64 off) __must_hold(&u->lock)
{
	u32 v;

	switch (off) {
	case DR:
		if (!u->rx_count)
			return 0;
		v = u->rx[u->rx_head];
		u->rx_head = (u->rx_head + 1) % RX_QUEUE;
		u->rx_count--;
		update_rx(u);
		if (u->rx_waiting && RX_QUEUE - u->rx_count >= CONSOLE_IN_MAX_PUSH) {
			u->rx_waiting = false;	/* under u->lock: no lost wake-up (doc/console.md) */
			arch_console_rx_resume();
		}
		return v;
	case FR:
		return FR_TXFE | (u->rx_count ? 0 : FR_RXFE) |
		       (u->rx_count >= rx_depth(u) ? FR_RXFF : 0);
	case ILPR:	return u->ilpr;
	case IBRD:	return u->ibrd;
	case FBRD:	return u->fbrd;
	case LCRH:	return u->lcrh;
	case CR:	return u->cr;
	case IFLS:	return u->ifls;
	case IMSC:	return u->imsc;
	case RIS:	return u->ris;
	case MIS:	return u->ris & u->imsc;
	case DMACR:	return u->dmacr;
	}
	if (off >= PERIPHID0 && off < PERIPHID0 + 16)
		return periph_id[(off - PERIPHID0) / 4];
	if (off >= CELLID0 && off < CELLID0 + 16)
		return cell_id[(off - CELLID0) / 4];
	return 0;	/* RSR/ECR (no errors), reserved: RAZ */
}

static void reg_write(struct vuart *u, u64 off, u32 v) __must_hold(&u->lock)
{
	switch (off) {
	case DR:
		tx(u, (char)(v & 0xff));
		u->ris |= INT_TX;
		break;
	case ILPR:	u->ilpr = v & 0xff; break;
	case IBRD:	u->ibrd = v & 0xffff; break;
	case FBRD:	u->fbrd = v & 0x3f; break;
	case LCRH:
		u->lcrh = v & 0xff;
		update_rx(u);
		break;
	case CR:	u->cr = v & 0xff87; break;
	case IFLS:	u->ifls = v & 0x3f; update_rx(u); break;
	case IMSC:	u->imsc = v & INT_ALL; break;
	case ICR:
		u->ris &= ~(v & INT_ALL);
		update_rx(u);	/* RX/RT stay while the FIFO holds data */
		break;
	case DMACR:	u->dmacr = v & 7; break;
	default:
		break;	/* RSR/ECR (clears nothing: no errors), RO, reserved: ignored */
	}
}

int vuart_mmio(struct vm *vm, u64 off, bool write, unsigned int size, u64 *val)
{
	struct vuart *u = vu(vm);

	if (size > 4 || (off & (size - 1)) || off >= 0x1000)
		return -E_INVAL;
	spin_lock(&u->lock);
	if (write)
		reg_write(u, off & ~3ULL, (u32)*val);
	else
		*val = reg_read(u, off & ~3ULL);
	update_irq(u);
	spin_unlock(&u->lock);
	return 0;
}

u32 vuart_rx_pauses(void)
{
	return atomic_load_acquire(&rx_pauses);
}

/* Under u->lock: can @n bytes be queued for @vm? 0, -E_NOENT (not running) or -E_AGAIN (full). */
static int rx_fits(struct vm *vm, const struct vuart *u, unsigned int n)
{
	if (atomic_load_acquire(&vm->state) != VM_RUNNING)
		return -E_NOENT;
	return RX_QUEUE - u->rx_count < n ? -E_AGAIN : 0;
}

int vuart_rx_room(struct vm *vm, unsigned int n)
{
	struct vuart *u = vu(vm);
	int r;

	spin_lock(&u->lock);
	r = rx_fits(vm, u, n);
	if (r == -E_AGAIN) {
		/* Full: the bytes stay in the physical UART until the guest reads. */
		u->rx_waiting = true;
		arch_console_rx_pause();
		atomic_fetch_add(&rx_pauses, 1);
	}
	spin_unlock(&u->lock);
	return r;
}

int vuart_rx_push(struct vm *vm, const u8 *s, unsigned int n)
{
	struct vuart *u = vu(vm);
	int r;

	spin_lock(&u->lock);
	r = rx_fits(vm, u, n);	/* -E_AGAIN: callers check vuart_rx_room() first */
	if (!r) {
		for (unsigned int i = 0; i < n; i++)
			u->rx[(u->rx_head + u->rx_count++) % RX_QUEUE] = s[i];
		update_rx(u);
		update_irq(u);
	}
	spin_unlock(&u->lock);
	return r;
}
