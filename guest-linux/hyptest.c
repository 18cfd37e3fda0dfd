// SPDX-License-Identifier: GPL-2.0
/*
 * hyptest: asks the hypervisor (through /dev/hyp, guest-linux/hypdev) to
 * unmap, move, write-protect and dirty-log pages that other threads of this
 * program keep reading and writing, and checks that no access ever sees a
 * stale translation.
 *
 *   hyptest <seconds> [writers [tests]]
 *
 * tests: '+'-separated phases, run in this order, each for an equal share of
 * the seconds: ops, dirty, unmapread, migrate, overlap, movesrc (the last two
 * need 3 CPUs; the default is every phase the guest's CPU count allows).
 *
 * Memory: one mmap of /dev/hyp, 64 physically contiguous pages. Pages 0..31
 * are split among the writer threads; 32..63 are move destinations (ops),
 * then, once the writers stopped, the pages of unmapread and migrate.
 * Each writer walks its pages: it first checks every word (must still hold
 * its last write), then writes a new sequence-numbered value
 * (page, word, seq) and reads it back. The ops thread meanwhile:
 *
 *  - UNMAP p (concurrent with p's writer): p's contents become zero. gen[p]
 *    is odd while the call is in flight; a writer accepts a zero word only if
 *    an unmap or move of p started since its last write. After the call has
 *    returned, a write through a stale translation reaches the freed page: its
 *    next check then finds zero (or the poison) with no unmap in between:
 *    "lost write".
 *  - MOVE p -> scratch s (concurrent): s gets p's contents, p becomes zero (same
 *    rule). s is snapshotted after the call; nobody writes s, so a change of s
 *    later is a write through p's stale translation: "stale write".
 *  - PROTECT p read-only (p's writer held off by the page lock): contents
 *    unchanged, then read-write again.
 *  - dirty: DIRTY_START on all 64 pages, then harvests while the writers
 *    write; a harvest holds every page lock, so each write is wholly before
 *    or after it: every page written since the previous harvest returned must
 *    be in the bitmap, else "dirty harvest incomplete" (a write through a
 *    writable translation that survived the harvest's write-protect).
 *  - unmapread (the guest test kernel's stale_read_after_unmap, R1): a reader
 *    thread reads one page in a tight loop while the ops thread UNMAPs it,
 *    then rewrites it. The hypervisor's poison is never a legitimate value
 *    ("poison read": the freed page through a stale translation); once the
 *    UNMAP returned, the old pattern is a "stale read" (seqlock-style phase
 *    check around each read).
 *  - migrate (lost_write_during_migrate, doc/mm.md "migrate"): each writer
 *    owns one word of each of 16 pages and sweeps them, checking the word
 *    still holds its last write before writing the next number, while the
 *    ops thread MIGRATEs the 16 pages over and over. A write that lands in
 *    the old page after the copy is lost: "lost write during MIGRATE".
 *  - overlap, movesrc: see phase_overlap() and phase_movesrc().
 *
 * Ends with  hyptest: PASS ...  (exit 0), or the first  hyptest: FAIL ...
 * line (exit 1). Setup errors (no /dev/hyp, ...) exit 2.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "hypdev/hypdev.h"
#include <hyp/abi/hypercall.h>	/* HC_CNT_*: the counter indices (mkinitramfs.sh: -I hyp/include) */

#define PAGE		4096UL
#define WORDS		(PAGE / sizeof(uint64_t))
#define NPAGES		HYPDEV_MAX_MMAP_PAGES
#define WORK		32
#define MAX_WRITERS	8
#define SEQ_MASK	((1ULL << 45) - 1)
#define POISON		0xdeadbeefdeadbeefULL	/* hyp/include/hyp/palloc.h */
#define UR_PAGE		48			/* unmapread's page */
#define MG_FIRST	32			/* migrate's pages */
#define MG_PAGES	16

#define SM_SRC		56			/* movesrc's source page */
#define SM_DST		57			/* and destination */

enum {
	T_OPS = 1, T_DIRTY = 2, T_UNMAPREAD = 4, T_MIGRATE = 8, T_OVERLAP = 16, T_MOVESRC = 32,
	T_NEED3 = T_OVERLAP | T_MOVESRC,	/* three threads on three CPUs at once */
	T_ALL = 63
};

