// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzzing guest (guest-fuzz.bin; doc/fuzzing.md): every vCPU of the VM
 * issues random hypercalls, PSCI/SMCCC calls and MMIO accesses at once,
 * with arguments biased to boundaries, and checks each answer against the
 * documented ABI (doc/hypercalls.md): an argument error is predicted
 * exactly (the documented order of checks), a valid call must return one of
 * the results documented for it. A verified region of the VM's own memory
 * holds known contents, rewritten and re-checked by its owner vCPU while the
 * others migrate, dirty-log and re-map it (the operations that must keep
 * contents); destructive operations never touch it nor the image.
 *
 * Configuration from the guest DTB's /chosen: hyp-test,fuzz-seed (0: 1) and
 * hyp-test,fuzz-calls (0: FUZZ_CALLS_DEFAULT), the calls of all vCPUs; where
 * the guest has no DTB (x86), from fuzz_cfg, which the test script patches
 * into its copy of the image.
 *
 * Memory (RAM_BASE = the link address):
 *   [RAM_BASE, +2 MiB)      the image, stacks: no destructive call
 *   [+2 MiB, +2.5 MiB)      the verified region (VER): no destructive call
 *   [+4 MiB, RAM end)       the playground: anything (the DTB in the last
 *                           2 MiB is read before the workers start)
 */
#include "fuzz.h"

#define FUZZ_CALLS_DEFAULT	20000UL
#define IMG_SIZE		SZ_2M
#define VER_SIZE		(512 * 1024UL)
#define VER_BASE		(RAM_BASE + IMG_SIZE)
#define VER_PAGES		(VER_SIZE / PAGE_SIZE)
#define PLAY_BASE		(RAM_BASE + 2 * SZ_2M)
#define RAM_END			(RAM_BASE + RAM_SIZE)
#define VERIFY_EVERY		512	/* calls between two checks of the own slice */
#define REWRITE_EVERY		2048	/* calls between two rewrites of it */

#define OK			0L
#define ERR(e)			HC_ERR(HC_E_##e)
#define NOT_SUPPORTED		(-1L)

extern char __bss_end[];

static u32 seed;
static u64 t_start;
static u64 hc_ticks[GUEST_MAX_CPUS][14];
static unsigned int last_hc[GUEST_MAX_CPUS];
static u64 calls_per_cpu;
static u32 stop;			/* set by the first failure: every worker stops */
static char fail_msg[GUEST_MAX_CPUS][200];
static u64 fail_call[GUEST_MAX_CPUS];
static u64 gen[GUEST_MAX_CPUS];		/* generation of each vCPU's VER slice */
struct fuzz_count { u64 hc, psci, mmio, verifies, rewrites; } __attribute__((aligned(64)));
static struct fuzz_count count[GUEST_MAX_CPUS];
struct fuzz_mmio_stats fuzz_mmio_stats[GUEST_MAX_CPUS];

/*
 * Without a guest DTB (x86 guests get none): the seed and the number of
 * calls, found by the marker and overwritten in a copy of guest-fuzz.bin
 * (scripts/tests/x86-fuzz-qemu.sh). 0: the defaults.
 */
static volatile struct { char magic[8]; u32 seed, calls; } fuzz_cfg
	__attribute__((used, aligned(8))) = { "HYPFUZZ", 0, 0 };

u64 fuzz_value(struct fuzz_rng *r)
{
	u64 b = 1UL << rnd_below(r, 64);

	switch (rnd_below(r, 8)) {
	case 0: return 0;
	case 1: return ~0UL;
	case 2: return b;
	case 3: return b - 1;
	case 4: return b + 1;
	case 5: return -b;
	case 6: return rnd_below(r, 0x10000);
	default: return rnd(r);
	}
}

/* ---- the reference: doc/hypercalls.md "Range checks, in this order" ----- */

static s64 range_err(u64 ipa, u64 size)
{
	if (!size)
		return ERR(INVAL);
	if ((ipa | size) & (PAGE_SIZE - 1))
		return ERR(ALIGN);
	if (ipa + size < ipa)
		return ERR(RANGE);
	if (ipa < RAM_BASE || ipa + size > RAM_END)
		return ERR(RANGE);
	return OK;
}

/* A valid range that reaches the image or the verified region. */
static bool protected(u64 ipa, u64 size)
{
	return range_err(ipa, size) == OK && ipa < PLAY_BASE;
}

static bool overlaps(u64 a, u64 as, u64 b, u64 bs)
{
	return a < b + bs && b < a + as;
}

static u64 boundary_ipa(struct fuzz_rng *r)
{
	const u64 v[] = { 0, ~0UL, RAM_BASE - PAGE_SIZE, RAM_BASE - 1, RAM_BASE,
			  RAM_END - PAGE_SIZE, RAM_END, RAM_END + PAGE_SIZE, ~0xfffUL,
			  1UL << 63, PLAY_BASE, VER_BASE, RAM_END - SZ_2M, 1UL << 48 };

	return rnd_below(r, 4) ? v[rnd_below(r, sizeof(v) / sizeof(v[0]))] : fuzz_value(r);
}

static u64 boundary_size(struct fuzz_rng *r, u64 ipa)
{
	const u64 v[] = { 0, 1, PAGE_SIZE - 1, PAGE_SIZE, 2 * PAGE_SIZE, SZ_2M,
			  SZ_2M + PAGE_SIZE, 64 * PAGE_SIZE, 65 * PAGE_SIZE, RAM_SIZE,
			  1UL << 62, ~0xfffUL, -ipa, RAM_END - ipa, RAM_END - ipa + PAGE_SIZE };

	return rnd_below(r, 4) ? v[rnd_below(r, sizeof(v) / sizeof(v[0]))] : fuzz_value(r);
}

