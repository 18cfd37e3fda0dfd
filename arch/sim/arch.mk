# Host build: the simulation arch and the host unit tests. Sanitizers on.
CROSS_COMPILE :=
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
ARCH_CFLAGS := -O1 $(SAN) -D_GNU_SOURCE -Wno-missing-prototypes
ARCH_LDFLAGS := $(SAN) -lpthread
SPARSE_ARCH :=
ARCH_SRCS := $(filter-out %_test.c %_main.c,$(wildcard arch/sim/*.c))

include hyp/tests.mk

ARCH_TARGETS := $(HOST_TEST_BINS)
