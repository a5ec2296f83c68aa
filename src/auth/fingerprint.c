/*
 * fingerprint.c: enrollment and verification with libfprint 1.94; see
 * fingerprint.h.
 *
 * Everything runs on the global default GMainContext: libfprint's drivers
 * add their sources there (g_timeout_add, g_idle_add) and its context
 * enumeration iterates it, so a nested loop on another context would
 * starve them. One FpContext is shared by all open readers of the process
 * and dropped with the last one: a second handle on an open reader then
 * finds the same FpDevice and is refused as busy, instead of a second
 * device object fighting over the same hardware (or, for virtual_device,
 * silently taking over its socket).
 *
 * Must never: write a print to disk, log it, or put a user ID or print
 * data in an error message or event; leave a serialized print in memory
 * that is freed without being wiped (OPENSSL_cleanse), as far as this
 * module's own copies go: libfprint's FpPrint objects hold the template in
 * GLib memory that is freed unwiped, beyond our reach.
 */
#include "auth/fingerprint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include <fprint.h>

/*
 * Unusable scans in a row before a verification gives up. libfprint ends
 * a verify at every retry; fprintd restarts it without limit, but a reader
 * that fails at once forever would spin the loop, and the user can always
 * start again.
 */
#define VERIFY_MAX_RETRIES	10

/* libfprint's private FpiPrintType (fpi-print.h), as stored in "FP3" blobs. */
#define FP3_TYPE_RAW		1
#define FP3_TYPE_NBIS		2
#define FP3_VARIANT_TYPE	"(issbymsmsia{sv}v)"
#define FP3_NBIS_DATA_TYPE	"(a(aiaiai))"
/* GDate's day number of 9999-12-31 (day 1 is 0001-01-01). */
#define JULIAN_9999_12_31	3652059

/*
 * gusb's GUsbDeviceError, for USB readers (Debian ships no gusb headers):
 * its quark and codes. BUSY exists from gusb 0.4; Debian 12's 0.3.10 turns
 * LIBUSB_ERROR_BUSY into a generic code with a message ending in "[-6]".
 */
#define GUSB_ERROR_DOMAIN		"g-usb-device-error-quark"
#define GUSB_ERROR_NO_DEVICE		4
#define GUSB_ERROR_PERMISSION_DENIED	9
#define GUSB_ERROR_BUSY			10
#define GUSB_LIBUSB_BUSY_SUFFIX		"[-6]"

#define UDEV_HINT	"see assets/udev/60-sesshu-fingerprint.rules"

enum op_kind {
	OP_ENROLL,
	OP_VERIFY,
	OP_IDENTIFY,
};

struct fp_op {
	struct fingerprint_reader *r;
	enum op_kind	 kind;
	fingerprint_event_cb on_event;
	fingerprint_enroll_done_cb on_enroll_done;
	fingerprint_verify_done_cb on_verify_done;
	void		*ctx;
	GCancellable	*cancel;
	guint		 start_id;	/* the idle that starts it */
	FpPrint		*tmpl;		/* enroll: the template */
	GPtrArray	*prints;	/* verify: usable FpPrint * */
	GArray		*index;		/* verify: caller's index, size_t */
	int		 retries;
	int		 retry_reported; /* in this attempt */
	int		 decided;	/* no more PLACE prompts */
	int		 emitted;	/* an event was sent... */
	enum fingerprint_event_kind last; /* ...and this was the last */
};

struct fingerprint_reader {
	FpDevice	*dev;
	char		*driver;
	char		*name;
	gulong		 status_handler;
	int		 placing;	/* status is "needed, not present" */
	guint		 place_id;	/* idle that sends PLACE */
	struct fp_op	*op;		/* the running operation, or NULL */
};

static FpContext	*shared_ctx;
static unsigned		 shared_users;

static FpContext *
ctx_acquire(void)
{
	if (shared_ctx == NULL)
		shared_ctx = fp_context_new();
	shared_users++;
	return shared_ctx;
}

static void
ctx_release(void)
{
	if (shared_users == 0 || --shared_users > 0)
		return;
	g_clear_object(&shared_ctx);
}

const char *
fingerprint_finger_name(enum fingerprint_finger finger)
{
	static const char *const names[] = {
		[FINGER_UNKNOWN] =	"unknown finger",
		[FINGER_LEFT_THUMB] =	"left thumb",
		[FINGER_LEFT_INDEX] =	"left index finger",
		[FINGER_LEFT_MIDDLE] =	"left middle finger",
		[FINGER_LEFT_RING] =	"left ring finger",
		[FINGER_LEFT_LITTLE] =	"left little finger",
		[FINGER_RIGHT_THUMB] =	"right thumb",
		[FINGER_RIGHT_INDEX] =	"right index finger",
		[FINGER_RIGHT_MIDDLE] =	"right middle finger",
		[FINGER_RIGHT_RING] =	"right ring finger",
		[FINGER_RIGHT_LITTLE] =	"right little finger",
	};

	if ((unsigned)finger >= sizeof(names) / sizeof(names[0]))
		return names[FINGER_UNKNOWN];
	return names[finger];
}

