#ifndef FURIKAERI_TABLE_H
#define FURIKAERI_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The one printer of the command line's tables (list, search, tickets,
 * history, roster, actions): cells are made safe (text_sanitize), columns
 * are as wide as their widest cell in display columns (wide characters
 * count two) and at least their minimum, one gap between them; the last
 * cell of a line is never padded and no line ends with a space. */

struct table;

/* A table of n_cols columns separated by gap spaces. Owned. */
struct table *table_new(size_t n_cols, size_t gap);
void table_free(struct table *t);
/* Column col is at least width display columns wide. */
void table_min_width(struct table *t, size_t col, size_t width);
/* Column col is aligned to the right. */
void table_align_right(struct table *t, size_t col);
/* Adds the next cell of the current row (NULL shows "-"); after the last
 * column, a new row begins. Copied. */
void table_cell(struct table *t, const char *text);
/* A line of its own under the current row (a snippet, an error), after
 * indent spaces, not part of any column. Copied. */
void table_note(struct table *t, size_t indent, const char *text);
void table_print(const struct table *t, FILE *out);

#endif
