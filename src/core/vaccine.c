/* vaccine.c: the vaccine code table; see vaccine.h. */
#include "core/vaccine.h"

#include <string.h>

static const struct core_vaccine vaccines[] = {
	{ "HIB", "Hib", "Haemophilus influenzae type b (Hib)", 'A', 0 },
	{ "PCV", "小児用肺炎球菌", "Pneumococcal conjugate (children)", 'A', 0 },
	{ "HBV", "B型肝炎", "Hepatitis B", 'A', 0 },
	{ "ROTA1", "ロタウイルス(1価)", "Rotavirus (monovalent)", 'A', 0 },
	{ "ROTA5", "ロタウイルス(5価)", "Rotavirus (pentavalent)", 'A', 0 },
	{ "DPTIPVHIB", "5種混合", "DTaP-IPV-Hib (5-in-1)", 'A', 0 },
	{ "DPTIPV", "4種混合", "DTaP-IPV (4-in-1)", 'A', 0 },
	{ "BCG", "BCG", "BCG (tuberculosis)", 'A', 0 },
	{ "MR", "麻しん風しん混合(MR)", "Measles-rubella (MR)", 'A', 0 },
	{ "VAR", "水痘", "Varicella", 'A', 0 },
	{ "JE", "日本脳炎", "Japanese encephalitis", 'A', 0 },
	{ "DT", "2種混合(DT)", "Diphtheria-tetanus (DT)", 'A', 0 },
	{ "HPV", "ヒトパピローマウイルス(HPV)", "Human papillomavirus (HPV)",
	    'A', 0 },
	{ "FLU", "高齢者インフルエンザ", "Influenza (older adults)", 'B', 1 },
	{ "PPSV", "高齢者肺炎球菌",
	    "Pneumococcal polysaccharide (older adults)", 'B', 0 },
	/* B類 since April 2024; earlier doses were 特例臨時接種 (category T). */
	{ "COVID", "新型コロナウイルス", "COVID-19", 'B', 1 },
};

#define NVACCINES (sizeof(vaccines) / sizeof(vaccines[0]))

const struct core_vaccine *
core_vaccine_find(const char *s, size_t len)
{
	if (s == NULL)
		return NULL;
	for (size_t i = 0; i < NVACCINES; i++)
		if (strlen(vaccines[i].code) == len &&
		    memcmp(vaccines[i].code, s, len) == 0)
			return &vaccines[i];
	return NULL;
}

size_t
core_vaccine_count(void)
{
	return NVACCINES;
}

const struct core_vaccine *
core_vaccine_at(size_t i)
{
	return i < NVACCINES ? &vaccines[i] : NULL;
}