static int fd;
static uint8_t *buf;
static atomic_int stop;

static atomic_uint gen[WORK];			/* odd: unmap/move of the page in flight */
static pthread_mutex_t lock[WORK];		/* PROTECT holds the writer off */
static uint64_t last[WORK][WORDS];		/* the owner's last write per word */
static atomic_uint_fast64_t pending;		/* pages written since the last snapshot */
static atomic_int dirty_on;
static uint64_t snap[NPAGES - WORK][WORDS];	/* move destinations after the move */
static int snap_valid[NPAGES - WORK];
static atomic_uint_fast64_t nwrites, nchecks;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static volatile uint64_t *word(unsigned int page, unsigned int w)
{
	return (volatile uint64_t *)(buf + page * PAGE) + w;
}

static uint64_t value(unsigned int page, unsigned int w, uint64_t seq)
{
	return 1ULL << 63 | (uint64_t)page << 54 | (uint64_t)w << 45 | (seq & SEQ_MASK);
}

static void fail(const char *what, volatile uint64_t *p, uint64_t expected, uint64_t found)
{
	char line[200];
	int n = snprintf(line, sizeof(line),
			 "hyptest: FAIL %s addr=%p expected=0x%016" PRIx64 " found=0x%016" PRIx64 "\n",
			 what, (void *)p, expected, found);

	if (write(STDOUT_FILENO, line, n) < 0)
		_exit(3);
	_exit(1);
}

static int call(unsigned long cmd, uint64_t va, uint64_t size, uint64_t arg, struct hyp_req *out)
{
	struct hyp_req r = { .va = va, .size = size, .arg = arg };
	int ret = ioctl(fd, cmd, &r);

	if (out)
		*out = r;
	if (ret) {
		printf("hyptest: FAIL ioctl 0x%lx va=0x%" PRIx64 ": %s (x0=%" PRId64 ")\n",
		       cmd, va, strerror(errno), (int64_t)r.hc_ret[0]);
		exit(1);
	}
	return 0;
}

/* The ioctl's result as 0 or -errno, for calls that may fail on purpose. */
static int try_call(unsigned long cmd, uint64_t va, uint64_t size, uint64_t arg)
{
	struct hyp_req r = { .va = va, .size = size, .arg = arg };

	return ioctl(fd, cmd, &r) ? -errno : 0;
}

static void spawn(pthread_t *tid, void *(*fn)(void *), void *arg, const char *what)
{
	if (pthread_create(tid, NULL, fn, arg)) {
		printf("hyptest: cannot start the %s thread\n", what);
		exit(2);
	}
}

struct writer {
	pthread_t tid;
	unsigned int first, n;
};

static void *writer(void *arg)
{
	struct writer *wr = arg;
	unsigned int g_last[WORK];
	uint64_t seq = 1;

	memset(g_last, 0, sizeof(g_last));
	while (!atomic_load(&stop)) {
		for (unsigned int p = wr->first; p < wr->first + wr->n; p++, seq++) {
			unsigned int g0, g1;
			int zero_ok;

			pthread_mutex_lock(&lock[p]);
			g0 = atomic_load(&gen[p]);
			/* zero is fine if an unmap/move started since the last write */
			zero_ok = g0 != g_last[p] || (g0 & 1);
			for (unsigned int w = 0; w < WORDS; w++) {
				uint64_t v = *word(p, w);

				/*
				 * An unmap/move may start while this check runs
				 * (g0 was read before it): a zero is then fine
				 * too. Reload gen only on a mismatch.
				 */
				if (v != last[p][w] && !(v == 0 && zero_ok) &&
				    !(v == 0 && atomic_load(&gen[p]) != g0))
					fail("lost write", word(p, w), last[p][w], v);
			}
			for (unsigned int w = 0; w < WORDS; w++) {
				uint64_t v = value(p, w, seq), r;

				*word(p, w) = v;
				r = *word(p, w);
				g1 = atomic_load(&gen[p]);
				if (r != v && !(r == 0 && (g1 != g0 || (g0 & 1))))
					fail("stale read", word(p, w), v, r);
				last[p][w] = v;
			}
			g1 = atomic_load(&gen[p]);
			/* an unmap in flight may still zero these writes: stay lenient */
			g_last[p] = (g1 == g0 && !(g0 & 1)) ? g0 : ~0U;
			if (atomic_load(&dirty_on))	/* under lock[p]: see the harvest */
				atomic_fetch_or(&pending, 1ULL << p);
			pthread_mutex_unlock(&lock[p]);
			atomic_fetch_add(&nwrites, WORDS);
			atomic_fetch_add(&nchecks, 2 * WORDS);
		}
	}
	return NULL;
}

