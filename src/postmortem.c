#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/postmortem.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"

struct postmortem *
postmortem_new(void)
{
	return xcalloc(1, sizeof(struct postmortem));
}

static void
free_list(char **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

void
postmortem_free(struct postmortem *pm)
{
	if (pm == NULL)
		return;
	free(pm->id);
	free(pm->title);
	free(pm->date);
	free(pm->time);
	free(pm->tz);
	free(pm->severity);
	free(pm->status);
	free_list(pm->authors, pm->n_authors);
	free_list(pm->tags, pm->n_tags);
	for (size_t i = 0; i < pm->n_sections; i++) {
		free(pm->sections[i].key);
		free(pm->sections[i].heading);
		free(pm->sections[i].text);
	}
	free(pm->sections);
	for (size_t i = 0; i < pm->n_measures; i++) {
		struct measure *m = &pm->measures[i];
		free(m->title);
		free(m->owner);
		free(m->due);
		free(m->ticket);
		free(m->ticket_url);
	}
	free(pm->measures);
	free(pm->source);
	free(pm->hash);
	free(pm);
}

static void
add_unique(char ***list, size_t *n, const char *value)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*list)[i], value) == 0)
			return;
	*list = xreallocarray(*list, *n + 1, sizeof(char *));
	(*list)[(*n)++] = xstrdup(value);
}

void
postmortem_add_author(struct postmortem *pm, const char *name)
{
	add_unique(&pm->authors, &pm->n_authors, name);
}

void
postmortem_add_tag(struct postmortem *pm, const char *tag)
{
	add_unique(&pm->tags, &pm->n_tags, tag);
}

struct section *
postmortem_add_section(struct postmortem *pm, const char *key, const char *heading,
		       const char *text)
{
	for (size_t i = 0; i < pm->n_sections; i++) {
		struct section *s = &pm->sections[i];
		if (strcmp(s->key, key) != 0)
			continue;
		if (text[0] != '\0') {
			char *joined = s->text[0] != '\0' ? xasprintf("%s\n\n%s", s->text, text)
							  : xstrdup(text);
			free(s->text);
			s->text = joined;
		}
		return s;
	}
	pm->sections = xreallocarray(pm->sections, pm->n_sections + 1, sizeof(struct section));
	struct section *s = &pm->sections[pm->n_sections++];
	s->key = xstrdup(key);
	s->heading = xstrdup(heading);
	s->text = xstrdup(text);
	return s;
}

const struct section *
postmortem_section(const struct postmortem *pm, const char *key)
{
	for (size_t i = 0; i < pm->n_sections; i++)
		if (strcmp(pm->sections[i].key, key) == 0)
			return &pm->sections[i];
	return NULL;
}

struct measure *
postmortem_add_measure(struct postmortem *pm, const char *title)
{
	pm->measures = xreallocarray(pm->measures, pm->n_measures + 1, sizeof(struct measure));
	struct measure *m = &pm->measures[pm->n_measures++];
	memset(m, 0, sizeof(*m));
	m->title = xstrdup(title);
	m->status = MEASURE_OPEN;
	return m;
}

int
postmortem_severity_rank(const char *severity)
{
	if (severity == NULL || strncmp(severity, "SEV", 3) != 0)
		return 6;
	int n = severity[3] - '0';
	return n >= 1 && n <= 5 ? n : 6;
}

static const struct {
	const char *word;
	int level;
} severity_words[] = {
	{ "critical", 1 }, { "blocker", 1 }, { "emergency", 1 }, { "致命的", 1 }, { "緊急", 1 },
	{ "major", 2 }, { "high", 2 }, { "重大", 2 }, { "高", 2 },
	{ "moderate", 3 }, { "medium", 3 }, { "中", 3 },
	{ "minor", 4 }, { "low", 4 }, { "軽微", 4 }, { "低", 4 },
	{ "trivial", 5 }, { "info", 5 },
};

char *
postmortem_severity_normalise(const char *text)
{
	char *t = text_trim(text);
	const char *p = t;
	int level = 0;

	/* SEV2, Sev 2, sev-2, S2, P1, Severity 2, レベル2 */
	if (text_casecmp(t, "") == 0) {
		free(t);
		return NULL;
	}
	if (strncasecmp(p, "severity", 8) == 0)
		p += 8;
	else if (strncasecmp(p, "sev", 3) == 0)
		p += 3;
	else if (toupper((unsigned char)*p) == 'S' || toupper((unsigned char)*p) == 'P')
		p += 1;
	while (*p == ' ' || *p == '-' || *p == ':' || *p == '_')
		p++;
	if (*p >= '0' && *p <= '5' && (p[1] == '\0' || !isdigit((unsigned char)p[1])))
		level = *p - '0';
	if (level == 0 && isdigit((unsigned char)t[0]) && t[1] == '\0')
		level = t[0] - '0';
	for (size_t i = 0; level == 0 && i < sizeof(severity_words) / sizeof(severity_words[0]); i++)
		if (text_casecmp(t, severity_words[i].word) == 0)
			level = severity_words[i].level;
	free(t);
	if (level < 0 || level > 5 || (level == 0 && strpbrk(text, "0") == NULL))
		return NULL;
	/* P0 / SEV0 read as the most severe */
	if (level == 0)
		level = 1;
	return xasprintf("SEV%d", level);
}

static const char *const status_names[] = {
	[MEASURE_OPEN] = "open",
	[MEASURE_DONE] = "done",
	[MEASURE_NOT_DOING] = "not_doing",
};

const char *
measure_status_name(enum measure_status status)
{
	return status_names[status];
}

bool
measure_status_parse(const char *name, enum measure_status *out)
{
	for (size_t i = 0; i < sizeof(status_names) / sizeof(status_names[0]); i++) {
		if (strcmp(name, status_names[i]) == 0) {
			*out = (enum measure_status)i;
			return true;
		}
	}
	return false;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil). */
static long
days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static void
shift_date(char **date, int days)
{
	int y, m, d;

	if (*date == NULL || sscanf(*date, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return;
	civil_from_days(days_from_civil(y, m, d) + days, &y, &m, &d);
	free(*date);
	*date = xasprintf("%04d-%02d-%02d", y, m, d);
}

void
postmortem_shift_dates(struct postmortem *pm, int days)
{
	shift_date(&pm->date, days);
	for (size_t i = 0; i < pm->n_measures; i++)
		shift_date(&pm->measures[i].due, days);
}
