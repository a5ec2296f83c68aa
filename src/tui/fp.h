/*
 * fp.h: the fingerprint reader as the login, enrollment and lock screens
 * use it (ARCHITECTURE §3, §5); glue between those screens and
 * auth/fingerprint.h. Internal to src/tui.
 *
 * One reader at a time: a screen opens it when it needs a finger and
 * closes it when it no longer does, so that no other program finds it
 * held while nobody is asked for a finger. An operation (verify, enroll)
 * runs on the interface's GLib main loop while keys keep arriving; the
 * reader's prompts ("place your finger", a retry's reason, "remove your
 * finger") and the enrollment's progress are kept here for tui_fp_draw(),
 * and the screen is drawn again after each. The end of an operation goes
 * to the screen's done callback, from the main loop.
 *
 * Closing waits for a running operation to stop, which iterates the main
 * loop (fingerprint_close). While the loop runs, tui_fp_close() only
 * cancels and leaves the close to an idle callback, so that a logout
 * inside a key or a timer never runs other sources halfway through; a
 * later tui_fp_open() finishes that close first.
 *
 * The demo key (F8): when the open reader is libfprint's virtual_device
 * and the environment has SESSHU_DEMO_FINGER_KEY=1, F8 sends
 * "SCAN <user ID>-finger" to the reader's socket ($FP_VIRTUAL_DEVICE), as
 * that user's finger touching it, so that the demo and a person trying
 * it can log in. Never with another driver: a real reader needs a finger.
 *
 * Must never: keep a print beyond a call (prints are decoded before
 * tui_fp_verify returns; an enrolled print is lent to the done callback
 * only), show or log one, or say which login factor failed (the screens
 * show one message for all).
 */
#ifndef SESSHU_TUI_FP_H
#define SESSHU_TUI_FP_H

#include <stddef.h>

#include "auth/fingerprint.h"
#include "tui/screen.h"

/* The demo key, and the variable that allows it with the virtual reader. */
#define TUI_FP_DEMO_FKEY	8
#define TUI_KEY_DEMO_FINGER	TUI_FN(KEY_F(TUI_FP_DEMO_FKEY))
#define TUI_FP_DEMO_ENV		"SESSHU_DEMO_FINGER_KEY"
#define TUI_FP_DEMO_DRIVER	"virtual_device"

/*
 * An operation ended: status 0, SESSHU_EAUTH (the finger did not match),
 * SESSHU_ECANCELED (tui_fp_cancel) or another SESSHU_E* code of the
 * reader, with err saying why (NULL on 0). For an enrollment that worked,
 * print is the new print, lent for the call (move it out to keep it).
 * Not called after tui_fp_close().
 */
typedef void	(*tui_fp_done_fn)(struct tui *t, int status,
		    struct fingerprint_blob *print, const struct sesshu_err *err);

/*
 * Opens the reader of the settings ([fingerprint] driver, or the first
 * found). SESSHU_ENOTFOUND (no reader) or SESSHU_EIO (busy, no
 * permission) with fingerprint_open's message. Opening again closes the
 * reader first.
 */
int	tui_fp_open(struct tui *t, struct sesshu_err *err);

/* The open reader's libfprint driver (borrowed), or NULL. */
const char *tui_fp_driver(void);

/*
 * Loads user_id's prints for the open reader's driver from ws (borrowed)
 * and starts verifying a finger against them. SESSHU_ENOTFOUND with
 * *nprints = 0 when the user has none for this driver (an enrollment is
 * due); otherwise the refusals of ws_fingerprints_load and
 * fingerprint_verify_async. *nprints may be NULL.
 */
int	tui_fp_verify(struct tui *t, struct ws_session *ws, const char *user_id,
	    tui_fp_done_fn done, size_t *nprints, struct sesshu_err *err);

/* Starts enrolling finger of user_id through all of the reader's stages. */
int	tui_fp_enroll(struct tui *t, const char *user_id,
	    enum fingerprint_finger finger, tui_fp_done_fn done,
	    struct sesshu_err *err);

/* Nonzero while an operation runs. */
int	tui_fp_running(void);

/* Asks the running operation to stop: its done callback says ECANCELED. */
void	tui_fp_cancel(void);

/*
 * Forgets the running operation (its done callback is not called), stops
 * it and closes the reader: later from an idle while the main loop runs,
 * at once otherwise. NULL-safe; nothing when nothing is open.
 */
void	tui_fp_close(struct tui *t);

/*
 * Performs now a close left to an idle callback, once the main loop has
 * stopped (the program is ending: tui_run's last forget). NULL-safe.
 */
void	tui_fp_flush(struct tui *t);

/*
 * Draws the progress of an enrollment ("Scan 2 of 5"), the reader's
 * prompt and the reason for a retry from line y, in w columns at x.
 * Returns the lines used.
 */
int	tui_fp_draw(struct tui *t, int y, int x, int w);

/*
 * Appends to the audit trail of ws, a login's cache that is not the
 * session's yet (t->ws is NULL until tui_login_done), as ws's user with
 * object "user:<ID>". A failure also reaches the message line.
 */
int	tui_fp_audit(struct tui *t, struct ws_session *ws, const char *action,
	    const char *outcome);

/* The finger's name, translated ("right index finger"). */
const char *tui_fp_finger_label(enum fingerprint_finger finger);

/*
 * The demo key: offered when the environment allows it and the settings
 * can reach the virtual reader (for the login screen's hint before any
 * reader is open); active while the open reader is the virtual one.
 */
int	tui_fp_demo_offered(const struct tui *t);
int	tui_fp_demo_active(void);

/*
 * F8: user_id's finger on the virtual reader, while an operation runs.
 * Returns 0 when the command was sent, -1 (the caller beeps) otherwise;
 * never blocks: the reader takes the command from the main loop.
 */
int	tui_fp_demo_touch(struct tui *t, const char *user_id);

#endif
