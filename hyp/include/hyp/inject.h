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
	X(MIGRATE_COPY_BEFORE_FLUSH,	"migrate-copy-before-flush")	\
	X(FIRST_RUN_NO_FLUSH,		"first-run-no-flush")		\
	/* arch/arm64/tlb.c: the instructions (doc/simulation.md A1-A7) */	\
	X(TLBI_NO_VMID_BORROW,		"tlbi-no-vmid-borrow")	\
	X(TLBI_NO_ISB_AFTER_VTTBR,	"tlbi-no-isb-after-vttbr")	\
	X(TLBI_NO_DSB_ISHST,		"tlbi-no-dsb-ishst")	\
	X(TLBI_NO_VTTBR_RESTORE,	"tlbi-no-vttbr-restore")	\
	X(TLBI_COMBINED_BEFORE_COMPLETE,	"tlbi-combined-before-complete")	\
	X(TLBI_NO_COMBINED_FLUSH,	"tlbi-no-combined-flush")	\
	X(TLBI_COMBINED_LOCAL,		"tlbi-combined-local")	\
	X(TLBI_TTL_ALWAYS_PAGE,		"tlbi-ttl-always-page")	\
	X(TLBI_LEAF_FORM_ALWAYS,	"tlbi-leaf-form-always")	\
	X(TLBI_RANGE_MAX_OFF_BY_ONE,	"tlbi-range-max-off-by-one")	\
	X(TLBI_RANGE_BASE_STALE,	"tlbi-range-base-stale")	\
	X(TLBI_RANGE_NUM_OFF_BY_ONE,	"tlbi-range-num-off-by-one")	\
	X(TLBI_VMID_WRONG_OP,		"tlbi-vmid-wrong-op")	\
	X(TLBI_ALL_NO_DSB_ISHST,	"tlbi-all-no-dsb-ishst")	\
	X(TLBI_SYNC_DSB_ISHST,		"tlbi-sync-dsb-ishst")	\
	X(TLBI_UNLOAD_NO_ISB,		"tlbi-unload-no-isb")	\
	/* arch/x86/tlb.c: shootdown and owed flushes (X1-X5) */	\
	X(X86_ALL_VMID_ONLY,		"x86-all-vmid-only")	\
	X(X86_SKIP_LOCAL_OWED,		"x86-skip-local-owed")	\
	X(X86_OWED_AFTER_NMI,		"x86-owed-after-nmi")	\
	X(X86_NO_ACK_WAIT,		"x86-no-ack-wait")	\
	X(X86_OWED_ALL_AS_VMID,		"x86-owed-all-as-vmid")	\
	/* arch/x86/tlb_entry.c: the backends' encoding at VM entry (X6-X8) */	\
	X(X86_INVEPT_RAW_ROOT,		"x86-invept-raw-root")	\
	X(X86_VMX_SINGLE_FOR_ALL,	"x86-vmx-single-for-all")	\
	X(X86_VMX_NMI_NO_FLUSH,		"x86-vmx-nmi-no-flush")	\
	X(X86_VMX_FALLBACK_NO_OWE,	"x86-vmx-fallback-no-owe")	\
	/* arch/x86/tlb_entry.c: a vCPU arriving on a CPU (X10) */	\
	X(X86_VMX_VPID_SKIP_SAME,	"x86-vmx-vpid-skip-same")	\
	X(X86_VMX_VPID_SINGLE_NO_CAP,	"x86-vmx-vpid-single-no-cap")	\
	/* arch/x86/vmx.c: NMIs re-armed after an NMI exit; in bochs */	\
	X(X86_VMX_NMI_STAYS_BLOCKED,	"x86-vmx-nmi-stays-blocked")	\
	X(X86_SVM_OWED_BEFORE_CLGI,	"x86-svm-owed-before-clgi")	\
	X(X86_SVM_ASID_FOR_ALL,		"x86-svm-asid-for-all")	\
	X(X86_SVM_ASID_AT_INIT,		"x86-svm-asid-at-init")	\
	X(X86_SVM_ASID_WITHOUT_CAP,	"x86-svm-asid-without-cap")	\
	X(X86_SVM_NO_VCPU_FLUSH,	"x86-svm-no-vcpu-flush")	\
	/* arch/x86/vcpu.c: guest memory (doc/guest-memory.md); in QEMU/bochs */	\
	X(X86_GUEST_PTR_UNLOCKED,	"x86-guest-ptr-unlocked")

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