static uint64_t counter(unsigned int index)
{
	struct hyp_req r;

	call(HYP_IOC_COUNTER, 0, 0, index, &r);
	return r.hc_ret[1];
}

static void check_scratch(unsigned int s)
{
	for (unsigned int w = 0; snap_valid[s] && w < WORDS; w++)
		if (*word(WORK + s, w) != snap[s][w])
			fail("stale write (moved page changed after MOVE returned)",
			     word(WORK + s, w), snap[s][w], *word(WORK + s, w));
}

/* Phase ops: unmap, move, protect, concurrently with the writers. */
static void phase_ops(double until, unsigned long *n_unmap, unsigned long *n_move,
		      unsigned long *n_prot)
{
	uint64_t rng = 0x9e3779b97f4a7c15ULL;
	unsigned int next_scratch = 0;

	while (now() < until) {
		unsigned int p, s, op;
		uint8_t *pv;

		rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
		p = rng % WORK;
		op = (rng >> 8) % 3;
		pv = buf + p * PAGE;
		/*
		 * MOVE and PROTECT want a populated source: a read populates
		 * it if an earlier UNMAP/MOVE left it empty (only this thread
		 * empties pages, so it stays populated until the call).
		 */
		if (op != 0)
			(void)*word(p, 0);
		if (op == 0) {
			atomic_fetch_add(&gen[p], 1);
			call(HYP_IOC_UNMAP, (uintptr_t)pv, PAGE, 0, NULL);
			atomic_fetch_add(&gen[p], 1);
			(*n_unmap)++;
		} else if (op == 1) {
			s = next_scratch++ % (NPAGES - WORK);
			check_scratch(s);
			atomic_fetch_add(&gen[p], 1);
			call(HYP_IOC_MOVE, (uintptr_t)pv, PAGE, (uintptr_t)(buf + (WORK + s) * PAGE), NULL);
			atomic_fetch_add(&gen[p], 1);
			for (unsigned int w = 0; w < WORDS; w++) {
				uint64_t v = *word(WORK + s, w);

				/* p's contents: zero or a value p's writer wrote to that word */
				if (v && (v >> 45) != (value(p, w, 0) >> 45))
					fail("moved page holds foreign data", word(WORK + s, w),
					     value(p, w, 0), v);
				snap[s][w] = v;
			}
			snap_valid[s] = 1;
			(*n_move)++;
		} else {
			pthread_mutex_lock(&lock[p]);
			call(HYP_IOC_PROTECT, (uintptr_t)pv, PAGE, 1, NULL);
			for (unsigned int w = 0; w < WORDS; w++)
				if (*word(p, w) != last[p][w] && *word(p, w))
					fail("stale read under PROTECT", word(p, w), last[p][w], *word(p, w));
			call(HYP_IOC_PROTECT, (uintptr_t)pv, PAGE, 7, NULL);
			pthread_mutex_unlock(&lock[p]);
			(*n_prot)++;
		}
	}
	for (unsigned int s = 0; s < NPAGES - WORK; s++)
		check_scratch(s);
}

