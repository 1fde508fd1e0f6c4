#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/date.h"
#include "furikaeri/err.h"
#include "furikaeri/headings.h"
#include "furikaeri/import.h"
#include "furikaeri/postmortem.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/week.h"
#include "furikaeri/xalloc.h"
#include "import_md_private.h"

/* The Markdown import of one file: the input cleaned (import_decode.c), the
 * front matter read (import_meta.c), the body walked (import_md_walk.c),
 * then assembled here into sections, metadata and measures
 * (import_measure.c), with the date found by the stated precedence and
 * the template and file-name rules (import_template.c, import_name.c). */

/* A section being assembled from one or more chunks. */
struct draft {
	const char *key;	/* borrowed: a headings key or the heading text */
	const char *heading;
	struct strbuf text;
};

static void
draft_add_text(struct draft *d, const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		n--;
	while (n > 0 && *s == '\n') {
		s++;
		n--;
	}
	if (n == 0)
		return;
	if (d->text.len > 0)
		strbuf_adds(&d->text, "\n\n");
	strbuf_add(&d->text, s, n);
}

static void
assemble(struct meta_state *ms, struct ctx *c)
{
	struct postmortem *pm = ms->pm;
	const struct import_options *o = ms->o;
	size_t n_headings = c->n_chunks - 1, title_chunk = 0;
	unsigned min_level = 7, section_level = 7;

	ms->have_authors = pm->n_authors > 0;
	ms->have_tags = pm->n_tags > 0;
	for (size_t i = 1; i < c->n_chunks; i++)
		if (c->chunks[i].level < min_level)
			min_level = c->chunks[i].level;
	if (n_headings > 0) {
		const struct chunk *first = &c->chunks[1];
		size_t same = 0;
		for (size_t i = 1; i < c->n_chunks; i++)
			same += c->chunks[i].level == first->level;
		/* a lone top heading, or an h1, that names no section is the title */
		if (first->key == NULL && first->level == min_level &&
		    (same == 1 || first->level == 1) && (n_headings > 1 || first->level == 1))
			title_chunk = 1;
	}
	/* the title: an H1 (or setext) heading that names no section, else the
	 * lone top heading; never a section's heading such as "Summary" */
	for (size_t i = 1; i < c->n_chunks && pm->title == NULL; i++)
		if (c->chunks[i].level == 1 && c->chunks[i].key == NULL &&
		    c->chunks[i].heading[0] != '\0')
			pm->title = xstrdup(c->chunks[i].heading);
	if (pm->title == NULL && title_chunk > 0 && c->chunks[title_chunk].heading[0] != '\0')
		pm->title = xstrdup(c->chunks[title_chunk].heading);
	for (size_t i = 1; i < c->n_chunks; i++)
		if (i != title_chunk && c->chunks[i].level < section_level)
			section_level = c->chunks[i].level;

	/* which draft each chunk went into, to find the measures later */
	struct draft *drafts = xcalloc(c->n_chunks + 1, sizeof(struct draft));
	size_t n_drafts = 0;
	long *chunk_draft = xcalloc(c->n_chunks, sizeof(long));
	bool *is_meta = xcalloc(c->n_chunks, sizeof(bool));
	size_t *draft_rows = xcalloc(c->n_chunks + 1, sizeof(size_t));
	long cur = -1;
	size_t first_section_chunk = 0;
	/* drafts of known keys: few distinct ones, so a short list is enough */
	long *known = xcalloc(c->n_chunks + 1, sizeof(long));
	size_t n_known = 0;

	chunk_draft[0] = -1;
	for (size_t i = 1; i < c->n_chunks; i++) {
		const struct chunk *ch = &c->chunks[i];
		if (i == title_chunk) {
			chunk_draft[i] = -1;
			continue;
		}
		if (ch->key != NULL && strncmp(ch->key, "meta_", 5) == 0) {
			/* "## Date": a field, not a section */
			is_meta[i] = true;
			chunk_draft[i] = -1;
			if (ch->level <= section_level)
				cur = -1;
			continue;
		}
		bool starts = cur < 0 || ch->level <= section_level ||
			      (ch->key != NULL && strcmp(ch->key, drafts[cur].key) != 0);
		long again = -1;
		for (size_t k = 0; starts && ch->key != NULL && k < n_known && again < 0; k++)
			if (drafts[known[k]].key == ch->key)
				again = known[k];
		if (again >= 0) {
			/* a second "Timeline" joins the first, without rebuilding its text */
			cur = again;
			draft_add_text(&drafts[cur], ch->text.buf != NULL ? ch->text.buf : "", ch->text.len);
		} else if (starts) {
			struct draft *d = &drafts[n_drafts];
			if (ch->key != NULL)
				known[n_known++] = (long)n_drafts;
			d->key = ch->key != NULL ? ch->key : ch->heading;
			d->heading = ch->heading;
			cur = (long)n_drafts++;
			if (first_section_chunk == 0)
				first_section_chunk = i;
			draft_add_text(d, ch->text.buf != NULL ? ch->text.buf : "", ch->text.len);
		} else {
			struct draft *d = &drafts[cur];
			struct strbuf sub = STRBUF_INIT;
			strbuf_adds(&sub, ch->heading);
			if (ch->text.len > 0) {
				strbuf_addc(&sub, '\n');
				strbuf_add(&sub, ch->text.buf, ch->text.len);
			}
			draft_add_text(d, sub.buf, sub.len);
			strbuf_release(&sub);
		}
		chunk_draft[i] = cur;
	}

	/* in order of trust: metadata lines and tables, then "## Date" sections */
	imd_scan_body_meta(ms, strbuf_str(&c->chunks[0].text), false, false);
	imd_scan_meta_tables(ms, c, 0);
	if (title_chunk > 0) {
		imd_scan_body_meta(ms, strbuf_str(&c->chunks[title_chunk].text), false, false);
		imd_scan_meta_tables(ms, c, title_chunk);
	}
	if (first_section_chunk > 0) {
		/* a known section such as Summary is prose: only its tables count;
		 * "## Incident details" may open with a block of metadata lines */
		const struct chunk *first = &c->chunks[first_section_chunk];
		imd_scan_body_meta(ms, strbuf_str(&first->text), true, first->key != NULL);
		imd_scan_meta_tables(ms, c, first_section_chunk);
	}
	for (size_t i = 1; i < c->n_chunks; i++)
		if (is_meta[i])
			imd_apply_meta_section(ms, &c->chunks[i]);
	/* a document that opens with "## Some incident" and has no H1 */
	if (pm->title == NULL && n_headings > 0 && c->chunks[1].key == NULL &&
	    c->chunks[1].heading[0] != '\0')
		pm->title = xstrdup(c->chunks[1].heading);

	for (size_t i = 0; i < n_drafts; i++)
		postmortem_add_section(pm, drafts[i].key, drafts[i].heading, strbuf_str(&drafts[i].text));

	enum column cols[MAX_COLUMNS];
	bool ticket_cols[MAX_COLUMNS] = { false };
	size_t n_cols = 0;
	int cols_table = -1;
	for (size_t i = 0; i < c->n_rows; i++) {
		const struct row *r = &c->rows[i];
		long d = chunk_draft[r->chunk];
		if (d < 0)
			continue;
		const char *key = drafts[d].key;
		bool not_doing = strcmp(key, SECTION_NOT_DOING) == 0;
		if (!not_doing && strcmp(key, SECTION_MEASURES) != 0)
			continue;
		draft_rows[d]++;
		if (r->table < 0) {
			imd_measure_from_item(o, pm, r, not_doing);
			continue;
		}
		if (r->header) {
			cols_table = r->table;
			n_cols = 0;
			for (size_t k = 0; k < r->n_cells && k < MAX_COLUMNS; k++) {
				ticket_cols[n_cols] = imd_header_says_ticket(strbuf_str(&r->cells[k].text));
				cols[n_cols++] = imd_column_of(strbuf_str(&r->cells[k].text));
			}
			continue;
		}
		if (cols_table != r->table) {
			cols_table = r->table;
			n_cols = 0;
		}
		enum column none[MAX_COLUMNS] = { COL_OTHER };
		bool unlabelled[MAX_COLUMNS] = { false };
		imd_measure_from_row(o, pm, r, n_cols > 0 ? cols : none, n_cols > 0 ? ticket_cols : unlabelled,
				 n_cols > 0 ? n_cols : MAX_COLUMNS, not_doing);
	}
	for (size_t i = 0; i < n_drafts; i++) {
		if (draft_rows[i] == 0 && strcmp(drafts[i].key, SECTION_NOT_DOING) == 0)
			imd_not_doing_from_text(o, pm, strbuf_str(&drafts[i].text));
		else if (strcmp(drafts[i].key, SECTION_NOT_DOING) != 0 &&
			 strcmp(drafts[i].key, SECTION_MEASURES) != 0 &&
			 strcmp(drafts[i].key, SECTION_TIMELINE) != 0)
			imd_not_doing_from_prose(o, pm, strbuf_str(&drafts[i].text));
	}
	/* no measures anywhere: the prevention told in the resolution or the
	 * lessons is what the meeting runs on */
	bool any_open = false;
	for (size_t i = 0; i < pm->n_measures; i++)
		any_open |= pm->measures[i].status != MEASURE_NOT_DOING;
	for (size_t i = 0; i < n_drafts && !any_open; i++)
		if (strcmp(drafts[i].key, SECTION_RESOLUTION) == 0 ||
		    strcmp(drafts[i].key, SECTION_LESSONS) == 0)
			imd_measures_from_prose(o, pm, strbuf_str(&drafts[i].text));
	for (size_t i = 0; i < n_drafts; i++)
		strbuf_release(&drafts[i].text);
	if (pm->n_sections == 0 && c->chunks[0].text.len > 0) {
		struct draft d = { .key = SECTION_SUMMARY };
		draft_add_text(&d, c->chunks[0].text.buf, c->chunks[0].text.len);
		if (d.text.len > 0)
			postmortem_add_section(pm, SECTION_SUMMARY, "", strbuf_str(&d.text));
		strbuf_release(&d.text);
	}
	free(known);
	free(chunk_draft);
	free(is_meta);
	free(draft_rows);
	free(drafts);
}