void
fingerprint_blob_clear(struct fingerprint_blob *b)
{
	if (b == NULL)
		return;
	if (b->data != NULL) {
		OPENSSL_cleanse(b->data, b->len);
		free(b->data);
	}
	b->data = NULL;
	b->len = 0;
}

const char *
fingerprint_reader_driver(const struct fingerprint_reader *r)
{
	return r->driver;
}

const char *
fingerprint_reader_name(const struct fingerprint_reader *r)
{
	return r->name;
}

/* Live: the virtual driver can change it (SET_ENROLL_STAGES). */
int
fingerprint_reader_stages(const struct fingerprint_reader *r)
{
	return fp_device_get_nr_enroll_stages(r->dev);
}

int
fingerprint_busy(const struct fingerprint_reader *r)
{
	return r != NULL && r->op != NULL;
}

/* Error mapping */

static const char *
retry_msgid(int code)
{
	switch (code) {
	case FP_DEVICE_RETRY_TOO_SHORT:
		return "finger too short: swipe it again";
	case FP_DEVICE_RETRY_CENTER_FINGER:
		return "centre your finger on the reader and try again";
	case FP_DEVICE_RETRY_REMOVE_FINGER:
		return "remove your finger and try again";
	case FP_DEVICE_RETRY_GENERAL:
	default:
		return "place your finger again";
	}
}

static enum fingerprint_retry
retry_kind(int code)
{
	switch (code) {
	case FP_DEVICE_RETRY_TOO_SHORT:
		return FINGERPRINT_RETRY_TOO_SHORT;
	case FP_DEVICE_RETRY_CENTER_FINGER:
		return FINGERPRINT_RETRY_CENTER;
	case FP_DEVICE_RETRY_REMOVE_FINGER:
		return FINGERPRINT_RETRY_REMOVE;
	default:
		return FINGERPRINT_RETRY_GENERAL;
	}
}

static int
is_gusb_error(const GError *e, int code)
{
	return (code < 0 || e->code == code) &&
	    strcmp(g_quark_to_string(e->domain), GUSB_ERROR_DOMAIN) == 0;
}

static int
is_gusb_busy(const GError *e)
{
	return is_gusb_error(e, GUSB_ERROR_BUSY) || (is_gusb_error(e, -1) &&
	    e->message != NULL &&
	    g_str_has_suffix(e->message, GUSB_LIBUSB_BUSY_SUFFIX));
}

/*
 * Turns a GError from libfprint (its own domains, GIO's, gusb's) into a
 * status and a message naming the reader and what was being done.
 * libfprint's own text is appended only where we have nothing better; it
 * never carries personal data.
 */
