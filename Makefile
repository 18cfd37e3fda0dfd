# SPDX-License-Identifier: GPL-2.0
#
# Top-level build. ARCH=arm64 (default) | x86 | sim (host simulation + unit tests).
#
#   make            build build/$(ARCH)/hyp.elf (+ hyp.bin on arm64)
#   make run        set up (deps), build, boot the main job in QEMU (arm64, through U-Boot):
#                   a Linux VM with a shell beside a looping test VM (scripts/run-main.sh)
#   make test       set up, build everything, run every test; last line "N passed, N failed"
#   make test-host  every test that needs no emulator (unit, simulation incl. the arm64
#                   instruction model, sparse): under 5 minutes on 2 cores; run it first
#   make check      sparse over hyp/ and arch/ for arm64 and x86, -Wsparse-error
#   make bench      host benchmarks + arm64-in-QEMU + Linux guest figures, "name: value unit" lines (doc/bench.md)
#   make soak       long randomized simulation runs, then the arm64 fuzzing guest for
#                   10^6 calls (scripts/arm64-fuzz-soak.sh) and the x86 one under SVM
#                   for 10^5 (scripts/x86-fuzz-soak.sh), doc/fuzzing.md
#   make mutants    test every fault-injection switch (simulation, one validation build)
#   make test-inject  the same switches on arm64 in QEMU, attacked by the guest test kernels
#   make fresh-check  a fresh Debian 12 root (debootstrap + chroot): make test in full, then
#                   make run driven through a terminal (scripts/fresh-check.sh; root; what CI runs)
#   make TLBI_CHECK=1  (arm64) validation build: checks its own TLBI/DSB/ISB order at run time
#   make VALIDATION=1  validation build: every fault-injection switch compiled in, those
#                   named by the boot argument hyp.inject=<switch>[,...] on (hyp/inject.h);
#                   make run and make test use it. INJECT=<switch>: that one switch, as a
#                   constant (shorthand). ARCH=sim is a validation build unless SIM_BENCH=1.
#   make debug      QEMU halted with its gdb stub + gdb with the hypervisor's symbols
#   make linux      Linux guest kernels, initramfs images and DTB in build/linux (doc/linux-guests.md)
#
# Each arch/<name>/arch.mk defines: CROSS_COMPILE, ARCH_CFLAGS, ARCH_LDFLAGS,
# ARCH_SRCS (its .c/.S files), ARCH_TARGETS (what "make" builds) and the link
# rules for them. hyp/hyp.mk lists the architecture-neutral sources.

ARCH ?= arm64
BUILD := build/$(ARCH)
INJECT ?=
V ?= 0
Q := $(if $(filter 1,$(V)),,@)

.DEFAULT_GOAL := all

WARN := -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wpointer-arith -Wundef
CPPFLAGS := -Ihyp/include -Iarch/$(ARCH)/include -DCONFIG_ARCH_$(shell echo $(ARCH) | tr a-z A-Z)
# TLBI_CHECK=1 (arm64): the validation build checks its own TLB maintenance
# (arch/arm64/tlbi_check.c, doc/simulation.md "Validation build").
ifeq ($(TLBI_CHECK),1)
CPPFLAGS += -DCONFIG_TLBI_CHECK
endif
# Fault-injection switches (hyp/inject.h): their names, from the one list.
INJECT_NAMES := $(shell sed -n 's/^[[:space:]]*X([A-Z0-9_]*,[[:space:]]*"\([a-z0-9-]*\)").*/\1/p' hyp/include/hyp/inject.h)
ifneq ($(INJECT),)
INJECT_ID := $(shell echo $(INJECT) | tr a-z- A-Z_)
# -DINJECT_<ID>=1 too: code not yet converted to inject() still tests #ifdef.
CPPFLAGS += -DINJECT_$(INJECT_ID)=1 -DINJECT_NAME=\"$(INJECT)\"
ifneq ($(filter $(INJECT),$(INJECT_NAMES)),)
CPPFLAGS += -DINJECT_ONE=INJ_$(INJECT_ID)
endif
endif

