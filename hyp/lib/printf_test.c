// SPDX-License-Identifier: GPL-2.0
/* hyp_vsnprintf against the C library's snprintf on the same formats. */
#include <hyp/printf.h>
#include <test/tap.h>
#include <string.h>
#include <stdint.h>

#define CHECK(...) do {							\
	char a[128], b[128];						\
	int ra = hyp_snprintf(a, sizeof(a), __VA_ARGS__);		\
	int rb = snprintf(b, sizeof(b), __VA_ARGS__);			\
	tap_ok(ra == rb && !strcmp(a, b), "printf %-22s -> \"%s\" (libc \"%s\")", \
	       #__VA_ARGS__, a, b);					\
} while (0)

int main(void)
{
	char small[6];
	int r;

	CHECK("%d %i %u", -42, 17, 3000000000u);
	CHECK("%x %X %o", 0xdeadbeefu, 0xabcu, 8u);
	CHECK("%lx %llx %lld", 0x123456789abcUL, 0xffffffffffffffffULL, -9223372036854775807LL - 1);
	CHECK("%zu %zx", (size_t)12345, (size_t)0x1000);
	CHECK("%08x|%-8x|%8x", 0x1234u, 0x1234u, 0x1234u);
	CHECK("%#x %#o %#X", 0x1fu, 8u, 0xffu);
	CHECK("%+d % d %+d", 5, 5, -5);
	CHECK("%.3d|%5.3d|%-5.3d|", 7, 7, 7);
	CHECK("%.0d|%.0x|", 0, 0u);
	CHECK("%s|%10s|%-10s|%.2s", "abc", "right", "left", "truncate");
	CHECK("%c%c%c", 'h', 'y', 'p');
	CHECK("%*d|%-*d|%.*s", 6, 42, 6, 42, 3, "abcdef");
	CHECK("%hhd %hd %hhx", 300, 70000, 0x1ff);
	CHECK("100%% %d%%", 5);
	CHECK("%p", (void *)0xffff0000dead0000ULL);
	CHECK("%#llx", 0ULL);
	CHECK("%016llx", 0x42ULL);

	r = hyp_snprintf(small, sizeof(small), "%s", "truncated");
	tap_ok(r == 9 && !strcmp(small, "trunc"), "truncation returns full length, NUL-terminates");
	r = hyp_snprintf(NULL, 0, "%d", 12345);
	tap_ok(r == 5, "size 0 counts without writing");
	{ const char *volatile nul = NULL; r = hyp_snprintf(small, sizeof(small), "%s", nul); }
	tap_ok(!strcmp(small, "(null"), "NULL string prints (null)");
	return tap_done();
}
