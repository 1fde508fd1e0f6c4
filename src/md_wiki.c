#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/md_wiki.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/xalloc.h"

/* Line by line: block macros ({code}, {quote}, {panel}) open and close on
 * their own lines or around text; everything else is one line's markup. */
struct wiki {
	struct strbuf out;
	bool code;		/* inside {code} or {noformat} */
	const char *code_end;	/* the macro that closes it */
	int quote;		/* open {quote} and {panel} macros */
	bool table;		/* the previous line was a table row */
	int kind;		/* of the last line written: enum kind */
	int kind_quote;		/* and its quote depth */
};

/* Markdown joins a line to the block above it (a paragraph to a list item,
 * a line to a table), so a blank line goes between lines of two kinds. */
enum kind {
	KIND_NONE,
	KIND_BLANK,
	KIND_TEXT,
	KIND_LIST,
	KIND_TABLE,
	KIND_BLOCK,	/* headings, rules, code: they end themselves */
};

static const struct {
	const char *wiki;
	const char *md;
} icons[] = {
	{ "(/)", "✅" }, { "(x)", "❌" }, { "(!)", "⚠️" }, { "(?)", "❓" }, { "(i)", "ℹ️" },
	{ "(y)", "👍" }, { "(n)", "👎" }, { "(on)", "💡" }, { "(off)", "💡" }, { "(*)", "⭐" },
	{ "(+)", "➕" }, { "(-)", "➖" },
};

static bool
is_boundary(char c)
{
	return c == '\0' || isspace((unsigned char)c) || strchr(".,;:!?()[]{}'\"/\\", c) != NULL;
}

/* Spans nest this deep at most, and close within this many bytes: a
 * hostile line of unclosed marks stays linear. */
#define WIKI_MAX_NEST 8
#define WIKI_MAX_SPAN 1024

/* Where a span opened by ch at s[i] closes, or 0 when it does not. */
static size_t
span_end(const char *s, size_t i, char ch)
{
	if (i > 0 && !is_boundary(s[i - 1]))
		return 0;
	if (s[i + 1] == '\0' || isspace((unsigned char)s[i + 1]) || s[i + 1] == ch)
		return 0;
	for (size_t j = i + 2; s[j] != '\0' && j < i + WIKI_MAX_SPAN; j++)
		if (s[j] == ch && !isspace((unsigned char)s[j - 1]) && is_boundary(s[j + 1]))
			return j;
	return 0;
}

static void inline_text(struct strbuf *sb, const char *s, size_t n, bool in_cell, int depth);

static void
link(struct strbuf *sb, const char *s, size_t n)
{
	const char *bar = memchr(s, '|', n);

	if (n > 0 && s[0] == '~') {
		/* [~user] and Cloud's [~accountid:ID] */
		const char *name = s + 1;
		size_t len = n - 1;
		if (len > 10 && strncmp(name, "accountid:", 10) == 0)
			name += 10, len -= 10;
		strbuf_addc(sb, '@');
		strbuf_add(sb, name, len);
	} else if (bar != NULL) {
		strbuf_addc(sb, '[');
		inline_text(sb, s, (size_t)(bar - s), true, WIKI_MAX_NEST);
		strbuf_adds(sb, "](");
		strbuf_add(sb, bar + 1, n - (size_t)(bar - s) - 1);
		strbuf_addc(sb, ')');
	} else if (n > 4 && (strncmp(s, "http", 4) == 0 || strncmp(s, "mailto:", 7) == 0)) {
		strbuf_addc(sb, '<');
		strbuf_add(sb, s, n);
		strbuf_addc(sb, '>');
	} else {
		/* an anchor or attachment link: its text as written */
		strbuf_addc(sb, '[');
		strbuf_add(sb, s, n);
		strbuf_addc(sb, ']');
	}
}