/* The first date in prose: line by line, leaving out table rows and
 * labelled lines ("Last modified: ...", "Reported: ..."): a label the
 * metadata knows was read as metadata already, and a document's dates are
 * never the incident's. */
static bool
date_in_prose(const char *text, enum date_order order, struct date_parts *d, bool *ambiguous)
{
	for (const char *line = text; *line != '\0' && !*ambiguous;) {
		size_t n = strcspn(line, "\n"), at;
		char *l = xstrndup(line, n);
		const char *colon = strchr(l, ':');
		bool skip = strstr(l, " | ") != NULL || l[0] == '|';

		if (!skip && colon != NULL && colon - l < 40) {
			char *label = xstrndup(l, (size_t)(colon - l));
			skip = imd_meta_field_of(label) != META_NONE;
			free(label);
		}
		bool found = !skip && date_find_ordered(l, order, d, &at, ambiguous) > 0;
		free(l);
		if (found)
			return true;
		line += n;
		if (*line == '\n')
			line++;
	}
	return false;
}

/* Whether a table's first column is when things happened: "Time (JST)",
 * "Date", "日時". */
static bool
time_column(const char *header)
{
	static const char *const words[] = {
		"time", "date", "when", "timestamp", "日時", "時刻", "時間", "日付",
	};
	char *norm = headings_normalise(header);
	bool yes = false;

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]) && !yes; i++)
		yes = strncmp(norm, words[i], strlen(words[i])) == 0;
	free(norm);
	return yes;
}

