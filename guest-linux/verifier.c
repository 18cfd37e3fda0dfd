// SPDX-License-Identifier: GPL-2.0
/*
 * verifier: a multi-threaded memory verifier for Linux guests whose memory the
 * hypervisor churns (migrates, splits, write-protects, moves) underneath them.
 *
 *   verifier <MiB> <seconds> [threads [corrupt]]
 *
 * Each thread owns one slice of an anonymous buffer of <MiB> MiB and walks it
 * page by page, round after round. In round r it writes every 64-bit word of
 * a page with pattern(addr, r) (address-derived and sequence-numbered) and
 * re-reads: the page it just wrote, one pseudo-random other page of its slice
 * (which must still hold the pattern of the round that last wrote it), and,
 * after each full round, the whole slice. A lost write or a stale read prints
 *
 *   verifier: FAIL addr=<va> expected=<x> found=<y>
 *
 * and exits 1 at once. At the end (all threads past <seconds>, whole buffer
 * checked once more):  verifier: PASS <n> writes <m> checks
 * (words written, words checked). Usage errors exit 2.
 *
 * "corrupt" is the verifier's self-test: in its second round thread 0 puts
 * the first round's value back into one word of page 0 right after writing it
 * (what a write lost through a stale translation looks like). The run must
 * then FAIL with that word's address.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGE		4096UL
#define WORDS		(PAGE / sizeof(uint64_t))
#define MAX_THREADS	64

struct slice {
	pthread_t tid;
	volatile uint64_t *base;	/* first word of the slice */
	size_t pages;
	uint32_t *round;		/* per page: the round that last wrote it (0: never) */
	uint64_t writes, checks;
	uint64_t rng;
	int index;
};

static double deadline;
static int corrupt;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Address-derived and sequence-numbered; never 0, so a zeroed page always fails. */
static inline uint64_t pattern(uintptr_t addr, uint32_t round)
{
	uint64_t x = (uint64_t)addr * 0x9e3779b97f4a7c15ULL;

	return (x ^ (x >> 29)) ^ ((uint64_t)round << 40) ^ round ^ 0x8000000000000001ULL;
}

static void fail(volatile uint64_t *p, uint64_t expected, uint64_t found)
{
	/* One line, written at once: other threads may fail at the same time. */
	char line[160];
	int n = snprintf(line, sizeof(line),
			 "verifier: FAIL addr=%p expected=0x%016" PRIx64 " found=0x%016" PRIx64 "\n",
			 (void *)p, expected, found);

	if (write(STDOUT_FILENO, line, n) < 0)
		_exit(3);
	_exit(1);
}

static void write_page(struct slice *s, size_t pg, uint32_t round)
{
	volatile uint64_t *p = s->base + pg * WORDS;

	for (size_t i = 0; i < WORDS; i++)
		p[i] = pattern((uintptr_t)&p[i], round);
	s->round[pg] = round;
	s->writes += WORDS;
}

static void check_page(struct slice *s, size_t pg)
{
	volatile uint64_t *p = s->base + pg * WORDS;
	uint32_t round = s->round[pg];

	if (!round)
		return;
	for (size_t i = 0; i < WORDS; i++) {
		uint64_t want = pattern((uintptr_t)&p[i], round);
		uint64_t got = p[i];

		if (got != want)
			fail(&p[i], want, got);
	}
	s->checks += WORDS;
}

static uint64_t xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static void *worker(void *arg)
{
	struct slice *s = arg;
	uint32_t round = 0;

	do {
		round++;
		for (size_t pg = 0; pg < s->pages; pg++) {
			write_page(s, pg, round);
			if (corrupt && s->index == 0 && round == 2 && pg == 0) {
				volatile uint64_t *w = s->base + 7;

				*w = pattern((uintptr_t)w, 1);
				printf("verifier: self-test: stale value put at %p\n", (void *)w);
			}
			check_page(s, pg);
			check_page(s, xorshift(&s->rng) % s->pages);
			if ((pg & 63) == 63 && now() > deadline)
				break;
		}
		for (size_t pg = 0; pg < s->pages; pg++)
			check_page(s, pg);
	} while (now() < deadline);
	return NULL;
}

int main(int argc, char **argv)
{
	struct slice sl[MAX_THREADS];
	unsigned long mib, secs, nthreads;
	uint64_t writes = 0, checks = 0;
	size_t pages, per;
	char *end;
	void *buf;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 5 && !strcmp(argv[4], "corrupt")) {
		corrupt = 1;
		argc--;
	}
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: verifier <MiB> <seconds> [threads [corrupt]]\n");
		return 2;
	}
	mib = strtoul(argv[1], &end, 0);
	if (*end || !mib || mib > 65536)
		goto bad;
	secs = strtoul(argv[2], &end, 0);
	if (*end || secs > 86400)
		goto bad;
	nthreads = argc > 3 ? strtoul(argv[3], &end, 0) : 0;
	if (argc > 3 && (*end || !nthreads || nthreads > MAX_THREADS))
		goto bad;
	if (!nthreads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		nthreads = n < 1 ? 1 : n > MAX_THREADS / 2 ? MAX_THREADS : 2 * n;
	}
	pages = (mib << 20) / PAGE;
	per = pages / nthreads;
	if (!per)
		goto bad;

	buf = mmap(NULL, mib << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		fprintf(stderr, "verifier: mmap %lu MiB: %s\n", mib, strerror(errno));
		return 2;
	}
	printf("verifier: start %lu MiB, %lu threads, %lu s\n", mib, nthreads, secs);
	deadline = now() + secs;
	for (unsigned long t = 0; t < nthreads; t++) {
		sl[t] = (struct slice){
			.base = (volatile uint64_t *)((char *)buf + t * per * PAGE),
			.pages = per,
			.round = calloc(per, sizeof(uint32_t)),
			.rng = 0x2545f4914f6cdd1dULL * (t + 1),
			.index = t,
		};
		if (!sl[t].round || pthread_create(&sl[t].tid, NULL, worker, &sl[t])) {
			fprintf(stderr, "verifier: cannot start thread %lu\n", t);
			return 2;
		}
	}
	for (unsigned long t = 0; t < nthreads; t++) {
		pthread_join(sl[t].tid, NULL);
		/* A last full check of the slice, after every thread stopped writing. */
		for (size_t pg = 0; pg < sl[t].pages; pg++)
			check_page(&sl[t], pg);
		writes += sl[t].writes;
		checks += sl[t].checks;
	}
	printf("verifier: PASS %" PRIu64 " writes %" PRIu64 " checks\n", writes, checks);
	return 0;
bad:
	fprintf(stderr, "verifier: bad arguments (MiB 1..65536, seconds 0..86400, threads 1..%d, "
		"at least one page per thread)\n", MAX_THREADS);
	return 2;
}
