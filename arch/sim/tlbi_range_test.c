// SPDX-License-Identifier: GPL-2.0
/*
 * Range-invalidation operands, encoded by arch/arm64/tlb.c and decoded here
 * by a separate decoder written from the Arm ARM (not from tlb.c, not from
 * the simulation's model): every request's pages must be covered by the
 * union of the TLBIs it issued (no page missed); pages covered outside the
 * request, or twice, are over-invalidation: counted and reported.
 *
 * Requests: boundary sizes (1 page .. the whole 48-bit IPA space, around
 * every power of two and the 2^21-page limit of one range op) at boundary
 * alignments, then 10^5 random (start, size) pairs, byte-unaligned ones
 * included, log-uniform in size.
 *
 * tlb.c runs as the simulation compiles it (a64_s2_inval_range()), with
 * a64_tlbi_hook catching every TLBI before the model would see it.
 */
#include <hyp/arch.h>
#include <test/tap.h>
#include <arm64/cpufeature.h>
#include <arm64/tlbi.h>
#include "sim_arm64.h"
#include <stdlib.h>
#include <string.h>

#define IPA_BITS	48
#define IPA_PAGES	(1ULL << (IPA_BITS - 12))

/* ---- the independent decoder (Arm ARM D8 / the TLBI instruction pages) ---- */

struct span {
	u64 first, pages;	/* in 4K pages */
};

#define MAX_OPS	64
static struct { int op; u64 xt; } ops[MAX_OPS];
static unsigned int nops;
static char why[160];

static void record(int op, u64 xt)
{
	if (nops < MAX_OPS) {
		ops[nops].op = op;
		ops[nops].xt = xt;
	}
	nops++;
}

/*
 * TLBI IPAS2E1IS / IPAS2LE1IS, Xt: bits [35:0] = IPA[47:12] (bits [39:36]
 * IPA[51:48] with FEAT_LPA, zero here), TTL [47:44]. One page with 4K.
 * TLBI RIPAS2E1IS / RIPAS2LE1IS, Xt: TG [47:46] (0b01: 4K), SCALE [45:44],
 * NUM [43:39], TTL [38:37], BaseADDR [36:0] (= IPA[48:12] for 4K); the range
 * is (NUM + 1) * 2^(5 * SCALE + 1) pages from BaseADDR. A TTL that is not
 * 0b00 promises every entry in the range is a leaf of that level: a range
 * op from arch_s2_inval_range(), which does not know the levels, must not
 * give one. VMALLS12E1IS: the whole IPA space of the VMID.
 */
static bool decode(int op, u64 xt, struct span *s)
{
	switch (op) {
	case A64_TLBI_IPAS2E1IS:
	case A64_TLBI_IPAS2LE1IS:
		if (xt >> 36) {
			snprintf(why, sizeof(why), "IPA op %#llx: bits above [35:0] set", xt);
			return false;
		}
		s->first = xt & ((1ULL << 36) - 1);
		s->pages = 1;
		return true;
	case A64_TLBI_RIPAS2E1IS:
	case A64_TLBI_RIPAS2LE1IS: {
		unsigned int tg = (xt >> 46) & 3, scale = (xt >> 44) & 3;
		unsigned int num = (xt >> 39) & 31, ttl = (xt >> 37) & 3;

		if (xt >> 48 || tg != 1 || ttl) {
			snprintf(why, sizeof(why), "range op %#llx: RES0 set, TG %u or TTL %u", xt,
				 tg, ttl);
			return false;
		}
		s->first = xt & ((1ULL << 37) - 1);
		s->pages = (u64)(num + 1) << (5 * scale + 1);
		return true;
	}
	case A64_TLBI_VMALLS12E1IS:
	case A64_TLBI_ALLE1IS:
		s->first = 0;
		s->pages = IPA_PAGES;
		return true;
	case A64_TLBI_VMALLE1IS:	/* stage 1 only: no stage-2 page */
	case A64_TLBI_VMALLE1:
		s->first = 0;
		s->pages = 0;
		return true;
	}
	snprintf(why, sizeof(why), "unknown op %d", op);
	return false;
}

static int cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

static u64 total_over, total_req_pages, max_ops_seen, requests, failures;
static bool leaf_arg;

/* Encode (tlb.c) and decode (here) one request; false on a missed page. */
static bool check(u64 start, u64 size)
{
	const struct arch_s2_tlb_ctx ctx = { .vmid = 7, .root = pa_init(0x40000000), .cpus = 1 };
	u64 first = start >> 12, end = (start + size + 4095) >> 12;	/* pages [first, end) */
	struct span sp[MAX_OPS];
	unsigned int n = 0;
	u64 at = first, covered = 0;

	nops = 0;
	why[0] = 0;
	if (!a64_s2_inval_range(&ctx, ipa_init(start), size, leaf_arg)) {
		snprintf(why, sizeof(why), "range invalidation reported unsupported");
		return false;
	}
	requests++;
	total_req_pages += end - first;
	if (nops > max_ops_seen)
		max_ops_seen = nops;
	if (nops > MAX_OPS) {
		snprintf(why, sizeof(why), "%u TLBIs for one request", nops);
		return false;
	}
	for (unsigned int i = 0; i < nops; i++) {
		if (!decode(ops[i].op, ops[i].xt, &sp[n]))
			return false;
		if (sp[n].pages)
			covered += sp[n++].pages;
	}
	qsort(sp, n, sizeof(sp[0]), cmp_span);
	for (unsigned int i = 0; i < n && at < end; i++) {
		if (sp[i].first > at)
			break;	/* a hole at `at` */
		if (sp[i].first + sp[i].pages > at)
			at = sp[i].first + sp[i].pages;
	}
	if (at < end) {
		snprintf(why, sizeof(why), "page %#llx of [%#llx, %#llx) not invalidated "
			 "(%u TLBIs)", at, first, end, nops);
		return false;
	}
	total_over += covered - (end - first);
	return true;
}

