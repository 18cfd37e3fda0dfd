// SPDX-License-Identifier: GPL-2.0
/*
 * simtest is linked with --wrap=palloc_alloc --wrap=palloc_free: every
 * allocation and free in hyp/ goes through here, so the model sees each free
 * the moment it happens (R1 scan) and can mprotect freed pages. A freed
 * page that hyp code then touches (a lockless walker reading a freed table,
 * R6) faults; the SIGSEGV handler turns that into a violation report.
 *
 * Freed blocks sit in a quarantine (FIFO, like ASan's) before palloc gets
 * them back: otherwise a table freed too early is often reallocated and
 * zeroed at once, and a stale walker reads a valid page instead of faulting.
 */
#include "simtest.h"
#include <hyp/palloc.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

bool __real_palloc_alloc(unsigned int order, paddr_t *pa);
void __real_palloc_free(paddr_t pa, unsigned int order);
bool __wrap_palloc_alloc(unsigned int order, paddr_t *pa);
void __wrap_palloc_free(paddr_t pa, unsigned int order);

static volatile int in_palloc;
static struct sigaction old_segv, old_bus;
/* Failure injection for failure-atomicity tests: fail the Nth allocation. */
u64 simtest_fail_alloc_at;
u64 simtest_allocs;

#define QUARANTINE	1024

static struct { paddr_t pa; unsigned int order; } q[QUARANTINE];
static unsigned int q_head, q_len;

static void q_release_one(void)
{
	unsigned int i = q_head;

	q_head = (q_head + 1) % QUARANTINE;
	q_len--;
	sim_note_release(q[i].pa, q[i].order);
	in_palloc++;
	sim_no_sched++;
	__real_palloc_free(q[i].pa, q[i].order);
	sim_no_sched--;
	in_palloc--;
}

void simtest_quarantine_drain(void)
{
	while (q_len)
		q_release_one();
}

bool __wrap_palloc_alloc(unsigned int order, paddr_t *pa)
{
	bool ok;

	simtest_allocs++;
	if (simtest_fail_alloc_at && simtest_allocs == simtest_fail_alloc_at)
		return false;
	for (;;) {
		in_palloc++;
		sim_no_sched++;		/* the allocator is not under test here */
		ok = __real_palloc_alloc(order, pa);
		sim_no_sched--;
		in_palloc--;
		if (ok || !q_len)
			break;
		while (q_len)		/* out of memory: empty the quarantine */
			q_release_one();
	}
	if (ok)
		sim_note_alloc(*pa, order);
	return ok;
}

void __wrap_palloc_free(paddr_t pa, unsigned int order)
{
	if (sim_page_state(pa_addr(pa)) != PAGE_ALLOCATED) {
		if (sim_running())
			sim_violation("FREE", pa_addr(pa), ~0ULL, 0,
				      "bad free of %#llx order %u (double free, or not allocated)",
				      pa_addr(pa), order);
		return;
	}
	sim_note_free(pa, order);	/* R1 scan, mprotect, quarantined */
	if (q_len == QUARANTINE)
		q_release_one();
	q[(q_head + q_len) % QUARANTINE].pa = pa;
	q[(q_head + q_len) % QUARANTINE].order = order;
	q_len++;
}

static void segv_handler(int sig, siginfo_t *si, void *uc)
{
	u64 addr = (u64)(uintptr_t)si->si_addr;
	u64 base = (u64)(uintptr_t)pa_to_ptr(pa_init(SIM_RAM_BASE));
	u64 pa;

	if (addr >= base && addr - base < sim_cfg()->mem_size) {
		pa = SIM_RAM_BASE + (addr - base);
		if (in_palloc) {
			/* palloc checks poison / zeroes a page it hands out */
			mprotect((void *)(uintptr_t)(addr & ~(PAGE_SIZE - 1)), PAGE_SIZE,
				 PROT_READ | PROT_WRITE);
			return;
		}
		sim_violation("R6", pa & ~(PAGE_SIZE - 1), ~0ULL, 0,
			      "hypervisor code on cpu%u accessed freed page %#llx (address %#llx): "
			      "a walker read a table after it was freed (use after free)",
			      arch_cpu_id(), pa & ~(PAGE_SIZE - 1), pa);
	}
	/* Not ours: say what we know, then let ASan (or the default) report it. */
	{
		static const char msg[] = "\n# VIOLATION CRASH: SIGSEGV/SIGBUS outside sim RAM "
					  "(hypervisor code crashed)\n";
		struct sigaction *old = sig == SIGSEGV ? &old_segv : &old_bus;

		if (write(1, msg, sizeof(msg) - 1) < 0)
			_exit(1);
		sim_trace_dump(0, ~0ULL, 0, 0);
		fflush(stdout);
		if ((old->sa_flags & SA_SIGINFO) && old->sa_sigaction) {
			sigaction(sig, old, NULL);
			old->sa_sigaction(sig, si, uc);
			return;
		}
		signal(sig, SIG_DFL);
		raise(sig);
	}
}

void simtest_install_segv(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = segv_handler;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, &old_segv);
	sigaction(SIGBUS, &sa, &old_bus);
	sim_palloc_wrapped = true;
}
