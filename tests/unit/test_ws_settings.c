/*
 * test_ws_settings.c: the workstation settings file (auth/ws_settings.h):
 * defaults, the shipped example, every range at its edges, and every kind
 * of bad file refused with a message naming the file, line and key.
 * Files are written under $TMPDIR; /etc is never read.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "auth/ws_settings.h"
#include "testutil.h"

static char *dir;

static int
setup(void **state)
{
	(void)state;
	dir = tu_mkdtemp("ws_settings");
	return dir == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	tu_rm_rf(dir);
	free(dir);
	return 0;
}

/* Writes text to a fresh file and returns its path (static buffer). */
static const char *
conf(const char *text)
{
	const char *path = tu_path(dir, "sesshu.conf");

	if (tu_write_file(path, text, strlen(text)) != 0)
		fail_msg("cannot write %s", path);
	return path;
}

static void
load_ok(const char *text, struct ws_settings *s)
{
	struct sesshu_err err = { 0 };

	if (ws_settings_load(conf(text), 0, s, &err) != 0)
		fail_msg("refused: %s\n---\n%s", err.msg, text);
}

/*
 * Loads text, expects code and a message that contains every one of the
 * NULL-terminated fragments (the path is always expected first).
 */
static void
load_refused(const char *text, int code, ...)
{
	struct sesshu_err err = { 0 };
	struct ws_settings s;
	const char *path = conf(text), *want;
	va_list ap;

	memset(&s, 0x5a, sizeof(s));
	if (ws_settings_load(path, 0, &s, &err) != code)
		fail_msg("expected %d, got %d (%s)\n---\n%s", code, err.code,
		    err.msg, text);
	assert_int_equal(err.code, code);
	if (strncmp(err.msg, path, strlen(path)) != 0)
		fail_msg("message \"%s\" does not start with the path", err.msg);
	va_start(ap, code);
	while ((want = va_arg(ap, const char *)) != NULL)
		if (strstr(err.msg, want) == NULL)
			fail_msg("message \"%s\" lacks \"%s\"", err.msg, want);
	va_end(ap);
	/* A refused file leaves the output untouched. */
	assert_int_equal(s.idle_timeout_seconds, 0x5a5a5a5a);
}

static void
assert_defaults(const struct ws_settings *s)
{
	assert_int_equal(s->idle_timeout_seconds, 300);
	assert_int_equal(s->lock_logout_seconds, 1800);
	assert_int_equal(s->max_session_hours, 10);
	assert_int_equal(s->unlock_with, WS_UNLOCK_FINGERPRINT);
	assert_int_equal(s->lockout_failures, 5);
	assert_int_equal(s->lockout_minutes, 15);
	assert_int_equal(s->max_offline_hours, 72);
	assert_string_equal(s->language, "");
	assert_string_equal(s->driver, "");
	assert_int_equal(s->finger, WS_FINGER_RIGHT_INDEX);
	assert_int_equal(s->interval_seconds, 60);
}

static void
test_ws_settings_defaults_are_documented_values(void **state)
{
	struct session_limits lim;
	struct ws_settings s;

	(void)state;
	ws_settings_default(&s);
	assert_defaults(&s);
	assert_int_equal(s.from_file, 0);
	ws_settings_session_limits(&s, &lim);
	assert_int_equal(lim.idle_timeout, 300);
	assert_int_equal(lim.lock_logout, 1800);
	assert_int_equal(lim.max_session, 36000);
}

static void
test_ws_settings_missing_optional_file_gives_defaults(void **state)
{
	struct sesshu_err err = { .code = SESSHU_EIO, .msg = "stale" };
	struct ws_settings s;

	(void)state;
	memset(&s, 0x5a, sizeof(s));
	assert_int_equal(ws_settings_load(tu_path(dir, "absent.conf"), 1, &s,
	    &err), 0);
	assert_defaults(&s);
	assert_int_equal(s.from_file, 0);
	assert_int_equal(err.code, 0);
}

static void
test_ws_settings_missing_named_file_is_refused(void **state)
{
	struct sesshu_err err = { 0 };
	struct ws_settings s;
	const char *path = tu_path(dir, "typo.conf");

	(void)state;
	assert_int_equal(ws_settings_load(path, 0, &s, &err), SESSHU_ENOTFOUND);
	assert_non_null(strstr(err.msg, path));
}