static u64 rng[2] = { 0x9e3779b97f4a7c15ULL, 0xd1b54a32d192ed03ULL };

static u64 rnd(void)
{
	u64 s1 = rng[0];
	const u64 s0 = rng[1];

	rng[0] = s0;
	s1 ^= s1 << 23;
	rng[1] = s1 ^ s0 ^ (s1 >> 17) ^ (s0 >> 26);
	return rng[1] + s0;
}

static void fail_once(const char *what, u64 start, u64 size)
{
	if (failures++ < 5)
		printf("# %s: start %#llx size %#llx: %s\n", what, start, size, why);
}

int main(void)
{
	static const u64 starts[] = {
		0, 1ULL << 12, 3ULL << 12, 0x1ff000, 1ULL << 21, (1ULL << 21) + 4096,
		(1ULL << 30) - 4096, 1ULL << 30, 0x123456789000ULL, 0x7ffffe000ULL,
		0x7fffffffe000ULL, 0x800, 0xfff, 0x200123,
	};
	u64 boundary = 0, fails_before;
	unsigned int i;

	a64_tlbi_hook = record;
	cpu_features.tlbi_range = true;
	cpu_features.ttl = true;

	/* Boundary sizes: 1..64 pages, 2^k - 1, 2^k, 2^k + 1 pages, the whole space. */
	for (unsigned int li = 0; li < 2; li++) {
		leaf_arg = li;
		for (i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
			u64 st = starts[i];

			for (u64 p = 1; p <= 64; p++)
				if (st + (p << 12) <= (1ULL << IPA_BITS) && !check(st, p << 12))
					fail_once("boundary", st, p << 12);
			for (unsigned int k = 6; k <= IPA_BITS - 12; k++) {
				for (int d = -1; d <= 1; d++) {
					u64 sz = ((1ULL << k) + (u64)(s64)d) << 12;

					if (st + sz > (1ULL << IPA_BITS))
						continue;
					boundary++;
					if (!check(st, sz))
						fail_once("boundary", st, sz);
				}
			}
		}
		if (!check(0, 1ULL << IPA_BITS))
			fail_once("whole IPA space", 0, 1ULL << IPA_BITS);
	}
	tap_ok(failures == 0, "boundary ranges (%llu power-of-two sizes x %zu starts, "
	       "1..64 pages, whole space, both forms): every page covered", boundary,
	       sizeof(starts) / sizeof(starts[0]));

	fails_before = failures;
	for (i = 0; i < 100000; i++) {
		unsigned int bits = 12 + (unsigned int)(rnd() % (IPA_BITS - 12 + 1));
		u64 sz = 1 + rnd() % (1ULL << bits);
		u64 st = rnd() % (1ULL << IPA_BITS);

		if (rnd() & 1)	/* page-aligned half the time */
			st &= ~0xfffULL, sz = (sz + 0xfff) & ~0xfffULL;
		if (st + sz > (1ULL << IPA_BITS))
			sz = (1ULL << IPA_BITS) - st;
		if (!sz)
			continue;
		leaf_arg = rnd() & 1;
		if (!check(st, sz))
			fail_once("random", st, sz);
	}
	tap_ok(failures == fails_before, "10^5 random ranges (1 page .. 2^36 pages, any "
	       "alignment): every page covered");
	tap_ok(max_ops_seen <= 1 + 4 + 4, "at most 9 TLBIs per request (max %llu)", max_ops_seen);
	printf("# over-invalidation: %llu pages outside the requests over %llu requests "
	       "(%llu pages asked); all of it from the VMID-wide fallback at >= 2^21 pages\n",
	       total_over, requests, total_req_pages);
	/* Below the fallback the encoding is exact: measure it on its own. */
	total_over = 0;
	for (i = 0; i < 20000; i++) {
		u64 sz = (1 + rnd() % ((1ULL << 21) - 1)) << 12;
		u64 st = (rnd() % (1ULL << 30)) << 12;

		if (!check(st, sz))
			fail_once("exactness", st, sz);
	}
	tap_ok(total_over == 0, "below 2^21 pages the ops tile the request exactly "
	       "(over-invalidation %llu pages in 2*10^4 requests)", total_over);
	a64_tlbi_hook = NULL;
	return tap_done();
}
