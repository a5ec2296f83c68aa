/*
 * ws_settings.h: the workstation's settings file, a GLib key file at
 * /etc/sesshu/sesshu.conf (or the --config path): session timeouts, login
 * lockout and offline limits, display language, fingerprint reader and
 * sync interval. docs/CONFIG.md lists every setting, its default and range;
 * assets/sesshu.conf.example is a commented file that loads cleanly.
 *
 * Every setting has a default used when its key or the whole default file
 * is absent. Anything else that is not exactly right is refused, never
 * guessed at: an unreadable or malformed file, an unknown group or key, a
 * key given twice, a value out of range. The message names the file, the
 * line, the key and what is allowed. This module only reads the file: it
 * never writes it, and the file holds no secret and no personal data.
 */
#ifndef SESSHU_AUTH_WS_SETTINGS_H
#define SESSHU_AUTH_WS_SETTINGS_H

#include "core/err.h"
#include "core/session.h"

#define WS_SETTINGS_PATH	"/etc/sesshu/sesshu.conf"
#define WS_DRIVER_MAX		63	/* bytes of a libfprint driver name */

enum ws_unlock {
	WS_UNLOCK_FINGERPRINT,
	WS_UNLOCK_PASSWORD,
};

/*
 * FpFinger's values and nicks: finger == FP_FINGER_LEFT_THUMB + index in
 * ws_finger_names, so this module needs no libfprint.
 */
enum ws_finger {
	WS_FINGER_LEFT_THUMB = 1,
	WS_FINGER_LEFT_INDEX,
	WS_FINGER_LEFT_MIDDLE,
	WS_FINGER_LEFT_RING,
	WS_FINGER_LEFT_LITTLE,
	WS_FINGER_RIGHT_THUMB,
	WS_FINGER_RIGHT_INDEX,
	WS_FINGER_RIGHT_MIDDLE,
	WS_FINGER_RIGHT_RING,
	WS_FINGER_RIGHT_LITTLE,
};

/*
 * Whether a correction or void of a record needs a supervisor's approval
 * (DOMAIN §3.3): for records the register already has (the default), for
 * every record, or never.
 */
enum ws_approval {
	WS_APPROVAL_SYNCED,
	WS_APPROVAL_ALWAYS,
	WS_APPROVAL_NEVER,
};

struct ws_settings {
	/* [session] */
	int		 idle_timeout_seconds;	/* 300, 30..3600 */
	int		 lock_logout_seconds;	/* 1800, 60..86400 */
	int		 max_session_hours;	/* 10, 1..24 */
	enum ws_unlock	 unlock_with;		/* fingerprint */
	/* [login] */
	int		 lockout_failures;	/* 5, 1..20 */
	int		 lockout_minutes;	/* 15, 1..1440 */
	int		 max_offline_hours;	/* 72, 1..720 */
	/* [display] */
	char		 language[3];		/* "" (from the locale), "ja", "en" */
	/* [fingerprint] */
	char		 driver[WS_DRIVER_MAX + 1];	/* "" = the first device found */
	enum ws_finger	 finger;		/* right-index, for enrollment */
	/* [sync] */
	int		 interval_seconds;	/* 60, 10..3600 */
	/* [entry] */
	char		 forms_dir[512];	/* "" = the built-in forms directory */
	enum ws_approval correction_approval;	/* synced */

	int		 from_file;	/* 1 when a file was read, 0 for defaults */
};

void	ws_settings_default(struct ws_settings *s);

/*
 * Reads path, or WS_SETTINGS_PATH when path is NULL. When the file does
 * not exist: the defaults if optional, else SESSHU_ENOTFOUND. Call with
 * optional set for the default path only: a mistyped --config must not
 * silently run with the defaults:
 *
 *	ws_settings_load(config_arg, config_arg == NULL, &settings, &err);
 *
 * Otherwise SESSHU_EIO (unreadable, not a regular file), SESSHU_EFORMAT
 * (malformed, unknown or repeated group or key, bad text) or SESSHU_ERANGE
 * (a value outside its range or set). *s is written only on success.
 */
int	ws_settings_load(const char *path, int optional, struct ws_settings *s,
	    struct sesshu_err *err);

/* The session state machine's limits, in seconds. */
void	ws_settings_session_limits(const struct ws_settings *s,
	    struct session_limits *limits);

/* "right-index" etc. (FpFinger's nick); "unknown" outside the enum. */
const char *ws_finger_name(enum ws_finger finger);

/* "fingerprint" or "password". */
const char *ws_unlock_name(enum ws_unlock how);

#endif
