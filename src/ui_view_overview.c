#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/agenda.h"
#include "furikaeri/command.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/header.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"
#include "ui_private.h"

/* F5: the whole meeting, every item with its state and minutes. */

static void
overview_lines(struct ui_lines *l, struct session *s)
{
	const struct agenda *a = session_agenda(s);
	const struct store_minutes *mins = session_minutes(s);
	int width = COLS > 8 ? COLS - 2 : 6;

	for (size_t i = 0; i < agenda_count(a); i++) {
		const struct agenda_item *it = agenda_item(a, i);
		char *label = ui_item_label(s, it);
		char *head = xasprintf("%s %zu. %s  (%s%s)", ui_item_mark(it), i + 1, label,
				       agenda_state_name(it->state), it->if_time ? ", if time permits" : "");
		/* whole, wrapped under the title: the state at its end is never cut */
		ui_lines_add_hanging(l, COLS - 1, NULL, 1, 6,
				  it->state == AGENDA_CURRENT ? A_BOLD | A_REVERSE : A_BOLD, head);
		free(head);
		free(label);
		bool any = false;
		for (size_t j = 0; j < mins->n; j++) {
			const struct store_minute *m = &mins->rows[j];
			if (m->item_id != it->ref)
				continue;
			int action = session_action_number(s, j);
			char kind[24];
			if (action > 0)
				snprintf(kind, sizeof(kind), "action %d", action);
			else
				snprintf(kind, sizeof(kind), "%s", m->deleted ? "deleted" : m->kind);
			char *row = xasprintf("%3d %-9s %s", m->seq, kind, m->body);
			size_t from = l->n;
			ui_lines_add_wrapped(l, width - 4, NULL, 0, row,
					  m->deleted ? ui_attr(UI_COLOR_DIM) : A_NORMAL);
			for (size_t k = from; k < l->n; k++)
				l->v[k].indent = k == from ? 3 : 17;
			free(row);
			any = true;
		}
		if (!any)
			ui_lines_add(l, 5, ui_attr(UI_COLOR_DIM), "(no entries)");
	}
	ui_lines_add(l, 1, A_NORMAL, "");
	ui_lines_add(l, 1, ui_attr(UI_COLOR_DIM), "Esc, q or F1 closes this view; PgUp/PgDn scroll; "
		  "/go N opens an item.");
}

static int
overview_count(struct session *s)
{
	struct ui_lines l = { 0 };

	overview_lines(&l, s);
	int n = (int)l.n;
	ui_lines_free(&l);
	return n;
}

static void
draw_overview(int scroll, struct session *s)
{
	struct ui_lines l = { 0 };
	char title[64];

	overview_lines(&l, s);
	snprintf(title, sizeof(title), "The whole meeting, %s", session_week(s));
	ui_lines_draw_page(title, &l, scroll);
	ui_lines_free(&l);
}


static void
overview_draw(const struct ui_frame *f)
{
	draw_overview(f->scroll, f->s);
}

static bool
overview_key(const struct ui_frame *f, int code, bool is_code, int *scroll)
{
	return ui_page_key(overview_count(f->s), code, is_code, scroll);
}

const struct ui_view_ops ui_view_overview = {
	.name = "overview",
	.draw = overview_draw,
	.key = overview_key,
};
