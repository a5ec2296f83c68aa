/*
 * gc_city.c: households and residents of the synthetic city; see gc_city.h.
 *
 * A household is drawn by type (one person, couple, couple with minor or
 * grown-up children, one parent with children, three generations,
 * siblings, unrelated), and each member's age is drawn from the national
 * pyramid restricted to what the type allows (a mother is 19 to 44 years
 * older than her children). The mix of types is tuned so that the city's
 * pyramid comes out close to Japan's: about 0.6% of residents in each
 * year of age under 5, the bulges of 45-55 and 70-77 year-olds, about 30%
 * aged 65 or over, 2.2 persons a household.
 */
#include "gc_city.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gc_date.h"
#include "gc_rng.h"

/*
 * Residents by single year of age 0..100 (thousands), a smoothed picture
 * of Japan's population estimates of the early 2020s.
 */
static const int pyramid[101] = {
	 800,  820,  840,  860,  880,  890,  910,  950,  990, 1000,	/*  0 */
	1010, 1030, 1040, 1050, 1060, 1070, 1070, 1080, 1100, 1130,	/* 10 */
	1170, 1190, 1210, 1230, 1240, 1250, 1250, 1250, 1260, 1260,	/* 20 */
	1270, 1290, 1310, 1340, 1360, 1400, 1430, 1450, 1480, 1520,	/* 30 */
	1560, 1600, 1640, 1700, 1760, 1830, 1900, 1980, 2030, 2010,	/* 40 */
	1950, 1900, 1850, 1800, 1740, 1650, 1600, 1580, 1540, 1500,	/* 50 */
	1480, 1460, 1460, 1470, 1480, 1500, 1530, 1560, 1600, 1680,	/* 60 */
	1800, 1950, 2000, 2000, 1950, 1800, 1450, 1350, 1400, 1420,	/* 70 */
	1350, 1300, 1220, 1150, 1080, 1000,  900,  820,  740,  650,	/* 80 */
	 560,  470,  390,  310,  240,  180,  130,   90,   60,   40,	/* 90 */
	  30,							/* 100 */
};

/* Age profiles: the pyramid reweighted for who heads which household. */
enum {
	PROF_BASE,		/* anybody: children, grown-up children */
	PROF_SINGLE,		/* living alone: the young and the widowed */
	PROF_COUPLE,		/* a couple without children at home */
	PROF_PARENT,		/* a parent of children at home */
	PROF_ELDER,		/* an old parent living with a grown-up child */
	PROF_FOREIGN,		/* foreign residents: mostly young workers */
	PROF_COUNT
};
_Static_assert(PROF_COUNT <= GC_CITY_PROFILES, "raise GC_CITY_PROFILES");

static double
profile_factor(int prof, int age)
{
	switch (prof) {
	case PROF_SINGLE:
		if (age < 30)
			return 1.5;
		if (age < 40)
			return 1.3;
		if (age < 60)
			return 0.6;
		if (age < 65)
			return 0.9;
		if (age < 75)
			return 1.1;
		return 2.1;
	case PROF_COUPLE:
		if (age < 55)
			return 0.3;
		if (age < 65)
			return 0.9;
		if (age < 85)
			return 1.6;
		return 1.0;
	case PROF_PARENT:
		if (age < 30)
			return 0.4;
		if (age < 40)
			return 0.9;
		if (age < 55)
			return 1.4;
		return 0.9;
	case PROF_FOREIGN:
		if (age < 20 || age > 60)
			return 0.3;
		if (age < 35)
			return 3.0;
		return 1.0;
	default:
		return 1.0;
	}
}

void
gc_city_init(struct gc_city *c, const struct gc_words *w, uint64_t seed,
    int32_t today)
{
	memset(c, 0, sizeof(*c));
	c->w = w;
	c->seed = seed;
	c->today = today;
	for (int p = 0; p < PROF_COUNT; p++) {
		c->age_cum[p][0] = 0;
		for (int a = 0; a <= 100; a++)
			c->age_cum[p][a + 1] = c->age_cum[p][a] +
			    pyramid[a] * profile_factor(p, a);
	}
	/* A town with more 丁目 has more people; one without is rural. */
	c->town_cum[0] = 0;
	for (size_t t = 0; t < w->towns.n; t++)
		c->town_cum[t + 1] = c->town_cum[t] + 1 +
		    2 * (gc_cell(&w->towns, t, GC_TOWN_CHOME)[0] - '0');
}

