// SPDX-License-Identifier: GPL-2.0
/*
 * vsnprintf for the hypervisor. No floating point. Tested on the host against
 * the C library's snprintf (hyp/lib/printf_test.c).
 */
#include <hyp/printf.h>
#include <hyp/string.h>

struct out {
	char *buf;
	size_t size;
	size_t len;	/* characters produced so far (may exceed size) */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

enum { F_LEFT = 1, F_ZERO = 2, F_PLUS = 4, F_SPACE = 8, F_ALT = 16 };

struct spec {
	unsigned int flags;
	int width;
	int prec;	/* -1: none */
};

static void emit_str(struct out *o, const struct spec *sp, const char *s)
{
	int len;

	if (!s)
		s = "(null)";
	len = (int)strnlen(s, sp->prec >= 0 ? (size_t)sp->prec : (size_t)-1);
	if (!(sp->flags & F_LEFT))
		pad(o, ' ', sp->width - len);
	for (int i = 0; i < len; i++)
		put(o, s[i]);
	if (sp->flags & F_LEFT)
		pad(o, ' ', sp->width - len);
}

static void emit_num(struct out *o, const struct spec *sp, u64 v, bool neg,
		     unsigned int base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, zeros, total;
	char sign = 0;
	const char *prefix = "";

	if (neg)
		sign = '-';
	else if (sp->flags & F_PLUS)
		sign = '+';
	else if (sp->flags & F_SPACE)
		sign = ' ';

	if (v == 0 && sp->prec == 0)
		n = 0;	/* C: "%.0d" of 0 prints nothing */
	else
		do {
			tmp[n++] = digits[v % base];
			v /= base;
		} while (v);

	if (sp->flags & F_ALT) {
		if (base == 16 && n && !(n == 1 && tmp[0] == '0'))
			prefix = upper ? "0X" : "0x";
		else if (base == 8 && (n == 0 || tmp[n - 1] != '0'))
			prefix = "0";
	}

	zeros = sp->prec > n ? sp->prec - n : 0;
	total = n + zeros + (sign ? 1 : 0) + (int)strlen(prefix);
	if ((sp->flags & F_ZERO) && !(sp->flags & F_LEFT) && sp->prec < 0 &&
	    sp->width > total) {
		zeros += sp->width - total;
		total = sp->width;
	}
	if (!(sp->flags & F_LEFT))
		pad(o, ' ', sp->width - total);
	if (sign)
		put(o, sign);
	for (const char *p = prefix; *p; p++)
		put(o, *p);
	pad(o, '0', zeros);
	while (n)
		put(o, tmp[--n]);
	if (sp->flags & F_LEFT)
		pad(o, ' ', sp->width - total);
}

static const char *parse_flags(const char *f, struct spec *sp)
{
	for (;; f++) {
		switch (*f) {
		case '-': sp->flags |= F_LEFT; break;
		case '0': sp->flags |= F_ZERO; break;
		case '+': sp->flags |= F_PLUS; break;
		case ' ': sp->flags |= F_SPACE; break;
		case '#': sp->flags |= F_ALT; break;
		default: return f;
		}
	}
}

static int parse_int(const char **f)
{
	int v = 0;

	while (**f >= '0' && **f <= '9') {
		if (v < 100000)
			v = v * 10 + (**f - '0');
		(*f)++;
	}
	return v;
}

int hyp_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (const char *f = fmt; *f; f++) {
		struct spec sp = { 0, 0, -1 };
		int lng = 0;	/* -2 hh, -1 h, 0 int, 1 long, 2 long long */
		u64 v;
		s64 sv;

		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		f = parse_flags(f + 1, &sp);
		if (*f == '*') {
			sp.width = va_arg(ap, int);
			if (sp.width < 0) {
				sp.flags |= F_LEFT;
				sp.width = -sp.width;
			}
			f++;
		} else {
			sp.width = parse_int(&f);
		}
		if (*f == '.') {
			f++;
			if (*f == '*') {
				sp.prec = va_arg(ap, int);
				if (sp.prec < 0)
					sp.prec = -1;
				f++;
			} else {
				sp.prec = parse_int(&f);
			}
		}
		for (;; f++) {
			if (*f == 'h')
				lng--;
			else if (*f == 'l')
				lng++;
			else if (*f == 'z' || *f == 't' || *f == 'j')
				lng = 2;	/* 64-bit on every target we build */
			else
				break;
		}
		switch (*f) {
		case 'd':
		case 'i':
			if (lng >= 1)
				sv = lng == 1 ? va_arg(ap, long) : va_arg(ap, long long);
			else
				sv = va_arg(ap, int);
			if (lng == -1)
				sv = (short)sv;
			else if (lng <= -2)
				sv = (signed char)sv;
			emit_num(&o, &sp, sv < 0 ? (u64)0 - (u64)sv : (u64)sv,
				 sv < 0, 10, false);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			if (lng >= 1)
				v = lng == 1 ? va_arg(ap, unsigned long) :
					       va_arg(ap, unsigned long long);
			else
				v = va_arg(ap, unsigned int);
			if (lng == -1)
				v = (unsigned short)v;
			else if (lng <= -2)
				v = (unsigned char)v;
			emit_num(&o, &sp, v, false,
				 *f == 'u' ? 10 : *f == 'o' ? 8 : 16, *f == 'X');
			break;
		case 'p':
			sp.flags |= F_ALT;
			v = (u64)(uintptr_t)va_arg(ap, void *);
			emit_num(&o, &sp, v, false, 16, false);
			break;
		case 'c': {
			char c[2] = { (char)va_arg(ap, int), 0 };

			sp.prec = 1;
			if (!c[0]) {	/* %c of NUL still emits one byte */
				if (!(sp.flags & F_LEFT))
					pad(&o, ' ', sp.width - 1);
				put(&o, 0);
				if (sp.flags & F_LEFT)
					pad(&o, ' ', sp.width - 1);
				break;
			}
			emit_str(&o, &sp, c);
			break;
		}
		case 's':
			emit_str(&o, &sp, va_arg(ap, const char *));
			break;
		case '%':
			put(&o, '%');
			break;
		case '\0':
			f--;	/* lone '%' at the end: stop */
			break;
		default:	/* unknown conversion: print it verbatim */
			put(&o, '%');
			put(&o, *f);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int hyp_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = hyp_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
