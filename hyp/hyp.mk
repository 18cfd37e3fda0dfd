# Architecture-neutral sources, built into every arch (and into host tests).
# Test sources (*_test.c) are built by arch/sim only.
HYP_SRCS := $(filter-out %_test.c,$(wildcard hyp/*.c hyp/lib/*.c hyp/core/*.c hyp/mm/*.c hyp/vm/*.c))
