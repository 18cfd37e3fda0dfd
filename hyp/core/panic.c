// SPDX-License-Identifier: GPL-2.0
#include <hyp/panic.h>
#include <hyp/console.h>
#include <hyp/printf.h>
#include <hyp/atomic.h>
#include <hyp/arch.h>
#include <hyp/bootargs.h>
#include <stdarg.h>

static u32 panicking;

void panic(const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	arch_irq_save();
	/* Only the first CPU to panic reports; any other one just stops. */
	if (atomic_xchg(&panicking, 1))
		arch_cpu_halt();
	arch_stop_other_cpus();
	/* The console lock may be held by a CPU we just stopped. */
	console_force_unlock();
	va_start(ap, fmt);
	hyp_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hyp_printf("\n*** HYPERVISOR PANIC on cpu%u: %s\n", arch_cpu_id(), msg);
	arch_dump_backtrace();
	hyp_printf("*** all CPUs stopped%s\n",
		   bootargs.panic_poweroff ? "; powering off (hyp.panic=poweroff)" : "");
	if (bootargs.panic_poweroff)
		arch_system_off(1);
	arch_cpu_halt();
}
