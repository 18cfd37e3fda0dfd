// SPDX-License-Identifier: GPL-2.0
/*
 * Console: formats a whole line, then writes it under one lock so lines from
 * different CPUs never interleave. '\n' becomes "\r\n" for serial terminals.
 *
 * VM output (console_vm_write) may leave a line open (a shell prompt has no
 * newline). The console remembers who wrote the open line: anyone else's
 * output first ends it, and every line a VM starts begins with "[name] ", so
 * no VM line can begin like a hypervisor line (doc/console.md).
 */
#include <hyp/console.h>
#include <hyp/printf.h>
#include <hyp/spinlock.h>
#include <hyp/arch.h>
#include <stdarg.h>

enum log_level console_loglevel = LOG_INFO;
static struct spinlock console_lock = SPINLOCK_INIT;

static const char level_char[] = { 'E', 'W', 'I', 'D' };

int console_format_prefix(char *buf, size_t size, unsigned int cpu, enum log_level lvl)
{
	unsigned int l = (unsigned int)lvl < sizeof(level_char) ? (unsigned int)lvl : LOG_DEBUG;

	return hyp_snprintf(buf, size, "[cpu%u] %c: ", cpu, level_char[l]);
}

#define OWNER_HYP	0xffffffffU
static unsigned int line_owner = OWNER_HYP;	/* under console_lock */
static bool line_open;				/* column != 0; under console_lock */

static void put(char c)
{
	if (c == '\n')
		arch_console_putc('\r');
	arch_console_putc(c);
	line_open = c != '\n';
}

/* Someone else's open line ends before @owner writes. */
static void take_line(unsigned int owner)
{
	if (line_open && line_owner != owner)
		put('\n');
	line_owner = owner;
}

static void write_raw(const char *s, int n)
{
	take_line(OWNER_HYP);
	for (int i = 0; i < n && s[i]; i++)
		put(s[i]);
}

void console_vm_write(unsigned int vm_id, const char *name, const char *s, size_t n)
{
	unsigned long flags = arch_irq_save();

	spin_lock(&console_lock);
	take_line(vm_id);
	for (size_t i = 0; i < n; i++) {
		if (!line_open) {
			put('[');
			for (const char *p = name; *p; p++)
				put(*p);
			put(']');
			put(' ');
		}
		put(s[i]);
	}
	spin_unlock(&console_lock);
	arch_irq_restore(flags);
}

static void emit(const char *prefix, const char *fmt, va_list ap)
{
	char line[320];
	int n = 0;
	unsigned long flags;

	if (prefix)
		n = hyp_snprintf(line, sizeof(line), "%s", prefix);
	hyp_vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	flags = arch_irq_save();
	spin_lock(&console_lock);
	write_raw(line, (int)sizeof(line));
	spin_unlock(&console_lock);
	arch_irq_restore(flags);
}

void hyp_log(enum log_level lvl, const char *fmt, ...)
{
	char prefix[24];
	va_list ap;

	if (lvl > console_loglevel)
		return;
	console_format_prefix(prefix, sizeof(prefix), arch_cpu_id(), lvl);
	va_start(ap, fmt);
	emit(prefix, fmt, ap);
	va_end(ap);
}

void hyp_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(NULL, fmt, ap);
	va_end(ap);
}

void console_force_unlock(void)
{
	spin_lock_init(&console_lock);
}
