/*
 * i18n.c: choosing the language and binding the catalogs; see i18n.h.
 *
 * gettext picks a catalog from $LANGUAGE, but ignores $LANGUAGE altogether
 * when LC_MESSAGES is the C locale (and glibc treats C.UTF-8 the same), so
 * that a program in the C locale always speaks its msgids. sesshu speaks
 * Japanese by default even there: it then moves LC_MESSAGES alone to a
 * real locale of the chosen language (or any UTF-8 one installed). Only
 * the messages' language changes; dates, numbers and character classes
 * keep the user's locale.
 */
#include "tui/i18n.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef SESSHU_INSTALL_LOCALEDIR
#define SESSHU_INSTALL_LOCALEDIR	"/usr/local/share/locale"
#endif

static const char *language = "ja";

const char *
tui_i18n_language(void)
{
	return language;
}

const char *
tui_i18n_choose(const char *setting, const char *locale)
{
	if (setting != NULL && setting[0] != '\0')
		return strcmp(setting, "en") == 0 ? "en" : "ja";
	if (locale != NULL && strncmp(locale, "en", 2) == 0 &&
	    strchr("_.@", locale[2] != '\0' ? locale[2] : '_') != NULL)
		return "en";
	return "ja";
}

static const char *
localedir(void)
{
	const char *env = getenv("SESSHU_LOCALEDIR");

	if (env != NULL && env[0] != '\0')
		return env;
#ifdef SESSHU_BUILD_LOCALEDIR
	/* A program run from its build tree uses the catalogs built with it. */
	if (access(SESSHU_BUILD_LOCALEDIR "/ja/LC_MESSAGES/" TUI_TEXT_DOMAIN ".mo",
	    R_OK) == 0)
		return SESSHU_BUILD_LOCALEDIR;
#endif
	return SESSHU_INSTALL_LOCALEDIR;
}

static int
is_c_locale(const char *name)
{
	return name == NULL || strcmp(name, "C") == 0 ||
	    strcmp(name, "POSIX") == 0 || strncmp(name, "C.", 2) == 0;
}

const char *
tui_i18n_init(const char *setting)
{
	/* Any of these will do: $LANGUAGE, not the locale, picks the catalog. */
	static const char *const names[] = { "ja_JP.UTF-8", "ja_JP.utf8",
	    "en_US.UTF-8", "en_US.utf8", "en_GB.UTF-8", "en_GB.utf8", NULL };
	const char *lang;

	lang = tui_i18n_choose(setting, setlocale(LC_MESSAGES, NULL));
	/* In the C locale the msgids, being English, need no catalog. */
	if (strcmp(lang, "en") != 0 && is_c_locale(setlocale(LC_MESSAGES, NULL)))
		for (const char *const *n = names; *n != NULL; n++)
			if (setlocale(LC_MESSAGES, *n) != NULL)
				break;
	language = lang;
	setenv("LANGUAGE", lang, 1);
	bindtextdomain(TUI_TEXT_DOMAIN, localedir());
	bind_textdomain_codeset(TUI_TEXT_DOMAIN, "UTF-8");
	textdomain(TUI_TEXT_DOMAIN);
	return lang;
}
