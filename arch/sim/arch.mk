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