static int
map_gerror(const char *reader, const char *what, const GError *e,
    struct sesshu_err *err)
{
	if (g_error_matches(e, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return sesshu_err_set(err, SESSHU_ECANCELED, "cancelled");
	if (g_error_matches(e, FP_DEVICE_ERROR, FP_DEVICE_ERROR_BUSY) ||
	    g_error_matches(e, FP_DEVICE_ERROR, FP_DEVICE_ERROR_ALREADY_OPEN) ||
	    g_error_matches(e, G_IO_ERROR, G_IO_ERROR_BUSY) ||
	    is_gusb_busy(e))
		return sesshu_err_set(err, SESSHU_EIO,
		    "fingerprint reader %s is busy (in use by another "
		    "program, e.g. fprintd?)", reader);
	if (g_error_matches(e, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED) ||
	    is_gusb_error(e, GUSB_ERROR_PERMISSION_DENIED))
		return sesshu_err_set(err, SESSHU_EIO,
		    "no permission to use fingerprint reader %s (is this "
		    "account in group sesshu? %s)", reader, UDEV_HINT);
	if (g_error_matches(e, FP_DEVICE_ERROR, FP_DEVICE_ERROR_REMOVED) ||
	    is_gusb_error(e, GUSB_ERROR_NO_DEVICE))
		return sesshu_err_set(err, SESSHU_EIO,
		    "fingerprint reader %s was unplugged", reader);
	if (g_error_matches(e, FP_DEVICE_ERROR, FP_DEVICE_ERROR_TOO_HOT))
		return sesshu_err_set(err, SESSHU_EIO,
		    "fingerprint reader %s is too hot: wait a few minutes",
		    reader);
	if (g_error_matches(e, FP_DEVICE_ERROR, FP_DEVICE_ERROR_NOT_SUPPORTED))
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "fingerprint reader %s cannot %s", reader, what);
	if (g_error_matches(e, FP_DEVICE_ERROR, FP_DEVICE_ERROR_DATA_DUPLICATE))
		return sesshu_err_set(err, SESSHU_EEXIST,
		    "this finger is already enrolled on fingerprint reader %s",
		    reader);
	if (g_error_matches(e, FP_DEVICE_ERROR, FP_DEVICE_ERROR_DATA_FULL))
		return sesshu_err_set(err, SESSHU_ERANGE,
		    "fingerprint reader %s has no room for another print",
		    reader);
	if (g_error_matches(e, FP_DEVICE_ERROR, FP_DEVICE_ERROR_DATA_INVALID) ||
	    g_error_matches(e, FP_DEVICE_ERROR, FP_DEVICE_ERROR_DATA_NOT_FOUND))
		return sesshu_err_set(err, SESSHU_EFORMAT,
		    "fingerprint reader %s does not accept the stored "
		    "fingerprint: enroll again", reader);
	if (g_error_matches(e, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
		return sesshu_err_set(err, SESSHU_EIO,
		    "fingerprint reader %s timed out during %s", reader, what);
	if (e->domain == FP_DEVICE_RETRY)
		return sesshu_err_set(err, SESSHU_EIO,
		    "fingerprint reader %s: %s stopped (%s): start again",
		    reader, what, retry_msgid(e->code));
	return sesshu_err_set(err, SESSHU_EIO,
	    "fingerprint reader %s: %s failed (libfprint: %s)", reader, what,
	    e->message);
}

/* Events */

static void
emit(struct fp_op *op, enum fingerprint_event_kind kind, const char *msg)
{
	struct fingerprint_event ev = { 0 };

	if (op == NULL)
		return;
	op->emitted = 1;
	op->last = kind;
	if (op->on_event == NULL)
		return;
	ev.kind = kind;
	ev.msg = msg;
	op->on_event(&ev, op->ctx);
}

static void
emit_retry(struct fp_op *op, int code, int stage)
{
	struct fingerprint_event ev = { 0 };

	op->emitted = 1;
	op->last = FINGERPRINT_EV_RETRY;
	if (op->on_event == NULL)
		return;
	ev.kind = FINGERPRINT_EV_RETRY;
	ev.msg = retry_msgid(code);
	ev.retry = retry_kind(code);
	ev.stage = stage;
	ev.nstages = fingerprint_reader_stages(op->r);
	op->on_event(&ev, op->ctx);
}

/* After a scan has been read: ask for the finger to be lifted if it is on. */
static void
maybe_emit_remove(struct fp_op *op)
{
	if (fp_device_get_finger_status(op->r->dev) & FP_FINGER_STATUS_PRESENT)
		emit(op, FINGERPRINT_EV_REMOVE, "remove your finger");
}

static gboolean
place_idle(gpointer data)
{
	struct fingerprint_reader *r = data;
	struct fp_op *op = r->op;

	r->place_id = 0;
	if (op != NULL && r->placing && !op->decided &&
	    !(op->emitted && op->last == FINGERPRINT_EV_PLACE))
		emit(op, FINGERPRINT_EV_PLACE,
		    "place your finger on the reader");
	return G_SOURCE_REMOVE;
}

/* Prompts again after a STAGE or RETRY if the reader still waits. */
static void
want_place(struct fingerprint_reader *r)
{
	if (r->placing && r->op != NULL && r->place_id == 0)
		r->place_id = g_idle_add(place_idle, r);
}

/*
 * "notify::finger-status": the reader says whether it waits for a finger
 * and whether one is on it. Drivers report a scan as a burst of changes
 * (needed, present, needed again once the finger is off) before they
 * report the stage or the match, so PLACE is sent from an idle once the
 * burst is over, only if the reader still waits, the operation has not
 * decided, and PLACE was not the last prompt: one prompt per wait, after
 * the STAGE or RETRY that ended the previous scan.
 */
static void
on_finger_status(GObject *obj, GParamSpec *pspec, gpointer data)
{
	struct fingerprint_reader *r = data;
	FpFingerStatusFlags st;
	int placing;

	(void)pspec;
	st = fp_device_get_finger_status(FP_DEVICE(obj));
	placing = (st & FP_FINGER_STATUS_NEEDED) &&
	    !(st & FP_FINGER_STATUS_PRESENT);
	if (placing && !r->placing) {
		r->placing = 1;
		want_place(r);
	}
	r->placing = placing;
}

/* Operations */

static void
op_free(struct fp_op *op)
{
	if (op == NULL)
		return;
	if (op->start_id != 0)
		g_source_remove(op->start_id);
	g_clear_object(&op->cancel);
	g_clear_object(&op->tmpl);
	if (op->prints != NULL)
		g_ptr_array_unref(op->prints);
	if (op->index != NULL)
		g_array_unref(op->index);
	g_free(op);
}

static struct fp_op *
op_new(struct fingerprint_reader *r, enum op_kind kind,
    fingerprint_event_cb on_event, void *ctx)
{
	struct fp_op *op;

	op = g_new0(struct fp_op, 1);
	op->r = r;
	op->kind = kind;
	op->on_event = on_event;
	op->ctx = ctx;
	op->cancel = g_cancellable_new();
	return op;
}

/*
 * Detaches op from its reader before the done callback runs, so the
 * callback may start the next operation on the same reader.
 */
static void
op_finish_enroll(struct fp_op *op, int status, struct fingerprint_blob *print,
    const struct sesshu_err *err)
{
	fingerprint_enroll_done_cb cb = op->on_enroll_done;
	void *ctx = op->ctx;

	op->r->op = NULL;
	op_free(op);
	cb(status, print, err, ctx);
}

static void
op_finish_verify(struct fp_op *op, int status, size_t matched,
    const struct sesshu_err *err)
{
	fingerprint_verify_done_cb cb = op->on_verify_done;
	void *ctx = op->ctx;

	op->r->op = NULL;
	op_free(op);
	cb(status, status == 0 ? matched : (size_t)-1, err, ctx);
}

static void	enroll_start(struct fp_op *);
static void	verify_start(struct fp_op *);

/*
 * Operations start from an idle, so that nothing is called back from
 * inside the call that started one, even when the reader answers at once
 * (a virtual reader with queued scans does).
 */
static gboolean
op_start_idle(gpointer data)
{
	struct fp_op *op = data;

	op->start_id = 0;
	if (op->kind == OP_ENROLL)
		enroll_start(op);
	else
		verify_start(op);
	return G_SOURCE_REMOVE;
}

static void
op_schedule(struct fp_op *op)
{
	op->r->op = op;
	op->r->placing = 0;
	op->start_id = g_idle_add(op_start_idle, op);
}

static int
check_busy(const struct fingerprint_reader *r, struct sesshu_err *err)
{
	if (r->op != NULL)
		return sesshu_err_set(err, SESSHU_EIO,
		    "fingerprint reader %s is busy with another operation",
		    r->name);
	return 0;
}

/* Open and close */

static int
not_found(const char *driver, struct sesshu_err *err)
{
	char var[80];
	size_t i;

	if (driver == NULL || driver[0] == '\0')
		return sesshu_err_set(err, SESSHU_ENOTFOUND,
		    "no fingerprint reader found (is it plugged in? %s)",
		    UDEV_HINT);
	/* libfprint's virtual drivers appear only when FP_<DRIVER> is set. */
	if (strncmp(driver, "virtual_", 8) == 0 &&
	    strlen(driver) + 4 <= sizeof(var)) {
		snprintf(var, sizeof(var), "FP_%s", driver);
		for (i = 3; var[i] != '\0'; i++)
			var[i] = g_ascii_toupper(var[i]);
		return sesshu_err_set(err, SESSHU_ENOTFOUND,
		    "no fingerprint reader found for driver %s (set %s to "
		    "the path of its socket)", driver, var);
	}
	return sesshu_err_set(err, SESSHU_ENOTFOUND,
	    "no fingerprint reader found for driver %s (is it plugged in? %s)",
	    driver, UDEV_HINT);
}

int
fingerprint_open(struct fingerprint_reader **out, const char *driver,
    struct sesshu_err *err)
{
	struct fingerprint_reader *r;
	FpContext *ctx;
	GPtrArray *devices;
	FpDevice *dev = NULL;
	GError *gerr = NULL;
	int rc;

	if (out == NULL)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "fingerprint_open: no result pointer");
	*out = NULL;
	ctx = ctx_acquire();
	devices = fp_context_get_devices(ctx);
	for (guint i = 0; devices != NULL && i < devices->len; i++) {
		FpDevice *d = g_ptr_array_index(devices, i);

		if (driver == NULL || driver[0] == '\0' ||
		    strcmp(fp_device_get_driver(d), driver) == 0) {
			dev = d;
			break;
		}
	}
	if (dev == NULL) {
		ctx_release();
		return not_found(driver, err);
	}
	if (fp_device_is_open(dev)) {
		rc = sesshu_err_set(err, SESSHU_EIO,
		    "fingerprint reader %s is busy (already open in this "
		    "program)", fp_device_get_name(dev));
		ctx_release();
		return rc;
	}
	if (!fp_device_open_sync(dev, NULL, &gerr)) {
		rc = map_gerror(fp_device_get_name(dev), "open", gerr, err);
		g_error_free(gerr);
		ctx_release();
		return rc;
	}

	r = g_new0(struct fingerprint_reader, 1);
	r->dev = g_object_ref(dev);
	r->driver = g_strdup(fp_device_get_driver(dev));
	r->name = g_strdup(fp_device_get_name(dev));
	r->status_handler = g_signal_connect(dev, "notify::finger-status",
	    G_CALLBACK(on_finger_status), r);
	*out = r;
	return 0;
}

void
fingerprint_cancel(struct fingerprint_reader *r)
{
	if (r != NULL && r->op != NULL)
		g_cancellable_cancel(r->op->cancel);
}

void
fingerprint_close(struct fingerprint_reader *r)
{
	GError *gerr = NULL;

	if (r == NULL)
		return;
	/* The done callback of a running operation still holds r. */
	if (r->op != NULL) {
		fingerprint_cancel(r);
		while (r->op != NULL)
			g_main_context_iteration(NULL, TRUE);
	}
	g_signal_handler_disconnect(r->dev, r->status_handler);
	if (r->place_id != 0)
		g_source_remove(r->place_id);
	/* A failed close leaves nothing for us to do but let go. */
	if (fp_device_is_open(r->dev) &&
	    !fp_device_close_sync(r->dev, NULL, &gerr))
		g_clear_error(&gerr);
	g_object_unref(r->dev);
	g_free(r->driver);
	g_free(r->name);
	g_free(r);
	ctx_release();
}

/* Enrollment */

static int
check_user_id(const char *user_id, struct sesshu_err *err)
{
	size_t len;

	if (user_id == NULL || (len = strlen(user_id)) == 0)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "fingerprint: no user ID");
	if (len > FINGERPRINT_USER_ID_MAX)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "fingerprint: user ID longer than %d bytes",
		    FINGERPRINT_USER_ID_MAX);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)user_id[i] < 0x20 || user_id[i] == 0x7f)
			return sesshu_err_set(err, SESSHU_EINVAL,
			    "fingerprint: user ID has a control character");
	if (!g_utf8_validate(user_id, (gssize)len, NULL))
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "fingerprint: user ID is not UTF-8");
	return 0;
}

