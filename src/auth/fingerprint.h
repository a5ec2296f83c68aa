/*
 * fingerprint.h: the fingerprint factor of login (ARCHITECTURE §3):
 * opening a reader, enrolling a finger through all of the reader's stages,
 * and verifying a finger against a user's enrolled prints, with libfprint
 * driven asynchronously from the GLib main loop (ARCHITECTURE §5).
 *
 * Owns the reader handle and libfprint's context; nothing of libfprint or
 * GLib appears in this header. An enrolled print leaves this module only
 * as a serialized blob in memory (struct fingerprint_blob) for the caller
 * to encrypt and store (SQLCipher cache, register). This module never
 * writes a print to disk, never logs one, and never puts a user ID or a
 * print in an error message; a failed verification says no more than
 * "fingerprint not recognised".
 *
 * Threading: call everything from the thread that runs the GLib main
 * loop (the global default GMainContext). Callbacks run from that loop,
 * never from inside the call that started the operation, except the
 * SKIPPED events of fingerprint_verify_async (see there).
 */
#ifndef SESSHU_AUTH_FINGERPRINT_H
#define SESSHU_AUTH_FINGERPRINT_H

#include <stddef.h>

#include "core/err.h"

/*
 * An operation that fingerprint_cancel() stopped ends with SESSHU_ECANCELED:
 * negative, so `status < 0` treats it as "not authenticated", and distinct
 * from a mismatch, so a screen can go back quietly instead of counting a
 * failure.
 */

#define FINGERPRINT_USER_ID_MAX	64	/* bytes, as KEYSLOT_ID_MAX */

/* Same numbering as libfprint's FpFinger (and the print's metadata). */
enum fingerprint_finger {
	FINGER_UNKNOWN = 0,
	FINGER_LEFT_THUMB,
	FINGER_LEFT_INDEX,
	FINGER_LEFT_MIDDLE,
	FINGER_LEFT_RING,
	FINGER_LEFT_LITTLE,
	FINGER_RIGHT_THUMB,
	FINGER_RIGHT_INDEX,
	FINGER_RIGHT_MIDDLE,
	FINGER_RIGHT_RING,
	FINGER_RIGHT_LITTLE,
};

/* English msgid naming the finger ("right index finger"); never NULL. */
const char	*fingerprint_finger_name(enum fingerprint_finger finger);

/*
 * A serialized print (libfprint's own format, "FP3..."): biometric data.
 * data is heap memory owned by whoever holds the struct; release it with
 * fingerprint_blob_clear(), which wipes it first. The format has no
 * integrity check of its own (a changed byte can still decode as a valid
 * print): store it only under authenticated encryption, as the cache and
 * the register do.
 */
struct fingerprint_blob {
	unsigned char	*data;
	size_t		 len;
};

/* Wipes and frees b->data; b becomes {NULL, 0}. NULL-safe, idempotent. */
void	fingerprint_blob_clear(struct fingerprint_blob *b);

/* What the reader wants from the user, for the screen. */
enum fingerprint_event_kind {
	FINGERPRINT_EV_PLACE,	/* the reader waits for a finger */
	FINGERPRINT_EV_REMOVE,	/* the scan is done; lift the finger */
	FINGERPRINT_EV_RETRY,	/* the scan was unusable; msg says why */
	FINGERPRINT_EV_STAGE,	/* enrollment: stage of nstages done */
	FINGERPRINT_EV_SKIPPED,	/* verify: prints[print_index] unusable */
};

/* The reader's reasons for a retry (libfprint's FpDeviceRetry). */
enum fingerprint_retry {
	FINGERPRINT_RETRY_GENERAL,	/* "place your finger again" */
	FINGERPRINT_RETRY_TOO_SHORT,	/* "finger too short: swipe it ..." */
	FINGERPRINT_RETRY_CENTER,	/* "centre your finger on ..." */
	FINGERPRINT_RETRY_REMOVE,	/* "remove your finger and try ..." */
};

struct fingerprint_event {
	enum fingerprint_event_kind kind;
	/*
	 * English msgid for the screen, translated at display time: "place
	 * your finger on the reader", "remove your finger", a retry reason,
	 * "fingerprint scan recorded" (the screen shows stage of nstages),
	 * or why a stored print was skipped. Static storage except for
	 * SKIPPED, where it is valid during the callback only. Never holds
	 * a user ID or print data.
	 */
	const char	*msg;
	int		 stage;		/* enrollment: stages done so far */
	int		 nstages;	/* enrollment: the reader's total */
	enum fingerprint_retry retry;	/* RETRY only */
	size_t		 print_index;	/* SKIPPED only */
};

typedef void	(*fingerprint_event_cb)(const struct fingerprint_event *ev,
		    void *ctx);

/*
 * Enrollment finished. status is 0 (err NULL), SESSHU_ECANCELED or
 * a SESSHU_E* code with err saying why. On 0, print holds the print; it is
 * lent for the duration of the callback: to keep it, move it out
 * (`mine = *print; *print = (struct fingerprint_blob){ 0 };`), otherwise it
 * is wiped and freed when the callback returns.
 */
typedef void	(*fingerprint_enroll_done_cb)(int status,
		    struct fingerprint_blob *print,
		    const struct sesshu_err *err, void *ctx);

