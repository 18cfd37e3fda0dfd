// SPDX-License-Identifier: GPL-2.0
/*
 * Event trace of the simulation: a ring of the last SIM_TRACE events. On a
 * violation the events relevant to the page / IPA / VMID involved are
 * printed, then the last events of the whole machine, then the seed and the
 * command line that replays the run.
 */
#include "sim_internal.h"
#include <hyp/palloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define SIM_TRACE	(1u << 16)

struct sim_event {
	u64 step;
	u64 ipa;
	u64 pa;		/* for OP events: the size */
	s64 aux;
	const char *what;
	u32 vmid;
	s8 cpu;
	u8 ev;
};

static struct sim_event ring[SIM_TRACE];
int sim_trace_cpu = -1;	/* the CPU whose hardware acts (speculation) */
static u64 ring_n;

/* Set by the test driver: how to replay (printed with every violation). */
const char *sim_replay_hint;

static const char *const ev_name[EV_MAX] = {
	[EV_OP_BEGIN] = "op>", [EV_OP_END] = "op<", [EV_LOAD] = "load",
	[EV_FILL_TLB] = "fill-tlb", [EV_FILL_WC] = "fill-wc", [EV_HIT] = "tlb-hit",
	[EV_WALK_FAULT] = "walk-fault", [EV_INVAL_ISSUE] = "inval-issue",
	[EV_INVAL_DONE] = "inval-done", [EV_SYNC] = "inval-sync",
	[EV_ALLOC] = "alloc", [EV_FREE] = "free", [EV_WRITE] = "write",
	[EV_READ] = "read", [EV_FAULT] = "fault", [EV_EVICT] = "evict",
	[EV_NOTE] = "note", [EV_RUN] = "run",
};

static void print_event(FILE *f, const struct sim_event *e)
{
	bool sized = e->ev == EV_OP_BEGIN || e->ev == EV_OP_END ||
		     e->ev == EV_INVAL_ISSUE || e->ev == EV_INVAL_DONE;
	const char *aux = e->ev == EV_INVAL_ISSUE ? "cpus" : e->ev == EV_INVAL_DONE ? "on-cpu" :
			  e->ev == EV_OP_END ? "ret" : "aux";

	fprintf(f, "  #%-7llu cpu%d %-11s vmid=%-3u ipa=%#-12llx %s=%#-12llx %s=%-6lld %s\n",
		e->step, e->cpu, ev_name[e->ev], e->vmid, e->ipa, sized ? "size" : "pa",
		e->pa, aux, e->aux, e->what ? e->what : "");
}

void sim_trace(enum sim_ev ev, u32 vmid, u64 ipa, u64 pa, s64 aux, const char *what)
{
	struct sim_event *e;

	if (!sim.running && !sim.cfg.verbose)
		return;
	e = &ring[ring_n++ % SIM_TRACE];
	e->step = sim.step;
	e->cpu = (s8)(sim_trace_cpu >= 0 ? sim_trace_cpu : sim_this_cpu);
	e->ev = (u8)ev;
	e->vmid = vmid;
	e->ipa = ipa;
	e->pa = pa;
	e->aux = aux;
	e->what = what;
	if (sim.cfg.verbose)
		print_event(stdout, e);
	if (ev == EV_OP_BEGIN || ev == EV_WRITE || ev == EV_READ || ev == EV_FAULT)
		sim_hot_add(vmid, ipa);
}

