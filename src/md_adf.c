#include "config.h"

#include <ctype.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "furikaeri/err.h"
#include "furikaeri/md_adf.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/xalloc.h"

/* Block nodes are written into out with a line prefix (list indentation,
 * "> " for quotes) that every line they start carries. */
struct adf {
	struct strbuf out;
	int depth;		/* guards against hostile nesting */
};

#define ADF_MAX_DEPTH 64

static const char *
str_of(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static const char *
attr(json_t *node, const char *key)
{
	return str_of(json_object_get(node, "attrs"), key);
}

static const char *
type_of(json_t *node)
{
	const char *t = str_of(node, "type");

	return t != NULL ? t : "";
}

static void inline_nodes(struct adf *a, json_t *content, struct strbuf *sb, bool in_cell);
static void blocks(struct adf *a, json_t *content, const char *prefix);

static bool
has_mark(json_t *node, const char *mark, const char **href)
{
	size_t i;
	json_t *m;

	json_array_foreach(json_object_get(node, "marks"), i, m) {
		if (strcmp(type_of(m), mark) == 0) {
			if (href != NULL)
				*href = attr(m, "href");
			return true;
		}
	}
	return false;
}

/* Text with line breaks as the context allows (a table cell has none). */
static void
add_text(struct strbuf *sb, const char *s, bool in_cell)
{
	for (; *s != '\0'; s++) {
		if (*s == '\n')
			strbuf_adds(sb, in_cell ? " " : "\\\n");
		else if (*s == '|' && in_cell)
			strbuf_adds(sb, "\\|");
		else
			strbuf_addc(sb, *s);
	}
}

static void
text_node(json_t *node, struct strbuf *sb, bool in_cell)
{
	const char *text = str_of(node, "text"), *href = NULL;
	bool code = has_mark(node, "code", NULL);
	bool strong = has_mark(node, "strong", NULL), em = has_mark(node, "em", NULL);
	bool strike = has_mark(node, "strike", NULL), link = has_mark(node, "link", &href);

	if (text == NULL || text[0] == '\0')
		return;
	if (link && href != NULL)
		strbuf_addc(sb, '[');
	if (strong)
		strbuf_adds(sb, "**");
	if (em)
		strbuf_addc(sb, '*');
	if (strike)
		strbuf_adds(sb, "~~");
	if (code) {
		/* a backtick inside needs a longer fence */
		const char *fence = strchr(text, '`') != NULL ? "`` " : "`";
		strbuf_adds(sb, fence);
		add_text(sb, text, in_cell);
		strbuf_adds(sb, strchr(text, '`') != NULL ? " ``" : "`");
	} else {
		add_text(sb, text, in_cell);
	}
	if (strike)
		strbuf_adds(sb, "~~");
	if (em)
		strbuf_addc(sb, '*');
	if (strong)
		strbuf_adds(sb, "**");
	if (link && href != NULL)
		strbuf_addf(sb, "](%s)", href);
}

/* ADF dates are milliseconds since the epoch, as a string. */
static void
date_node(json_t *node, struct strbuf *sb)
{
	const char *ts = attr(node, "timestamp");
	char *end;
	long long ms = ts != NULL ? strtoll(ts, &end, 10) : 0;
	time_t t;
	struct tm tm;
	char ymd[16];

	if (ts == NULL || *end != '\0' || end == ts) {
		strbuf_adds(sb, ts != NULL ? ts : "[date]");
		return;
	}
	t = (time_t)(ms / 1000);
	gmtime_r(&t, &tm);
	strftime(ymd, sizeof(ymd), "%Y-%m-%d", &tm);
	strbuf_adds(sb, ymd);
}

/* Any text an unknown node holds, so it is never lost. */
static void
unknown_inline(struct adf *a, json_t *node, struct strbuf *sb, bool in_cell)
{
	const char *text = str_of(node, "text");
	json_t *content = json_object_get(node, "content");

	if (text == NULL)
		text = attr(node, "text");
	if (text != NULL)
		add_text(sb, text, in_cell);
	else if (json_array_size(content) > 0)
		inline_nodes(a, content, sb, in_cell);
	else if (attr(node, "url") != NULL)
		strbuf_addf(sb, "<%s>", attr(node, "url"));
	else
		strbuf_addf(sb, "[%s]", type_of(node));
}

static void
inline_node(struct adf *a, json_t *node, struct strbuf *sb, bool in_cell)
{
	const char *type = type_of(node), *t;

	if (strcmp(type, "text") == 0) {
		text_node(node, sb, in_cell);
	} else if (strcmp(type, "hardBreak") == 0) {
		strbuf_adds(sb, in_cell ? " " : "\\\n");
	} else if (strcmp(type, "mention") == 0) {
		t = attr(node, "text");
		if (t != NULL)
			strbuf_addf(sb, "%s%s", t[0] == '@' ? "" : "@", t);
		else
			strbuf_addf(sb, "@%s", attr(node, "id") ? attr(node, "id") : "someone");
	} else if (strcmp(type, "emoji") == 0) {
		t = attr(node, "text");
		strbuf_adds(sb, t != NULL ? t : attr(node, "shortName") ? attr(node, "shortName") : "");
	} else if (strcmp(type, "status") == 0) {
		t = attr(node, "text");
		strbuf_addc(sb, '[');
		for (const char *p = t != NULL ? t : "status"; *p != '\0'; p++)
			strbuf_addc(sb, (char)toupper((unsigned char)*p));
		strbuf_addc(sb, ']');
	} else if (strcmp(type, "date") == 0) {
		date_node(node, sb);
	} else if (strcmp(type, "inlineCard") == 0 && attr(node, "url") != NULL) {
		strbuf_addf(sb, "<%s>", attr(node, "url"));
	} else {
		unknown_inline(a, node, sb, in_cell);
	}
}

static void
inline_nodes(struct adf *a, json_t *content, struct strbuf *sb, bool in_cell)
{
	size_t i;
	json_t *n;

	if (++a->depth > ADF_MAX_DEPTH) {
		a->depth--;
		return;
	}
	json_array_foreach(content, i, n) {
		if (json_object_get(n, "content") != NULL && strcmp(type_of(n), "paragraph") == 0) {
			/* a paragraph inside a cell or task item */
			if (i > 0)
				strbuf_adds(sb, in_cell ? " " : "\\\n");
			inline_nodes(a, json_object_get(n, "content"), sb, in_cell);
		} else {
			inline_node(a, n, sb, in_cell);
		}
	}
	a->depth--;
}

/* Writes text (possibly several lines) with prefix before each line; the
 * first line gets first instead when it is not NULL. */
static void
put_lines(struct adf *a, const char *prefix, const char *first, const char *text)
{
	const char *p = text;
	bool start = true;

	while (true) {
		size_t n = strcspn(p, "\n");
		strbuf_adds(&a->out, start && first != NULL ? first : prefix);
		strbuf_add(&a->out, p, n);
		strbuf_addc(&a->out, '\n');
		start = false;
		p += n;
		if (*p == '\0')
			break;
		p++;
	}
}

/* Paragraph text whose lines start as Markdown blocks would ("# of
 * retries", "- not a list", "1. step", "> quote", "---" under a line): the
 * first mark of each such line escaped, so that the words stay words and
 * the import sees no heading, list item or quote the person never made.
 * Owned. */
static char *
escape_line_starts(const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = text;

	while (*p != '\0') {
		size_t n = strcspn(p, "\n"), sp = 0;
		while (sp < 3 && sp < n && p[sp] == ' ')
			sp++;
		const char *c = p + sp;
		size_t rest = n - sp;
		size_t at = (size_t)-1;	/* where the backslash goes, from c */
		if (rest > 0 && strchr("#>=|", c[0]) != NULL)
			at = 0;
		else if (rest > 0 && c[0] == '<' && strncmp(c, "<http", 5) != 0)
			at = 0;	/* an HTML block; "<https://…>" is a card's link */
		else if (rest > 0 && strchr("+-*", c[0]) != NULL &&
			 (rest == 1 || c[1] == ' ' || c[1] == '\t' || c[1] == '\\' ||
			  strspn(c, c[0] == '*' ? "* \t\\" : c[0] == '-' ? "- \t\\" : "+ \t\\") == rest))
			at = 0;	/* a list item, a rule, a setext underline; not "**bold**" */
		else if (rest > 2 && (c[0] == '`' || c[0] == '~') && c[1] == c[0] && c[2] == c[0])
			at = 0;
		else if (rest > 0 && c[0] >= '0' && c[0] <= '9') {
			size_t d = strspn(c, "0123456789");
			if (d <= 9 && d < rest && (c[d] == '.' || c[d] == ')') &&
			    (d + 1 == rest || c[d + 1] == ' ' || c[d + 1] == '\t' || c[d + 1] == '\\'))
				at = d;
		}
		strbuf_add(&sb, p, sp);
		if (at != (size_t)-1) {
			strbuf_add(&sb, c, at);
			strbuf_addc(&sb, '\\');
			strbuf_add(&sb, c + at, rest - at);
		} else {
			strbuf_add(&sb, c, rest);
		}
		p += n;
		if (*p == '\n')
			strbuf_addc(&sb, *p++);
	}
	return strbuf_detach(&sb);
}

/* A blank line between blocks, carrying the prefix (a quote goes on). */
static void
blank(struct adf *a, const char *prefix)
{
	size_t n = strlen(prefix);

	while (n > 0 && prefix[n - 1] == ' ')
		n--;
	if (a->out.len == 0)
		return;
	strbuf_add(&a->out, prefix, n);
	strbuf_addc(&a->out, '\n');
}

/* The blocks of content as Markdown of their own, without a prefix (owned). */
static char *
render(struct adf *a, json_t *content)
{
	struct adf sub = { .depth = a->depth + 1 };

	if (sub.depth <= ADF_MAX_DEPTH)
		blocks(&sub, content, "");
	strbuf_rtrim(&sub.out);
	return strbuf_detach(&sub.out);
}

static void
list(struct adf *a, json_t *node, const char *prefix, bool ordered, bool tasks)
{
	json_t *order = json_object_get(json_object_get(node, "attrs"), "order");
	long n = json_is_integer(order) ? (long)json_integer_value(order) : 1;
	size_t i;
	json_t *item;

	json_array_foreach(json_object_get(node, "content"), i, item) {
		char marker[32];
		const char *itype = type_of(item);

		if (tasks && strcmp(itype, "taskItem") == 0) {
			const char *state = attr(item, "state");
			snprintf(marker, sizeof(marker), "- [%c] ",
				 state != NULL && strcmp(state, "DONE") == 0 ? 'x' : ' ');
		} else if (ordered) {
			snprintf(marker, sizeof(marker), "%ld. ", n++);
		} else {
			snprintf(marker, sizeof(marker), "- ");
		}
		char *first = xasprintf("%s%s", prefix, marker);
		char *inner = xasprintf("%s%*s", prefix, (int)strlen(marker), "");
		if (strcmp(itype, "taskItem") == 0 || strcmp(itype, "decisionItem") == 0) {
			/* their content is inline; nested task lists follow as blocks */
			struct strbuf sb = STRBUF_INIT;
			json_t *c;
			size_t k;
			bool started = false;
			json_array_foreach(json_object_get(item, "content"), k, c) {
				if (strcmp(type_of(c), "taskList") == 0) {
					put_lines(a, inner, first, strbuf_str(&sb));
					strbuf_reset(&sb);
					started = true;
					list(a, c, inner, false, true);
				} else {
					inline_node(a, c, &sb, false);
				}
			}
			if (sb.len > 0 || !started)
				put_lines(a, inner, started ? NULL : first, strbuf_str(&sb));
			strbuf_release(&sb);
		} else {
			/* a list item holds blocks: the first line takes the marker,
			 * blank lines go so the list stays tight */
			char *body = render(a, json_object_get(item, "content"));
			const char *p = body;
			bool started = false;
			while (*p != '\0') {
				size_t len = strcspn(p, "\n");
				if (len > 0) {
					strbuf_adds(&a->out, started ? inner : first);
					strbuf_add(&a->out, p, len);
					strbuf_addc(&a->out, '\n');
					started = true;
				}
				p += len;
				if (*p == '\n')
					p++;
			}
			if (!started) {
				strbuf_adds(&a->out, first);
				strbuf_rtrim(&a->out);
				strbuf_addc(&a->out, '\n');
			}
			free(body);
		}
		free(first);
		free(inner);
	}
}

static void
cell_text(struct adf *a, json_t *cell, struct strbuf *sb)
{
	json_t *c;
	size_t i;

	json_array_foreach(json_object_get(cell, "content"), i, c) {
		const char *t = type_of(c);
		if (i > 0)
			strbuf_addc(sb, ' ');
		if (strcmp(t, "paragraph") == 0 || strcmp(t, "heading") == 0) {
			inline_nodes(a, json_object_get(c, "content"), sb, true);
		} else {
			/* lists and the like inside a cell: their text on one line */
			json_t *one = json_array();
			json_array_append(one, c);
			char *body = render(a, one);
			json_decref(one);
			for (const char *p = body; *p != '\0'; p++) {
				if (*p == '\n')
					strbuf_addc(sb, ' ');
				else if (*p == '|')
					strbuf_adds(sb, "\\|");
				else
					strbuf_addc(sb, *p);
			}
			free(body);
		}
	}
}

static void
table(struct adf *a, json_t *node, const char *prefix)
{
	json_t *row;
	size_t i, width = 0;

	json_array_foreach(json_object_get(node, "content"), i, row) {
		struct strbuf line = STRBUF_INIT;
		json_t *cell;
		size_t k, cells = json_array_size(json_object_get(row, "content"));

		strbuf_addc(&line, '|');
		json_array_foreach(json_object_get(row, "content"), k, cell) {
			strbuf_addc(&line, ' ');
			cell_text(a, cell, &line);
			strbuf_adds(&line, " |");
		}
		if (i == 0)
			width = cells;
		for (; cells < width; cells++)
			strbuf_adds(&line, "  |");
		put_lines(a, prefix, NULL, strbuf_str(&line));
		strbuf_release(&line);
		if (i == 0) {
			struct strbuf sep = STRBUF_INIT;
			strbuf_addc(&sep, '|');
			for (size_t c = 0; c < width; c++)
				strbuf_adds(&sep, "---|");
			put_lines(a, prefix, NULL, strbuf_str(&sep));
			strbuf_release(&sep);
		}
	}
}

static void
code_block(struct adf *a, json_t *node, const char *prefix)
{
	struct strbuf sb = STRBUF_INIT;
	const char *lang = attr(node, "language");
	size_t i;
	json_t *t;

	json_array_foreach(json_object_get(node, "content"), i, t) {
		const char *s = str_of(t, "text");
		if (s != NULL)
			strbuf_adds(&sb, s);
	}
	strbuf_rtrim(&sb);
	char *fence = xasprintf("```%s", lang != NULL ? lang : "");
	put_lines(a, prefix, NULL, fence);
	if (sb.len > 0)
		put_lines(a, prefix, NULL, strbuf_str(&sb));
	put_lines(a, prefix, NULL, "```");
	free(fence);
	strbuf_release(&sb);
}

static void
quoted(struct adf *a, json_t *content, const char *prefix, const char *lead)
{
	char *body = render(a, content);
	char *inner = xasprintf("%s> ", prefix);
	char *bare = xasprintf("%s>", prefix);
	const char *p = body;

	if (lead != NULL) {
		put_lines(a, inner, NULL, lead);
		if (body[0] != '\0')
			put_lines(a, bare, NULL, "");
	}
	while (*p != '\0') {
		size_t len = strcspn(p, "\n");
		strbuf_adds(&a->out, len > 0 ? inner : bare);
		strbuf_add(&a->out, p, len);
		strbuf_addc(&a->out, '\n');
		p += len;
		if (*p == '\n')
			p++;
	}
	free(bare);
	free(inner);
	free(body);
}

static void
block(struct adf *a, json_t *node, const char *prefix)
{
	const char *type = type_of(node);
	json_t *content = json_object_get(node, "content");
	struct strbuf sb = STRBUF_INIT;

	if (strcmp(type, "paragraph") == 0) {
		inline_nodes(a, content, &sb, false);
		if (sb.len > 0) {
			char *safe = escape_line_starts(strbuf_str(&sb));
			put_lines(a, prefix, NULL, safe);
			free(safe);
		}
	} else if (strcmp(type, "heading") == 0) {
		json_t *lv = json_object_get(json_object_get(node, "attrs"), "level");
		long level = json_is_integer(lv) ? (long)json_integer_value(lv) : 1;
		if (level < 1 || level > 6)
			level = level < 1 ? 1 : 6;
		strbuf_addf(&sb, "%.*s ", (int)level, "######");
		inline_nodes(a, content, &sb, true);
		put_lines(a, prefix, NULL, strbuf_str(&sb));
	} else if (strcmp(type, "bulletList") == 0) {
		list(a, node, prefix, false, false);
	} else if (strcmp(type, "orderedList") == 0) {
		list(a, node, prefix, true, false);
	} else if (strcmp(type, "taskList") == 0 || strcmp(type, "decisionList") == 0) {
		list(a, node, prefix, false, strcmp(type, "taskList") == 0);
	} else if (strcmp(type, "table") == 0) {
		table(a, node, prefix);
	} else if (strcmp(type, "codeBlock") == 0) {
		code_block(a, node, prefix);
	} else if (strcmp(type, "blockquote") == 0) {
		quoted(a, content, prefix, NULL);
	} else if (strcmp(type, "panel") == 0) {
		const char *kind = attr(node, "panelType");
		char *lead = xasprintf("**%c%s:**", kind ? toupper((unsigned char)kind[0]) : 'N',
				       kind && kind[0] ? kind + 1 : "ote");
		quoted(a, content, prefix, lead);
		free(lead);
	} else if (strcmp(type, "rule") == 0) {
		put_lines(a, prefix, NULL, "---");
	} else if (strcmp(type, "expand") == 0 || strcmp(type, "nestedExpand") == 0) {
		const char *title = attr(node, "title");
		if (title != NULL && title[0] != '\0') {
			char *t = xasprintf("**%s**", title);
			put_lines(a, prefix, NULL, t);
			free(t);
			blank(a, prefix);
		}
		char *body = render(a, content);
		if (body[0] != '\0')
			put_lines(a, prefix, NULL, body);
		free(body);
	} else if (strcmp(type, "mediaSingle") == 0 || strcmp(type, "mediaGroup") == 0 ||
		   strcmp(type, "media") == 0) {
		json_t *m;
		size_t i;
		if (strcmp(type, "media") == 0) {
			json_t *one = json_array();
			json_array_append(one, node);
			content = one;
		}
		json_array_foreach(content, i, m) {
			const char *name = attr(m, "alt");
			if (name == NULL)
				name = attr(m, "url");
			if (name == NULL)
				name = attr(m, "id");
			if (strcmp(type_of(m), "caption") == 0)
				inline_nodes(a, json_object_get(m, "content"), &sb, false);
			else
				strbuf_addf(&sb, "%s[attachment: %s]", sb.len > 0 ? " " : "",
					    name != NULL ? name : "file");
		}
		if (strcmp(type, "media") == 0)
			json_decref(content);
		put_lines(a, prefix, NULL, strbuf_str(&sb));
	} else if (strcmp(type, "blockCard") == 0 || strcmp(type, "embedCard") == 0) {
		strbuf_addf(&sb, "<%s>", attr(node, "url") ? attr(node, "url") : "");
		put_lines(a, prefix, NULL, strbuf_str(&sb));
	} else if (json_array_size(content) > 0 && json_is_object(json_array_get(content, 0)) &&
		   str_of(json_array_get(content, 0), "text") == NULL &&
		   strcmp(type_of(json_array_get(content, 0)), "paragraph") == 0) {
		/* an unknown container of blocks: its blocks */
		blocks(a, content, prefix);
	} else {
		unknown_inline(a, node, &sb, false);
		put_lines(a, prefix, NULL, strbuf_str(&sb));
	}
	strbuf_release(&sb);
}

static void
blocks(struct adf *a, json_t *content, const char *prefix)
{
	size_t i;
	json_t *n;

	if (++a->depth > ADF_MAX_DEPTH) {
		a->depth--;
		return;
	}
	json_array_foreach(content, i, n) {
		size_t before = a->out.len;
		block(a, n, prefix);
		if (a->out.len > before)
			blank(a, prefix);
	}
	a->depth--;
}

char *
md_adf_convert(const char *json, size_t len, const char *what, char **err)
{
	json_error_t jerr;
	json_t *doc;
	struct adf a = { .out = STRBUF_INIT };

	if (len == 0)
		return xstrdup("");
	doc = json_loadb(json, len, JSON_DECODE_ANY, &jerr);
	if (doc == NULL) {
		err_set(err, "%s: the description is not JSON (line %d, column %d: %s)", what,
			jerr.line, jerr.column, jerr.text);
		return NULL;
	}
	if (json_is_null(doc) || (json_is_string(doc) && json_string_length(doc) == 0)) {
		json_decref(doc);
		return xstrdup("");
	}
	if (!json_is_object(doc) || strcmp(type_of(doc), "doc") != 0 ||
	    !json_is_array(json_object_get(doc, "content"))) {
		err_set(err, "%s: the description is not an Atlassian document (no \"type\": "
			"\"doc\" with \"content\"); is [jira] api = 3 right for this site?", what);
		json_decref(doc);
		return NULL;
	}
	blocks(&a, json_object_get(doc, "content"), "");
	json_decref(doc);
	strbuf_rtrim(&a.out);
	if (a.out.len > 0)
		strbuf_addc(&a.out, '\n');
	return strbuf_detach(&a.out);
}
