#ifndef FURIKAERI_UI_PRIVATE_H
#define FURIKAERI_UI_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "furikaeri/session.h"
#include "furikaeri/strbuf.h"
#include "ui_curses.h"

/* Shared between the ui files only. */

/* Colour pairs; each state also shows a mark or word, never colour alone. */
enum ui_color {
	UI_COLOR_NONE,
	UI_COLOR_HEADER,
	UI_COLOR_NEAR,
	UI_COLOR_OVER,
	UI_COLOR_AGREED,
	UI_COLOR_FILED,
	UI_COLOR_HINT,
	UI_COLOR_ERROR,
	UI_COLOR_DIM,
	UI_COLOR_COUNT,
};

/* Returns the attributes of a colour role (colour pair, or bold/underline
 * on a monochrome terminal or under NO_COLOR). */
attr_t ui_attr(enum ui_color c);
void ui_colors_init(bool no_color);

/* Draws UTF-8 text at y, x in at most width columns: sanitised, never
 * splitting a wide character at the edge. Returns the columns used. */
int ui_put(int y, int x, int width, const char *text, attr_t attr);
/* Fills width columns with spaces. */
void ui_clear(int y, int x, int width);

/* The input line: UTF-8 text, a cursor on a character boundary, history. */
struct ui_editor {
	struct strbuf text;
	size_t cursor;		/* byte offset */
	char **history;
	size_t n_history;
	size_t hist_pos;	/* == n_history when not browsing */
	char *draft;		/* the line being typed while browsing history */
	int edit_seq;		/* > 0: the line replaces entry edit_seq */
};

void ui_editor_free(struct ui_editor *e);
void ui_editor_set(struct ui_editor *e, const char *text);
void ui_editor_insert(struct ui_editor *e, const char *utf8, size_t len);
/* Editing keys (curses key codes or control characters); false when the
 * key is not an editing key. */
bool ui_editor_key(struct ui_editor *e, int key, bool is_code);
void ui_editor_history(struct ui_editor *e, int direction);
/* Takes the line for submission (owned) and remembers it in the history. */
char *ui_editor_take(struct ui_editor *e);
/* Tab: completes a command or a name; returns a message listing several
 * candidates (owned) or NULL. */
char *ui_editor_complete(struct ui_editor *e, const char *const *names, size_t n_names);
/* Draws the line at y from x over width columns, with the cursor placed. */
void ui_editor_draw(const struct ui_editor *e, int y, int x, int width, const char *prompt);

/* The meeting screen's parts. */
struct ui_view {
	struct session *s;
	int scroll;		/* first line of the item details shown */
	int detail_lines;	/* lines the details had at the last draw */
	int detail_height;
	char *message;		/* status line text, owned */
	bool message_error;
	const char *hint;	/* wording hint of the last entry */
};

void ui_draw_meeting(struct ui_view *v, unsigned what, const struct ui_editor *e);
void ui_draw_help(int scroll);
/* Lines of the help screen, for scrolling. */
int ui_help_lines(void);
bool ui_too_small(void);
void ui_draw_too_small(void);

#endif