/* Phase dirty: dirty logging of the whole buffer, harvested while written. */
static void phase_dirty(double until, unsigned long *n_harvest, unsigned long *dirty_bits)
{
	struct hyp_req r;

	for (unsigned int p = 0; p < WORK; p++)
		pthread_mutex_lock(&lock[p]);
	/* every page populated before logging starts: no first write hits a hole */
	for (unsigned int p = 0; p < NPAGES; p++)
		(void)*word(p, 0);
	call(HYP_IOC_DIRTY_START, (uintptr_t)buf, NPAGES * PAGE, 0, NULL);
	atomic_store(&pending, 0);
	atomic_store(&dirty_on, 1);	/* from here on, every write is logged */
	for (unsigned int p = 0; p < WORK; p++)
		pthread_mutex_unlock(&lock[p]);
	while (now() < until) {
		uint64_t written;

		/*
		 * With every page lock held, each write is wholly before this
		 * harvest (and its bit in pending) or wholly after it: every
		 * page written since the last harvest returned must be in it.
		 */
		for (unsigned int p = 0; p < WORK; p++)
			pthread_mutex_lock(&lock[p]);
		written = atomic_exchange(&pending, 0);
		call(HYP_IOC_DIRTY_HARVEST, 0, 0, 0, &r);
		for (unsigned int p = 0; p < WORK; p++)
			pthread_mutex_unlock(&lock[p]);
		if (written & ~r.hc_ret[1])
			fail("dirty harvest incomplete (bitmap of pages)", (void *)buf,
			     written, r.hc_ret[1]);
		*dirty_bits += r.hc_ret[2];
		(*n_harvest)++;
		usleep(1000);
	}
	atomic_store(&dirty_on, 0);
	/* the writers may still write: logging stops only after they stopped */
}

/* Phase unmapread: seqlock-style stale/poison check of one page being unmapped. */
static struct {
	atomic_uint_fast64_t phase;	/* 2k: page holds pattern(k); 2k+1: UNMAP(k) returned */
	atomic_uint_fast64_t ack;	/* the odd phase the reader has checked */
	atomic_uint_fast64_t reads;
	atomic_int stop;
} ur;

#define UR_PATTERN(k)	(0x5a5a000000000000ULL | (k))

static void *unmap_reader(void *arg)
{
	volatile uint64_t *p = word(UR_PAGE, 0);
	unsigned int checked = 0;

	(void)arg;
	while (!atomic_load(&ur.stop)) {
		uint64_t ph = atomic_load(&ur.phase), v, ph2;

		v = *p;
		atomic_thread_fence(memory_order_seq_cst);
		ph2 = atomic_load(&ur.phase);
		atomic_fetch_add(&ur.reads, 1);
		if (v == POISON)
			fail("poison read (a freed page through a stale translation)", p,
			     ph & 1 ? 0 : UR_PATTERN(ph / 2), v);
		if ((ph & 1) && ph == ph2 && v != 0)
			fail("stale read after UNMAP returned", p, 0, v);
		if ((ph & 1) && ph == ph2 && ++checked >= 4) {
			atomic_store(&ur.ack, ph);
			checked = 0;
		}
	}
	return NULL;
}

static unsigned long phase_unmapread(double until)
{
	volatile uint64_t *p = word(UR_PAGE, 0);
	pthread_t tid;
	uint64_t k;

	*p = UR_PATTERN(0);
	if (pthread_create(&tid, NULL, unmap_reader, NULL)) {
		printf("hyptest: cannot start the unmapread reader\n");
		exit(2);
	}
	for (k = 0; now() < until; k++) {
		uint64_t r0 = atomic_load(&ur.reads);

		while (atomic_load(&ur.reads) < r0 + 20)	/* let the reader cache the page */
			;
		call(HYP_IOC_UNMAP, (uintptr_t)(buf + UR_PAGE * PAGE), PAGE, 0, NULL);
		atomic_store(&ur.phase, 2 * k + 1);
		while (atomic_load(&ur.ack) != 2 * k + 1)
			;
		/* phase before contents: the reader's check relies on it */
		atomic_store(&ur.phase, 2 * k + 2);
		atomic_thread_fence(memory_order_seq_cst);
		*p = UR_PATTERN(k + 1);
	}
	atomic_store(&ur.stop, 1);
	pthread_join(tid, NULL);
	return k;
}

/* Phase migrate: lost writes while the pages migrate to new host pages. */
static struct {
	atomic_int stop;
	atomic_uint_fast64_t passes[MAX_WRITERS];
} mg;

