#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"
#include "ui_private.h"

/* Laid-out lines: text wrapped to a width, drawn into a region from a
 * scroll offset; a page (help, messages, overview) is such lines under a
 * title, scrolled by its keys. */

/* Width of the label column of the item details ("Impact   ..."). */
#define LABEL_WIDTH 10


void
ui_lines_add(struct ui_lines *l, int indent, attr_t attr, const char *text)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	l->v[l->n++] = (struct ui_line){ .text = xstrdup(text), .attr = attr, .indent = indent };
}

void
ui_lines_free(struct ui_lines *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].text);
		free(l->v[i].url);
	}
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

/* Adds text wrapped to width, its first line after a label. */
void
ui_lines_add_wrapped(struct ui_lines *l, int width, const char *label, attr_t label_attr,
		     const char *text, attr_t attr)
{
	char *raw = text_unwrap(text != NULL ? text : "");
	char *safe = text_sanitize(raw, true);
	int indent = label != NULL ? LABEL_WIDTH : 0;
	char **wrapped;
	size_t n;

	text_wrap(safe, (size_t)(width > indent + 8 ? width - indent : 8), &wrapped, &n);
	if (label != NULL)
		ui_lines_add(l, 0, label_attr, label);
	if (n == 0 && label == NULL)
		ui_lines_add(l, indent, attr, "");
	for (size_t i = 0; i < n; i++) {
		if (i == 0 && label != NULL) {
			/* the first line of text shares the label's line */
			struct ui_line *last = &l->v[l->n - 1];
			char *joined = xasprintf("%-*s%s", LABEL_WIDTH, last->text, wrapped[0]);
			free(last->text);
			last->text = joined;
			last->attr = attr;
			continue;
		}
		ui_lines_add(l, indent, attr, wrapped[i]);
	}
	text_lines_free(wrapped, n);
	free(safe);
	free(raw);
}

/* Adds text wrapped to width columns: its first line starts at first
 * (after prefix, which takes that line's first columns), the lines after
 * it at hang, so that a wrapped line never restarts at the left edge. */
void
ui_lines_add_hanging(struct ui_lines *l, int width, const char *prefix, int first, int hang,
		     attr_t attr, const char *text)
{
	int pw = prefix != NULL ? (int)text_width(prefix) : 0;
	int room = width - (first + pw > hang ? first + pw : hang);
	char **wrapped;
	size_t n;

	text_wrap(text, (size_t)(room > 8 ? room : 8), &wrapped, &n);
	for (size_t i = 0; i < n || i == 0; i++) {
		const char *t = i < n ? wrapped[i] : "";
		if (i == 0) {
			char *row = xasprintf("%s%s", prefix != NULL ? prefix : "", t);
			ui_lines_add(l, first, attr, row);
			free(row);
		} else {
			ui_lines_add(l, hang, attr, t);
		}
	}
	text_lines_free(wrapped, n);
}

int
ui_lines_draw(const struct ui_lines *l, int top, int x, int width, int height, int first)
{
	int y = top;

	for (size_t i = (size_t)(first > 0 ? first : 0); i < l->n && y < top + height; i++, y++) {
		const struct ui_line *ln = &l->v[i];
		ui_clear(y, x, width);
		ui_put(y, x + ln->indent, width - ln->indent, ln->text, ln->attr);
		const char *at = ln->url != NULL ? strstr(ln->text, ln->url) : NULL;
		if (at != NULL)
			ui_links_add(y, x + ln->indent + (int)text_col_of(ln->text, (size_t)(at - ln->text)),
				  ln->url);
	}
	for (; y < top + height; y++)
		ui_clear(y, x, width);
	return (int)l->n;
}


void
ui_lines_draw_page(const char *title, struct ui_lines *l, int scroll)
{
	erase();
	attron(A_REVERSE);
	ui_clear(0, 0, COLS);
	ui_put(0, 1, COLS - 1, title, A_REVERSE | A_BOLD);
	attroff(A_REVERSE);
	ui_lines_draw(l, 1, 0, COLS, LINES - 1, scroll);
	refresh();
}


bool
ui_page_key(int lines, int code, bool is_code, int *scroll)
{
	int page = LINES > 3 ? LINES - 2 : 1;

	if ((!is_code && (code == 27 || code == 'q' || code == 0x03)) ||
	    (is_code && code == KEY_F(1)))
		return true;
	if (is_code && (code == KEY_NPAGE || code == KEY_DOWN))
		*scroll += code == KEY_DOWN ? 1 : page;
	else if (is_code && (code == KEY_PPAGE || code == KEY_UP))
		*scroll -= code == KEY_UP ? 1 : page;
	if (*scroll > lines - page)
		*scroll = lines - page;
	if (*scroll < 0)
		*scroll = 0;
	return false;
}