/* An age in [lo, hi] (clamped to 0..100) drawn from a profile. */
static int
draw_age(struct gc_city *c, struct gc_rng *r, int prof, int lo, int hi)
{
	const double *cum = c->age_cum[prof];
	double u;
	int a, b;

	if (lo < 0)
		lo = 0;
	if (hi > 100)
		hi = 100;
	if (hi < lo)
		hi = lo;
	u = cum[lo] + gc_rng_unit(r) * (cum[hi + 1] - cum[lo]);
	/* The first age whose cumulative weight passes u. */
	a = lo;
	b = hi;
	while (a < b) {
		int mid = (a + b) / 2;

		if (cum[mid + 1] > u)
			b = mid;
		else
			a = mid + 1;
	}
	return a;
}

static int
clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* ---- Writing Japanese text ---------------------------------------- */

struct sbuf {
	char	*p;
	size_t	 len, cap;
};

static void
sb_add(struct sbuf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->len + n >= b->cap)
		n = b->cap - b->len - 1;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* A number in full-width digits, as addresses are written in the register. */
static void
sb_wide(struct sbuf *b, int v)
{
	static const char *const fw[10] = {
		"０", "１", "２", "３", "４", "５", "６", "７", "８", "９",
	};
	char tmp[16];

	snprintf(tmp, sizeof(tmp), "%d", v);
	for (char *t = tmp; *t != '\0'; t++)
		sb_add(b, fw[*t - '0']);
}

static const char *const kanji_digit[10] = {
	"", "一", "二", "三", "四", "五", "六", "七", "八", "九",
};

/* "本町三丁目１２番５号" or, in a town without 丁目, "大原１２３番地４". */
static void
sb_street(struct sbuf *b, const char *town, int chome, int ban, int go)
{
	sb_add(b, town);
	if (chome > 0) {
		sb_add(b, kanji_digit[chome]);
		sb_add(b, "丁目");
		sb_wide(b, ban);
		sb_add(b, "番");
		sb_wide(b, go);
		sb_add(b, "号");
	} else {
		sb_wide(b, ban);
		sb_add(b, "番地");
		if (go > 0)
			sb_wide(b, go);
	}
}

/* A street in a town of our own list, numbers drawn from r. */
static void
sb_random_street(struct sbuf *b, const struct gc_words *w, size_t town,
    struct gc_rng *r)
{
	int chome = gc_cell(&w->towns, town, GC_TOWN_CHOME)[0] - '0';

	if (chome > 0)
		sb_street(b, gc_cell(&w->towns, town, GC_TOWN_NAME),
		    gc_rng_range(r, 1, chome), gc_rng_range(r, 1, 30),
		    gc_rng_range(r, 1, 28));
	else
		sb_street(b, gc_cell(&w->towns, town, GC_TOWN_NAME), 0,
		    gc_rng_range(r, 1, 1800),
		    gc_rng_chance(r, 0.5) ? gc_rng_range(r, 1, 20) : 0);
}

/* An address in another (fictional) municipality. */
static void
other_address(const struct gc_words *w, struct gc_rng *r, char *out)
{
	struct sbuf b = { out, 0, GC_ADDR_MAX };

	out[0] = '\0';
	sb_add(&b, gc_cell(&w->cities,
	    gc_rng_below(r, (uint32_t)w->cities.n), 0));
	/* Other cities have a 本町 and a 緑町 too. */
	sb_random_street(&b, w, gc_rng_below(r, (uint32_t)w->towns.n), r);
}

/* ---- Building a household ----------------------------------------- */

/* What a member is while the household is being put together. */
struct draft {
	int		 age;
	int		 sex;
	const char	*rel;
	int		 own_family;	/* 同居人: a family name of their own */
	int		 married_in;	/* a spouse, maybe moved in to marry */
};

struct build {
	struct gc_city		*c;
	struct gc_rng		*r;
	struct draft		 d[GC_HOUSE_MAX];
	size_t			 n;
};

