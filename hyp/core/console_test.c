// SPDX-License-Identifier: GPL-2.0
/* Console: prefixes, levels, CRLF, no interleaving within a line. */
#include <hyp/console.h>
#include <hyp/bootargs.h>
#include <test/tap.h>
#include <string.h>

static char out[4096];
static size_t outlen;

/* The host arch's putc writes to stdout; capture instead. */
void arch_console_putc(char c)
{
	if (outlen + 1 < sizeof(out))
		out[outlen++] = c;
	out[outlen] = 0;
}

static void reset(void)
{
	outlen = 0;
	out[0] = 0;
}

int main(void)
{
	char buf[32];
	struct bootargs ba = { 0 };
	int unknown;

	console_format_prefix(buf, sizeof(buf), 3, LOG_WARN);
	tap_ok(!strcmp(buf, "[cpu3] W: "), "prefix format: '%s'", buf);

	reset();
	console_loglevel = LOG_INFO;
	pr_info("hello %d\n", 42);
	tap_ok(!strcmp(out, "[cpu0] I: hello 42\r\n"), "info line with prefix and CRLF");

	reset();
	pr_debug("hidden\n");
	tap_ok(outlen == 0, "debug suppressed at loglevel info");

	reset();
	console_loglevel = LOG_DEBUG;
	pr_debug("shown\n");
	tap_ok(strstr(out, "D: shown") != NULL, "debug shown at loglevel debug");

	reset();
	hyp_printf("raw %s\n", "text");
	tap_ok(!strcmp(out, "raw text\r\n"), "raw printf has no prefix");

	reset();
	pr_err("%s\n", "a very long line that is longer than the internal buffer ................................................................................................................................................................................................................................................................................................................");
	tap_ok(outlen > 300 && outlen < 330, "overlong line is truncated, not overflowed (%zu bytes)", outlen);

	/* VM output (doc/console.md): every line carries the name, open lines end. */
	hyp_printf("\n");	/* the truncated line above left the line open */
	reset();
	console_vm_write(1, "tests", "one\ntwo\n", 8);
	tap_ok(!strcmp(out, "[tests] one\r\n[tests] two\r\n"), "VM lines prefixed: '%s'", out);
	reset();
	console_vm_write(0, "linux", "~ # ", 4);
	pr_info("vm1 (tests): recreated\n");
	console_vm_write(0, "linux", "ls\n", 3);
	tap_ok(!strcmp(out, "[linux] ~ # \r\n[cpu0] I: vm1 (tests): recreated\r\n[linux] ls\r\n"),
	       "an open VM line ends before a hypervisor line, resumes prefixed: '%s'", out);
	reset();
	console_vm_write(0, "linux", "ab", 2);
	console_vm_write(1, "tests", "x\n", 2);
	console_vm_write(0, "linux", "c\n", 2);
	tap_ok(!strcmp(out, "[linux] ab\r\n[tests] x\r\n[linux] c\r\n"),
	       "another VM's line ends an open one: '%s'", out);
	reset();
	{
		const char *fake = "\n[cpu0] I: all VMs destroyed: every page returned\n";

		console_vm_write(0, "linux", fake, strlen(fake));
	}
	tap_ok(!strstr(out, "\n[cpu0]") && strstr(out, "\n[linux] [cpu0] I: all VMs") != NULL,
	       "a guest cannot start a line like the hypervisor's: '%s'", out);
	reset();
	pr_info("x\n");
	tap_ok(!strcmp(out, "[cpu0] I: x\r\n"), "after VM output at column 0, no extra newline");

	unknown = bootargs_parse(&ba, "console=ttyAMA0 loglevel=1 hyp.panic=poweroff hyp.selftest=abort hyp.bogus=1 hyp.poweroff=0", 200);
	tap_ok(ba.panic_poweroff && !strcmp(ba.selftest, "abort") && !ba.poweroff_when_up &&
	       console_loglevel == LOG_WARN && unknown == 1,
	       "bootargs parsed; one unknown hyp option reported (%d)", unknown);
	unknown = bootargs_parse(&ba, "hyp.panic=sideways loglevel=9", 200);
	tap_ok(unknown == 2 && ba.panic_poweroff, "bad values rejected, old values kept");
	unknown = bootargs_parse(&ba, "hyp.vmid_bits=2", 200);
	tap_ok(unknown == 0 && ba.vmid_bits == 2, "hyp.vmid_bits=2 parsed (%u)", ba.vmid_bits);
	unknown = bootargs_parse(&ba, "hyp.vmid_bits=1 hyp.vmid_bits=9 hyp.vmid_bits= hyp.vmid_bits=3x "
				 "hyp.vmid_bits=99999999999", 200);
	tap_ok(unknown == 5 && ba.vmid_bits == 2, "bad hyp.vmid_bits rejected (%d), old kept", unknown);
	return tap_done();
}
