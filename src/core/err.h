/*
 * err.h: status codes and the error record every fallible function fills.
 *
 * A function that can fail returns 0 or a negative SESSHU_E* code and, when
 * the caller passes a struct sesshu_err, a message that names the thing at
 * fault (file:line, field, certificate subject, user ID). Messages never
 * carry a secret or a personal field: they may reach a log.
 * No I/O here.
 */
#ifndef SESSHU_CORE_ERR_H
#define SESSHU_CORE_ERR_H

#include <stddef.h>

enum sesshu_status {
	SESSHU_OK		=   0,
	SESSHU_EINVAL		=  -1,	/* bad argument or bad input */
	SESSHU_ENOMEM		=  -2,
	SESSHU_EIO		=  -3,	/* a file or socket operation failed */
	SESSHU_EFORMAT		=  -4,	/* a file or message is malformed or truncated */
	SESSHU_EVERSION		=  -5,	/* written by a newer program */
	SESSHU_EAUTH		=  -6,	/* a password or key did not open it */
	SESSHU_ECORRUPT		=  -7,	/* an integrity check (MAC, HMAC) failed */
	SESSHU_ENOTFOUND	=  -8,
	SESSHU_EEXIST		=  -9,
	SESSHU_ECRYPTO		= -10,	/* the crypto library failed */
	SESSHU_EDB		= -11,	/* the database refused a statement */
	SESSHU_EMLOCK		= -12,	/* secret memory could not be locked */
	SESSHU_ETAMPER		= -13,	/* the audit chain does not verify */
	SESSHU_EREADONLY	= -14,	/* refused to write to a damaged store */
	SESSHU_ERANGE		= -15,	/* a value is outside its limits */
	SESSHU_ECANCELED	= -16,	/* the user cancelled (e.g. Esc at the reader) */
	SESSHU_EDENIED		= -17,	/* refused by a policy: locked out, offline
					   too long, a password change needed */
};

#define SESSHU_ERR_MSG_MAX 512

/*
 * Refusals a user meets at the keyboard, named so that the interface can
 * say them in its own language (msg stays the English for logs and
 * commands); detail holds the one value the sentence needs, e.g. a time.
 */
enum sesshu_why {
	SESSHU_WHY_NONE,
	SESSHU_WHY_LOCKED_OUT,		/* too many failed logins: until detail */
	SESSHU_WHY_OFFLINE_TOO_LONG,	/* no contact for detail hours */
	SESSHU_WHY_NEVER_CONTACTED,	/* no contact ever recorded */
	SESSHU_WHY_NEEDS_REASON,	/* a decision or correction without one */
	SESSHU_WHY_OWN_CHANGE,		/* deciding on, or verifying, one's own */
	SESSHU_WHY_ROLE,		/* the user's role may not (detail: role) */
	SESSHU_WHY_NOT_APPROVABLE,	/* a register rejection cannot be approved */
	SESSHU_WHY_DECIDED,		/* decided already */
};

struct sesshu_err {
	int	code;
	char	msg[SESSHU_ERR_MSG_MAX];
	int	why;			/* enum sesshu_why */
	char	detail[64];
};

/*
 * Records code and a printf-style message in err (which may be NULL) and
 * returns code, so a failure path reads `return sesshu_err_set(err, ...)`.
 */
int sesshu_err_set(struct sesshu_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefixes err->msg with "what: ", keeping the code; returns err->code. */
int sesshu_err_prefix(struct sesshu_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void sesshu_err_clear(struct sesshu_err *err);

/* Names the refusal in err (after sesshu_err_set); returns err->code. */
int sesshu_err_because(struct sesshu_err *err, enum sesshu_why why,
    const char *detail);

/* The generic msgid for a code (English, translated at display time). */
const char *sesshu_status_msgid(int code);

#endif
