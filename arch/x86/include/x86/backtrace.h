/* SPDX-License-Identifier: GPL-2.0 */
/* Frame-pointer backtraces (the image is built with -fno-omit-frame-pointer). */
#ifndef X86_BACKTRACE_H
#define X86_BACKTRACE_H

#include <hyp/types.h>

/* Print the return addresses of the rbp chain starting at frame rbp. */
void x86_backtrace_from(u64 rbp);

#endif
