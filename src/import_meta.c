#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "furikaeri/date.h"
#include "furikaeri/err.h"
#include "furikaeri/headings.h"
#include "furikaeri/import.h"
#include "furikaeri/postmortem.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"
#include "import_md_private.h"

/* Metadata: YAML front matter, "Label: value" lines, metadata tables and
 * metadata sections, into the postmortem's title, date, severity, status,
 * authors and tags. */

static const struct {
	const char *key;	/* as headings_normalise() leaves it */
	enum meta_field field;
} meta_keys[] = {
	{ "title", META_TITLE }, { "タイトル", META_TITLE }, { "件名", META_TITLE },
	{ "id", META_ID }, { "incident id", META_ID },
	{ "date", META_DATE }, { "incident date", META_DATE }, { "incident_date", META_DATE },
	{ "date of incident", META_DATE }, { "occurred", META_DATE }, { "occurred at", META_DATE },
	{ "started", META_DATE }, { "started at", META_DATE }, { "start", META_DATE },
	{ "when", META_DATE }, { "日付", META_DATE }, { "発生日時", META_DATE },
	{ "発生日", META_DATE }, { "発生時刻", META_DATE }, { "日時", META_DATE },
	{ "detected", META_DATE }, { "detected at", META_DATE }, { "incident start", META_DATE },
	{ "start time", META_DATE }, { "occurred on", META_DATE },
	{ "incident date time", META_DATE }, { "発生", META_DATE }, { "検知日時", META_DATE },
	{ "障害発生日時", META_DATE }, { "発生日時 jst", META_DATE }, { "作成日", META_DATE },
	{ "reported", META_DOC_DATE }, { "reported at", META_DOC_DATE },
	{ "reported on", META_DOC_DATE }, { "report date", META_DOC_DATE },
	{ "last modified", META_DOC_DATE }, { "last updated", META_DOC_DATE },
	{ "last edited", META_DOC_DATE }, { "last reviewed", META_DOC_DATE },
	{ "updated", META_DOC_DATE }, { "updated at", META_DOC_DATE },
	{ "modified", META_DOC_DATE }, { "lastmod", META_DOC_DATE },
	{ "last_modified_at", META_DOC_DATE }, { "last modified at", META_DOC_DATE },
	{ "更新日", META_DOC_DATE }, { "更新日時", META_DOC_DATE }, { "最終更新日", META_DOC_DATE },
	{ "最終更新", META_DOC_DATE }, { "最終更新日時", META_DOC_DATE }, { "報告日", META_DOC_DATE },
	{ "報告日時", META_DOC_DATE },
	{ "event", META_TITLE }, { "incident", META_TITLE }, { "incident title", META_TITLE },
	{ "障害名", META_TITLE }, { "インシデント名", META_TITLE },
	{ "draft", META_DRAFT }, { "published", META_PUBLISHED },
	{ "time", META_TIME }, { "時刻", META_TIME },
	{ "tz", META_TZ }, { "timezone", META_TZ }, { "time zone", META_TZ },
	{ "severity", META_SEVERITY }, { "sev", META_SEVERITY }, { "severity level", META_SEVERITY },
	{ "重要度", META_SEVERITY }, { "深刻度", META_SEVERITY }, { "影響度", META_SEVERITY },
	{ "重大度", META_SEVERITY }, { "障害レベル", META_SEVERITY },
	{ "status", META_STATUS }, { "state", META_STATUS }, { "ステータス", META_STATUS },
	{ "状態", META_STATUS },
	{ "author", META_AUTHORS }, { "authors", META_AUTHORS }, { "owner", META_AUTHORS },
	{ "owners", META_AUTHORS }, { "written by", META_AUTHORS }, { "作成者", META_AUTHORS },
	{ "担当者", META_AUTHORS }, { "起票者", META_AUTHORS }, { "記入者", META_AUTHORS },
	{ "担当", META_AUTHORS }, { "執筆者", META_AUTHORS },
	{ "tags", META_TAGS }, { "tag", META_TAGS }, { "labels", META_TAGS }, { "タグ", META_TAGS },
	{ "ラベル", META_TAGS },
};

/* Whether one of words stands in s as a word (Latin) or anywhere
 * (Japanese, which has no spaces to tell words by). */
