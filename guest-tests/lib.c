// SPDX-License-Identifier: GPL-2.0
/* Guest framework: console, printf, secondary vCPUs, faults, test runner. */
#include <stdarg.h>
#include "guest.h"

void putc(char c)
{
	arch_putc(c);
}

/* One line at a time, so that lines of different vCPUs do not interleave. */
static u32 console_lock;

static void lock(u32 *l)
{
	while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
		while (READ_ONCE(*l))
			cpu_relax();
}

static void unlock(u32 *l)
{
	store_release(l, 0);
}

void puts(const char *s)
{
	while (*s)
		putc(*s++);
}

struct out { char *buf; size_t len, pos; };

static void emit(struct out *o, char c)
{
	if (o->pos + 1 < o->len)
		o->buf[o->pos] = c;
	o->pos++;
}

static void emit_num(struct out *o, u64 v, unsigned int base, bool neg, int width, char pad)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		tmp[n++] = '-';
	while (width-- > n)
		emit(o, pad);
	while (n)
		emit(o, tmp[--n]);
}

static void vformat(struct out *o, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		int lng = 0, width = 0;
		char pad = ' ';
		u64 v;

		if (*fmt != '%') {
			emit(o, *fmt);
			continue;
		}
		fmt++;
		if (*fmt == '0')
			pad = '0';
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + *fmt++ - '0';
		while (*fmt == 'l') {
			lng++;
			fmt++;
		}
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(ap, const char *);

			while (s && *s)
				emit(o, *s++);
			break;
		}
		case 'c':
			emit(o, (char)va_arg(ap, int));
			break;
		case 'd': {
			s64 s = lng ? va_arg(ap, s64) : va_arg(ap, int);

			emit_num(o, s < 0 ? -(u64)s : (u64)s, 10, s < 0, width, pad);
			break;
		}
		case 'u':
		case 'x':
			v = lng ? va_arg(ap, u64) : va_arg(ap, unsigned int);
			emit_num(o, v, *fmt == 'u' ? 10 : 16, false, width, pad);
			break;
		case '%':
			emit(o, '%');
			break;
		default:
			emit(o, '?');
		}
	}
	if (o->len)
		o->buf[o->pos < o->len ? o->pos : o->len - 1] = 0;
}

int snprintf(char *buf, size_t len, const char *fmt, ...)
{
	struct out o = { buf, len, 0 };
	va_list ap;

	va_start(ap, fmt);
	vformat(&o, fmt, ap);
	va_end(ap);
	return (int)o.pos;
}

int printf(const char *fmt, ...)
{
	char buf[256];
	struct out o = { buf, sizeof(buf), 0 };
	va_list ap;

	va_start(ap, fmt);
	vformat(&o, fmt, ap);
	va_end(ap);
	lock(&console_lock);
	puts(buf);
	unlock(&console_lock);
	return (int)o.pos;
}

/* ---- CPUs ------------------------------------------------------------- */

unsigned int nr_cpus = 1;

struct mailbox {
	void (*fn)(void *);
	void *arg;
	u32 busy;	/* 1 from cpu_run() until fn returned */
	u32 up;
} __attribute__((aligned(64)));

static struct mailbox mbox[GUEST_MAX_CPUS];
void cpu_run(unsigned int cpu, void (*fn)(void *), void *arg)
{
	mbox[cpu].arg = arg;
	WRITE_ONCE(mbox[cpu].busy, 1);
	store_release(&mbox[cpu].fn, fn);	/* fn last: the secondary polls it */
	cpu_wake_all();
}

void cpu_wait(unsigned int cpu)
{
	while (load_acquire(&mbox[cpu].busy))
		cpu_relax();
}

static void cpu_off_fn(void *arg)
{
	(void)arg;
}

void secondary_main(void);
void secondary_main(void)
{
	struct mailbox *m = &mbox[cpu_id()];

	store_release(&m->up, 1);
	for (;;) {
		void (*fn)(void *) = load_acquire(&m->fn);

		if (!fn) {
			/* Traps to the hypervisor (arm64 WFE, HCR_EL2.TWE): an exit point. */
			cpu_idle_wait();
			continue;
		}
		WRITE_ONCE(m->fn, NULL);
		fn(m->arg);
		store_release(&m->busy, 0);
		if (fn == cpu_off_fn)
			break;
	}
	arch_cpu_off();
	printf("guest: cpu%u: CPU off returned\n", cpu_id());
	for (;;)
		;
}

