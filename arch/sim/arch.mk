# Host build: the simulation arch, the host unit tests and the simulation
# tests. Sanitizers on (ASan + UBSan), except for the benchmark build.
#
#   make ARCH=sim host-tests          the lead's unit tests (hyp/**/*_test.c)
#   make ARCH=sim sim-tests           simulation: model self-tests, one scenario
#                                     per seed, randomized seeds (TAP)
#   make ARCH=sim SIM_TEST_ARGS="--inject <n>" sim-tests   same, with a fault
#                                     injected (the build is a validation build,
#                                     hyp/inject.h; INJECT=<n> builds one constant)
#   make ARCH=sim bench-sim           (make bench) -O2, no sanitizers, callgrind
#   make ARCH=sim soak-sim            (make soak) long randomized runs
#
# Build directories: build/sim, build/sim-inject-<name>, build/sim-bench.
CROSS_COMPILE :=

# A validation build (every fault-injection switch compiled in, simtest
# --inject chooses) except for the benchmark, which measures the product.
ifneq ($(SIM_BENCH),1)
VALIDATION ?= 1
endif

ifeq ($(SIM_BENCH),1)
SAN :=
SIM_OPT := -O2 -DNDEBUG -DSIM_BENCH=1
BUILD := build/sim-bench
else
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SIM_OPT := -O1
endif
ARCH_CFLAGS := $(SIM_OPT) $(SAN) -D_GNU_SOURCE -Wno-missing-prototypes
ifneq ($(INJECT),)
BUILD := build/sim-inject-$(INJECT)
# An injected bug may leave a helper unused: not a reason to fail the build.
ARCH_CFLAGS += -Wno-error=unused-function -Wno-error=unused-variable
endif
ARCH_LDFLAGS := $(SAN) -lpthread
SPARSE_ARCH :=
ARCH_SRCS := $(filter-out %_test.c %_main.c,$(wildcard arch/sim/*.c))

# arch/arm64's stage-2 TLB maintenance, unchanged, against the instruction
# model (arch/sim/sim_arm64.c): arm64/tlbi.h calls the model instead of
# executing, and arm64_names.h gives its arch.h functions an a64_ prefix
# (host.c runs them on the CPUs of cfg.insn_cpus).
ARCH_SRCS += arch/arm64/tlb.c
A64_MODEL_FLAGS := -DARM64_INSN_MODEL -Iarch/arm64/include
$(BUILD)/obj/arch/arm64/tlb.o: CPPFLAGS += $(A64_MODEL_FLAGS) -include arch/sim/arm64_names.h
$(BUILD)/obj/arch/sim/sim_arm64.o: CPPFLAGS += $(A64_MODEL_FLAGS)

# The same for arch/x86/tlb.c (the shootdown NMI / acknowledgement / owed-flush
# protocol) against arch/sim/sim_x86.c.
# And the backends' VM-entry half (tlb_entry.c: INVEPT, the VMCB's ASID and
# TLB_CONTROL) through x86/tlbinsn.h, which calls the model.
ARCH_SRCS += arch/x86/tlb.c arch/x86/tlb_entry.c
X86_MODEL_FLAGS := -DX86_INSN_MODEL -Iarch/x86/include
$(BUILD)/obj/arch/x86/tlb.o: CPPFLAGS += $(X86_MODEL_FLAGS) -include arch/sim/x86_names.h
$(BUILD)/obj/arch/x86/tlb_entry.o: CPPFLAGS += $(X86_MODEL_FLAGS)
$(BUILD)/obj/arch/sim/sim_x86.o: CPPFLAGS += $(X86_MODEL_FLAGS)

# tests.mk names $(OBJS) in a prerequisite list, which make expands as it
# reads the rule: define it (as the top Makefile will, identically) first.
OBJS := $(patsubst %,$(BUILD)/obj/%.o,$(basename $(HYP_SRCS) $(ARCH_SRCS)))

include hyp/tests.mk

# ---- simulation test driver and benchmark --------------------------------
SIMTEST_SRCS := $(wildcard arch/sim/simtest/*.c)
SIMBENCH_SRCS := $(wildcard arch/sim/bench/*.c)
# The palloc wrappers let the model see every free (R1 scan, mprotect).
SIM_WRAP := -Wl,--wrap=palloc_alloc -Wl,--wrap=palloc_free
SIM_INC := -Iarch/sim -Iarch/sim/simtest

$(BUILD)/simtest: $(SIMTEST_SRCS) $(wildcard arch/sim/simtest/*.h) $(BUILD)/libhyp.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(SIM_INC) $(SIMTEST_SRCS) $(BUILD)/libhyp.a \
		$(ARCH_LDFLAGS) $(SIM_WRAP) -o $@

$(BUILD)/simbench: $(SIMBENCH_SRCS) $(BUILD)/libhyp.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(SIM_INC) $(SIMBENCH_SRCS) $(BUILD)/libhyp.a \
		$(ARCH_LDFLAGS) -o $@

ARCH_TARGETS := $(HOST_TEST_BINS) $(BUILD)/simtest

SIM_TEST_ARGS ?=
.PHONY: sim-tests bench-sim soak-sim simtest
simtest: $(BUILD)/simtest

# TAP on stdout, one line per test; exit status non-zero on any failure.
sim-tests: $(BUILD)/simtest
	@$(BUILD)/simtest --tap $(SIM_TEST_ARGS)

soak-sim: $(BUILD)/simtest
	@$(BUILD)/simtest --tap --soak $(SIM_TEST_ARGS)

ifeq ($(SIM_BENCH),1)
bench-sim: $(BUILD)/simbench
	@scripts/sim-bench.sh $(BUILD)/simbench
else
bench-sim:
	@$(MAKE) --no-print-directory ARCH=sim SIM_BENCH=1 bench-sim
endif

# arm64 range-invalidation operands against an independent decoder
# (arch/sim/tlbi_range_test.c): a host unit test like hyp/**/*_test.c.
TLBI_RANGE_TEST := $(BUILD)/tests/arch/tlbi_range_test
$(TLBI_RANGE_TEST): arch/sim/tlbi_range_test.c arch/sim/sim_arm64.h $(BUILD)/libhyp.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(A64_MODEL_FLAGS) -Iarch/sim $< $(BUILD)/libhyp.a \
		$(ARCH_LDFLAGS) -o $@
host-tests: $(TLBI_RANGE_TEST)
ARCH_TARGETS += $(TLBI_RANGE_TEST)
