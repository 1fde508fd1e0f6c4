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

/* What a view draws from: the session, the meeting's parts and editor, and
 * a page's scroll and contents. Borrowed from the ui for one call. */
struct ui_frame {
	struct session *s;
	struct ui_view *view;			/* the meeting's parts */
	unsigned what;				/* SESSION_DRAW_*: what changed */
	const struct ui_editor *editor;
	int scroll;				/* a page's first line */
	const char *const *names;		/* keys as bound, by command id */
	const struct command_def *topic;	/* help on one command, or NULL */
	const char *const *messages;		/* the recent messages, oldest first */
	size_t n_messages;
};

/* A view: one screen, its operations in a file of its own
 * (src/ui_view_NAME.c). NULL: the view has no such operation. */
struct ui_view_ops {
	const char *name;
	void (*draw)(const struct ui_frame *f);
	/* A key (a curses key code when is_code) moves *scroll; returns true
	 * when it closes the view. */
	bool (*key)(const struct ui_frame *f, int code, bool is_code, int *scroll);
	void (*resize)(struct ui_frame *f);
	/* At exit: what the view keeps between frames. */
	void (*free)(void);
};

extern const struct ui_view_ops ui_view_meeting;	/* the meeting screen */
extern const struct ui_view_ops ui_view_help;		/* F1 */
extern const struct ui_view_ops ui_view_messages;	/* the recent messages */
extern const struct ui_view_ops ui_view_overview;	/* F5: the whole meeting */

/* Lines of laid-out text, drawn into a region with a scroll offset
 * (src/ui_lines.c). */
struct ui_line {
	char *text;
	attr_t attr;
	int indent;
	int seq;	/* the minutes entry it shows, or 0 */
	char *url;	/* a link this line shows whole, for OSC 8; owned or NULL */
};

struct ui_lines {
	struct ui_line *v;
	size_t n, cap;		/* cap doubles: a 5 MB postmortem is 70,000 lines */
};

void ui_lines_add(struct ui_lines *l, int indent, attr_t attr, const char *text);
void ui_lines_free(struct ui_lines *l);
/* Adds text wrapped to width, its first line after a label. */
void ui_lines_add_wrapped(struct ui_lines *l, int width, const char *label, attr_t label_attr,
			  const char *text, attr_t attr);
/* Adds text wrapped to width columns: its first line starts at first
 * columns after prefix, the others at hang. */
void ui_lines_add_hanging(struct ui_lines *l, int width, const char *prefix, int first,
			  int hang, attr_t attr, const char *text);
/* Draws the lines from first into height rows at top, x; returns how many
 * lines there are. Links shown whole are kept for ui_links_emit. */
int ui_lines_draw(const struct ui_lines *l, int top, int x, int width, int height, int first);
/* A whole-screen page: the title in reverse, then the lines from scroll. */
void ui_lines_draw_page(const char *title, struct ui_lines *l, int scroll);
/* A page's keys: Esc, q, Ctrl-C or F1 close it (true); PgUp, PgDn and the
 * arrows move *scroll within its lines. */
bool ui_page_key(int lines, int code, bool is_code, int *scroll);

/* An agenda item's mark ("✓", "▶"...) and its label (owned). */
const char *ui_item_mark(const struct agenda_item *it);
char *ui_item_label(const struct session *s, const struct agenda_item *it);
/* Box lines, in ASCII when ambiguous characters are wide. */
void ui_hline(int y, int x, int n);
void ui_vline(int y, int x, int n);

bool ui_too_small(void);
void ui_draw_too_small(void);
/* 2: East Asian ambiguous characters take two columns in this terminal, so
 * the screen's marks and lines are drawn in ASCII. */
void ui_set_ambiguous_width(int width);
/* Draws the links of the minutes just drawn again as OSC 8 hyperlinks,
 * after refresh (curses knows nothing of them); once per minutes draw. */
void ui_links_emit(void);
/* A frame that draws the minutes begins: the links drawn before are gone. */
void ui_links_begin(void);
/* A link drawn at y, x (copied); every link drawn on row y is gone. */
void ui_links_add(int y, int x, const char *url);
void ui_links_drop_row(int y);
void ui_links_free(void);
/* The screen's marks: "▶", "✓", "–", "→", "•", "…", "·", "─" and "│", or
 * their ASCII stand-ins when ambiguous characters are wide. */
const char *ui_mark(const char *mark);

#endif
