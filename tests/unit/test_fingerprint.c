/*
 * test_fingerprint.c: enrollment, verification, cancellation and refusals
 * of auth/fingerprint against libfprint's virtual readers, no hardware.
 *
 * libfprint creates a virtual reader for each FP_VIRTUAL_* variable set
 * when its context enumerates, so main() sets them first. The driver
 * listens on that unix socket once the reader is opened, and takes one
 * command per connection: it reads once, acts, and closes the connection
 * (libfprint drivers/virtual-device.c, tests/virtual-device.py). The
 * commands used here: "SCAN <id>" (a finger with that identity touches the
 * reader), "RETRY <n>" (an unusable scan, FpDeviceRetry n), "ERROR <n>"
 * (FpDeviceError n). Commands sent while no operation runs are queued and
 * consumed in order by the next one. vd_send() waits for the driver to
 * close the connection, iterating the main loop that runs the driver,
 * with a deadline; nothing here sleeps.
 *
 * Test-only: writes nothing but its socket directory under $TMPDIR.
 */
#define _GNU_SOURCE	/* memmem */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>

#include <glib.h>
#include <glib-unix.h>

#include "auth/fingerprint.h"
#include "testutil.h"

#define DRIVER		"virtual_device"
#define DRIVER_IDENT	"virtual_device_storage"
#define USER		"clerk-0042"
#define DEADLINE_MS	10000

static char	*sockdir;
static char	 sock_vd[108];		/* sizeof(sun_path) */
static char	 sock_ident[108];

/* The virtual driver's socket */

static gboolean
on_flag(gpointer data)
{
	*(int *)data = 1;
	return G_SOURCE_REMOVE;
}

/* Iterates the default main context until *flag or the deadline. */
static int
wait_for(const int *flag, unsigned ms)
{
	int late = 0;
	guint t;

	t = g_timeout_add(ms, on_flag, &late);
	while (!*flag && !late)
		g_main_context_iteration(NULL, TRUE);
	if (!late)
		g_source_remove(t);
	return *flag;
}

#define vd_send(...)	tu_vdev_send(sock_vd, __VA_ARGS__)

/* Events and results */

#define MAX_EV	64

struct rec {
	int			 n;
	struct {
		enum fingerprint_event_kind	kind;
		int				stage, nstages;
		enum fingerprint_retry		retry;
		size_t				index;
		char				msg[SESSHU_ERR_MSG_MAX];
	}			 ev[MAX_EV];
	struct fingerprint_reader *cancel_on_place;	/* cancel at PLACE */
	/* done callbacks */
	int			 done;
	int			 status;
	size_t			 matched;
	struct fingerprint_blob	 blob;
	struct sesshu_err	 err;
};

static void
rec_event(const struct fingerprint_event *ev, void *ctx)
{
	struct rec *rc = ctx;

	if (rc->n >= MAX_EV)
		fail_msg("too many events");
	assert_non_null(ev->msg);
	rc->ev[rc->n].kind = ev->kind;
	rc->ev[rc->n].stage = ev->stage;
	rc->ev[rc->n].nstages = ev->nstages;
	rc->ev[rc->n].retry = ev->retry;
	rc->ev[rc->n].index = ev->print_index;
	snprintf(rc->ev[rc->n].msg, sizeof(rc->ev[rc->n].msg), "%s", ev->msg);
	rc->n++;
	if (ev->kind == FINGERPRINT_EV_PLACE && rc->cancel_on_place != NULL)
		fingerprint_cancel(rc->cancel_on_place);
}

static int
count_ev(const struct rec *rc, enum fingerprint_event_kind kind)
{
	int k = 0;

	for (int i = 0; i < rc->n; i++)
		k += rc->ev[i].kind == kind;
	return k;
}

/* Iterates the main loop until rc has n events of kind, or the deadline. */
static void
wait_ev(struct rec *rc, enum fingerprint_event_kind kind, int n)
{
	int late = 0;
	guint t;

	t = g_timeout_add(DEADLINE_MS, on_flag, &late);
	while (count_ev(rc, kind) < n && !late)
		g_main_context_iteration(NULL, TRUE);
	if (late)
		fail_msg("waited %d ms for event %d number %d", DEADLINE_MS,
		    kind, n);
	g_source_remove(t);
}

static void
wait_done(struct rec *rc)
{
	if (!wait_for(&rc->done, DEADLINE_MS))
		fail_msg("operation did not finish in %d ms", DEADLINE_MS);
	assert_int_equal(rc->done, 1);
}

