/*
 * gc_vacc.c: vaccination histories; see gc_vacc.h.
 *
 * Dates follow the schedule as practised (visits at 2, 3, 4 months with
 * the infant vaccines given together, boosters after the first birthday,
 * MR 2期 in the year before school, 日本脳炎 at 3 and 9, DT at 11, HPV
 * from 中1), and the history of the programme: a vaccine appears only
 * from the day it became routine, 日本脳炎 almost vanishes during the
 * 2005-2010 積極的勧奨の差し控え, HPV during 2013-2022, the HPV
 * catch-up (キャッチアップ接種) runs 2022-2026, and COVID-19 is 臨時 (T)
 * for everyone eligible until 2024-03, then 定期B類 from 65. The products
 * are the ones on the Japanese market at the time of each dose.
 */
#include "gc_vacc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gc_date.h"
#include "gc_rng.h"

enum vac {
	HIB, PCV, HBV, ROTA1, ROTA5, DPTIPVHIB, DPTIPV, BCG, MR, VAR, JE, DT,
	HPV, FLU, PPSV, COVID, NVAC
};

/* Vaccine codes of the import layout, and the first day the city would
 * hold a record of each: the day it became routine (or, for COVID, the
 * start of the 特例臨時接種). */
static const struct {
	const char	*code;
	int		 routine_from;	/* YYYYMMDD */
} vaccines[NVAC] = {
	[HIB]		= { "HIB",		20130401 },
	[PCV]		= { "PCV",		20130401 },
	[HBV]		= { "HBV",		20161001 },
	[ROTA1]		= { "ROTA1",		20201001 },
	[ROTA5]		= { "ROTA5",		20201001 },
	[DPTIPVHIB]	= { "DPTIPVHIB",	20240401 },
	[DPTIPV]	= { "DPTIPV",		20121101 },
	[BCG]		= { "BCG",		19510101 },
	[MR]		= { "MR",		20060401 },
	[VAR]		= { "VAR",		20141001 },
	[JE]		= { "JE",		19940401 },
	[DT]		= { "DT",		19940401 },
	[HPV]		= { "HPV",		20130401 },
	[FLU]		= { "FLU",		20011107 },
	[PPSV]		= { "PPSV",		20141001 },
	[COVID]		= { "COVID",		20210217 },
};

struct product {
	int		 vac;
	const char	*name;
	const char	*maker;
	int		 from, to;	/* YYYYMMDD on the market; 0: open */
	int		 weight;	/* market share among those on sale */
	const char	*ml;		/* 接種量; NULL for BCG (管針法) */
	const char	*method;
	int		 shelf;		/* days a lot keeps from release */
	const char	*lot;		/* first two letters of its lots */
};

static const struct product products[] = {
	{ HIB, "アクトヒブ", "サノフィ",
	    0, 0, 1, "0.5", "皮下", 1000, "SH" },
	{ PCV, "プレベナー水性懸濁皮下注", "ファイザー",
	    0, 20131031, 1, "0.5", "皮下", 900, "PF" },
	{ PCV, "プレベナー13水性懸濁注", "ファイザー",
	    20131101, 20240930, 1, "0.5", "皮下", 900, "PT" },
	{ PCV, "バクニュバンス水性懸濁注", "MSD",
	    20240401, 0, 1, "0.5", "皮下", 900, "MV" },
	{ PCV, "プレベナー20水性懸濁注", "ファイザー",
	    20241001, 0, 2, "0.5", "皮下", 900, "PW" },
	{ HBV, "ビームゲン注0.25mL", "KMバイオロジクス",
	    0, 0, 3, "0.25", "皮下", 1000, "KB" },
	{ HBV, "ヘプタバックス-II", "MSD",
	    0, 0, 2, "0.25", "皮下", 1000, "MH" },
	{ ROTA1, "ロタリックス内用液", "グラクソ・スミスクライン",
	    0, 0, 1, "1.5", "経口", 700, "GR" },
	{ ROTA5, "ロタテック内用液", "MSD",
	    0, 0, 1, "2.0", "経口", 700, "MR" },
	{ DPTIPVHIB, "ゴービック水性懸濁注", "BIKEN",
	    0, 0, 1, "0.5", "皮下", 700, "BG" },
	{ DPTIPVHIB, "クイントバック水性懸濁注射用", "KMバイオロジクス",
	    0, 0, 1, "0.5", "皮下", 700, "KQ" },
	{ DPTIPV, "テトラビック皮下注シリンジ", "BIKEN",
	    0, 0, 3, "0.5", "皮下", 700, "BT" },
	{ DPTIPV, "クアトロバック皮下注シリンジ", "KMバイオロジクス",
	    0, 0, 2, "0.5", "皮下", 700, "KA" },
	{ DPTIPV, "スクエアキッズ皮下注シリンジ", "第一三共",
	    20151201, 0, 2, "0.5", "皮下", 700, "DS" },
	{ BCG, "乾燥BCGワクチン（経皮用・1人用）", "日本ビーシージー製造",
	    0, 0, 1, NULL, "経皮", 700, "JB" },
	{ MR, "ミールビック", "BIKEN",
	    0, 0, 3, "0.5", "皮下", 700, "BM" },
	{ MR, "はしか風しん混合生ワクチン「第一三共」", "第一三共",
	    0, 0, 2, "0.5", "皮下", 700, "DM" },
	{ MR, "乾燥弱毒生麻しん風しん混合ワクチン「タケダ」", "武田薬品工業",
	    0, 20191231, 1, "0.5", "皮下", 700, "TM" },
	{ VAR, "乾燥弱毒生水痘ワクチン「ビケン」", "BIKEN",
	    0, 0, 1, "0.5", "皮下", 700, "BV" },
	{ JE, "日本脳炎ワクチン「ビケン」", "BIKEN",
	    0, 20100331, 1, "0.5", "皮下", 700, "BJ" },
	{ JE, "ジェービックV", "BIKEN",
	    20090602, 0, 3, "0.5", "皮下", 700, "JV" },
	{ JE, "エンセバック皮下注用", "KMバイオロジクス",
	    20110401, 0, 2, "0.5", "皮下", 700, "KE" },
	{ DT, "DTビック", "BIKEN",
	    0, 0, 3, "0.1", "皮下", 700, "BD" },
	{ DT, "沈降ジフテリア破傷風混合トキソイド「KMB」", "KMバイオロジクス",
	    0, 0, 2, "0.1", "皮下", 700, "KD" },
	{ HPV, "サーバリックス", "グラクソ・スミスクライン",
	    0, 20230331, 1, "0.5", "筋肉内", 1000, "GC" },
	{ HPV, "ガーダシル水性懸濁筋注シリンジ", "MSD",
	    0, 20230331, 2, "0.5", "筋肉内", 1000, "MG" },
	{ HPV, "シルガード9水性懸濁筋注シリンジ", "MSD",
	    20230401, 0, 1, "0.5", "筋肉内", 1000, "MS" },
	{ FLU, "インフルエンザHAワクチン「第一三共」", "第一三共",
	    0, 0, 3, "0.5", "皮下", 330, "DF" },
	{ FLU, "インフルエンザHAワクチン「KMB」", "KMバイオロジクス",
	    0, 0, 3, "0.5", "皮下", 330, "KF" },
	{ FLU, "インフルエンザHAワクチン「ビケン」", "BIKEN",
	    0, 0, 3, "0.5", "皮下", 330, "BF" },
	{ FLU, "インフルエンザHAワクチン「生研」", "デンカ",
	    0, 0, 2, "0.5", "皮下", 330, "SF" },
	{ PPSV, "ニューモバックスNP", "MSD",
	    0, 0, 1, "0.5", "筋肉内", 700, "MP" },
	{ COVID, "コミナティ筋注", "ファイザー",
	    0, 0, 8, "0.3", "筋肉内", 300, "FC" },
	{ COVID, "スパイクバックス筋注", "モデルナ・ジャパン",
	    0, 0, 5, "0.5", "筋肉内", 300, "MC" },
	{ COVID, "バキスゼブリア筋注", "アストラゼネカ",
	    20210803, 20220930, 1, "0.5", "筋肉内", 300, "AZ" },
	{ COVID, "ヌバキソビッド筋注", "武田薬品工業",
	    20220525, 20250331, 1, "0.5", "筋肉内", 300, "NC" },
	{ COVID, "ダイチロナ筋注", "第一三共",
	    20231201, 0, 2, "0.6", "筋肉内", 300, "DC" },
	{ COVID, "コスタイベ筋注用", "Meiji Seika ファルマ",
	    20241001, 0, 3, "0.5", "筋肉内", 300, "KC" },
};
#define NPRODUCTS	(sizeof(products) / sizeof(products[0]))

