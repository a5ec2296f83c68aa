/*
 * i18n.h: the interface's languages (gettext, text domain "sesshu"):
 * Japanese by default, English when the locale is English or the settings
 * say so ([display] language, docs/CONFIG.md).
 *
 * msgids are English; i18n/ja.po and i18n/en.po are compiled by CMake into
 * the build tree's locale/ directory and installed under the prefix. The
 * catalogs are looked for in $SESSHU_LOCALEDIR when set, else the build
 * tree when it holds them, else the install prefix. Owns no state beyond
 * gettext's own; never translates data (names, codes), only msgids.
 */
#ifndef SESSHU_TUI_I18N_H
#define SESSHU_TUI_I18N_H

#include <libintl.h>

#define TUI_TEXT_DOMAIN	"sesshu"

#define _(msgid)	gettext(msgid)
#define N_(msgid)	(msgid)		/* marks a msgid translated later */

/*
 * Chooses the language from setting ("ja", "en", or "" to follow the
 * locale's LC_MESSAGES: English when it is English, Japanese otherwise),
 * binds the text domain and returns the language chosen ("ja" or "en").
 * Call once, after setlocale() and before the first _().
 */
const char *tui_i18n_init(const char *setting);

/* The language chosen by tui_i18n_init(): "ja" (also before it) or "en". */
const char *tui_i18n_language(void);

/* The language a setting and a locale name choose, without side effects. */
const char *tui_i18n_choose(const char *setting, const char *locale);

#endif