static void
enroll_progress(FpDevice *dev, gint completed, FpPrint *print,
    gpointer data, GError *error)
{
	struct fp_op *op = data;
	struct fingerprint_event ev = { 0 };

	(void)dev;
	(void)print;
	/* libfprint guarantees error is in the FP_DEVICE_RETRY domain. */
	if (error != NULL) {
		emit_retry(op, error->code, completed);
		want_place(op->r);
		return;
	}
	if (completed >= fingerprint_reader_stages(op->r))
		op->decided = 1;
	maybe_emit_remove(op);
	op->emitted = 1;
	op->last = FINGERPRINT_EV_STAGE;
	if (op->on_event != NULL) {
		ev.kind = FINGERPRINT_EV_STAGE;
		ev.msg = "fingerprint scan recorded";
		ev.stage = completed;
		ev.nstages = fingerprint_reader_stages(op->r);
		op->on_event(&ev, op->ctx);
	}
	want_place(op->r);
}

/* Copies libfprint's serialization into our own wiped-on-free buffer. */
static int
serialize(struct fingerprint_reader *r, FpPrint *print,
    struct fingerprint_blob *out, struct sesshu_err *err)
{
	guchar *data = NULL;
	gsize len = 0;
	GError *gerr = NULL;
	int rc;

	if (!fp_print_serialize(print, &data, &len, &gerr)) {
		rc = map_gerror(r->name, "saving the print", gerr, err);
		g_error_free(gerr);
		return rc;
	}
	out->data = malloc(len);
	if (out->data == NULL) {
		OPENSSL_cleanse(data, len);
		g_free(data);
		return sesshu_err_set(err, SESSHU_ENOMEM,
		    "fingerprint: no memory for the print");
	}
	memcpy(out->data, data, len);
	out->len = len;
	OPENSSL_cleanse(data, len);
	g_free(data);
	return 0;
}

