# SPDX-License-Identifier: GPL-2.0
# Guest test kernels (EL1 bare metal), included by arch/arm64/arch.mk.
# -mstrict-align: the MMU is off, so memory is Device-typed (no unaligned).
GUEST_BUILD := $(BUILD)/guest-tests
GUEST_SRCS := $(wildcard guest-tests/*.c guest-tests/*.S)
GUEST_OBJS := $(patsubst guest-tests/%,$(GUEST_BUILD)/%.o,$(basename $(GUEST_SRCS)))
GUEST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-ffreestanding -nostdlib -fno-builtin -mgeneral-regs-only -mstrict-align \
	-mno-outline-atomics -fno-stack-protector -fno-pic -fno-pie \
	-fno-asynchronous-unwind-tables -fno-toplevel-reorder -mbranch-protection=none -MMD -MP

$(GUEST_BUILD)/%.o: guest-tests/%.c
	@mkdir -p $(dir $@)
	$(Q)$(CROSS_COMPILE)gcc $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_BUILD)/%.o: guest-tests/%.S
	@mkdir -p $(dir $@)
	$(Q)$(CROSS_COMPILE)gcc $(GUEST_CFLAGS) -c $< -o $@

$(BUILD)/guest-tests.elf: $(GUEST_OBJS) guest-tests/guest.lds
	$(Q)$(CROSS_COMPILE)ld -nostdlib -static -no-pie --no-warn-rwx-segments -T guest-tests/guest.lds -o $@ $(GUEST_OBJS)

$(BUILD)/guest-tests.bin: $(BUILD)/guest-tests.elf
	$(Q)$(CROSS_COMPILE)objcopy -O binary $< $@

# VM configurations: configs/vms/*.dts -> build/arm64/vms/*.dtb
VM_DTBS := $(patsubst configs/vms/%.dts,$(BUILD)/vms/%.dtb,$(wildcard configs/vms/*.dts))
$(BUILD)/vms/%.dtb: configs/vms/%.dts
	@mkdir -p $(dir $@)
	$(Q)dtc -q -I dts -O dtb -o $@ $<

# Guest DTBs (doc/vm-config.md): configs/guests/*.dts -> build/arm64/guests/*.dtb
GUEST_DTBS := $(patsubst configs/guests/%.dts,$(BUILD)/guests/%.dtb,$(wildcard configs/guests/*.dts))
$(BUILD)/guests/%.dtb: configs/guests/%.dts $(wildcard configs/guests/*.dts configs/guests/*.dtsi)
	@mkdir -p $(dir $@)
	$(Q)dtc -q -I dts -O dtb -o $@ $<

ARCH_TARGETS += $(BUILD)/guest-tests.bin $(VM_DTBS) $(GUEST_DTBS)
-include $(GUEST_OBJS:.o=.d)
