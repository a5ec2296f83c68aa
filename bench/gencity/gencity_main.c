/*
 * gencity_main.c: sesshu-gencity, the deterministic synthetic city generator.
 *
 *	sesshu-gencity --residents N --seed S --out DIR [--today YYYY-MM-DD]
 *	    [--municipality 990001] [--wordlists DIR]
 *
 * Writes DIR/residents.csv and DIR/records.csv in the import layouts (and
 * DIR/manifest.txt saying how they were made), then one summary line on
 * standard output. The same arguments and word lists give the same bytes:
 * that is why --today defaults to a fixed day (2026-04-01) rather than the
 * clock. Households are generated and written one at a time, so memory
 * does not grow with N.
 *
 * Synthetic data only (DOMAIN.md C11): every name comes from the word lists
 * in assets/wordlists, which are invented or common generic words.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/err.h"
#include "gc_city.h"
#include "gc_csv.h"
#include "gc_date.h"
#include "gc_vacc.h"
#include "gc_words.h"
#include "version.h"

#ifndef GC_WORDLISTS_DIR
#define GC_WORDLISTS_DIR "assets/wordlists"
#endif

#define DEFAULT_TODAY		"2026-04-01"
#define DEFAULT_MUNICIPALITY	"990001"
#define MAX_RESIDENTS		50000000ULL

static void
usage(FILE *out)
{
	fputs("usage: sesshu-gencity --residents N --seed S --out DIR\n"
	    "           [--today YYYY-MM-DD] [--municipality CODE] "
	    "[--wordlists DIR]\n"
	    "       sesshu-gencity --help | --version\n"
	    "\n"
	    "Writes a synthetic city to DIR/residents.csv and "
	    "DIR/records.csv.\n"
	    "  --residents N       residents to generate (1-50000000)\n"
	    "  --seed S            any number (decimal or 0x hex); "
	    "same seed, same city\n"
	    "  --today DATE        the day the city is seen on (default "
	    DEFAULT_TODAY ", fixed\n"
	    "                      so that output does not depend on "
	    "the clock)\n"
	    "  --municipality CODE 6-digit 地方公共団体コード with its "
	    "check digit\n"
	    "                      (default " DEFAULT_MUNICIPALITY
	    ", fictional)\n"
	    "  --wordlists DIR     word lists (default " GC_WORDLISTS_DIR ")\n",
	    out);
}

static int
parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (*s == '\0' || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0' || v > max)
		return -1;
	*out = v;
	return 0;
}

/* 地方公共団体コード: five digits and a check digit, 11 minus the weighted
 * sum (6, 5, 4, 3, 2) modulo 11, last digit. */
static int
municipality_ok(const char *s)
{
	int sum = 0;

	if (strlen(s) != 6)
		return 0;
	for (int i = 0; i < 6; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	for (int i = 0; i < 5; i++)
		sum += (s[i] - '0') * (6 - i);
	return s[5] - '0' == (11 - sum % 11) % 10;
}

/* mkdir -p */
static int
make_dir(const char *path, struct sesshu_err *err)
{
	char buf[4096];
	size_t len = strlen(path);

	if (len == 0 || len >= sizeof(buf))
		return sesshu_err_set(err, SESSHU_EINVAL,
		    "bad output directory name");
	memcpy(buf, path, len + 1);
	for (size_t i = 1; i <= len; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0777) != 0 && errno != EEXIST)
			return sesshu_err_set(err, SESSHU_EIO,
			    "cannot create directory %s: %s", buf,
			    strerror(errno));
		buf[i] = path[i];
	}
	return 0;
}

static int
write_manifest(const char *dir, const char *municipality, uint64_t seed,
    const char *today, uint64_t residents, uint64_t records,
    struct sesshu_err *err)
{
	char path[4096];
	FILE *fp;
	int bad;