static void
rec_enroll_done(int status, struct fingerprint_blob *print,
    const struct sesshu_err *err, void *ctx)
{
	struct rec *rc = ctx;

	rc->done++;
	rc->status = status;
	if (status == 0) {
		assert_non_null(print);
		rc->blob = *print;
		print->data = NULL;
		print->len = 0;
	} else {
		assert_non_null(err);
		rc->err = *err;
	}
}

static void
rec_verify_done(int status, size_t matched, const struct sesshu_err *err,
    void *ctx)
{
	struct rec *rc = ctx;

	rc->done++;
	rc->status = status;
	rc->matched = matched;
	if (status != 0) {
		assert_non_null(err);
		rc->err = *err;
	}
}

/* Fixture: an open virtual_device reader */

struct fx {
	struct fingerprint_reader *r;
	struct fingerprint_blob	 alice;		/* enrolled as "finger-a" */
};

static int
setup(void **state)
{
	struct sesshu_err err = { 0 };
	struct fx *fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	if (fingerprint_open(&fx->r, DRIVER, &err) != 0) {
		fprintf(stderr, "fingerprint_open: %s\n", err.msg);
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;

	fingerprint_close(fx->r);
	fingerprint_blob_clear(&fx->alice);
	free(fx);
	return 0;
}

/* Queues the scans of a whole enrollment of id and runs it. */
static void
enroll_id(struct fx *fx, const char *id, struct fingerprint_blob *out,
    struct rec *rc)
{
	struct sesshu_err err = { 0 };
	int stages = fingerprint_reader_stages(fx->r);

	for (int i = 0; i < stages; i++)
		vd_send("SCAN %s", id);
	if (fingerprint_enroll(fx->r, USER, FINGER_RIGHT_INDEX, rec_event, rc,
	    out, &err) != 0)
		fail_msg("enroll: %s", err.msg);
}

static int
verify_id(struct fx *fx, const char *scan, const struct fingerprint_blob *p,
    size_t n, struct rec *rc, struct sesshu_err *err)
{
	size_t matched = 99;
	int status;

	vd_send("SCAN %s", scan);
	status = fingerprint_verify(fx->r, USER, p, n, rec_event, rc, &matched,
	    err);
	if (status == 0)
		rc->matched = matched;
	return status;
}

/* Tests */

static void
test_fingerprint_open_names_driver_and_stages(void **state)
{
	struct fx *fx = *state;

	assert_string_equal(fingerprint_reader_driver(fx->r), DRIVER);
	assert_string_equal(fingerprint_reader_name(fx->r),
	    "Virtual device for debugging");
	assert_int_equal(fingerprint_reader_stages(fx->r), 5);
	assert_false(fingerprint_busy(fx->r));
}

static void
test_fingerprint_second_open_of_same_reader_is_busy(void **state)
{
	struct fx *fx = *state;
	struct fingerprint_reader *r2 = (void *)1;
	struct sesshu_err err = { 0 };

	assert_int_equal(fingerprint_open(&r2, DRIVER, &err), SESSHU_EIO);
	assert_null(r2);
	assert_non_null(strstr(err.msg,
	    "reader Virtual device for debugging is busy"));
	/* The first handle still works. */
	assert_false(fingerprint_busy(fx->r));
}

static void
test_fingerprint_enroll_reports_every_stage(void **state)
{
	struct fx *fx = *state;
	struct rec rc = { 0 };
	struct sesshu_err err = { 0 };

	/* As at the counter: the prompt, then a finger, five times. */
	assert_int_equal(fingerprint_enroll_async(fx->r, USER,
	    FINGER_RIGHT_INDEX, rec_event, rec_enroll_done, &rc, &err), 0);
	assert_int_equal(rc.n, 0);	/* nothing from inside the call */
	for (int i = 1; i <= 5; i++) {
		wait_ev(&rc, FINGERPRINT_EV_PLACE, i);
		vd_send("SCAN finger-a");
		wait_ev(&rc, FINGERPRINT_EV_STAGE, i);
	}
	wait_done(&rc);
	assert_int_equal(rc.status, 0);
	assert_non_null(rc.blob.data);
	assert_true(rc.blob.len > 3);
	assert_memory_equal(rc.blob.data, "FP3", 3);
	/* Exactly: PLACE, stage 1 of 5, PLACE, stage 2 of 5, ... */
	assert_int_equal(rc.n, 10);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(rc.ev[2 * i].kind, FINGERPRINT_EV_PLACE);
		assert_string_equal(rc.ev[2 * i].msg,
		    "place your finger on the reader");
		assert_int_equal(rc.ev[2 * i + 1].kind, FINGERPRINT_EV_STAGE);
		assert_int_equal(rc.ev[2 * i + 1].stage, i + 1);
		assert_int_equal(rc.ev[2 * i + 1].nstages, 5);
	}
	/* The user ID is in the print's metadata, never in an event. */
	for (int i = 0; i < rc.n; i++)
		assert_null(strstr(rc.ev[i].msg, USER));
	assert_false(fingerprint_busy(fx->r));
	fingerprint_blob_clear(&rc.blob);
}

