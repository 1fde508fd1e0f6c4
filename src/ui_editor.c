#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "furikaeri/command.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"
#include "ui_private.h"

#define HISTORY_MAX 500
#define KILL_MAX 16
#define UNDO_MAX 200

/* What the last change was, so that typing a word is one undo step and a
 * second Ctrl-Y cycles through older kills. */
enum {
	OP_OTHER,
	OP_TYPE,
	OP_YANK,
};

void
ui_editor_free(struct ui_editor *e)
{
	strbuf_release(&e->text);
	for (size_t i = 0; i < e->n_history; i++)
		free(e->history[i]);
	free(e->history);
	free(e->draft);
	for (size_t i = 0; i < e->n_kills; i++)
		free(e->kills[i]);
	free(e->kills);
	for (size_t i = 0; i < e->n_undo; i++)
		free(e->undo[i].text);
	free(e->undo);
	memset(e, 0, sizeof(*e));
}

/* Remembers the line as it is before a change, for Ctrl-_. */
static void
undo_push(struct ui_editor *e)
{
	if (e->n_undo > 0 && strcmp(e->undo[e->n_undo - 1].text, strbuf_str(&e->text)) == 0) {
		e->undo[e->n_undo - 1].cursor = e->cursor;
		return;
	}
	if (e->n_undo == UNDO_MAX) {
		free(e->undo[0].text);
		memmove(e->undo, e->undo + 1, (UNDO_MAX - 1) * sizeof(*e->undo));
		e->n_undo--;
	}
	e->undo = xreallocarray(e->undo, e->n_undo + 1, sizeof(*e->undo));
	e->undo[e->n_undo].text = xstrdup(strbuf_str(&e->text));
	e->undo[e->n_undo].cursor = e->cursor;
	e->n_undo++;
}

static void
replace_text(struct ui_editor *e, const char *text, size_t cursor)
{
	strbuf_reset(&e->text);
	strbuf_adds(&e->text, text);
	e->cursor = cursor <= e->text.len ? cursor : e->text.len;
}

void
ui_editor_set(struct ui_editor *e, const char *text)
{
	if (strcmp(text, strbuf_str(&e->text)) != 0)
		undo_push(e);
	replace_text(e, text, strlen(text));
	e->last_op = OP_OTHER;
}

static void
insert_at_cursor(struct ui_editor *e, const char *utf8, size_t len)
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

void
ui_editor_insert(struct ui_editor *e, const char *utf8, size_t len)
{
	/* a word typed is one undo step: a new step starts after a space */
	if (e->last_op != OP_TYPE || (e->cursor > 0 && e->text.buf[e->cursor - 1] == ' '))
		undo_push(e);
	insert_at_cursor(e, utf8, len);
	e->last_op = OP_TYPE;
}

void
ui_editor_paste(struct ui_editor *e, const char *text, size_t len)
{
	struct strbuf sb = STRBUF_INIT;

	/* line breaks stay line breaks: CR LF and CR become LF */
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\r') {
			strbuf_addc(&sb, '\n');
			if (i + 1 < len && text[i + 1] == '\n')
				i++;
		} else {
			strbuf_addc(&sb, text[i]);
		}
	}
	char *clean = text_utf8_repair(strbuf_str(&sb), sb.len);
	strbuf_release(&sb);
	undo_push(e);
	insert_at_cursor(e, clean, strlen(clean));
	free(clean);
	e->last_op = OP_OTHER;
}

static void
kill_push(struct ui_editor *e, const char *text, size_t len)
{
	if (len == 0)
		return;
	if (e->n_kills == KILL_MAX) {
		free(e->kills[0]);
		memmove(e->kills, e->kills + 1, (KILL_MAX - 1) * sizeof(char *));
		e->n_kills--;
	}
	e->kills = xreallocarray(e->kills, e->n_kills + 1, sizeof(char *));
	e->kills[e->n_kills++] = xstrndup(text, len);
}

void
ui_editor_kill_push(struct ui_editor *e, const char *text)
{
	kill_push(e, text, strlen(text));
	e->last_op = OP_OTHER;
}

static void
delete_range(struct ui_editor *e, size_t from, size_t to, bool kill)
{
	if (to <= from)
		return;
	undo_push(e);
	if (kill)
		kill_push(e, e->text.buf + from, to - from);
	memmove(e->text.buf + from, e->text.buf + to, e->text.len - to + 1);
	e->text.len -= to - from;
	e->cursor = from;
}

static bool
is_space_at(const char *s, size_t off)
{
	return s[off] == ' ' || s[off] == '\n' || s[off] == '\t';
}

/* Start of the word before the cursor: spaces, then non-spaces. */
static size_t
word_start(const struct ui_editor *e)
{
	const char *s = strbuf_str(&e->text);
	size_t off = e->cursor;

	while (off > 0 && is_space_at(s, off - 1))
		off--;
	while (off > 0 && !is_space_at(s, off - 1))
		off = text_prev_char(s, off);
	return off;
}

/* End of the word after the cursor. */
static size_t
word_end(const struct ui_editor *e)
{
	const char *s = strbuf_str(&e->text);
	size_t off = e->cursor;

	while (off < e->text.len && is_space_at(s, off))
		off++;
	while (off < e->text.len && !is_space_at(s, off))
		off = text_next_char(s, e->text.len, off);
	return off;
}