static struct draft *
add(struct build *b, const char *rel, int sex, int age)
{
	struct draft *d;

	if (b->n == GC_HOUSE_MAX)
		return NULL;
	d = &b->d[b->n++];
	memset(d, 0, sizeof(*d));
	d->rel = rel;
	d->sex = sex;
	d->age = clamp(age, 0, 100);
	return d;
}

static int
sex_of(struct gc_rng *r, double p_male)
{
	return gc_rng_chance(r, p_male) ? 1 : 2;
}

/* A spouse's age: wives are on average two or three years younger. */
static int
spouse_age(struct gc_rng *r, int head_age, int head_sex)
{
	int gap = gc_rng_range(r, 0, 7) + gc_rng_range(r, 0, 5) - 3;

	return clamp(head_sex == 1 ? head_age - gap : head_age + gap, 18, 100);
}

/* Head and, maybe, spouse; returns the mother's age for children (or the
 * head's if there is no woman among them). */
static int
add_couple(struct build *b, int head_age, double p_male_head, int spouse)
{
	int head_sex = sex_of(b->r, p_male_head), mother = head_age;
	struct draft *d;

	add(b, "世帯主", head_sex, head_age);
	if (spouse) {
		int age = spouse_age(b->r, head_age, head_sex);

		d = add(b, head_sex == 1 ? "妻" : "夫", 3 - head_sex, age);
		if (d != NULL)
			d->married_in = 1;
		if (head_sex == 1)
			mother = age;
	}
	return mother;
}

/* Children of a mother aged mother_age, none older than max_age. */
static void
add_children(struct build *b, const char *rel, int mother_age, int count,
    int max_age)
{
	int lo = mother_age - 44, hi = mother_age - 19;

	if (hi > max_age)
		hi = max_age;
	if (hi < 0)
		return;
	for (int i = 0; i < count; i++)
		add(b, rel, sex_of(b->r, 0.512),
		    draw_age(b->c, b->r, PROF_BASE, lo, hi));
}

static int
child_count(struct gc_rng *r)
{
	double u = gc_rng_unit(r);

	return u < 0.45 ? 1 : u < 0.87 ? 2 : u < 0.98 ? 3 : 4;
}

/* Grown-up children (18 or over) of a mother aged mother_age. */
static void
add_adult_children(struct build *b, int mother_age)
{
	double u = gc_rng_unit(b->r);
	int count = u < 0.55 ? 1 : u < 0.95 ? 2 : 3;

	for (int i = 0; i < count; i++)
		add(b, "子", sex_of(b->r, 0.55),
		    draw_age(b->c, b->r, PROF_BASE,
		    clamp(mother_age - 42, 18, 80),
		    clamp(mother_age - 20, 18, 80)));
}

/* A brother or sister of the head, by relative age and sex. */
static const char *
sibling(int head_age, int age, int sex)
{
	if (age > head_age)
		return sex == 1 ? "兄" : "姉";
	return sex == 1 ? "弟" : "妹";
}

/*
 * The mix follows the shape of 国民生活基礎調査 (2022): a third of
 * households are one person, a quarter a couple alone, a quarter a couple
 * with unmarried children (only half of them minors: 18% of households
 * have a child under 18), 7% one parent with children, 4% three
 * generations.
 */