/* A range: mostly valid in the playground, often at or past a boundary. */
static void gen_range(struct fuzz_rng *r, u64 *ipa, u64 *size, u64 max)
{
	u64 play_pages = (RAM_END - PLAY_BASE) / PAGE_SIZE;

	switch (rnd_below(r, 8)) {
	case 0: case 1: case 2: case 3:
		*ipa = PLAY_BASE + PAGE_SIZE * rnd_below(r, play_pages);
		/* big ones rare: each page costs a zeroing or a poisoning */
		*size = PAGE_SIZE * (1 + rnd_below(r, rnd_below(r, 64) ? 4 : max / PAGE_SIZE + 2));
		break;
	case 4:		/* anywhere in RAM (destructive calls re-roll) */
		*ipa = RAM_BASE + PAGE_SIZE * rnd_below(r, RAM_SIZE / PAGE_SIZE);
		*size = PAGE_SIZE * (1 + rnd_below(r, 16));
		break;
	case 5:
		*ipa = boundary_ipa(r);
		*size = PAGE_SIZE * (1 + rnd_below(r, 4));
		break;
	case 6:
		*ipa = PLAY_BASE + PAGE_SIZE * rnd_below(r, play_pages);
		*size = boundary_size(r, *ipa);
		break;
	default:
		*ipa = boundary_ipa(r);
		*size = boundary_size(r, *ipa);
	}
	if (!rnd_below(r, 16))
		*ipa += rnd_below(r, PAGE_SIZE);
	if (!rnd_below(r, 16))
		*size += rnd_below(r, PAGE_SIZE);
}

/* A range for a destructive call: never the image or the verified region. */
static void gen_range_destructive(struct fuzz_rng *r, u64 *ipa, u64 *size, u64 max)
{
	do
		gen_range(r, ipa, size, max);
	while (protected(*ipa, *size));
}

static u64 slice_size(void);

/* ---- one call and its check --------------------------------------------- */

struct call {
	u64 fn, a[6], out[4];
};

static int issue(struct fuzz_rng *r, struct call *c, char *msg, size_t len)
{
	return fuzz_arch_call(c->fn, c->a, c->out, (unsigned int)rnd_below(r, fuzz_conduits),
			      msg, len);
}

static int want_one(const struct call *c, const char *name, s64 want, char *msg, size_t len)
{
	if ((s64)c->out[0] == want)
		return 0;
	snprintf(msg, len, "%s(%lx, %lx, %lx): got %ld, want %ld", name, c->a[0], c->a[1],
		 c->a[2], (s64)c->out[0], want);
	return 1;
}

/* out[0] in the set (terminated by 1, which no call returns). */
static int want_set(const struct call *c, const char *name, const s64 *set, char *msg,
		    size_t len)
{
	char *p = msg;
	size_t n;

	for (const s64 *s = set; *s != 1; s++)
		if ((s64)c->out[0] == *s)
			return 0;
	n = (size_t)snprintf(p, len, "%s(%lx, %lx, %lx): got %ld, want one of", name, c->a[0],
			     c->a[1], c->a[2], (s64)c->out[0]);
	for (const s64 *s = set; *s != 1 && n < len; s++)
		n += (size_t)snprintf(p + n, len - n, " %ld", *s);
	return 1;
}

static const char *const hc_names[] = {
	"VERSION", "MAP", "UNMAP", "PROTECT", "MOVE", "RECLAIM", "COUNTER",
	"DIRTY_START", "DIRTY_STOP", "DIRTY_HARVEST", "RACE_DELAY", "MIGRATE",
};