static void
inline_text(struct strbuf *sb, const char *s, size_t n, bool in_cell, int depth)
{
	char *t = xstrndup(s, n);
	/* once a closing mark is missing, it is missing for every later opener */
	bool no_braces = false, no_bracket = false, no_brace = false, no_q = false;

	for (size_t i = 0; t[i] != '\0'; i++) {
		char c = t[i];
		size_t end;
		bool done = false;

		if (c == '\\' && t[i + 1] == '\\') {
			/* at the end of a line the line's own end completes the break */
			strbuf_adds(sb, in_cell ? " " : t[i + 2] == '\0' ? "\\" : "\\\n");
			i++;
			continue;
		}
		if (c == '\\' && t[i + 1] != '\0' && strchr("*_-+^~{}[]|?!#", t[i + 1]) != NULL) {
			strbuf_addc(sb, '\\');
			strbuf_addc(sb, t[++i]);
			continue;
		}
		if (c == '{' && t[i + 1] == '{' && !no_braces) {
			char *close = strstr(t + i + 2, "}}");
			no_braces = close == NULL;
			if (close != NULL) {
				strbuf_addc(sb, '`');
				strbuf_add(sb, t + i + 2, (size_t)(close - (t + i + 2)));
				strbuf_addc(sb, '`');
				i = (size_t)(close - t) + 1;
				continue;
			}
		}
		if (c == '{' && !no_brace && strncmp(t + i, "{color", 6) == 0) {
			char *close = strchr(t + i, '}');
			no_brace = close == NULL;
			if (close != NULL) {
				i = (size_t)(close - t);
				continue;
			}
		}
		if (c == '[' && !no_bracket) {
			char *close = strchr(t + i + 1, ']');
			no_bracket = close == NULL;
			if (close != NULL && close > t + i + 1) {
				link(sb, t + i + 1, (size_t)(close - (t + i + 1)));
				i = (size_t)(close - t);
				continue;
			}
		}
		if (c == '(') {
			for (size_t k = 0; k < sizeof(icons) / sizeof(icons[0]) && !done; k++) {
				size_t len = strlen(icons[k].wiki);
				if (strncmp(t + i, icons[k].wiki, len) == 0) {
					strbuf_adds(sb, icons[k].md);
					i += len - 1;
					done = true;
				}
			}
			if (done)
				continue;
		}
		if (c == '?' && t[i + 1] == '?' && !no_q && depth < WIKI_MAX_NEST &&
		    (i == 0 || is_boundary(t[i - 1]))) {
			char *close = strstr(t + i + 2, "??");
			no_q = close == NULL;
			if (close != NULL && close > t + i + 2) {
				strbuf_addc(sb, '*');
				inline_text(sb, t + i + 2, (size_t)(close - (t + i + 2)), in_cell,
					    depth + 1);
				strbuf_addc(sb, '*');
				i = (size_t)(close - t) + 1;
				continue;
			}
		}
		if (depth < WIKI_MAX_NEST && strchr("*_-+^~", c) != NULL &&
		    (end = span_end(t, i, c)) > 0) {
			const char *mark = c == '*' ? "**" : c == '_' ? "*" : c == '-' ? "~~" : "";
			strbuf_adds(sb, mark);
			inline_text(sb, t + i + 1, end - i - 1, in_cell, depth + 1);
			strbuf_adds(sb, mark);
			i = end;
			continue;
		}
		if (c == '|' && in_cell) {
			strbuf_adds(sb, "\\|");
			continue;
		}
		strbuf_addc(sb, c);
	}
	free(t);
}

static void
put(struct wiki *w, int kind, const char *line)
{
	if (line[0] == '\0')
		kind = KIND_BLANK;
	else if (w->code)
		kind = KIND_BLOCK;

	if (w->kind != KIND_NONE && w->kind != KIND_BLANK && kind != KIND_BLANK &&
	    (kind != w->kind || w->quote != w->kind_quote) && !w->code) {
		int q = w->quote < w->kind_quote ? w->quote : w->kind_quote;
		for (int i = 0; i < q; i++)
			strbuf_adds(&w->out, i == q - 1 ? ">" : "> ");
		strbuf_addc(&w->out, '\n');
	}
	w->kind = kind;
	w->kind_quote = w->quote;
	for (int q = 0; q < w->quote; q++)
		strbuf_adds(&w->out, line[0] == '\0' && q == w->quote - 1 ? ">" : "> ");
	strbuf_adds(&w->out, line);
	strbuf_addc(&w->out, '\n');
}

static void
put_inline(struct wiki *w, int kind, const char *prefix, const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_adds(&sb, prefix);
	inline_text(&sb, s, strlen(s), false, 0);
	put(w, kind, strbuf_str(&sb));
	strbuf_release(&sb);
}

