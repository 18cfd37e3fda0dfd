/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Formatting: %d %i %u %x %X %o %c %s %p %% with flags '-' '0' ' ' '+' '#',
 * width and precision (also '*'), length modifiers hh h l ll z t j.
 * Output is always NUL-terminated when size > 0; returns the length the
 * full output would have had (C99 semantics).
 */
#ifndef HYP_PRINTF_H
#define HYP_PRINTF_H

#include <hyp/types.h>
#include <stdarg.h>

int hyp_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int hyp_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