static int fuzz_hypercall(struct fuzz_rng *r, unsigned int cpu, char *msg, size_t len)
{
	struct call c;
	unsigned int n = (unsigned int)rnd_below(r, 14);

	last_hc[cpu] = n;
	const char *name = n < 12 ? hc_names[n] : "unknown";
	u64 ipa, size, dst;
	s64 v;

	for (unsigned int i = 0; i < 6; i++)
		c.a[i] = rnd_below(r, 4) ? 0 : fuzz_value(r);
	c.fn = HC_BASE + n;
	switch (n) {
	case 0:		/* VERSION */
		if (issue(r, &c, msg, len))
			return 1;
		if (c.out[0] || c.out[1] != 1 || (u32)c.out[2] != vm_id || (u32)c.out[3] != nr_vms)
			return snprintf(msg, len, "VERSION: %lx %lx %lx %lx, want 0 1 vm%u %u VMs",
					c.out[0], c.out[1], c.out[2], c.out[3], vm_id, nr_vms), 1;
		return 0;
	case 1:		/* MAP: anywhere (over mapped memory it must fail, nothing changed) */
		gen_range(r, &ipa, &size, HC_MAP_MAX);
		if (!rnd_below(r, 8)) {	/* into the verified region: all mapped */
			ipa = VER_BASE + PAGE_SIZE * rnd_below(r, VER_SIZE / PAGE_SIZE);
			size = PAGE_SIZE * (1 + rnd_below(r, 8));
		}
		if (range_err(ipa, size) == OK && size > 64 * PAGE_SIZE && size <= HC_MAP_MAX &&
		    rnd_below(r, 4))
			size = PAGE_SIZE * (1 + rnd_below(r, 4));	/* big maps: costly, rarer */
		c.a[0] = ipa, c.a[1] = size;
		if (issue(r, &c, msg, len))
			return 1;
		v = range_err(ipa, size);
		if (v)
			return want_one(&c, name, v, msg, len);
		if (size > HC_MAP_MAX)
			return want_one(&c, name, ERR(INVAL), msg, len);
		if (overlaps(ipa, size, VER_BASE, nr_cpus * slice_size()))	/* all mapped */
			return want_set(&c, name, (const s64[]){ ERR(EXIST), ERR(NOMEM), 1 }, msg, len);
		return want_set(&c, name, (const s64[]){ OK, ERR(EXIST), ERR(NOMEM), 1 }, msg, len);
	case 2:		/* UNMAP */
	case 5:		/* RECLAIM (harmless anywhere, but no need) */
		gen_range_destructive(r, &ipa, &size, SZ_2M);
		c.a[0] = ipa, c.a[1] = size;
		if (issue(r, &c, msg, len))
			return 1;
		v = range_err(ipa, size);
		if (v)
			return want_one(&c, name, v, msg, len);
		if (n == 5)
			return want_one(&c, name, OK, msg, len);
		return want_set(&c, name, (const s64[]){ OK, ERR(NOMEM), 1 }, msg, len);
	case 3:		/* PROTECT */
		gen_range_destructive(r, &ipa, &size, SZ_2M);
		c.a[0] = ipa, c.a[1] = size;
		c.a[2] = rnd_below(r, 4) ? rnd_below(r, 8) : fuzz_value(r);
		if (issue(r, &c, msg, len))
			return 1;
		v = range_err(ipa, size);
		if (v)
			return want_one(&c, name, v, msg, len);
		if ((c.a[2] & ~(u64)(HC_PROT_R | HC_PROT_W | HC_PROT_X)) || !(c.a[2] & HC_PROT_R))
			return want_one(&c, name, ERR(INVAL), msg, len);
		return want_set(&c, name, (const s64[]){ OK, ERR(NOMEM), 1 }, msg, len);
	case 4:		/* MOVE (src, dst, size): often overlapping */
		do {
			gen_range(r, &ipa, &size, 16 * PAGE_SIZE);
			dst = rnd_below(r, 3) ? ipa + PAGE_SIZE * (rnd_below(r, 32) - 16)
					       : rnd_below(r, 2) ? boundary_ipa(r)
					       : PLAY_BASE + PAGE_SIZE *
						 rnd_below(r, (RAM_END - PLAY_BASE) / PAGE_SIZE);
		} while (protected(ipa, size) || protected(dst, size));
		c.a[0] = ipa, c.a[1] = dst, c.a[2] = size;
		if (issue(r, &c, msg, len))
			return 1;
		v = range_err(ipa, size);
		if (!v)
			v = range_err(dst, size);
		if (v)
			return want_one(&c, name, v, msg, len);
		if (overlaps(ipa, size, dst, size))
			return want_one(&c, name, ERR(INVAL), msg, len);
		/* ALIGN: a block that cannot move whole (doc: s2_move()) */
		return want_set(&c, name, (const s64[]){ OK, ERR(EXIST), ERR(NOMEM), ERR(ALIGN), 1 },
				msg, len);
	case 6: {	/* COUNTER: values never go down (seen by this vCPU) */
		static u64 last[GUEST_MAX_CPUS][HC_CNT_NR];

		c.a[0] = rnd_below(r, 4) ? rnd_below(r, HC_CNT_NR + 2) : fuzz_value(r);
		if (issue(r, &c, msg, len))
			return 1;
		if (c.a[0] >= HC_CNT_NR)
			return want_one(&c, name, ERR(RANGE), msg, len);
		if (want_one(&c, name, OK, msg, len))
			return 1;
		if (c.out[1] < last[cpu][c.a[0]])
			return snprintf(msg, len, "COUNTER %lu went down: %lu after %lu", c.a[0],
					c.out[1], last[cpu][c.a[0]]), 1;
		last[cpu][c.a[0]] = c.out[1];
		return 0;
	}
	case 7:		/* DIRTY_START: anywhere (write-protect only) */
		gen_range(r, &ipa, &size, HC_DIRTY_MAX);
		if (!rnd_below(r, 4)) {		/* the verified region or the image */
			ipa = RAM_BASE + PAGE_SIZE * rnd_below(r, (PLAY_BASE - RAM_BASE) / PAGE_SIZE);
			size = PAGE_SIZE * (1 + rnd_below(r, rnd_below(r, 16) ? 8 : 64));
		}
		c.a[0] = ipa, c.a[1] = size;
		if (issue(r, &c, msg, len))
			return 1;
		v = range_err(ipa, size);
		if (v)
			return want_one(&c, name, v, msg, len);
		if (size > HC_DIRTY_MAX)
			return want_one(&c, name, ERR(INVAL), msg, len);
		return want_set(&c, name, (const s64[]){ OK, ERR(EXIST), ERR(NOMEM), 1 }, msg, len);
	case 8:		/* DIRTY_STOP */
		if (issue(r, &c, msg, len))
			return 1;
		return want_one(&c, name, OK, msg, len);
	case 9: {	/* DIRTY_HARVEST */
		u64 bits;
		unsigned int pop = 0;

		if (issue(r, &c, msg, len))
			return 1;
		if (want_set(&c, name, (const s64[]){ OK, ERR(NOENT), 1 }, msg, len))
			return 1;
		if (c.out[0])
			return 0;
		for (bits = c.out[1]; bits; bits &= bits - 1)
			pop++;
		if (pop != c.out[2])
			return snprintf(msg, len, "DIRTY_HARVEST: bitmap %lx has %u bits, count %lu",
					c.out[1], pop, c.out[2]), 1;
		return 0;
	}
	case 10:	/* RACE_DELAY: valid ones short (they slow this VM only) */
		c.a[0] = rnd_below(r, 2) ? rnd_below(r, 4) : fuzz_value(r);
		c.a[1] = rnd_below(r, 2) ? rnd_below(r, 4) : fuzz_value(r);
		c.a[2] = rnd_below(r, 2) ? rnd_below(r, 20) : fuzz_value(r);
		c.a[3] = rnd_below(r, 2) ? 0 : rnd(r);
		if (c.a[0] < 3 && c.a[1] && c.a[1] < 3 && c.a[2] && c.a[2] <= 100000)
			c.a[2] = 1 + c.a[2] % 20;
		if (issue(r, &c, msg, len))
			return 1;
		/* s2_race_set(): point, mode, off, us range, us 0 (doc/fuzzing.md) */
		v = c.a[0] >= 3 ? ERR(RANGE) : c.a[1] >= 3 ? ERR(INVAL) : !c.a[1] ? OK :
		    c.a[2] > 100000 ? ERR(RANGE) : !c.a[2] ? ERR(INVAL) : OK;
		return want_one(&c, name, v, msg, len);
	case 11:	/* MIGRATE: anywhere, contents kept (the image and VER included) */
		gen_range(r, &ipa, &size, HC_MIGRATE_MAX);
		if (!rnd_below(r, 3)) {		/* the image (stacks, code) */
			ipa = RAM_BASE + PAGE_SIZE * rnd_below(r, (PLAY_BASE - RAM_BASE) / PAGE_SIZE);
			size = PAGE_SIZE * (1 + rnd_below(r, rnd_below(r, 16) ? 4 : 64));
		} else if (rnd_below(r, 2)) {	/* the verified region, its owners writing */
			ipa = VER_BASE + PAGE_SIZE * rnd_below(r, VER_PAGES);
			size = PAGE_SIZE * (1 + rnd_below(r, 4));
		}
		c.a[0] = ipa, c.a[1] = size;
		if (issue(r, &c, msg, len))
			return 1;
		v = range_err(ipa, size);
		if (v)
			return want_one(&c, name, v, msg, len);
		if (size > HC_MIGRATE_MAX)
			return want_one(&c, name, ERR(INVAL), msg, len);
		if (want_set(&c, name, (const s64[]){ OK, ERR(NOMEM), 1 }, msg, len))
			return 1;
		if (!c.out[0] && c.out[1] > size / PAGE_SIZE)
			return snprintf(msg, len, "MIGRATE(%lx, %lx): %lu pages migrated", ipa, size,
					c.out[1]), 1;
		return 0;
	default:	/* unknown hypervisor call numbers */
		c.fn = HC_BASE + 12 + rnd_below(r, rnd_below(r, 2) ? 4 : 0xfff4);
		if (issue(r, &c, msg, len))
			return 1;
		return want_one(&c, "unknown hypercall", NOT_SUPPORTED, msg, len);
	}
}