	snprintf(path, sizeof(path), "%s/manifest.txt", dir);
	if ((fp = fopen(path, "w")) == NULL)
		return sesshu_err_set(err, SESSHU_EIO, "cannot create %s: %s",
		    path, strerror(errno));
	fprintf(fp, "generator=sesshu-gencity %s\n"
	    "municipality=%s\n"
	    "seed=%" PRIu64 "\n"
	    "today=%s\n"
	    "residents=%" PRIu64 "\n"
	    "records=%" PRIu64 "\n",
	    SESSHU_VERSION, municipality, seed, today, residents, records);
	bad = ferror(fp);
	if (fclose(fp) != 0 || bad)
		return sesshu_err_set(err, SESSHU_EIO, "cannot write %s", path);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "residents",		required_argument,	NULL, 'n' },
		{ "seed",		required_argument,	NULL, 's' },
		{ "out",		required_argument,	NULL, 'o' },
		{ "today",		required_argument,	NULL, 't' },
		{ "municipality",	required_argument,	NULL, 'm' },
		{ "wordlists",		required_argument,	NULL, 'w' },
		{ "help",		no_argument,		NULL, 'h' },
		{ "version",		no_argument,		NULL, 'V' },
		{ NULL,			0,			NULL, 0 },
	};
	struct sesshu_err err = { 0 };
	struct gc_words words;
	struct gc_city city;
	struct gc_vacc vacc;
	struct gc_household house;
	struct gc_csv residents_csv, records_csv;
	struct timespec t0, t1;
	const char *out = NULL, *today_s = DEFAULT_TODAY;
	const char *municipality = DEFAULT_MUNICIPALITY;
	const char *wordlists = GC_WORDLISTS_DIR;
	uint64_t n = 0, seed = 0, written = 0, records = 0, index = 0;
	int32_t today;
	int ch, have_n = 0, have_seed = 0;
	char path[4096];

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			if (parse_u64(optarg, MAX_RESIDENTS, &n) != 0 ||
			    n == 0) {
				fprintf(stderr, "sesshu-gencity: --residents: "
				    "expected 1 to %llu, got \"%s\"\n",
				    MAX_RESIDENTS, optarg);
				return 2;
			}
			have_n = 1;
			break;
		case 's':
			if (parse_u64(optarg, UINT64_MAX, &seed) != 0) {
				fprintf(stderr, "sesshu-gencity: --seed: "
				    "expected an unsigned 64-bit number, "
				    "got \"%s\"\n",
				    optarg);
				return 2;
			}
			have_seed = 1;
			break;
		case 'o':
			out = optarg;
			break;
		case 't':
			today_s = optarg;
			break;
		case 'm':
			municipality = optarg;
			break;
		case 'w':
			wordlists = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("sesshu-gencity %s\n", SESSHU_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc || !have_n || !have_seed || out == NULL) {
		usage(stderr);
		return 2;
	}
	if (gc_date_parse(today_s, &today) != 0) {
		fprintf(stderr, "sesshu-gencity: --today: expected a date "
		    "YYYY-MM-DD, got \"%s\"\n", today_s);
		return 2;
	}
	if (!municipality_ok(municipality)) {
		fprintf(stderr, "sesshu-gencity: --municipality: \"%s\" "
		    "is not a 6-digit 地方公共団体コード with a valid "
		    "check digit\n", municipality);
		return 2;
	}

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (gc_words_load(&words, wordlists, &err) != 0) {
		fprintf(stderr, "sesshu-gencity: %s\n", err.msg);
		return 1;
	}
	if (gc_vacc_init(&vacc, &words, today, &err) != 0 ||
	    make_dir(out, &err) != 0) {
		fprintf(stderr, "sesshu-gencity: %s\n", err.msg);
		gc_vacc_free(&vacc);	/* safe after a failed init too */
		gc_words_free(&words);
		return 1;
	}
	gc_city_init(&city, &words, seed, today);

	snprintf(path, sizeof(path), "%s/residents.csv", out);
	if (gc_csv_open(&residents_csv, path, &err) != 0)
		goto fail;
	snprintf(path, sizeof(path), "%s/records.csv", out);
	if (gc_csv_open(&records_csv, path, &err) != 0) {
		gc_csv_abort(&residents_csv);
		goto fail;
	}
	gc_city_write_header(&residents_csv);
	gc_vacc_write_header(&records_csv);

	while (written < n) {
		size_t k;

		gc_city_household(&city, index++, &house);
		k = house.n;
		if (k > n - written)
			k = (size_t)(n - written);
		gc_city_write(&residents_csv, &house, k);
		for (size_t i = 0; i < k; i++)
			records += gc_vacc_write(&vacc, &records_csv, seed,
			    &house.m[i]);
		written += k;
	}

	if (gc_csv_close(&residents_csv, &err) != 0) {
		gc_csv_abort(&records_csv);
		goto fail;
	}
	if (gc_csv_close(&records_csv, &err) != 0 ||
	    write_manifest(out, municipality, seed, today_s, written, records,
	    &err) != 0)
		goto fail;
	clock_gettime(CLOCK_MONOTONIC, &t1);

	printf("sesshu-gencity: %" PRIu64 " residents, %" PRIu64 " records "
	    "in %.1f s (municipality %s, seed %" PRIu64 ", today %s) -> %s\n",
	    written, records, (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, municipality, seed,
	    today_s, out);
	gc_vacc_free(&vacc);
	gc_words_free(&words);
	return 0;
fail:
	fprintf(stderr, "sesshu-gencity: %s\n", err.msg);
	gc_vacc_free(&vacc);
	gc_words_free(&words);
	return 1;
}
