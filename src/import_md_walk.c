#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <md4c.h>

#include "furikaeri/date.h"
#include "furikaeri/err.h"
#include "furikaeri/headings.h"
#include "furikaeri/import.h"
#include "furikaeri/postmortem.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"
#include "import_md_private.h"

/* The Markdown walk: md4c's callbacks turn a file's body into chunks (the
 * text between two headings, as plain text with list markers and table
 * rows kept), top-level list items and table rows with their cells, links
 * and struck-through text. What they mean is decided elsewhere. */

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

void
imd_ctx_release(struct ctx *c)
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

int
imd_walk(struct ctx *c, const struct headings *h, const char *body, size_t len)
{
	MD_PARSER parser = {
		.abi_version = 0,
		.flags = MD_DIALECT_GITHUB,
		.enter_block = enter_block,
		.leave_block = leave_block,
		.enter_span = enter_span,
		.leave_span = leave_span,
		.text = on_text,
	};

	*c = (struct ctx){ .headings = h, .item = -1, .table_row = -1, .p_start = -1 };
	new_chunk(c, 0, NULL);
	return md_parse(body, (MD_SIZE)len, &parser, c);
}

