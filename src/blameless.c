#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/blameless.h"
#include "furikaeri/err.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"

/* A pattern is literal pieces with {person} between them. */
struct piece {
	char *literal;	/* lower-cased, whitespace runs as one ' '; NULL for {person} */
};

struct pattern {
	enum blameless_kind kind;
	char *source;	/* the line as written */
	struct piece *pieces;
	size_t n;
	bool open_end;	/* ended with '*' */
};

struct blameless {
	struct pattern *patterns;
	size_t n;
};

static const char *const hints[] = {
	[BLAMELESS_NONE] = NULL,
	[BLAMELESS_BLAME] = "this reads as blame; describe what in the system allowed it",
	[BLAMELESS_CAREFUL] = "\"be careful\" is not a mechanism; propose a test, automation, "
			      "detection or automatic recovery",
};

struct blameless *
blameless_new(void)
{
	return xcalloc(1, sizeof(struct blameless));
}

static void
pattern_clear(struct pattern *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->pieces[i].literal);
	free(p->pieces);
	free(p->source);
}

void
blameless_free(struct blameless *b)
{
	if (b == NULL)
		return;
	for (size_t i = 0; i < b->n; i++)
		pattern_clear(&b->patterns[i]);
	free(b->patterns);
	free(b);
}

size_t
blameless_count(const struct blameless *b)
{
	return b->n;
}

const char *
blameless_hint(enum blameless_kind kind)
{
	return hints[kind];
}

/* Folds ASCII letters only: bytes of other characters compare exactly. */
static unsigned char
lower(char c)
{
	unsigned char u = (unsigned char)c;

	return u >= 'A' && u <= 'Z' ? (unsigned char)(u - 'A' + 'a') : u;
}

static bool
is_word(unsigned char c)
{
	return isalnum(c) || c == '_';
}

/* Bytes of the whitespace character at s (space, tab, U+3000), or 0. */
static size_t
space_at(const char *s)
{
	if (*s == ' ' || *s == '\t')
		return 1;
	if (strncmp(s, "\xE3\x80\x80", 3) == 0)
		return 3;
	return 0;
}

static void
add_piece(struct pattern *p, char *literal)
{
	p->pieces = xreallocarray(p->pieces, p->n + 1, sizeof(*p->pieces));
	p->pieces[p->n++] = (struct piece){ .literal = literal };
}

/* Compiles one trimmed line into p; returns an error text (static) or NULL. */
static const char *
compile(const char *line, struct pattern *p)
{
	struct strbuf lit = STRBUF_INIT;
	const char *s = line;
	bool has_text = false;

	while (*s != '\0') {
		size_t n;
		if (*s == '{') {
			if (strncmp(s, "{person}", 8) != 0) {
				strbuf_release(&lit);
				return strchr(s, '}') == NULL
					       ? "'{' without '}'; write {person} or leave the brace out"
					       : "unknown placeholder; the only one is {person}";
			}
			if (lit.len > 0)
				add_piece(p, strbuf_detach(&lit));
			add_piece(p, NULL);
			s += 8;
		} else if (*s == '*') {
			if (s[1] != '\0') {
				strbuf_release(&lit);
				return "'*' may only end a pattern, as in careless*";
			}
			p->open_end = true;
			s++;
		} else if ((n = space_at(s)) > 0) {
			while ((n = space_at(s)) > 0)
				s += n;
			strbuf_addc(&lit, ' ');
		} else {
			strbuf_addc(&lit, (char)lower(*s));
			has_text = true;
			s++;
		}
	}
	if (lit.len > 0)
		add_piece(p, strbuf_detach(&lit));
	strbuf_release(&lit);
	if (!has_text)
		return "a pattern needs some text besides {person}";
	return NULL;
}

int
blameless_load(struct blameless *b, const char *contents, const char *name, char **err)
{
	struct pattern *added = NULL;
	size_t n_added = 0, lineno = 0;
	enum blameless_kind kind = BLAMELESS_BLAME;
	const char *s = contents;

	if (!text_utf8_valid(contents, strlen(contents))) {
		err_set(err, "%s: not valid UTF-8; save the file as UTF-8", name);
		return -1;
	}
	while (*s != '\0') {
		const char *nl = strchr(s, '\n');
		size_t len = nl != NULL ? (size_t)(nl - s) : strlen(s);
		char *raw = xstrndup(s, len), *line;
		const char *problem = NULL;

		lineno++;
		s += len + (nl != NULL);
		line = text_trim(raw);
		free(raw);
		if (line[0] == '\0' || line[0] == '#') {
			free(line);
			continue;
		}
		if (strcmp(line, "[blame]") == 0) {
			kind = BLAMELESS_BLAME;
		} else if (strcmp(line, "[careful]") == 0) {
			kind = BLAMELESS_CAREFUL;
		} else if (line[0] == '[' && line[strlen(line) - 1] == ']') {
			problem = "unknown section; use [blame] or [careful]";
		} else {
			struct pattern p = { .kind = kind, .source = line };
			problem = compile(line, &p);
			if (problem == NULL) {
				added = xreallocarray(added, n_added + 1, sizeof(*added));
				added[n_added++] = p;
				continue;
			}
			p.source = NULL;
			pattern_clear(&p);
		}
		if (problem != NULL) {
			err_set(err, "%s:%zu: %s: %s", name, lineno, line, problem);
			free(line);
			for (size_t i = 0; i < n_added; i++)
				pattern_clear(&added[i]);
			free(added);
			return -1;
		}
		free(line);
	}
	if (n_added > 0) {
		b->patterns = xreallocarray(b->patterns, b->n + n_added, sizeof(*b->patterns));
		memcpy(b->patterns + b->n, added, n_added * sizeof(*added));
		b->n += n_added;
	}
	free(added);
	return 0;
}