static void
build_japanese(struct build *b)
{
	struct gc_city *c = b->c;
	struct gc_rng *r = b->r;
	double u = gc_rng_unit(r);
	int age, mother;

	if (u < 0.36) {				/* 単独世帯 */
		age = draw_age(c, r, PROF_SINGLE, 18, 100);
		add(b, "世帯主", sex_of(r, age >= 75 ? 0.32 : age < 30 ?
		    0.56 : 0.52), age);
	} else if (u < 0.60) {			/* 夫婦のみ */
		add_couple(b, draw_age(c, r, PROF_COUPLE, 22, 98), 0.92, 1);
	} else if (u < 0.745) {			/* 夫婦と未成年の子 */
		mother = add_couple(b, draw_age(c, r, PROF_PARENT, 24, 60),
		    0.93, 1);
		add_children(b, "子", mother, child_count(r), 17);
	} else if (u < 0.858) {			/* 夫婦と成人した子 */
		mother = add_couple(b, draw_age(c, r, PROF_BASE, 42, 90),
		    0.93, 1);
		add_adult_children(b, mother);
	} else if (u < 0.871) {			/* ひとり親と未成年の子 */
		age = draw_age(c, r, PROF_PARENT, 22, 58);
		mother = add_couple(b, age, 0.12, 0);
		add_children(b, "子", mother,
		    gc_rng_chance(r, 0.6) ? 1 : 2, 17);
	} else if (u < 0.926) {			/* ひとり親と成人した子 */
		age = draw_age(c, r, PROF_ELDER, 45, 100);
		add_couple(b, age, 0.25, 0);
		add(b, "子", sex_of(r, 0.55),
		    draw_age(c, r, PROF_BASE, clamp(age - 42, 18, 80),
		    clamp(age - 20, 18, 80)));
	} else if (u < 0.947) {			/* 三世代: 世帯主の親と同居 */
		age = draw_age(c, r, PROF_PARENT, 30, 58);
		mother = add_couple(b, age, 0.9, gc_rng_chance(r, 0.9));
		add_children(b, "子", mother, child_count(r) - 1 +
		    gc_rng_chance(r, 0.5), 22);
		if (gc_rng_chance(r, 0.85))
			add(b, "母", 2, age + gc_rng_range(r, 22, 38));
		if (gc_rng_chance(r, 0.4))
			add(b, "父", 1, age + gc_rng_range(r, 24, 40));
	} else if (u < 0.964) {			/* 三世代: 子の家族と同居 */
		struct draft *d;
		int son, wife;

		age = draw_age(c, r, PROF_ELDER, 58, 92);
		add_couple(b, age, 0.85, gc_rng_chance(r, 0.7));
		son = clamp(age - gc_rng_range(r, 24, 36), 24, 70);
		add(b, "子", 1, son);
		wife = clamp(son - gc_rng_range(r, -2, 6), 20, 70);
		if ((d = add(b, "子の妻", 2, wife)) != NULL)
			d->married_in = 1;
		add_children(b, "孫", wife, child_count(r), 24);
	} else if (u < 0.985) {			/* 兄弟姉妹 */
		int sib, sex;

		age = draw_age(c, r, PROF_BASE, 40, 95);
		add(b, "世帯主", sex_of(r, 0.5), age);
		sib = clamp(age + gc_rng_range(r, -8, 8), 35, 100);
		sex = sex_of(r, 0.45);
		add(b, sibling(age, sib, sex), sex, sib);
	} else {				/* 非親族を含む世帯 */
		struct draft *d;

		age = draw_age(c, r, PROF_BASE, 20, 75);
		add(b, "世帯主", sex_of(r, 0.5), age);
		if ((d = add(b, "同居人", sex_of(r, 0.5),
		    draw_age(c, r, PROF_BASE, 20, 75))) != NULL)
			d->own_family = 1;
	}
}

static void
build_foreign(struct build *b)
{
	struct gc_city *c = b->c;
	struct gc_rng *r = b->r;
	double u = gc_rng_unit(r);
	int mother;

	if (u < 0.55) {
		add(b, "世帯主", sex_of(r, 0.55),
		    draw_age(c, r, PROF_FOREIGN, 18, 70));
	} else if (u < 0.67) {
		add_couple(b, draw_age(c, r, PROF_FOREIGN, 22, 70), 0.85, 1);
	} else {
		mother = add_couple(b, draw_age(c, r, PROF_FOREIGN, 24, 55),
		    0.85, gc_rng_chance(r, 0.9));
		add_children(b, "子", mother, child_count(r), 20);
	}
}

/* A birth date for a completed age on today. */
static int32_t
birth_for_age(int32_t today, int age, struct gc_rng *r)
{
	int32_t hi = gc_date_add_years(today, -age);
	int32_t lo = gc_date_add_years(today, -(age + 1)) + 1;

	return lo + (int32_t)gc_rng_below(r, (uint32_t)(hi - lo + 1));
}

