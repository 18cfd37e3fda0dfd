// SPDX-License-Identifier: GPL-2.0
/*
 * Console: formats a whole line, then writes it under one lock so lines from
 * different CPUs never interleave. '\n' becomes "\r\n" for serial terminals.
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

static void write_raw(const char *s, int n)
{
	for (int i = 0; i < n && s[i]; i++) {
		if (s[i] == '\n')
			arch_console_putc('\r');
		arch_console_putc(s[i]);
	}
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