static void start_secondaries(void)
{
	unsigned int max = plat.cpus ? plat.cpus : GUEST_MAX_CPUS;

	for (unsigned int c = 1; c < max; c++) {
		int r = arch_cpu_on(c);

		if (r == 1)
			break;
		if (r) {
			printf("guest: CPU_ON(%u) failed: %d\n", c, r);
			break;
		}
		nr_cpus = c + 1;
	}
	for (unsigned int c = 1; c < nr_cpus; c++)
		while (!load_acquire(&mbox[c].up))
			cpu_relax();
}

/* ---- the guest DTB's /chosen ---------------------------------------- */

static u32 chosen_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static int chosen_str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* A u32 property of /chosen in the guest DTB; 0 if absent (guest.h). */
u32 chosen_u32(const char *name)
{
	const u8 *dtb = (const u8 *)(RAM_BASE + RAM_SIZE - SZ_2M)	/* doc/vm-config.md */, *p, *end;
	const char *strings;
	int depth = 0, in_chosen = 0;

	if (chosen_be32(dtb) != 0xd00dfeed || chosen_be32(dtb + 4) > SZ_2M)
		return 0;
	p = dtb + chosen_be32(dtb + 8);
	end = p + chosen_be32(dtb + 36);
	strings = (const char *)dtb + chosen_be32(dtb + 12);
	while (p + 4 <= end) {
		u32 tok = chosen_be32(p);

		p += 4;
		if (tok == 1) {		/* BEGIN_NODE */
			const char *n = (const char *)p;
			u64 l = 0;

			while (n[l])
				l++;
			depth++;
			in_chosen = depth == 2 && chosen_str_eq(n, "chosen");
			p += (l + 4) & ~3UL;
		} else if (tok == 2) {	/* END_NODE */
			depth--;
			in_chosen = 0;
		} else if (tok == 3) {	/* PROP len nameoff value */
			u32 len = chosen_be32(p), off = chosen_be32(p + 4);

			if (in_chosen && len == 4 && chosen_str_eq(strings + off, name))
				return chosen_be32(p + 8);
			p += 8 + ((len + 3) & ~3U);
		} else if (tok != 4) {	/* not NOP: END or garbage */
			break;
		}
	}
	return 0;
}

static void secondaries_off(void)
{
	for (unsigned int c = 1; c < nr_cpus; c++) {
		cpu_run(c, cpu_off_fn, NULL);
		cpu_wait(c);
	}
	/* Wait until the hypervisor reports them off (arm64: AFFINITY_INFO 1). */
	for (unsigned int c = 1; c < nr_cpus; c++)
		while (!arch_cpu_is_off(c))
			cpu_relax();
}

/* Turn a secondary off (PSCI CPU_OFF) and on again (CPU_ON): it starts afresh. */
int cpu_restart(unsigned int cpu)
{
	cpu_run(cpu, cpu_off_fn, NULL);
	cpu_wait(cpu);
	while (!arch_cpu_is_off(cpu))
		cpu_relax();
	WRITE_ONCE(mbox[cpu].up, 0);
	if (arch_cpu_on(cpu))
		return -1;
	while (!load_acquire(&mbox[cpu].up))
		cpu_relax();
	return 0;
}

__attribute__((noreturn)) void system_off(void)
{
	secondaries_off();
	arch_system_off();
	printf("guest: system off returned\n");
	for (;;)
		;
}

/* ---- faults ----------------------------------------------------------- */

struct fault_slot { u32 armed; u64 esr, far; } __attribute__((aligned(64)));
static struct fault_slot faults[GUEST_MAX_CPUS];

void expect_fault(void)
{
	struct fault_slot *f = &faults[cpu_id()];

	f->esr = 0;
	f->far = 0;
	WRITE_ONCE(f->armed, 1);
}

u64 fault_taken(u64 *far)
{
	struct fault_slot *f = &faults[cpu_id()];

	WRITE_ONCE(f->armed, 0);
	if (far)
		*far = f->far;
	return f->esr;
}

bool fault_record(u64 syndrome, u64 addr)
{
	struct fault_slot *f = &faults[cpu_id()];

	if (!READ_ONCE(f->armed))
		return false;
	f->esr = syndrome;
	f->far = addr;
	f->armed = 0;
	return true;
}

__attribute__((noreturn)) void fault_unexpected(u64 vector, u64 syndrome, u64 addr, u64 pc)
{
	printf("guest: cpu%u: unexpected exception vector %lu ESR %lx FAR %lx ELR %lx\n",
	       cpu_id(), vector, syndrome, addr, pc);
	printf("guest-tests: aborted\n");
	arch_system_off();
	for (;;)
		;
}

u64 hyp_counter(unsigned int idx)
{
	struct hyp_res r = hyp_call(HC_COUNTER, idx, 0, 0);

	return r.a0 ? ~0UL : r.a1;
}

/* ---- runner ----------------------------------------------------------- */

