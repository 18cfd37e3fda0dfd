/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HYP_PANIC_H
#define HYP_PANIC_H

#include <hyp/types.h>

/* Print the message and a backtrace, stop every CPU. Never returns. */
__noreturn void panic(const char *fmt, ...) __printf(1, 2);

#define BUG_ON(c) do {							\
	if (unlikely(c))						\
		panic("BUG_ON(%s) at %s:%d", #c, __FILE__, __LINE__);	\
} while (0)

#endif