static void *mg_writer(void *arg)
{
	unsigned int c = (unsigned int)(uintptr_t)arg;
	uint64_t seq = 0;

	while (!atomic_load(&mg.stop)) {
		for (unsigned int p = 0; p < MG_PAGES; p++) {
			volatile uint64_t *w = word(MG_FIRST + p, c);
			uint64_t v = *w;

			if (v != seq)
				fail(v == POISON ? "poison read during MIGRATE (freed old page)" :
				     "lost write during MIGRATE", w, seq, v);
			*w = seq + 1;
		}
		seq++;
		atomic_fetch_add(&mg.passes[c], 1);
	}
	return NULL;
}

static unsigned long phase_migrate(double until, unsigned long nw, unsigned long *calls)
{
	pthread_t tid[MAX_WRITERS];
	unsigned long migrated = 0;
	uint8_t *area = buf + MG_FIRST * PAGE;
	struct hyp_req r;

	/*
	 * Fresh 4 KiB mappings: an UNMAP splits a stage-2 block the pages may
	 * sit in (MIGRATE skips pages inside blocks); the reads below fault
	 * them back in as zero pages, the writers' starting value.
	 */
	call(HYP_IOC_UNMAP, (uintptr_t)area, MG_PAGES * PAGE, 0, NULL);
	for (unsigned int p = 0; p < MG_PAGES; p++)
		(void)*word(MG_FIRST + p, 0);
	for (unsigned long t = 0; t < nw; t++)
		if (pthread_create(&tid[t], NULL, mg_writer, (void *)(uintptr_t)t)) {
			printf("hyptest: cannot start migrate writer %lu\n", t);
			exit(2);
		}
	for (unsigned long t = 0; t < nw; t++)
		while (atomic_load(&mg.passes[t]) < 2)
			;
	while (now() < until) {
		call(HYP_IOC_MIGRATE, (uintptr_t)area, MG_PAGES * PAGE, 0, &r);
		migrated += r.hc_ret[1];
		(*calls)++;
	}
	atomic_store(&mg.stop, 1);
	for (unsigned long t = 0; t < nw; t++)
		pthread_join(tid[t], NULL);
	return migrated;
}

/*
 * Phase overlap (the guest test kernel's overlapping_unmaps, seed 000, R2):
 * the checker reads every page of the buffer (its TLB holds them all), then
 * the main thread and a second unmapper UNMAP the whole buffer at once. As
 * soon as EITHER call returned, the range is gone for the checker: every read
 * is zero (a fresh page), never the round's pattern ("stale read after an
 * overlapping UNMAP returned") and never poison.
 */
/* Spin until *c reaches round k (1) or the phase is stopped (0). */
static int wait_round(atomic_uint_fast64_t *c, uint64_t k, atomic_int *stop)
{
	while (atomic_load(c) < k)
		if (atomic_load(stop))
			return 0;
	return 1;
}

#define OV_PAT(k)	(0x0e0e000000000000ULL | (k))
static struct {
	atomic_uint_fast64_t round, warm, go, done0, done1, checked;
	atomic_int stop;
} ov;

static void *ov_unmapper(void *arg)
{
	(void)arg;
	for (uint64_t k = 1;; k++) {
		if (!wait_round(&ov.go, k, &ov.stop))
			return NULL;
		call(HYP_IOC_UNMAP, (uintptr_t)buf, NPAGES * PAGE, 0, NULL);
		atomic_store(&ov.done1, k);
	}
}

static void *ov_checker(void *arg)
{
	(void)arg;
	for (uint64_t k = 1;; k++) {
		if (!wait_round(&ov.round, k, &ov.stop))
			return NULL;
		for (unsigned int p = 0; p < NPAGES; p++)	/* cache every translation */
			(void)*word(p, 0);
		atomic_store(&ov.warm, k);
		while (atomic_load(&ov.done0) < k && atomic_load(&ov.done1) < k)
			;
		for (unsigned int p = 0; p < NPAGES; p++) {
			uint64_t v = *word(p, 0);

			if (v == POISON)
				fail("poison read after an overlapping UNMAP returned", word(p, 0), 0, v);
			if (v)
				fail(v == OV_PAT(k) ? "stale read after an overlapping UNMAP returned" :
				     "foreign data after an overlapping UNMAP returned", word(p, 0), 0, v);
		}
		atomic_store(&ov.checked, k);
	}
}