struct subject {
	const char *text;
	size_t len;
	const char *const *names;
	size_t n_names;
};

/* Matches a literal piece at pos; returns the end or (size_t)-1. */
static size_t
match_literal(const struct subject *t, const char *lit, size_t pos)
{
	const char *s = t->text;

	for (; *lit != '\0'; lit++) {
		size_t n;
		if (*lit == ' ') {
			if ((n = space_at(s + pos)) == 0)
				return (size_t)-1;
			while ((n = space_at(s + pos)) > 0)
				pos += n;
		} else if (*lit == '\'' && strncmp(s + pos, "\xE2\x80\x99", 3) == 0) {
			pos += 3;
		} else if (pos < t->len && lower(s[pos]) == lower(*lit)) {
			pos++;
		} else {
			return (size_t)-1;
		}
	}
	return pos;
}

static bool
edge_before(const struct subject *t, size_t pos)
{
	return pos == 0 || !is_word((unsigned char)t->text[pos - 1]) ||
	       !is_word((unsigned char)t->text[pos]);
}

static bool
edge_after(const struct subject *t, size_t end)
{
	return end == 0 || end >= t->len || !is_word((unsigned char)t->text[end]) ||
	       !is_word((unsigned char)t->text[end - 1]);
}

static bool
match_from(const struct subject *t, const struct pattern *p, size_t k, size_t pos);

static bool
rest_matches(const struct subject *t, const struct pattern *p, size_t k, size_t end)
{
	if (k + 1 == p->n)
		return p->open_end || edge_after(t, end);
	return match_from(t, p, k + 1, end);
}

/* Whether pieces k.. of p match at pos. */
static bool
match_from(const struct subject *t, const struct pattern *p, size_t k, size_t pos)
{
	const struct piece *pc = &p->pieces[k];

	if (pc->literal != NULL) {
		size_t end = match_literal(t, pc->literal, pos);
		return end != (size_t)-1 && rest_matches(t, p, k, end);
	}
	if (pos >= t->len || !edge_before(t, pos))
		return false;
	for (size_t i = 0; i < t->n_names; i++) {
		size_t n = strlen(t->names[i]);
		if (n == 0 || n > t->len - pos)
			continue;
		bool same = true;
		for (size_t j = 0; j < n && same; j++)
			same = lower(t->text[pos + j]) == lower(t->names[i][j]);
		if (same && edge_after(t, pos + n) && rest_matches(t, p, k, pos + n))
			return true;
	}
	/* only a name on the roster or in [people] is a person: "CI", "Redis"
	 * and "The deploy" are capitalised, and they are the system */
	return false;
}

static bool
pattern_matches(const struct subject *t, const struct pattern *p)
{
	const char *first = p->pieces[0].literal;

	for (size_t pos = 0; pos < t->len; pos++) {
		if (((unsigned char)t->text[pos] & 0xC0) == 0x80)
			continue;	/* inside a character */
		if (first != NULL && lower(t->text[pos]) != lower(first[0]) &&
		    first[0] != ' ' && first[0] != '\'')
			continue;
		if (first != NULL && is_word((unsigned char)first[0]) && !edge_before(t, pos))
			continue;
		if (match_from(t, p, 0, pos))
			return true;
	}
	return false;
}

enum blameless_kind
blameless_match(const struct blameless *b, const char *text, const char *const *names,
		size_t n_names, const char **pattern)
{
	struct subject t = { .text = text, .len = strlen(text), .names = names, .n_names = n_names };

	for (size_t i = 0; i < b->n; i++) {
		if (pattern_matches(&t, &b->patterns[i])) {
			if (pattern != NULL)
				*pattern = b->patterns[i].source;
			return b->patterns[i].kind;
		}
	}
	if (pattern != NULL)
		*pattern = NULL;
	return BLAMELESS_NONE;
}

const char *
blameless_check(const struct blameless *b, const char *text, const char *const *names,
		size_t n_names)
{
	return hints[blameless_match(b, text, names, n_names, NULL)];
}