/* "{code:java|title=x}" -> "java"; "" when none. */
static char *
macro_lang(const char *open, size_t n)
{
	const char *colon = memchr(open, ':', n);
	size_t len;

	if (colon == NULL)
		return xstrdup("");
	colon++;
	len = strcspn(colon, "|}");
	if (memchr(colon, '=', len) != NULL)
		return xstrdup("");
	return xstrndup(colon, len);
}

/* "{panel:title=What we saw|borderStyle=dashed}" -> "What we saw". */
static char *
macro_param(const char *open, const char *name)
{
	const char *close = strchr(open, '}');
	size_t nlen = strlen(name);

	for (const char *p = open; p != NULL && p < close; p = strpbrk(p + 1, ":|")) {
		if (strncmp(p + 1, name, nlen) == 0 && p[1 + nlen] == '=') {
			const char *v = p + 2 + nlen;
			return xstrndup(v, strcspn(v, "|}"));
		}
	}
	return NULL;
}

static bool
macro_at(const char *s, const char *name)
{
	size_t n = strlen(name);

	return s[0] == '{' && strncmp(s + 1, name, n) == 0 && (s[1 + n] == '}' || s[1 + n] == ':');
}

static void
table_row(struct wiki *w, const char *line)
{
	bool header = strncmp(line, "||", 2) == 0;
	const char *p = line + (header ? 2 : 1);
	struct strbuf sb = STRBUF_INIT;
	size_t cells = 0;

	strbuf_addc(&sb, '|');
	while (*p != '\0') {
		/* a cell ends at | or || not inside [link|...] */
		const char *q = p;
		int depth = 0;
		while (*q != '\0' && (depth > 0 || *q != '|')) {
			if (*q == '[')
				depth++;
			else if (*q == ']' && depth > 0)
				depth--;
			q++;
		}
		char *cell = xstrndup(p, (size_t)(q - p));
		char *c = cell;
		while (*c == ' ')
			c++;
		size_t len = strlen(c);
		while (len > 0 && c[len - 1] == ' ')
			c[--len] = '\0';
		if (*q != '\0' || len > 0) {
			strbuf_addc(&sb, ' ');
			inline_text(&sb, c, len, true, 0);
			strbuf_adds(&sb, " |");
			cells++;
		}
		free(cell);
		p = q;
		while (*p == '|')
			p++;
	}
	if (!w->table) {
		/* Markdown tables need a header row: an empty one when the table has none */
		struct strbuf sep = STRBUF_INIT;
		strbuf_addc(&sep, '|');
		for (size_t i = 0; i < cells; i++)
			strbuf_adds(&sep, header ? "---|" : "  |");
		put(w, KIND_TABLE, header ? strbuf_str(&sb) : strbuf_str(&sep));
		if (!header) {
			strbuf_reset(&sep);
			strbuf_addc(&sep, '|');
			for (size_t i = 0; i < cells; i++)
				strbuf_adds(&sep, "---|");
		}
		put(w, KIND_TABLE, strbuf_str(&sep));
		strbuf_release(&sep);
		w->table = true;
		if (header) {
			strbuf_release(&sb);
			return;
		}
	}
	put(w, KIND_TABLE, strbuf_str(&sb));
	strbuf_release(&sb);
}

/* A list line: "* a", "## b", "*# c", "- d". Returns the text's offset. */
static size_t
list_marker(const char *s, size_t *depth)
{
	size_t n = strspn(s, "*#");

	if (n == 0 && s[0] == '-' && s[1] == ' ')
		n = 1;
	if (n == 0 || s[n] != ' ')
		return 0;
	*depth = n;
	return n + 1;
}

static void
list_line(struct wiki *w, const char *s, size_t depth, size_t text)
{
	struct strbuf prefix = STRBUF_INIT;

	for (size_t i = 0; i + 1 < depth; i++)
		strbuf_adds(&prefix, s[i] == '#' ? "   " : "  ");
	strbuf_adds(&prefix, s[depth - 1] == '#' ? "1. " : "- ");
	put_inline(w, KIND_LIST, strbuf_str(&prefix), s + text);
	strbuf_release(&prefix);
}

static void
code_open(struct wiki *w, const char *s, const char *name)
{
	const char *close = strchr(s, '}');
	char *lang = macro_lang(s, (size_t)(close - s));
	char *fence = xasprintf("```%s", lang);

	put(w, KIND_BLOCK, fence);
	free(fence);
	free(lang);
	w->code = true;
	w->code_end = strcmp(name, "code") == 0 ? "{code}" : "{noformat}";
}

