# Host unit tests: every hyp/**/*_test.c becomes a TAP-printing host binary,
# linked against a static archive of hyp/ and arch/sim objects (so a test
# pulls in only what it uses), with ASan and UBSan.
HOST_TEST_SRCS := $(shell find hyp -name '*_test.c' | sort)
HOST_TEST_BINS := $(patsubst hyp/%_test.c,$(BUILD)/tests/%_test,$(HOST_TEST_SRCS))

$(BUILD)/libhyp.a: $(OBJS)
	@rm -f $@
	$(Q)ar rcs $@ $(OBJS)

$(BUILD)/tests/%_test: hyp/%_test.c $(BUILD)/libhyp.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -Ihyp $< $(BUILD)/libhyp.a $(ARCH_LDFLAGS) -o $@

.PHONY: host-tests
host-tests: $(HOST_TEST_BINS)

# Device trees for the DTB tests: our own sources, and QEMU's real virt tree.
TESTDATA := $(BUILD)/testdata
TEST_DTBS := $(patsubst hyp/lib/testdata/%.dts,$(TESTDATA)/%.dtb,$(wildcard hyp/lib/testdata/*.dts)) \
	$(TESTDATA)/qemu-virt.dtb

$(TESTDATA)/%.dtb: hyp/lib/testdata/%.dts
	@mkdir -p $(dir $@)
	$(Q)dtc -q -I dts -O dtb -o $@ $<

$(TESTDATA)/qemu-virt.dtb:
	@mkdir -p $(dir $@)
	$(Q)qemu-system-aarch64 -M virt,virtualization=on,gic-version=3,dumpdtb=$@ \
		-cpu max -smp 4 -m 1024 -nographic >/dev/null 2>&1 || \
		{ echo "note: qemu-system-aarch64 missing; QEMU DTB test will fail"; rm -f $@; }

$(BUILD)/tests/lib/fdt_test: $(TEST_DTBS)
$(BUILD)/tests/vm/passthrough_test: $(TEST_DTBS)
