/*
 * tui.h: the workstation's full-screen interface (ARCHITECTURE §5): what
 * `sesshu` runs when it is given no command.
 *
 * Owns the terminal from tui_run() until it returns: curses on the
 * alternate screen, a GLib main loop (the terminal, signals, the session
 * timer), the logged-in user's ws_session, and the session state machine
 * of core/session.h that decides when the screen locks and the session
 * ends (C1, C5). Before it returns, and whenever the screen locks, the
 * screen is erased so that nothing personal stays in the terminal.
 *
 * Must never: print to stdout or stderr while curses owns the terminal,
 * show personal data on the lock screen, or put a secret or a resident's
 * data in an error message. Screens are in screen_*.c, one each, listed in
 * one table (tui.c); screen.h is the contract between them and tui.c.
 */
#ifndef SESSHU_TUI_TUI_H
#define SESSHU_TUI_TUI_H

#include "core/err.h"

struct tui_options {
	const char	*state_dir;	/* the provisioned workstation (sesshu provision) */
	const char	*config;	/* settings file, or NULL for /etc/sesshu/sesshu.conf
					   (which may be absent: then the defaults) */
};

/*
 * Runs the interface until the user quits or a signal (SIGTERM, SIGINT,
 * SIGHUP) ends it. Returns 0 then; a negative SESSHU_E* code with err set
 * when it cannot start (settings, an unprovisioned state directory, a
 * terminal that is too limited), before the screen was touched or after
 * it was restored, so the caller may print err.
 */
int	tui_run(const struct tui_options *opt, struct sesshu_err *err);

#endif
