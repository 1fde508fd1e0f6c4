#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <md4c.h>
#include <yaml.h>

#include "furikaeri/date.h"
#include "furikaeri/err.h"
#include "furikaeri/headings.h"
#include "furikaeri/import.h"
#include "furikaeri/postmortem.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"

/* Inline text of a list item or a table cell, with where its links and
 * struck-through text were. */
struct link {
	char *href;
	size_t start, end;	/* the link text within fragment.text */
};

struct fragment {
	struct strbuf text;
	size_t struck;		/* bytes inside ~~strikethrough~~ */
	struct link *links;
	size_t n_links;
};

/* A top-level list item (one cell) or a table row, as seen in a chunk. */
struct row {
	size_t chunk;
	int table;		/* table number, -1 for a list item */
	bool header;
	int task;		/* -1 not a task, 0 "[ ]", 1 "[x]" */
	struct fragment *cells;
	size_t n_cells;
	struct strbuf extra;	/* nested lines under a list item */
};

/* The text between two headings; chunk 0 is what comes before the first. */
struct chunk {
	unsigned level;
	char *heading;
	const char *key;	/* borrowed from the headings set, NULL when unknown */
	struct strbuf text;
};

#define MAX_DEPTH 32

struct ctx {
	const struct headings *headings;
	struct chunk *chunks;
	size_t n_chunks, cap_chunks;
	struct row *rows;
	size_t n_rows, cap_rows;

	struct strbuf heading;
	bool in_heading;
	unsigned heading_level;

	int list_depth;
	bool ordered[MAX_DEPTH];
	unsigned next_number[MAX_DEPTH];
	int li_depth;
	bool li_fresh;
	long item;		/* the row of the open top-level list item, or -1 */
	bool item_main_done;

	int tables;
	long table_row;		/* the row of the open table row, or -1 */
	bool in_thead;
	bool in_cell;

	int quote_depth;
	int strike;
	char *href;		/* of the open link */
	size_t href_start;
	bool in_html_block;
	int html_state;		/* 0 text, 1 inside a tag, 2 inside a comment */
	long p_start;		/* where the open top-level paragraph's text starts
				 * in its chunk, or -1 */
};

static struct chunk *
cur_chunk(struct ctx *c)
{
	return &c->chunks[c->n_chunks - 1];
}

static void
new_chunk(struct ctx *c, unsigned level, const char *heading)
{
	if (c->n_chunks == c->cap_chunks) {
		c->cap_chunks = c->cap_chunks ? c->cap_chunks * 2 : 16;
		c->chunks = xreallocarray(c->chunks, c->cap_chunks, sizeof(struct chunk));
	}
	struct chunk *ch = &c->chunks[c->n_chunks++];
	memset(ch, 0, sizeof(*ch));
	ch->level = level;
	if (heading != NULL) {
		ch->heading = text_trim(heading);
		ch->key = headings_match(c->headings, ch->heading);
	}
}

static struct row *
new_row(struct ctx *c, int table)
{
	if (c->n_rows == c->cap_rows) {
		c->cap_rows = c->cap_rows ? c->cap_rows * 2 : 64;
		c->rows = xreallocarray(c->rows, c->cap_rows, sizeof(struct row));
	}
	struct row *r = &c->rows[c->n_rows++];
	memset(r, 0, sizeof(*r));
	r->chunk = c->n_chunks - 1;
	r->table = table;
	r->task = -1;
	return r;
}

static struct fragment *
new_cell(struct row *r)
{
	r->cells = xreallocarray(r->cells, r->n_cells + 1, sizeof(struct fragment));
	struct fragment *f = &r->cells[r->n_cells++];
	memset(f, 0, sizeof(*f));
	return f;
}

static void
fragment_release(struct fragment *f)
{
	strbuf_release(&f->text);
	for (size_t i = 0; i < f->n_links; i++)
		free(f->links[i].href);
	free(f->links);
}

/* The fragment that inline text currently goes to, if any. */
static struct fragment *
cur_fragment(struct ctx *c)
{
	if (c->in_cell && c->table_row >= 0) {
		struct row *r = &c->rows[c->table_row];
		return r->n_cells > 0 ? &r->cells[r->n_cells - 1] : NULL;
	}
	if (c->item >= 0 && !c->item_main_done)
		return &c->rows[c->item].cells[0];
	return NULL;
}

/* Appends to the chunk's text, never starting it with a newline nor
 * letting more than one blank line pile up. */
static void
chunk_add(struct ctx *c, const char *s, size_t n)
{
	struct strbuf *sb = &cur_chunk(c)->text;

	for (size_t i = 0; i < n;) {
		if (s[i] != '\n') {
			const char *nl = memchr(s + i, '\n', n - i);
			size_t len = nl != NULL ? (size_t)(nl - (s + i)) : n - i;
			strbuf_add(sb, s + i, len);
			i += len;
			continue;
		}
		if (sb->len > 0 && !(sb->len >= 2 && sb->buf[sb->len - 1] == '\n' &&
				     sb->buf[sb->len - 2] == '\n')) {
			/* no trailing blanks before a line end */
			while (sb->len > 0 && (sb->buf[sb->len - 1] == ' ' || sb->buf[sb->len - 1] == '\t'))
				sb->len--;
			sb->buf[sb->len] = '\0';
			strbuf_addc(sb, '\n');
		}
		i++;
	}
}

static void
end_line(struct ctx *c)
{
	struct strbuf *sb = &cur_chunk(c)->text;

	if (sb->len > 0 && sb->buf[sb->len - 1] != '\n')
		chunk_add(c, "\n", 1);
}

static void
blank_line(struct ctx *c)
{
	end_line(c);
	chunk_add(c, "\n", 1);
}

static void
indent(struct ctx *c, int depth)
{
	for (int i = 0; i < depth; i++)
		chunk_add(c, "  ", 2);
}

/* Inline text: to the heading being read, or to the chunk and to the
 * item or cell being collected. */
static void
emit(struct ctx *c, const char *s, size_t n, bool soft_break)
{
	if (n == 0)
		return;
	if (c->in_heading) {
		strbuf_add(&c->heading, soft_break ? " " : s, soft_break ? 1 : n);
		return;
	}
	c->li_fresh = false;
	chunk_add(c, s, n);
	struct fragment *f = cur_fragment(c);
	if (f != NULL) {
		if (soft_break)
			strbuf_addc(&f->text, ' ');
		else
			strbuf_add(&f->text, s, n);
		if (c->strike > 0)
			f->struck += n;
	} else if (c->item >= 0 && c->item_main_done) {
		strbuf_add(&c->rows[c->item].extra, s, n);
	}
}

static void
line_break(struct ctx *c)
{
	if (c->in_heading) {
		strbuf_addc(&c->heading, ' ');
		return;
	}
	if (c->in_cell) {
		emit(c, " ", 1, true);
		return;
	}
	emit(c, "\n", 1, true);
	if (c->li_depth > 0)
		indent(c, c->li_depth);
}

static void
item_main_done(struct ctx *c)
{
	if (c->item >= 0 && !c->item_main_done) {
		c->item_main_done = true;
		strbuf_addc(&c->rows[c->item].extra, '\n');
	}
}

static int
enter_block(MD_BLOCKTYPE type, void *detail, void *userdata)
{
	struct ctx *c = userdata;

	/* an item's own words are its first paragraph; anything after is detail */
	if (c->li_depth == 1 && !(type == MD_BLOCK_P && c->li_fresh))
		item_main_done(c);
	switch (type) {
	case MD_BLOCK_H:
		if (c->quote_depth == 0 && c->list_depth == 0) {
			c->in_heading = true;
			c->heading_level = ((MD_BLOCK_H_DETAIL *)detail)->level;
			strbuf_reset(&c->heading);
		} else {
			end_line(c);
		}
		break;
	case MD_BLOCK_P:
		c->p_start = -1;
		if (c->li_depth > 0) {
			if (!c->li_fresh) {
				end_line(c);
				indent(c, c->li_depth);
			}
		} else if (!c->in_cell) {
			blank_line(c);
			if (c->quote_depth == 0 && c->list_depth == 0)
				c->p_start = (long)cur_chunk(c)->text.len;
		}
		break;
	case MD_BLOCK_UL:
	case MD_BLOCK_OL:
		if (c->list_depth == 0)
			blank_line(c);
		else
			end_line(c);
		if (c->list_depth < MAX_DEPTH) {
			c->ordered[c->list_depth] = type == MD_BLOCK_OL;
			c->next_number[c->list_depth] =
				type == MD_BLOCK_OL ? ((MD_BLOCK_OL_DETAIL *)detail)->start : 0;
		}
		c->list_depth++;
		break;
	case MD_BLOCK_LI: {
		MD_BLOCK_LI_DETAIL *li = detail;
		int d = c->list_depth - 1;
		end_line(c);
		indent(c, d);
		if (d >= 0 && d < MAX_DEPTH && c->ordered[d]) {
			char num[16];
			int n = snprintf(num, sizeof(num), "%u. ", c->next_number[d]++ % 1000000u);
			chunk_add(c, num, (size_t)n);
		} else {
			chunk_add(c, "- ", 2);
		}
		if (li->is_task)
			chunk_add(c, li->task_mark == ' ' ? "[ ] " : "[x] ", 4);
		c->li_depth++;
		c->li_fresh = true;
		if (c->li_depth == 1 && c->quote_depth == 0) {
			struct row *r = new_row(c, -1);
			r->task = li->is_task ? (li->task_mark != ' ') : -1;
			new_cell(r);
			c->item = (long)(r - c->rows);
			c->item_main_done = false;
		} else if (c->item >= 0) {
			struct strbuf *x = &c->rows[c->item].extra;
			if (x->len > 0 && x->buf[x->len - 1] != '\n')
				strbuf_addc(x, '\n');
			strbuf_adds(x, "- ");
		}
		break;
	}
	case MD_BLOCK_QUOTE:
		blank_line(c);
		c->quote_depth++;
		break;
	case MD_BLOCK_CODE:
		if (c->li_depth == 0)
			blank_line(c);
		else
			end_line(c);
		break;
	case MD_BLOCK_HTML:
		blank_line(c);
		c->in_html_block = true;
		c->html_state = 0;
		break;
	case MD_BLOCK_HR:
		blank_line(c);
		break;
	case MD_BLOCK_TABLE:
		blank_line(c);
		c->tables++;
		break;
	case MD_BLOCK_THEAD:
		c->in_thead = true;
		break;
	case MD_BLOCK_TR: {
		end_line(c);
		struct row *r = new_row(c, c->tables);
		r->header = c->in_thead;
		c->table_row = (long)(r - c->rows);
		break;
	}
	case MD_BLOCK_TH:
	case MD_BLOCK_TD:
		if (c->table_row >= 0) {
			struct row *r = &c->rows[c->table_row];
			if (r->n_cells > 0)
				chunk_add(c, " | ", 3);
			new_cell(r);
		}
		c->in_cell = true;
		break;
	default:
		break;
	}
	return 0;
}