static unsigned long phase_overlap(double until)
{
	pthread_t un, ck;
	uint64_t k;

	call(HYP_IOC_UNMAP, (uintptr_t)buf, NPAGES * PAGE, 0, NULL);
	spawn(&un, ov_unmapper, NULL, "overlap unmapper");
	spawn(&ck, ov_checker, NULL, "overlap checker");
	for (k = 1; now() < until; k++) {
		for (unsigned int p = 0; p < NPAGES; p++)
			*word(p, 0) = OV_PAT(k);
		atomic_store(&ov.round, k);
		while (atomic_load(&ov.warm) < k)
			;
		atomic_store(&ov.go, k);
		call(HYP_IOC_UNMAP, (uintptr_t)buf, NPAGES * PAGE, 0, NULL);
		atomic_store(&ov.done0, k);
		while (atomic_load(&ov.checked) < k || atomic_load(&ov.done1) < k)
			;
	}
	atomic_store(&ov.stop, 1);
	pthread_join(un, NULL);
	pthread_join(ck, NULL);
	return k - 1;
}

/*
 * Phase movesrc (stale_source_after_move, seed 003, R5): a reader reads the
 * source page S in a tight loop while the main thread MOVEs S to D and a
 * mapper keeps trying to MAP S again (EEXIST until the move cleared S). Once
 * the mapper's MAP succeeded, S is a fresh page holding only zero or the
 * mapper's mark: the moved pattern there is a "stale read of the moved
 * source" (the reader still translating S to the page that moved to D after
 * S was mapped anew), poison a freed page.
 */
#define SM_PAT(k)	(0x3c3c000000000000ULL | (k))
#define SM_MARK(k)	(0x7e7e000000000000ULL | (k))
static struct {
	atomic_uint_fast64_t round, warm, go, moved, mapped, given_up, done2, hits;
	atomic_int stop;
} sm;

static void *sm_mapper(void *arg)
{
	(void)arg;
	for (uint64_t k = 1;; k++) {
		if (!wait_round(&sm.go, k, &sm.stop))
			return NULL;
		for (;;) {
			uint64_t moved = atomic_load(&sm.moved);
			int r = try_call(HYP_IOC_MAP, (uintptr_t)(buf + SM_SRC * PAGE), PAGE, 0);

			if (r == 0) {
				*word(SM_SRC, 0) = SM_MARK(k);
				atomic_store(&sm.mapped, k);
				break;
			}
			if (r != -EEXIST) {
				printf("hyptest: FAIL MAP of the moved source: %s\n", strerror(-r));
				exit(1);
			}
			if (moved >= k) {	/* another access repopulated S first */
				atomic_store(&sm.given_up, k);
				break;
			}
		}
	}
}

static void sm_check(uint64_t k, uint64_t m, uint64_t v, int after)
{
	if (v == POISON)
		fail("poison read of the moved source", word(SM_SRC, 0), 0, v);
	if (m >= k && v == SM_PAT(k))
		fail("stale read of the moved source after it was mapped anew",
		     word(SM_SRC, 0), SM_MARK(k), v);
	if (after && m >= k && v != SM_MARK(k) && v != 0)
		fail("foreign data in the moved source", word(SM_SRC, 0), SM_MARK(k), v);
}

static void *sm_reader(void *arg)
{
	(void)arg;
	for (uint64_t k = 1;; k++) {
		unsigned int n = 0;

		if (!wait_round(&sm.round, k, &sm.stop))
			return NULL;
		while (atomic_load(&sm.mapped) < k && atomic_load(&sm.given_up) < k) {
			uint64_t m = atomic_load(&sm.mapped), v = *word(SM_SRC, 0);

			if (++n == 20)
				atomic_store(&sm.warm, k);
			sm_check(k, m, v, 0);
		}
		if (n < 20)
			atomic_store(&sm.warm, k);
		for (unsigned int i = 0; i < 1000; i++) {	/* and a while after it */
			uint64_t m = atomic_load(&sm.mapped), v = *word(SM_SRC, 0);

			sm_check(k, m, v, 1);
		}
		if (atomic_load(&sm.mapped) >= k)
			atomic_fetch_add(&sm.hits, 1);
		atomic_store(&sm.done2, k);
	}
}

