// SPDX-License-Identifier: GPL-2.0
/*
 * Architecture-neutral bring-up, the top of the call graph (hyp/core: console,
 * panic, per-CPU, platform, boot self-tests; hyp/vm: the VMs). The arch entry
 * code gets the boot CPU onto its own stage-1 tables with a console, then:
 *
 *   boot CPU:    hyp_init(dtb)          (arm64; x86 fills `platform` itself and
 *                                        calls hyp_init_memory + hyp_print_banner)
 *                [arch starts the secondaries]
 *                hyp_main()             never returns
 *   secondaries: hyp_secondary_main(cpu) never returns
 */
#include <hyp/arch.h>
#include <hyp/boot.h>
#include <hyp/bootargs.h>
#include <hyp/inject.h>
#include <hyp/console.h>
#include <hyp/fdt.h>
#include <hyp/palloc.h>
#include <hyp/panic.h>
#include <hyp/percpu.h>
#include <hyp/platform.h>
#include <hyp/selftest.h>
#include <hyp/vm/vm.h>

#define HYP_VERSION "0.1"

struct platform platform;

/* Linker-script symbols bounding the hypervisor image. */
extern char __hyp_start[], __hyp_end[];


static int add_rsv(paddr_t base, u64 size)
{
	if (platform.nr_rsv == PLAT_MAX_RSV)
		return -E_RANGE;
	platform.rsv[platform.nr_rsv].base = base;
	platform.rsv[platform.nr_rsv].size = size;
	platform.nr_rsv++;
	return 0;
}

void hyp_init(const void *dtb)
{
	const char *why = "?";
	struct fdt fdt;
	const char *args;
	u32 len;

	if (platform_from_dtb(&platform, dtb, 2 * SZ_1G, &why) < 0)
		panic("device tree at %p is unusable: %s", dtb, why);
	/* platform_from_dtb checked the blob, so this cannot fail. */
	fdt_check(&fdt, dtb, 2 * SZ_1G, &why);
	if (add_rsv(ptr_to_pa(dtb), fdt.size) < 0)
		panic("too many reserved ranges to protect the DTB");
	args = fdt_prop(&fdt, fdt_path(&fdt, "/chosen"), "bootargs", &len);
	if (args)
		bootargs_parse(&bootargs, args, len);
	/* VM config and guest images: reserved before the allocator takes RAM. */
	if (vm_config_early(dtb, add_rsv) < 0)
		pr_err("VM config unusable: no VMs will start\n");
	hyp_init_memory();
	hyp_print_banner();
}

void hyp_init_memory(void)
{
	nr_cpus_possible = platform.nr_cpus ? platform.nr_cpus : 1;
	/*
	 * Reserve first: the image, the DTB and firmware ranges must be known
	 * before the allocator writes its metadata into RAM.
	 */
	palloc_reserve(ptr_to_pa(__hyp_start), (u64)(__hyp_end - __hyp_start));
	for (unsigned int i = 0; i < platform.nr_rsv; i++)
		palloc_reserve(platform.rsv[i].base, platform.rsv[i].size);
	for (unsigned int i = 0; i < platform.nr_mem; i++) {
		int r = palloc_add_region(platform.mem[i].base, platform.mem[i].size);

		if (r < 0)
			pr_warn("memory %#llx+%#llx not usable: %s\n",
				pa_addr(platform.mem[i].base), platform.mem[i].size, err_str(r));
	}
	if (!palloc_total_pages())
		panic("no usable RAM");
}

void hyp_print_banner(void)
{
	hyp_printf("\n=== hyp " HYP_VERSION ": stage-2 MMU manager microhypervisor ===\n");
	for (unsigned int i = 0; i < platform.nr_mem; i++)
		pr_info("memory: %#llx-%#llx (%llu MiB)\n", pa_addr(platform.mem[i].base),
			pa_addr(platform.mem[i].base) + platform.mem[i].size - 1,
			platform.mem[i].size >> 20);
	for (unsigned int i = 0; i < platform.nr_rsv; i++)
		pr_info("reserved: %#llx-%#llx\n", pa_addr(platform.rsv[i].base),
			pa_addr(platform.rsv[i].base) + platform.rsv[i].size - 1);
	pr_info("page allocator: %llu of %llu pages free, poison on free %s\n",
		palloc_free_pages(), palloc_total_pages(), palloc_debug ? "on" : "off");
	pr_info("cpus: %u possible\n", nr_cpus_possible);
	inject_banner();
	arch_banner();
}

__noreturn void hyp_secondary_main(unsigned int cpu)
{
	cpu_mark_online(cpu);
	pr_info("cpu%u online (hwid %#llx)\n", cpu, percpu_data[cpu].hwid);
	vm_cpu_loop(cpu);	/* runs the vCPU pinned here, if any */
	for (;;)
		arch_cpu_relax();	/* idle */
}

void hyp_main(void)
{
	/* Enough for TCG to bring up 8 CPUs; a missing CPU is reported, not waited for. */
	u64 spins = 0, limit = 400000000ULL;

	cpu_mark_online(arch_cpu_id());
	pr_info("cpu%u online (boot cpu, hwid %#llx)\n", arch_cpu_id(),
		percpu_data[arch_cpu_id()].hwid);
	while (cpus_online() < nr_cpus_possible && spins++ < limit)
		arch_cpu_relax();
	if (cpus_online() < nr_cpus_possible)
		pr_err("only %u of %u cpus came online\n", cpus_online(), nr_cpus_possible);
	else
		pr_info("all %u cpus online\n", cpus_online());
	palloc_selfcheck();
	run_selftest(bootargs.selftest);
	if (vm_create_all()) {
		vm_cpu_loop(arch_cpu_id());	/* returns when every VM is destroyed */
		pr_info("all VMs powered off; powering off\n");
		arch_system_off(0);
	}
	if (bootargs.poweroff_when_up) {
		pr_info("boot complete; powering off (hyp.poweroff=0 keeps running)\n");
		arch_system_off(cpus_online() == nr_cpus_possible ? 0 : 1);
	}
	pr_info("boot complete; idle\n");
	for (;;)
		arch_cpu_relax();
}
