/*
 * smoke_main.c: runs a libFuzzer target (LLVMFuzzerTestOneInput) without
 * libFuzzer, for ctest's fuzz-smoke label (ARCHITECTURE §7): each seed
 * file named on the command line, a few built-in seeds, and a fixed number
 * of mutations of each (bit flips, byte changes, cuts, insertions, splices
 * of two seeds) from a fixed xorshift state, so that every run feeds the
 * same inputs and stays short. It finds crashes, sanitizer reports (in the
 * ASan build) and the targets' own abort() on a broken promise; coverage-
 * guided fuzzing stays libFuzzer's (see each target's Build line).
 *
 * Usage: fuzz_X [-n MUTATIONS] [SEED_FILE...]
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SEEDS_MAX	32
#define INPUT_MAX	(256 * 1024)

static const char *const builtin[] = {
	"", "{}", "[]", "null", "2024-04-01", "R6.4.1", "令和元年5月1日",
	"\xff\xfe", "a,b,c\r\n\"d\"\"e\",f\n",
};

struct seed {
	uint8_t	*data;
	size_t	 size;
};

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int
load(const char *path, struct seed *s)
{
	FILE *fp = fopen(path, "rb");

	if (fp == NULL || (s->data = malloc(INPUT_MAX)) == NULL) {
		fprintf(stderr, "%s: cannot read\n", path);
		if (fp != NULL)
			fclose(fp);
		return -1;
	}
	s->size = fread(s->data, 1, INPUT_MAX, fp);
	fclose(fp);
	return 0;
}

/* One mutation of a into buf (INPUT_MAX bytes); b is another seed. */
static size_t
mutate(const struct seed *a, const struct seed *b, uint8_t *buf)
{
	size_t n = a->size, k, at;

	memcpy(buf, a->data, n);
	for (int rounds = 1 + (int)(next() % 4); rounds > 0; rounds--) {
		at = n > 0 ? (size_t)(next() % n) : 0;
		switch (next() % 6) {
		case 0:		/* flip a bit */
			if (n > 0)
				buf[at] ^= (uint8_t)(1u << (next() % 8));
			break;
		case 1:		/* any byte */
			if (n > 0)
				buf[at] = (uint8_t)next();
			break;
		case 2:		/* cut the end */
			n = at;
			break;
		case 3:		/* insert a few bytes */
			k = 1 + (size_t)(next() % 8);
			if (n + k <= INPUT_MAX) {
				memmove(buf + at + k, buf + at, n - at);
				for (size_t i = 0; i < k; i++)
					buf[at + i] = (uint8_t)next();
				n += k;
			}
			break;
		case 4:		/* delete a few bytes */
			k = (size_t)(next() % 8);
			if (at + k <= n) {
				memmove(buf + at, buf + at + k, n - at - k);
				n -= k;
			}
			break;
		default:	/* splice in the other seed's tail */
			if (b->size > 0) {
				size_t from = (size_t)(next() % b->size);

				k = b->size - from;
				if (at + k > INPUT_MAX)
					k = INPUT_MAX - at;
				memcpy(buf + at, b->data + from, k);
				n = at + k;
			}
			break;
		}
	}
	return n;
}

int
main(int argc, char **argv)
{
	struct seed seeds[SEEDS_MAX];
	size_t nseeds = 0;
	long mutations = 2000, runs = 0;
	uint8_t *buf;
	int i = 1;

	if (argc > 2 && strcmp(argv[1], "-n") == 0) {
		mutations = atol(argv[2]);
		i = 3;
	}
	for (size_t b = 0; b < sizeof(builtin) / sizeof(builtin[0]); b++) {
		seeds[nseeds].size = strlen(builtin[b]);
		seeds[nseeds].data = (uint8_t *)builtin[b];
		nseeds++;
	}
	for (; i < argc && nseeds < SEEDS_MAX; i++)
		if (load(argv[i], &seeds[nseeds++]) != 0)
			return 2;
	if ((buf = malloc(INPUT_MAX)) == NULL)
		return 2;
	for (size_t s = 0; s < nseeds; s++) {
		/* A copy: the target may not keep or change its input. */
		memcpy(buf, seeds[s].data, seeds[s].size);
		LLVMFuzzerTestOneInput(buf, seeds[s].size);
		runs++;
	}
	for (long m = 0; m < mutations; m++) {
		const struct seed *a = &seeds[next() % nseeds];
		const struct seed *b = &seeds[next() % nseeds];
		size_t n = mutate(a, b, buf);

		LLVMFuzzerTestOneInput(buf, n);
		runs++;
	}
	printf("%ld inputs, no failure\n", runs);
	free(buf);
	for (size_t s = sizeof(builtin) / sizeof(builtin[0]); s < nseeds; s++)
		free(seeds[s].data);
	return 0;
}