/* A day uniformly in [lo, hi]; GC_DATE_NONE if the range is empty. */
static int32_t
day_between(struct gc_rng *r, int32_t lo, int32_t hi)
{
	if (hi < lo)
		return GC_DATE_NONE;
	return lo + (int32_t)gc_rng_below(r, (uint32_t)(hi - lo + 1));
}

/* The name a given-name list offers for a birth date and sex. */
static size_t
given_for(const struct gc_words *w, struct gc_rng *r, int sex, int32_t birth)
{
	const struct gc_index *idx = sex == 1 ? w->male_era : w->female_era;
	int y, m, d, era;

	gc_date_ymd(birth, &y, &m, &d);
	era = y < 1961 ? GC_ERA_OLD : y < 1991 ? GC_ERA_MID : GC_ERA_NEW;
	/* Names cross generations now and then. */
	if (gc_rng_chance(r, 0.12))
		era = clamp(era + (gc_rng_chance(r, 0.5) ? 1 : -1), 0,
		    GC_ERA_COUNT - 1);
	return idx[era].v[gc_rng_below(r, (uint32_t)idx[era].n)];
}

static size_t
foreign_given_for(const struct gc_words *w, struct gc_rng *r, int sex,
    const char *region)
{
	const struct gc_list *l = &w->foreign_given;
	char want = sex == 1 ? 'M' : 'F';
	uint32_t k = 0, pick;
	size_t i;

	for (i = 0; i < l->n; i++)
		if (gc_cell(l, i, GC_FGIV_SEX)[0] == want &&
		    strcmp(gc_cell(l, i, GC_FGIV_REGION), region) == 0)
			k++;
	/* gc_words_load guarantees k > 0 for every region. */
	pick = gc_rng_below(r, k);
	for (i = 0; i < l->n; i++)
		if (gc_cell(l, i, GC_FGIV_SEX)[0] == want &&
		    strcmp(gc_cell(l, i, GC_FGIV_REGION), region) == 0 &&
		    pick-- == 0)
			break;
	return i;
}

static void
random_phone(struct gc_rng *r, char *out, size_t size, int mobile)
{
	/*
	 * 0999 is this fictional city's area code; 060 is not issued to
	 * mobile subscribers. Neither should reach a real telephone.
	 */
	if (mobile)
		snprintf(out, size, "060-%04u-%04u", gc_rng_below(r, 10000),
		    gc_rng_below(r, 10000));
	else
		snprintf(out, size, "0999-%02d-%04u", gc_rng_range(r, 20, 89),
		    gc_rng_below(r, 10000));
}

/*
 * Where the household lives: a town and street, or a flat. Buildings come
 * into being as the city grows: the household numbered i lives in building
 * (i + 0..63) / 24, so each building has some eight households in flats,
 * whatever the size of the city, and a building's name and address come
 * from its number alone.
 */
static void
place(struct gc_city *c, struct gc_rng *r, uint64_t index,
    struct gc_household *h, double p_flat)
{
	const struct gc_words *w = c->w;
	struct sbuf addr = { h->address, 0, GC_ADDR_MAX };
	struct sbuf extra = { h->extra, 0, GC_ADDR_MAX };
	size_t ntowns = w->towns.n;

	h->address[0] = h->extra[0] = '\0';
	sb_add(&addr, gc_cell(&w->city, 0, 0));
	if (gc_rng_chance(r, p_flat)) {
		uint64_t building = (index + gc_rng_below(r, 64)) / 24;
		struct gc_rng br;
		size_t bi;
		int floors;

		gc_rng_seed(&br, c->seed, 0x4255494c44000000ULL ^ building);
		bi = gc_rng_below(&br, (uint32_t)w->buildings.n);
		/* gc_words_load checked floors is a number 1-60. */
		floors = atoi(gc_cell(&w->buildings, bi, GC_BLDG_FLOORS));
		h->town = gc_rng_below(&br, (uint32_t)ntowns);
		sb_random_street(&addr, w, h->town, &br);
		sb_add(&extra, gc_cell(&w->buildings, bi, GC_BLDG_NAME));
		sb_add(&extra, "　");
		sb_wide(&extra, gc_rng_range(r, 1, floors) * 100 +
		    gc_rng_range(r, 1, floors > 2 ? 6 : 4));
		sb_add(&extra, "号室");
	} else {
		double u = gc_rng_unit(r) * c->town_cum[ntowns];
		size_t t = 0;

		while (t + 1 < ntowns && c->town_cum[t + 1] <= u)
			t++;
		h->town = t;
		sb_random_street(&addr, w, t, r);
	}
	h->postal = gc_cell(&w->towns, h->town, GC_TOWN_POSTAL);
	h->district = gc_cell(&w->towns, h->town, GC_TOWN_DISTRICT);
}