/* The first dated row of a timeline written as a table, wherever it is:
 * a table whose first column is the time. */
static bool
date_in_timeline_table(const struct ctx *c, enum date_order order, struct date_parts *d,
		       bool *ambiguous)
{
	int table = -1;

	for (size_t i = 0; i < c->n_rows; i++) {
		const struct row *r = &c->rows[i];
		size_t at;

		if (r->table < 0 || r->n_cells == 0)
			continue;
		if (r->header) {
			table = time_column(strbuf_str(&r->cells[0].text)) ? r->table : -1;
			continue;
		}
		if (r->table == table &&
		    date_find_ordered(strbuf_str(&r->cells[0].text), order, d, &at, ambiguous) > 0)
			return true;
		if (*ambiguous)
			return false;
	}
	return false;
}

/* The incident's date told in the text when no field gives it: the first
 * dated entry of the timeline, else the first date in the sections that
 * tell what happened (never a measure's due date or a lesson). Returns
 * where it was found, or NULL, with *ambiguous when a date that reads as
 * day/month or month/day came first and no [import] date_order says which. */
static const char *
date_in_text(const struct postmortem *pm, const struct ctx *c, enum date_order order,
	     struct date_parts *d, bool *ambiguous)
{
	const struct section *t = postmortem_section(pm, SECTION_TIMELINE);
	const char *from = NULL;
	size_t at;

