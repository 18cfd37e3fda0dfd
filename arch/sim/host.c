// SPDX-License-Identifier: GPL-2.0
/*
 * Host implementation of the arch interface for unit tests: one CPU, console
 * on stdout, RAM in a host buffer. The simulation of CPUs, TLBs and walk
 * caches (sim_*.c) builds on the same file.
 */
#include <hyp/arch.h>
#include <stdio.h>
#include <stdlib.h>

uintptr_t hyp_phys_virt_offset;

__attribute__((weak)) unsigned int arch_cpu_id(void) { return 0; }
__attribute__((weak)) void arch_cpu_relax(void) { }
void arch_cpu_halt(void) { fflush(stdout); abort(); }
void arch_stop_other_cpus(void) { }
void arch_system_off(int status) { fflush(stdout); exit(status); }
unsigned long arch_irq_save(void) { return 0; }
void arch_irq_restore(unsigned long flags) { (void)flags; }
__attribute__((weak)) void arch_console_putc(char c) { fputc(c, stdout); }
void arch_dump_backtrace(void) { }
void arch_smp_mb(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
void arch_banner(void) { printf("arch: host simulation\n"); }
__attribute__((weak)) void arch_sched_point(void) { }