/*
 * Verification finished. status 0 (err NULL): the finger matched
 * prints[matched], an index into the array given to
 * fingerprint_verify_async. Otherwise SESSHU_EAUTH "fingerprint not
 * recognised", SESSHU_ECANCELED, or an error of the reader
 * (SESSHU_EIO ...), never EAUTH; matched is then (size_t)-1.
 */
typedef void	(*fingerprint_verify_done_cb)(int status, size_t matched,
		    const struct sesshu_err *err, void *ctx);

/* Opaque: one opened reader. */
struct fingerprint_reader;

/*
 * Finds and opens a reader. driver is a libfprint driver name
 * ("virtual_device", "virtual_image", "elan", ...) or NULL/"" for the
 * first reader found. Enumerating may iterate the default main context.
 * Refusals: SESSHU_ENOTFOUND "no fingerprint reader found (is it plugged
 * in? see assets/udev/60-sesshu-fingerprint.rules)" (for a virtual driver
 * the message names the environment variable it needs); SESSHU_EIO
 * "fingerprint reader NAME is busy" when another program or another
 * handle in this process has it open; SESSHU_EIO naming the udev rule
 * when permission is denied. On success *out is the caller's, to close
 * with fingerprint_close().
 */
int	fingerprint_open(struct fingerprint_reader **out, const char *driver,
	    struct sesshu_err *err);

/*
 * Cancels a running operation and waits for it (its done callback runs,
 * with SESSHU_ECANCELED or its result if it had already finished),
 * closes the reader and frees r. Iterates the default main context; a
 * driver that ignores cancellation keeps it waiting until its scan ends.
 * NULL-safe.
 */
void	fingerprint_close(struct fingerprint_reader *r);

/* Borrowed until close: libfprint's driver id, the reader's name. */
const char	*fingerprint_reader_driver(const struct fingerprint_reader *r);
const char	*fingerprint_reader_name(const struct fingerprint_reader *r);
/* How many scans an enrollment takes on this reader. */
int		 fingerprint_reader_stages(const struct fingerprint_reader *r);

/*
 * Starts enrolling finger (not FINGER_UNKNOWN) for user_id (1 to
 * FINGERPRINT_USER_ID_MAX bytes, no control characters): PLACE/REMOVE
 * prompts, one STAGE event per completed stage and a RETRY event for
 * every unusable scan go to on_event (which may be NULL); on_done runs
 * exactly once. The print's metadata records user_id as its username,
 * the finger, a description and today's date.
 * Returns 0 when started; otherwise nothing is called back: SESSHU_EINVAL
 * for bad arguments, SESSHU_EIO "reader ... is busy" while another
 * operation runs on r.
 */
int	fingerprint_enroll_async(struct fingerprint_reader *r,
	    const char *user_id, enum fingerprint_finger finger,
	    fingerprint_event_cb on_event, fingerprint_enroll_done_cb on_done,
	    void *ctx, struct sesshu_err *err);

/*
 * Starts verifying a finger against the user's n stored prints (borrowed
 * for the call only: they are decoded before it returns). A print that
 * cannot be decoded, was made on another kind of reader, or (when user_id
 * is not NULL) names another user in its metadata is skipped with a
 * SKIPPED event delivered during this call. With one usable print,
 * or a reader that cannot identify, the finger is verified against the
 * first usable print (as fprintd does); when the reader can identify, it
 * is matched against all of them. An unreadable scan is reported (RETRY)
 * and the reader asks again, up to a limit.
 * Returns 0 when started; otherwise nothing is called back: SESSHU_EINVAL
 * for bad arguments, SESSHU_EFORMAT when no print is usable and one was
 * corrupted ("stored fingerprint 1 of 1 is corrupted or not a
 * fingerprint"), SESSHU_ENOTFOUND when none is usable otherwise (n == 0,
 * all enrolled on another kind of reader or for another user),
 * SESSHU_EIO when r is busy.
 */
int	fingerprint_verify_async(struct fingerprint_reader *r,
	    const char *user_id, const struct fingerprint_blob *prints,
	    size_t n, fingerprint_event_cb on_event,
	    fingerprint_verify_done_cb on_done, void *ctx,
	    struct sesshu_err *err);

/*
 * Asks the running operation to stop (the user pressed Esc); its done
 * callback then reports SESSHU_ECANCELED, unless it had already
 * finished. Safe from any callback; no effect when nothing runs.
 */
void	fingerprint_cancel(struct fingerprint_reader *r);

/* Nonzero while an operation runs on r. */
int	fingerprint_busy(const struct fingerprint_reader *r);

/*
 * Synchronous forms for the command line and tests: start the operation
 * and iterate the default main context until it is done, so other sources
 * (timers, a key watch calling fingerprint_cancel) keep running. They
 * return the done callback's status. fingerprint_enroll fills *out (the
 * caller clears it) on success; fingerprint_verify sets *matched (may be
 * NULL) on success.
 */
int	fingerprint_enroll(struct fingerprint_reader *r, const char *user_id,
	    enum fingerprint_finger finger, fingerprint_event_cb on_event,
	    void *ctx, struct fingerprint_blob *out, struct sesshu_err *err);
int	fingerprint_verify(struct fingerprint_reader *r, const char *user_id,
	    const struct fingerprint_blob *prints, size_t n,
	    fingerprint_event_cb on_event, void *ctx, size_t *matched,
	    struct sesshu_err *err);

#endif