static void line(struct wiki *w, const char *s);

static void
code_line(struct wiki *w, const char *s)
{
	const char *end = strstr(s, w->code_end);

	if (end == NULL) {
		put(w, KIND_BLOCK, s);
		return;
	}
	if (end > s) {
		char *before = xstrndup(s, (size_t)(end - s));
		put(w, KIND_BLOCK, before);
		free(before);
	}
	put(w, KIND_BLOCK, "```");
	w->code = false;
	const char *rest = end + strlen(w->code_end);
	if (*rest != '\0')
		line(w, rest);
}

static void
line(struct wiki *w, const char *raw)
{
	const char *s = raw;
	size_t depth, text;

	if (w->code) {
		code_line(w, raw);
		return;
	}
	while (*s == ' ' || *s == '\t')
		s++;
	if (s[0] != '|' && w->table)
		w->table = false;
	if (*s == '\0') {
		put(w, KIND_BLANK, "");
		return;
	}
	if (macro_at(s, "code") || macro_at(s, "noformat")) {
		const char *name = macro_at(s, "code") ? "code" : "noformat";
		const char *close = strchr(s, '}');
		if (close != NULL) {
			code_open(w, s, name);
			if (close[1] != '\0')
				code_line(w, close + 1);
			return;
		}
	}
	if (macro_at(s, "quote") || macro_at(s, "panel")) {
		bool panel = macro_at(s, "panel");
		const char *close = strchr(s, '}');
		bool opening = close != NULL && (w->quote == 0 || close - s > 7 ||
						 (panel && strchr(s, ':') != NULL));
		if (close != NULL) {
			/* a quote of its own, not joined to the text around it */
			put(w, KIND_BLANK, "");
			if (opening || w->quote == 0) {
				char *title = panel ? macro_param(s, "title") : NULL;
				w->quote++;
				if (title != NULL) {
					char *lead = xasprintf("**%s**", title);
					put(w, KIND_TEXT, lead);
					put(w, KIND_BLANK, "");
					free(lead);
					free(title);
				}
			} else {
				w->quote--;
			}
			if (close[1] != '\0')
				line(w, close + 1);
			return;
		}
	}
	/* text ending in {quote} or {panel} closes it */
	for (const char *m = strchr(s, '{'); m != NULL && w->quote > 0; m = strchr(m + 1, '{')) {
		if ((strncmp(m, "{quote}", 7) == 0 || strncmp(m, "{panel}", 7) == 0) && m > s) {
			char *before = xstrndup(s, (size_t)(m - s));
			line(w, before);
			free(before);
			w->quote--;
			put(w, KIND_BLANK, "");
			if (m[7] != '\0')
				line(w, m + 7);
			return;
		}
	}
	if (s[0] == 'h' && s[1] >= '1' && s[1] <= '6' && s[2] == '.' && s[3] == ' ') {
		char prefix[8];
		int level = s[1] - '0';
		snprintf(prefix, sizeof(prefix), "%.*s ", level, "######");
		put_inline(w, KIND_BLOCK, prefix, s + 4);
		return;
	}
	if (strncmp(s, "bq. ", 4) == 0) {
		w->quote++;
		put_inline(w, KIND_TEXT, "", s + 4);
		w->quote--;
		return;
	}
	if (strncmp(s, "----", 4) == 0 && s[4 + strspn(s + 4, "-")] == '\0') {
		put(w, KIND_BLOCK, "---");
		return;
	}
	if (s[0] == '|') {
		table_row(w, s);
		return;
	}
	if ((text = list_marker(s, &depth)) > 0) {
		list_line(w, s, depth, text);
		return;
	}
	put_inline(w, KIND_TEXT, "", s);
}

char *
md_wiki_convert(const char *text)
{
	struct wiki w = { .out = STRBUF_INIT };
	const char *p = text != NULL ? text : "";

	while (*p != '\0') {
		size_t n = strcspn(p, "\r\n");
		char *l = xstrndup(p, n);
		line(&w, l);
		free(l);
		p += n;
		if (*p == '\r')
			p++;
		if (*p == '\n')
			p++;
	}
	if (w.code)
		put(&w, KIND_BLOCK, "```");
	strbuf_rtrim(&w.out);
	if (w.out.len > 0)
		strbuf_addc(&w.out, '\n');
	return strbuf_detach(&w.out);
}