/*
 * 予診のみ: screened and not vaccinated. The codes are the items of
 * 予防接種法施行規則 第2条 (接種不適当者): 1 明らかな発熱, 2 重篤な急性
 * 疾患, 8 その他不適当な状態; empty when the person declined.
 */
static const struct {
	const char	*reason;
	const char	*code;
} screenings[] = {
	{ "明らかな発熱（37.5℃以上）", "1" },
	{ "明らかな発熱（37.5℃以上）", "1" },
	{ "重篤な急性疾患にかかっている", "2" },
	{ "体調不良のため医師の判断で見合わせ", "8" },
	{ "前回接種後に発熱・発疹あり、経過観察", "8" },
	{ "接種間隔が不足", "8" },
	{ "保護者の同意が得られない", "" },
	{ "本人の希望により見合わせ", "" },
};

/* Occasional remarks, for a child and for an adult; one has a comma and
 * quotes, as clerks type them. */
static const char *const child_remarks[] = {
	"同時接種",
	"母子健康手帳に記載済み",
	"保護者より\"母子手帳\"の提示あり, 記載を確認",
	"予診票の記載漏れを医療機関に確認済み",
	"接種部位に軽度の発赤あり、経過観察",
};
static const char *const adult_remarks[] = {
	"接種後30分の観察で異常なし",
	"予診票の記載漏れを医療機関に確認済み",
	"本人より\"接種済証\"の再交付申請, 交付済",
	"接種部位に軽度の発赤あり、経過観察",
};
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * 負担金区分, the generator's own codes until the master data defines
 * them: 10 定期・臨時（公費）, 21 B類 自己負担あり,
 * 22 B類 生活保護受給者（免除）, 23 B類 市民税非課税世帯（免除）,
 * 90 任意接種（全額自己負担）.
 */
#define FEE_ROUTINE	"10"
#define FEE_VOLUNTARY	"90"

#define MAX_DOSES	160

struct dose {
	int32_t		 on;
	uint8_t		 vac;
	uint8_t		 dose;
	char		 cat;		/* 'A', 'B' or 'V' */
	uint8_t		 screening;	/* 予診のみ */
	int16_t		 product;	/* fixed for a series, or -1 */
};

struct hist {
	struct gc_vacc		*v;
	const struct gc_person	*p;
	struct gc_rng		*r;
	int32_t			 first, last;	/* records within these days */
	int			 cohort;	/* school cohort */
	size_t			 n;
	struct dose		 d[MAX_DOSES];
};

static int32_t
ymd(int v)
{
	return gc_date_days(v / 10000, v / 100 % 100, v % 100);
}

static int32_t
jitter(struct gc_rng *r, int lo, int hi)
{
	return gc_rng_range(r, lo, hi);
}

/* ---- Windows: the category a dose gets ---------------------------- */

static int
within(int32_t on, int32_t from, int32_t until)
{
	return on >= from && on < until;
}

/* A for a routine dose inside its window, V outside it; 0 for a dose that
 * is never given outside its window (rotavirus: intussusception risk);
 * B for the elderly's routine doses, T for COVID's 特例臨時接種. */