/* Names: one family name for the household, a given name each. */
static void
name_members(struct gc_city *c, struct gc_rng *r, struct gc_household *h,
    const struct build *b)
{
	const struct gc_words *w = c->w;
	size_t fam = gc_rng_below(r, (uint32_t)w->family.n);
	size_t ffam = 0;
	int alias_kana = 0;

	if (h->foreigner) {
		ffam = gc_rng_below(r, (uint32_t)w->foreign_family.n);
		/* A 通称: a Japanese-style name, or the 本名 in kana. */
		alias_kana = gc_rng_chance(r, 0.4);
	}
	for (size_t i = 0; i < h->n; i++) {
		struct gc_person *p = &h->m[i];
		size_t f = fam, g;

		if (b->d[i].own_family)
			f = gc_rng_below(r, (uint32_t)w->family.n);
		g = given_for(w, r, p->sex, p->birth);
		p->family = gc_cell(&w->family, f, GC_NAME_KANJI);
		p->family_kana = gc_cell(&w->family, f, GC_NAME_KANA);
		p->given = gc_cell(p->sex == 1 ? &w->male : &w->female, g,
		    GC_NAME_KANJI);
		p->given_kana = gc_cell(p->sex == 1 ? &w->male : &w->female, g,
		    GC_NAME_KANA);
		p->latin_family = p->latin_given = NULL;
		if (h->foreigner) {
			const char *region = gc_cell(&w->foreign_family, ffam,
			    GC_FFAM_REGION);
			size_t fg = foreign_given_for(w, r, p->sex, region);

			p->latin_family = gc_cell(&w->foreign_family, ffam,
			    GC_FFAM_LATIN);
			p->latin_given = gc_cell(&w->foreign_given, fg,
			    GC_FGIV_LATIN);
			if (alias_kana) {
				p->family = p->family_kana = gc_cell(
				    &w->foreign_family, ffam, GC_FFAM_KANA);
				p->given = p->given_kana = gc_cell(
				    &w->foreign_given, fg, GC_FGIV_KANA);
			}
		}
	}
}

/*
 * When each member became a resident. Families that moved in did so
 * together (a spouse may have come on marriage); children born after the
 * move have been residents since birth. Foreigners all came from
 * somewhere, most of them from abroad within the last fifteen years.
 */
static void
settle(struct gc_city *c, struct gc_rng *r, struct gc_household *h,
    const struct build *b)
{
	const struct gc_words *w = c->w;
	int32_t today = c->today, move = GC_DATE_NONE, eldest = today;
	char previous[GC_ADDR_MAX];

	for (size_t i = 0; i < h->n; i++)
		if (h->m[i].birth < eldest)
			eldest = h->m[i].birth;
	if (h->foreigner) {
		move = day_between(r, gc_date_add_years(today, -15),
		    today - 30);
		if (gc_rng_chance(r, 0.7)) {
			const char *country = NULL;

			/* The family's country, from its name's row. */
			for (size_t f = 0; f < w->foreign_family.n; f++)
				if (strcmp(gc_cell(&w->foreign_family, f,
				    GC_FFAM_LATIN),
				    h->m[0].latin_family) == 0) {
					country = gc_cell(&w->foreign_family, f,
					    GC_FFAM_COUNTRY);
					break;
				}
			snprintf(previous, sizeof(previous), "%s",
			    country != NULL ? country : "国外");
		} else
			other_address(w, r, previous);
	} else if (gc_rng_chance(r, 0.45)) {
		int32_t lo = gc_date_add_years(eldest, 18);
		int32_t floor = gc_date_add_years(today, -45);

		move = day_between(r, lo > floor ? lo : floor, today - 30);
		if (move != GC_DATE_NONE)
			other_address(w, r, previous);
	}
	for (size_t i = 0; i < h->n; i++) {
		struct gc_person *p = &h->m[i];

		p->status = GC_RESIDENT;
		p->until = GC_DATE_NONE;
		p->previous[0] = p->moved_to[0] = '\0';
		p->moved_in = 0;
		p->since = p->birth;
		if (move != GC_DATE_NONE && p->birth < move) {
			p->since = move;
			p->moved_in = 1;
			memcpy(p->previous, previous, sizeof(previous));
		} else if (move == GC_DATE_NONE && b->d[i].married_in &&
		    gc_rng_chance(r, 0.6)) {
			/* Came from elsewhere to marry into a local family. */
			int32_t wed = day_between(r,
			    gc_date_add_years(p->birth, 22),
			    gc_date_add_years(p->birth, 34));

			if (wed != GC_DATE_NONE && wed < today - 30) {
				p->since = wed;
				p->moved_in = 1;
				other_address(w, r, p->previous);
			}
		}
	}
}