# Recursive on purpose: arch.mk rules expand $(OBJS) after setting ARCH_SRCS.
SRCS = $(HYP_SRCS) $(ARCH_SRCS)
OBJS = $(patsubst %,$(BUILD)/obj/%.o,$(basename $(SRCS)))

include hyp/hyp.mk
include arch/$(ARCH)/arch.mk

# Validation build (hyp/inject.h); arch/sim/arch.mk makes it the default there.
ifeq ($(VALIDATION),1)
CPPFLAGS += -DCONFIG_VALIDATION=1
endif

CC := $(CROSS_COMPILE)gcc
LD := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
CFLAGS := -std=gnu11 -g -MMD -MP $(WARN) $(ARCH_CFLAGS)

# Objects depend on the flags they were built with: a changed INJECT=, ARCH_CFLAGS
# or compiler rebuilds everything instead of linking stale objects.
FLAGS_STAMP := $(BUILD)/.flags
FLAGS_NOW := $(CC) $(CPPFLAGS) $(CFLAGS)
$(shell mkdir -p $(BUILD); [ "$$(cat $(FLAGS_STAMP) 2>/dev/null)" = '$(FLAGS_NOW)' ] || \
	echo '$(FLAGS_NOW)' > $(FLAGS_STAMP))

$(BUILD)/obj/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/%.o: %.S $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -D__ASSEMBLY__ -c $< -o $@

all: $(ARCH_TARGETS)

-include $(OBJS:.o=.d)

# make run, make debug and make test boot the validation build (hyp/inject.h);
# the scripts they start build with VALIDATION from the environment.
run debug test: export VALIDATION := 1

.PHONY: all deps run test test-host check bench soak mutants test-inject debug clean host-tests linux \
	fresh-check

deps:
	@scripts/deps.sh

run: deps
	@$(MAKE) --no-print-directory ARCH=arm64 VALIDATION=1
	@scripts/run-main.sh

test: deps
	@scripts/test.sh

test-host:
	@scripts/test-host.sh

# sparse over both real architectures; zero warnings.
check:
	@$(MAKE) --no-print-directory -s ARCH=arm64 sparse
	@$(MAKE) --no-print-directory -s ARCH=x86 sparse

SPARSE_FLAGS := -Wsparse-error -Wsparse-all -Wno-declaration-after-statement \
	-Wno-shadow -Wno-vla -Wno-non-pointer-null -Wno-unknown-attribute -D__CHECKER__=1
.PHONY: sparse
sparse:
	@set -e; for f in $(filter %.c,$(SRCS)); do \
		sparse $(SPARSE_FLAGS) $(SPARSE_ARCH) $(CPPFLAGS) $(filter-out -M%,$(CFLAGS)) $$f; \
	done; echo "sparse $(ARCH): clean ($(words $(filter %.c,$(SRCS))) files)"

bench:
	@$(MAKE) --no-print-directory ARCH=sim bench-sim
	@scripts/arm64-bench.sh
	@scripts/linux-bench.sh
	@scripts/churn-cost.sh

soak: deps
	@$(MAKE) --no-print-directory ARCH=sim soak-sim
	@scripts/arm64-fuzz-soak.sh
	@scripts/x86-fuzz-soak.sh

mutants:
	@scripts/mutants.sh

# Each INJECT= switch built for arm64 and attacked by the guest test kernels.
test-inject: deps
	@scripts/test-inject.sh

fresh-check:
	@scripts/fresh-check.sh

linux: deps
	@scripts/linux/build-all.sh

debug: deps
	@$(MAKE) --no-print-directory ARCH=arm64 VALIDATION=1
	@scripts/debug-arm64.sh

clean:
	rm -rf build/arm64 build/x86 build/sim build/test