static char
category(const struct hist *h, int vac, int dose, int32_t on)
{
	int32_t b = h->p->birth;
	int in;

	switch (vac) {
	case HIB:
	case PCV:
		in = within(on, gc_date_add_months(b, 2),
		    gc_date_add_years(b, 5));
		break;
	case HBV:
	case BCG:
		in = on < gc_date_add_years(b, 1);
		break;
	case ROTA1:
		return on < b + 24 * 7 ? 'A' : 0;
	case ROTA5:
		return on < b + 32 * 7 ? 'A' : 0;
	case DPTIPV:
	case DPTIPVHIB:
		in = within(on, gc_date_add_months(b, 2),
		    gc_date_add_months(b, 90));
		break;
	case MR:
		switch (dose) {
		case 1:
			in = within(on, gc_date_add_years(b, 1),
			    gc_date_add_years(b, 2));
			break;
		case 2:
			in = within(on, gc_date_school_year_start(h->cohort, 0),
			    gc_date_school_year_start(h->cohort, 1));
			break;
		default:	/* 3期, 4期 and 風しん第5期 are drawn inside */
			in = 1;
		}
		break;
	case VAR:
		in = within(on, gc_date_add_years(b, 1),
		    gc_date_add_years(b, 3));
		break;
	case JE:
		if (dose <= 3)
			in = within(on, gc_date_add_months(b, 6),
			    gc_date_add_months(b, 90));
		else
			in = within(on, gc_date_add_years(b, 9),
			    gc_date_add_years(b, 13));
		break;
	case DT:
		in = within(on, gc_date_add_years(b, 11),
		    gc_date_add_years(b, 13));
		break;
	case HPV:
		/* 小6 to 高1, or the catch-up for cohorts 1997-2008. */
		in = within(on, gc_date_school_year_start(h->cohort, 6),
		    gc_date_school_year_start(h->cohort, 11)) ||
		    (h->cohort >= 1997 && h->cohort <= 2008 &&
		    within(on, ymd(20220401), ymd(20260401)));
		break;
	case COVID:
		/* 特例臨時接種 until 2024-03, then 定期B類 (DOMAIN.md §2). */
		return on < ymd(20240401) ? 'T' : 'B';
	default:
		return 'B';
	}
	return in ? 'A' : 'V';
}

/* ---- Collecting doses --------------------------------------------- */

static void
append(struct hist *h, int vac, int dose, int32_t on, char cat, int screening,
    int product)
{
	struct dose *d;

	if (h->n == MAX_DOSES)
		return;
	d = &h->d[h->n++];
	d->on = on;
	d->vac = (uint8_t)vac;
	d->dose = (uint8_t)dose;
	d->cat = cat;
	d->screening = (uint8_t)screening;
	d->product = (int16_t)product;
}

/* Clinics are closed on Sundays. */
static int32_t
open_day(int32_t on)
{
	return gc_date_weekday(on) == 0 ? on + 1 : on;
}

static int
recordable(const struct hist *h, int vac, int32_t on)
{
	return on >= h->first && on <= h->last &&
	    on >= h->v->routine_from[vac];
}

/* A visit that ended in 予診のみ; want is the category it must have, or 0
 * for any (a visit before a dose is inside the dose's window too). */
static void
screened(struct hist *h, int vac, int dose, int32_t on, char want)
{
	char cat;

	on = open_day(on);
	if (!recordable(h, vac, on) ||
	    (cat = category(h, vac, dose, on)) == 0 ||
	    (want != 0 && cat != want))
		return;
	append(h, vac, dose, on, cat, 1, -1);
}

/* A dose given on (about) a day, if this city would have a record of it. */
static void
give(struct hist *h, int vac, int dose, int32_t on, int product)
{
	char cat;

	on = open_day(on);
	if (!recordable(h, vac, on) || (cat = category(h, vac, dose, on)) == 0)
		return;
	/* Sent home once before getting it. */
	if (gc_rng_chance(h->r, 0.008))
		screened(h, vac, dose, on - jitter(h->r, 7, 28), cat);
	append(h, vac, dose, on, cat, 0, product);
}

/* A dose that was never given; now and then the child was sent home. */
static void
missed(struct hist *h, int vac, int dose, int32_t on)
{
	if (gc_rng_chance(h->r, 0.08))
		screened(h, vac, dose, on, 0);
}

static int32_t
max_day(int32_t a, int32_t b)
{
	return a > b ? a : b;
}

