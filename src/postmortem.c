#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/postmortem.h"
#include "furikaeri/text.h"
#include "furikaeri/week.h"
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
postmortem_warn(struct postmortem *pm, const char *fmt, ...)
{
	va_list ap, again;
	char *msg;
	int n;

	va_start(ap, fmt);
	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	msg = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	vsnprintf(msg, n > 0 ? (size_t)n + 1 : 1, fmt, again);
	va_end(again);
	pm->warnings = xreallocarray(pm->warnings, pm->n_warnings + 1, sizeof(char *));
	pm->warnings[pm->n_warnings++] = msg;
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
	free_list(pm->warnings, pm->n_warnings);
	free(pm->template_why);
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

/* The cut-off the meeting screen marks severe. */
#define SEVERE_RANK 2

bool
postmortem_severe(const char *severity)
{
	return postmortem_severity_rank(severity) <= SEVERE_RANK;
}

static const struct {
	const char *word;
	int level;
} severity_words[] = {
	{ "critical", 1 }, { "blocker", 1 }, { "emergency", 1 }, { "highest", 1 },
	{ "致命的", 1 }, { "緊急", 1 }, { "最高", 1 },
	{ "major", 2 }, { "high", 2 }, { "severe", 2 }, { "重大", 2 }, { "高", 2 },
	{ "moderate", 3 }, { "medium", 3 }, { "normal", 3 }, { "中", 3 },
	{ "minor", 4 }, { "low", 4 }, { "軽微", 4 }, { "低", 4 },
	{ "trivial", 5 }, { "lowest", 5 }, { "info", 5 }, { "informational", 5 },
};

static const char *const severity_labels[] = {
	"severity level", "severity", "sev level", "level", "重要度", "深刻度", "影響度",
	"重大度", "障害レベル", "レベル",
};

/* Lower-case ASCII copy with full-width ASCII folded to half-width. */
static char *
severity_fold(const char *text)
{
	size_t len = strlen(text), i = 0, o = 0;
	char *out = xmalloc(len + 1);

	while (i < len) {
		uint32_t cp;
		size_t n = text_utf8_decode(text + i, len - i, &cp);
		if (cp >= 0xFF01 && cp <= 0xFF5E) {
			out[o++] = (char)tolower((int)(cp - 0xFEE0));
		} else if (cp == 0x3000) {
			out[o++] = ' ';
		} else if (cp < 0x80) {
			out[o++] = (char)tolower((unsigned char)text[i]);
		} else {
			memcpy(out + o, text + i, n);
			o += n;
		}
		i += n ? n : 1;
	}
	out[o] = '\0';
	return out;
}

static const char *
skip_separators(const char *p)
{
	while (*p == ' ' || *p == '-' || *p == ':' || *p == '_' || *p == '=' || *p == '\t' ||
	       strncmp(p, "\xEF\xBC\x9A", 3) == 0)
		p += (unsigned char)*p >= 0x80 ? 3 : 1;
	return p;
}

/* A level digit 0..5 standing alone ("2", "2 (major)"), or -1. */
static int
lone_digit(const char *p)
{
	if (*p >= '0' && *p <= '5' && !isalnum((unsigned char)p[1]))
		return *p - '0';
	return -1;
}

char *
postmortem_severity_normalise(const char *text)
{
	if (text == NULL)
		return NULL;
	char *folded = severity_fold(text);
	char *t = text_trim(folded);
	const char *p = t;
	int level = -1;

	free(folded);
	for (size_t i = 0; i < sizeof(severity_labels) / sizeof(severity_labels[0]); i++) {
		size_t n = strlen(severity_labels[i]);
		if (strncmp(p, severity_labels[i], n) == 0 && !isalpha((unsigned char)p[n])) {
			p = skip_separators(p + n);
			break;
		}
	}
	/* SEV2, Sev 2, sev-2, S2, P1, Severity 2, レベル2 */
	level = lone_digit(p);
	if (level < 0 && strncmp(p, "sev", 3) == 0)
		level = lone_digit(skip_separators(p + 3));
	if (level < 0 && (p[0] == 's' || p[0] == 'p'))
		level = lone_digit(skip_separators(p + 1));
	for (size_t i = 0; level < 0 && i < sizeof(severity_words) / sizeof(severity_words[0]); i++) {
		size_t n = strlen(severity_words[i].word);
		if (strncmp(p, severity_words[i].word, n) == 0 && !isalpha((unsigned char)p[n]))
			level = severity_words[i].level;
	}
	free(t);
	if (level < 0)
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

static void
shift_date(char **date, int days)
{
	char out[WEEK_DATE_STRLEN];
	long day;

	if (*date == NULL || !week_date_parse(*date, &day))
		return;
	week_date_format(day + days, out);
	free(*date);
	*date = xstrdup(out);
}

void
postmortem_shift_dates(struct postmortem *pm, int days)
{
	shift_date(&pm->date, days);
	for (size_t i = 0; i < pm->n_measures; i++)
		shift_date(&pm->measures[i].due, days);
}

char *
postmortem_short_id(const char *id)
{
	const char *hash = strrchr(id, '#'), *slash = strchr(id, '/');

	if (hash == NULL || slash == NULL || slash > hash || slash == id || hash[1] == '\0' ||
	    strchr(slash + 1, '/') != NULL)
		return NULL;
	for (const char *p = hash + 1; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return NULL;
	return xstrdup(slash + 1);
}