extern const struct gtest __gtests_start[], __gtests_end[];
unsigned int vm_id;
unsigned int nr_vms;

unsigned int hyp_flags;

/*
 * hyp-test,reset-loop = <N> in /chosen (configs/guests/guest-tests-reset-loop.dts,
 * scripts/tests/arm64-zcu102-vmid.sh): no tests, only VM lifetimes — PSCI
 * SYSTEM_RESET at once until incarnation N (HC_VERSION x3[63:32]), then
 * power off. Each recreation gives the VM a new VMID (doc/boards.md).
 */
static void reset_loop(void)
{
	u32 n = chosen_u32("hyp-test,reset-loop");
	unsigned int inc;

	if (!n)
		return;
	inc = (unsigned int)(hyp_call(HC_VERSION, 0, 0, 0).a3 >> 32);
	if (inc < n) {
		if (!inc || !(inc % 64))
			printf("guest-test: reset_loop: incarnation %u of %u: SYSTEM_RESET\n", inc, n);
		hyp_call(0x84000009UL, 0, 0, 0);	/* PSCI SYSTEM_RESET */
		printf("guest-test: reset_loop: FAIL (SYSTEM_RESET returned)\n");
	} else {
		printf("guest-test: reset_loop: PASS (incarnation %u of %u)\n", inc, n);
	}
	system_off();
}

static bool is_identity_test(const char *name)
{
	static const char p[] = "identity_";

	for (unsigned int i = 0; i < sizeof(p) - 1; i++)
		if (name[i] != p[i])
			return false;
	return true;
}

void guest_main(u64 dtb);
void guest_main(u64 dtb)
{
	unsigned int pass = 0, fail = 0, skip = 0;

	if (!plat.ram_size)	/* the arch's early code did not need it */
		platform_init(dtb);

	{
		struct hyp_res v = hyp_call(HC_VERSION, 0, 0, 0);

		vm_id = (unsigned int)v.a2;
		hyp_flags = (unsigned int)(v.a2 >> 32);
		nr_vms = (unsigned int)v.a3;
	}
	printf("guest: test kernel up on cpu%u (dtb %lx, vm%u), stage-1 MMU %s\n", cpu_id(),
	       dtb, vm_id, arch_mmu_on() ? "on" : "off");
	reset_loop();
	if (plat.dtb_err)
		printf("guest: DTB at %lx not used: %s\n", dtb, plat.dtb_err);
	printf("guest: platform (%s): RAM %lx+%lx, UART %lx, %u cpus%s\n",
	       plat.from_dtb ? "from the DTB" : "built-in", plat.ram_base, plat.ram_size,
	       plat.uart_base, plat.cpus, plat.cpus ? "" : " (probe)");
	start_secondaries();
	printf("guest: %u vCPUs\n", nr_cpus);
	/*
	 * Identity-mapped RAM (HYP_F_IDENTITY): only the identity_* tests; the
	 * others unmap, move and demand-fault RAM, which such a VM refuses by
	 * design. Elsewhere the identity_* tests are not run (no SKIP line).
	 */
	if (hyp_flags & HYP_F_IDENTITY)
		printf("guest: RAM identity-mapped: running the identity_* tests only\n");
	for (const struct gtest *t = __gtests_start; t < __gtests_end; t++) {
		char msg[160];
		int r;

		if (is_identity_test(t->name) != !!(hyp_flags & HYP_F_IDENTITY))
			continue;
		msg[0] = 0;
		r = t->fn(msg, sizeof(msg));
		if (r > 0)
			fail++;
		else if (r < 0)
			skip++;
		else
			pass++;
		printf("guest-test: %s: %s%s%s\n", t->name,
		       r > 0 ? "FAIL" : r < 0 ? "SKIP" : "PASS",
		       msg[0] ? " " : "", msg);
	}
	/*
	 * hyp-test,loop in /chosen (configs/guests/guest-tests-2cpu-loop.dts,
	 * make run): run the tests again and again, as a VM beside a Linux
	 * guest that must not power the machine off when its tests end. PSCI
	 * SYSTEM_RESET: the hypervisor recreates this VM from its images.
	 * The summary is the round's last line: the one a VM without the
	 * console focus shows (doc/console.md).
	 */
	if (chosen_u32("hyp-test,loop"))
		printf("guest-tests: hyp-test,loop: again after this round (PSCI SYSTEM_RESET)\n");
	printf("guest-tests: %u passed, %u failed, %u skipped\n", pass, fail, skip);
	if (chosen_u32("hyp-test,loop")) {
		secondaries_off();
		hyp_call(0x84000009UL, 0, 0, 0);	/* PSCI SYSTEM_RESET */
		printf("guest-tests: SYSTEM_RESET returned\n");
	}
	system_off();
}
