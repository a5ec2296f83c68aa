/*
 * ids.h: the shape of the identifiers sesshu gives names to: user IDs,
 * workstation IDs (a certificate's CN), key-slot owners. Letters, digits,
 * '.', '_' and '-', from 1 to a maximum length: safe in file names, log
 * lines, URLs and SQL text without quoting surprises. No I/O.
 */
#ifndef SESSHU_CORE_IDS_H
#define SESSHU_CORE_IDS_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..len) is 1 to max characters of [A-Za-z0-9._-]. */
bool	core_id_valid(const char *s, size_t len, size_t max);

/* The 1-based position of the first character outside the set, or 0. */
size_t	core_id_bad_char(const char *s, size_t len);

#endif
