/* SPDX-License-Identifier: GPL-2.0 */
/* Minimal TAP producer for host unit tests: "ok N - name" / "not ok N - name". */
#ifndef TEST_TAP_H
#define TEST_TAP_H

#include <stdio.h>
#include <stdarg.h>

static int tap_n, tap_failed;

static inline __attribute__((format(printf, 2, 3)))
void tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		tap_failed++;
	fflush(stdout);
}

/* Print the plan and return the process exit status. */
static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