/* Chance of having died within the last two years, by age today. */
static double
p_deceased(int age)
{
	if (age < 40)
		return 0.0003;
	if (age < 60)
		return 0.002;
	if (age < 70)
		return 0.007;
	if (age < 80)
		return 0.018;
	if (age < 90)
		return 0.05;
	return 0.12;
}

/*
 * Who has left: whole households that moved to another city, grown-up
 * children who moved out on their own, and the recently deceased. The
 * register keeps them (status 2 and 3) with the date and the reason.
 */
static void
leave(struct gc_city *c, struct gc_rng *r, struct gc_household *h)
{
	int32_t today = c->today, recent = gc_date_add_years(today, -3);

	if (gc_rng_chance(r, 0.0145)) {
		int32_t latest = recent, day;
		char to[GC_ADDR_MAX];

		for (size_t i = 0; i < h->n; i++)
			if (h->m[i].since + 30 > latest)
				latest = h->m[i].since + 30;
		if ((day = day_between(r, latest, today - 1)) != GC_DATE_NONE) {
			other_address(c->w, r, to);
			for (size_t i = 0; i < h->n; i++) {
				h->m[i].status = GC_MOVED_OUT;
				h->m[i].until = day;
				memcpy(h->m[i].moved_to, to, sizeof(to));
			}
			return;
		}
	}
	for (size_t i = 0; i < h->n; i++) {
		struct gc_person *p = &h->m[i];
		int age = gc_date_age(p->birth, today);
		int32_t lo, day;

		if (strcmp(p->relationship, "子") == 0 && age >= 18 &&
		    age <= 32 && gc_rng_chance(r, 0.06)) {
			lo = gc_date_add_years(p->birth, 18);
			if (lo < recent)
				lo = recent;
			if (lo < p->since + 30)
				lo = p->since + 30;
			day = day_between(r, lo, today - 1);
			if (day != GC_DATE_NONE) {
				p->status = GC_MOVED_OUT;
				p->until = day;
				other_address(c->w, r, p->moved_to);
			}
			continue;
		}
		if (gc_rng_chance(r, p_deceased(age))) {
			lo = gc_date_add_years(today, -2);
			if (lo <= p->since)
				lo = p->since + 1;
			day = day_between(r, lo, today - 1);
			if (day != GC_DATE_NONE) {
				p->status = GC_DECEASED;
				p->until = day;
			}
		}
	}
}

/* Telephone: a landline for the household, mobiles for some adults. */
static void
phones(struct gc_rng *r, struct gc_household *h, int32_t today)
{
	char landline[16] = "", head_mobile[16] = "";
	int head_age = gc_date_age(h->m[0].birth, today);
	double p_land = head_age >= 60 ? 0.75 : head_age >= 40 ? 0.45 : 0.15;

	if (gc_rng_chance(r, p_land))
		random_phone(r, landline, sizeof(landline), 0);
	for (size_t i = 0; i < h->n; i++) {
		struct gc_person *p = &h->m[i];
		int age = gc_date_age(p->birth, today);
		double p_mobile = age < 18 ? 0 : age < 75 ? 0.6 : 0.25;

		p->phone[0] = '\0';
		if (gc_rng_chance(r, p_mobile))
			random_phone(r, p->phone, sizeof(p->phone), 1);
		else if (landline[0] != '\0')
			memcpy(p->phone, landline, sizeof(landline));
		else if (age < 18)
			memcpy(p->phone, head_mobile, sizeof(head_mobile));
		if (i == 0 && p->phone[0] != '\0' && landline[0] == '\0')
			memcpy(head_mobile, p->phone, sizeof(head_mobile));
	}
}