/* A template whose section names are plain lines ("Root cause", or
 * "**Action items**" alone on its line) rather than Markdown headings: a
 * paragraph of one short line that a heading list knows (a section, not a
 * metadata label), with no sentence's end, starts a section as a heading
 * would, one level under the title or beside the section it is in. */
static bool
line_as_heading(struct ctx *c)
{
	struct chunk *ch = cur_chunk(c);
	const char *line;
	size_t n;
	const char *key;

	if (c->p_start < 0 || (size_t)c->p_start > ch->text.len)
		return false;
	line = ch->text.buf + c->p_start;
	n = ch->text.len - (size_t)c->p_start;
	if (n == 0 || n > 60 || memchr(line, '\n', n) != NULL || line[n - 1] == '.' ||
	    line[n - 1] == '!' || line[n - 1] == '?' || strncmp(line + n - (n >= 3 ? 3 : 0),
									"。", 3) == 0)
		return false;
	char *heading = xstrndup(line, line[n - 1] == ':' ? n - 1 : n);
	key = headings_match(c->headings, heading);
	if (key == NULL || strncmp(key, "meta_", 5) == 0) {
		free(heading);
		return false;
	}
	/* the line leaves the text it was in, and heads what follows */
	ch->text.len = (size_t)c->p_start;
	ch->text.buf[ch->text.len] = '\0';
	strbuf_rtrim(&ch->text);
	if (ch->text.len > 0)
		chunk_add(c, "\n", 1);
	new_chunk(c, ch->level > 1 ? ch->level : 2, heading);
	free(heading);
	return true;
}

static int
leave_block(MD_BLOCKTYPE type, void *detail, void *userdata)
{
	struct ctx *c = userdata;

	(void)detail;
	switch (type) {
	case MD_BLOCK_H:
		if (c->in_heading) {
			c->in_heading = false;
			new_chunk(c, c->heading_level, strbuf_str(&c->heading));
		} else {
			end_line(c);
		}
		break;
	case MD_BLOCK_P:
		if (c->li_depth == 1)
			item_main_done(c);
		if (c->li_depth == 0 && !c->in_cell && !line_as_heading(c))
			end_line(c);
		c->p_start = -1;
		break;
	case MD_BLOCK_UL:
	case MD_BLOCK_OL:
		c->list_depth--;
		if (c->list_depth == 0)
			end_line(c);
		break;
	case MD_BLOCK_LI:
		end_line(c);
		c->li_depth--;
		c->li_fresh = false;
		if (c->li_depth == 0) {
			c->item = -1;
		} else if (c->item >= 0) {
			struct strbuf *x = &c->rows[c->item].extra;
			if (x->len > 0 && x->buf[x->len - 1] != '\n')
				strbuf_addc(x, '\n');
		}
		break;
	case MD_BLOCK_QUOTE:
		c->quote_depth--;
		end_line(c);
		break;
	case MD_BLOCK_CODE:
		end_line(c);
		break;
	case MD_BLOCK_HTML:
		c->in_html_block = false;
		end_line(c);
		break;
	case MD_BLOCK_THEAD:
		c->in_thead = false;
		break;
	case MD_BLOCK_TR:
		c->table_row = -1;
		end_line(c);
		break;
	case MD_BLOCK_TH:
	case MD_BLOCK_TD:
		c->in_cell = false;
		break;
	default:
		break;
	}
	return 0;
}

static int
enter_span(MD_SPANTYPE type, void *detail, void *userdata)
{
	struct ctx *c = userdata;

	if (type == MD_SPAN_DEL) {
		c->strike++;
	} else if (type == MD_SPAN_A) {
		MD_SPAN_A_DETAIL *a = detail;
		free(c->href);
		c->href = xstrndup(a->href.text, a->href.size);
		struct fragment *f = cur_fragment(c);
		c->href_start = f != NULL ? f->text.len : 0;
	}
	return 0;
}

static int
leave_span(MD_SPANTYPE type, void *detail, void *userdata)
{
	struct ctx *c = userdata;

	(void)detail;
	if (type == MD_SPAN_DEL) {
		c->strike--;
	} else if (type == MD_SPAN_A && c->href != NULL) {
		struct fragment *f = cur_fragment(c);
		if (f != NULL && !c->in_heading) {
			f->links = xreallocarray(f->links, f->n_links + 1, sizeof(struct link));
			f->links[f->n_links++] = (struct link){
				.href = c->href, .start = c->href_start, .end = f->text.len,
			};
			c->href = NULL;
		}
		free(c->href);
		c->href = NULL;
	}
	return 0;
}

static const struct {
	const char *name;
	const char *text;
} entities[] = {
	{ "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" },
	{ "&apos;", "'" }, { "&nbsp;", " " }, { "&mdash;", "\xE2\x80\x94" },
	{ "&ndash;", "\xE2\x80\x93" }, { "&hellip;", "\xE2\x80\xA6" }, { "&copy;", "\xC2\xA9" },
};

static void
emit_entity(struct ctx *c, const char *s, size_t n)
{
	if (n > 3 && s[1] == '#') {
		bool hex = s[2] == 'x' || s[2] == 'X';
		unsigned long cp = strtoul(s + (hex ? 3 : 2), NULL, hex ? 16 : 10);
		char buf[4];
		if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			cp = 0xFFFD;
		emit(c, buf, text_utf8_encode((uint32_t)cp, buf), false);
		return;
	}
	for (size_t i = 0; i < sizeof(entities) / sizeof(entities[0]); i++) {
		if (strlen(entities[i].name) == n && memcmp(entities[i].name, s, n) == 0) {
			emit(c, entities[i].text, strlen(entities[i].text), false);
			return;
		}
	}
	emit(c, s, n, false);
}

/* Raw HTML blocks: the text between tags is kept, tags and comments go. */
static void
emit_html_block(struct ctx *c, const char *s, size_t n)
{
	size_t i = 0, start = 0;

	while (i < n) {
		if (c->html_state == 2) {
			if (i + 2 < n + 0 && s[i] == '-' && s[i + 1] == '-' && s[i + 2] == '>') {
				c->html_state = 0;
				i += 3;
				start = i;
				continue;
			}
			i++;
			start = i;
			continue;
		}
		if (c->html_state == 1) {
			if (s[i] == '>')
				c->html_state = 0;
			i++;
			start = i;
			continue;
		}
		if (s[i] == '<') {
			emit(c, s + start, i - start, false);
			c->html_state = (i + 3 < n && memcmp(s + i, "<!--", 4) == 0) ? 2 : 1;
			i += c->html_state == 2 ? 4 : 1;
			start = i;
			continue;
		}
		if (s[i] == '\n') {
			emit(c, s + start, i - start, false);
			emit(c, "\n", 1, true);
			i++;
			/* indentation of the markup is not text */
			while (i < n && (s[i] == ' ' || s[i] == '\t'))
				i++;
			start = i;
			continue;
		}
		i++;
	}
	emit(c, s + start, n - start, false);
}

static int
on_text(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size, void *userdata)
{
	struct ctx *c = userdata;

	switch (type) {
	case MD_TEXT_NULLCHAR:
		emit(c, "\xEF\xBF\xBD", 3, false);
		break;
	case MD_TEXT_BR:
	case MD_TEXT_SOFTBR:
		line_break(c);
		break;
	case MD_TEXT_ENTITY:
		emit_entity(c, text, size);
		break;
	case MD_TEXT_HTML:
		if (c->in_html_block)
			emit_html_block(c, text, size);
		else if (size >= 3 && strncasecmp(text, "<br", 3) == 0)
			line_break(c);
		break;
	default:
		emit(c, text, size, false);
		break;
	}
	return 0;
}