static void
yank(struct ui_editor *e)
{
	if (e->n_kills == 0)
		return;
	if (e->last_op == OP_YANK) {
		/* again: the text cut before replaces the one just yanked */
		size_t start = e->yank_start;
		memmove(e->text.buf + start, e->text.buf + e->cursor, e->text.len - e->cursor + 1);
		e->text.len -= e->cursor - start;
		e->cursor = start;
		e->yank_back = (e->yank_back + 1) % e->n_kills;
	} else {
		undo_push(e);
		e->yank_back = 0;
	}
	const char *k = e->kills[e->n_kills - 1 - e->yank_back];
	e->yank_start = e->cursor;
	insert_at_cursor(e, k, strlen(k));
	e->last_op = OP_YANK;
}

static void
undo(struct ui_editor *e)
{
	if (e->n_undo == 0)
		return;
	e->n_undo--;
	replace_text(e, e->undo[e->n_undo].text, e->undo[e->n_undo].cursor);
	free(e->undo[e->n_undo].text);
}

bool
ui_editor_action(struct ui_editor *e, enum command_id id)
{
	const char *s = strbuf_str(&e->text);
	int op = OP_OTHER;

	switch (id) {
	case COMMAND_CHAR_LEFT:
		e->cursor = text_prev_char(s, e->cursor);
		break;
	case COMMAND_CHAR_RIGHT:
		e->cursor = text_next_char(s, e->text.len, e->cursor);
		break;
	case COMMAND_WORD_LEFT:
		e->cursor = word_start(e);
		break;
	case COMMAND_WORD_RIGHT:
		e->cursor = word_end(e);
		break;
	case COMMAND_LINE_START:
		e->cursor = 0;
		break;
	case COMMAND_LINE_END:
		e->cursor = e->text.len;
		break;
	case COMMAND_DELETE_BACK:
		delete_range(e, text_prev_char(s, e->cursor), e->cursor, false);
		break;
	case COMMAND_DELETE_CHAR:
		delete_range(e, e->cursor, text_next_char(s, e->text.len, e->cursor), false);
		break;
	case COMMAND_KILL_END:
		delete_range(e, e->cursor, e->text.len, true);
		break;
	case COMMAND_KILL_START:
		delete_range(e, 0, e->cursor, true);
		break;
	case COMMAND_KILL_WORD:
		delete_range(e, word_start(e), e->cursor, true);
		break;
	case COMMAND_KILL_WORD_FORWARD:
		delete_range(e, e->cursor, word_end(e), true);
		break;
	case COMMAND_KILL_LINE:
		delete_range(e, 0, e->text.len, true);
		break;
	case COMMAND_YANK:
		yank(e);
		return true;
	case COMMAND_UNDO:
		undo(e);
		break;
	case COMMAND_HISTORY_PREV:
	case COMMAND_HISTORY_NEXT:
		ui_editor_history(e, id == COMMAND_HISTORY_PREV ? -1 : 1);
		break;
	default:
		return false;
	}
	e->last_op = op;
	return true;
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
	/* undo steps belong to the line just recorded */
	for (size_t i = 0; i < e->n_undo; i++)
		free(e->undo[i].text);
	e->n_undo = 0;
	strbuf_reset(&e->text);
	e->cursor = 0;
	e->last_op = OP_OTHER;
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
		undo_push(e);
		strbuf_reset(&e->text);
		strbuf_add(&e->text, line, c.start);
		strbuf_adds(&e->text, with);
		if (n == 1 && rest[0] == '\0')
			strbuf_addc(&e->text, ' ');
		e->cursor = e->text.len;
		strbuf_adds(&e->text, rest);
		free(rest);
		e->last_op = OP_OTHER;
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

char *
ui_editor_display(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	/* a pasted line break or tab takes one column, as the cursor counts it */
	for (; *s != '\0'; s++) {
		if (*s == '\n')
			strbuf_adds(&sb, "\xE2\x86\xB5");	/* ↵ */
		else if (*s == '\t')
			strbuf_adds(&sb, "\xE2\x87\xA5");	/* ⇥ */
		else
			strbuf_addc(&sb, *s);
	}
	return strbuf_detach(&sb);
}

void
ui_editor_draw(const struct ui_editor *e, int y, int x, int width, const char *prompt)
{
	/* measured as drawn: line breaks as one column, emoji sequences as
	 * their first emoji */
	char *shown_text = ui_editor_display(strbuf_str(&e->text));
	char *s = ui_drawable(shown_text);
	char *before = xstrndup(strbuf_str(&e->text), e->cursor);
	char *before_shown = ui_editor_display(before);
	char *before_drawn = ui_drawable(before_shown);
	size_t len = strlen(s);
	int pw = (int)text_width(prompt);
	int room = width - pw - 1;
	size_t col = text_width(before_drawn), first = 0;

	free(shown_text);
	free(before);
	free(before_shown);
	free(before_drawn);

	ui_clear(y, x, width);
	ui_put(y, x, width, prompt, A_BOLD);
	if (room < 4) {
		free(s);
		return;
	}
	/* scroll so that the cursor stays visible, a third from the right */
	if ((int)col >= room)
		first = col - (size_t)room + (size_t)room / 3;
	size_t off = text_offset_of_col(s, first);
	if (text_col_of(s, off) < first)	/* a wide character cut by the edge */
		off = text_next_char(s, len, off);
	size_t shown = text_col_of(s, off);
	ui_put(y, x + pw, room, s + off, A_NORMAL);
	move(y, x + pw + (int)(col - shown));
	free(s);
}