static void
enroll_ready(GObject *src, GAsyncResult *res, gpointer data)
{
	struct fp_op *op = data;
	struct fingerprint_reader *r = op->r;
	struct fingerprint_blob blob = { NULL, 0 };
	struct sesshu_err err = { 0 };
	FpPrint *print;
	GError *gerr = NULL;
	int rc;

	print = fp_device_enroll_finish(FP_DEVICE(src), res, &gerr);
	if (print == NULL) {
		if (gerr == NULL)
			rc = sesshu_err_set(&err, SESSHU_EIO,
			    "fingerprint reader %s: enrollment failed",
			    r->name);
		else
			rc = map_gerror(r->name, "enrollment", gerr, &err);
		g_clear_error(&gerr);
		op_finish_enroll(op, rc, NULL, &err);
		return;
	}
	rc = serialize(r, print, &blob, &err);
	g_object_unref(print);
	op_finish_enroll(op, rc, rc == 0 ? &blob : NULL, &err);
	fingerprint_blob_clear(&blob);
}

static void
enroll_start(struct fp_op *op)
{
	/* fp_device_enroll takes its own reference to the template. */
	fp_device_enroll(op->r->dev, op->tmpl, op->cancel, enroll_progress, op,
	    NULL, enroll_ready, op);
}