enum meta_field {
	META_NONE,
	META_TITLE,
	META_ID,
	META_DATE,
	META_TIME,
	META_TZ,
	META_SEVERITY,
	META_STATUS,
	META_AUTHORS,
	META_TAGS,
	META_DRAFT,
	META_PUBLISHED,
	META_DOC_DATE,		/* when the document changed: never the incident's date */
};

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

static enum meta_field
meta_field_of(const char *key)
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
	return meta_field_of(label) != META_NONE;
}

static void
set_once(char **field, const char *value)
{
	if (*field == NULL && value[0] != '\0')
		*field = xstrdup(value);
}

/* Where metadata is being read from, and what has been read. */
struct meta_state {
	struct postmortem *pm;
	const struct import_options *o;
	const char *path;
	const char *from;	/* "front matter", "metadata", "table", "section" */
	bool have_authors, have_tags;
};

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
		set_once(&pm->title, value);
		break;
	case META_ID:
		set_once(&pm->id, value);
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
			set_once(&pm->time, hm);
			set_once(&pm->tz, d.tz);
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
				set_once(&pm->tz, t.tz);
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
	enum meta_field field = meta_field_of(key);

	if (field == META_NONE || value == NULL)
		return;
	if (value->type == YAML_SCALAR_NODE) {
		apply_meta(ms, field, yaml_scalar(doc, value));
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
static int
parse_front_matter(struct meta_state *ms, const char *yaml, size_t len, int first_line,
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
static const char *
split_front_matter(const char *buf, size_t len, const char **yaml, size_t *yaml_len,
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

struct span {
	size_t start, end;
};

struct spans {
	struct span s[16];
	size_t n;
};

static void
spans_add(struct spans *sp, size_t start, size_t end)
{
	if (sp->n < sizeof(sp->s) / sizeof(sp->s[0]) && end > start)
		sp->s[sp->n++] = (struct span){ .start = start, .end = end };
}

static bool
removed(const struct spans *sp, size_t i)
{
	for (size_t k = 0; k < sp->n; k++)
		if (i >= sp->s[k].start && i < sp->s[k].end)
			return true;
	return false;
}

static bool
is_word_char(char ch)
{
	return isalnum((unsigned char)ch) || ch == '_';
}

/* "OPS-123" at s: 2..10 capitals/digits, a dash, digits; returns its length. */
static size_t
jira_key_length(const char *s)
{
	size_t n = 0;

	if (!(s[0] >= 'A' && s[0] <= 'Z'))
		return 0;
	while ((s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_')
		n++;
	if (n < 2 || n > 10 || s[n] != '-' || !isdigit((unsigned char)s[n + 1]))
		return 0;
	if ((n == 3 && (strncmp(s, "SEV", 3) == 0 || strncmp(s, "UTF", 3) == 0 ||
			strncmp(s, "ISO", 3) == 0 || strncmp(s, "RFC", 3) == 0 ||
			strncmp(s, "CVE", 3) == 0)))
		return 0;
	size_t m = n + 1;
	while (isdigit((unsigned char)s[m]))
		m++;
	if (is_word_char(s[m]) || s[m] == '-')
		return 0;
	return m;
}

/* A ticket reference from a URL: GitHub issues/pulls and Jira browse links. */
static char *
ticket_from_url(const char *url)
{
	const char *p;

	if ((p = strstr(url, "github.com/")) != NULL) {
		p += strlen("github.com/");
		const char *owner = p, *slash = strchr(owner, '/');
		if (slash == NULL)
			return NULL;
		const char *repo = slash + 1, *slash2 = strchr(repo, '/');
		if (slash2 == NULL)
			return NULL;
		const char *kind = slash2 + 1;
		size_t skip = strncmp(kind, "issues/", 7) == 0 ? 7 : strncmp(kind, "pull/", 5) == 0 ? 5 : 0;
		if (skip == 0 || !isdigit((unsigned char)kind[skip]))
			return NULL;
		size_t nd = strspn(kind + skip, "0123456789");
		return xasprintf("%.*s/%.*s#%.*s", (int)(slash - owner), owner,
				 (int)(slash2 - repo), repo, (int)nd, kind + skip);
	}
	if ((p = strstr(url, "/browse/")) != NULL) {
		p += strlen("/browse/");
		size_t n = jira_key_length(p);
		if (n == 0) {
			n = 0;
			while (p[n] != '\0' && p[n] != '?' && p[n] != '#' && p[n] != '/')
				n++;
			if (n == 0)
				return NULL;
		}
		return xstrndup(p, n);
	}
	return NULL;
}

/* "#123" at s (preceded by a non-word byte); returns its length. */
static size_t
hash_ref_length(const char *s)
{
	if (s[0] != '#' || !isdigit((unsigned char)s[1]))
		return 0;
	size_t n = 1 + strspn(s + 1, "0123456789");
	return is_word_char(s[n]) ? 0 : n;
}

/* "acme/pay#812" starting at i; returns its length. */
static size_t
repo_ref_length(const char *t, size_t i)
{
	size_t n = i, slash = 0;

	while (is_word_char(t[n]) || t[n] == '-' || t[n] == '.' || t[n] == '/') {
		if (t[n] == '/') {
			if (slash != 0)
				return 0;
			slash = n;
		}
		n++;
	}
	if (slash == 0 || slash == i || slash + 1 == n || t[n] != '#')
		return 0;
	size_t h = hash_ref_length(t + n);
	return h > 0 ? n + h - i : 0;
}

static bool
looks_like_url(const char *s, size_t n)
{
	return (n > 7 && strncmp(s, "http://", 7) == 0) || (n > 8 && strncmp(s, "https://", 8) == 0) ||
	       (n > 4 && strncmp(s, "www.", 4) == 0);
}

/* The words that say a ticket follows or a column holds tickets. */
static const char *const ticket_words[] = { "ticket", "tickets", "jira", "bug", "bugs", "issue",
					     "issues", "チケット", "課題" };

static bool
is_ticket_word_at(const char *s, size_t len, size_t at, size_t n)
{
	bool ascii = (unsigned char)s[at] < 0x80;

	return !ascii || ((at == 0 || !is_word_char(s[at - 1])) &&
			  (at + n == len || !is_word_char(s[at + n])));
}

/* Whether the text before at (blanks, ':', '#' and an opening bracket aside)
 * ends in a word that says a ticket follows: "Ticket: OPS-1", "(ticket OPS-1)",
 * "Jira OPS-1", "チケット：OPS-1". */
static bool
ticket_label_before(const char *t, size_t at)
{
	size_t e = at;

	while (e > 0 && (t[e - 1] == ' ' || t[e - 1] == ':' || t[e - 1] == '#' ||
			 t[e - 1] == '(' || t[e - 1] == '['))
		e--;
	for (bool again = true; again;) {
		again = false;
		static const char *const wide[] = { "：", "（", "【", "　" };
		for (size_t k = 0; k < sizeof(wide) / sizeof(wide[0]); k++)
			if (e >= strlen(wide[k]) && strncmp(t + e - strlen(wide[k]), wide[k],
							    strlen(wide[k])) == 0) {
				e -= strlen(wide[k]);
				again = true;
			}
		while (e > 0 && t[e - 1] == ' ') {
			e--;
			again = true;
		}
	}
	for (size_t k = 0; k < sizeof(ticket_words) / sizeof(ticket_words[0]); k++) {
		size_t n = strlen(ticket_words[k]);
		if (e >= n && strncasecmp(t + e - n, ticket_words[k], n) == 0 &&
		    is_ticket_word_at(t, e, e - n, n))
			return true;
	}
	return false;
}

/* Whether a table header names a ticket column: "Ticket", "Jira", "Bug",
 * "Status / Ticket", "チケット". */
static bool
header_says_ticket(const char *header)
{
	char *norm = headings_normalise(header);
	size_t len = strlen(norm);
	bool yes = false;

	for (size_t k = 0; k < sizeof(ticket_words) / sizeof(ticket_words[0]) && !yes; k++) {
		size_t n = strlen(ticket_words[k]);
		for (const char *p = norm; !yes && (p = strstr(p, ticket_words[k])) != NULL; p++)
			yes = is_ticket_word_at(norm, len, (size_t)(p - norm), n);
	}
	free(norm);
	return yes;
}

/* A bare KEY-123 in running text is a ticket only when a word such as
 * "ticket" stands before it, its table column names tickets (labelled), or
 * its project is one of [import] jira_projects; anything else (SHA-256,
 * HTTP-503, "OPS-412 add alert" without configured projects) stays text. */
static bool
ticket_key_ok(const struct import_options *o, const char *t, size_t at, size_t n, bool labelled)
{
	size_t dash = 0;

	while (dash < n && t[at + dash] != '-')
		dash++;
	if (labelled || ticket_label_before(t, at))
		return true;
	for (size_t k = 0; o != NULL && k < o->n_jira_projects; k++)
		if (strlen(o->jira_projects[k]) == dash &&
		    strncmp(o->jira_projects[k], t + at, dash) == 0)
			return true;
	return false;
}

/* Full-width punctuation ends a URL: "https://x/issues/215）". */
static size_t
url_length(const char *url)
{
	static const char *const stops[] = { "）", "、", "。", "」", "』", "】", "，", "：",
					      "（", "　" };
	size_t n = 0;

	for (; url[n] != '\0'; n++)
		for (size_t k = 0; (unsigned char)url[n] >= 0x80 && k < sizeof(stops) / sizeof(stops[0]); k++)
			if (strncmp(url + n, stops[k], strlen(stops[k])) == 0)
				return n;
	return n;
}

/* Widens a span over a label that only introduced it ("チケット: URL"). */
static void
spans_add_labelled(struct spans *sp, const char *t, size_t start, size_t end)
{
	static const char *const labels[] = { "チケット", "ticket", "issue", "jira", "link" };
	size_t s = start;

	while (s > 0 && t[s - 1] == ' ')
		s--;
	if (s > 0 && t[s - 1] == ':')
		s--;
	else if (s >= 3 && strncmp(t + s - 3, "：", 3) == 0)
		s -= 3;
	else
		s = start;
	if (s != start) {
		while (s > 0 && t[s - 1] == ' ')
			s--;
		for (size_t k = 0; k < sizeof(labels) / sizeof(labels[0]); k++) {
			size_t n = strlen(labels[k]);
			if (s >= n && strncasecmp(t + s - n, labels[k], n) == 0) {
				start = s - n;
				break;
			}
		}
	}
	spans_add(sp, start, end);
}

/* The ticket a link names (its URL, or a label that is a key); marks the
 * text that only named it. */
static void
ticket_from_link(const char *t, const struct link *l, struct measure *m, struct spans *sp)
{
	size_t ul = url_length(l->href), end = l->end;
	char *href = xstrndup(l->href, ul);
	/* an autolink's text is its URL: cut both at the same place */
	if (ul < strlen(l->href) && end - l->start > ul &&
	    strncmp(t + l->start, href, ul) == 0)
		end = l->start + ul;
	char *label = xstrndup(t + l->start, end - l->start);
	char *ticket = ticket_from_url(href);
	char *tl = text_trim(label);
	size_t kl = jira_key_length(tl), hl = hash_ref_length(tl);
	if (ticket == NULL && ((kl > 0 && kl == strlen(tl)) || (hl > 0 && hl == strlen(tl))))
		ticket = xstrdup(tl);
	if (ticket != NULL) {
		m->ticket = ticket;
		m->ticket_url = href;
		href = NULL;
		/* a label that only repeats the reference is not part of the title */
		if (looks_like_url(tl, strlen(tl)) || (kl > 0 && kl == strlen(tl)) ||
		    (hl > 0 && hl == strlen(tl)) || strcasecmp(tl, "link") == 0 ||
		    strcasecmp(tl, "ticket") == 0 || strcasecmp(tl, "issue") == 0 ||
		    strcasecmp(tl, "pr") == 0 || strcmp(tl, "チケット") == 0 ||
		    strcasecmp(tl, m->ticket) == 0)
			spans_add_labelled(sp, t, l->start, end);
	}
	free(href);
	free(tl);
	free(label);
}

/* Whether text[at] lies inside one of the fragment's link spans. */
static bool
in_link(const struct fragment *f, size_t at)
{
	for (size_t i = 0; i < f->n_links; i++)
		if (at >= f->links[i].start && at < f->links[i].end)
			return true;
	return false;
}

/* A URL written as plain text at t[at] ("https://..." after a space, a
 * colon or the start), up to the next space: its length, 0 when none.
 * md4c's permissive autolinks make some URLs link spans and leave others
 * text, differently from one version to the next (0.4 links
 * "URL）" whole, 0.5 leaves it text), so a URL is found in both. */
static size_t
bare_url_length(const char *t, size_t at)
{
	size_t n = 0;

	if (at > 0 && (is_word_char(t[at - 1]) || t[at - 1] == '/' || t[at - 1] == '.'))
		return 0;
	if (strncmp(t + at, "http://", 7) != 0 && strncmp(t + at, "https://", 8) != 0)
		return 0;
	while (t[at + n] != '\0' && !isspace((unsigned char)t[at + n]))
		n++;
	/* trailing punctuation ends a sentence, not the URL; so does a ')'
	 * that closes a parenthesis opened before it */
	while (n > 0 && strchr(".,:;!?\"'*_~", t[at + n - 1]) != NULL)
		n--;
	while (n > 0 && t[at + n - 1] == ')' && memchr(t + at, '(', n) == NULL)
		n--;
	return n;
}

/* Finds the ticket of a fragment; marks the text that only named it. */
static void
find_ticket(const struct import_options *o, const struct fragment *f, bool labelled,
	    struct measure *m, struct spans *sp)
{
	const char *t = strbuf_str(&f->text);

	for (size_t i = 0; i < f->n_links && m->ticket == NULL; i++)
		ticket_from_link(t, &f->links[i], m, sp);
	for (size_t i = 0; t[i] != '\0' && m->ticket == NULL; i++) {
		size_t n = in_link(f, i) ? 0 : bare_url_length(t, i);
		if (n > 0) {
			char *url = xstrndup(t + i, n);
			struct link bare = { .href = url, .start = i, .end = i + n };
			ticket_from_link(t, &bare, m, sp);
			free(url);
			i += n - 1;
		}
	}
	for (size_t i = 0; t[i] != '\0' && m->ticket == NULL; i++) {
		if (i > 0 && (is_word_char(t[i - 1]) || t[i - 1] == '-' || t[i - 1] == '/'))
			continue;
		size_t n = jira_key_length(t + i);
		if (n > 0 && !ticket_key_ok(o, t, i, n, labelled))
			n = 0;
		if (n == 0)
			n = hash_ref_length(t + i);
		if (n == 0)
			n = repo_ref_length(t, i);
		if (n > 0) {
			m->ticket = xstrndup(t + i, n);
			size_t from = i;
			/* "Jira OPS-1", "(ticket OPS-1)": the word only introduced it */
			if (i > 0 && t[i - 1] == ' ' && ticket_label_before(t, i)) {
				size_t e = i;
				while (e > 0 && t[e - 1] == ' ')
					e--;
				for (size_t k = 0; k < sizeof(ticket_words) / sizeof(ticket_words[0]); k++) {
					size_t w = strlen(ticket_words[k]);
					if (e >= w && strncasecmp(t + e - w, ticket_words[k], w) == 0 &&
					    is_ticket_word_at(t, e, e - w, w)) {
						from = e - w;
						break;
					}
				}
			}
			spans_add_labelled(sp, t, from, i + n);
		}
	}
}

static bool
ci_at(const char *s, const char *word)
{
	return strncasecmp(s, word, strlen(word)) == 0;
}

static const struct {
	const char *word;
	enum measure_status status;
} status_words[] = {
	{ "won't do", MEASURE_NOT_DOING }, { "wont do", MEASURE_NOT_DOING },
	{ "not doing", MEASURE_NOT_DOING }, { "rejected", MEASURE_NOT_DOING },
	{ "cancelled", MEASURE_NOT_DOING }, { "canceled", MEASURE_NOT_DOING },
	{ "見送り", MEASURE_NOT_DOING }, { "不採用", MEASURE_NOT_DOING },
	{ "却下", MEASURE_NOT_DOING }, { "中止", MEASURE_NOT_DOING },
	{ "not started", MEASURE_OPEN }, { "in progress", MEASURE_OPEN },
	{ "in review", MEASURE_OPEN }, { "todo", MEASURE_OPEN }, { "to do", MEASURE_OPEN },
	{ "open", MEASURE_OPEN }, { "wip", MEASURE_OPEN }, { "pending", MEASURE_OPEN },
	{ "planned", MEASURE_OPEN }, { "blocked", MEASURE_OPEN }, { "未着手", MEASURE_OPEN },
	{ "対応中", MEASURE_OPEN }, { "進行中", MEASURE_OPEN }, { "未対応", MEASURE_OPEN },
	{ "検討中", MEASURE_OPEN }, { "作業中", MEASURE_OPEN }, { "未完了", MEASURE_OPEN },
	{ "done", MEASURE_DONE }, { "closed", MEASURE_DONE }, { "fixed", MEASURE_DONE },
	{ "completed", MEASURE_DONE }, { "complete", MEASURE_DONE }, { "resolved", MEASURE_DONE },
	{ "merged", MEASURE_DONE }, { "shipped", MEASURE_DONE }, { "deployed", MEASURE_DONE },
	{ "完了", MEASURE_DONE }, { "対応済み", MEASURE_DONE }, { "対応済", MEASURE_DONE },
	{ "実施済み", MEASURE_DONE }, { "済み", MEASURE_DONE }, { "済", MEASURE_DONE },
	{ "\xE2\x9C\x85", MEASURE_DONE }, { "\xE2\x9C\x94", MEASURE_DONE },
	{ "\xE2\x98\x91", MEASURE_DONE },
};

/* A status word at s; returns its length or 0. */
static size_t
status_word_at(const char *s, enum measure_status *out)
{
	for (size_t i = 0; i < sizeof(status_words) / sizeof(status_words[0]); i++) {
		const char *w = status_words[i].word;
		size_t n = strlen(w);
		if (!ci_at(s, w))
			continue;
		if (isalpha((unsigned char)w[0]) && is_word_char(s[n]))
			continue;
		*out = status_words[i].status;
		return n;
	}
	return 0;
}

/* The first status word anywhere in a cell ("Done (OPS-123)", "OPS-9 ✅"). */
static bool
status_in_cell(const char *s, enum measure_status *out)
{
	for (size_t i = 0; s[i] != '\0'; i++) {
		if (i > 0 && isalpha((unsigned char)s[i]) && is_word_char(s[i - 1]))
			continue;
		if (status_word_at(s + i, out) > 0)
			return true;
	}
	return false;
}

/* In a list item, a status counts only where it is clearly marked: in
 * brackets ("(done)", "[完了]"), after "Status:", or as a check mark. */
static bool
find_marked_status(const char *t, struct spans *sp, enum measure_status *out)
{
	static const char *const labels[] = { "status:", "status：", "状態:", "状態：",
					       "ステータス:", "ステータス：" };

	for (size_t i = 0; t[i] != '\0'; i++) {
		size_t open = 0, n;
		if (t[i] == '(' || t[i] == '[')
			open = 1;
		else if (strncmp(t + i, "（", 3) == 0 || strncmp(t + i, "【", 3) == 0)
			open = 3;
		for (size_t k = 0; open == 0 && k < sizeof(labels) / sizeof(labels[0]); k++)
			if (ci_at(t + i, labels[k]) && (i == 0 || !is_word_char(t[i - 1])))
				open = strlen(labels[k]);
		size_t j = i + open;
		while (open > 0 && t[j] == ' ')
			j++;
		if (open > 0 && (n = status_word_at(t + j, out)) > 0) {
			size_t end = j + n;
			while (t[end] == ' ')
				end++;
			if (t[end] == ')' || t[end] == ']')
				end++;
			else if (strncmp(t + end, "）", 3) == 0 || strncmp(t + end, "】", 3) == 0)
				end += 3;
			spans_add(sp, i, end);
			return true;
		}
		if (open == 0 && (unsigned char)t[i] == 0xE2 && (n = status_word_at(t + i, out)) > 0) {
			spans_add(sp, i, i + n);
			return true;
		}
		/* the last word of a bracket after a comma: "(Owner: Diego, done)" */
		if (t[i] == ',' || strncmp(t + i, "、", 3) == 0) {
			j = i + (t[i] == ',' ? 1 : 3);
			while (t[j] == ' ')
				j++;
			if ((n = status_word_at(t + j, out)) > 0) {
				size_t end = j + n;
				while (t[end] == ' ')
					end++;
				if (t[end] == ')' || t[end] == ']' || strncmp(t + end, "）", 3) == 0) {
					spans_add(sp, i, end);
					return true;
				}
			}
		}
	}
	return false;
}

/* The end of an inline value such as an owner name. */
static size_t
value_end(const char *t, size_t i)
{
	while (t[i] != '\0' && t[i] != ',' && t[i] != ';' && t[i] != ')' && t[i] != '|' &&
	       strncmp(t + i, "）", 3) != 0 && strncmp(t + i, "、", 3) != 0 &&
	       strncmp(t + i, "，", 3) != 0 && !ci_at(t + i, " due") && !ci_at(t + i, " by ") &&
	       strncmp(t + i, " 期限", 7) != 0 && strncmp(t + i, "期限", 6) != 0 &&
	       !(t[i] == ' ' && t[i + 1] == '-' && t[i + 2] == ' '))
		i++;
	return i;
}

static void
find_owner(const char *t, struct measure *m, struct spans *sp)
{
	size_t n = strlen(t);

	static const char *const labels[] = { "owner:", "owner：", "assignee:", "assignee：",
					       "担当者:", "担当者：", "担当:", "担当：",
					       "responsible:" };

	for (size_t i = 0; t[i] != '\0' && m->owner == NULL; i++) {
		for (size_t k = 0; k < sizeof(labels) / sizeof(labels[0]); k++) {
			if (!ci_at(t + i, labels[k]) || (i > 0 && is_word_char(t[i - 1])))
				continue;
			size_t v = i + strlen(labels[k]);
			while (t[v] == ' ')
				v++;
			size_t e = value_end(t, v);
			char *raw = xstrndup(t + v, e - v);
			char *name = text_trim(raw);
			if (name[0] == '@')
				memmove(name, name + 1, strlen(name));
			if (name[0] != '\0') {
				m->owner = name;
				spans_add(sp, i, e);
			} else {
				free(name);
			}
			free(raw);
			break;
		}
	}
	for (size_t i = 0; t[i] != '\0' && m->owner == NULL; i++) {
		if (t[i] != '@' || (i > 0 && is_word_char(t[i - 1])))
			continue;
		size_t e = i + 1;
		while (t[e] != '\0' && (is_word_char(t[e]) || t[e] == '-' || t[e] == '.' ||
					(unsigned char)t[e] >= 0x80) &&
		       strncmp(t + e, "、", 3) != 0 && strncmp(t + e, "）", 3) != 0 &&
		       strncmp(t + e, "　", 3) != 0)
			e++;
		while (e > i + 1 && t[e - 1] == '.')
			e--;
		if (e > i + 1) {
			m->owner = xstrndup(t + i + 1, e - i - 1);
			spans_add(sp, i, e);
		}
	}
	if (m->owner != NULL)
		return;
	/* "(Aoi)" or "(Aoi Tanaka)" closing the item: conservative, Latin names only */
	while (n > 0 && (t[n - 1] == ' ' || removed(sp, n - 1)))
		n--;
	if (n < 4 || t[n - 1] != ')')
		return;
	size_t open = n - 1;
	while (open > 0 && t[open] != '(')
		open--;
	if (t[open] != '(')
		return;
	size_t words = 0, len = n - 1 - (open + 1);
	bool ok = len >= 2 && len <= 30;
	for (size_t i = open + 1; ok && i < n - 1; i++) {
		if (i == open + 1 || t[i - 1] == ' ') {
			ok = t[i] >= 'A' && t[i] <= 'Z';
			words++;
		} else if (t[i] != ' ' && !(t[i] >= 'a' && t[i] <= 'z')) {
			ok = false;
		}
	}
	enum measure_status ignored;
	if (ok && words <= 2 && status_word_at(t + open + 1, &ignored) == 0) {
		m->owner = xstrndup(t + open + 1, len);
		spans_add(sp, open, n);
	}
}

static void
set_due(struct measure *m, const struct date_parts *d)
{
	char ymd[11];

	date_format_ymd(d, ymd);
	free(m->due);
	m->due = xstrdup(ymd);
}

static void
find_due(const char *t, struct measure *m, struct spans *sp)
{
	static const char *const labels[] = { "due date", "due by", "due", "deadline", "by",
					       "until", "期限", "期日", "締め切り", "〆切" };
	struct date_parts d;

	for (size_t i = 0; t[i] != '\0' && m->due == NULL; i++) {
		for (size_t k = 0; k < sizeof(labels) / sizeof(labels[0]); k++) {
			bool latin = isalpha((unsigned char)labels[k][0]);
			if (!ci_at(t + i, labels[k]) || (latin && i > 0 && is_word_char(t[i - 1])))
				continue;
			size_t v = i + strlen(labels[k]);
			if (latin && is_word_char(t[v]))
				continue;
			while (t[v] == ' ' || t[v] == ':')
				v++;
			if (strncmp(t + v, "：", 3) == 0)
				v += 3;
			while (t[v] == ' ')
				v++;
			size_t n = date_parse_prefix(t + v, &d);
			if (n == 0)
				continue;
			set_due(m, &d);
			spans_add(sp, i, v + n);
			break;
		}
	}
}

/* Copies t without the marked spans, tidying the brackets and commas that
 * the removals leave behind ("Add alert (owner: @aoi, OPS-1)" -> "Add alert"). */
static char *
clean_title(const char *t, const struct spans *sp)
{
	struct strbuf sb = STRBUF_INIT;
	bool space = false;

	for (size_t i = 0; t[i] != '\0'; i++) {
		char ch = t[i];
		if (removed(sp, i))
			continue;
		if (ch == ' ' || ch == '\t' || ch == '\n') {
			space = sb.len > 0;
			continue;
		}
		char prev = sb.len > 0 ? sb.buf[sb.len - 1] : '\0';
		if ((ch == ',' || ch == ';') && (prev == '(' || prev == '[' || prev == ',' || prev == ';'))
			continue;
		if (ch == ')' || ch == ']') {
			while (sb.len > 0 && (sb.buf[sb.len - 1] == ',' || sb.buf[sb.len - 1] == ';' ||
					      sb.buf[sb.len - 1] == ' '))
				sb.len--;
			prev = sb.len > 0 ? sb.buf[sb.len - 1] : '\0';
			if ((ch == ')' && prev == '(') || (ch == ']' && prev == '[')) {
				sb.len--;
				while (sb.len > 0 && sb.buf[sb.len - 1] == ' ')
					sb.len--;
				sb.buf[sb.len] = '\0';
				space = sb.len > 0;
				continue;
			}
			if (sb.buf != NULL)
				sb.buf[sb.len] = '\0';
			space = false;
		}
		if (space && prev != '(' && prev != '[' && ch != ')' && ch != ']' && ch != ',')
			strbuf_addc(&sb, ' ');
		space = false;
		strbuf_addc(&sb, ch);
	}
	/* what removals leave inside full-width brackets: "（、、）" */
	static const char *const tidy[][2] = {
		{ "（ ", "（" }, { " ）", "）" }, { "（、", "（" }, { "、）", "）" }, { "、、", "、" },
		{ "（，", "（" }, { "，）", "）" }, { "（,", "（" }, { ",）", "）" }, { "、 ", "、" },
		{ "（）", "" }, { "【】", "" }, { "「」", "" }, { "()", "" },
	};
	for (bool again = sb.buf != NULL; again;) {
		again = false;
		for (size_t k = 0; k < sizeof(tidy) / sizeof(tidy[0]); k++) {
			char *p;
			while ((p = strstr(sb.buf, tidy[k][0])) != NULL) {
				size_t n = strlen(tidy[k][0]), m = strlen(tidy[k][1]);
				memcpy(p, tidy[k][1], m);
				memmove(p + m, p + n, strlen(p + n) + 1);
				sb.len -= n - m;
				again = true;
			}
		}
	}
	char *s = strbuf_detach(&sb);
	/* separators left dangling at either end */
	static const char *const seps[] = { " ", "-", ":", "|", ",", "/", ";", "\xE2\x80\x94",
					     "\xE2\x80\x93", "、", "：", "。", "・", "\xE3\x80\x80" };
	static const char *const openers[] = { "(", "[", "（", "【" };
	size_t start = 0, end = strlen(s);
	for (bool again = true; again;) {
		again = false;
		for (size_t k = 0; k < sizeof(openers) / sizeof(openers[0]); k++) {
			size_t n = strlen(openers[k]);
			if (end - start >= n && memcmp(s + end - n, openers[k], n) == 0) {
				end -= n;
				again = true;
			}
		}
		for (size_t k = 0; k < sizeof(seps) / sizeof(seps[0]); k++) {
			size_t n = strlen(seps[k]);
			if (end - start >= n && memcmp(s + end - n, seps[k], n) == 0) {
				end -= n;
				again = true;
			}
			if (end - start >= n && memcmp(s + start, seps[k], n) == 0) {
				start += n;
				again = true;
			}
		}
	}
	char *out = xstrndup(s + start, end - start);
	free(s);
	return out;
}

/* Reads "Owner: ...", "Due: ...", "Status: ..." lines nested under an item. */
static void
read_extra(const char *extra, struct measure *m)
{
	const char *p = extra;

	while (*p != '\0') {
		size_t n = strcspn(p, "\n");
		char *line = xstrndup(p, n);
		struct spans sp = { .n = 0 };
		const char *l = line;
		if (strncmp(l, "- ", 2) == 0)
			l += 2;
		if (m->owner == NULL)
			find_owner(l, m, &sp);
		if (m->due == NULL)
			find_due(l, m, &sp);
		enum measure_status st;
		if (m->status == MEASURE_OPEN && find_marked_status(l, &sp, &st))
			m->status = st;
		free(line);
		p += n;
		if (*p == '\n')
			p++;
	}
}

/* True when most of the text is struck through: "~~add alert~~" means done. */
static bool
mostly_struck(const struct fragment *f)
{
	size_t visible = 0;

	for (size_t i = 0; i < f->text.len; i++)
		if (f->text.buf[i] != ' ')
			visible++;
	return f->struck > 0 && f->struck * 2 >= visible;
}

static struct measure *
measure_from_item(const struct import_options *o, struct postmortem *pm, const struct row *r,
		  bool not_doing)
{
	const struct fragment *f = &r->cells[0];
	const char *t = strbuf_str(&f->text);
	struct measure tmp = { .status = MEASURE_OPEN };
	struct spans sp = { .n = 0 };
	enum measure_status st;

	find_ticket(o, f, false, &tmp, &sp);
	if (find_marked_status(t, &sp, &st))
		tmp.status = st;
	find_due(t, &tmp, &sp);
	find_owner(t, &tmp, &sp);
	read_extra(strbuf_str(&r->extra), &tmp);
	if (r->task == 1 || mostly_struck(f))
		tmp.status = MEASURE_DONE;
	if (not_doing)
		tmp.status = MEASURE_NOT_DOING;
	char *title = clean_title(t, &sp);
	/* a bullet that is only an issue's address is that measure */
	if (title[0] == '\0' && tmp.ticket != NULL) {
		free(title);
		title = xstrdup(tmp.ticket);
	}
	if (title[0] == '\0') {
		free(title);
		free(tmp.owner);
		free(tmp.due);
		free(tmp.ticket);
		free(tmp.ticket_url);
		return NULL;
	}
	struct measure *m = postmortem_add_measure(pm, title);
	free(title);
	m->owner = tmp.owner;
	m->due = tmp.due;
	m->status = tmp.status;
	m->ticket = tmp.ticket;
	m->ticket_url = tmp.ticket_url;
	return m;
}

enum column {
	COL_OTHER,
	COL_ACTION,
	COL_OWNER,
	COL_DUE,
	COL_STATUS,
	COL_TICKET,
	COL_DECISION,	/* adopted or not: a "no" makes the row a not-adopted measure */
};

static const struct {
	const char *name;	/* as headings_normalise() leaves it */
	enum column col;
} column_names[] = {
	{ "action", COL_ACTION }, { "actions", COL_ACTION }, { "action item", COL_ACTION },
	{ "item", COL_ACTION }, { "measure", COL_ACTION }, { "task", COL_ACTION },
	{ "title", COL_ACTION }, { "description", COL_ACTION }, { "what", COL_ACTION },
	{ "対策", COL_ACTION }, { "内容", COL_ACTION }, { "タスク", COL_ACTION },
	{ "項目", COL_ACTION }, { "アクション", COL_ACTION }, { "再発防止策", COL_ACTION },
	{ "対策内容", COL_ACTION },
	{ "owner", COL_OWNER }, { "assignee", COL_OWNER }, { "who", COL_OWNER },
	{ "responsible", COL_OWNER }, { "担当", COL_OWNER }, { "担当者", COL_OWNER },
	{ "due", COL_DUE }, { "due date", COL_DUE }, { "deadline", COL_DUE }, { "when", COL_DUE },
	{ "target date", COL_DUE }, { "期限", COL_DUE }, { "期日", COL_DUE },
	{ "eta", COL_DUE }, { "期限日", COL_DUE }, { "完了予定", COL_DUE },
	{ "完了予定日", COL_DUE }, { "予定日", COL_DUE },
	{ "decision", COL_DECISION }, { "adopted", COL_DECISION }, { "adoption", COL_DECISION },
	{ "accepted", COL_DECISION }, { "採否", COL_DECISION }, { "採用", COL_DECISION },
	{ "採用可否", COL_DECISION }, { "判断", COL_DECISION }, { "対応要否", COL_DECISION },
	{ "status", COL_STATUS }, { "state", COL_STATUS }, { "状態", COL_STATUS },
	{ "ステータス", COL_STATUS }, { "進捗", COL_STATUS },
	{ "ticket", COL_TICKET }, { "issue", COL_TICKET }, { "link", COL_TICKET },
	{ "jira", COL_TICKET }, { "tracking", COL_TICKET }, { "チケット", COL_TICKET },
	{ "ticket status", COL_STATUS }, { "status ticket", COL_STATUS },
	{ "リンク", COL_TICKET }, { "課題", COL_TICKET },
};

static enum column
column_of(const char *header)
{
	char *norm = headings_normalise(header);
	enum column c = COL_OTHER;

	for (size_t i = 0; i < sizeof(column_names) / sizeof(column_names[0]); i++)
		if (strcmp(norm, column_names[i].name) == 0)
			c = column_names[i].col;
	free(norm);
	return c;
}

#define MAX_COLUMNS 16

/* Whether a decision cell says the measure was decided against: "not
 * adopted", "rejected", "no", 見送り, 不採用... (compared as
 * headings_normalise() leaves it: lower case, punctuation as blanks). */
static bool
decided_against(const char *cell)
{
	static const char *const words[] = {
		"no", "not adopted", "rejected", "declined", "dropped", "wont do", "won t do",
		"not doing", "not accepted", "見送り", "見送る", "不採用", "却下", "対応しない",
		"実施しない", "不要",
	};
	char *norm = headings_normalise(cell);
	bool against = false;

	for (size_t i = 0; !against && i < sizeof(words) / sizeof(words[0]); i++)
		against = strcmp(norm, words[i]) == 0;
	free(norm);
	return against;
}

static void
measure_from_row(const struct import_options *o, struct postmortem *pm, const struct row *r,
		 const enum column *cols, const bool *ticket_cols, size_t n_cols, bool not_doing)
{
	long action = -1;

	for (size_t i = 0; i < r->n_cells && i < n_cols; i++)
		if (cols[i] == COL_ACTION && action < 0)
			action = (long)i;
	for (size_t i = 0; i < r->n_cells && i < n_cols && action < 0; i++)
		if (cols[i] == COL_OTHER)
			action = (long)i;
	if (action < 0)
		action = 0;
	if ((size_t)action >= r->n_cells)
		return;
	/* a decision column says, row by row, what was not adopted */
	for (size_t i = 0; i < r->n_cells && i < n_cols && !not_doing; i++) {
		if (cols[i] == COL_DECISION) {
			char *v = text_trim(strbuf_str(&r->cells[i].text));
			not_doing = decided_against(v);
			free(v);
		}
	}

	struct row one = { .cells = &r->cells[action], .n_cells = 1, .task = -1 };
	struct measure *m = measure_from_item(o, pm, &one, not_doing);
	if (m == NULL)
		return;
	for (size_t i = 0; i < r->n_cells && i < n_cols; i++) {
		const struct fragment *f = &r->cells[i];
		char *v = text_trim(strbuf_str(&f->text));
		struct date_parts d;
		size_t at;
		enum measure_status st;
		struct spans sp = { .n = 0 };
		switch (cols[i]) {
		case COL_OWNER:
			if (v[0] != '\0' && strcmp(v, "-") != 0) {
				free(m->owner);
				m->owner = xstrdup(v[0] == '@' ? v + 1 : v);
			}
			break;
		case COL_DUE:
			if (date_find(v, &d, &at) > 0)
				set_due(m, &d);
			break;
		case COL_STATUS:
			if (!not_doing && status_in_cell(v, &st))
				m->status = st;
			if (mostly_struck(f) && !not_doing)
				m->status = MEASURE_DONE;
			if (m->ticket == NULL)
				find_ticket(o, f, ticket_cols[i], m, &sp);
			break;
		case COL_TICKET:
			if (m->ticket == NULL)
				find_ticket(o, f, ticket_cols[i], m, &sp);
			if (!not_doing && status_in_cell(v, &st))
				m->status = st;
			break;
		default:
			break;
		}
		free(v);
	}
	for (size_t i = 0; i < r->n_cells && m->ticket == NULL; i++) {
		struct spans sp = { .n = 0 };
		if ((long)i != action)
			find_ticket(o, &r->cells[i], i < n_cols && ticket_cols[i], m, &sp);
	}
}

/* Metadata written in the body: "**Date:** ...", "Owner: ...", a two-column
 * table. Before the first section every such line counts; in the first
 * section (table_only) a key/value table does, and, unless it is a known
 * section (tables_only: a Summary is prose, so "Status: the job said ..."
 * stays a sentence), a block of short lines with a colon at its top. */
static void
scan_body_meta(struct meta_state *ms, const char *text, bool table_only, bool tables_only)
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
			enum meta_field f = meta_field_of(l);
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
static void
scan_meta_tables(struct meta_state *ms, const struct ctx *c, size_t chunk)
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
			enum meta_field f = meta_field_of(strbuf_str(&h->cells[k].text));
			if (f != META_NONE)
				apply_meta(ms, f, strbuf_str(&b->cells[k].text));
		}
	}
}

/* A "## Date", "## Authors", "## Status" or "### 発生日時" section: its text
 * fills the field (the headings files meta_*.txt name them). */
static bool
apply_meta_section(struct meta_state *ms, const struct chunk *ch)
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

static void
ctx_release(struct ctx *c)
{
	for (size_t i = 0; i < c->n_chunks; i++) {
		free(c->chunks[i].heading);
		strbuf_release(&c->chunks[i].text);
	}
	free(c->chunks);
	for (size_t i = 0; i < c->n_rows; i++) {
		for (size_t k = 0; k < c->rows[i].n_cells; k++)
			fragment_release(&c->rows[i].cells[k]);
		free(c->rows[i].cells);
		strbuf_release(&c->rows[i].extra);
	}
	free(c->rows);
	strbuf_release(&c->heading);
	free(c->href);
}

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

/* A not-adopted list written as a paragraph: each line or Japanese
 * sentence is one measure. */
static void
not_doing_from_text(const struct import_options *o, struct postmortem *pm, const char *text)
{
	const char *p = text;

	while (*p != '\0') {
		size_t n = strcspn(p, "\n");
		const char *stop = strstr(p, "。");
		if (stop != NULL && (size_t)(stop - p) < n)
			n = (size_t)(stop - p) + 3;
		char *part = xstrndup(p, n);
		char *t = text_trim(part);
		size_t tl = strlen(t);
		if (tl >= 3 && strcmp(t + tl - 3, "。") == 0)
			t[tl - 3] = '\0';
		if (t[0] != '\0') {
			struct fragment f = { .text = STRBUF_INIT };
			strbuf_adds(&f.text, t);
			struct row one = { .cells = &f, .n_cells = 1, .task = -1 };
			measure_from_item(o, pm, &one, true);
			strbuf_release(&f.text);
		}
		free(t);
		free(part);
		p += n;
		while (*p == '\n')
			p++;
	}
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
	scan_body_meta(ms, strbuf_str(&c->chunks[0].text), false, false);
	scan_meta_tables(ms, c, 0);
	if (title_chunk > 0) {
		scan_body_meta(ms, strbuf_str(&c->chunks[title_chunk].text), false, false);
		scan_meta_tables(ms, c, title_chunk);
	}
	if (first_section_chunk > 0) {
		/* a known section such as Summary is prose: only its tables count;
		 * "## Incident details" may open with a block of metadata lines */
		const struct chunk *first = &c->chunks[first_section_chunk];
		scan_body_meta(ms, strbuf_str(&first->text), true, first->key != NULL);
		scan_meta_tables(ms, c, first_section_chunk);
	}
	for (size_t i = 1; i < c->n_chunks; i++)
		if (is_meta[i])
			apply_meta_section(ms, &c->chunks[i]);
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
			measure_from_item(o, pm, r, not_doing);
			continue;
		}
		if (r->header) {
			cols_table = r->table;
			n_cols = 0;
			for (size_t k = 0; k < r->n_cells && k < MAX_COLUMNS; k++) {
				ticket_cols[n_cols] = header_says_ticket(strbuf_str(&r->cells[k].text));
				cols[n_cols++] = column_of(strbuf_str(&r->cells[k].text));
			}
			continue;
		}
		if (cols_table != r->table) {
			cols_table = r->table;
			n_cols = 0;
		}
		enum column none[MAX_COLUMNS] = { COL_OTHER };
		bool unlabelled[MAX_COLUMNS] = { false };
		measure_from_row(o, pm, r, n_cols > 0 ? cols : none, n_cols > 0 ? ticket_cols : unlabelled,
				 n_cols > 0 ? n_cols : MAX_COLUMNS, not_doing);
	}
	for (size_t i = 0; i < n_drafts; i++)
		if (draft_rows[i] == 0 && strcmp(drafts[i].key, SECTION_NOT_DOING) == 0)
			not_doing_from_text(o, pm, strbuf_str(&drafts[i].text));
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

/* One copy of the input: invalid UTF-8 repaired, BOM dropped, CRLF and CR as LF. */
static char *
clean_input(const char *buf, size_t len, size_t *out_len)
{
	char *repaired = NULL;

	if (!text_utf8_valid(buf, len) || memchr(buf, '\0', len) != NULL) {
		struct strbuf sb = STRBUF_INIT;
		for (size_t i = 0; i < len;) {
			const char *z = memchr(buf + i, '\0', len - i);
			size_t n = z != NULL ? (size_t)(z - (buf + i)) : len - i;
			char *part = text_utf8_repair(buf + i, n);
			strbuf_adds(&sb, part);
			free(part);
			i += n;
			if (z != NULL) {
				strbuf_add(&sb, "\xEF\xBF\xBD", 3);
				i++;
			}
		}
		len = sb.len;
		repaired = strbuf_detach(&sb);
		buf = repaired;
	}
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	char *out = xmalloc(len + 1);
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\r') {
			out[o++] = '\n';
			if (i + 1 < len && buf[i + 1] == '\n')
				i++;
		} else {
			out[o++] = buf[i];
		}
	}
	out[o] = '\0';
	free(repaired);
	*out_len = o;
	return out;
}

