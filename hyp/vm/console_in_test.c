// SPDX-License-Identifier: GPL-2.0
/*
 * Console input, focus and VM output (doc/console.md), with a fake UART:
 * back-pressure loses nothing and resumes when the guest reads, Ctrl-]
 * three times moves the focus, fewer are handed on, a VM without the focus
 * prints one line per round, guest warnings are rate-limited.
 */
#include <hyp/arch.h>
#include <hyp/console.h>
#include <hyp/vm/console_in.h>
#include <hyp/vm/vm.h>
#include <hyp/vm/vm_warn.h>
#include <hyp/vm/vuart.h>
#include <test/tap.h>
#include <stdio.h>
#include <string.h>

static char out[16384];
static size_t outlen;

void arch_console_putc(char c)
{
	if (outlen + 1 < sizeof(out))
		out[outlen++] = c;
	out[outlen] = 0;
}

/* The physical UART: what a person typed, not yet read. */
static unsigned char typed[8192];
static size_t typed_len, typed_pos;
static int paused, pauses, resumes;

int arch_console_getc(void)
{
	return typed_pos < typed_len ? typed[typed_pos++] : -1;
}

void arch_console_rx_pause(void)
{
	paused = 1;
	pauses++;
}

void arch_console_rx_resume(void)
{
	paused = 0;
	resumes++;
}

static void type(const void *s, size_t n)
{
	memcpy(typed + typed_len, s, n);
	typed_len += n;
	if (!paused)
		console_in_rx();	/* the receive interrupt */
}

static struct vm vms[2];

static int guest_read(struct vm *vm)
{
	u64 fr = 0, dr = 0;

	vuart_mmio(vm, 0x18, false, 4, &fr);
	if (fr & (1 << 4))
		return -1;	/* RXFE */
	vuart_mmio(vm, 0x00, false, 4, &dr);
	if (!paused && typed_pos < typed_len)
		console_in_rx();	/* the interrupt, unmasked again */
	return (int)dr;
}

static void guest_print(struct vm *vm, const char *s)
{
	for (; *s; s++) {
		u64 c = (u8)*s;

		vuart_mmio(vm, 0x00, true, 4, &c);
	}
}

int main(void)
{
	static unsigned char paste[5000], got[5000];
	size_t n = 0;
	unsigned int lines;
	int c;

	for (unsigned int i = 0; i < 2; i++) {
		vms[i].id = i;
		snprintf(vms[i].name, sizeof(vms[i].name), i ? "tests" : "linux");
	}
	vuart_init(&vms[0], true);
	vuart_init(&vms[1], false);
	tap_ok(console_in_focus() == &vms[0], "the console-input VM has the focus at boot");
	tap_ok(strstr(out, "console: input to vm0 (linux); Ctrl-] three times moves it on") != NULL,
	       "the console says where input goes and how to move it");

	/* 5000 bytes at once: 4096 queued, the rest waits in the UART. */
	for (unsigned int i = 0; i < sizeof(paste); i++)
		paste[i] = (unsigned char)('a' + i % 26);
	type(paste, sizeof(paste));
	tap_ok(paused && pauses == 1 && typed_len - typed_pos == sizeof(paste) - 4096,
	       "a full queue pauses the UART (%zu bytes left in it)",
	       typed_len - typed_pos);
	while ((c = guest_read(&vms[0])) >= 0 && n < sizeof(got))
		got[n++] = (unsigned char)c;
	tap_ok(n == sizeof(paste) && !memcmp(got, paste, n) && resumes >= 1 && !paused,
	       "the guest reads all %zu bytes in order; input resumed %d times", n, resumes);

	/* Fewer than three Ctrl-] go to the guest with the next byte. */
	type("\x1d\x1dx", 3);
	n = 0;
	while ((c = guest_read(&vms[0])) >= 0 && n < 8)
		got[n++] = (unsigned char)c;
	tap_ok(n == 3 && !memcmp(got, "\x1d\x1dx", 3) && console_in_focus() == &vms[0],
	       "two Ctrl-] and a key reach the guest (%zu bytes)", n);

	/* Three move the focus on: vm1, the hypervisor; a digit picks a VM. */
	type("\x1d\x1d\x1d", 3);
	tap_ok(console_in_focus() == &vms[1], "Ctrl-] x3: the focus on vm1");
	type("\x1d\x1d\x1d", 3);
	tap_ok(console_in_focus() == NULL && strstr(out, "console: input to the hypervisor"),
	       "Ctrl-] x3 again: the hypervisor");
	outlen = 0;
	type("s", 1);
	tap_ok(strstr(out, "VMs: vm0 (linux) running; vm1 (tests) running;") != NULL,
	       "a key with the hypervisor's focus prints the status line");
	type("0", 1);
	tap_ok(console_in_focus() == &vms[0], "key 0: the focus back on vm0");

	/* Output: prefixed; vm1 without the focus shows its round's last line. */
	outlen = 0;
	guest_print(&vms[0], "$ ");
	guest_print(&vms[1], "guest-test: a: PASS\nguest-tests: 1 passed, 0 failed\n");
	tap_ok(!strcmp(out, "[linux] $ "), "the focused VM prints as it comes; the other nothing yet");
	vms[1].state = VM_STOPPING;
	vuart_flush(&vms[1]);
	tap_ok(strstr(out, "[linux] $ \r\n[tests] guest-tests: 1 passed, 0 failed   (+1 lines not "
		       "shown: no console focus)\r\n") != NULL,
	       "round over: one summary line, after the open line ended: '%s'", out);
	vms[1].state = VM_RUNNING;

	/* A bad access in a loop: the first 5, then the 2^n-th, all counted. */
	outlen = 0;
	for (unsigned int i = 0; i < 202; i++)
		vm_warn(&vms[1], "outside", "vm1 (tests): bad access %u\n", i);
	vm_warn_report(&vms[1]);
	lines = 0;
	for (char *p = out; (p = strstr(p, "bad access")); p++)
		lines++;
	tap_ok(lines == 10 && strstr(out, "[outside #128; 63 like it not shown]") &&
	       strstr(out, "vm1 (tests): 74 warnings 'outside' not shown (202 in all;"),
	       "202 warnings: 10 lines, the rest counted (%u lines)", lines);
	return tap_done();
}
