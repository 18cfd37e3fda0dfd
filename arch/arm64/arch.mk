# arm64: freestanding EL2 image for QEMU virt and U-Boot boards.
CROSS_COMPILE ?= aarch64-linux-gnu-

# -mgeneral-regs-only: no FP/SIMD state to switch at EL2.
# -mstrict-align: early code runs with the MMU off (Device memory).
# -mno-outline-atomics: no libgcc/libc atomics helpers; LL/SC inline.
# -fno-omit-frame-pointer: arch_dump_backtrace() walks x29.
ARCH_CFLAGS := -ffreestanding -nostdlib -fno-builtin -mgeneral-regs-only -mstrict-align \
	-mno-outline-atomics -fno-stack-protector -fno-pic -fno-pie -mcmodel=small \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-asynchronous-unwind-tables \
	-fno-unwind-tables -fno-common -mbranch-protection=none -O2

# -pie: every absolute pointer becomes an R_AARCH64_RELATIVE entry that
# head.S applies, so the image runs wherever the loader put it.
ARCH_LDFLAGS := -nostdlib -static -pie --no-dynamic-linker -z notext -z norelro \
	-z noexecstack --hash-style=sysv -T arch/arm64/hyp.lds

SPARSE_ARCH := --arch=aarch64

ARCH_SRCS := $(wildcard arch/arm64/*.c arch/arm64/*.S)

ARCH_TARGETS := $(BUILD)/hyp.elf $(BUILD)/hyp.bin

$(BUILD)/hyp.elf: $(OBJS) arch/arm64/hyp.lds
	@mkdir -p $(dir $@)
	$(Q)$(CROSS_COMPILE)ld $(ARCH_LDFLAGS) -o $@ $(OBJS) $(shell $(CROSS_COMPILE)gcc -print-libgcc-file-name)
	@# Only R_AARCH64_RELATIVE is handled by head.S: refuse anything else.
	$(Q)if $(CROSS_COMPILE)readelf -rW $@ | awk 'NR>3 && /R_AARCH64_/ && !/R_AARCH64_(RELATIVE|NONE)/ {bad=1; print} END {exit bad}'; \
		then :; else echo "$@: unsupported dynamic relocations" >&2; rm -f $@; exit 1; fi

$(BUILD)/hyp.bin: $(BUILD)/hyp.elf
	$(Q)$(CROSS_COMPILE)objcopy -O binary $< $@

# Guest test kernels and VM configs (guest-tests/guest.mk).
include guest-tests/guest.mk