static char *
base_name_without_extension(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	size_t n = dot != NULL && dot != base ? (size_t)(dot - base) : strlen(base);
	return xstrndup(base, n);
}

char *
import_id_from_path(const char *path)
{
	char *base = base_name_without_extension(path);
	struct strbuf sb = STRBUF_INIT;
	bool dash = false;
	size_t len = strlen(base);

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = text_utf8_decode(base + i, len - i, &cp);
		bool keep = (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') ||
			    (cp >= 'A' && cp <= 'Z') ||
			    (cp >= 0x80 && cp != 0xFFFD && cp != 0x3000 && !(cp >= 0x3001 && cp <= 0x3003) &&
			     !(cp >= 0xFF01 && cp <= 0xFF0F));
		if (keep) {
			if (dash && sb.len > 0)
				strbuf_addc(&sb, '-');
			dash = false;
			if (cp >= 'A' && cp <= 'Z')
				strbuf_addc(&sb, (char)(cp - 'A' + 'a'));
			else
				strbuf_add(&sb, base + i, n);
		} else {
			dash = true;
		}
		i += n ? n : 1;
	}
	free(base);
	if (sb.len == 0) {
		strbuf_release(&sb);
		return xstrdup("postmortem");
	}
	return strbuf_detach(&sb);
}