void
gc_city_household(struct gc_city *c, uint64_t index, struct gc_household *h)
{
	struct gc_rng r;
	struct build b = { c, &r, { { 0 } }, 0 };
	double p_flat;

	gc_rng_seed(&r, c->seed, index);
	h->foreigner = gc_rng_chance(&r, 0.025);
	if (h->foreigner)
		build_foreign(&b);
	else
		build_japanese(&b);

	c->next_house += 1 + gc_rng_below(&r, 2);
	h->no = 5000000000ULL + c->next_house;
	h->n = b.n;
	for (size_t i = 0; i < b.n; i++) {
		struct gc_person *p = &h->m[i];

		c->next_atena += 1 + gc_rng_below(&r, 4);
		p->atena = 1000000000ULL + c->next_atena;
		p->sex = b.d[i].sex;
		p->relationship = b.d[i].rel;
		p->birth = birth_for_age(c->today, b.d[i].age, &r);
	}
	name_members(c, &r, h, &b);

	if (h->foreigner)
		p_flat = 0.75;
	else if (h->n == 1)
		p_flat = b.d[0].age < 40 ? 0.75 : 0.3;
	else
		p_flat = 0.3;
	place(c, &r, index, h, p_flat);
	phones(&r, h, c->today);
	settle(c, &r, h, &b);
	leave(c, &r, h);
}

/* ---- Writing rows ------------------------------------------------- */

static const char resident_header[] =
    "atena_no,name,name_kana,sex,birth_date,postal_code,address,"
    "address_extra,phone,household_no,relationship,status,resident_since,"
    "resident_until,leave_reason,foreigner,real_name,alias_name,"
    "previous_address,moved_to_address,district_code\n";

void
gc_city_write_header(struct gc_csv *out)
{
	gc_csv_line(out, resident_header);
}

/* "family<U+3000>given" */
static void
full_name(char *out, size_t size, const char *family, const char *given)
{
	snprintf(out, size, "%s　%s", family, given);
}

void
gc_city_write(struct gc_csv *out, const struct gc_household *h, size_t n)
{
	static const char *const reason[] = { "", "", "転出", "死亡" };
	char name[128], kana[256], real[128];

	for (size_t i = 0; i < n && i < h->n; i++) {
		const struct gc_person *p = &h->m[i];

		full_name(name, sizeof(name), p->family, p->given);
		full_name(kana, sizeof(kana), p->family_kana, p->given_kana);
		gc_csv_uint(out, p->atena, 10);
		gc_csv_field(out, name);
		gc_csv_field(out, kana);
		gc_csv_uint(out, (uint64_t)p->sex, 0);
		gc_csv_date(out, p->birth);
		gc_csv_field(out, h->postal);
		gc_csv_field(out, h->address);
		gc_csv_field(out, h->extra);
		gc_csv_field(out, p->phone);
		gc_csv_uint(out, h->no, 10);
		gc_csv_field(out, p->relationship);
		gc_csv_uint(out, (uint64_t)p->status, 0);
		gc_csv_date(out, p->since);
		gc_csv_date(out, p->until);
		gc_csv_field(out, reason[p->status]);
		gc_csv_uint(out, p->latin_family != NULL, 0);
		if (p->latin_family != NULL) {
			snprintf(real, sizeof(real), "%s %s", p->latin_family,
			    p->latin_given);
			gc_csv_field(out, real);
			gc_csv_field(out, name);
		} else {
			gc_csv_field(out, NULL);
			gc_csv_field(out, NULL);
		}
		gc_csv_field(out, p->previous);
		gc_csv_field(out, p->moved_to);
		gc_csv_field(out, h->district);
		gc_csv_end_row(out);
	}
}