static void
test_ws_settings_empty_file_gives_defaults(void **state)
{
	struct ws_settings s;

	(void)state;
	load_ok("", &s);
	assert_defaults(&s);
	assert_int_equal(s.from_file, 1);
	load_ok("# only a comment\n\n[session]\n\n[sync]\n", &s);
	assert_defaults(&s);
}

/* The source tree, from this file's path as the compiler saw it. */
static const char *
source_path(const char *rel)
{
	static char buf[4096];
	const char *slash = strrchr(__FILE__, '/');

	if (__FILE__[0] != '/' || slash == NULL)
		return NULL;
	snprintf(buf, sizeof(buf), "%.*s/../../%s", (int)(slash - __FILE__),
	    __FILE__, rel);
	return buf;
}

static void
test_ws_settings_example_file_loads_with_the_defaults(void **state)
{
	struct sesshu_err err = { 0 };
	struct ws_settings s;
	const char *path = source_path("assets/sesshu.conf.example");

	(void)state;
	if (path == NULL)
		skip();
	if (ws_settings_load(path, 0, &s, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(s.from_file, 1);
	/* The example shows every default, so it must load as the defaults. */
	assert_defaults(&s);
}

/* Every key of the file format appears in docs/CONFIG.md and the example. */
static void
test_ws_settings_every_key_is_documented(void **state)
{
	static const char *keys[] = {
		"idle_timeout_seconds", "lock_logout_seconds",
		"max_session_hours", "unlock_with", "lockout_failures",
		"lockout_minutes", "max_offline_hours", "language", "driver",
		"finger", "interval_seconds", "[session]", "[login]",
		"[display]", "[fingerprint]", "[sync]", "forms_dir",
		"correction_approval", "[entry]",
	};
	char doc[4096], example[4096];
	char needle[64];

	(void)state;
	if (source_path("docs/CONFIG.md") == NULL)
		skip();
	snprintf(doc, sizeof(doc), "%s", source_path("docs/CONFIG.md"));
	snprintf(example, sizeof(example), "%s",
	    source_path("assets/sesshu.conf.example"));
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		snprintf(needle, sizeof(needle), "`%s`", keys[i]);
		if (keys[i][0] != '[' &&
		    !tu_file_contains(doc, needle, strlen(needle)))
			fail_msg("docs/CONFIG.md lacks %s", needle);
		if (!tu_file_contains(example, keys[i], strlen(keys[i])))
			fail_msg("the example lacks %s", keys[i]);
	}
}

static void
test_ws_settings_reads_every_setting(void **state)
{
	struct session_limits lim;
	struct ws_settings s;

	(void)state;
	load_ok("[session]\n"
	    "idle_timeout_seconds=45\n"
	    "lock_logout_seconds = 600\n"
	    "max_session_hours =8\n"
	    "unlock_with= password\n"
	    "[login]\n"
	    "lockout_failures=3\n"
	    "lockout_minutes=30\n"
	    "max_offline_hours=24\n"
	    "[display]\n"
	    "language=en\n"
	    "[fingerprint]\n"
	    "driver=virtual_image\n"
	    "finger=left-thumb\n"
	    "[sync]\n"
	    "interval_seconds=15\n", &s);
	assert_int_equal(s.idle_timeout_seconds, 45);
	assert_int_equal(s.lock_logout_seconds, 600);
	assert_int_equal(s.max_session_hours, 8);
	assert_int_equal(s.unlock_with, WS_UNLOCK_PASSWORD);
	assert_int_equal(s.lockout_failures, 3);
	assert_int_equal(s.lockout_minutes, 30);
	assert_int_equal(s.max_offline_hours, 24);
	assert_string_equal(s.language, "en");
	assert_string_equal(s.driver, "virtual_image");
	assert_int_equal(s.finger, WS_FINGER_LEFT_THUMB);
	assert_int_equal(s.finger, 1);	/* FP_FINGER_LEFT_THUMB */
	assert_int_equal(s.interval_seconds, 15);
	ws_settings_session_limits(&s, &lim);
	assert_int_equal(lim.idle_timeout, 45);
	assert_int_equal(lim.lock_logout, 600);
	assert_int_equal(lim.max_session, 8 * 3600);
}

static void
test_ws_settings_keys_left_out_keep_defaults(void **state)
{
	struct ws_settings s;

	(void)state;
	load_ok("[session]\nidle_timeout_seconds=120\n", &s);
	assert_int_equal(s.idle_timeout_seconds, 120);
	assert_int_equal(s.lock_logout_seconds, 1800);
	assert_int_equal(s.interval_seconds, 60);
	/* A group header may repeat as long as no key does. */
	load_ok("[session]\nidle_timeout_seconds=120\n[sync]\n"
	    "interval_seconds=30\n[session]\nlock_logout_seconds=90\n", &s);
	assert_int_equal(s.idle_timeout_seconds, 120);
	assert_int_equal(s.lock_logout_seconds, 90);
	assert_int_equal(s.interval_seconds, 30);
}

static const struct {
	const char	*group, *key;
	int		 min, max;
	const char	*unit;
} ranges[] = {
	{ "session", "idle_timeout_seconds", 30, 3600, "seconds" },
	{ "session", "lock_logout_seconds", 60, 86400, "seconds" },
	{ "session", "max_session_hours", 1, 24, "hours" },
	{ "login", "lockout_failures", 1, 20, "failures" },
	{ "login", "lockout_minutes", 1, 1440, "minutes" },
	{ "login", "max_offline_hours", 1, 720, "hours" },
	{ "sync", "interval_seconds", 10, 3600, "seconds" },
};

static int
int_field(const struct ws_settings *s, const char *key)
{
	if (strcmp(key, "idle_timeout_seconds") == 0)
		return s->idle_timeout_seconds;
	if (strcmp(key, "lock_logout_seconds") == 0)
		return s->lock_logout_seconds;
	if (strcmp(key, "max_session_hours") == 0)
		return s->max_session_hours;
	if (strcmp(key, "lockout_failures") == 0)
		return s->lockout_failures;
	if (strcmp(key, "lockout_minutes") == 0)
		return s->lockout_minutes;
	if (strcmp(key, "max_offline_hours") == 0)
		return s->max_offline_hours;
	return s->interval_seconds;
}

static void
test_ws_settings_ranges_accept_their_edges(void **state)
{
	struct ws_settings s;
	char text[256];

	(void)state;
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		snprintf(text, sizeof(text), "[%s]\n%s=%d\n", ranges[i].group,
		    ranges[i].key, ranges[i].min);
		load_ok(text, &s);
		assert_int_equal(int_field(&s, ranges[i].key), ranges[i].min);
		snprintf(text, sizeof(text), "[%s]\n%s=%d\n", ranges[i].group,
		    ranges[i].key, ranges[i].max);
		load_ok(text, &s);
		assert_int_equal(int_field(&s, ranges[i].key), ranges[i].max);
	}
}