/* The file name made readable: "2016-05-10-initial_kubernetes.md" ->
 * "Initial kubernetes". */
static char *
readable_name(const char *path)
{
	char *base = base_name_without_extension(path);
	const char *p = base;
	struct date_parts d;
	size_t n = date_parse_prefix(p, &d);
	struct strbuf sb = STRBUF_INIT;

	if (n == 0 && strspn(p, "0123456789") == 8)
		n = 8;
	p += n;
	for (; *p != '\0'; p++) {
		char ch = *p == '_' || *p == '-' ? ' ' : *p;
		if (ch == ' ' && (sb.len == 0 || sb.buf[sb.len - 1] == ' '))
			continue;
		strbuf_addc(&sb, ch);
	}
	while (sb.len > 0 && sb.buf[sb.len - 1] == ' ')
		sb.buf[--sb.len] = '\0';
	if (sb.len == 0) {
		strbuf_release(&sb);
		return base;
	}
	free(base);
	if (sb.buf[0] >= 'a' && sb.buf[0] <= 'z')
		sb.buf[0] = (char)(sb.buf[0] - 'a' + 'A');
	return strbuf_detach(&sb);
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
			skip = meta_field_of(label) != META_NONE;
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

/* A date in the file name: "2019-01-23.md", "20210305_blank.md". */
static bool
date_from_name(const char *path, enum date_order order, struct date_parts *d)
{
	char *base = base_name_without_extension(path);
	size_t at;
	bool ok = date_find_ordered(base, order, d, &at, NULL) > 0;

	if (!ok && strspn(base, "0123456789") == 8) {
		d->year = (base[0] - '0') * 1000 + (base[1] - '0') * 100 + (base[2] - '0') * 10 +
			  (base[3] - '0');
		d->month = (base[4] - '0') * 10 + (base[5] - '0');
		d->day = (base[6] - '0') * 10 + (base[7] - '0');
		d->hour = d->minute = -1;
		d->tz[0] = '\0';
		ok = date_valid(d->year, d->month, d->day);
	}
	free(base);
	return ok;
}

static bool
contains_ci(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (; *s != '\0'; s++)
		if (strncasecmp(s, word, n) == 0)
			return true;
	return false;
}

/* Text a template leaves for the writer: "[Describe the impact]", "TBD",
 * "YYYY-MM-DD", "Owner:", "〇〇". */
static bool
placeholder_line(const char *line)
{
	char *t = text_trim(line);
	char *l = t;
	bool yes;

	while (strncmp(l, "- ", 2) == 0 || strncmp(l, "* ", 2) == 0 || strncmp(l, "[ ] ", 4) == 0 ||
	       (isdigit((unsigned char)l[0]) && l[1] == '.' && l[2] == ' '))
		l += l[0] == '[' ? 4 : l[1] == '.' ? 3 : 2;
	size_t n = strlen(l);
	yes = n == 0 || strspn(l, "|-: ") == n || strcasecmp(l, "tbd") == 0 ||
	      strcasecmp(l, "todo") == 0 || strcasecmp(l, "n/a") == 0 || strcmp(l, "...") == 0 ||
	      strcmp(l, "…") == 0 ||
	      (l[0] == '[' && l[n - 1] == ']') || (l[0] == '<' && l[n - 1] == '>') ||
	      (l[0] == '(' && l[n - 1] == ')') || strncmp(l, "{{", 2) == 0 ||
	      (n >= 6 && strncmp(l, "（", 3) == 0 && strcmp(l + n - 3, "）") == 0) ||
	      (n >= 6 && strncmp(l, "【", 3) == 0 && strcmp(l + n - 3, "】") == 0) ||
	      l[n - 1] == ':' || (n >= 3 && strcmp(l + n - 3, "：") == 0) ||
	      contains_ci(l, "yyyy-mm-dd") || contains_ci(l, "hh:mm") || contains_ci(l, "xxx") ||
	      strstr(l, "〇〇") != NULL || strstr(l, "○○") != NULL || strstr(l, "ここに") != NULL ||
	      strstr(l, "記入") != NULL;
	free(t);
	return yes;
}

static bool
placeholder_text(const char *text)
{
	for (const char *p = text; *p != '\0';) {
		size_t n = strcspn(p, "\n");
		char *line = xstrndup(p, n);
		bool ph = placeholder_line(line);
		free(line);
		if (!ph)
			return false;
		p += n;
		if (*p == '\n')
			p++;
	}
	return true;
}

/* Why a document reads as a template, or NULL. */
static const char *
template_reason(const struct postmortem *pm, const char *path)
{
	static const char *const words[] = { "template", "テンプレート", "ひな形", "雛形",
					      "ひながた" };
	static const char *const title_placeholders[] = { "(incident #)", "incident #)",
							  "[title]", "<title>", "{{", "[incident",
							  "xxx", "〇〇", "○○", "yyyy-mm-dd" };
	const char *base = strrchr(path, '/');

	base = base != NULL ? base + 1 : path;
	for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++) {
		if (contains_ci(base, words[k]))
			return "the file name says it is a template";
		if (pm->title != NULL && contains_ci(pm->title, words[k]))
			return "the title says it is a template";
	}
	for (size_t k = 0; pm->title != NULL && k < sizeof(title_placeholders) / sizeof(title_placeholders[0]); k++)
		if (contains_ci(pm->title, title_placeholders[k]))
			return "the title is a placeholder";
	if (pm->n_sections < 2)
		return NULL;
	for (size_t i = 0; i < pm->n_sections; i++)
		if (!placeholder_text(pm->sections[i].text != NULL ? pm->sections[i].text : ""))
			return NULL;
	return "every section is empty or placeholder text";
}

