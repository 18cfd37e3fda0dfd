// SPDX-License-Identifier: GPL-2.0
/*
 * Emulated PL011 (ARM PrimeCell UART, DDI 0183) for guests, good for Linux's
 * amba-pl011 driver and earlycon (hyp/include/hyp/vm/vuart.h).
 *
 * Model: transmission is instantaneous (TX FIFO always empty, TXFE set,
 * TXFF never); TXRIS is raised by every DR write and cleared by ICR, as
 * Linux expects when it enables TXIM with characters left to send. RX is a
 * 32-entry FIFO (1 entry with LCRH.FEN clear) filled from the hypervisor's
 * console when this VM has `console-input`; RXRIS follows the IFLS trigger
 * level, RTRIS (receive timeout) is raised at once while the FIFO is not
 * empty. The interrupt line is (RIS & IMSC) != 0, level-sensitive, SPI 1.
 * Baud rate, line control and DMA registers hold what is written and do
 * nothing else. Every access size other than 8/16/32 bits, unaligned
 * accesses and writes to read-only registers are refused or ignored with a
 * defined result; nothing a guest does here can disturb the hypervisor.
 */
#include <hyp/atomic.h>
#include <hyp/console.h>
#include <hyp/string.h>
#include <hyp/vm/vm.h>
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
#define LINE_MAX 160

static const u8 periph_id[4] = { 0x11, 0x10, 0x04, 0x00 };	/* 0x00041011 */
static const u8 cell_id[4] = { 0x0d, 0xf0, 0x05, 0xb1 };	/* 0xb105f00d */

struct vuart {
	struct spinlock lock;
	struct vm *vm;
	bool input;		/* console-input */
	bool irq_level;		/* last level given to the interrupt controller */
	u32 ibrd, fbrd, lcrh, cr, ifls, imsc, ris, dmacr, ilpr;
	u8 rx[RX_FIFO];
	unsigned int rx_head, rx_count;
	char line[LINE_MAX];
	unsigned int line_len;
};

static struct vuart vuarts[VM_MAX];
static struct vm *input_vm;	/* atomic: the console-input VM */

static struct vuart *vu(struct vm *vm)
{
	return &vuarts[vm->id];
}

int vuart_init(struct vm *vm, bool console_input)
{
	struct vuart *u = vu(vm);
	struct vm *other = atomic_load_acquire(&input_vm);

	if (console_input && other && other != vm &&
	    atomic_load_acquire(&other->state) != VM_DEAD) {
		pr_err("vm%u (%s): console-input is already vm%u (%s)'s\n", vm->id, vm->name,
		       other->id, other->name);
		return -E_EXIST;
	}
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
	if (u->rx_count >= rx_trigger(u))
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

static void flush_line(struct vuart *u) __must_hold(&u->lock)
{
	u->line[u->line_len] = 0;
	hyp_printf("[%s] %s\n", u->vm->name, u->line);
	u->line_len = 0;
}

void vuart_flush(struct vm *vm)
{
	struct vuart *u = vu(vm);

	spin_lock(&u->lock);
	if (u->line_len)
		flush_line(u);
	spin_unlock(&u->lock);
}

static void tx(struct vuart *u, char c) __must_hold(&u->lock)
{
	/*
	 * The console-input VM talks to a person: its output goes out as it
	 * comes (a shell prompt has no newline), without the name prefix.
	 */
	if (u->input) {
		if (c != '\r')
			hyp_printf("%c", c);
		return;
	}
	if (c == '\n' || u->line_len == LINE_MAX - 1)
		flush_line(u);
	if (c != '\n' && c != '\r')
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
		u->rx_head = (u->rx_head + 1) % RX_FIFO;
		u->rx_count--;
		update_rx(u);
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
		if ((u->lcrh ^ v) & LCRH_FEN)
			u->rx_count = 0;	/* FIFO switched on/off: flushed */
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

void vuart_console_input(char c)
{
	struct vm *vm = vuart_input_vm();
	struct vuart *u;

	if (!vm)
		return;
	u = vu(vm);
	spin_lock(&u->lock);
	if (u->rx_count < rx_depth(u)) {
		u->rx[(u->rx_head + u->rx_count) % RX_FIFO] = (u8)c;
		u->rx_count++;
	}	/* else: overrun, the character is lost as on a real UART */
	update_rx(u);
	update_irq(u);
	spin_unlock(&u->lock);
}