#define P_VERSION	0x84000000UL
#define P_SUSPEND	0x84000001UL
#define P_CPU_OFF	0x84000002UL
#define P_CPU_ON	0x84000003UL
#define P_AFFINITY	0x84000004UL
#define P_MIGRATE	0x84000005UL
#define P_MIG_TYPE	0x84000006UL
#define P_MIG_UP_CPU	0x84000007UL
#define P_SYSTEM_OFF	0x84000008UL
#define P_SYSTEM_RESET	0x84000009UL
#define P_FEATURES	0x8400000aUL
#define P_RESET2	0x84000012UL
#define P_64		0x40000000UL
#define SMCCC_VERSION	0x80000000UL
#define SMCCC_ARCH_FEAT	0x80000001UL

/* ---- CPU_OFF/CPU_ON cycles and races (doc/fuzzing.md) -------------------- */

/*
 * Cycled vCPUs (targets): the last vCPU (when the VM has at least 2) and,
 * where the arch can bring vCPU 0 back into its own context
 * (fuzz_arch_cpu0_off(), x86) and the VM has at least 3 vCPUs (so one
 * always stays on), vCPU 0, which runs the test itself. A target turns
 * itself off every CYCLE_EVERY of its calls; every other vCPU, seeing its
 * want_on, issues CPU_ON to it at once (after an HC_UNMAP of the last pages
 * of RAM half the time: issue 14's use-after-free was CPU_ON(0) racing with
 * exactly that), so several CPU_ONs race for one target. PSCI 1.1: exactly
 * one succeeds per CPU_OFF, the others get ALREADY_ON or ON_PENDING. The
 * target resumes its worker where it was (its state is in rng[], iter[], or
 * for vCPU 0 on its own stack).
 */
#define CYCLE_EVERY	64
#define P_ALREADY_ON	(-4L)
#define P_ON_PENDING	(-5L)
#define NCYC		2

extern char secondary_entry[];		/* the arch's CPU_ON entry, context = vCPU index */

/* Arch (weak default: none): vCPU 0's CPU_ON entry that resumes it (fuzz.h). */
__attribute__((weak)) char *fuzz_arch_cpu0_entry(void) { return NULL; }
__attribute__((weak)) int fuzz_arch_cpu0_off(void) { return -1; }

struct cyc {
	unsigned int cpu;		/* the target vCPU */
	bool on;			/* cycled in this run */
	u64 entry;			/* where its CPU_ONs point */
	u32 offs;			/* CPU_OFFs it made (it alone writes) */
	u32 wins;			/* CPU_ONs of it that succeeded (atomic) */
	u32 want_on;			/* it is going or gone off */
	u32 done;			/* its worker finished */
};
static struct cyc cyc[NCYC];
static u64 cyc_seen[GUEST_MAX_CPUS][NCYC][3];	/* per caller: SUCCESS, ALREADY_ON, ON_PENDING */

/* The cycled target @cpu is, or NULL. */
static struct cyc *cyc_of(u64 cpu)
{
	for (unsigned int t = 0; t < NCYC; t++)
		if (cyc[t].on && cyc[t].cpu == cpu)
			return &cyc[t];
	return NULL;
}

/*
 * The answer to a CPU_ON of a target with a valid entry. The winner asks
 * again at once, before it counts its win (the target cannot go off again
 * until then, cyc_resume()): that one must not succeed; it is the likeliest
 * to find the target still ON_PENDING.
 */
static int cyc_check_on(struct fuzz_rng *r, struct cyc *y, const struct call *c,
			unsigned int cpu, char *msg, size_t len)
{
	u64 *seen = cyc_seen[cpu][y - cyc];
	s64 v = (s64)c->out[0];

	if (v == 0) {
		struct call again = *c;

		seen[0]++;
		if (issue(r, &again, msg, len))
			return 1;
		v = (s64)again.out[0];
		if (v != P_ALREADY_ON && v != P_ON_PENDING)
			return snprintf(msg, len, "CPU_ON(cpu%u) again right after it succeeded: got "
					"%ld, want ALREADY_ON (-4) or ON_PENDING (-5)", y->cpu, v), 1;
		seen[v == P_ALREADY_ON ? 1 : 2]++;
		__atomic_fetch_add(&y->wins, 1, __ATOMIC_ACQ_REL);
	} else if (v == P_ALREADY_ON) {
		seen[1]++;
	} else if (v == P_ON_PENDING) {
		seen[2]++;
	} else {
		return snprintf(msg, len, "CPU_ON(cpu%u) racing: got %ld, want 0, ALREADY_ON (-4) or "
				"ON_PENDING (-5)", y->cpu, v), 1;
	}
	return 0;
}

