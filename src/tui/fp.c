/*
 * fp.c: the fingerprint reader of the screens; see fp.h.
 *
 * The reader's messages come from auth/fingerprint.c as English msgids in
 * static storage; they are listed here with N_() so that xgettext finds
 * them and the catalogs in i18n/ translate them; translated when drawn.
 */
#include "tui/fp.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib-unix.h>

#include "sync/ws_prints.h"
#include "tui/text.h"

/* How long F8 waits for the virtual reader to take its command. */
#define DEMO_TIMEOUT_MS		10000

/*
 * The msgids of auth/fingerprint.c's events and finger names, for the
 * catalogs: that module has no gettext and must keep these exact words.
 */
static const char *const reader_msgids[] __attribute__((unused)) = {
	N_("place your finger on the reader"),
	N_("remove your finger"),
	N_("place your finger again"),
	N_("finger too short: swipe it again"),
	N_("centre your finger on the reader and try again"),
	N_("remove your finger and try again"),
	N_("fingerprint scan recorded"),
	N_("unknown finger"),
	N_("left thumb"),
	N_("left index finger"),
	N_("left middle finger"),
	N_("left ring finger"),
	N_("left little finger"),
	N_("right thumb"),
	N_("right index finger"),
	N_("right middle finger"),
	N_("right ring finger"),
	N_("right little finger"),
};

static struct fp {
	struct tui		*t;
	struct fingerprint_reader *r;
	tui_fp_done_fn		 done;		/* NULL: nobody waits for the end */
	int			 running;	/* an operation has not ended */
	guint			 close_id;	/* the idle that closes r */

	/* What tui_fp_draw shows: msgids, and the enrollment's progress. */
	const char		*prompt;
	const char		*note;
	int			 enrolling;
	int			 stage, nstages;
} F;

static void
view_reset(void)
{
	F.prompt = N_("Getting the fingerprint reader ready...");
	F.note = NULL;
	F.enrolling = 0;
	F.stage = F.nstages = 0;
}

static void
close_now(void)
{
	if (F.close_id != 0) {
		g_source_remove(F.close_id);
		F.close_id = 0;
	}
	if (F.r != NULL) {
		/* Waits for a cancelled operation; its end reaches nobody. */
		F.done = NULL;
		fingerprint_close(F.r);
		F.r = NULL;
	}
	F.running = 0;
	view_reset();
}

static gboolean
close_idle(gpointer data)
{
	(void)data;
	F.close_id = 0;
	close_now();
	return G_SOURCE_REMOVE;
}

void
tui_fp_close(struct tui *t)
{
	if (F.r == NULL)
		return;
	F.done = NULL;
	if (F.running)
		fingerprint_cancel(F.r);
	if (t != NULL && t->loop != NULL && g_main_loop_is_running(t->loop)) {
		if (F.close_id == 0)
			F.close_id = g_idle_add(close_idle, NULL);
	} else
		close_now();
}

void
tui_fp_flush(struct tui *t)
{
	if (F.close_id != 0 && (t == NULL || t->loop == NULL ||
	    !g_main_loop_is_running(t->loop)))
		close_now();
}

int
tui_fp_open(struct tui *t, struct sesshu_err *err)
{
	int rc;

	close_now();
	F.t = t;
	rc = fingerprint_open(&F.r, t->settings.driver, err);
	if (rc != 0)
		F.r = NULL;
	return rc;
}

const char *
tui_fp_driver(void)
{
	return F.r != NULL ? fingerprint_reader_driver(F.r) : NULL;
}

int
tui_fp_running(void)
{
	return F.running;
}

void
tui_fp_cancel(void)
{
	if (F.r != NULL && F.running)
		fingerprint_cancel(F.r);
}