static void
test_fingerprint_enroll_follows_the_readers_stage_count(void **state)
{
	struct fx *fx = *state;
	struct rec rc = { 0 };

	vd_send("SET_ENROLL_STAGES 3");
	assert_int_equal(fingerprint_reader_stages(fx->r), 3);
	enroll_id(fx, "finger-a", &fx->alice, &rc);
	assert_int_equal(count_ev(&rc, FINGERPRINT_EV_STAGE), 3);
	for (int i = 0; i < rc.n; i++)
		if (rc.ev[i].kind == FINGERPRINT_EV_STAGE)
			assert_int_equal(rc.ev[i].nstages, 3);
}

static void
test_fingerprint_verify_same_finger_matches(void **state)
{
	struct fx *fx = *state;
	struct rec rc = { 0 }, erc = { 0 };
	struct sesshu_err err = { 0 };

	enroll_id(fx, "finger-a", &fx->alice, &erc);
	assert_int_equal(fingerprint_verify_async(fx->r, USER, &fx->alice, 1,
	    rec_event, rec_verify_done, &rc, &err), 0);
	wait_ev(&rc, FINGERPRINT_EV_PLACE, 1);
	vd_send("SCAN finger-a");
	wait_done(&rc);
	assert_int_equal(rc.status, 0);
	assert_int_equal(rc.matched, 0);
	/* The prompt, then: the reader read the finger while it was on. */
	assert_int_equal(rc.n, 2);
	assert_int_equal(rc.ev[0].kind, FINGERPRINT_EV_PLACE);
	assert_int_equal(rc.ev[1].kind, FINGERPRINT_EV_REMOVE);
	assert_string_equal(rc.ev[1].msg, "remove your finger");
	/* The synchronous form, with the scan queued beforehand. */
	memset(&rc, 0, sizeof(rc));
	assert_int_equal(verify_id(fx, "finger-a", &fx->alice, 1, &rc, &err),
	    0);
	assert_int_equal(rc.matched, 0);
}

static void
test_fingerprint_verify_other_finger_is_not_recognised(void **state)
{
	struct fx *fx = *state;
	struct rec rc = { 0 }, erc = { 0 };
	struct sesshu_err err = { 0 };

	enroll_id(fx, "finger-a", &fx->alice, &erc);
	assert_int_equal(verify_id(fx, "finger-b", &fx->alice, 1, &rc, &err),
	    SESSHU_EAUTH);
	assert_int_equal(err.code, SESSHU_EAUTH);
	/* Says nothing more: not which factor, finger, user or reader. */
	assert_string_equal(err.msg, "fingerprint not recognised");
}

