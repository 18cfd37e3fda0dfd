# x86-64 port: a multiboot (v1) image for QEMU -kernel and GRUB.
#
# Linked as a 64-bit ELF at HYP_LOAD_ADDR (1 MiB, identity-mapped, so
# -mcmodel=small and no PIC), kept as build/x86/hyp64.elf for gdb/addr2line,
# then converted to ELF32 (build/x86/hyp.elf): QEMU's multiboot loader
# refuses 64-bit ELFs, and GRUB's `multiboot` accepts the ELF32 as well.
# The entry is 32-bit code (boot32.S), so the conversion loses nothing.
CROSS_COMPILE :=
ARCH_CFLAGS := -ffreestanding -nostdlib -m64 -mno-red-zone -mno-sse -mno-sse2 \
	-mno-mmx -mno-80387 -mcmodel=small -fno-stack-protector -fno-pic -fno-pie \
	-O2 -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	-fno-strict-aliasing --param=min-pagesize=0 -mpopcnt
# min-pagesize=0: firmware data at fixed low addresses (BDA 0x40e, the
# trampoline at 0x8000) is real memory, not a null-pointer offset (GCC 12
# otherwise flags such accesses with -Warray-bounds).
# -mpopcnt: __builtin_popcount* become POPCNT instead of calls to libgcc's
# __popcountdi2, which we do not link (every x86-64 CPU with VMX+EPT or
# SVM+NPT has POPCNT, and so do both emulators' CPU models).
ARCH_LDFLAGS := -nostdlib -static -z max-page-size=0x1000 --build-id=none \
	--no-warn-rwx-segments -z noexecstack
SPARSE_ARCH := -m64 -D__x86_64__
# Every .c/.S here except the linker script template.
ARCH_SRCS := $(filter-out arch/x86/hyp.lds.S,$(wildcard arch/x86/*.c arch/x86/*.S))
ARCH_TARGETS := $(BUILD)/hyp.elf

$(BUILD)/hyp.lds: arch/x86/hyp.lds.S arch/x86/include/x86/layout.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) -P -E -x c -D__ASSEMBLY__ -D__LINKER__ $< -o $@

$(BUILD)/hyp64.elf: $(OBJS) $(BUILD)/hyp.lds
	$(Q)$(LD) $(ARCH_LDFLAGS) -T $(BUILD)/hyp.lds -Map $(BUILD)/hyp.map $(OBJS) -o $@

$(BUILD)/hyp.elf: $(BUILD)/hyp64.elf
	$(Q)$(OBJCOPY) -O elf32-i386 $< $@

# Guest test kernels for x86 (guest-tests/arch/x86), once guest-tests/ has its
# architecture split (guest-tests/guest.mk reads guest-tests/arch/$(ARCH)/).
ifneq ($(wildcard guest-tests/arch/x86/guest-arch.mk),)
ifneq ($(wildcard guest-tests/arch/arm64/guest-arch.mk),)
include guest-tests/guest.mk
# The x86-only tests without the common ones: a small, bounded guest run for
# bochs (about 75 MIPS; scripts/tests/x86-guest-bochs.sh).
# Every common test file (guest-tests/tests*.c) is left out, not just tests.c.
GUEST_X86ONLY_OBJS := $(filter-out $(GUEST_BUILD)/tests%.o,$(GUEST_OBJS))
$(BUILD)/guest-x86only.elf: $(GUEST_X86ONLY_OBJS) $(GUEST_ARCH_DIR)/guest.lds arch/x86/arch.mk
	$(Q)ld -nostdlib -static -no-pie --no-warn-rwx-segments \
		-T $(GUEST_ARCH_DIR)/guest.lds -o $@ $(GUEST_X86ONLY_OBJS)
$(BUILD)/guest-x86only.bin: $(BUILD)/guest-x86only.elf
	$(Q)objcopy -O binary $< $@
ARCH_TARGETS += $(BUILD)/guest-x86only.bin
endif
endif

# x86 VM configurations: configs/vms-x86/*.dts -> build/x86/vms-x86/*.dtb
X86_VM_DTBS := $(patsubst configs/vms-x86/%.dts,$(BUILD)/vms-x86/%.dtb,$(wildcard configs/vms-x86/*.dts))
$(BUILD)/vms-x86/%.dtb: configs/vms-x86/%.dts
	@mkdir -p $(dir $@)
	$(Q)dtc -q -I dts -O dtb -o $@ $<
ARCH_TARGETS += $(X86_VM_DTBS)
