/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Console with log levels. Each message is formatted into a per-call buffer
 * and written as one line under the console lock, prefixed with the CPU and
 * level, so that lines from different CPUs never interleave.
 */
#ifndef HYP_CONSOLE_H
#define HYP_CONSOLE_H

#include <hyp/types.h>

enum log_level {
	LOG_ERR = 0,
	LOG_WARN = 1,
	LOG_INFO = 2,
	LOG_DEBUG = 3,
};

extern enum log_level console_loglevel;

void hyp_log(enum log_level lvl, const char *fmt, ...) __printf(2, 3);
/* Raw output, no prefix, still serialized (banners, register dumps). */
void hyp_printf(const char *fmt, ...) __printf(1, 2);
/*
 * @n bytes a VM printed (hyp/vm/vuart.c): every line starts with "[name] "; a
 * line left open is ended first if anyone else prints (doc/console.md).
 */
void console_vm_write(unsigned int vm_id, const char *name, const char *s, size_t n);
/* Bypass the lock (panic path, when another CPU may hold it). */
void console_force_unlock(void);
/* Formats the line prefix "[cpuN] L: " into buf; exposed for unit tests. */
int console_format_prefix(char *buf, size_t size, unsigned int cpu, enum log_level lvl);

#define pr_err(...)	hyp_log(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)	hyp_log(LOG_WARN, __VA_ARGS__)
#define pr_info(...)	hyp_log(LOG_INFO, __VA_ARGS__)
#define pr_debug(...)	hyp_log(LOG_DEBUG, __VA_ARGS__)

#endif