static bool
has_word(const char *s, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(words[i]);
		for (const char *p = strstr(s, words[i]); p != NULL; p = strstr(p + 1, words[i])) {
			if ((unsigned char)words[i][0] >= 0x80)
				return true;
			if ((p == s || p[-1] == ' ') && (p[len] == '\0' || p[len] == ' '))
				return true;
		}
	}
	return false;
}

/* A label that is a longer phrase around a date word ("When it started",
 * "Incident start date (UTC)") names the incident's date, unless a word
 * says it is another moment (updated, reported, due, resolved...). */
static bool
date_phrase(const char *norm)
{
	static const char *const dates[] = {
		"date", "when", "started", "start", "began", "begin", "occurred", "happened",
		"日付", "日時", "発生",
	};
	static const char *const others[] = {
		"update", "updated", "modified", "report", "reported", "published", "publish",
		"review", "reviewed", "due", "deadline", "end", "ended", "resolved", "recovered",
		"fixed", "closed", "next", "更新", "報告", "公開", "期限", "終了", "復旧", "解決",
	};
	size_t words = 1;

	for (const char *p = norm; *p != '\0'; p++)
		words += *p == ' ';
	return words <= 6 && has_word(norm, dates, sizeof(dates) / sizeof(dates[0])) &&
	       !has_word(norm, others, sizeof(others) / sizeof(others[0]));
}

enum meta_field
imd_meta_field_of(const char *key)
{
	char *norm = headings_normalise(key);
	enum meta_field f = META_NONE;

	for (size_t i = 0; i < sizeof(meta_keys) / sizeof(meta_keys[0]) && f == META_NONE; i++)
		if (strcmp(norm, meta_keys[i].key) == 0)
			f = meta_keys[i].field;
	if (f == META_NONE && norm[0] != '\0' && date_phrase(norm))
		f = META_DATE;
	free(norm);
	return f;
}

bool
import_md_is_meta(const char *label)
{
	return imd_meta_field_of(label) != META_NONE;
}

void
imd_set_once(char **field, const char *value)
{
	if (*field == NULL && value[0] != '\0')
		*field = xstrdup(value);
}

/* Splits "Aoi, Ken、Mei; @sato" into names (without '@' or '#'); tags
 * without a comma split at blanks too ("auth sso"). */
static void
add_list(struct postmortem *pm, enum meta_field field, const char *value)
{
	const char *p = value;
	bool blanks = field == META_TAGS && strpbrk(value, ",;") == NULL &&
		      strstr(value, "、") == NULL && strstr(value, "，") == NULL;

	while (*p != '\0') {
		size_t n = strcspn(p, blanks ? " \t" : ",;");
		const char *jp = strstr(p, "、");
		const char *jp2 = strstr(p, "，");
		if (jp != NULL && (size_t)(jp - p) < n)
			n = (size_t)(jp - p);
		if (jp2 != NULL && (size_t)(jp2 - p) < n)
			n = (size_t)(jp2 - p);
		char *part = xstrndup(p, n);
		char *t = text_trim(part);
		const char *name = t;
		while (*name == '@' || (field == META_TAGS && *name == '#'))
			name++;
		if (*name != '\0') {
			if (field == META_AUTHORS)
				postmortem_add_author(pm, name);
			else
				postmortem_add_tag(pm, name);
		}
		free(t);
		free(part);
		p += n;
		if (strncmp(p, "、", 3) == 0 || strncmp(p, "，", 3) == 0)
			p += 3;
		else if (*p != '\0')
			p++;
	}
}

static bool
is_false(const char *v)
{
	return strcasecmp(v, "false") == 0 || strcasecmp(v, "no") == 0 || strcmp(v, "0") == 0;
}

static bool
is_true(const char *v)
{
	return strcasecmp(v, "true") == 0 || strcasecmp(v, "yes") == 0 || strcmp(v, "1") == 0;
}

