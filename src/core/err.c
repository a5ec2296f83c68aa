/* err.c: status codes and error messages; see err.h. */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* One table maps codes to their generic message ids (STYLE.md, Errors). */
static const struct {
	int		 code;
	const char	*msgid;
} status_msgids[] = {
	{ SESSHU_OK,		"success" },
	{ SESSHU_EINVAL,	"invalid input" },
	{ SESSHU_ENOMEM,	"out of memory" },
	{ SESSHU_EIO,		"input/output error" },
	{ SESSHU_EFORMAT,	"malformed or truncated data" },
	{ SESSHU_EVERSION,	"written by a newer version of sesshu" },
	{ SESSHU_EAUTH,		"authentication failed" },
	{ SESSHU_ECORRUPT,	"integrity check failed" },
	{ SESSHU_ENOTFOUND,	"not found" },
	{ SESSHU_EEXIST,	"already exists" },
	{ SESSHU_ECRYPTO,	"cryptographic operation failed" },
	{ SESSHU_EDB,		"database error" },
	{ SESSHU_EMLOCK,	"cannot lock memory for secrets" },
	{ SESSHU_ETAMPER,	"audit trail does not verify" },
	{ SESSHU_EREADONLY,	"refused to write to a damaged store" },
	{ SESSHU_ERANGE,	"value out of range" },
	{ SESSHU_ECANCELED,	"cancelled" },
	{ SESSHU_EDENIED,	"refused by the login policy" },
};

const char *
sesshu_status_msgid(int code)
{
	for (size_t i = 0; i < sizeof(status_msgids) / sizeof(status_msgids[0]); i++)
		if (status_msgids[i].code == code)
			return status_msgids[i].msgid;
	return "unknown error";
}

int
sesshu_err_set(struct sesshu_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return code;
	err->code = code;
	err->why = SESSHU_WHY_NONE;
	err->detail[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

int
sesshu_err_because(struct sesshu_err *err, enum sesshu_why why,
    const char *detail)
{
	if (err == NULL)
		return SESSHU_EINVAL;
	err->why = why;
	snprintf(err->detail, sizeof(err->detail), "%s",
	    detail != NULL ? detail : "");
	return err->code;
}

int
sesshu_err_prefix(struct sesshu_err *err, const char *fmt, ...)
{
	char prefix[SESSHU_ERR_MSG_MAX], joined[SESSHU_ERR_MSG_MAX];
	va_list ap;

	if (err == NULL)
		return SESSHU_EINVAL;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	/* Truncation is acceptable: the message stays NUL-terminated. */
	if (snprintf(joined, sizeof(joined), "%s: %s", prefix, err->msg) < 0)
		return err->code;
	memcpy(err->msg, joined, sizeof(err->msg));
	return err->code;
}

void
sesshu_err_clear(struct sesshu_err *err)
{
	if (err == NULL)
		return;
	err->code = SESSHU_OK;
	err->msg[0] = '\0';
	err->why = SESSHU_WHY_NONE;
	err->detail[0] = '\0';
}
