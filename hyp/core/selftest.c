// SPDX-License-Identifier: GPL-2.0
/*
 * Boot self-tests, run by hyp_main() (hyp/main.c) once every CPU is online:
 * the page allocator's self-check and the hyp.selftest= tests.
 */
#include <hyp/console.h>
#include <hyp/palloc.h>
#include <hyp/panic.h>
#include <hyp/selftest.h>
#include <hyp/string.h>

/* A small allocator exercise on real memory: catches a broken region set-up. */
void palloc_selfcheck(void)
{
	paddr_t a, b;
	u64 before = palloc_free_pages();

	if (!palloc_alloc(0, &a) || !palloc_alloc(9, &b))
		panic("page allocator: allocation failed at boot");
	if (!IS_ALIGNED(pa_addr(b), SZ_2M))
		panic("page allocator: order-9 block %#llx not 2 MiB aligned", pa_addr(b));
	palloc_free(a, 0);
	palloc_free(b, 9);
	if (palloc_free_pages() != before || palloc_poison_violations)
		panic("page allocator: self-check lost pages");
	pr_info("page allocator: self-check ok\n");
}

void run_selftest(const char *name)
{
	if (!strcmp(name, "abort")) {
		pr_info("selftest: deliberate data abort at an unmapped address\n");
		(void)*(volatile u64 *)0x00007fff00000000ULL;
		panic("selftest: the access did not fault");
	} else if (!strcmp(name, "panic")) {
		panic("selftest: deliberate panic");
	} else if (name[0]) {
		pr_warn("selftest: unknown test '%s'\n", name);
	}
}