int
fingerprint_enroll_async(struct fingerprint_reader *r, const char *user_id,
    enum fingerprint_finger finger, fingerprint_event_cb on_event,
    fingerprint_enroll_done_cb on_done, void *ctx, struct sesshu_err *err)
{
	struct fp_op *op;
	FpPrint *tmpl;
	GDate *today;
	char *desc;
	int rc;

	if (r == NULL || on_done == NULL)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "fingerprint_enroll_async: no reader or no callback");
	if ((rc = check_user_id(user_id, err)) != 0)
		return rc;
	if (finger < FINGER_LEFT_THUMB || finger > FINGER_RIGHT_LITTLE)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "fingerprint: choose which finger to enroll");
	if ((rc = check_busy(r, err)) != 0)
		return rc;

	/*
	 * The template carries the metadata into the serialized print, so
	 * that a print read back from the cache or the register says whose
	 * it is and which finger; drivers that store prints on the chip use
	 * it there as well.
	 */
	tmpl = fp_print_new(r->dev);
	fp_print_set_username(tmpl, user_id);
	fp_print_set_finger(tmpl, (FpFinger)finger);
	desc = g_strdup_printf("sesshu login: %s",
	    fingerprint_finger_name(finger));
	fp_print_set_description(tmpl, desc);
	g_free(desc);
	today = g_date_new();
	g_date_set_time_t(today, time(NULL));
	fp_print_set_enroll_date(tmpl, today);
	g_date_free(today);

	op = op_new(r, OP_ENROLL, on_event, ctx);
	op->on_enroll_done = on_done;
	op->tmpl = g_object_ref_sink(tmpl);
	op_schedule(op);
	return 0;
}

/* Verification */

/*
 * A first look at an "FP3" blob before libfprint decodes it, because
 * fp_print_deserialize (1.94.5) is not safe on damaged input: it asserts
 * on 3 bytes or fewer, replaces a damaged (non-normal) GVariant with
 * default values and then aborts the process on some of them (a print
 * truncated to 14 of 61 bytes: GLib-ERROR "Attempt to access item 0 in a
 * container with only 0 items"), and reports a bad type, finger or date
 * with g_warning/g_critical on stderr, which would land on the terminal.
 * Other magics are left to libfprint to accept or refuse.
 * Returns NULL when the blob may be given to fp_print_deserialize, or why
 * not.
 */
static const char *
precheck(const unsigned char *data, size_t len)
{
	GVariant *v, *child;
	GVariant *inner;
	gpointer copy;
	gint32 type, julian;
	guint8 finger;
	const char *why = NULL;

	if (data == NULL || len <= 3)
		return "too short";
	if (memcmp(data, "FP3", 3) != 0)
		return NULL;
	/* An aligned copy, freed with v; untrusted (trusted = FALSE). */
	copy = g_memdup2(data + 3, len - 3);
	v = g_variant_ref_sink(g_variant_new_from_data(
	    G_VARIANT_TYPE(FP3_VARIANT_TYPE), copy, len - 3, FALSE, g_free,
	    copy));
	if (!g_variant_is_normal_form(v)) {
		why = "damaged structure";
		goto out;
	}
	/* libfprint stores little-endian and swaps on big-endian hosts. */
	if (G_BYTE_ORDER == G_BIG_ENDIAN) {
		GVariant *sw = g_variant_take_ref(g_variant_byteswap(v));

		g_variant_unref(v);
		v = sw;
	}
	child = g_variant_get_child_value(v, 0);
	type = g_variant_get_int32(child);
	g_variant_unref(child);
	child = g_variant_get_child_value(v, 4);
	finger = g_variant_get_byte(child);
	g_variant_unref(child);
	child = g_variant_get_child_value(v, 7);
	julian = g_variant_get_int32(child);
	g_variant_unref(child);
	child = g_variant_get_child_value(v, 9);
	inner = g_variant_get_variant(child);
	g_variant_unref(child);
	if (type != FP3_TYPE_RAW && type != FP3_TYPE_NBIS)
		why = "unknown print type";
	else if (type == FP3_TYPE_NBIS && !g_variant_is_of_type(inner,
	    G_VARIANT_TYPE(FP3_NBIS_DATA_TYPE)))
		why = "bad minutiae";
	else if (finger > FP_FINGER_LAST)
		why = "bad finger";
	/* G_MININT32 is libfprint's "no date"; else 0001-01-01..9999-12-31. */
	else if (julian != G_MININT32 &&
	    (julian < 1 || julian > JULIAN_9999_12_31))
		why = "bad enrollment date";
	g_variant_unref(inner);
out:
	g_variant_unref(v);
	return why;
}

/*
 * Decodes prints[i] into a print this reader can use, or explains in why
 * (without personal data) and returns the status it would fail with.
 */
static int
decode_print(struct fingerprint_reader *r, const char *user_id,
    const struct fingerprint_blob *b, size_t i, size_t n, FpPrint **out,
    char *why, size_t whylen)
{
	FpPrint *p;
	GError *gerr = NULL;
	const char *bad, *uname;

	*out = NULL;
	if ((bad = precheck(b->data, b->len)) != NULL) {
		snprintf(why, whylen, "stored fingerprint %zu of %zu is "
		    "corrupted or not a fingerprint (%s)", i + 1, n, bad);
		return SESSHU_EFORMAT;
	}
	p = fp_print_deserialize(b->data, b->len, &gerr);
	if (p == NULL) {
		snprintf(why, whylen, "stored fingerprint %zu of %zu is "
		    "corrupted or not a fingerprint (libfprint: %s)", i + 1, n,
		    gerr != NULL ? gerr->message : "refused");
		g_clear_error(&gerr);
		return SESSHU_EFORMAT;
	}
	if (!fp_print_compatible(p, r->dev)) {
		snprintf(why, whylen, "stored fingerprint %zu of %zu was "
		    "enrolled on another kind of reader (%s), not this one "
		    "(%s)", i + 1, n, fp_print_get_driver(p), r->driver);
		g_object_unref(p);
		return SESSHU_ENOTFOUND;
	}
	uname = fp_print_get_username(p);
	if (user_id != NULL && (uname == NULL || strcmp(uname, user_id) != 0)) {
		snprintf(why, whylen, "stored fingerprint %zu of %zu was "
		    "enrolled for another user", i + 1, n);
		g_object_unref(p);
		return SESSHU_ENOTFOUND;
	}
	*out = p;
	return 0;
}