static unsigned long phase_movesrc(double until)
{
	pthread_t mp, rd;
	uint64_t k;

	spawn(&mp, sm_mapper, NULL, "movesrc mapper");
	spawn(&rd, sm_reader, NULL, "movesrc reader");
	for (k = 1; now() < until; k++) {
		call(HYP_IOC_UNMAP, (uintptr_t)(buf + SM_SRC * PAGE), 2 * PAGE, 0, NULL);
		*word(SM_SRC, 0) = SM_PAT(k);	/* demand-faulted page */
		atomic_store(&sm.round, k);
		while (atomic_load(&sm.warm) < k)	/* the reader's TLB holds S */
			;
		atomic_store(&sm.go, k);
		call(HYP_IOC_MOVE, (uintptr_t)(buf + SM_SRC * PAGE), PAGE,
		     (uintptr_t)(buf + SM_DST * PAGE), NULL);
		atomic_store(&sm.moved, k);
		if (*word(SM_DST, 0) != SM_PAT(k))
			fail("MOVE lost the source's contents", word(SM_DST, 0), SM_PAT(k),
			     *word(SM_DST, 0));
		while (atomic_load(&sm.done2) < k)
			;
	}
	atomic_store(&sm.stop, 1);
	pthread_join(mp, NULL);
	pthread_join(rd, NULL);
	return k - 1;
}

static unsigned int parse_tests(const char *arg)
{
	static const char *const names[] = {
		"ops", "dirty", "unmapread", "migrate", "overlap", "movesrc"
	};
	unsigned int mask = 0;
	char copy[64], *save, *t;

	if (!arg)
		return T_ALL;
	snprintf(copy, sizeof(copy), "%s", arg);
	for (t = strtok_r(copy, "+", &save); t; t = strtok_r(NULL, "+", &save)) {
		unsigned int i;

		for (i = 0; i < 6 && strcmp(t, names[i]); i++)
			;
		if (i == 6)
			return 0;
		mask |= 1U << i;
	}
	return mask;
}

