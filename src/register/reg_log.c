/*
 * reg_log.c: the register's log; see reg_log.h.
 *
 * Never logs a body: it only formats what its callers pass, and they pass
 * no personal data. Writes each line with one fputs under the stream's
 * lock, so lines from several threads do not interleave.
 */
#include "register/reg_log.h"

#include <stdarg.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

/* Longer lines are cut; a log line is never where a whole message goes. */
#define LINE_MAX_BYTES	1024

static enum reg_log_level	 log_min = REG_LOG_INFO;
static FILE			*log_file;

static const char *const level_names[] = {
	[REG_LOG_DEBUG] = "debug",
	[REG_LOG_INFO] = "info",
	[REG_LOG_WARN] = "warn",
	[REG_LOG_ERR] = "error",
};

void
reg_log_set_level(enum reg_log_level min)
{
	log_min = min;
}

void
reg_log_set_file(FILE *f)
{
	log_file = f;
}

void
reg_log(enum reg_log_level level, const char *fmt, ...)
{
	char line[LINE_MAX_BYTES], stamp[32];
	struct timeval tv;
	struct tm tm;
	va_list ap;
	size_t off, i;
	FILE *out;

	if (level < log_min || level > REG_LOG_ERR)
		return;
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	if (strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		stamp[0] = '\0';
	snprintf(line, sizeof(line), "%s.%03ldZ %s ", stamp,
	    (long)(tv.tv_usec / 1000), level_names[level]);
	off = strlen(line);

	va_start(ap, fmt);
	vsnprintf(line + off, sizeof(line) - off, fmt, ap);
	va_end(ap);

	/* One event, one line: no value may start a line of its own. */
	for (i = off; line[i] != '\0'; i++)
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			line[i] = '?';
	off = strlen(line);
	if (off + 1 < sizeof(line)) {
		line[off] = '\n';
		line[off + 1] = '\0';
	} else
		line[sizeof(line) - 2] = '\n';

	out = log_file != NULL ? log_file : stderr;
	fputs(line, out);
	fflush(out);
}
