/* ids.c: see ids.h. */
#include "core/ids.h"

static bool
id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

size_t
core_id_bad_char(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!id_char(s[i]))
			return i + 1;
	return 0;
}

bool
core_id_valid(const char *s, size_t len, size_t max)
{
	return len > 0 && len <= max && core_id_bad_char(s, len) == 0;
}