	*ambiguous = false;
	if (t != NULL && t->text != NULL &&
	    date_find_ordered(t->text, order, d, &at, ambiguous) > 0)
		from = "timeline";
	if (from == NULL && !*ambiguous && date_in_timeline_table(c, order, d, ambiguous))
		from = "timeline";
	/* the lines under the title, before the first section: "On 3rd March
	 * 2021 the ...", or a date line alone */
	for (size_t i = 0; i < c->n_chunks && from == NULL && !*ambiguous; i++) {
		const struct chunk *ch = &c->chunks[i];
		if (i > 0 && (ch->key != NULL || ch->level > 1))
			break;
		if (ch->text.len > 0 && date_in_prose(strbuf_str(&ch->text), order, d, ambiguous))
			from = "text";
	}
	for (size_t i = 0; i < pm->n_sections && from == NULL && !*ambiguous; i++) {
		const struct section *sec = &pm->sections[i];
		if (sec->text == NULL || strcmp(sec->key, SECTION_MEASURES) == 0 ||
		    strcmp(sec->key, SECTION_NOT_DOING) == 0 || strcmp(sec->key, SECTION_LESSONS) == 0 ||
		    strcmp(sec->key, SECTION_TIMELINE) == 0)
			continue;
		if (date_in_prose(sec->text, order, d, ambiguous))
			from = "text";
	}
	/* a day/month date the order cannot tell came first: no guess */
	return *ambiguous ? NULL : from;
}

struct postmortem *
import_md_parse(const char *buf, size_t len, const char *path, const struct headings *h,
		char **err)
{
	struct import_options o = { .headings = h };

	return import_md_parse_opts(buf, len, path, &o, err);
}

/* Front matter that says only "date:" gives a blog's publication date as
 * often as the incident's. When the text tells of a day before it (the
 * timeline's first entry, the lines under the title, the prose), up to
 * PUBLISHED_WITHIN days before, that day is the incident's, and the front
 * matter's the day it was written up. An explicit incident field
 * (incident_date, occurred...) is never second-guessed. */
#define PUBLISHED_WITHIN 60

static void
publication_date(struct postmortem *pm, const struct ctx *c, enum date_order order)
{
	struct date_parts d;
	bool ambiguous = false;
	const char *from = date_in_text(pm, c, order, &d, &ambiguous);
	long published, told;
	char ymd[11], hm[6];

	if (from == NULL)
		return;
	date_format_ymd(&d, ymd);
	if (!week_date_parse(pm->date, &published) || !week_date_parse(ymd, &told) ||
	    told >= published || published - told > PUBLISHED_WITHIN)
		return;
	free(pm->date);
	pm->date = xstrdup(ymd);
	pm->date_from = from;
	free(pm->time);
	free(pm->tz);
	pm->time = pm->tz = NULL;
	date_format_hm(&d, hm);
	imd_set_once(&pm->time, hm);
	imd_set_once(&pm->tz, d.tz);
}