static void
on_event(const struct fingerprint_event *ev, void *ctx)
{
	(void)ctx;
	if (F.done == NULL)
		return;
	switch (ev->kind) {
	case FINGERPRINT_EV_PLACE:
	case FINGERPRINT_EV_REMOVE:
		F.prompt = ev->msg;
		break;
	case FINGERPRINT_EV_RETRY:
		F.note = ev->msg;
		break;
	case FINGERPRINT_EV_STAGE:
		F.note = ev->msg;
		F.stage = ev->stage;
		F.nstages = ev->nstages;
		break;
	case FINGERPRINT_EV_SKIPPED:
		/* A stored print this reader cannot use: nothing to show. */
		return;
	}
	tui_redraw(F.t);
}

/* The end of an operation; the operation has let go of the reader. */
static void
finish(int status, struct fingerprint_blob *print,
    const struct sesshu_err *err)
{
	tui_fp_done_fn done = F.done;

	F.running = 0;
	F.done = NULL;
	if (done == NULL)
		return;
	done(F.t, status, print, err);
	tui_redraw(F.t);
}

static void
on_verify_done(int status, size_t matched, const struct sesshu_err *err,
    void *ctx)
{
	(void)matched;
	(void)ctx;
	finish(status, NULL, err);
}

static void
on_enroll_done(int status, struct fingerprint_blob *print,
    const struct sesshu_err *err, void *ctx)
{
	(void)ctx;
	finish(status, print, err);
}

int
tui_fp_verify(struct tui *t, struct ws_session *ws, const char *user_id,
    tui_fp_done_fn done, size_t *nprints, struct sesshu_err *err)
{
	struct fingerprint_blob *prints = NULL;
	size_t n = 0;
	int rc;

	if (nprints != NULL)
		*nprints = 0;
	if (F.r == NULL || F.running)
		return sesshu_err_set(err, SESSHU_EINVAL, "the fingerprint "
		    "reader is not open or is busy");
	if ((rc = ws_fingerprints_load(ws, user_id, fingerprint_reader_driver(F.r),
	    &prints, &n, err)) != 0)
		return rc;
	if (nprints != NULL)
		*nprints = n;
	if (n == 0)
		return sesshu_err_set(err, SESSHU_ENOTFOUND, "no fingerprint "
		    "enrolled for this reader");
	view_reset();
	F.t = t;
	F.done = done;
	F.running = 1;
	/* The prints are decoded before this returns: wipe them at once. */
	rc = fingerprint_verify_async(F.r, user_id, prints, n, on_event,
	    on_verify_done, NULL, err);
	for (size_t i = 0; i < n; i++)
		fingerprint_blob_clear(&prints[i]);
	free(prints);
	if (rc != 0) {
		F.running = 0;
		F.done = NULL;
	}
	return rc;
}

int
tui_fp_enroll(struct tui *t, const char *user_id,
    enum fingerprint_finger finger, tui_fp_done_fn done,
    struct sesshu_err *err)
{
	int rc;

	if (F.r == NULL || F.running)
		return sesshu_err_set(err, SESSHU_EINVAL, "the fingerprint "
		    "reader is not open or is busy");
	view_reset();
	F.t = t;
	F.done = done;
	F.running = 1;
	F.enrolling = 1;
	F.nstages = fingerprint_reader_stages(F.r);
	rc = fingerprint_enroll_async(F.r, user_id, finger, on_event,
	    on_enroll_done, NULL, err);
	if (rc != 0) {
		F.running = 0;
		F.done = NULL;
	}
	return rc;
}

