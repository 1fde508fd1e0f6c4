#ifndef FURIKAERI_UI_PRIVATE_H
#define FURIKAERI_UI_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "furikaeri/command.h"
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

/* text as the screen draws it (owned): an emoji sequence (ZWJ, skin tone,
 * variation selector, tags) as its first emoji, so that curses and every
 * terminal measure it the same. */
char *ui_drawable(const char *text);
/* Draws UTF-8 text at y, x in at most width columns: sanitised, never
 * splitting a wide character at the edge. Returns the columns used. */
int ui_put(int y, int x, int width, const char *text, attr_t attr);
/* Fills width columns with spaces. */
void ui_clear(int y, int x, int width);

/* The input line: UTF-8 text, a cursor on a character boundary, history,
 * a kill ring and undo. Pure: no curses but ui_editor_draw, so that the
 * unit tests drive it without a terminal. */
struct ui_editor_undo {
	char *text;
	size_t cursor;
};

struct ui_editor {
	struct strbuf text;
	size_t cursor;		/* byte offset */
	char **history;
	size_t n_history;
	size_t hist_pos;	/* == n_history when not browsing */
	char *draft;		/* the line being typed while browsing history */
	char **kills;		/* the kill ring, newest last */
	size_t n_kills;
	size_t yank_start;	/* where the last yank's text starts */
	size_t yank_back;	/* how far back in the ring the last yank went */
	struct ui_editor_undo *undo;
	size_t n_undo;
	int last_op;
};

void ui_editor_free(struct ui_editor *e);
/* Replaces the line (one undo step). */
void ui_editor_set(struct ui_editor *e, const char *text);
/* Types text at the cursor; a word typed is one undo step. */
void ui_editor_insert(struct ui_editor *e, const char *utf8, size_t len);
/* Inserts pasted text whole (one undo step), line breaks and tabs kept. */
void ui_editor_paste(struct ui_editor *e, const char *text, size_t len);
/* Runs an editing action (COMMAND_CHAR_LEFT ... COMMAND_UNDO, history);
 * false when id is not one. */
bool ui_editor_action(struct ui_editor *e, enum command_id id);
void ui_editor_history(struct ui_editor *e, int direction);
/* Puts text in the kill ring, as a cut does (Ctrl-Y brings it back). */
void ui_editor_kill_push(struct ui_editor *e, const char *text);
/* Takes the line for submission (owned) and remembers it in the history. */
char *ui_editor_take(struct ui_editor *e);
/* Tab: completes a command or a name; returns a message listing several
 * candidates (owned) or NULL. */
char *ui_editor_complete(struct ui_editor *e, const char *const *names, size_t n_names);
/* The line as drawn (owned): a line break shows as ↵, a tab as ⇥, one
 * column each. */
char *ui_editor_display(const char *text);
/* Draws the line at y from x over width columns, with the cursor placed. */
void ui_editor_draw(const struct ui_editor *e, int y, int x, int width, const char *prompt);

/* The meeting screen's parts. */
struct ui_view {
	struct session *s;
	int scroll;		/* first line of the item details shown */
	int detail_lines;	/* lines the details had at the last draw */
	int detail_height;
	int minutes_scroll;	/* lines the minutes are scrolled back from the newest */
	int minutes_height;
	bool find_pending;	/* scroll to the /find match at the next draw */
	int find_seq;		/* its entry, 0 for the postmortem */
	int editing;		/* the entry being edited, or 0 */
	char *message;		/* status line text, owned */
	bool message_error;
	const char *hint;	/* wording hint of the last entry */
};

void ui_draw_meeting(struct ui_view *v, unsigned what, const struct ui_editor *e);
/* The help screen: every command with its keys as bound (names[id], may be
 * NULL), or one command's details when topic is not NULL. */
void ui_draw_help(int scroll, const char *const *names, const struct command_def *topic);
/* Lines of the help screen, for scrolling. */
int ui_help_lines(const struct command_def *topic);
/* The recent messages, each whole. */
void ui_draw_messages(int scroll, const char *const *messages, size_t n);
int ui_messages_lines(const char *const *messages, size_t n);
/* The whole meeting: every item with its state and minutes. */
void ui_draw_overview(int scroll, struct session *s);
int ui_overview_lines(struct session *s);
bool ui_too_small(void);
void ui_draw_too_small(void);
/* 2: East Asian ambiguous characters take two columns in this terminal, so
 * the screen's marks and lines are drawn in ASCII. */
void ui_set_ambiguous_width(int width);
/* Draws the links of the minutes just drawn again as OSC 8 hyperlinks,
 * after refresh (curses knows nothing of them); once per minutes draw. */
void ui_links_emit(void);
void ui_links_free(void);
/* The screen's marks: "▶", "✓", "–", "→", "•", "…", "·", "─" and "│", or
 * their ASCII stand-ins when ambiguous characters are wide. */
const char *ui_mark(const char *mark);

#endif
