#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/strbuf.h"
#include "furikaeri/xalloc.h"
#include "import_md_private.h"

/* Markdown as people paste it, repaired before the walk: pipe tables whose
 * separator row (|---|---|) is not right under the header row, and rows
 * whose text wraps onto a line of its own (a cell pasted with a newline in
 * it). md4c reads neither as a table, and the measures in its rows would
 * be lost. Nothing else is touched; a file with no such table comes back
 * unchanged (NULL). */

struct line {
	const char *s;
	size_t n;
};

static const char *
skip_indent(const struct line *l)
{
	size_t i = 0;

	while (i < l->n && i < 3 && l->s[i] == ' ')
		i++;
	return l->s + i;
}

static bool
is_blank(const struct line *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->s[i] != ' ' && l->s[i] != '\t')
			return false;
	return true;
}

static bool
is_pipe_row(const struct line *l)
{
	const char *p = skip_indent(l);

	return p < l->s + l->n && *p == '|';
}

/* Pipes that separate cells: not escaped, not inside `code`. */
static size_t
pipes(const char *s, size_t n)
{
	size_t count = 0;
	bool code = false;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			i++;
			continue;
		}
		if (s[i] == '`')
			code = !code;
		else if (s[i] == '|' && !code)
			count++;
	}
	return count;
}

static bool
is_separator(const struct line *l)
{
	bool dash = false;

	if (!is_pipe_row(l))
		return false;
	for (size_t i = 0; i < l->n; i++) {
		char c = l->s[i];

		if (c == '-')
			dash = true;
		else if (c != '|' && c != ':' && c != ' ' && c != '\t')
			return false;
	}
	return dash;
}

static bool
is_fence(const struct line *l)
{
	const char *p = skip_indent(l);
	size_t left = l->n - (size_t)(p - l->s);

	return left >= 3 && (memcmp(p, "```", 3) == 0 || memcmp(p, "~~~", 3) == 0);
}

/* Writes the table of lines [from, to) repaired into out; true when it
 * changed anything. */
static bool
repair_one(const struct line *lines, size_t from, size_t to, struct strbuf *out)
{
	size_t header_pipes = pipes(lines[from].s, lines[from].n), sep = 0;
	bool changed = false;

	for (size_t i = from + 1; i < to && sep == 0; i++)
		if (is_separator(&lines[i]))
			sep = i;
	/* the header, then the separator, wherever it was */
	strbuf_add(out, lines[from].s, lines[from].n);
	strbuf_addc(out, '\n');
	if (sep != 0) {
		strbuf_add(out, lines[sep].s, lines[sep].n);
		strbuf_addc(out, '\n');
		changed |= sep != from + 1;
	}
	for (size_t i = from + 1; i < to; i++) {
		size_t have;

		if (i == sep)
			continue;
		strbuf_add(out, lines[i].s, lines[i].n);
		have = pipes(lines[i].s, lines[i].n);
		/* a row short of cells (more than the optional last pipe) goes
		 * on in the lines after it that are not rows themselves */
		while (have + 1 < header_pipes && i + 1 < to && i + 1 != sep &&
		       !is_pipe_row(&lines[i + 1])) {
			const struct line *next = &lines[++i];

			strbuf_addc(out, ' ');
			strbuf_add(out, next->s, next->n);
			have += pipes(next->s, next->n);
			changed = true;
		}
		strbuf_addc(out, '\n');
	}
	return changed;
}

char *
imd_repair_tables(const char *body, size_t len, size_t *out_len)
{
	struct line *lines = NULL;
	size_t n = 0, cap = 0;
	struct strbuf out = STRBUF_INIT;
	bool changed = false, fenced = false;

	for (size_t at = 0; at < len;) {
		const char *nl = memchr(body + at, '\n', len - at);
		size_t end = nl != NULL ? (size_t)(nl - body) : len;

		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			lines = xreallocarray(lines, cap, sizeof(*lines));
		}
		lines[n++] = (struct line){ .s = body + at, .n = end - at };
		at = nl != NULL ? end + 1 : len;
	}
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		bool sep = false;

		if (is_fence(&lines[i]))
			fenced = !fenced;
		if (fenced || !is_pipe_row(&lines[i]) || is_separator(&lines[i])) {
			strbuf_add(&out, lines[i].s, lines[i].n);
			strbuf_addc(&out, '\n');
			i++;
			continue;
		}
		/* the table: pipe rows, and lines that carry on a short row */
		while (j < n && !is_blank(&lines[j]) && !is_fence(&lines[j])) {
			if (!is_pipe_row(&lines[j]) &&
			    pipes(lines[j - 1].s, lines[j - 1].n) + 1 >= pipes(lines[i].s, lines[i].n))
				break;
			sep |= is_separator(&lines[j]);
			j++;
		}
		if (sep && j - i >= 3)
			changed |= repair_one(lines, i, j, &out);
		else
			for (size_t k = i; k < j; k++) {
				strbuf_add(&out, lines[k].s, lines[k].n);
				strbuf_addc(&out, '\n');
			}
		i = j;
	}
	free(lines);
	if (!changed) {
		strbuf_release(&out);
		return NULL;
	}
	*out_len = out.len;
	return strbuf_detach(&out);
}
