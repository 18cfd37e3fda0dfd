// SPDX-License-Identifier: GPL-2.0
/* Fault-injection switches chosen at boot (hyp/inject.h, doc/validation.md). */
#include <hyp/console.h>
#include <hyp/inject.h>
#include <hyp/printf.h>
#include <hyp/string.h>

static const char *const inject_names[INJ_NR] = {
#define INJECT_NAME_OF(id, name) [INJ_##id] = name,
	INJECT_SWITCHES(INJECT_NAME_OF)
#undef INJECT_NAME_OF
};

#if defined(CONFIG_VALIDATION)
#if defined(INJECT_ONE)
u64 inject_mask = BIT(INJECT_ONE);	/* INJECT=<name> on a validation build */
#else
u64 inject_mask;
#endif
#endif

BUILD_BUG_ON(INJ_NR > 64);	/* inject_mask is a u64 */

/* The switch named [s, s + n), or INJ_NR. */
static enum inject_switch lookup(const char *s, size_t n)
{
	for (unsigned int i = 0; i < INJ_NR; i++)
		if (strlen(inject_names[i]) == n && !strncmp(s, inject_names[i], n))
			return (enum inject_switch)i;
	return INJ_NR;
}

int inject_parse(const char *s, size_t n)
{
	const char *end = s + n;
	u64 mask = 0;

	while (s < end) {
		const char *w = s;
		enum inject_switch sw;

		while (s < end && *s != ',')
			s++;
		sw = lookup(w, (size_t)(s - w));
		if (sw == INJ_NR) {
			pr_warn("inject: no switch '%.*s'\n", (int)(s - w), w);
			return -E_INVAL;
		}
		mask |= BIT(sw);
		if (s < end)
			s++;	/* the comma */
	}
#if defined(CONFIG_VALIDATION)
	inject_mask |= mask;
	return 0;
#else
	(void)mask;
	pr_warn("inject: not a validation build (make VALIDATION=1): switches not compiled in\n");
	return -E_NOSYS;
#endif
}

void inject_banner(void)
{
	char buf[512];
	size_t len = 0;

	buf[0] = 0;
	for (unsigned int i = 0; i < INJ_NR; i++) {
		if (!inject_on((enum inject_switch)i))
			continue;
		len += (size_t)hyp_snprintf(buf + len, sizeof(buf) - len, "%s%s",
					len ? "," : "", inject_names[i]);
		if (len >= sizeof(buf))
			break;
	}
#if defined(CONFIG_VALIDATION)
	pr_info("validation build: fault injection hyp.inject=%s\n", len ? buf : "(none)");
#else
	if (len)
		pr_info("fault injection compiled in: %s (INJECT=)\n", buf);
#endif
}
