/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fault-injection switches (doc/validation.md): each one is a deliberate
 * ordering bug, and some test must catch it (make mutants). In the code a
 * switch is a value, like Linux's IS_ENABLED():
 *
 *	if (inject(SKIP_CLEARED))
 *		...the bug...;
 *
 * so both branches compile and pass sparse in every build. Builds:
 *   default          inject() is constant false: the compiler drops the bug.
 *   VALIDATION=1     every switch compiled in; those named by the boot
 *                    argument hyp.inject=<name>[,<name>...] are on (the
 *                    simulation: simtest --inject <name>[,...]). The banner
 *                    names them.
 *   INJECT=<name>    that one switch on, as a constant (shorthand).
 *
 * Adding a switch is one line in INJECT_SWITCHES: the enum, the names
 * hyp.inject= accepts, and make mutants / make test-inject's lists (read
 * from this file by the scripts) all come from it.
 */
#ifndef HYP_INJECT_H
#define HYP_INJECT_H

#include <hyp/compiler.h>
#include <hyp/types.h>

/* X(ID, "name"): one line per switch; scripts parse the "name" column. */
#define INJECT_SWITCHES(X)						\
	X(FREE_BEFORE_FLUSH,		"free-before-flush")		\
	X(SKIP_CLEARED,			"skip-cleared")			\
	X(NESTED_FLUSH_NARROW,		"nested-flush-narrow")		\
	X(LEAF_ONLY_AFTER_TABLE_FREE,	"leaf-only-after-table-free")	\
	X(TEARDOWN_FLUSH_WHILE_LIVE,	"teardown-flush-while-live")	\
	X(DIRTY_AFTER_UNLOCK,		"dirty-after-unlock")		\
	X(MOVE_FLUSH_AFTER_UNLOCK,	"move-flush-after-unlock")	\
	X(MOVE_UNSERIALIZED_RECLAIM,	"move-unserialized-reclaim")	\
	X(RECLAIM_NO_GRACE,		"reclaim-no-grace")		\
	X(VMID_REUSE_NO_FLUSH,		"vmid-reuse-no-flush")		\
	X(IPI_SUBSET,			"ipi-subset")			\
	X(SPLIT_NO_BBM,			"split-no-bbm")			\
	X(COLLAPSE_NO_BBM,		"collapse-no-bbm")		\
	X(FAULT_DURING_UNMAP,		"fault-during-unmap")		\
	X(MIGRATE_COPY_BEFORE_FLUSH,	"migrate-copy-before-flush")

enum inject_switch {
#define INJECT_ENUM(id, name) INJ_##id,
	INJECT_SWITCHES(INJECT_ENUM)
#undef INJECT_ENUM
	INJ_NR
};

#if defined(CONFIG_VALIDATION)
/* Set once at boot (before any other CPU runs), read-only afterwards. */
extern u64 inject_mask;
#endif

static inline bool inject_on(enum inject_switch s)
{
#if defined(CONFIG_VALIDATION)
	return unlikely(inject_mask & BIT(s));
#elif defined(INJECT_ONE)
	return s == INJECT_ONE;
#else
	(void)s;
	return false;	/* folded away */
#endif
}

/* Is switch ID (a name from INJECT_SWITCHES, without INJ_) on? */
#define inject(id)	inject_on(INJ_##id)

/*
 * Turn on the switches named in the comma-separated list [s, s + n).
 * Return: 0, or -E_INVAL (an unknown name; nothing changed) or
 * -E_NOSYS (not a validation build: switches are not compiled in).
 */
int inject_parse(const char *s, size_t n);
/* One banner line naming the switches on (nothing if none). */
void inject_banner(void);

#endif