static void
test_fingerprint_enroll_retry_reports_reason_and_completes(void **state)
{
	struct fx *fx = *state;
	struct rec rc = { 0 };
	struct sesshu_err err = { 0 };
	static const struct {
		int			 code;
		enum fingerprint_retry	 kind;
		const char		*msg;
	} retries[] = {
		{ 0, FINGERPRINT_RETRY_GENERAL, "place your finger again" },
		{ 1, FINGERPRINT_RETRY_TOO_SHORT,
		    "finger too short: swipe it again" },
		{ 2, FINGERPRINT_RETRY_CENTER,
		    "centre your finger on the reader and try again" },
		{ 3, FINGERPRINT_RETRY_REMOVE,
		    "remove your finger and try again" },
	};
	int k = 0;

	/* scan, retry, scan, retry, ... scan: every reason once. */
	vd_send("SCAN finger-a");
	for (size_t i = 0; i < 4; i++) {
		vd_send("RETRY %d", retries[i].code);
		vd_send("SCAN finger-a");
	}
	assert_int_equal(fingerprint_enroll(fx->r, USER, FINGER_LEFT_THUMB,
	    rec_event, &rc, &fx->alice, &err), 0);
	assert_non_null(fx->alice.data);
	assert_int_equal(count_ev(&rc, FINGERPRINT_EV_STAGE), 5);
	assert_int_equal(count_ev(&rc, FINGERPRINT_EV_RETRY), 4);
	for (int i = 0; i < rc.n; i++) {
		if (rc.ev[i].kind != FINGERPRINT_EV_RETRY)
			continue;
		assert_int_equal(rc.ev[i].retry, retries[k].kind);
		assert_string_equal(rc.ev[i].msg, retries[k].msg);
		/* A retry keeps the stages already done... */
		assert_int_equal(rc.ev[i].stage, k + 1);
		assert_int_equal(rc.ev[i].nstages, 5);
		/* ...and the reader asks for the finger again. */
		assert_true(i + 1 < rc.n);
		assert_int_equal(rc.ev[i + 1].kind, FINGERPRINT_EV_PLACE);
		k++;
	}
}