/* CPU_ON(@y's vCPU) at its entry, half the time after an HC_UNMAP of RAM's last pages. */
static int race_on(struct fuzz_rng *r, struct cyc *y, unsigned int cpu, char *msg, size_t len)
{
	struct call c, u;

	for (unsigned int i = 0; i < 6; i++)
		c.a[i] = u.a[i] = 0;	/* (no memset in the guest) */
	c.fn = P_CPU_ON | P_64;
	c.a[0] = y->cpu, c.a[1] = y->entry, c.a[2] = y->cpu;
	if (rnd_below(r, 2)) {		/* the fuzzer's pages go meanwhile */
		u.fn = HC_UNMAP;
		u.a[1] = PAGE_SIZE * (1 + rnd_below(r, 16));
		u.a[0] = RAM_END - u.a[1];
		if (issue(r, &u, msg, len) ||
		    want_set(&u, "UNMAP", (const s64[]){ OK, ERR(NOMEM), 1 }, msg, len))
			return 1;
	}
	if (issue(r, &c, msg, len))
		return 1;
	return cyc_check_on(r, y, &c, cpu, msg, len);
}

/* Every target but @cpu that wants to be turned on: race for it. 1: failed. */
static int race_all(struct fuzz_rng *r, unsigned int cpu, char *msg, size_t len)
{
	for (unsigned int t = 0; t < NCYC; t++)
		if (cyc[t].on && cyc[t].cpu != cpu && load_acquire(&cyc[t].want_on) &&
		    race_on(r, &cyc[t], cpu, msg, len))
			return 1;
	return 0;
}

/* Does a target other than @cpu want a CPU_ON? */
static bool cyc_wanted(unsigned int cpu)
{
	for (unsigned int t = 0; t < NCYC; t++)
		if (cyc[t].on && cyc[t].cpu != cpu && load_acquire(&cyc[t].want_on))
			return true;
	return false;
}

/* Has every target other than @cpu finished its worker? */
static bool cyc_others_done(unsigned int cpu)
{
	for (unsigned int t = 0; t < NCYC; t++)
		if (cyc[t].on && cyc[t].cpu != cpu && !load_acquire(&cyc[t].done))
			return false;
	return true;
}

/* A target, resuming after a CPU_ON: one winner for its last CPU_OFF. */
static int cyc_resume(struct cyc *y, char *msg, size_t len)
{
	u64 t = clock_ticks();

	/* The winner counts right after its calls return (10 s: surely lost). */
	while (load_acquire(&y->wins) < READ_ONCE(y->offs) && !READ_ONCE(stop) &&
	       clock_ticks() - t < 10 * clock_hz())
		cpu_relax();
	if (READ_ONCE(stop))
		return 0;	/* failed elsewhere: that is the report */
	if (load_acquire(&y->wins) != READ_ONCE(y->offs))
		return snprintf(msg, len, "CPU_ON of cpu%u: %u successes after %u CPU_OFFs",
				y->cpu, load_acquire(&y->wins), READ_ONCE(y->offs)), 1;
	store_release(&y->want_on, 0);
	return 0;
}

/* ---- PSCI and SMCCC (doc/hypercalls.md, doc/guest-fidelity.md) ---------- */


static bool psci_supported(u32 fn)
{
	switch (fn) {
	case P_VERSION: case P_CPU_OFF: case P_CPU_ON: case P_CPU_ON | P_64:
	case P_AFFINITY: case P_AFFINITY | P_64: case P_SYSTEM_OFF: case P_SYSTEM_RESET:
	case P_FEATURES: case P_SUSPEND: case P_SUSPEND | P_64: case P_MIG_TYPE:
	case P_RESET2: case P_RESET2 | P_64: case SMCCC_VERSION:
		return true;
	}
	return false;
}

/* Calls that would stop or reset this VM or a vCPU: never issued at random. */
static bool psci_fatal(u32 fn, u64 a1)
{
	return fn == P_CPU_OFF || fn == P_SYSTEM_OFF || fn == P_SYSTEM_RESET ||
	       ((fn == P_RESET2 || fn == (P_RESET2 | P_64)) && (u32)a1 == 0);
}

static u64 gen_target(struct fuzz_rng *r)
{
	const u64 v[] = { 0, 1, nr_cpus - 1, nr_cpus, GUEST_MAX_CPUS, 0xff, 0x100,
			  1UL << 32, (1UL << 32) | 1, ~0UL };

	return rnd_below(r, 4) ? v[rnd_below(r, sizeof(v) / sizeof(v[0]))] : fuzz_value(r);
}

