/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private to the VM layer's files (hyp/vm/vm*.c), not an interface: what
 * vm.c (run time, power), vm_create.c (building), vm_config.c (the config),
 * vm_image.c (boot modules) and vm_mem.c (guest memory) share.
 */
#ifndef HYP_VM_VM_INTERNAL_H
#define HYP_VM_VM_INTERNAL_H

#include <hyp/fdt.h>
#include <hyp/vm/vm.h>

#define VM_CFG_MAX_SIZE		SZ_64K

/* Refusal reasons with values are formatted into the caller's buffer. */
#define VM_WHY_LEN	256
#define WHY(...)	(hyp_snprintf(buf, VM_WHY_LEN, __VA_ARGS__), (const char *)buf)

/* vm.c: the VMs and the run loop's shared state */
extern struct vm vms[VM_MAX];
extern unsigned int vms_created;
extern struct vcpu *pinned[HYP_MAX_CPUS];
extern u32 vms_decided;
extern u32 vms_alive;
extern u64 free_before_vms;

/* vm_config.c */
extern const void *vm_cfg;
extern const char *const vm_mod_label[VM_MOD_NR];
u64 be64_ld(const void *p);
const char *vm_parse(const struct fdt *f, int node, struct vm *vm, u64 used_cpus,
		     unsigned int accepted, char *buf);

/* vm_image.c */
const char *vm_kernel_header(struct vm *vm, char *buf);
const char *vm_layout(struct vm *vm, char *buf);
const char *vm_check_dtb(struct vm *vm, char *buf);
int vm_load_modules(struct vm *vm);

/* vm_mem.c: the hyp/mm callbacks (struct s2_ops) of every VM */
int vm_fault_backing(void *arg, struct s2_vm *s2, ipaddr_t ipa, paddr_t *pa,
		     unsigned int *prot);
void vm_put_page(void *arg, paddr_t pa, u64 size);
int vm_build_page(struct vm *vm, u64 ipa, paddr_t *pa);
void vm_premap(struct vm *vm);
int vm_identity_map(struct vm *vm);
int vm_fault_block(void *arg, struct s2_vm *s2, ipaddr_t block, paddr_t *pa,
		   unsigned int *prot);

/* vm_charge.c: the stage-2 manager's own pages for one VM, charged to it */
bool vm_table_alloc(void *arg, unsigned int order, paddr_t *pa);
void vm_table_free(void *arg, paddr_t pa, unsigned int order);

/* vm_create.c: also SYSTEM_RESET's rebuild (vm.c) */
int vm_build(struct vm *vm);

#endif