static void
apply_meta(struct meta_state *ms, enum meta_field field, const char *raw)
{
	struct postmortem *pm = ms->pm;
	char *value = text_trim(raw);
	struct date_parts d;
	size_t at;
	bool ambiguous = false;
	enum date_order order = ms->o != NULL ? ms->o->date_order : DATE_ORDER_NONE;

	switch (field) {
	case META_TITLE:
		imd_set_once(&pm->title, value);
		break;
	case META_ID:
		imd_set_once(&pm->id, value);
		break;
	case META_DATE:
		if (pm->date != NULL || value[0] == '\0')
			break;
		if (date_find_ordered(value, order, &d, &at, &ambiguous) > 0) {
			char ymd[11], hm[6];
			date_format_ymd(&d, ymd);
			date_format_hm(&d, hm);
			pm->date = xstrdup(ymd);
			pm->date_from = ms->from;
			imd_set_once(&pm->time, hm);
			imd_set_once(&pm->tz, d.tz);
		} else if (ambiguous) {
			postmortem_warn(pm, "%s: the date \"%s\" (%s) reads as day/month or "
					"month/day; write it as YYYY-MM-DD or set [import] date_order "
					"= mdy or dmy", ms->path, value, ms->from);
		} else {
			postmortem_warn(pm, "%s: \"%s\" (%s) is not a date furikaeri can read; "
					"write it as YYYY-MM-DD", ms->path, value, ms->from);
		}
		break;
	case META_TIME:
		if (pm->time == NULL && isdigit((unsigned char)value[0])) {
			struct date_parts t;
			char *probe = xasprintf("2000-01-01 %s", value);
			if (date_parse(probe, &t) && t.hour >= 0) {
				char hm[6];
				date_format_hm(&t, hm);
				pm->time = xstrdup(hm);
				imd_set_once(&pm->tz, t.tz);
			}
			free(probe);
		}
		break;
	case META_TZ:
		if (pm->tz != NULL || value[0] == '\0')
			break;
		if (import_zone_valid(value))
			pm->tz = xstrdup(value);
		else
			postmortem_warn(pm, "%s: \"%s\" (%s) is not a time zone; write an IANA name "
					"(Asia/Tokyo), an offset (+09:00) or UTC", ms->path, value,
					ms->from);
		break;
	case META_SEVERITY:
		if (pm->severity == NULL && value[0] != '\0') {
			pm->severity = postmortem_severity_normalise(value);
			if (pm->severity == NULL)
				postmortem_warn(pm, "%s: \"%s\" (%s) is not a severity furikaeri "
						"knows; write SEV1 to SEV5", ms->path, value, ms->from);
		}
		break;
	case META_STATUS:
		if (pm->status == NULL && value[0] != '\0') {
			for (char *s = value; *s != '\0'; s++)
				*s = (char)tolower((unsigned char)*s);
			pm->status = xstrdup(value);
		}
		break;
	case META_DRAFT:
		if (is_true(value))
			pm->not_ready = true;
		break;
	case META_PUBLISHED:
		if (is_false(value))
			pm->not_ready = true;
		break;
	case META_AUTHORS:
		if (!ms->have_authors)
			add_list(pm, field, value);
		break;
	case META_TAGS:
		if (!ms->have_tags)
			add_list(pm, field, value);
		break;
	case META_DOC_DATE:
	case META_NONE:
		break;
	}
	free(value);
}

static const char *
yaml_scalar(yaml_document_t *doc, yaml_node_t *node)
{
	(void)doc;
	if (node == NULL || node->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)node->data.scalar.value;
}

static void
front_matter_entry(struct meta_state *ms, yaml_document_t *doc, const char *key,
		   yaml_node_t *value)
{
	enum meta_field field = imd_meta_field_of(key);

	if (field == META_NONE || value == NULL)
		return;
	if (value->type == YAML_SCALAR_NODE) {
		bool had_date = ms->pm->date != NULL;

		apply_meta(ms, field, yaml_scalar(doc, value));
		if (field == META_DATE && !had_date && ms->pm->date != NULL) {
			char *norm = headings_normalise(key);

			ms->generic_date = strcmp(norm, "date") == 0;
			free(norm);
		}
		return;
	}
	if (value->type != YAML_SEQUENCE_NODE || (field != META_AUTHORS && field != META_TAGS))
		return;
	for (yaml_node_item_t *it = value->data.sequence.items.start;
	     it < value->data.sequence.items.top; it++) {
		yaml_node_t *item = yaml_document_get_node(doc, *it);
		const char *s = yaml_scalar(doc, item);
		if (item != NULL && item->type == YAML_MAPPING_NODE) {
			/* authors: [{name: Aoi, email: ...}] */
			for (yaml_node_pair_t *p = item->data.mapping.pairs.start;
			     p < item->data.mapping.pairs.top; p++) {
				const char *k = yaml_scalar(doc, yaml_document_get_node(doc, p->key));
				if (k != NULL && strcmp(k, "name") == 0)
					s = yaml_scalar(doc, yaml_document_get_node(doc, p->value));
			}
		}
		/* one list item is one name, commas and all */
		if (s != NULL && field == META_AUTHORS)
			postmortem_add_author(ms->pm, s[0] == '@' ? s + 1 : s);
		else if (s != NULL)
			postmortem_add_tag(ms->pm, s[0] == '#' ? s + 1 : s);
	}
	if (field == META_AUTHORS)
		ms->have_authors = true;
	else
		ms->have_tags = true;
}

