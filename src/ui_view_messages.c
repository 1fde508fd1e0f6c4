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

/* The recent status messages, each whole. */

static void
messages_lines(struct ui_lines *l, const char *const *messages, size_t n)
{
	if (n == 0)
		ui_lines_add(l, 1, A_NORMAL, "No messages yet.");
	/* newest first, each whole */
	for (size_t i = n; i > 0; i--)
		ui_lines_add_wrapped(l, COLS > 4 ? COLS - 2 : 2, NULL, 0, messages[i - 1],
				  messages[i - 1][0] == '!' ? ui_attr(UI_COLOR_ERROR) : A_NORMAL);
	ui_lines_add(l, 1, A_NORMAL, "");
	ui_lines_add(l, 1, ui_attr(UI_COLOR_DIM), "Esc, q or F1 closes this list; PgUp/PgDn scroll.");
}

static int
messages_count(const char *const *messages, size_t n)
{
	struct ui_lines l = { 0 };

	messages_lines(&l, messages, n);
	int count = (int)l.n;
	ui_lines_free(&l);
	return count;
}

static void
draw_messages(int scroll, const char *const *messages, size_t n)
{
	struct ui_lines l = { 0 };

	messages_lines(&l, messages, n);
	ui_lines_draw_page("Messages (newest first)", &l, scroll);
	ui_lines_free(&l);
}


static void
messages_draw(const struct ui_frame *f)
{
	draw_messages(f->scroll, f->messages, f->n_messages);
}

static bool
messages_key(const struct ui_frame *f, int code, bool is_code, int *scroll)
{
	return ui_page_key(messages_count(f->messages, f->n_messages), code, is_code, scroll);
}

const struct ui_view_ops ui_view_messages = {
	.name = "messages",
	.draw = messages_draw,
	.key = messages_key,
};
