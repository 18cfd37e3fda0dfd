// SPDX-License-Identifier: GPL-2.0
#include <hyp/bootargs.h>
#include <hyp/palloc.h>
#include <hyp/console.h>
#include <hyp/inject.h>
#include <hyp/string.h>

struct bootargs bootargs = { .poweroff_when_up = true };

/* Does the option [s, s+n) start with key, and what follows it? */
static const char *match(const char *s, size_t n, const char *key)
{
	size_t k = strlen(key);

	return (n >= k && !strncmp(s, key, k)) ? s + k : NULL;
}

static bool word_is(const char *v, const char *end, const char *w)
{
	return (size_t)(end - v) == strlen(w) && !strncmp(v, w, strlen(w));
}

int bootargs_parse(struct bootargs *ba, const char *cmdline, size_t max)
{
	const char *p = cmdline, *end = cmdline + strnlen(cmdline, max);
	int unknown = 0;

	while (p < end) {
		const char *opt, *v;
		size_t n;

		while (p < end && *p == ' ')
			p++;
		opt = p;
		while (p < end && *p != ' ')
			p++;
		n = (size_t)(p - opt);
		if (!n)
			break;
		if ((v = match(opt, n, "loglevel=")) && v < p && *v >= '0' && *v <= '3') {
			console_loglevel = (enum log_level)(*v - '0');
		} else if ((v = match(opt, n, "hyp.panic="))) {
			if (word_is(v, p, "poweroff"))
				ba->panic_poweroff = true;
			else if (word_is(v, p, "halt"))
				ba->panic_poweroff = false;
			else
				goto bad;
		} else if ((v = match(opt, n, "hyp.poweroff="))) {
			if (word_is(v, p, "0") || word_is(v, p, "1"))
				ba->poweroff_when_up = *v == '1';
			else
				goto bad;
		} else if ((v = match(opt, n, "hyp.palloc-poison="))) {
			if (word_is(v, p, "0") || word_is(v, p, "1"))
				palloc_debug = *v == '1';
			else
				goto bad;
		} else if ((v = match(opt, n, "hyp.selftest="))) {
			size_t l = MIN((size_t)(p - v), sizeof(ba->selftest) - 1);

			memcpy(ba->selftest, v, l);
			ba->selftest[l] = 0;
		} else if ((v = match(opt, n, "hyp.vmid_bits="))) {
			unsigned int bits = 0;

			for (const char *d = v; d < p; d++) {
				if (*d < '0' || *d > '9' || bits > 100)
					goto bad;
				bits = bits * 10 + (unsigned int)(*d - '0');
			}
			if (v == p || bits < BOOTARGS_VMID_BITS_MIN || bits > BOOTARGS_VMID_BITS_MAX)
				goto bad;
			ba->vmid_bits = bits;
		} else if ((v = match(opt, n, "hyp.inject="))) {
			/* Validation builds only (hyp/inject.h); reported if refused. */
			if (v == p || inject_parse(v, (size_t)(p - v)) < 0)
				goto bad;
		} else if (match(opt, n, "hyp.") || match(opt, n, "loglevel=")) {
			goto bad;
		}
		/* Anything else (console=..., earlycon) belongs to others: skip. */
		continue;
bad:
		pr_warn("bootargs: ignoring unknown or bad option '%.*s'\n", (int)n, opt);
		unknown++;
	}
	return unknown;
}
