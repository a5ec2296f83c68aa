/* testutil.c: see testutil.h. */
#define _GNU_SOURCE	/* asprintf, memmem */
#include "testutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