int main(int argc, char **argv)
{
	struct writer wr[MAX_WRITERS];
	unsigned long secs, nw = 2, nphases = 0;
	unsigned long n_unmap = 0, n_move = 0, n_prot = 0, n_harvest = 0, dirty_bits = 0;
	unsigned long ur_rounds = 0, mg_pages = 0, mg_calls = 0, ov_rounds = 0, sm_rounds = 0;
	long ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	uint64_t inval0, faults0, migr0;
	unsigned int tests = T_ALL;
	struct hyp_req r;
	double slice, t0;
	int bad = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2 || argc > 4 || !(secs = strtoul(argv[1], NULL, 0)) ||
	    (argc >= 3 && ((nw = strtoul(argv[2], NULL, 0)) < 1 || nw > MAX_WRITERS)) ||
	    !(tests = parse_tests(argc == 4 ? argv[3] : NULL))) {
		fprintf(stderr, "usage: hyptest <seconds> [writers 1..%d "
			"[ops+dirty+unmapread+migrate+overlap+movesrc]]\n", MAX_WRITERS);
		return 2;
	}
	if (ncpus < 3 && (tests & T_NEED3)) {
		if (argc == 4) {
			printf("hyptest: overlap and movesrc need 3 CPUs, this guest has %ld\n", ncpus);
			return 2;
		}
		tests &= ~T_NEED3;	/* "all" = what this guest can run */
	}
	fd = open("/dev/hyp", O_RDWR);
	if (fd < 0) {
		printf("hyptest: cannot open /dev/hyp: %s (hypdev.ko not loaded?)\n", strerror(errno));
		return 2;
	}
	buf = mmap(NULL, NPAGES * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (buf == MAP_FAILED) {
		printf("hyptest: mmap /dev/hyp: %s\n", strerror(errno));
		return 2;
	}
	call(HYP_IOC_VERSION, 0, 0, 0, &r);
	printf("hyptest: hypervisor interface %llu, vm%llu of %llu%s, %lu writers, %lu s, tests %s\n",
	       (unsigned long long)r.hc_ret[1], (unsigned long long)(uint32_t)r.hc_ret[2],
	       (unsigned long long)(uint32_t)r.hc_ret[3],
	       r.hc_ret[2] >> 32 & 1 ? " (memory churned by the hypervisor)" : "",
	       nw, secs, argc == 4 ? argv[3] : "all");
	inval0 = counter(HC_CNT_INVALIDATIONS);
	faults0 = counter(HC_CNT_FAULTS);
	migr0 = counter(HC_CNT_MIGRATIONS);
	for (unsigned int p = 0; p < WORK; p++)
		pthread_mutex_init(&lock[p], NULL);
	for (unsigned int m = tests; m; m &= m - 1)
		nphases++;
	slice = (double)secs / nphases;
	t0 = now();

	if (tests & (T_OPS | T_DIRTY)) {
		for (unsigned long t = 0; t < nw; t++) {
			wr[t].first = t * (WORK / nw);
			wr[t].n = t == nw - 1 ? WORK - wr[t].first : WORK / nw;
			if (pthread_create(&wr[t].tid, NULL, writer, &wr[t])) {
				printf("hyptest: cannot start writer %lu\n", t);
				return 2;
			}
		}
		if (tests & T_OPS)
			phase_ops(t0 += slice, &n_unmap, &n_move, &n_prot);
		if (tests & T_DIRTY)
			phase_dirty(t0 += slice, &n_harvest, &dirty_bits);
		atomic_store(&stop, 1);
		for (unsigned long t = 0; t < nw; t++)
			pthread_join(wr[t].tid, NULL);
		if (tests & T_DIRTY)
			call(HYP_IOC_DIRTY_STOP, 0, 0, 0, NULL);
		for (unsigned int s = 0; s < NPAGES - WORK; s++)
			check_scratch(s);
	}
	if (tests & T_UNMAPREAD)
		ur_rounds = phase_unmapread(t0 += slice);
	if (tests & T_MIGRATE)
		mg_pages = phase_migrate(t0 += slice, nw, &mg_calls);
	if (tests & T_OVERLAP)
		ov_rounds = phase_overlap(t0 += slice);
	if (tests & T_MOVESRC)
		sm_rounds = phase_movesrc(t0 += slice);

	inval0 = counter(HC_CNT_INVALIDATIONS) - inval0;
	faults0 = counter(HC_CNT_FAULTS) - faults0;
	migr0 = counter(HC_CNT_MIGRATIONS) - migr0;
	/* One line per phase: the hypervisor's console wraps lines at 159 characters. */
	if (tests & T_OPS) {
		printf("hyptest: ops: %lu unmap %lu move %lu protect, %" PRIu64 " writes %" PRIu64
		       " checks\n", n_unmap, n_move, n_prot, (uint64_t)atomic_load(&nwrites),
		       (uint64_t)atomic_load(&nchecks));
		bad |= !(n_unmap && n_move && n_prot);
	}
	if (tests & T_DIRTY) {
		printf("hyptest: dirty: %lu harvests %lu dirty pages\n", n_harvest, dirty_bits);
		bad |= !(n_harvest && dirty_bits);
	}
	if (tests & T_UNMAPREAD) {
		printf("hyptest: unmapread: %lu rounds %" PRIu64 " reads\n", ur_rounds,
		       (uint64_t)atomic_load(&ur.reads));
		bad |= !ur_rounds;
	}
	if (tests & T_MIGRATE) {
		printf("hyptest: migrate: %lu calls %lu pages (counter +%" PRIu64 ")\n",
		       mg_calls, mg_pages, migr0);
		bad |= !mg_pages || migr0 < mg_pages;
	}
	if (tests & T_OVERLAP) {
		printf("hyptest: overlap: %lu rounds\n", ov_rounds);
		bad |= !ov_rounds;
	}
	if (tests & T_MOVESRC) {
		printf("hyptest: movesrc: %lu rounds %" PRIu64 " remapped first\n", sm_rounds,
		       (uint64_t)atomic_load(&sm.hits));
		bad |= !sm_rounds;
	}
	bad |= !inval0;
	printf("hyptest: %s invalidations +%" PRIu64 " faults +%" PRIu64 "\n",
	       bad ? "FAIL too little done (a phase above did nothing):" : "PASS",
	       inval0, faults0);
	return bad;
}