static void
match_cb(FpDevice *dev, FpPrint *match, FpPrint *print, gpointer data,
    GError *error)
{
	struct fp_op *op = data;

	(void)dev;
	(void)match;
	(void)print;
	/* The decision itself is taken from the finish call, not from here. */
	if (error != NULL) {
		op->retry_reported = 1;
		emit_retry(op, error->code, 0);
		return;
	}
	op->decided = 1;
	maybe_emit_remove(op);
}

static size_t
caller_index(const struct fp_op *op, FpPrint *match)
{
	for (guint i = 0; i < op->prints->len; i++)
		if (g_ptr_array_index(op->prints, i) == match)
			return g_array_index(op->index, size_t, i);
	return (size_t)-1;
}

static void
verify_ready(GObject *src, GAsyncResult *res, gpointer data)
{
	struct fp_op *op = data;
	struct fingerprint_reader *r = op->r;
	struct sesshu_err err = { 0 };
	FpDevice *dev = FP_DEVICE(src);
	FpPrint *match = NULL;
	GError *gerr = NULL;
	gboolean ok, matched = FALSE;
	size_t idx = (size_t)-1;
	int rc;

	if (op->kind == OP_IDENTIFY) {
		ok = fp_device_identify_finish(dev, res, &match, NULL, &gerr);
		if (ok && match != NULL) {
			idx = caller_index(op, match);
			matched = idx != (size_t)-1;
		}
		g_clear_object(&match);
	} else {
		ok = fp_device_verify_finish(dev, res, &matched, NULL, &gerr);
		if (ok && matched)
			idx = g_array_index(op->index, size_t, 0);
	}

	if (!ok && gerr != NULL && gerr->domain == FP_DEVICE_RETRY) {
		/* libfprint ends the operation at every retry: ask again. */
		if (!op->retry_reported)
			emit_retry(op, gerr->code, 0);
		if (!g_cancellable_is_cancelled(op->cancel) &&
		    ++op->retries <= VERIFY_MAX_RETRIES) {
			g_clear_error(&gerr);
			verify_start(op);
			return;
		}
		if (g_cancellable_is_cancelled(op->cancel))
			rc = sesshu_err_set(&err, SESSHU_ECANCELED,
			    "cancelled");
		else
			rc = sesshu_err_set(&err, SESSHU_EIO,
			    "fingerprint reader %s could not read the finger "
			    "in %d tries", r->name, VERIFY_MAX_RETRIES + 1);
		g_clear_error(&gerr);
		op_finish_verify(op, rc, idx, &err);
		return;
	}
	if (!ok || gerr != NULL) {
		if (gerr == NULL)
			rc = sesshu_err_set(&err, SESSHU_EIO,
			    "fingerprint reader %s: verification failed",
			    r->name);
		else
			rc = map_gerror(r->name, "verification", gerr, &err);
		g_clear_error(&gerr);
		op_finish_verify(op, rc, idx, &err);
		return;
	}
	if (!matched) {
		rc = sesshu_err_set(&err, SESSHU_EAUTH,
		    "fingerprint not recognised");
		op_finish_verify(op, rc, idx, &err);
		return;
	}
	op_finish_verify(op, 0, idx, NULL);
}

static void
verify_start(struct fp_op *op)
{
	struct fingerprint_reader *r = op->r;

	op->retry_reported = 0;
	op->decided = 0;
	if (op->kind == OP_IDENTIFY)
		fp_device_identify(r->dev, op->prints, op->cancel, match_cb,
		    op, NULL, verify_ready, op);
	else
		fp_device_verify(r->dev, g_ptr_array_index(op->prints, 0),
		    op->cancel, match_cb, op, NULL, verify_ready, op);
}