static int fuzz_psci(struct fuzz_rng *r, unsigned int cpu, char *msg, size_t len)
{
	static const u32 fns[] = {
		P_VERSION, P_SUSPEND, P_SUSPEND | P_64, P_CPU_ON, P_CPU_ON | P_64, P_AFFINITY,
		P_AFFINITY | P_64, P_MIGRATE, P_MIGRATE | P_64, P_MIG_TYPE, P_MIG_UP_CPU,
		P_MIG_UP_CPU | P_64, P_FEATURES, P_RESET2, P_RESET2 | P_64, SMCCC_VERSION,
		SMCCC_ARCH_FEAT, P_SYSTEM_OFF | P_64, P_SYSTEM_RESET | P_64, P_CPU_OFF | P_64,
	};
	struct call c;
	u32 fn;
	u64 a1, a2;
	bool smc32;
	s64 want;

	for (unsigned int i = 0; i < 6; i++)
		c.a[i] = fuzz_value(r);
	switch (rnd_below(r, 4)) {
	case 0:		/* any id in the PSCI blocks */
		fn = 0x84000000U | (u32)rnd_below(r, 0x20) | (rnd_below(r, 2) ? (u32)P_64 : 0);
		break;
	case 1:		/* any id at all */
		fn = (u32)rnd(r);
		break;
	default:
		fn = fns[rnd_below(r, sizeof(fns) / sizeof(fns[0]))];
	}
	if ((fn & 0xffff0000U) == HC_BASE)
		fn ^= 0x01000000U;	/* hypervisor calls are fuzz_hypercall()'s */
	switch (fn) {
	case P_CPU_ON: case P_CPU_ON | P_64: case P_AFFINITY: case P_AFFINITY | P_64:
		c.a[0] = gen_target(r);
		if (!rnd_below(r, 2))
			c.a[1] = rnd_below(r, 2) ? RAM_BASE + 4 * rnd_below(r, RAM_SIZE / 4)
						 : boundary_ipa(r);
		if ((fn & ~P_64) == P_AFFINITY && rnd_below(r, 2))
			c.a[1] = rnd_below(r, 3);
		break;
	case P_FEATURES:
	case SMCCC_ARCH_FEAT:
		c.a[0] = rnd_below(r, 2) ? fns[rnd_below(r, sizeof(fns) / sizeof(fns[0]))]
					 : fuzz_value(r);
		break;
	}
	if (psci_fatal(fn, c.a[0])) {
		if ((fn & ~(u32)P_64) == P_RESET2)
			c.a[0] |= 1;	/* an invalid reset_type */
		else
			fn = P_VERSION;
	}
	c.fn = fn;
	smc32 = !(fn & P_64);
	a1 = smc32 ? (u32)c.a[0] : c.a[0];
	a2 = smc32 ? (u32)c.a[1] : c.a[1];
	/* CPU_ON may wake a target: then only at its entry (a valid one stays valid). */
	if ((fn & ~P_64) == P_CPU_ON && cyc_of(a1) && a2 >= RAM_BASE &&
	    a2 - RAM_BASE < RAM_SIZE && !(a2 & 3)) {
		struct cyc *y = cyc_of(a1);

		c.a[1] = y->entry, c.a[2] = y->cpu;
		if (issue(r, &c, msg, len))
			return 1;
		return cyc_check_on(r, y, &c, cpu, msg, len);
	}
	if (issue(r, &c, msg, len))
		return 1;
	if ((fn & 0xbfffffe0U) == 0x84000000U) {
		switch (fn) {
		case P_VERSION:
			want = 0x10001;
			break;
		case P_SUSPEND: case P_SUSPEND | P_64:
			want = 0;
			break;
		case P_MIG_TYPE:
			want = 2;
			break;
		case P_RESET2: case P_RESET2 | P_64:
			want = -2;	/* only reset_type 0 is valid; psci_fatal() kept it out */
			break;
		case P_CPU_ON: case P_CPU_ON | P_64:
			/* every vCPU of this VM runs a worker: ALREADY_ON where valid */
			want = (a1 & ~0xffUL) || a1 >= nr_cpus ? -2 :
			       a2 < RAM_BASE || a2 - RAM_BASE >= RAM_SIZE || (a2 & 3) ? -9 : -4;
			break;
		case P_AFFINITY: case P_AFFINITY | P_64:
			want = (a1 & ~0xffUL) || a1 >= nr_cpus || a2 ? -2 : 0;
			/* a target: on (0), off (1) or on pending (2) */
			if (!want && cyc_of(a1) && c.out[0] <= 2)
				want = (s64)c.out[0];
			break;
		case P_FEATURES:
			want = psci_supported((u32)c.a[0]) ? 0 : -1;
			break;
		default:
			want = NOT_SUPPORTED;
		}
	} else if (fn == SMCCC_VERSION) {
		want = 0x10001;
	} else if (fn == SMCCC_ARCH_FEAT) {
		want = (u32)c.a[0] == SMCCC_VERSION || (u32)c.a[0] == SMCCC_ARCH_FEAT ? 0 : -1;
	} else {
		want = NOT_SUPPORTED;
	}
	if ((s64)c.out[0] == want)
		return 0;
	snprintf(msg, len, "SMCCC %x(%lx, %lx, %lx): got %ld, want %ld", fn, c.a[0], c.a[1],
		 c.a[2], (s64)c.out[0], want);
	return 1;
}

/* ---- the verified region ------------------------------------------------ */

static u64 slice_size(void)
{
	return VER_SIZE / nr_cpus & ~(PAGE_SIZE - 1);
}

/*
 * Word 0 of each page of a slice is a counter its owner bumps between calls
 * (ctr[][]: what it must read), so a write lost while another vCPU migrates,
 * dirty-logs or re-maps that page is seen at the next check.
 */
static u64 ctr[GUEST_MAX_CPUS][VER_PAGES];

static u64 pattern(u64 addr, u64 g)
{
	u64 z = addr * 0x9e3779b97f4a7c15UL ^ (u64)seed << 32 ^ g * 0xd6e8feb86659fd93UL;

	return z ^ (z >> 29);
}

static void slice_write(unsigned int cpu, u64 g)
{
	u64 *p = (u64 *)(VER_BASE + cpu * slice_size());

	for (u64 i = 0; i < slice_size() / 8; i++)
		p[i] = i % (PAGE_SIZE / 8) ? pattern((u64)&p[i], g) : ctr[cpu][i / (PAGE_SIZE / 8)];
}

static void slice_bump(struct fuzz_rng *r, unsigned int cpu)
{
	u64 pg = rnd_below(r, slice_size() / PAGE_SIZE);

	WRITE_ONCE(*(u64 *)(VER_BASE + cpu * slice_size() + pg * PAGE_SIZE), ++ctr[cpu][pg]);
}

