#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "furikaeri/header.h"
#include "furikaeri/text.h"

enum form { HIDDEN, BRIEF, FULL };

/* The order fields are shown in, from the left; the clocks are last. */
static const enum header_field left_order[] = {
	HEADER_WEEK, HEADER_READONLY, HEADER_FACILITATOR, HEADER_CHAT,
};
static const enum header_field priority[] = {
	HEADER_ITEM, HEADER_MEETING, HEADER_READONLY, HEADER_WEEK,
	HEADER_FACILITATOR, HEADER_CHAT,
};
/* Brief forms turn full in this order: the facilitator's word before the
 * program's name. */
static const enum header_field upgrade[] = {
	HEADER_ITEM, HEADER_MEETING, HEADER_READONLY, HEADER_FACILITATOR,
	HEADER_WEEK, HEADER_CHAT,
};
#define N_PRIORITY (sizeof(priority) / sizeof(priority[0]))

static const char *
form_text(const struct header_cell *c, enum form f)
{
	if (f == HIDDEN || c->full == NULL)
		return NULL;
	return f == BRIEF && c->brief != NULL ? c->brief : c->full;
}

/* Columns the shown fields take: a column at each edge, sep between. */
static int
needed(const struct header_cell *cells, const enum form *forms, int sep)
{
	int w = 2, shown = 0;

	for (int i = 0; i < HEADER_FIELDS; i++) {
		const char *t = form_text(&cells[i], forms[i]);
		if (t == NULL)
			continue;
		w += (int)text_width(t);
		shown++;
	}
	return shown > 1 ? w + sep * (shown - 1) : w;
}

static bool
try_form(const struct header_cell *cells, enum form *forms, int i, enum form f, int cols)
{
	enum form was = forms[i];

	if (cells[i].full == NULL)
		return false;
	forms[i] = f;
	/* the clocks show even when nothing else fits */
	if (i == HEADER_ITEM || i == HEADER_MEETING || needed(cells, forms, 2) <= cols)
		return true;
	forms[i] = was;
	return false;
}

static void
place(const struct header_cell *cells, const enum form *forms, int sep, int cols,
      struct header_place *out)
{
	int x = 1;

	for (size_t k = 0; k < sizeof(left_order) / sizeof(left_order[0]); k++) {
		enum header_field f = left_order[k];
		if ((out[f].text = form_text(&cells[f], forms[f])) == NULL)
			continue;
		out[f].x = x;
		x += (int)text_width(out[f].text) + sep;
	}
	out[HEADER_ITEM].text = form_text(&cells[HEADER_ITEM], forms[HEADER_ITEM]);
	out[HEADER_MEETING].text = form_text(&cells[HEADER_MEETING], forms[HEADER_MEETING]);
	int right = cols - 1;
	if (out[HEADER_MEETING].text != NULL) {
		right -= (int)text_width(out[HEADER_MEETING].text);
		out[HEADER_MEETING].x = right;
		right -= sep;
	}
	if (out[HEADER_ITEM].text != NULL)
		out[HEADER_ITEM].x = right - (int)text_width(out[HEADER_ITEM].text);
}

void
header_layout(const struct header_cell cells[HEADER_FIELDS], int cols,
	      struct header_place out[HEADER_FIELDS])
{
	enum form forms[HEADER_FIELDS] = { HIDDEN };
	bool all_full = true;

	memset(out, 0, sizeof(*out) * HEADER_FIELDS);
	for (size_t k = 0; k < N_PRIORITY; k++)
		try_form(cells, forms, priority[k], BRIEF, cols);
	for (size_t k = 0; k < N_PRIORITY; k++)
		if (forms[upgrade[k]] != HIDDEN)
			try_form(cells, forms, upgrade[k], FULL, cols);
	for (int i = 0; i < HEADER_FIELDS; i++)
		if (cells[i].full != NULL && forms[i] != FULL)
			all_full = false;
	int sep = all_full && needed(cells, forms, 3) <= cols ? 3 : 2;
	place(cells, forms, sep, cols, out);
}

void
header_chat_brief(const char *status, char *buf, size_t size)
{
	size_t n = strcspn(status, ":(");
	const char *until = strstr(status, " until");

	if (until != NULL && (size_t)(until - status) < n)
		n = (size_t)(until - status);
	while (n > 0 && status[n - 1] == ' ')
		n--;

	if (strcmp(status, "connected") == 0)
		snprintf(buf, size, "chat ok");
	else
		snprintf(buf, size, "chat %.*s", (int)n, status);
}