/* Hib, PCV, HBV, rotavirus, DPT-IPV(-Hib) and BCG in the first year. */
static void
infant(struct hist *h, int late)
{
	struct gc_rng *r = h->r;
	int32_t b = h->p->birth, y1 = gc_date_add_years(b, 1);
	int32_t v[4], d3, on;
	int five = b >= ymd(20240201);	/* 5種混合 from 2024-04, at 2 months */
	int vac;

	/* Visits a month apart from 2 months, the vaccines given together. */
	v[0] = gc_date_add_months(b, 2) + (late ? jitter(r, 10, 120) :
	    jitter(r, 0, 14));
	for (int i = 1; i < 4; i++)
		v[i] = v[i - 1] + jitter(r, 27, 40) +
		    (late ? jitter(r, 0, 40) : 0);

	if (!five && !gc_rng_chance(r, 0.02)) {
		for (int i = 0; i < 3; i++)
			give(h, HIB, i + 1, v[i], -1);
		on = max_day(y1, gc_date_add_months(v[2], 7)) +
		    jitter(r, 0, late ? 240 : 60);
		if (!gc_rng_chance(r, 0.05))
			give(h, HIB, 4, on, -1);
		else
			missed(h, HIB, 4, on);
	}
	if (!gc_rng_chance(r, 0.02)) {
		for (int i = 0; i < 3; i++)
			give(h, PCV, i + 1, v[i], -1);
		on = max_day(y1, v[2] + 60) + jitter(r, 0, late ? 240 : 90);
		if (!gc_rng_chance(r, 0.05))
			give(h, PCV, 4, on, -1);
		else
			missed(h, PCV, 4, on);
	}
	if (b >= ymd(20160401) && !gc_rng_chance(r, 0.03)) {
		give(h, HBV, 1, v[0], -1);
		give(h, HBV, 2, v[1], -1);
		give(h, HBV, 3, v[0] + 139 + jitter(r, 0, late ? 150 : 60), -1);
	}
	/* Rotavirus must start by 14 weeks 6 days. */
	if (b >= ymd(20200801) && v[0] < b + 105 && !gc_rng_chance(r, 0.1)) {
		if (gc_rng_chance(r, 0.55)) {
			give(h, ROTA1, 1, v[0], -1);
			give(h, ROTA1, 2, v[1], -1);
		} else {
			for (int i = 0; i < 3; i++)
				give(h, ROTA5, i + 1, v[i], -1);
		}
	}
	/* 4種混合 started at 3 months until 2023-04, then at 2 months. */
	vac = five ? DPTIPVHIB : DPTIPV;
	if (!gc_rng_chance(r, 0.02)) {
		int s = five || b >= ymd(20230201) ? 0 : 1;

		for (int i = 0; i < 3; i++)
			give(h, vac, i + 1, v[s + i], -1);
		d3 = v[s + 2];
		on = gc_date_add_months(d3, 6) + jitter(r, 0, 365) +
		    (late ? jitter(r, 0, 400) : 0);
		if (!gc_rng_chance(r, 0.05))
			give(h, vac, 4, on, -1);
		else
			missed(h, vac, 4, on);
	}
	if (!gc_rng_chance(r, 0.02))
		give(h, BCG, 1, gc_date_add_months(b, 5) +
		    (late ? jitter(r, 60, 300) : jitter(r, 0, 90)), -1);
}

/* 日本脳炎: the 2005-05-30 .. 2010-03-31 pause in recommendation. */
static void
give_je(struct hist *h, int dose, int32_t on)
{
	if (on >= ymd(20050530) && on <= ymd(20100331) &&
	    !gc_rng_chance(h->r, 0.03))
		return;
	give(h, JE, dose, on, -1);
}

/* MR, 水痘, 日本脳炎 and DT: from the first birthday to 13. */
static void
childhood(struct hist *h, int late)
{
	struct gc_rng *r = h->r;
	int32_t b = h->p->birth, y1 = gc_date_add_years(b, 1), on, s;

	on = y1 + (late ? jitter(r, 30, 500) : jitter(r, 0, 60));
	if (!gc_rng_chance(r, 0.03))
		give(h, MR, 1, on, -1);
	else
		missed(h, MR, 1, on);

	/* 2期: the year before school; most go in spring. */
	s = gc_date_school_year_start(h->cohort, 0);
	on = s + (late ? jitter(r, 120, 500) : jitter(r, 0, 240));
	if (!gc_rng_chance(r, 0.07))
		give(h, MR, 2, on, -1);
	else
		missed(h, MR, 2, on);

	/* 3期 (中1) and 4期 (高3) ran from 2008-04 to 2013-03 only. */
	for (int dose = 3; dose <= 4; dose++) {
		s = gc_date_school_year_start(h->cohort, dose == 3 ? 7 : 12);
		on = s + jitter(r, 0, 330);
		if (on >= ymd(20080401) && on <= ymd(20130331) &&
		    gc_rng_chance(r, dose == 3 ? 0.87 : 0.78))
			give(h, MR, dose, on, -1);
	}

	if (!gc_rng_chance(r, 0.05)) {
		on = y1 + jitter(r, 0, 90) + (late ? jitter(r, 0, 500) : 0);
		give(h, VAR, 1, on, -1);
		on = gc_date_add_months(on, 6) + jitter(r, 0, 150);
		if (!gc_rng_chance(r, 0.1))
			give(h, VAR, 2, on, -1);
		else
			missed(h, VAR, 2, on);
	}

	if (!gc_rng_chance(r, 0.1)) {
		on = gc_date_add_years(b, 3) + jitter(r, 0, 300) +
		    (late ? jitter(r, 100, 1000) : 0);
		give_je(h, 1, on);
		on += jitter(r, 7, 28);
		give_je(h, 2, on);
		on = gc_date_add_years(on, 1) + jitter(r, 0, 60);
		if (!gc_rng_chance(r, 0.05))
			give_je(h, 3, on);
		else
			missed(h, JE, 3, on);
	}
	on = gc_date_add_years(b, 9) + jitter(r, 0, late ? 1500 : 700);
	if (!gc_rng_chance(r, 0.25))
		give_je(h, 4, on);
	else
		missed(h, JE, 4, on);

	on = gc_date_add_years(b, 11) + jitter(r, 0, late ? 900 : 500);
	if (!gc_rng_chance(r, 0.2))
		give(h, DT, 1, on, -1);
	else
		missed(h, DT, 1, on);
}

/* The product of an HPV series is chosen at the first dose. */
static int
hpv_product(struct hist *h, int32_t on)
{
	const struct gc_vacc *v = h->v;
	int want = on >= ymd(20230401) && gc_rng_chance(h->r, 0.9) ?
	    2 : gc_rng_chance(h->r, 0.7) ? 1 : 0;
	int k = 0;

	/* products[] lists サーバリックス, ガーダシル, シルガード9 in order. */
	for (size_t i = 0; i < NPRODUCTS; i++) {
		if (products[i].vac != HPV)
			continue;
		if (k++ == want && on >= v->product_from[i] &&
		    on <= v->product_to[i])
			return (int)i;
	}
	for (size_t i = 0; i < NPRODUCTS; i++)
		if (products[i].vac == HPV && on >= v->product_from[i] &&
		    on <= v->product_to[i])
			return (int)i;
	return -1;
}