static int slice_check(unsigned int cpu, u64 g, char *msg, size_t len)
{
	const volatile u64 *p = (const u64 *)(VER_BASE + cpu * slice_size());
	u64 bad = 0, first = 0, got = 0;

	for (u64 i = 0; i < slice_size() / 8; i++) {
		u64 v = p[i], want = i % (PAGE_SIZE / 8) ? pattern((u64)&p[i], g) :
				    ctr[cpu][i / (PAGE_SIZE / 8)];

		if (v != want) {
			if (!bad++)
				first = (u64)&p[i], got = v;
		}
	}
	if (!bad)
		return 0;
	snprintf(msg, len, "verified region: %lu words wrong, first at %lx: %lx, want %lx "
		 "(slice of cpu%u, generation %lu)", bad, first, got,
		 first % PAGE_SIZE ? pattern(first, g) : ctr[cpu][(first - (u64)p) / PAGE_SIZE], cpu, g);
	return 1;
}

/* ---- the workers -------------------------------------------------------- */

/* Each worker's state, kept across the last vCPU's CPU_OFF/CPU_ON (it resumes). */
static struct fuzz_rng rng[GUEST_MAX_CPUS];
static u64 iter[GUEST_MAX_CPUS];
static bool started[GUEST_MAX_CPUS], resuming[GUEST_MAX_CPUS];

static void fuzz_fail(unsigned int cpu, u64 i)
{
	fail_call[cpu] = i;
	WRITE_ONCE(stop, 1);
	printf("fuzz: cpu%u: FAIL at call %lu (seed %u): %s\n", cpu, i, seed, fail_msg[cpu]);
}

static void fuzz_worker(void *arg)
{
	unsigned int cpu = cpu_id();
	struct fuzz_rng *rp = &rng[cpu], r;
	struct fuzz_count *n = &count[cpu];
	char *msg = fail_msg[cpu];
	size_t len = sizeof(fail_msg[cpu]);
	u64 i;

	(void)arg;
	if (!started[cpu]) {
		rp->s = (u64)seed * 0x100000001b3UL + cpu;
		started[cpu] = true;
	}
	r = *rp;
	fuzz_arch_cpu_init();
	if (resuming[cpu]) {
		resuming[cpu] = false;
		if (cyc_resume(&cyc[0], msg, len))
			fuzz_fail(cpu, iter[cpu]);
	}
	for (i = iter[cpu]; i < calls_per_cpu && !READ_ONCE(stop); i++) {
		u64 k = rnd_below(&r, 100);
		int bad;

		if (cyc_wanted(cpu)) {
			bad = race_all(&r, cpu, msg, len);	/* all of them at once */
			n->psci++;
		} else if (k < 50) {
			u64 t = clock_ticks();

			bad = fuzz_hypercall(&r, cpu, msg, len);
			n->hc++;
			hc_ticks[cpu][last_hc[cpu]] += clock_ticks() - t;
		} else if (k < 65) {
			bad = fuzz_psci(&r, cpu, msg, len);
			n->psci++;
		} else {
			bad = fuzz_arch_mmio(&r, msg, len);
			n->mmio++;
		}
		slice_bump(&r, cpu);
		if (!bad && i % VERIFY_EVERY == VERIFY_EVERY - 1) {
			bad = slice_check(cpu, gen[cpu], msg, len);
			n->verifies++;
		}
		if (!bad && i % REWRITE_EVERY == REWRITE_EVERY - 1) {
			slice_write(cpu, ++gen[cpu]);
			n->rewrites++;
		}
		if (bad) {
			fuzz_fail(cpu, i);
			break;
		}
		if (cpu == 0 && calls_per_cpu >= 10 && i % (calls_per_cpu / 10) == 0 && i)
			printf("fuzz: cpu0: %lu of %lu calls, %lu ms\n", i, calls_per_cpu,
			       (clock_ticks() - t_start) * 1000 / clock_hz());
		if (cyc[0].on && cpu == cyc[0].cpu && i % CYCLE_EVERY == CYCLE_EVERY - 1 &&
		    i + 1 < calls_per_cpu && !READ_ONCE(stop)) {
			/* Off; the others race to turn it on; it resumes at call i + 1. */
			*rp = r;
			iter[cpu] = i + 1;
			resuming[cpu] = true;
			WRITE_ONCE(cyc[0].offs, cyc[0].offs + 1);
			cpu_run(cpu, fuzz_worker, NULL);	/* what it runs when back */
			store_release(&cyc[0].want_on, 1);
			arch_cpu_off();
			snprintf(msg, len, "CPU_OFF returned");
			fuzz_fail(cpu, i);
			break;
		}
		/* vCPU 0, half a cycle later: off, and back here on its own stack. */
		if (cyc[1].on && cpu == cyc[1].cpu &&
		    i % CYCLE_EVERY == CYCLE_EVERY / 2 - 1 && i + 1 < calls_per_cpu &&
		    !READ_ONCE(stop)) {
			WRITE_ONCE(cyc[1].offs, cyc[1].offs + 1);
			store_release(&cyc[1].want_on, 1);
			if (fuzz_arch_cpu0_off()) {
				snprintf(msg, len, "CPU_OFF returned");
				fuzz_fail(cpu, i);
				break;
			}
			if (cyc_resume(&cyc[1], msg, len)) {
				fuzz_fail(cpu, i);
				break;
			}
		}
	}
	for (unsigned int t = 0; t < NCYC; t++)
		if (cyc[t].on && cyc[t].cpu == cpu)
			store_release(&cyc[t].done, 1);
	/*
	 * Until every other target is done, wake it whenever it goes off (also
	 * after a failure: a target left off would never finish, and vCPU 0
	 * must come back to report).
	 */
	while (!cyc_others_done(cpu)) {
		if (cyc_wanted(cpu) && race_all(&r, cpu, msg, len) && !READ_ONCE(stop))
			fuzz_fail(cpu, i);
		cpu_relax();
	}
	*rp = r;
	smp_mb();
}