/* Parses the YAML between the --- lines (first_line is its line in the file). */
int
imd_parse_front_matter(struct meta_state *ms, const char *yaml, size_t len, int first_line,
		   const char *path, char **err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	int rc = 0;

	if (!yaml_parser_initialize(&parser)) {
		err_set(err, "%s: cannot start the YAML parser (out of memory?)", path);
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
	if (!yaml_parser_load(&parser, &doc)) {
		size_t line = parser.problem_mark.line;
		if (parser.context != NULL)
			err_set(err, "%s:%zu: invalid YAML front matter: %s (%s that starts on line "
				"%zu); fix the YAML between the --- lines (quote values that contain "
				"\": \" or start with '@', '[' or '{')", path, line + (size_t)first_line,
				parser.problem ? parser.problem : "syntax error", parser.context,
				parser.context_mark.line + (size_t)first_line);
		else
			err_set(err, "%s:%zu: invalid YAML front matter: %s; fix the YAML between "
				"the --- lines", path, line + (size_t)first_line,
				parser.problem ? parser.problem : "syntax error");
		yaml_parser_delete(&parser);
		return -1;
	}
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	if (root != NULL && root->type == YAML_MAPPING_NODE) {
		for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
		     p < root->data.mapping.pairs.top; p++) {
			const char *k = yaml_scalar(&doc, yaml_document_get_node(&doc, p->key));
			if (k != NULL)
				front_matter_entry(ms, &doc, k, yaml_document_get_node(&doc, p->value));
		}
	} else if (root != NULL && !(root->type == YAML_SCALAR_NODE &&
				     root->data.scalar.length == 0)) {
		err_set(err, "%s:%d: the front matter is not a list of \"key: value\" lines; "
			"write it as YAML keys such as \"title: ...\"", path, first_line);
		rc = -1;
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return rc;
}

/* Whether the line at p (up to end) is a front matter fence: "---" or "...". */
static bool
is_fence(const char *p, const char *end, bool closing)
{
	if (end - p < 3)
		return false;
	if (memcmp(p, "---", 3) != 0 && !(closing && memcmp(p, "...", 3) == 0))
		return false;
	for (p += 3; p < end && *p != '\n'; p++)
		if (*p != ' ' && *p != '\t')
			return false;
	return true;
}

/* Finds the front matter at the top of buf: sets *yaml and *yaml_len and returns
 * where the Markdown starts and its line number, or buf when there is none. */
const char *
imd_split_front_matter(const char *buf, size_t len, const char **yaml, size_t *yaml_len,
		   int *body_line)
{
	const char *end = buf + len, *p;

	*yaml = NULL;
	*yaml_len = 0;
	*body_line = 1;
	if (!is_fence(buf, end, false))
		return buf;
	p = memchr(buf, '\n', len);
	if (p == NULL)
		return buf;
	p++;
	const char *start = p;
	int line = 2;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl != NULL ? nl : end;
		if (is_fence(p, eol, true)) {
			*yaml = start;
			*yaml_len = (size_t)(p - start);
			*body_line = line + 1;
			return nl != NULL ? nl + 1 : end;
		}
		p = nl != NULL ? nl + 1 : end;
		line++;
	}
	return buf;
}

/* Metadata written in the body: "**Date:** ...", "Owner: ...", a two-column
 * table. Before the first section every such line counts; in the first
 * section (table_only) a key/value table does, and, unless it is a known
 * section (tables_only: a Summary is prose, so "Status: the job said ..."
 * stays a sentence), a block of short lines with a colon at its top. */
