// SPDX-License-Identifier: GPL-2.0
/*
 * Rate limit for guest-triggered warnings (hyp/include/hyp/vm/vm_warn.h,
 * doc/console.md). Counted, not timed: the same guest behaviour gives the
 * same lines on every machine and under any load (tests assert counts).
 * Per VM slot (it outlives incarnations: a looping VM repeating the same
 * fault each round goes quiet too).
 */
#include <hyp/console.h>
#include <hyp/printf.h>
#include <hyp/spinlock.h>
#include <hyp/string.h>
#include <hyp/vm/vm.h>
#include <hyp/vm/vm_warn.h>
#include <stdarg.h>

struct warn_kind {
	const char *kind;
	u64 seen;		/* occurrences, all incarnations */
	u64 hidden;		/* not printed since the last line about this kind */
};

static struct spinlock warn_lock = SPINLOCK_INIT;
static struct warn_kind kinds[VM_MAX][VM_WARN_KINDS];

static bool shown(u64 n)
{
	return n <= VM_WARN_BURST || (n & (n - 1)) == 0;
}

void vm_warn(struct vm *vm, const char *kind, const char *fmt, ...)
{
	struct warn_kind *k = NULL;
	char msg[240];
	u64 hidden = 0, seen;
	bool show;
	va_list ap;
	int n;

	spin_lock(&warn_lock);
	for (unsigned int i = 0; i < VM_WARN_KINDS && !k; i++) {
		if (!kinds[vm->id][i].kind || kinds[vm->id][i].kind == kind ||
		    i == VM_WARN_KINDS - 1) {
			k = &kinds[vm->id][i];
			if (!k->kind)
				k->kind = kind;
		}
	}
	seen = ++k->seen;
	show = shown(seen);
	if (show) {
		hidden = k->hidden;
		k->hidden = 0;
	} else {
		k->hidden++;
	}
	spin_unlock(&warn_lock);
	if (!show)
		return;
	va_start(ap, fmt);
	n = hyp_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < sizeof(msg) && msg[n - 1] == '\n')
		msg[n - 1] = 0;
	if (hidden)
		pr_warn("%s [%s #%llu; %llu like it not shown]\n", msg, kind, seen, hidden);
	else
		pr_warn("%s\n", msg);
}

void vm_warn_report(struct vm *vm)
{
	for (unsigned int i = 0; i < VM_WARN_KINDS; i++) {
		struct warn_kind *k = &kinds[vm->id][i];
		u64 hidden, seen;

		spin_lock(&warn_lock);
		hidden = k->hidden;
		seen = k->seen;
		k->hidden = 0;
		spin_unlock(&warn_lock);
		if (hidden)
			pr_warn("vm%u (%s): %llu warnings '%s' not shown (%llu in all; "
				"rate limit: the first %u, then the 2^n-th)\n", vm->id, vm->name,
				hidden, k->kind, seen, VM_WARN_BURST);
	}
}