/* HPV, girls from 中1; barely anybody while it was not recommended. */
static void
hpv(struct hist *h)
{
	struct gc_rng *r = h->r;
	int32_t on, d1;
	int product, catchup = h->cohort >= 1997 && h->cohort <= 2008;
	double p;

	if (h->p->sex != 2)
		return;
	on = gc_date_school_year_start(h->cohort, 7) + jitter(r, 0, 900);
	if (on < ymd(20130614))
		p = 0.4;
	else if (on < ymd(20220401))
		p = 0.01;
	else
		p = 0.38;
	if (!gc_rng_chance(r, p)) {
		if (!catchup || !gc_rng_chance(r, 0.2))
			return;
		on = ymd(20220401) + jitter(r, 0, 1094);
	}
	d1 = on;
	if ((product = hpv_product(h, d1)) < 0)
		return;
	give(h, HPV, 1, d1, product);
	if (!gc_rng_chance(r, 0.9)) {
		missed(h, HPV, 2, gc_date_add_months(d1, 2));
		return;
	}
	/* サーバリックス at 0, 1, 6 months; the others at 0, 2, 6. */
	give(h, HPV, 2, gc_date_add_months(d1,
	    strcmp(products[product].name, "サーバリックス") == 0 ? 1 : 2) +
	    jitter(r, 0, 30), product);
	on = gc_date_add_months(d1, 6) + jitter(r, 0, 60);
	if (gc_rng_chance(r, 0.88))
		give(h, HPV, 3, on, product);
	else
		missed(h, HPV, 3, on);
}

/* 風しん第5期: men born 1962-04-02 .. 1979-04-01, 2019-04 .. 2025-03. */
static void
rubella_5(struct hist *h)
{
	int32_t b = h->p->birth;

	if (h->p->sex == 1 && b >= ymd(19620402) && b <= ymd(19790401) &&
	    gc_rng_chance(h->r, 0.04))
		give(h, MR, 5, ymd(20190401) + jitter(h->r, 0, 2190), -1);
}

/*
 * 新型コロナ 特例臨時接種 (category T, 2021-02 .. 2024-03): the two first
 * doses (three for the under-fives), then the boosters as each round was
 * opened to each age: 3rd from 2021-12, 4th for 60+ from 2022-05, the
 * Omicron round from 2022-09, the spring 2023 round for 65+, the autumn
 * 2023 round for everyone. Doses are numbered 1-7 as the person got them.
 */
/* One more 特例臨時接種 dose, if the programme was still running. */
static void
special(struct hist *h, int *n, int32_t on)
{
	if (on <= ymd(20240331) && *n < 9)
		give(h, COVID, ++*n, on, -1);
}

static void
covid_special(struct hist *h)
{
	struct gc_rng *r = h->r;
	int32_t b = h->p->birth, on;
	int elder = gc_date_age(b, ymd(20210412)) >= 65;
	int adult, child, infant, n = 0;
	double keen = gc_rng_unit(r);	/* how readily this person comes back */

	adult = gc_date_age(b, ymd(20211031)) >= 12;
	child = !adult && gc_date_age(b, ymd(20220901)) >= 5;
	infant = !adult && !child &&
	    gc_date_add_months(b, 6) <= ymd(20230901);
	if (elder)
		on = ymd(20210412) + jitter(r, 0, 90);
	else if (adult)
		on = max_day(ymd(20210601) + jitter(r, 0, 150),
		    gc_date_add_years(b, 12));
	else if (child)
		on = max_day(ymd(20220221) + jitter(r, 0, 200),
		    gc_date_add_years(b, 5));
	else if (infant)
		on = max_day(ymd(20221024) + jitter(r, 0, 300),
		    gc_date_add_months(b, 6));
	else
		return;
	if (!gc_rng_chance(r, elder ? 0.92 : adult ? (gc_date_age(b,
	    ymd(20210601)) < 30 ? 0.78 : 0.86) : child ? 0.22 : 0.03))
		return;

	special(h, &n, on);
	on += jitter(r, 21, 35);
	special(h, &n, on);
	if (infant) {
		on += jitter(r, 56, 90);
		special(h, &n, on);
		return;
	}
	/* 3rd: six months on (five from 2022), from 2021-12. */
	if (!gc_rng_chance(r, elder ? 0.93 : adult ? 0.8 * (0.5 + keen) : 0.3))
		return;
	on = max_day(gc_date_add_months(on, 6), elder ? ymd(20211201) :
	    adult ? ymd(20220101) : ymd(20220906)) + jitter(r, 0, 100);
	special(h, &n, on);
	/* 4th: 60 and over, from 2022-05-25. */
	if (gc_date_age(b, ymd(20220525)) >= 60 && gc_rng_chance(r, 0.85)) {
		on = max_day(gc_date_add_months(on, 5), ymd(20220525)) +
		    jitter(r, 0, 90);
		special(h, &n, on);
	}
	/* オミクロン株対応, from 2022-09-20. */
	if (!gc_rng_chance(r, elder ? 0.8 : 0.5 * keen))
		return;
	on = max_day(gc_date_add_months(on, 3), ymd(20220920)) +
	    jitter(r, 0, 120);
	special(h, &n, on);
	/* 令和5年春開始接種: 65 and over, from 2023-05-08. */
	if (elder && gc_rng_chance(r, 0.8)) {
		on = max_day(gc_date_add_months(on, 3), ymd(20230508)) +
		    jitter(r, 0, 90);
		special(h, &n, on);
	}
	/* 令和5年秋開始接種: everyone, from 2023-09-20. */
	if (gc_rng_chance(r, elder ? 0.8 : 0.45 * keen)) {
		on = max_day(gc_date_add_months(on, 3), ymd(20230920)) +
		    jitter(r, 0, 120);
		special(h, &n, on);
	}
}