void
imd_scan_body_meta(struct meta_state *ms, const char *text, bool table_only, bool tables_only)
{
	const char *p = text;
	int lines = 0;
	bool in_block = !tables_only;

	while (*p != '\0' && lines++ < 60) {
		size_t n = strcspn(p, "\n");
		char *line = xstrndup(p, n);
		char *l = line;
		if (strncmp(l, "- ", 2) == 0 || strncmp(l, "* ", 2) == 0)
			l += 2;
		char *sep = strstr(l, " | ");
		size_t sep_len = 3;
		const char *from = "table";
		if (sep == NULL || strstr(sep + 3, " | ") != NULL) {
			sep = NULL;
			char *colon = strchr(l, ':');
			char *wide = strstr(l, "：");
			if (table_only && !in_block)
				colon = wide = NULL;
			if (colon != NULL && (wide == NULL || colon < wide)) {
				sep = colon;
				sep_len = 1;
			} else if (wide != NULL) {
				sep = wide;
				sep_len = 3;
			}
			from = "metadata";
		}
		bool is_meta = false;
		if (sep != NULL && sep - l <= 40) {
			*sep = '\0';
			enum meta_field f = imd_meta_field_of(l);
			/* in a section, only a block of short lines at its top */
			if (f != META_NONE && table_only && strcmp(from, "metadata") == 0 &&
			    strlen(sep + sep_len) > 60)
				f = META_NONE;
			is_meta = f != META_NONE;
			if (f != META_NONE) {
				ms->from = from;
				apply_meta(ms, f, sep + sep_len);
				if (f == META_AUTHORS)
					ms->have_authors = true;
				if (f == META_TAGS)
					ms->have_tags = true;
			}
		}
		/* the block ends at the first line that is not metadata */
		if (!is_meta && l[0] != '\0' && strcmp(from, "metadata") == 0)
			in_block = false;
		free(line);
		p += n;
		if (*p == '\n')
			p++;
	}
}

/* A table whose header row names metadata fields and has one body row. */
void
imd_scan_meta_tables(struct meta_state *ms, const struct ctx *c, size_t chunk)
{
	for (size_t i = 0; i < c->n_rows; i++) {
		const struct row *h = &c->rows[i];
		if (h->chunk != chunk || !h->header || h->n_cells < 3 || i + 1 >= c->n_rows)
			continue;
		const struct row *b = &c->rows[i + 1];
		if (b->table != h->table || (i + 2 < c->n_rows && c->rows[i + 2].table == h->table))
			continue;
		ms->from = "table";
		for (size_t k = 0; k < h->n_cells && k < b->n_cells; k++) {
			enum meta_field f = imd_meta_field_of(strbuf_str(&h->cells[k].text));
			if (f != META_NONE)
				apply_meta(ms, f, strbuf_str(&b->cells[k].text));
		}
	}
}

/* A "## Date", "## Authors", "## Status" or "### 発生日時" section: its text
 * fills the field (the headings files meta_*.txt name them). */
bool
imd_apply_meta_section(struct meta_state *ms, const struct chunk *ch)
{
	static const struct {
		const char *key;
		enum meta_field field;
	} keys[] = {
		{ "meta_date", META_DATE }, { "meta_authors", META_AUTHORS },
		{ "meta_status", META_STATUS }, { "meta_severity", META_SEVERITY },
	};
	const char *text = strbuf_str(&ch->text);

	if (ch->key == NULL || strncmp(ch->key, "meta_", 5) != 0)
		return false;
	ms->from = "section";
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		if (strcmp(ch->key, keys[k].key) != 0)
			continue;
		for (const char *p = text; *p != '\0';) {
			size_t n = strcspn(p, "\n");
			char *line = xstrndup(p, n);
			char *l = line;
			while (*l == ' ')
				l++;
			if (strncmp(l, "- ", 2) == 0 || strncmp(l, "* ", 2) == 0)
				l += 2;
			bool said = *l != '\0';
			if (said) {
				if (keys[k].field == META_AUTHORS && !ms->have_authors)
					add_list(ms->pm, META_AUTHORS, l);
				else if (keys[k].field != META_AUTHORS)
					apply_meta(ms, keys[k].field, l);
			}
			free(line);
			p += n;
			if (*p == '\n')
				p++;
			/* a date, a status, a severity: the first line says it */
			if (keys[k].field != META_AUTHORS && said)
				break;
		}
		if (keys[k].field == META_AUTHORS && ms->pm->n_authors > 0)
			ms->have_authors = true;
	}
	return true;
}