static void
test_ws_settings_ranges_refuse_one_past_each_edge(void **state)
{
	char text[256], want[256];

	(void)state;
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		int bad[2] = { ranges[i].min - 1, ranges[i].max + 1 };

		for (int k = 0; k < 2; k++) {
			snprintf(text, sizeof(text), "# c\n[%s]\n%s = %d\n",
			    ranges[i].group, ranges[i].key, bad[k]);
			snprintf(want, sizeof(want), ":3: [%s] %s = %d: must be "
			    "from %d to %d %s", ranges[i].group, ranges[i].key,
			    bad[k], ranges[i].min, ranges[i].max,
			    ranges[i].unit);
			load_refused(text, SESSHU_ERANGE, want, NULL);
		}
	}
}

static void
test_ws_settings_message_names_file_line_key_and_range(void **state)
{
	char want[1024];

	(void)state;
	/* The shape the operator sees, in full. */
	snprintf(want, sizeof(want), "%s:2: [session] idle_timeout_seconds = "
	    "2: must be from 30 to 3600 seconds", tu_path(dir, "sesshu.conf"));
	load_refused("[session]\nidle_timeout_seconds = 2\n", SESSHU_ERANGE,
	    want, NULL);
}

static void
test_ws_settings_refuses_values_that_are_not_whole_numbers(void **state)
{
	static const char *bad[] = {
		"5m", "0x10", "1e3", "3.5", "three", "300s", "+-3", "３００",
	};
	char text[128];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "[sync]\ninterval_seconds=%s\n",
		    bad[i]);
		load_refused(text, SESSHU_ERANGE, ":2: [sync] interval_seconds",
		    "not a whole number", "from 10 to 3600 seconds", NULL);
	}
	load_refused("[sync]\ninterval_seconds=\n", SESSHU_ERANGE,
	    ":2: [sync] interval_seconds is empty", "from 10 to 3600", NULL);
	load_refused("[sync]\ninterval_seconds=99999999999999999999999\n",
	    SESSHU_ERANGE, "must be from 10 to 3600 seconds", NULL);
	load_refused("[sync]\ninterval_seconds=-60\n", SESSHU_ERANGE,
	    "= -60: must be from 10 to 3600 seconds", NULL);
	load_refused("[sync]\ninterval_seconds=4294967356\n", SESSHU_ERANGE,
	    "= 4294967356: must be from 10 to 3600", NULL);
}

