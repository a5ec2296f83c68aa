/*
 * gc_rng.h: sesshu-gencity's own pseudo-random numbers.
 *
 * xoshiro256** seeded through splitmix64 (Blackman and Vigna). Not rand():
 * a city must come out the same for a seed on every libc and every run.
 * Each household and each person draws from its own stream, derived from
 * the seed and a stream number, so that the city of N residents is a prefix
 * of the city of 2N and a change in one draw does not reshuffle the rest.
 *
 * Never for anything secret. Inline because every generated field draws.
 */
#ifndef SESSHU_GC_RNG_H
#define SESSHU_GC_RNG_H

#include <stdint.h>

struct gc_rng {
	uint64_t	s[4];
};

/* splitmix64's finaliser: a stable 64-bit hash of a value. */
static inline uint64_t
gc_hash64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* A hash of two values, for things derived rather than drawn (lot numbers). */
static inline uint64_t
gc_hash2(uint64_t a, uint64_t b)
{
	return gc_hash64(gc_hash64(a) ^ (b * 0xd6e8feb86659fd93ULL));
}

static inline void
gc_rng_seed(struct gc_rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = gc_hash2(seed, stream);

	for (int i = 0; i < 4; i++) {
		x += 0x9e3779b97f4a7c15ULL;
		r->s[i] = gc_hash64(x);
	}
}

static inline uint64_t
gc_rng_next(struct gc_rng *r)
{
	uint64_t *s = r->s;
	uint64_t x = s[1] * 5, result = ((x << 7) | (x >> 57)) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = (s[3] << 45) | (s[3] >> 19);
	return result;
}

/* Uniform in [0, n), n > 0; Lemire's multiply-and-reject, so unbiased. */
static inline uint32_t
gc_rng_below(struct gc_rng *r, uint32_t n)
{
	uint64_t m = (gc_rng_next(r) >> 32) * (uint64_t)n;
	uint32_t low = (uint32_t)m;

	if (low < n) {
		uint32_t floor = (uint32_t)(-n) % n;

		while (low < floor) {
			m = (gc_rng_next(r) >> 32) * (uint64_t)n;
			low = (uint32_t)m;
		}
	}
	return (uint32_t)(m >> 32);
}

/* Uniform in [lo, hi]; lo <= hi. */
static inline int
gc_rng_range(struct gc_rng *r, int lo, int hi)
{
	return lo + (int)gc_rng_below(r, (uint32_t)(hi - lo) + 1);
}

/* Uniform in [0, 1). */
static inline double
gc_rng_unit(struct gc_rng *r)
{
	return (double)(gc_rng_next(r) >> 11) * 0x1.0p-53;
}

/* True with probability p. */
static inline int
gc_rng_chance(struct gc_rng *r, double p)
{
	return gc_rng_unit(r) < p;
}

#endif