int
fingerprint_verify_async(struct fingerprint_reader *r, const char *user_id,
    const struct fingerprint_blob *prints, size_t n,
    fingerprint_event_cb on_event, fingerprint_verify_done_cb on_done,
    void *ctx, struct sesshu_err *err)
{
	struct fp_op *op;
	char why[SESSHU_ERR_MSG_MAX], first_corrupt[SESSHU_ERR_MSG_MAX];
	char first_other[SESSHU_ERR_MSG_MAX];
	struct fingerprint_event ev = { 0 };
	int rc;

	if (r == NULL || on_done == NULL || (prints == NULL && n > 0))
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "fingerprint_verify_async: no reader, prints or callback");
	if (user_id != NULL && (rc = check_user_id(user_id, err)) != 0)
		return rc;
	if ((rc = check_busy(r, err)) != 0)
		return rc;
	if (n == 0)
		return sesshu_err_set(err, SESSHU_ENOTFOUND,
		    "no fingerprint enrolled for this user");

	op = op_new(r, OP_VERIFY, on_event, ctx);
	op->on_verify_done = on_done;
	op->prints = g_ptr_array_new_with_free_func(g_object_unref);
	op->index = g_array_new(FALSE, FALSE, sizeof(size_t));
	/* Busy already, in case a SKIPPED event tries to start another. */
	r->op = op;
	first_corrupt[0] = first_other[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		FpPrint *p;

		rc = decode_print(r, user_id, &prints[i], i, n, &p, why,
		    sizeof(why));
		if (rc == 0) {
			g_ptr_array_add(op->prints, p);
			g_array_append_val(op->index, i);
			continue;
		}
		if (rc == SESSHU_EFORMAT && first_corrupt[0] == '\0')
			memcpy(first_corrupt, why, sizeof(why));
		if (rc != SESSHU_EFORMAT && first_other[0] == '\0')
			memcpy(first_other, why, sizeof(why));
		if (on_event != NULL) {
			ev.kind = FINGERPRINT_EV_SKIPPED;
			ev.msg = why;
			ev.print_index = i;
			on_event(&ev, ctx);
		}
	}
	if (op->prints->len == 0) {
		r->op = NULL;
		op_free(op);
		if (first_corrupt[0] != '\0')
			return sesshu_err_set(err, SESSHU_EFORMAT, "%s",
			    first_corrupt);
		return sesshu_err_set(err, SESSHU_ENOTFOUND,
		    "no stored fingerprint can be used: %s; enroll again",
		    first_other);
	}
	/*
	 * A reader that cannot identify verifies one print per scan; asking
	 * for one scan per print would tell the user which finger failed.
	 */
	if (op->prints->len > 1 &&
	    fp_device_has_feature(r->dev, FP_DEVICE_FEATURE_IDENTIFY))
		op->kind = OP_IDENTIFY;
	op_schedule(op);
	return 0;
}

/* Synchronous forms */

struct sync_op {
	fingerprint_event_cb	 on_event;	/* the caller's */
	void			*ctx;		/* the caller's */
	int			 done;
	int			 status;
	size_t			 matched;
	struct fingerprint_blob	 blob;
	struct sesshu_err	 err;
};

static void
sync_event(const struct fingerprint_event *ev, void *ctx)
{
	struct sync_op *so = ctx;

	if (so->on_event != NULL)
		so->on_event(ev, so->ctx);
}

static void
sync_enroll_done(int status, struct fingerprint_blob *print,
    const struct sesshu_err *err, void *ctx)
{
	struct sync_op *so = ctx;

	so->done = 1;
	so->status = status;
	if (status == 0 && print != NULL) {
		so->blob = *print;
		print->data = NULL;
		print->len = 0;
	}
	if (err != NULL)
		so->err = *err;
}

static void
sync_verify_done(int status, size_t matched, const struct sesshu_err *err,
    void *ctx)
{
	struct sync_op *so = ctx;

	so->done = 1;
	so->status = status;
	so->matched = matched;
	if (err != NULL)
		so->err = *err;
}

/* Iterates the default context until the operation reports back. */
static int
sync_wait(struct sync_op *so, struct sesshu_err *err)
{
	while (!so->done)
		g_main_context_iteration(NULL, TRUE);
	if (so->status != 0 && err != NULL)
		*err = so->err;
	return so->status;
}

int
fingerprint_enroll(struct fingerprint_reader *r, const char *user_id,
    enum fingerprint_finger finger, fingerprint_event_cb on_event, void *ctx,
    struct fingerprint_blob *out, struct sesshu_err *err)
{
	struct sync_op so = { .on_event = on_event, .ctx = ctx };
	int rc;

	if (out == NULL)
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "fingerprint_enroll: no result buffer");
	out->data = NULL;
	out->len = 0;
	rc = fingerprint_enroll_async(r, user_id, finger, sync_event,
	    sync_enroll_done, &so, err);
	if (rc != 0)
		return rc;
	if ((rc = sync_wait(&so, err)) != 0)
		return rc;
	*out = so.blob;
	return 0;
}

int
fingerprint_verify(struct fingerprint_reader *r, const char *user_id,
    const struct fingerprint_blob *prints, size_t n,
    fingerprint_event_cb on_event, void *ctx, size_t *matched,
    struct sesshu_err *err)
{
	struct sync_op so = { .on_event = on_event, .ctx = ctx };
	int rc;

	rc = fingerprint_verify_async(r, user_id, prints, n, sync_event,
	    sync_verify_done, &so, err);
	if (rc != 0)
		return rc;
	if ((rc = sync_wait(&so, err)) != 0)
		return rc;
	if (matched != NULL)
		*matched = so.matched;
	return 0;
}