static void
test_ws_settings_refuses_bad_words(void **state)
{
	(void)state;
	load_refused("[session]\nunlock_with=Fingerprint\n", SESSHU_ERANGE,
	    ":2: [session] unlock_with = Fingerprint: must be fingerprint or "
	    "password", NULL);
	load_refused("[session]\nunlock_with=\n", SESSHU_ERANGE,
	    "unlock_with = : must be fingerprint or password", NULL);
	load_refused("[display]\nlanguage=fr\n", SESSHU_ERANGE,
	    ":2: [display] language = fr: must be ja, en, or empty", NULL);
	load_refused("[display]\nlanguage=ja_JP\n", SESSHU_ERANGE,
	    "[display] language = ja_JP", NULL);
	load_refused("[fingerprint]\nfinger=thumb\n", SESSHU_ERANGE,
	    ":2: [fingerprint] finger = thumb: must be one of left-thumb",
	    "right-index", NULL);
	load_refused("[fingerprint]\ndriver=Virtual-Image\n", SESSHU_ERANGE,
	    ":2: [fingerprint] driver = Virtual-Image: must be a libfprint "
	    "driver name", NULL);
	load_refused("[fingerprint]\ndriver="
	    "a123456789a123456789a123456789a123456789a123456789a123456789abcd\n",
	    SESSHU_ERANGE, "[fingerprint] driver", "at most 63 bytes", NULL);
}

static void
test_ws_settings_accepts_each_allowed_word(void **state)
{
	static const char *fingers[] = {
		"left-thumb", "left-index", "left-middle", "left-ring",
		"left-little", "right-thumb", "right-index", "right-middle",
		"right-ring", "right-little",
	};
	struct ws_settings s;
	char text[128];

	(void)state;
	for (size_t i = 0; i < 10; i++) {
		snprintf(text, sizeof(text), "[fingerprint]\nfinger=%s\n",
		    fingers[i]);
		load_ok(text, &s);
		/* FpFinger: FP_FINGER_LEFT_THUMB = 1 ... RIGHT_LITTLE = 10. */
		assert_int_equal(s.finger, (int)i + 1);
		assert_string_equal(ws_finger_name(s.finger), fingers[i]);
	}
	assert_string_equal(ws_finger_name((enum ws_finger)0), "unknown");
	load_ok("[display]\nlanguage=ja\n", &s);
	assert_string_equal(s.language, "ja");
	load_ok("[display]\nlanguage =\n", &s);
	assert_string_equal(s.language, "");
	load_ok("[session]\nunlock_with=fingerprint\n", &s);
	assert_int_equal(s.unlock_with, WS_UNLOCK_FINGERPRINT);
	assert_string_equal(ws_unlock_name(WS_UNLOCK_PASSWORD), "password");
	load_ok("[fingerprint]\ndriver=\n", &s);
	assert_string_equal(s.driver, "");
	load_ok("[fingerprint]\ndriver="
	    "a123456789a123456789a123456789a123456789a123456789a123456789abc\n",
	    &s);
	assert_int_equal(strlen(s.driver), WS_DRIVER_MAX);
}