struct postmortem *
import_md_parse(const char *buf, size_t len, const char *path, const struct headings *h,
		char **err)
{
	struct import_options o = { .headings = h };

	return import_md_parse_opts(buf, len, path, &o, err);
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

	if ((len >= 3 && memcmp(buf, "+++", 3) == 0 && (len == 3 || buf[3] == '\n' ||
						     buf[3] == '\r' || buf[3] == ' ')) ||
	    (len >= 6 && memcmp(buf, "\xEF\xBB\xBF+++", 6) == 0)) {
		err_set(err, "%s:1: TOML front matter (+++) is not read; write it as YAML "
			"between --- lines (title: ..., date: YYYY-MM-DD)", path);
		return NULL;
	}
	text = clean_input(buf, len, &clean_len);
	const char *body = split_front_matter(text, clean_len, &yaml, &yaml_len, &body_line);
	struct postmortem *pm = postmortem_new();
	struct meta_state ms = { .pm = pm, .o = o, .path = path, .from = "front matter" };

	if (yaml != NULL && parse_front_matter(&ms, yaml, yaml_len, 2, path, err) != 0) {
		postmortem_free(pm);
		free(text);
		return NULL;
	}

	struct ctx c = { .headings = h, .item = -1, .table_row = -1, .p_start = -1 };
	new_chunk(&c, 0, NULL);
	MD_PARSER parser = {
		.abi_version = 0,
		.flags = MD_DIALECT_GITHUB,
		.enter_block = enter_block,
		.leave_block = leave_block,
		.enter_span = enter_span,
		.leave_span = leave_span,
		.text = on_text,
	};
	size_t body_len = clean_len - (size_t)(body - text);
	if (md_parse(body, (MD_SIZE)body_len, &parser, &c) != 0) {
		err_set(err, "%s:%d: the Markdown parser failed (out of memory?); try again or "
			"split the file", path, body_line);
		ctx_release(&c);
		postmortem_free(pm);
		free(text);
		return NULL;
	}
	assemble(&ms, &c);

	struct date_parts d;
	size_t at;
	const char *from = NULL;
	bool ambiguous = false;
	/* no date field: the title's, the timeline's first, the prose's, and
	 * the file name's last (a file is often named when it is written) */
	if (pm->date == NULL && pm->title != NULL &&
	    date_find_ordered(pm->title, order, &d, &at, NULL) > 0)
		from = "title";
	else if (pm->date == NULL)
		from = date_in_text(pm, &c, order, &d, &ambiguous);
	ctx_release(&c);
	free(text);
	if (ambiguous)
		postmortem_warn(pm, "%s: its first date reads as day/month or as month/day; set "
				"[import] date_order = dmy or mdy in the config, or add \"date: "
				"YYYY-MM-DD\" to its front matter", path);
	else if (pm->date == NULL && from == NULL && date_from_name(path, order, &d))
		from = "file name";
	if (from != NULL) {
		char ymd[11], hm[6];
		date_format_ymd(&d, ymd);
		date_format_hm(&d, hm);
		pm->date = xstrdup(ymd);
		pm->date_from = from;
		set_once(&pm->time, hm);
		set_once(&pm->tz, d.tz);
	}
	if (pm->title == NULL)
		pm->title = readable_name(path);
	if (pm->id == NULL) {
		pm->id = import_id_from_path(path);
		pm->id_derived = true;
	}
	const char *why = template_reason(pm, path);
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

const char *
import_not_postmortem_name(const char *path)
{
	static const struct {
		const char *name;	/* the base name without extension, any case */
		const char *why;
	} names[] = {
		{ "readme", "a README describes its folder" },
		{ "index", "an index page lists the folder" },
		{ "_index", "a Hugo section page lists the folder" },
		{ "summary", "a SUMMARY is a book's table of contents" },
		{ "changelog", "a CHANGELOG lists changes" },
		{ "contributing", "CONTRIBUTING says how to contribute" },
		{ "license", "a LICENSE is not a postmortem" },
		{ "code_of_conduct", "a code of conduct is not a postmortem" },
		{ "security", "a SECURITY file is a policy" },
		{ "mkdocs", "a site configuration" },
		{ "package", "a package manifest" },
		{ "tsconfig", "a configuration file" },
		{ "config", "a configuration file" },
		{ "_config", "a site configuration" },
	};
	const char *base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	size_t n = dot != NULL && dot != base ? (size_t)(dot - base) : strlen(base);

	bool json = dot != NULL && strcasecmp(dot, ".json") == 0;
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		/* a configuration file's name says so only in JSON */
		bool config = strstr(names[k].why, "configuration") != NULL ||
			      strstr(names[k].why, "manifest") != NULL;
		if (strlen(names[k].name) == n && strncasecmp(base, names[k].name, n) == 0 &&
		    (!config || json))
			return names[k].why;
	}
	if (strncasecmp(base, "readme", 6) == 0)
		return names[0].why;
	if (base[0] == '.')
		return "a hidden file";
	return NULL;
}