/* Influenza every season, PPSV once, COVID since 2024: B類, from 65. */
static void
elderly(struct hist *h)
{
	struct gc_rng *r = h->r;
	int32_t b = h->p->birth, d65 = gc_date_add_years(b, 65);
	int32_t today = h->v->today;
	double u = gc_rng_unit(r), p_flu, p_ppsv = 0.35;
	int y, m, d, ppsv_done = 0;

	if (d65 > today)
		return;
	/* Some never come, most come most years, some every year. */
	p_flu = u < 0.25 ? 0.05 : u < 0.7 ? 0.6 : 0.93;
	gc_date_ymd(d65, &y, &m, &d);
	for (y = y - 1 < 2001 ? 2001 : y - 1;; y++) {
		int32_t start = gc_date_days(y, 10, 1), on;

		if (y == 2001)
			start = ymd(20011107);
		if (start > today)
			break;
		if (!gc_rng_chance(r, p_flu))
			continue;
		/* Mostly October to December; the season ends with January. */
		on = gc_date_days(y, 10, 1) + jitter(r, 0, 60) +
		    jitter(r, 0, 50);
		if (on < start)
			on = start + jitter(r, 0, 30);
		if (on >= d65)
			give(h, FLU, 1, on, -1);
	}

	/* PPSV in the 年度 of turning 65 (and, until 2023, 70, 75 … 100). */
	for (int32_t fs = ymd(20140401); fs <= today && !ppsv_done;
	    fs = gc_date_add_years(fs, 1)) {
		int32_t fe = gc_date_add_years(fs, 1) - 1, start;
		int age = gc_date_age(b, fe);

		if (gc_date_age(b, fs - 1) != age - 1)
			continue;
		if (!(age == 65 || (fs < ymd(20240401) && age >= 65 &&
		    age <= 100 && age % 5 == 0)))
			continue;
		if (!gc_rng_chance(r, p_ppsv))
			continue;
		start = fs < ymd(20141001) ? ymd(20141001) : fs;
		give(h, PPSV, 1, start + jitter(r, 0, fe - start - 14), -1);
		ppsv_done = 1;
	}

	for (y = 2024;; y++) {
		int32_t start = gc_date_days(y, 10, 1), on;

		if (start > today)
			break;
		if (!gc_rng_chance(r, p_flu * 0.4))
			continue;
		on = start + jitter(r, 0, 70) + jitter(r, 0, 50);
		if (on >= d65)
			give(h, COVID, 1, on, -1);
	}
}

/* ---- Writing ------------------------------------------------------ */

static const char record_header[] =
    "legacy_id,atena_no,vaccine_code,dose,category,vaccinated_on,"
    "institution_code,venue_code,screening_doctor,vaccinating_doctor,"
    "vaccine_name,maker,lot_no,lot_expiry,amount_ml,site,method,"
    "screening_only,screening_reason,unsuitable_code,fee_category,"
    "billing_month,other_municipality,certificate_issued,note\n";

void
gc_vacc_write_header(struct gc_csv *out)
{
	gc_csv_line(out, record_header);
}

/*
 * The product of a dose. A clinic stocks one brand of each vaccine for a
 * while, so the draw comes from the institution and the quarter.
 */
static int
pick_product(const struct gc_vacc *v, uint64_t seed, size_t inst, int vac,
    int32_t on)
{
	struct gc_rng rr, *r = &rr;
	int total = 0, pick, first = -1;

	gc_rng_seed(r, seed, gc_hash2((uint64_t)inst * NVAC + (uint64_t)vac,
	    (uint64_t)(on / 91)));
	for (size_t i = 0; i < NPRODUCTS; i++) {
		if (products[i].vac != vac)
			continue;
		if (first < 0)
			first = (int)i;
		if (on >= v->product_from[i] && on <= v->product_to[i])
			total += products[i].weight;
	}
	/* products[] has one on sale every day for each vaccine; defensive. */
	if (total == 0)
		return first;
	pick = (int)gc_rng_below(r, (uint32_t)total);
	for (size_t i = 0; i < NPRODUCTS; i++) {
		if (products[i].vac != vac || on < v->product_from[i] ||
		    on > v->product_to[i])
			continue;
		if ((pick -= products[i].weight) < 0)
			return (int)i;
	}
	return first;
}

/*
 * A lot number and its expiry. Each product releases a few lots every 75
 * days; they are the same in every generated city, like real lots.
 */
static void
lot_for(int product, int32_t on, struct gc_rng *r, char lot[8],
    int32_t *expiry)
{
	const struct product *pr = &products[product];
	int32_t period = on / 75;
	uint64_t hash = gc_hash2((uint64_t)product * 8 + gc_rng_below(r, 3),
	    (uint64_t)period);

	unsigned digits = (unsigned)(1000 + hash % 9000);

	lot[0] = pr->lot[0];
	lot[1] = pr->lot[1];
	for (int i = 5; i >= 2; i--, digits /= 10)
		lot[i] = (char)('0' + digits % 10);
	lot[6] = '\0';
	*expiry = (period + 1) * 75 + pr->shelf + (int32_t)((hash >> 32) % 60);
}

static const char *
site_for(struct gc_rng *r, const char *method, int infant)
{
	static const char *const sites[] = {
		"左上腕", "右上腕", "左大腿", "右大腿",
	};

	if (strcmp(method, "経口") == 0)
		return "";
	if (strcmp(method, "経皮") == 0)
		return "左上腕";
	return sites[gc_rng_below(r, infant ? 4 : 2)];
}

