/* testutil.c: see testutil.h. */
#define _GNU_SOURCE	/* asprintf, memmem */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <glib.h>
#include <glib-unix.h>

char *
tu_mkdtemp(const char *tag)
{
	const char *base = getenv("TMPDIR");
	char *path;

	if (base == NULL || base[0] == '\0')
		base = "/tmp";
	if (asprintf(&path, "%s/sesshu-%s-XXXXXX", base, tag) < 0)
		abort();
	if (mkdtemp(path) == NULL)
		abort();
	return path;
}

void
tu_rm_rf(const char *path)
{
	struct dirent *de;
	struct stat sb;
	char child[4096];
	DIR *d;

	if (lstat(path, &sb) != 0)
		return;
	if (S_ISDIR(sb.st_mode) && (d = opendir(path)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			snprintf(child, sizeof(child), "%s/%s", path, de->d_name);
			tu_rm_rf(child);
		}
		closedir(d);
		rmdir(path);
	} else
		unlink(path);
}

unsigned char *
tu_read_file(const char *path, size_t *len)
{
	unsigned char *buf;
	struct stat sb;
	ssize_t n;
	size_t off = 0;
	int fd;

	*len = 0;
	if ((fd = open(path, O_RDONLY)) < 0)
		return NULL;
	if (fstat(fd, &sb) != 0 || (buf = malloc((size_t)sb.st_size + 1)) == NULL) {
		close(fd);
		return NULL;
	}
	while (off < (size_t)sb.st_size &&
	    (n = read(fd, buf + off, (size_t)sb.st_size - off)) > 0)
		off += (size_t)n;
	close(fd);
	*len = off;
	return buf;
}

int
tu_write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, data, len);
	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

int
tu_file_contains(const char *path, const void *needle, size_t len)
{
	unsigned char *buf;
	size_t n;
	int found;

	if ((buf = tu_read_file(path, &n)) == NULL)
		return 0;
	found = n >= len && memmem(buf, n, needle, len) != NULL;
	free(buf);
	return found;
}

int
tu_dir_contains(const char *dir, const void *needle, size_t len, char *hit,
    size_t hitlen)
{
	struct dirent *de;
	struct stat sb;
	char child[4096];
	int count = 0;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(child, sizeof(child), "%s/%s", dir, de->d_name);
		if (lstat(child, &sb) != 0)
			continue;
		if (S_ISDIR(sb.st_mode))
			count += tu_dir_contains(child, needle, len, hit, hitlen);
		else if (S_ISREG(sb.st_mode) && tu_file_contains(child, needle, len)) {
			if (count == 0 && hit != NULL)
				snprintf(hit, hitlen, "%s", child);
			count++;
		}
	}
	closedir(d);
	return count;
}

void
tu_key(struct secbuf *key, unsigned char seed)
{
	if (secbuf_alloc(key, 32, NULL) != 0)
		abort();
	for (size_t i = 0; i < key->len; i++)
		key->data[i] = (unsigned char)(seed + i);
}

const char *
tu_path(const char *dir, const char *name)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	return buf;
}

static gboolean
tu_set_flag(gpointer data)
{
	*(int *)data = 1;
	return G_SOURCE_REMOVE;
}

static gboolean
tu_fd_ready(gint fd, GIOCondition cond, gpointer data)
{
	(void)fd;
	(void)cond;
	*(int *)data = 1;
	return G_SOURCE_REMOVE;
}

void
tu_vdev_send(const char *path, const char *fmt, ...)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char cmd[256], c;
	int fd, taken = 0, late = 0;
	guint watch, timer;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		fail_msg("socket: %s", strerror(errno));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
		fail_msg("connect %s: %s (is the reader open?)", path,
		    strerror(errno));
	/* One write: the driver takes whatever one read returns. */
	if (write(fd, cmd, strlen(cmd)) != (ssize_t)strlen(cmd))
		fail_msg("write to %s: %s", path, strerror(errno));
	/* The driver runs in this process's main context: iterate it. */
	watch = g_unix_fd_add(fd, G_IO_IN | G_IO_HUP | G_IO_ERR, tu_fd_ready,
	    &taken);
	timer = g_timeout_add(10000, tu_set_flag, &late);
	while (!taken && !late)
		g_main_context_iteration(NULL, TRUE);
	if (!taken) {
		g_source_remove(watch);
		fail_msg("the virtual reader did not take \"%s\" in 10 s", cmd);
	}
	g_source_remove(timer);
	/* It answers nothing to these commands: end of file. */
	if (read(fd, &c, 1) != 0)
		fail_msg("the virtual reader answered \"%s\"", cmd);
	close(fd);
}
