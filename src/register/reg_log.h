/*
 * reg_log.h: the register's log, one line per event on stderr (or a file
 * given at start), each stamped with the UTC time in ISO 8601.
 *
 * By contract a log line carries no personal data and no secret: callers
 * pass workstation IDs, addresses, paths, statuses and reasons, never a
 * body or a field of one. As a second line of defence every control
 * character in a line is replaced, so a value cannot forge a line.
 * Safe to call from several threads; a line is written with one call.
 */
#ifndef SESSHU_REGISTER_REG_LOG_H
#define SESSHU_REGISTER_REG_LOG_H

#include <stdio.h>

enum reg_log_level {
	REG_LOG_DEBUG,
	REG_LOG_INFO,
	REG_LOG_WARN,
	REG_LOG_ERR,
};

/* Lines below min are dropped (default REG_LOG_INFO). */
void	reg_log_set_level(enum reg_log_level min);

/* Where lines go (borrowed; NULL: back to stderr). */
void	reg_log_set_file(FILE *f);

/* "2026-11-21T09:00:00.123Z warn <message>\n". */
void	reg_log(enum reg_log_level level, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