static void
write_dose(struct gc_vacc *v, struct gc_csv *out, uint64_t seed,
    const struct gc_person *p, const struct dose *d, struct gc_rng *r,
    const size_t home[2], const char *fee_b)
{
	struct gc_rng visit;
	const struct gc_words *w = v->w;
	char lot[8] = "", venue[8] = "";
	const char *method = "", *site = "", *note = "", *reason = "";
	const char *amount = "";
	const char *code = "", *fee, *vdoc;
	int32_t expiry = GC_DATE_NONE;
	int other = 0, product = -1, age = gc_date_age(p->birth, d->on);
	int cert;
	size_t inst;

	/*
	 * Where: the family's clinic, now and then another, or in another
	 * city. Doses given the same day were given at the same visit, so
	 * the place is drawn from the person and the day.
	 */
	gc_rng_seed(&visit, seed, gc_hash2(p->atena, (uint64_t)d->on));
	if (gc_rng_chance(&visit, 0.012)) {
		other = 1;
		inst = v->outside[gc_rng_below(&visit, (uint32_t)v->noutside)];
		note = "実施依頼書による市外での接種";
	} else if (d->vac == BCG && gc_rng_chance(&visit, 0.5)) {
		/* The health centre's BCG sessions, at one of its venues. */
		inst = v->centres[gc_rng_below(&visit, (uint32_t)v->ncentres)];
		snprintf(venue, sizeof(venue), "V%02u",
		    1 + gc_rng_below(&visit, 3));
	} else if (d->cat == 'T' && gc_rng_chance(&visit, 0.35)) {
		/* The city's mass vaccination sites (集団接種会場). */
		inst = v->centres[gc_rng_below(&visit, (uint32_t)v->ncentres)];
		snprintf(venue, sizeof(venue), "C%02u",
		    1 + gc_rng_below(&visit, 5));
	} else if (gc_rng_chance(&visit, 0.85)) {
		inst = home[age >= 16];
	} else if (age < 16) {
		inst = v->children[gc_rng_below(&visit,
		    (uint32_t)v->nchildren)];
	} else {
		inst = v->adults[gc_rng_below(&visit, (uint32_t)v->nadults)];
	}
	vdoc = v->doctor[inst * 4 + gc_rng_below(&visit,
	    (uint32_t)v->ndoctors[inst])];

	if (!d->screening) {
		product = d->product >= 0 ? d->product :
		    pick_product(v, seed, inst, d->vac, d->on);
		lot_for(product, d->on, r, lot, &expiry);
		method = products[product].method;
		if (d->vac == PPSV && gc_rng_chance(r, 0.3))
			method = "皮下";
		site = site_for(r, method, age < 1);
		if (products[product].ml != NULL)
			amount = products[product].ml;
		/* Half doses for the young, full for the old. */
		if (d->vac == HBV && age >= 10)
			amount = "0.5";
		else if (d->vac == JE && age < 3)
			amount = "0.25";
		else if (d->vac == COVID && age < 12 &&
		    strcmp(products[product].name, "コミナティ筋注") == 0)
			amount = "0.2";	/* 小児用 and 乳幼児用 */
	} else {
		size_t k = gc_rng_below(r,
		    sizeof(screenings) / sizeof(screenings[0]));

		reason = screenings[k].reason;
		code = screenings[k].code;
	}
	if (d->cat == 'V')
		note = "定期接種の期間外のため任意接種";
	else if (note[0] == '\0' && gc_rng_chance(r, 0.004))
		note = age < 16 ?
		    child_remarks[gc_rng_below(r, NELEM(child_remarks))] :
		    adult_remarks[gc_rng_below(r, NELEM(adult_remarks))];
	fee = d->cat == 'A' || d->cat == 'T' ? FEE_ROUTINE :
	    d->cat == 'B' ? fee_b : FEE_VOLUNTARY;
	cert = gc_rng_chance(r, d->vac == COVID ? 0.1 : d->cat == 'V' ? 0.05 :
	    0.015);

	v->next_legacy++;
	gc_csv_prefixed_uint(out, "G", v->next_legacy, 10);
	gc_csv_uint(out, p->atena, 10);
	gc_csv_field(out, vaccines[d->vac].code);
	gc_csv_uint(out, d->dose, 0);
	gc_csv_plain(out, &d->cat, 1);
	gc_csv_date(out, d->on);
	gc_csv_field(out, gc_cell(&w->institutions, inst, GC_INST_CODE));
	gc_csv_field(out, venue);
	/* 予診医 and 接種医: the same doctor at a clinic, mostly. */
	if (d->screening || gc_rng_chance(r, 0.8) || v->ndoctors[inst] == 1) {
		gc_csv_field(out, vdoc);
		gc_csv_field(out, d->screening ? "" : vdoc);
	} else {
		gc_csv_field(out, v->doctor[inst * 4 +
		    gc_rng_below(r, (uint32_t)v->ndoctors[inst])]);
		gc_csv_field(out, vdoc);
	}
	gc_csv_field(out, product >= 0 ? products[product].name : "");
	gc_csv_field(out, product >= 0 ? products[product].maker : "");
	gc_csv_field(out, lot);
	gc_csv_date(out, expiry);
	gc_csv_field(out, amount);
	gc_csv_field(out, site);
	gc_csv_field(out, method);
	gc_csv_uint(out, d->screening, 0);
	gc_csv_field(out, reason);
	gc_csv_field(out, code);
	gc_csv_field(out, fee);
	gc_csv_next_month(out, d->on);
	gc_csv_uint(out, (uint64_t)other, 0);
	gc_csv_uint(out, (uint64_t)cert, 0);
	gc_csv_field(out, note);
	gc_csv_end_row(out);

	v->records++;
	v->screening_only += d->screening;
	v->voluntary += d->cat == 'V';
}

static int
dose_before(const struct dose *a, const struct dose *b)
{
	if (a->on != b->on)
		return a->on < b->on;
	if (a->vac != b->vac)
		return a->vac < b->vac;
	if (a->dose != b->dose)
		return a->dose < b->dose;
	return a->screening > b->screening;
}