GTEST(fuzz)
{
	u64 calls = chosen_u32("hyp-test,fuzz-calls"), t0, ms, total = 0;
	unsigned int bad = 0;

	seed = chosen_u32("hyp-test,fuzz-seed");
	if (!seed && !calls)
		seed = fuzz_cfg.seed, calls = fuzz_cfg.calls;
	if (!seed)
		seed = 1;
	if (!calls)
		calls = FUZZ_CALLS_DEFAULT;
	calls_per_cpu = calls / nr_cpus;
	printf("fuzz: seed %u, %lu calls on %u vCPUs, RAM %lx+%lx, playground from %lx\n",
	       seed, calls_per_cpu * nr_cpus, nr_cpus, RAM_BASE, RAM_SIZE, PLAY_BASE);
	if ((u64)__bss_end > RAM_BASE + IMG_SIZE)
		FAIL("image ends at %lx, past its %lx bytes", (u64)__bss_end, IMG_SIZE);
	if (RAM_SIZE < 2 * (IMG_SIZE + VER_SIZE))
		FAIL("RAM %lx too small", RAM_SIZE);
	fuzz_arch_init();
	/* The cost of an exit alone (one vCPU, the cheapest call): for the figures. */
	t0 = clock_ticks();
	for (unsigned int i = 0; i < 100; i++)
		hyp_call(HC_VERSION, 0, 0, 0);
	printf("fuzz: 100 VERSION calls on one vCPU: %lu us\n",
	       (clock_ticks() - t0) * 1000000 / clock_hz());
	for (unsigned int c = 0; c < nr_cpus; c++)
		slice_write(c, 0);
	cyc[0].cpu = nr_cpus - 1;
	cyc[0].on = nr_cpus >= 2;
	cyc[0].entry = (u64)secondary_entry;
	cyc[1].cpu = 0;
	cyc[1].entry = (u64)fuzz_arch_cpu0_entry();
	cyc[1].on = nr_cpus >= 3 && cyc[1].entry;	/* vCPU 1 always stays on */
	t0 = t_start = clock_ticks();
	for (unsigned int c = 1; c < nr_cpus; c++)
		cpu_run(c, fuzz_worker, NULL);
	fuzz_worker(NULL);
	for (unsigned int c = 1; c < nr_cpus; c++)
		cpu_wait(c);
	ms = (clock_ticks() - t0) * 1000 / clock_hz();
	/* Leave no slow delays behind for the teardown. */
	for (u64 p = 0; p < 3; p++)
		hyp_call(HC_RACE_DELAY, p, 0, 0);
	/*
	 * The playground reads after the run, whatever the calls left there
	 * (unmapped, moved, protected): the first page of every 2 MiB and the
	 * last 16 pages (race_on()'s), each fault must resolve. The x86 soak
	 * once hung after the run at its first such read (chosen_u32() at RAM
	 * end - 2 MiB); a fault that never resolves shows here, inside the test,
	 * with the hypervisor's "no progress" warning (doc/fuzzing.md). Not
	 * every page: under load a fault costs up to 65 ms in QEMU.
	 */
	for (u64 a = PLAY_BASE; a < RAM_END; a += SZ_2M)
		(void)*(volatile u64 *)a;
	for (u64 a = RAM_END - 16 * PAGE_SIZE; a < RAM_END; a += PAGE_SIZE)
		(void)*(volatile u64 *)a;
	for (unsigned int c = 0; c < nr_cpus && !bad; c++) {
		if (READ_ONCE(stop) && fail_msg[c][0]) {
			snprintf(msg, len, "cpu%u call %lu (seed %u): %s", c, fail_call[c], seed,
				 fail_msg[c]);
			return 1;
		}
		bad = (unsigned int)slice_check(c, gen[c], fail_msg[c], sizeof(fail_msg[c]));
		if (bad)
			FAIL("at the end (seed %u): %s", seed, fail_msg[c]);
	}
	for (unsigned int c = 0; c < nr_cpus; c++) {
		const struct fuzz_count *n = &count[c];
		const struct fuzz_mmio_stats *m = &fuzz_mmio_stats[c];

		total += n->hc + n->psci + n->mmio;
		printf("fuzz: cpu%u: %lu hypercalls, %lu PSCI/SMCCC, %lu MMIO (%lu done, %lu "
		       "external aborts, %lu alignment faults), verified region checked %lu, "
		       "rewritten %lu times\n", c, n->hc, n->psci, n->mmio, m->ok, m->ext_abort,
		       m->align_fault, n->verifies, n->rewrites);
	}
	for (unsigned int t = 0; t < NCYC; t++) {
		const struct cyc *y = &cyc[t];
		u64 seen[3] = { 0, 0, 0 };

		if (!y->on)
			continue;
		for (unsigned int c = 0; c < nr_cpus; c++)
			for (unsigned int k = 0; k < 3; k++)
				seen[k] += cyc_seen[c][t][k];
		printf("fuzz: cpu%u turned off %u times, CPU_ON of it by %u vCPUs: %lu succeeded, "
		       "%lu ALREADY_ON, %lu ON_PENDING\n", y->cpu, y->offs, nr_cpus - 1, seen[0],
		       seen[1], seen[2]);
		if (seen[0] != y->offs || y->wins != y->offs)
			FAIL("CPU_ON of cpu%u: %lu successes (%u counted) for %u CPU_OFFs (seed %u)",
			     y->cpu, seen[0], y->wins, y->offs, seed);
	}
	printf("fuzz: ms in hypercalls by number (0-13):");
	for (unsigned int h = 0; h < 14; h++)
		printf(" %lu", (hc_ticks[0][h] + hc_ticks[1 % nr_cpus][h]) * 1000 / clock_hz());
	printf("\n");
	printf("fuzz: seed %u: %lu calls in %lu ms (%lu calls/s), 0 wrong\n", seed, total, ms,
	       ms ? total * 1000 / ms : 0);
	return 0;
}