static void
test_ws_settings_refuses_unknown_group(void **state)
{
	(void)state;
	load_refused("[session]\nidle_timeout_seconds=300\n\n[screen]\nx=1\n",
	    SESSHU_EFORMAT, ":4: unknown group [screen]",
	    "known: session, login", NULL);
	/* Group names are case-sensitive. */
	load_refused("[Session]\n", SESSHU_EFORMAT, ":1: unknown group [Session]",
	    NULL);
}

static void
test_ws_settings_refuses_unknown_key(void **state)
{
	(void)state;
	load_refused("[session]\n# the old name\nidle_timeout = 300\n",
	    SESSHU_EFORMAT, ":3: [session] unknown key idle_timeout",
	    "known: idle_timeout_seconds, lock_logout_seconds", NULL);
	/* A key of another group is unknown in this one. */
	load_refused("[login]\ninterval_seconds=60\n", SESSHU_EFORMAT,
	    ":2: [login] unknown key interval_seconds", NULL);
	/* A translated key is not a setting. */
	load_refused("[display]\nlanguage=ja\nlanguage[en]=en\n",
	    SESSHU_EFORMAT, ":3: [display] unknown key language[en]", NULL);
}

static void
test_ws_settings_refuses_key_given_twice(void **state)
{
	(void)state;
	load_refused("[session]\nidle_timeout_seconds=300\n"
	    "idle_timeout_seconds=30\n", SESSHU_EFORMAT,
	    ":3: [session] idle_timeout_seconds is set twice (first on line 2)",
	    NULL);
	load_refused("[session]\nidle_timeout_seconds=300\n[sync]\n"
	    "[session]\nidle_timeout_seconds =60\n", SESSHU_EFORMAT,
	    ":5:", "set twice (first on line 2)", NULL);
}

static void
test_ws_settings_refuses_malformed_lines(void **state)
{
	(void)state;
	load_refused("[session]\nidle_timeout_seconds 300\n", SESSHU_EFORMAT,
	    ":2: not a [group], a key = value, a # comment or a blank line",
	    NULL);
	load_refused("# c\nidle_timeout_seconds=300\n[session]\n",
	    SESSHU_EFORMAT, ":2: a key before the first [group]", NULL);
	load_refused("[session\nidle_timeout_seconds=300\n", SESSHU_EFORMAT,
	    ":1: a [group] line must end with ]", NULL);
	load_refused("[session]\n\n\n=300\n", SESSHU_EFORMAT, ":4: not a "
	    "[group]", NULL);
	load_refused("\xef\xbb\xbf[session]\n", SESSHU_EFORMAT,
	    ":1: starts with a byte-order mark", NULL);
}

static void
test_ws_settings_refuses_bad_text(void **state)
{
	char with_nul[] = "[session]\nidle_timeout_seconds=300\n\0\n";
	const char *path = tu_path(dir, "nul.conf");
	struct sesshu_err err = { 0 };
	struct ws_settings s;

	(void)state;
	assert_int_equal(tu_write_file(path, with_nul, sizeof(with_nul) - 1), 0);
	assert_int_equal(ws_settings_load(path, 0, &s, &err), SESSHU_EFORMAT);
	assert_non_null(strstr(err.msg, "NUL byte"));
	assert_non_null(strstr(err.msg, path));

	/* Not UTF-8: said so, without echoing the bytes. */
	load_refused("[fingerprint]\ndriver=\xff\xfe\n", SESSHU_EFORMAT,
	    ":2: [fingerprint] driver: the value is not UTF-8 text", NULL);
	/* Escapes are undone before the check: "\s" is a space. */
	load_refused("[display]\nlanguage=\\sja\n", SESSHU_ERANGE,
	    "[display] language =  ja", NULL);
}

