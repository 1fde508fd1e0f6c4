#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "furikaeri/command.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"
#include "ui_private.h"

#define HISTORY_MAX 500

void
ui_editor_free(struct ui_editor *e)
{
	strbuf_release(&e->text);
	for (size_t i = 0; i < e->n_history; i++)
		free(e->history[i]);
	free(e->history);
	free(e->draft);
	memset(e, 0, sizeof(*e));
}

void
ui_editor_set(struct ui_editor *e, const char *text)
{
	strbuf_reset(&e->text);
	strbuf_adds(&e->text, text);
	e->cursor = e->text.len;
}

void
ui_editor_insert(struct ui_editor *e, const char *utf8, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	const char *cur = strbuf_str(&e->text);

	strbuf_add(&sb, cur, e->cursor);
	strbuf_add(&sb, utf8, len);
	strbuf_adds(&sb, cur + e->cursor);
	strbuf_release(&e->text);
	e->text = sb;
	e->cursor += len;
}

static void
delete_range(struct ui_editor *e, size_t from, size_t to)
{
	if (to <= from)
		return;
	memmove(e->text.buf + from, e->text.buf + to, e->text.len - to + 1);
	e->text.len -= to - from;
	e->cursor = from;
}

/* Start of the word before the cursor (Ctrl-W): spaces, then non-spaces. */
static size_t
word_start(const struct ui_editor *e)
{
	const char *s = strbuf_str(&e->text);
	size_t off = e->cursor;

	while (off > 0 && s[off - 1] == ' ')
		off--;
	while (off > 0 && s[off - 1] != ' ')
		off = text_prev_char(s, off);
	return off;
}

bool
ui_editor_key(struct ui_editor *e, int key, bool is_code)
{
	const char *s = strbuf_str(&e->text);

	if (is_code) {
		switch (key) {
		case KEY_LEFT:
			e->cursor = text_prev_char(s, e->cursor);
			return true;
		case KEY_RIGHT:
			e->cursor = text_next_char(s, e->text.len, e->cursor);
			return true;
		case KEY_HOME:
			e->cursor = 0;
			return true;
		case KEY_END:
			e->cursor = e->text.len;
			return true;
		case KEY_BACKSPACE:
			delete_range(e, text_prev_char(s, e->cursor), e->cursor);
			return true;
		case KEY_DC:
			delete_range(e, e->cursor, text_next_char(s, e->text.len, e->cursor));
			return true;
		default:
			return false;
		}
	}
	switch (key) {
	case 0x7F:	/* DEL and Ctrl-H: backspace */
	case 0x08:
		delete_range(e, text_prev_char(s, e->cursor), e->cursor);
		return true;
	case 0x01:	/* Ctrl-A */
		e->cursor = 0;
		return true;
	case 0x02:	/* Ctrl-B */
		e->cursor = text_prev_char(s, e->cursor);
		return true;
	case 0x06:	/* Ctrl-F */
		e->cursor = text_next_char(s, e->text.len, e->cursor);
		return true;
	case 0x04:	/* Ctrl-D */
		delete_range(e, e->cursor, text_next_char(s, e->text.len, e->cursor));
		return true;
	case 0x0B:	/* Ctrl-K */
		delete_range(e, e->cursor, e->text.len);
		return true;
	case 0x15:	/* Ctrl-U */
		delete_range(e, 0, e->cursor);
		return true;
	case 0x17:	/* Ctrl-W */
		delete_range(e, word_start(e), e->cursor);
		return true;
	default:
		return false;
	}
}

void
ui_editor_history(struct ui_editor *e, int direction)
{
	if (e->n_history == 0)
		return;
	if (direction < 0) {
		if (e->hist_pos == 0)
			return;
		if (e->hist_pos == e->n_history) {
			free(e->draft);
			e->draft = xstrdup(strbuf_str(&e->text));
		}
		e->hist_pos--;
		ui_editor_set(e, e->history[e->hist_pos]);
		return;
	}
	if (e->hist_pos >= e->n_history)
		return;
	e->hist_pos++;
	ui_editor_set(e, e->hist_pos == e->n_history ? (e->draft ? e->draft : "")
						      : e->history[e->hist_pos]);
}

char *
ui_editor_take(struct ui_editor *e)
{
	char *line = xstrdup(strbuf_str(&e->text));

	if (line[0] != '\0' && (e->n_history == 0 || strcmp(e->history[e->n_history - 1], line) != 0)) {
		if (e->n_history == HISTORY_MAX) {
			free(e->history[0]);
			memmove(e->history, e->history + 1, (HISTORY_MAX - 1) * sizeof(char *));
			e->n_history--;
		}
		e->history = xreallocarray(e->history, e->n_history + 1, sizeof(char *));
		e->history[e->n_history++] = xstrdup(line);
	}
	e->hist_pos = e->n_history;
	free(e->draft);
	e->draft = NULL;
	strbuf_reset(&e->text);
	e->cursor = 0;
	return line;
}

char *
ui_editor_complete(struct ui_editor *e, const char *const *names, size_t n_names)
{
	struct command_completions c = { 0 };
	char *line = xstrndup(strbuf_str(&e->text), e->cursor);
	char *msg = NULL;
	size_t n = command_complete(line, names, n_names, &c);

	if (n > 0) {
		const char *with = n == 1 ? c.items[0] : c.common;
		/* replace the word being completed, keep what follows the cursor */
		char *rest = xstrdup(strbuf_str(&e->text) + e->cursor);
		strbuf_reset(&e->text);
		strbuf_add(&e->text, line, c.start);
		strbuf_adds(&e->text, with);
		if (n == 1 && rest[0] == '\0')
			strbuf_addc(&e->text, ' ');
		e->cursor = e->text.len;
		strbuf_adds(&e->text, rest);
		free(rest);
		if (n > 1) {
			struct strbuf sb = STRBUF_INIT;
			for (size_t i = 0; i < n; i++)
				strbuf_addf(&sb, "%s%s", i ? "  " : "", c.items[i]);
			msg = strbuf_detach(&sb);
		}
	}
	command_completions_clear(&c);
	free(line);
	return msg;
}

void
ui_editor_draw(const struct ui_editor *e, int y, int x, int width, const char *prompt)
{
	const char *s = strbuf_str(&e->text);
	int pw = (int)text_width(prompt);
	int room = width - pw - 1;
	size_t col = text_col_of(s, e->cursor), first = 0;

	ui_clear(y, x, width);
	ui_put(y, x, width, prompt, A_BOLD);
	if (room < 4)
		return;
	/* scroll so that the cursor stays visible, a third from the right */
	if ((int)col >= room)
		first = col - (size_t)room + (size_t)room / 3;
	size_t off = text_offset_of_col(s, first);
	if (text_col_of(s, off) < first)	/* a wide character cut by the edge */
		off = text_next_char(s, e->text.len, off);
	size_t shown = text_col_of(s, off);
	ui_put(y, x + pw, room, s + off, A_NORMAL);
	move(y, x + pw + (int)(col - shown));
}