static void
test_fingerprint_verify_retry_asks_again_then_matches(void **state)
{
	struct fx *fx = *state;
	struct rec rc = { 0 }, erc = { 0 };
	struct sesshu_err err = { 0 };
	static const enum fingerprint_event_kind want[] = {
		FINGERPRINT_EV_PLACE, FINGERPRINT_EV_RETRY,
		FINGERPRINT_EV_PLACE, FINGERPRINT_EV_REMOVE,
	};

	enroll_id(fx, "finger-a", &fx->alice, &erc);
	assert_int_equal(fingerprint_verify_async(fx->r, USER, &fx->alice, 1,
	    rec_event, rec_verify_done, &rc, &err), 0);
	wait_ev(&rc, FINGERPRINT_EV_PLACE, 1);
	vd_send("RETRY 2");	/* FP_DEVICE_RETRY_CENTER_FINGER */
	wait_ev(&rc, FINGERPRINT_EV_PLACE, 2);
	vd_send("SCAN finger-a");
	wait_done(&rc);
	assert_int_equal(rc.status, 0);
	assert_int_equal(rc.n, 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(rc.ev[i].kind, want[i]);
	assert_int_equal(rc.ev[1].retry, FINGERPRINT_RETRY_CENTER);
	assert_string_equal(rc.ev[1].msg,
	    "centre your finger on the reader and try again");
}

static void
test_fingerprint_reader_error_is_not_a_mismatch(void **state)
{
	struct fx *fx = *state;
	struct rec rc = { 0 }, erc = { 0 };
	struct sesshu_err err = { 0 };

	enroll_id(fx, "finger-a", &fx->alice, &erc);
	vd_send("ERROR 5");	/* FP_DEVICE_ERROR_PROTO */
	assert_int_equal(fingerprint_verify(fx->r, USER, &fx->alice, 1,
	    rec_event, &rc, NULL, &err), SESSHU_EIO);
	assert_non_null(strstr(err.msg, "Virtual device for debugging: "
	    "verification failed"));
	/* The reader still works afterwards. */
	memset(&rc, 0, sizeof(rc));
	assert_int_equal(verify_id(fx, "finger-a", &fx->alice, 1, &rc, &err),
	    0);
}

static void
test_fingerprint_cancel_verify_while_waiting_for_finger(void **state)
{
	struct fx *fx = *state;
	struct rec rc = { 0 }, erc = { 0 };
	struct sesshu_err err = { 0 };

	enroll_id(fx, "finger-a", &fx->alice, &erc);
	/* The user presses Esc while the reader waits for a finger. */
	rc.cancel_on_place = fx->r;
	assert_int_equal(fingerprint_verify_async(fx->r, USER, &fx->alice, 1,
	    rec_event, rec_verify_done, &rc, &err), 0);
	assert_true(fingerprint_busy(fx->r));
	assert_int_equal(rc.done, 0);	/* not called back from the call */
	wait_done(&rc);
	assert_int_equal(rc.status, SESSHU_ECANCELED);
	assert_string_equal(rc.err.msg, "cancelled");
	assert_int_equal(rc.matched, (size_t)-1);
	assert_false(fingerprint_busy(fx->r));
	/* Cleanly: the next verification works. */
	memset(&rc, 0, sizeof(rc));
	assert_int_equal(verify_id(fx, "finger-a", &fx->alice, 1, &rc, &err),
	    0);
}

static void
test_fingerprint_cancel_enroll_midway_then_enroll_again(void **state)
{
	struct fx *fx = *state;
	struct rec rc = { 0 }, erc = { 0 };
	struct sesshu_err err = { 0 };

	assert_int_equal(fingerprint_enroll_async(fx->r, USER,
	    FINGER_RIGHT_INDEX, rec_event, rec_enroll_done, &rc, &err), 0);
	for (int i = 1; i <= 2; i++) {
		wait_ev(&rc, FINGERPRINT_EV_PLACE, i);
		vd_send("SCAN finger-a");
		wait_ev(&rc, FINGERPRINT_EV_STAGE, i);
	}
	fingerprint_cancel(fx->r);
	wait_done(&rc);
	assert_int_equal(rc.status, SESSHU_ECANCELED);
	assert_string_equal(rc.err.msg, "cancelled");
	assert_null(rc.blob.data);
	assert_false(fingerprint_busy(fx->r));
	/* A new enrollment starts from stage 1 and completes. */
	enroll_id(fx, "finger-a", &fx->alice, &erc);
	assert_int_equal(count_ev(&erc, FINGERPRINT_EV_STAGE), 5);
	assert_int_equal(erc.ev[0].kind, FINGERPRINT_EV_STAGE);
	assert_int_equal(erc.ev[0].stage, 1);
}

static void
test_fingerprint_busy_reader_refuses_second_operation(void **state)
{
	struct fx *fx = *state;
	struct rec rc = { 0 }, rc2 = { 0 };
	struct sesshu_err err = { 0 };

	assert_int_equal(fingerprint_enroll_async(fx->r, USER,
	    FINGER_RIGHT_INDEX, rec_event, rec_enroll_done, &rc, &err), 0);
	assert_int_equal(fingerprint_enroll_async(fx->r, USER,
	    FINGER_RIGHT_INDEX, rec_event, rec_enroll_done, &rc2, &err),
	    SESSHU_EIO);
	assert_non_null(strstr(err.msg, "busy with another operation"));
	fingerprint_cancel(fx->r);
	wait_done(&rc);
	assert_int_equal(rc.status, SESSHU_ECANCELED);
	assert_int_equal(rc2.done, 0);
}

static void
test_fingerprint_close_during_verify_reports_cancelled(void **state)
{
	struct fx *fx = *state;
	struct rec rc = { 0 }, erc = { 0 };
	struct sesshu_err err = { 0 };

	enroll_id(fx, "finger-a", &fx->alice, &erc);
	assert_int_equal(fingerprint_verify_async(fx->r, USER, &fx->alice, 1,
	    rec_event, rec_verify_done, &rc, &err), 0);
	fingerprint_close(fx->r);
	assert_int_equal(rc.done, 1);
	assert_int_equal(rc.status, SESSHU_ECANCELED);
	/* Reopen so teardown has a reader to close. */
	assert_int_equal(fingerprint_open(&fx->r, DRIVER, &err), 0);
}

static void
test_fingerprint_print_survives_serialize_deserialize_verify(void **state)
{
	struct fx *fx = *state;
	struct rec rc = { 0 }, erc = { 0 };
	struct sesshu_err err = { 0 };
	struct fingerprint_blob copy = { NULL, 0 };

	enroll_id(fx, "finger-a", &fx->alice, &erc);
	/*
	 * Only the bytes travel (cache, register): copy them, drop the
	 * original, and close the reader so that libfprint's context and
	 * device objects are gone before the print is read back.
	 */
	copy.data = malloc(fx->alice.len);
	assert_non_null(copy.data);
	memcpy(copy.data, fx->alice.data, fx->alice.len);
	copy.len = fx->alice.len;
	fingerprint_blob_clear(&fx->alice);
	assert_null(fx->alice.data);
	fingerprint_close(fx->r);
	fx->r = NULL;
	assert_int_equal(fingerprint_open(&fx->r, DRIVER, &err), 0);

	assert_int_equal(verify_id(fx, "finger-a", &copy, 1, &rc, &err), 0);
	memset(&rc, 0, sizeof(rc));
	assert_int_equal(verify_id(fx, "finger-b", &copy, 1, &rc, &err),
	    SESSHU_EAUTH);
	fingerprint_blob_clear(&copy);
}

/* A copy of p with one change, for the refusal tests. */
static struct fingerprint_blob
mangled(const struct fingerprint_blob *p, size_t len, size_t at, int byte)
{
	struct fingerprint_blob b;

	b.data = malloc(p->len);
	assert_non_null(b.data);
	memcpy(b.data, p->data, p->len);
	b.len = len;
	if (byte >= 0)
		b.data[at] = (unsigned char)byte;
	return b;
}

static void
expect_refused(struct fx *fx, struct fingerprint_blob *b, int code,
    const char *msg_part)
{
	struct rec rc = { 0 };
	struct sesshu_err err = { 0 };

	assert_int_equal(fingerprint_verify(fx->r, USER, b, 1, rec_event, &rc,
	    NULL, &err), code);
	if (strstr(err.msg, msg_part) == NULL)
		fail_msg("expected \"%s\" in \"%s\"", msg_part, err.msg);
	/* Refused before the reader was asked for a finger. */
	assert_int_equal(count_ev(&rc, FINGERPRINT_EV_PLACE), 0);
	assert_int_equal(count_ev(&rc, FINGERPRINT_EV_SKIPPED), 1);
	assert_false(fingerprint_busy(fx->r));
}

static void
test_fingerprint_corrupted_print_is_refused(void **state)
{
	struct fx *fx = *state;
	struct rec erc = { 0 };
	struct fingerprint_blob b;
	static const char junk[] = "this is not a fingerprint at all";
	const char *corrupt = "stored fingerprint 1 of 1 is corrupted or not "
	    "a fingerprint";
	char *pos;

	enroll_id(fx, "finger-a", &fx->alice, &erc);

	/* Not a print at all: libfprint's own refusal. */
	b.data = (unsigned char *)junk;
	b.len = sizeof(junk) - 1;
	expect_refused(fx, &b, SESSHU_EFORMAT, corrupt);
	/* Empty and three bytes (libfprint would abort on these). */
	b.data = NULL;
	b.len = 0;
	expect_refused(fx, &b, SESSHU_EFORMAT, "(too short)");
	b.data = (unsigned char *)"FP3";
	b.len = 3;
	expect_refused(fx, &b, SESSHU_EFORMAT, "(too short)");

	/*
	 * Truncated anywhere (libfprint 1.94.5 alone aborts the process on
	 * some of these lengths).
	 */
	for (size_t cut = 4; cut < fx->alice.len; cut++) {
		b = mangled(&fx->alice, cut, 0, -1);
		expect_refused(fx, &b, SESSHU_EFORMAT, corrupt);
		fingerprint_blob_clear(&b);
	}
	/* A print type libfprint does not know (first int32 after "FP3"). */
	b = mangled(&fx->alice, fx->alice.len, 3, 7);
	expect_refused(fx, &b, SESSHU_EFORMAT, "unknown print type");
	fingerprint_blob_clear(&b);

	/* Enrolled on another kind of reader: skipped, not "corrupted". */
	pos = memmem(fx->alice.data, fx->alice.len, DRIVER, strlen(DRIVER));
	assert_non_null(pos);
	b = mangled(&fx->alice, fx->alice.len,
	    (size_t)(pos - (char *)fx->alice.data) + strlen(DRIVER) - 1, 'X');
	expect_refused(fx, &b, SESSHU_ENOTFOUND,
	    "enrolled on another kind of reader (virtual_devicX)");
	fingerprint_blob_clear(&b);
}

/*
 * Every single-byte change of a good print, three ways: refused before
 * the reader is asked, or accepted and then cancelled; never a crash. (A
 * change in the scanned identity or the metadata text can leave a valid
 * print, which is why some are accepted.)
 */
static void
test_fingerprint_any_damaged_byte_is_survived(void **state)
{
	struct fx *fx = *state;
	struct rec erc = { 0 };
	struct fingerprint_blob b;
	struct sesshu_err err;
	int refused = 0, started = 0;

	enroll_id(fx, "finger-a", &fx->alice, &erc);
	for (size_t at = 0; at < fx->alice.len; at++) {
		const int vals[3] = { 0x00, 0xff, fx->alice.data[at] ^ 0x55 };

		for (int k = 0; k < 3; k++) {
			struct rec rc = { 0 };
			int st;

			if (vals[k] == fx->alice.data[at])
				continue;
			b = mangled(&fx->alice, fx->alice.len, at, vals[k]);
			memset(&err, 0, sizeof(err));
			st = fingerprint_verify_async(fx->r, USER, &b, 1, NULL,
			    rec_verify_done, &rc, &err);
			fingerprint_blob_clear(&b);
			if (st != 0) {
				assert_true(st == SESSHU_EFORMAT ||
				    st == SESSHU_ENOTFOUND);
				refused++;
				continue;
			}
			fingerprint_cancel(fx->r);
			wait_done(&rc);
			assert_int_equal(rc.status, SESSHU_ECANCELED);
			started++;
		}
	}
	assert_true(refused > 0);
	assert_true(started > 0);
	assert_false(fingerprint_busy(fx->r));
}

static void
test_fingerprint_bad_print_among_good_is_skipped(void **state)
{
	struct fx *fx = *state;
	struct rec rc = { 0 }, erc = { 0 };
	struct sesshu_err err = { 0 };
	struct fingerprint_blob prints[2];

	enroll_id(fx, "finger-a", &fx->alice, &erc);
	prints[0].data = (unsigned char *)"garbage!";
	prints[0].len = 8;
	prints[1] = fx->alice;
	assert_int_equal(verify_id(fx, "finger-a", prints, 2, &rc, &err), 0);
	assert_int_equal(rc.matched, 1);	/* the caller's index */
	assert_int_equal(count_ev(&rc, FINGERPRINT_EV_SKIPPED), 1);
	assert_int_equal(rc.ev[0].kind, FINGERPRINT_EV_SKIPPED);
	assert_int_equal(rc.ev[0].index, 0);
	assert_non_null(strstr(rc.ev[0].msg,
	    "stored fingerprint 1 of 2 is corrupted"));
}

static void
test_fingerprint_print_of_another_user_is_not_used(void **state)
{
	struct fx *fx = *state;
	struct rec rc = { 0 }, erc = { 0 };
	struct sesshu_err err = { 0 };

	enroll_id(fx, "finger-a", &fx->alice, &erc);
	assert_int_equal(fingerprint_verify(fx->r, "clerk-0043", &fx->alice, 1,
	    rec_event, &rc, NULL, &err), SESSHU_ENOTFOUND);
	assert_non_null(strstr(err.msg, "enrolled for another user"));
	assert_null(strstr(err.msg, USER));
	assert_null(strstr(err.msg, "clerk-0043"));
}

static void
test_fingerprint_bad_arguments_are_refused(void **state)
{
	struct fx *fx = *state;
	struct fingerprint_blob out = { NULL, 0 };
	struct sesshu_err err = { 0 };
	char longid[FINGERPRINT_USER_ID_MAX + 2];

	memset(longid, 'a', sizeof(longid) - 1);
	longid[sizeof(longid) - 1] = '\0';
	assert_int_equal(fingerprint_enroll(fx->r, USER, FINGER_UNKNOWN, NULL,
	    NULL, &out, &err), SESSHU_EINVAL);
	assert_int_equal(fingerprint_enroll(fx->r, "", FINGER_LEFT_INDEX, NULL,
	    NULL, &out, &err), SESSHU_EINVAL);
	assert_int_equal(fingerprint_enroll(fx->r, longid, FINGER_LEFT_INDEX,
	    NULL, NULL, &out, &err), SESSHU_EINVAL);
	assert_int_equal(fingerprint_enroll(fx->r, "a\nb", FINGER_LEFT_INDEX,
	    NULL, NULL, &out, &err), SESSHU_EINVAL);
	assert_int_equal(fingerprint_verify(fx->r, USER, NULL, 0, NULL, NULL,
	    NULL, &err), SESSHU_ENOTFOUND);
	assert_null(out.data);
	assert_false(fingerprint_busy(fx->r));
}

/* The identify path: a reader that matches one finger against several. */
static void
test_fingerprint_identify_matches_among_several_prints(void **state)
{
	struct fingerprint_reader *r = NULL;
	struct fingerprint_blob p[3] = { { NULL, 0 } };
	struct rec rc = { 0 };
	struct sesshu_err err = { 0 };
	size_t matched = 99;
	const char *ids[3] = { "thumb", "index", "middle" };

	(void)state;
	assert_int_equal(fingerprint_open(&r, DRIVER_IDENT, &err), 0);
	for (int k = 0; k < 3; k++) {
		for (int i = 0; i < fingerprint_reader_stages(r); i++)
			tu_vdev_send(sock_ident, "SCAN %s", ids[k]);
		assert_int_equal(fingerprint_enroll(r, USER,
		    FINGER_RIGHT_THUMB + k, NULL, NULL, &p[k], &err), 0);
	}
	tu_vdev_send(sock_ident, "SCAN middle");
	assert_int_equal(fingerprint_verify(r, USER, p, 3, rec_event, &rc,
	    &matched, &err), 0);
	assert_int_equal(matched, 2);
	tu_vdev_send(sock_ident, "SCAN pinky");
	assert_int_equal(fingerprint_verify(r, USER, p, 3, NULL, NULL,
	    &matched, &err), SESSHU_EAUTH);
	assert_string_equal(err.msg, "fingerprint not recognised");
	for (int k = 0; k < 3; k++)
		fingerprint_blob_clear(&p[k]);
	fingerprint_close(r);
}

/* Runs last: with no FP_VIRTUAL_* set there is no reader at all. */
static void
test_fingerprint_no_reader_found(void **state)
{
	struct fingerprint_reader *r = (void *)1;
	struct sesshu_err err = { 0 };

	(void)state;
	unsetenv("FP_VIRTUAL_DEVICE");
	unsetenv("FP_VIRTUAL_DEVICE_STORAGE");
	assert_int_equal(fingerprint_open(&r, NULL, &err), SESSHU_ENOTFOUND);
	assert_null(r);
	assert_string_equal(err.msg, "no fingerprint reader found (is it "
	    "plugged in? see assets/udev/60-sesshu-fingerprint.rules)");
	assert_int_equal(fingerprint_open(&r, DRIVER, &err), SESSHU_ENOTFOUND);
	assert_non_null(strstr(err.msg, "set FP_VIRTUAL_DEVICE to the path"));
	assert_int_equal(fingerprint_open(&r, "elan", &err), SESSHU_ENOTFOUND);
	assert_non_null(strstr(err.msg, "for driver elan (is it plugged in?"));
	setenv("FP_VIRTUAL_DEVICE", sock_vd, 1);
	setenv("FP_VIRTUAL_DEVICE_STORAGE", sock_ident, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_fingerprint_open_names_driver_and_stages),
		T(test_fingerprint_second_open_of_same_reader_is_busy),
		T(test_fingerprint_enroll_reports_every_stage),
		T(test_fingerprint_enroll_follows_the_readers_stage_count),
		T(test_fingerprint_verify_same_finger_matches),
		T(test_fingerprint_verify_other_finger_is_not_recognised),
		T(test_fingerprint_enroll_retry_reports_reason_and_completes),
		T(test_fingerprint_verify_retry_asks_again_then_matches),
		T(test_fingerprint_reader_error_is_not_a_mismatch),
		T(test_fingerprint_cancel_verify_while_waiting_for_finger),
		T(test_fingerprint_cancel_enroll_midway_then_enroll_again),
		T(test_fingerprint_busy_reader_refuses_second_operation),
		T(test_fingerprint_close_during_verify_reports_cancelled),
		T(test_fingerprint_print_survives_serialize_deserialize_verify),
		T(test_fingerprint_corrupted_print_is_refused),
		T(test_fingerprint_any_damaged_byte_is_survived),
		T(test_fingerprint_bad_print_among_good_is_skipped),
		T(test_fingerprint_print_of_another_user_is_not_used),
		T(test_fingerprint_bad_arguments_are_refused),
#undef T
		cmocka_unit_test(
		    test_fingerprint_identify_matches_among_several_prints),
		cmocka_unit_test(test_fingerprint_no_reader_found),
	};
	int rc;

	/*
	 * Before libfprint's first context: one virtual reader of each kind,
	 * and only those drivers, so a real reader on the machine running
	 * the tests is neither used nor probed.
	 */
	sockdir = tu_mkdtemp("fp");
	if (snprintf(sock_vd, sizeof(sock_vd), "%s/vd", sockdir) >=
	    (int)sizeof(sock_vd) ||
	    snprintf(sock_ident, sizeof(sock_ident), "%s/vds", sockdir) >=
	    (int)sizeof(sock_ident)) {
		fprintf(stderr, "socket path under %s too long\n", sockdir);
		return 1;
	}
	setenv("FP_VIRTUAL_DEVICE", sock_vd, 1);
	setenv("FP_VIRTUAL_DEVICE_STORAGE", sock_ident, 1);
	setenv("FP_DRIVERS_WHITELIST", DRIVER ":" DRIVER_IDENT, 1);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tu_rm_rf(sockdir);
	free(sockdir);
	return rc;
}