static void
test_ws_settings_message_does_not_carry_control_characters(void **state)
{
	struct sesshu_err err = { 0 };
	struct ws_settings s;

	(void)state;
	assert_int_equal(ws_settings_load(conf("[display]\nlanguage=\x1b[31m"
	    "red\n"), 0, &s, &err), SESSHU_ERANGE);
	assert_null(strchr(err.msg, '\x1b'));
	assert_non_null(strstr(err.msg, "?[31mred"));

	/* C1 controls (U+009B is a CSI) and long values are cut down too. */
	assert_int_equal(ws_settings_load(conf("[display]\nlanguage=\xc2\x9b"
	    "2J\n"), 0, &s, &err), SESSHU_ERANGE);
	assert_null(strstr(err.msg, "\xc2\x9b"));
	assert_non_null(strstr(err.msg, "= ?2J:"));
	assert_int_equal(ws_settings_load(conf("[display]\nlanguage="
	    "ああああああああああああああああああああああああああ\n"), 0, &s, &err),
	    SESSHU_ERANGE);
	assert_non_null(strstr(err.msg, "ああ...: must be"));
}

static void
test_ws_settings_trailing_blanks_and_crlf_are_ignored(void **state)
{
	struct ws_settings s;

	(void)state;
	load_ok("[session]\r\nidle_timeout_seconds = 45 \t\r\n"
	    "unlock_with = password  \r\n", &s);
	assert_int_equal(s.idle_timeout_seconds, 45);
	assert_int_equal(s.unlock_with, WS_UNLOCK_PASSWORD);
}

static void
test_ws_settings_refuses_unreadable_and_odd_files(void **state)
{
	struct sesshu_err err = { 0 };
	struct ws_settings s;
	const char *path;
	char big[70 * 1024];

	(void)state;
	/* A directory. */
	assert_int_equal(ws_settings_load(dir, 1, &s, &err), SESSHU_EIO);
	assert_non_null(strstr(err.msg, "not a regular file"));

	/* Too large to be a settings file. */
	memset(big, '#', sizeof(big));
	big[sizeof(big) - 1] = '\n';
	path = tu_path(dir, "big.conf");
	assert_int_equal(tu_write_file(path, big, sizeof(big)), 0);
	assert_int_equal(ws_settings_load(path, 0, &s, &err), SESSHU_EFORMAT);
	assert_non_null(strstr(err.msg, "larger than"));

	/* Unreadable (root reads everything, so only as another user). */
	path = conf("[session]\n");
	assert_int_equal(chmod(path, 0), 0);
	if (geteuid() != 0) {
		assert_int_equal(ws_settings_load(path, 1, &s, &err), SESSHU_EIO);
		assert_non_null(strstr(err.msg, path));
		assert_non_null(strstr(err.msg, "cannot read"));
	}
	assert_int_equal(chmod(path, 0600), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ws_settings_defaults_are_documented_values),
		cmocka_unit_test(test_ws_settings_missing_optional_file_gives_defaults),
		cmocka_unit_test(test_ws_settings_missing_named_file_is_refused),
		cmocka_unit_test(test_ws_settings_empty_file_gives_defaults),
		cmocka_unit_test(test_ws_settings_example_file_loads_with_the_defaults),
		cmocka_unit_test(test_ws_settings_every_key_is_documented),
		cmocka_unit_test(test_ws_settings_reads_every_setting),
		cmocka_unit_test(test_ws_settings_keys_left_out_keep_defaults),
		cmocka_unit_test(test_ws_settings_ranges_accept_their_edges),
		cmocka_unit_test(test_ws_settings_ranges_refuse_one_past_each_edge),
		cmocka_unit_test(test_ws_settings_message_names_file_line_key_and_range),
		cmocka_unit_test(test_ws_settings_refuses_values_that_are_not_whole_numbers),
		cmocka_unit_test(test_ws_settings_refuses_bad_words),
		cmocka_unit_test(test_ws_settings_accepts_each_allowed_word),
		cmocka_unit_test(test_ws_settings_refuses_unknown_group),
		cmocka_unit_test(test_ws_settings_refuses_unknown_key),
		cmocka_unit_test(test_ws_settings_refuses_key_given_twice),
		cmocka_unit_test(test_ws_settings_refuses_malformed_lines),
		cmocka_unit_test(test_ws_settings_refuses_bad_text),
		cmocka_unit_test(test_ws_settings_message_does_not_carry_control_characters),
		cmocka_unit_test(test_ws_settings_trailing_blanks_and_crlf_are_ignored),
		cmocka_unit_test(test_ws_settings_refuses_unreadable_and_odd_files),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
