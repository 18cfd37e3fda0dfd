# SPDX-License-Identifier: GPL-2.0
# Guest test kernels (bare metal), included by arch/$(ARCH)/arch.mk.
# Common sources: guest-tests/*.c; architecture part: guest-tests/arch/$(ARCH)/
# (guest_arch.h, its .c/.S files, guest.lds, guest-arch.mk with
# GUEST_ARCH_CFLAGS, GUEST_EARLY_CFLAGS for GUEST_EARLY_OBJS). guest.h includes "guest_arch.h" through the -I below,
# and the guest ABI <hyp/abi/hypercall.h> (freestanding) through -Ihyp/include.
# Link order = test run order: common tests first, then the arch's own.
GUEST_BUILD := $(BUILD)/guest-tests
GUEST_ARCH_DIR := guest-tests/arch/$(ARCH)
include $(GUEST_ARCH_DIR)/guest-arch.mk
GUEST_SRCS := $(wildcard guest-tests/*.c guest-tests/*.S) \
	$(wildcard $(GUEST_ARCH_DIR)/*.c $(GUEST_ARCH_DIR)/*.S)
# Two images from one framework: guest-tests.bin (tests*.c) and guest-bench.bin
# (bench*.c: make bench, scripts/arm64-bench.sh). Everything else is framework.
GUEST_TEST_SRCS := $(filter guest-tests/tests%.c $(GUEST_ARCH_DIR)/tests%.c,$(GUEST_SRCS))
GUEST_BENCH_SRCS := $(filter guest-tests/bench%.c $(GUEST_ARCH_DIR)/bench%.c,$(GUEST_SRCS))
# A third, guest-fuzz.bin (fuzz*.c, fuzz*.S: the fuzzing guest, doc/fuzzing.md),
# where the arch has its part (guest-tests/arch/$(ARCH)/fuzz*).
GUEST_FUZZ_SRCS := $(filter guest-tests/fuzz%.c $(GUEST_ARCH_DIR)/fuzz%.c $(GUEST_ARCH_DIR)/fuzz%.S,$(GUEST_SRCS))
GUEST_FW_SRCS := $(filter-out $(GUEST_TEST_SRCS) $(GUEST_BENCH_SRCS) $(GUEST_FUZZ_SRCS),$(GUEST_SRCS))
guest_objs = $(patsubst guest-tests/%,$(GUEST_BUILD)/%.o,$(basename $(1)))
GUEST_OBJS := $(call guest_objs,$(GUEST_FW_SRCS) $(GUEST_TEST_SRCS))
GUEST_BENCH_OBJS := $(call guest_objs,$(GUEST_FW_SRCS) $(GUEST_BENCH_SRCS))
GUEST_FUZZ_OBJS := $(call guest_objs,$(GUEST_FW_SRCS) $(GUEST_FUZZ_SRCS))
GUEST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-ffreestanding -nostdlib -fno-builtin -fno-stack-protector -fno-pic -fno-pie \
	-fno-asynchronous-unwind-tables -fno-toplevel-reorder -MMD -MP \
	-Iguest-tests -I$(GUEST_ARCH_DIR) -Ihyp/include $(GUEST_ARCH_CFLAGS)

# Code that runs before the arch's early set-up is done (e.g. arm64: MMU off).
$(GUEST_EARLY_OBJS): GUEST_CFLAGS += $(GUEST_EARLY_CFLAGS)

$(GUEST_BUILD)/%.o: guest-tests/%.c
	@mkdir -p $(dir $@)
	$(Q)$(CROSS_COMPILE)gcc $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_BUILD)/%.o: guest-tests/%.S
	@mkdir -p $(dir $@)
	$(Q)$(CROSS_COMPILE)gcc $(GUEST_CFLAGS) -c $< -o $@

# Relink when the list of objects changes (a test file added or removed).
GUEST_OBJS_STAMP := $(GUEST_BUILD)/.objs
$(shell mkdir -p $(GUEST_BUILD); [ "$$(cat $(GUEST_OBJS_STAMP) 2>/dev/null)" = '$(GUEST_OBJS) $(GUEST_BENCH_OBJS) $(GUEST_FUZZ_OBJS)' ] || \
	echo '$(GUEST_OBJS) $(GUEST_BENCH_OBJS) $(GUEST_FUZZ_OBJS)' > $(GUEST_OBJS_STAMP))

$(BUILD)/guest-tests.elf: $(GUEST_OBJS) $(GUEST_ARCH_DIR)/guest.lds $(GUEST_OBJS_STAMP)
	$(Q)$(CROSS_COMPILE)ld -nostdlib -static -no-pie --no-warn-rwx-segments \
		-T $(GUEST_ARCH_DIR)/guest.lds -o $@ $(GUEST_OBJS)

$(BUILD)/guest-bench.elf: $(GUEST_BENCH_OBJS) $(GUEST_ARCH_DIR)/guest.lds $(GUEST_OBJS_STAMP)
	$(Q)$(CROSS_COMPILE)ld -nostdlib -static -no-pie --no-warn-rwx-segments \
		-T $(GUEST_ARCH_DIR)/guest.lds -o $@ $(GUEST_BENCH_OBJS)

$(BUILD)/guest-fuzz.elf: $(GUEST_FUZZ_OBJS) $(GUEST_ARCH_DIR)/guest.lds $(GUEST_OBJS_STAMP)
	$(Q)$(CROSS_COMPILE)ld -nostdlib -static -no-pie --no-warn-rwx-segments \
		-T $(GUEST_ARCH_DIR)/guest.lds -o $@ $(GUEST_FUZZ_OBJS)

$(BUILD)/guest-%.bin: $(BUILD)/guest-%.elf
	$(Q)$(CROSS_COMPILE)objcopy -O binary $< $@

# VM configurations: configs/vms/*.dts -> build/$(ARCH)/vms/*.dtb
VM_DTBS := $(patsubst configs/vms/%.dts,$(BUILD)/vms/%.dtb,$(wildcard configs/vms/*.dts))
$(BUILD)/vms/%.dtb: configs/vms/%.dts
	@mkdir -p $(dir $@)
	$(Q)dtc -q -I dts -O dtb -o $@ $<

# Guest DTBs (doc/vm-config.md): configs/guests/*.dts -> build/arm64/guests/*.dtb
GUEST_DTBS := $(patsubst configs/guests/%.dts,$(BUILD)/guests/%.dtb,$(wildcard configs/guests/*.dts))
$(BUILD)/guests/%.dtb: configs/guests/%.dts $(wildcard configs/guests/*.dts configs/guests/*.dtsi)
	@mkdir -p $(dir $@)
	$(Q)dtc -q -I dts -O dtb -o $@ $<

ARCH_TARGETS += $(BUILD)/guest-tests.bin $(BUILD)/guest-bench.bin $(VM_DTBS) $(GUEST_DTBS)
ifneq ($(filter $(GUEST_ARCH_DIR)/fuzz%,$(GUEST_FUZZ_SRCS)),)
ARCH_TARGETS += $(BUILD)/guest-fuzz.bin
endif
-include $(sort $(GUEST_OBJS:.o=.d) $(GUEST_BENCH_OBJS:.o=.d) $(GUEST_FUZZ_OBJS:.o=.d))
