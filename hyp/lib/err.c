// SPDX-License-Identifier: GPL-2.0
#include <hyp/types.h>

static const char *const err_names[] = {
	[E_OK] = "ok",
	[E_NOMEM] = "out of memory",
	[E_INVAL] = "invalid argument",
	[E_RANGE] = "address out of range",
	[E_ALIGN] = "misaligned address or size",
	[E_EXIST] = "already present",
	[E_NOENT] = "not present",
	[E_BUSY] = "busy",
	[E_PERM] = "not permitted",
	[E_FORMAT] = "malformed input",
	[E_NOSYS] = "not supported",
	[E_AGAIN] = "try again",
};

const char *err_str(int err)
{
	unsigned int e = (unsigned int)(err < 0 ? -err : err);

	if (e < ARRAY_SIZE(err_names) && err_names[e])
		return err_names[e];
	return "unknown error";
}