size_t
gc_vacc_write(struct gc_vacc *v, struct gc_csv *out, uint64_t seed,
    const struct gc_person *p)
{
	struct hist h;
	struct gc_rng r;
	size_t home[2];
	const char *fee_b;
	double u;
	int late;

	gc_rng_seed(&r, seed, 0x5641434300000000ULL ^ p->atena);
	h.v = v;
	h.p = p;
	h.r = &r;
	h.n = 0;
	h.cohort = gc_date_cohort(p->birth);
	h.first = p->since > v->history_start ? p->since : v->history_start;
	if (h.first < p->birth)
		h.first = p->birth;
	h.last = p->until != GC_DATE_NONE && p->until < v->today ?
	    p->until : v->today;
	if (h.first > h.last)
		return 0;

	home[0] = v->children[gc_rng_below(&r, (uint32_t)v->nchildren)];
	home[1] = v->adults[gc_rng_below(&r, (uint32_t)v->nadults)];
	u = gc_rng_unit(&r);
	fee_b = u < 0.85 ? "21" : u < 0.88 ? "22" : "23";

	/* About 2% of families decline the children's vaccines; 7% are late. */
	if (!gc_rng_chance(&r, 0.02)) {
		late = gc_rng_chance(&r, 0.07);
		infant(&h, late);
		childhood(&h, late);
		hpv(&h);
	}
	rubella_5(&h);
	covid_special(&h);
	elderly(&h);

	/* Few doses a person: insertion sort keeps equal dates stable. */
	for (size_t i = 1; i < h.n; i++) {
		struct dose t = h.d[i];
		size_t j = i;

		while (j > 0 && dose_before(&t, &h.d[j - 1])) {
			h.d[j] = h.d[j - 1];
			j--;
		}
		h.d[j] = t;
	}
	for (size_t i = 0; i < h.n; i++)
		write_dose(v, out, seed, p, &h.d[i], &r, home, fee_b);
	return h.n;
}

/* ---- Setting up --------------------------------------------------- */

/* Doctors' names come from the name lists and the institution code alone,
 * so an institution has the same doctors in every generated city. */
static int
make_doctors(struct gc_vacc *v, struct sesshu_err *err)
{
	const struct gc_words *w = v->w;
	size_t n = w->institutions.n;

	if ((v->doctor = calloc(n * 4, sizeof(*v->doctor))) == NULL ||
	    (v->ndoctors = calloc(n, sizeof(*v->ndoctors))) == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const char *code = gc_cell(&w->institutions, i, GC_INST_CODE);
		char kind = gc_cell(&w->institutions, i, GC_INST_KIND)[0];
		uint64_t key = strtoull(code, NULL, 10);

		v->ndoctors[i] = kind == 'G' ? 4 : kind == 'H' ? 3 :
		    1 + (int)(gc_hash64(key) % 2);
		for (int j = 0; j < v->ndoctors[i]; j++) {
			uint64_t hash = gc_hash2(key, (uint64_t)j);
			/* Doctors in practice were born before 1991. */
			const struct gc_index *era = &(hash & 1 ? w->male_era :
			    w->female_era)[hash & 2 ? GC_ERA_OLD : GC_ERA_MID];
			const struct gc_list *given = hash & 1 ? &w->male :
			    &w->female;
			size_t f = (hash >> 8) % w->family.n;
			size_t g = era->v[(hash >> 32) % era->n];
			char name[128];

			snprintf(name, sizeof(name), "%s　%s",
			    gc_cell(&w->family, f, GC_NAME_KANJI),
			    gc_cell(given, g, GC_NAME_KANJI));
			if ((v->doctor[i * 4 + j] = strdup(name)) == NULL)
				return sesshu_err_set(err, SESSHU_ENOMEM,
				    "out of memory");
		}
	}
	return 0;
}

static int
make_pool(const struct gc_words *w, const char *kinds, size_t **pool,
    size_t *n, struct sesshu_err *err)
{
	*n = 0;
	if ((*pool = calloc(w->institutions.n, sizeof(**pool))) == NULL)
		return sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
	for (size_t i = 0; i < w->institutions.n; i++)
		if (strchr(kinds, gc_cell(&w->institutions, i,
		    GC_INST_KIND)[0]) != NULL)
			(*pool)[(*n)++] = i;
	return 0;
}

int
gc_vacc_init(struct gc_vacc *v, const struct gc_words *w, int32_t today,
    struct sesshu_err *err)
{
	int rc;

	memset(v, 0, sizeof(*v));
	v->w = w;
	v->today = today;
	v->history_start = ymd(GC_VACC_HISTORY_START);
	v->routine_from = calloc(NVAC, sizeof(*v->routine_from));
	v->product_from = calloc(NPRODUCTS, sizeof(*v->product_from));
	v->product_to = calloc(NPRODUCTS, sizeof(*v->product_to));
	if (v->routine_from == NULL || v->product_from == NULL ||
	    v->product_to == NULL) {
		rc = sesshu_err_set(err, SESSHU_ENOMEM, "out of memory");
		goto fail;
	}
	for (int i = 0; i < NVAC; i++)
		v->routine_from[i] = ymd(vaccines[i].routine_from);
	for (size_t i = 0; i < NPRODUCTS; i++) {
		v->product_from[i] = products[i].from != 0 ?
		    ymd(products[i].from) : INT32_MIN;
		v->product_to[i] = products[i].to != 0 ?
		    ymd(products[i].to) : INT32_MAX;
	}
	/* gc_words_load made sure that every pool has a member. */
	if ((rc = make_pool(w, "PG", &v->children, &v->nchildren, err)) != 0 ||
	    (rc = make_pool(w, "IG", &v->adults, &v->nadults, err)) != 0 ||
	    (rc = make_pool(w, "H", &v->centres, &v->ncentres, err)) != 0 ||
	    (rc = make_pool(w, "X", &v->outside, &v->noutside, err)) != 0 ||
	    (rc = make_doctors(v, err)) != 0)
		goto fail;
	return 0;
fail:
	gc_vacc_free(v);
	return rc;
}

void
gc_vacc_free(struct gc_vacc *v)
{
	if (v->doctor != NULL)
		for (size_t i = 0; i < v->w->institutions.n * 4; i++)
			free(v->doctor[i]);
	free(v->doctor);
	free(v->ndoctors);
	free(v->children);
	free(v->adults);
	free(v->centres);
	free(v->outside);
	free(v->routine_from);
	free(v->product_from);
	free(v->product_to);
	memset(v, 0, sizeof(*v));
}