static bool relevant(const struct sim_event *e, u64 pa, u64 ipa, u32 vmid)
{
	u64 pg = pa & ~(PAGE_SIZE - 1);

	switch (e->ev) {
	case EV_OP_BEGIN:
	case EV_OP_END:
		return (ipa != ~0ULL && ipa >= e->ipa && ipa - e->ipa < (e->pa ? e->pa : 1)) ||
		       (vmid && e->vmid == vmid && !e->pa);
	case EV_FILL_TLB:
	case EV_HIT:
		return (pa && pg >= e->pa && pg - e->pa < (u64)e->aux) ||
		       (ipa != ~0ULL && e->vmid == vmid && ipa >= e->ipa && ipa - e->ipa < (u64)e->aux);
	case EV_FILL_WC:
		return (pa && (e->pa & ~(PAGE_SIZE - 1)) == pg) ||
		       (ipa != ~0ULL && e->vmid == vmid && ipa >= e->ipa && ipa - e->ipa < (u64)e->aux);
	case EV_ALLOC:
	case EV_FREE:
		return pa && pg >= e->pa && pg - e->pa < (PAGE_SIZE << e->aux);
	case EV_INVAL_ISSUE:
	case EV_INVAL_DONE:
		/* VMID-wide / all (size 0), or a range covering the IPA */
		return (vmid && e->vmid == vmid && (!e->pa || ipa == ~0ULL ||
			(ipa >= e->ipa && ipa - e->ipa < e->pa))) ||
		       (!e->vmid && !e->pa);
	case EV_SYNC:
		return false;
	case EV_LOAD:
		return vmid && e->vmid == vmid;
	case EV_WRITE:
	case EV_READ:
	case EV_FAULT:
	case EV_WALK_FAULT:
		return (ipa != ~0ULL && e->vmid == vmid &&
			(e->ipa & ~(PAGE_SIZE - 1)) == (ipa & ~(PAGE_SIZE - 1))) ||
		       (pa && (e->pa & ~(PAGE_SIZE - 1)) == pg);
	case EV_NOTE:
		return true;
	default:
		return false;
	}
}

void sim_trace_dump(u64 pa, u64 ipa, u32 vmid, unsigned int max)
{
	u64 first = ring_n > SIM_TRACE ? ring_n - SIM_TRACE : 0;
	u64 i, shown = 0, start = first;

	/* Find where the last `max` relevant events begin. */
	for (i = ring_n; i > first && shown < max; i--)
		if (relevant(&ring[(i - 1) % SIM_TRACE], pa, ipa, vmid)) {
			shown++;
			start = i - 1;
		}
	printf("# history of pa=%#llx ipa=%#llx vmid=%u (last %llu relevant events):\n",
	       pa, ipa, vmid, shown);
	for (i = start; i < ring_n; i++)
		if (relevant(&ring[i % SIM_TRACE], pa, ipa, vmid))
			print_event(stdout, &ring[i % SIM_TRACE]);
	if (sim_this_cpu >= 0) {
		u64 k = 0, from = ring_n;

		for (i = ring_n; i > first && k < 12; i--)
			if (ring[(i - 1) % SIM_TRACE].cpu == sim_this_cpu) {
				k++;
				from = i - 1;
			}
		printf("# last events of cpu%d (the CPU that hit the violation):\n", sim_this_cpu);
		for (i = from; i < ring_n; i++)
			if (ring[i % SIM_TRACE].cpu == sim_this_cpu)
				print_event(stdout, &ring[i % SIM_TRACE]);
	}
	printf("# last events of the machine:\n");
	for (i = ring_n > 25 ? ring_n - 25 : 0; i < ring_n; i++)
		if (i >= first)
			print_event(stdout, &ring[i % SIM_TRACE]);
}

void sim_violation(const char *rule, u64 pa, u64 ipa, u32 vmid, const char *fmt, ...)
{
	va_list ap;

	sim_no_sched++;
	fflush(stdout);
	printf("\n# VIOLATION %s at step %llu on cpu%d (seed %llu, %s, %u cpus): ",
	       rule, sim.step, sim_this_cpu, sim.cfg.seed,
	       sim.cfg.flavour == SIM_X86 ? "x86" : "arm64", sim.cfg.ncpus);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (pa)
		printf("# page %#llx: state %s (palloc %d, quarantine counts as free), "
		       "generation %u\n", pa,
		       sim_page_state(pa) == PAGE_FREE ? "FREE" :
		       sim_page_state(pa) == PAGE_ALLOCATED ? "ALLOCATED" : "RESERVED",
		       palloc_state(pa_init(pa)), palloc_generation(pa_init(pa)));
	sim_trace_dump(pa, ipa, vmid, 40);
	printf("# replay: %s --seed %llu --replay\n",
	       sim_replay_hint ? sim_replay_hint : "build/sim/simtest", sim.cfg.seed);
	fflush(stdout);
	_exit(1);
}