int
tui_fp_draw(struct tui *t, int y, int x, int w)
{
	char line[256], bar[64];
	int n = 0, scan, cells;

	if (F.enrolling && F.nstages > 0) {
		/* The scan under way, or the last one once all are done. */
		scan = F.stage < F.nstages ? F.stage + 1 : F.nstages;
		cells = F.nstages < (int)sizeof(bar) - 3 ? F.nstages :
		    (int)sizeof(bar) - 3;
		bar[0] = '[';
		for (int i = 0; i < cells; i++)
			bar[i + 1] = i < F.stage ? '#' : '-';
		bar[cells + 1] = ']';
		bar[cells + 2] = '\0';
		snprintf(line, sizeof(line), _("Scan %d of %d"), scan, F.nstages);
		tui_put(t, y + n, x, w, A_NORMAL, line);
		tui_put(t, y + n, x + (int)tui_text_width(line) + 2, cells + 2,
		    A_NORMAL, bar);
		n++;
	}
	if (F.prompt != NULL)
		tui_put(t, y + n, x, w, A_BOLD, _(F.prompt));
	n++;
	tui_put(t, y + n, x, w, A_NORMAL, F.note != NULL ? _(F.note) : "");
	n++;
	return n;
}

int
tui_fp_audit(struct tui *t, struct ws_session *ws, const char *action,
    const char *outcome)
{
	struct sesshu_err err = { 0 };
	char object[64];
	int rc;

	snprintf(object, sizeof(object), "user:%s", ws->user_id);
	if ((rc = ws_audit(ws, action, object, outcome, &err)) != 0)
		tui_message(t, 1, _("The audit trail could not be written: %s"),
		    err.msg);
	return rc;
}

const char *
tui_fp_finger_label(enum fingerprint_finger finger)
{
	return _(fingerprint_finger_name(finger));
}

static int
demo_env(void)
{
	const char *on = getenv(TUI_FP_DEMO_ENV), *sock;

	sock = getenv("FP_VIRTUAL_DEVICE");
	return on != NULL && strcmp(on, "1") == 0 && sock != NULL &&
	    sock[0] != '\0';
}

int
tui_fp_demo_offered(const struct tui *t)
{
	return demo_env() && (t->settings.driver[0] == '\0' ||
	    strcmp(t->settings.driver, TUI_FP_DEMO_DRIVER) == 0);
}

int
tui_fp_demo_active(void)
{
	return F.r != NULL && demo_env() &&
	    strcmp(fingerprint_reader_driver(F.r), TUI_FP_DEMO_DRIVER) == 0;
}

/* A command sent to the virtual reader, until it hangs up or time is up. */
struct demo_conn {
	int	fd;
	guint	watch, timer;
};

static void
demo_end(struct demo_conn *c)
{
	if (c->watch != 0)
		g_source_remove(c->watch);
	if (c->timer != 0)
		g_source_remove(c->timer);
	close(c->fd);
	g_free(c);
}

static gboolean
demo_hangup(gint fd, GIOCondition cond, gpointer data)
{
	struct demo_conn *c = data;

	(void)fd;
	(void)cond;
	/* The driver answers nothing: readable means end of file. */
	c->watch = 0;
	demo_end(c);
	return G_SOURCE_REMOVE;
}

static gboolean
demo_timeout(gpointer data)
{
	struct demo_conn *c = data;

	c->timer = 0;
	demo_end(c);
	return G_SOURCE_REMOVE;
}

int
tui_fp_demo_touch(struct tui *t, const char *user_id)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *path = getenv("FP_VIRTUAL_DEVICE");
	struct demo_conn *c;
	char cmd[128];
	int fd, len;

	(void)t;
	if (!tui_fp_demo_active() || !F.running || user_id == NULL ||
	    user_id[0] == '\0' || strlen(path) >= sizeof(sa.sun_path))
		return -1;
	len = snprintf(cmd, sizeof(cmd), "SCAN %s-finger", user_id);
	if (len < 0 || (size_t)len >= sizeof(cmd))
		return -1;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) < 0)
		return -1;
	/* One write, as the driver reads one command per connection. */
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    write(fd, cmd, (size_t)len) != len) {
		close(fd);
		return -1;
	}
	c = g_new0(struct demo_conn, 1);
	c->fd = fd;
	c->watch = g_unix_fd_add(fd, G_IO_IN | G_IO_HUP | G_IO_ERR,
	    demo_hangup, c);
	c->timer = g_timeout_add(DEMO_TIMEOUT_MS, demo_timeout, c);
	return 0;
}