struct postmortem *
import_md_parse_opts(const char *buf, size_t len, const char *path,
		     const struct import_options *o, char **err)
{
	size_t clean_len, yaml_len;
	char *text;
	const char *yaml;
	int body_line;
	const struct headings *h = o != NULL ? o->headings : NULL;
	enum date_order order = o != NULL ? o->date_order : DATE_ORDER_NONE;
	struct import_options own = { 0 };

	if ((len >= 3 && memcmp(buf, "+++", 3) == 0 && (len == 3 || buf[3] == '\n' ||
						     buf[3] == '\r' || buf[3] == ' ')) ||
	    (len >= 6 && memcmp(buf, "\xEF\xBB\xBF+++", 6) == 0)) {
		err_set(err, "%s:1: TOML front matter (+++) is not read; write it as YAML "
			"between --- lines (title: ..., date: YYYY-MM-DD)", path);
		return NULL;
	}
	text = import_clean_input(buf, len, &clean_len);
	/* no [import] date_order: the file's own unambiguous dates say which
	 * order its ambiguous ones are in */
	if (order == DATE_ORDER_NONE) {
		if (o != NULL)
			own = *o;
		own.date_order = order = date_order_evidence(text);
		o = &own;
	}
	const char *body = imd_split_front_matter(text, clean_len, &yaml, &yaml_len, &body_line);
	struct postmortem *pm = postmortem_new();
	struct meta_state ms = { .pm = pm, .o = o, .path = path, .from = "front matter" };

	if (yaml != NULL && imd_parse_front_matter(&ms, yaml, yaml_len, 2, path, err) != 0) {
		postmortem_free(pm);
		free(text);
		return NULL;
	}

	struct ctx c;
	size_t body_len = clean_len - (size_t)(body - text), fixed_len = 0;
	char *fixed = imd_repair_tables(body, body_len, &fixed_len);
	int walked = fixed != NULL ? imd_walk(&c, h, fixed, fixed_len)
				   : imd_walk(&c, h, body, body_len);
	free(fixed);
	if (walked != 0) {
		err_set(err, "%s:%d: the Markdown parser failed (out of memory?); try again or "
			"split the file", path, body_line);
		imd_ctx_release(&c);
		postmortem_free(pm);
		free(text);
		return NULL;
	}
	assemble(&ms, &c);

	struct date_parts d;
	size_t at;
	const char *from = NULL;
	bool ambiguous = false;
	if (ms.generic_date)
		publication_date(pm, &c, order);
	/* no date field: the title's, the timeline's first, the prose's, and
	 * the file name's last (a file is often named when it is written) */
	if (pm->date == NULL && pm->title != NULL &&
	    date_find_ordered(pm->title, order, &d, &at, NULL) > 0)
		from = "title";
	else if (pm->date == NULL)
		from = date_in_text(pm, &c, order, &d, &ambiguous);
	imd_ctx_release(&c);
	free(text);
	if (ambiguous)
		postmortem_warn(pm, "%s: its first date reads as day/month or as month/day; set "
				"[import] date_order = dmy or mdy in the config, or add \"date: "
				"YYYY-MM-DD\" to its front matter", path);
	else if (pm->date == NULL && from == NULL && imd_date_from_name(path, order, &d))
		from = "file name";
	if (from != NULL) {
		char ymd[11], hm[6];
		date_format_ymd(&d, ymd);
		date_format_hm(&d, hm);
		pm->date = xstrdup(ymd);
		pm->date_from = from;
		imd_set_once(&pm->time, hm);
		imd_set_once(&pm->tz, d.tz);
	}
	if (pm->title == NULL)
		pm->title = imd_readable_name(path);
	if (pm->id == NULL) {
		pm->id = import_id_from_path(path);
		pm->id_derived = true;
	}
	const char *why = imd_template_reason(pm, path);
	if (why != NULL) {
		pm->is_template = true;
		pm->template_why = xstrdup(why);
	}
	if (o != NULL)
		headings_settle_readiness(o->readiness, pm);
	if (pm->date == NULL && !pm->is_template)
		postmortem_warn(pm, "%s: no date found (front matter, a Date line, table row or "
				"section, the title, the timeline, the text or the file name); add \"date: YYYY-MM-DD\" to "
				"its front matter: until then it is on no agenda", path);
	return pm;
}
