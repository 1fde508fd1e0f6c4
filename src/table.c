#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "furikaeri/table.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"

/* A line of the table: a row of cells, or a note (n_cells 0). */
struct table_line {
	char **cells;
	size_t n_cells;
	char *note;
	size_t indent;
};

struct table {
	size_t n_cols, gap;
	size_t *width;
	bool *right;
	struct table_line *lines;
	size_t n_lines;
};

struct table *
table_new(size_t n_cols, size_t gap)
{
	struct table *t = xcalloc(1, sizeof(*t));

	t->n_cols = n_cols > 0 ? n_cols : 1;
	t->gap = gap;
	t->width = xcalloc(t->n_cols, sizeof(*t->width));
	t->right = xcalloc(t->n_cols, sizeof(*t->right));
	return t;
}

void
table_free(struct table *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n_lines; i++) {
		for (size_t c = 0; c < t->lines[i].n_cells; c++)
			free(t->lines[i].cells[c]);
		free(t->lines[i].cells);
		free(t->lines[i].note);
	}
	free(t->lines);
	free(t->width);
	free(t->right);
	free(t);
}

void
table_min_width(struct table *t, size_t col, size_t width)
{
	if (col < t->n_cols && t->width[col] < width)
		t->width[col] = width;
}

void
table_align_right(struct table *t, size_t col)
{
	if (col < t->n_cols)
		t->right[col] = true;
}

static struct table_line *
add_line(struct table *t)
{
	t->lines = xreallocarray(t->lines, t->n_lines + 1, sizeof(*t->lines));
	memset(&t->lines[t->n_lines], 0, sizeof(*t->lines));
	return &t->lines[t->n_lines++];
}

void
table_cell(struct table *t, const char *text)
{
	struct table_line *l = t->n_lines > 0 ? &t->lines[t->n_lines - 1] : NULL;

	if (l == NULL || l->note != NULL || l->n_cells == t->n_cols) {
		l = add_line(t);
		l->cells = xcalloc(t->n_cols, sizeof(char *));
	}
	char *safe = text_sanitize(text != NULL ? text : "-", false);
	size_t w = text_width(safe);
	if (w > t->width[l->n_cells])
		t->width[l->n_cells] = w;
	l->cells[l->n_cells++] = safe;
}

void
table_note(struct table *t, size_t indent, const char *text)
{
	struct table_line *l = add_line(t);

	l->note = text_sanitize(text != NULL ? text : "", false);
	l->indent = indent;
}

static void
pad(struct strbuf *sb, size_t n)
{
	for (; n > 0; n--)
		strbuf_addc(sb, ' ');
}

void
table_print(const struct table *t, FILE *out)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < t->n_lines; i++) {
		const struct table_line *l = &t->lines[i];
		strbuf_reset(&sb);
		if (l->note != NULL) {
			pad(&sb, l->indent);
			strbuf_adds(&sb, l->note);
		}
		for (size_t c = 0; c < l->n_cells; c++) {
			size_t w = text_width(l->cells[c]);
			size_t room = t->width[c] > w ? t->width[c] - w : 0;
			if (c > 0)
				pad(&sb, t->gap);
			if (t->right[c])
				pad(&sb, room);
			strbuf_adds(&sb, l->cells[c]);
			if (!t->right[c] && c + 1 < l->n_cells)
				pad(&sb, room);
		}
		size_t len = sb.len;
		const char *s = strbuf_str(&sb);
		while (len > 0 && s[len - 1] == ' ')
			len--;
		fwrite(s, 1, len, out);
		fputc('\n', out);
	}
	strbuf_release(&sb);
}
