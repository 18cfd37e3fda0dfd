// SPDX-License-Identifier: GPL-2.0
/* arm64 boot self tests (see arm64/selftest.h). */
#include <hyp/console.h>
#include <hyp/fdt.h>
#include <hyp/panic.h>
#include <hyp/percpu.h>
#include <hyp/string.h>
#include <arm64/cpu.h>
#include <arm64/selftest.h>
#include <arm64/smp.h>

#define SELFTEST_WAIT_NS	(20ULL * 1000 * 1000 * 1000)	/* loaded hosts */
#define OPT			"arm64.selftest="

static bool test_overflow;

void selftest_init(const void *dtb)
{
	struct fdt fdt;
	const char *why, *args, *end;
	u32 len;

	if (fdt_check(&fdt, dtb, 2ULL << 20, &why))
		return;
	args = fdt_prop(&fdt, fdt_path(&fdt, "/chosen"), "bootargs", &len);
	if (!args)
		return;
	end = args + strnlen(args, len);
	for (const char *p = args; p < end; p++) {
		size_t n = strlen(OPT);

		if ((p == args || p[-1] == ' ') && (size_t)(end - p) > n && !strncmp(p, OPT, n)) {
			const char *v = p + n;
			size_t vl = 0;

			while (v + vl < end && v[vl] != ' ')
				vl++;
			if (vl == strlen("stack-overflow") && !strncmp(v, "stack-overflow", vl))
				test_overflow = true;
			else
				pr_warn("selftest: unknown " OPT "%.*s\n", (int)vl, v);
		}
	}
}

/* Each level keeps 512 bytes live on the stack; only the guard stops it. */
static __attribute__((noinline)) u64 recurse(u64 depth)
{
	volatile u8 buf[512];

	buf[depth % sizeof(buf)] = (u8)depth;
	if (depth > (1ULL << 40))	/* never: keeps the compiler from calling it infinite */
		return 0;
	return recurse(depth + 1) + buf[depth % sizeof(buf)];
}

void selftest_run(void)
{
	u64 deadline;

	if (!test_overflow)
		return;
	deadline = arm64_now_ns() + SELFTEST_WAIT_NS;
	while (cpus_online() + 1 < smp_nr_cpus() && arm64_now_ns() < deadline)
		arch_cpu_relax();	/* secondaries; the boot CPU is not online yet */
	pr_info("selftest: stack overflow on cpu%u (%u other CPUs online)\n",
		arch_cpu_id(), cpus_online());
	recurse(0);
	panic("selftest: the stack overflow was not caught");
}
