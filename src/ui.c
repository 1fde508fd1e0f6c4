#include "config.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "furikaeri/answer.h"
#include "furikaeri/command.h"
#include "furikaeri/err.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/ui.h"
#include "furikaeri/xalloc.h"
#include "ui_private.h"

/* How long get_wch waits before the clocks move on. */
#define TICK_MS 250
/* How long curses waits for the rest of a key's escape sequence, which a
 * slow ssh link may split: an Esc alone is one that nothing follows. */
#define ESC_DELAY_MS 200
/* An Alt key comes as Esc and the key in one write: what follows an Esc
 * at once is Alt, what a person types after pressing Esc is not. */
#define ESC_FOLLOW_MS 10
/* A paste whose end marker never comes ends after this long. */
#define PASTE_WAIT_MS 1000
/* Messages kept for /messages. */
#define MESSAGES_MAX 50

/* Bracketed paste: the terminal wraps pasted text in these. */
#define KEY_PASTE_BEGIN (KEY_MAX + 1)
#define KEY_PASTE_END (KEY_MAX + 2)

static volatile sig_atomic_t stop_requested;
static bool screen_up;

static void
on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void
paste_mode(bool on)
{
	fputs(on ? "\033[?2004h" : "\033[?2004l", stdout);
	fflush(stdout);
}

void
ui_emergency_restore(void)
{
	if (screen_up) {
		endwin();
		paste_mode(false);
	}
	screen_up = false;
}

/* One key as curses reports it: a function-key code or a character, with
 * Alt (an Esc before it). */
struct key {
	int code;
	bool is_code;
	bool alt;
};

struct binding {
	struct key key;
	enum command_id id;
	bool user;	/* from [keys] */
};

struct keymap {
	struct binding *v;
	size_t n;
	/* the keys of each action as the user has them, for the help */
	char *names[COMMAND_ID_COUNT];
};

static const struct {
	const char *name;
	int code;
	bool is_code;
} key_names[] = {
	{ "PPage", KEY_PPAGE, true }, { "NPage", KEY_NPAGE, true },
	{ "S-PPage", KEY_SPREVIOUS, true }, { "S-NPage", KEY_SNEXT, true },
	{ "Up", KEY_UP, true }, { "Down", KEY_DOWN, true },
	{ "Left", KEY_LEFT, true }, { "Right", KEY_RIGHT, true },
	{ "Home", KEY_HOME, true }, { "End", KEY_END, true },
	{ "Tab", '\t', false }, { "BTab", KEY_BTAB, true },
	{ "Esc", 27, false }, { "Delete", KEY_DC, true },
	{ "Enter", '\r', false }, { "Enter", '\n', false }, { "Enter", KEY_ENTER, true },
	{ "Backspace", KEY_BACKSPACE, true }, { "Backspace", 0x7F, false },
};

static void
keymap_add(struct keymap *m, struct key k, enum command_id id, bool user)
{
	m->v = xreallocarray(m->v, m->n + 1, sizeof(*m->v));
	m->v[m->n++] = (struct binding){ .key = k, .id = id, .user = user };
}

/* Adds the keys one name stands for ("Enter" is CR, LF and KEY_ENTER). */
static void
keymap_add_name(struct keymap *m, const char *name, enum command_id id, bool user)
{
	bool alt = false;

	if (strcmp(name, "M-Backspace") == 0) {
		keymap_add(m, (struct key){ .code = 0x7F, .alt = true }, id, user);
		keymap_add(m, (struct key){ .code = 0x08, .alt = true }, id, user);
		keymap_add(m, (struct key){ .code = KEY_BACKSPACE, .is_code = true, .alt = true },
			   id, user);
		return;
	}
	if (strncmp(name, "C-", 2) == 0) {
		int c = name[2] == '_' ? 0x1F : name[2] - 'a' + 1;
		keymap_add(m, (struct key){ .code = c }, id, user);
		return;
	}
	if (strncmp(name, "M-", 2) == 0 && name[2] != '\0' && name[3] == '\0') {
		keymap_add(m, (struct key){ .code = (unsigned char)name[2], .alt = true }, id, user);
		return;
	}
	if (name[0] == 'F' && name[1] >= '1' && name[1] <= '9') {
		keymap_add(m, (struct key){ .code = KEY_F(atoi(name + 1)), .is_code = true }, id,
			   user);
		return;
	}
	for (size_t i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++)
		if (strcmp(key_names[i].name, name) == 0)
			keymap_add(m, (struct key){ .code = key_names[i].code,
						    .is_code = key_names[i].is_code, .alt = alt },
				   id, user);
}

static void
keymap_add_list(struct keymap *m, const char *names, enum command_id id, bool user)
{
	char *copy = xstrdup(names), *save = NULL;

	for (char *k = strtok_r(copy, " ", &save); k != NULL; k = strtok_r(NULL, " ", &save))
		keymap_add_name(m, k, id, user);
	free(copy);
}

static void
keymap_free(struct keymap *m)
{
	free(m->v);
	for (size_t i = 0; i < COMMAND_ID_COUNT; i++)
		free(m->names[i]);
	memset(m, 0, sizeof(*m));
}

/* The default keys come from the action table; [keys] replaces an
 * action's keys (the config refused conflicts at load, naming file:line). */
static int
keymap_build(struct keymap *m, const struct ui_options *opt, char **err)
{
	for (size_t i = 0; i < opt->n_bindings; i++) {
		const struct command_def *d = command_find(opt->bindings[2 * i]);
		char *why = NULL;
		if (d == NULL) {
			err_set(err, "[keys] %s: there is no such action; see the help screen (F1)",
				opt->bindings[2 * i]);
			return -1;
		}
		if (command_key_check(opt->bindings[2 * i], opt->bindings[2 * i + 1],
				      (char *const *)opt->bindings, i, &why) < 0) {
			*err = why;
			return -1;
		}
		free(m->names[d->id]);
		m->names[d->id] = xstrdup(opt->bindings[2 * i + 1]);
	}
	for (size_t i = 0; i < command_count(); i++) {
		const struct command_def *d = command_at(i);
		bool user = m->names[d->id] != NULL;
		if (!user && d->key != NULL)
			m->names[d->id] = xstrdup(d->key);
		if (m->names[d->id] != NULL)
			keymap_add_list(m, m->names[d->id], d->id, user);
	}
	return 0;
}

static const struct binding *
keymap_find(const struct keymap *m, struct key k)
{
	const struct binding *found = NULL;

	for (size_t i = 0; i < m->n; i++) {
		const struct key *b = &m->v[i].key;
		if (b->code == k.code && b->is_code == k.is_code && b->alt == k.alt) {
			/* a rebinding wins over a default that stands for the same
			 * key (C-j is also Enter) */
			if (m->v[i].user)
				return &m->v[i];
			if (found == NULL)
				found = &m->v[i];
		}
	}
	return found;
}

enum ui_screen {
	UI_SCREEN_MEETING,
	UI_SCREEN_HELP,
	UI_SCREEN_MESSAGES,
	UI_SCREEN_OVERVIEW,
};

struct ui {
	struct session *s;
	const struct ui_options *opt;
	struct keymap keys;
	struct ui_editor editor;
	struct ui_view view;
	enum ui_screen screen;
	const struct command_def *help_topic;
	int page_scroll;
	bool ask_leave;		/* "Leave the meeting? y/n" is on the status line */
	struct answer answer;	/* what is typed around a y/n question */
	bool find_keys;		/* after /find: n and N on an empty line move */
	bool quit;
	bool hyperlinks;	/* the terminal shows OSC 8 links */
	unsigned dirty;
	char *messages[MESSAGES_MAX];
	size_t n_messages;
};

static void
set_message(struct ui *u, const char *msg, bool error)
{
	free(u->view.message);
	u->view.message = msg != NULL ? xstrdup(msg) : NULL;
	u->view.message_error = error;
	u->dirty |= SESSION_DRAW_ALL;
	if (msg == NULL || msg[0] == '\0')
		return;
	if (u->n_messages == MESSAGES_MAX) {
		free(u->messages[0]);
		memmove(u->messages, u->messages + 1, (MESSAGES_MAX - 1) * sizeof(char *));
		u->n_messages--;
	}
	u->messages[u->n_messages++] = xasprintf("%s%s", error ? "! " : "", msg);
}

/* Runs the editor on text; returns the edited text (owned) or NULL. */
static char *
run_editor(struct ui *u, const char *text)
{
	char path[] = "/tmp/furikaeri-entry-XXXXXX";
	struct strbuf sb = STRBUF_INIT;
	int fd = mkstemp(path), status = -1;
	FILE *f;

	if (fd < 0) {
		set_message(u, "cannot create a file for the editor in /tmp", true);
		return NULL;
	}
	if (write(fd, text, strlen(text)) < 0 || write(fd, "\n", 1) < 0) {
		close(fd);
		unlink(path);
		set_message(u, "cannot write the file for the editor", true);
		return NULL;
	}
	close(fd);
	def_prog_mode();
	endwin();
	paste_mode(false);
	pid_t pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", "exec $FK_EDITOR \"$1\"", "sh", path, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	reset_prog_mode();
	paste_mode(true);
	refresh();
	u->dirty = SESSION_DRAW_ALL;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		unlink(path);
		set_message(u, "the editor failed; the entry is unchanged", true);
		return NULL;
	}
	if ((f = fopen(path, "r")) != NULL) {
		char chunk[4096];
		size_t n;
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			strbuf_add(&sb, chunk, n);
		fclose(f);
	}
	unlink(path);
	/* line breaks inside stay; the one an editor adds at the end goes */
	char *trimmed = text_trim(strbuf_str(&sb));
	strbuf_release(&sb);
	return trimmed;
}

static void apply_reply(struct ui *u, struct session_reply *r, const char *line);

static void
open_editor(struct ui *u)
{
	char *edited;

	if (u->editor.text.len == 0 && session_editing(u->s) == 0) {
		/* an empty line edits the newest entry of the item, and says so */
		struct session_reply r;
		session_edit_newest(u->s, &r);
		apply_reply(u, &r, NULL);
		session_reply_clear(&r);
		if (session_editing(u->s) == 0)
			return;
	}
	setenv("FK_EDITOR", u->opt->editor != NULL && u->opt->editor[0] ? u->opt->editor : "vi", 1);
	edited = run_editor(u, strbuf_str(&u->editor.text));
	if (edited == NULL)
		return;
	ui_editor_set(&u->editor, edited);
	free(edited);
	if (session_editing(u->s) > 0) {
		char *msg = xasprintf("the edited text of entry %d is in the input line: Enter "
				      "saves it over the entry, Esc cancels", session_editing(u->s));
		set_message(u, msg, false);
		free(msg);
	} else {
		set_message(u, "Enter records the edited text", false);
	}
}

static void
reset_scroll(struct ui *u)
{
	u->view.scroll = 0;
	u->view.minutes_scroll = 0;
}

/* line: what was submitted; when nothing was recorded it is put back for
 * another try (the store failed) or into the kill ring (refused). */
static void
apply_reply(struct ui *u, struct session_reply *r, const char *line)
{
	bool refused = r->error && !r->keep_line && line != NULL && line[0] != '\0';

	u->dirty |= r->redraw;
	if (refused) {
		ui_editor_kill_push(&u->editor, line);
		char *msg = xasprintf("%s (Ctrl-Y brings the line back)",
				      r->message != NULL ? r->message : "refused");
		set_message(u, msg, true);
		free(msg);
	} else if (r->message != NULL || !r->error) {
		set_message(u, r->message, r->error);
	}
	u->view.hint = r->hint;
	if (r->edit_ended)	/* into the kill ring: Ctrl-Y brings it back */
		ui_editor_action(&u->editor, COMMAND_KILL_LINE);
	if (r->error && r->keep_line && line != NULL)
		ui_editor_set(&u->editor, line);
	if (r->edit_text != NULL)
		ui_editor_set(&u->editor, r->edit_text);
	if (r->item_changed)
		reset_scroll(u);
	if (r->find) {
		reset_scroll(u);
		u->view.find_pending = true;
		u->view.find_seq = r->find_seq;
		u->find_keys = true;
		u->dirty = SESSION_DRAW_ALL;
	}
	if (r->help) {
		u->screen = UI_SCREEN_HELP;
		u->help_topic = r->help_topic;
		u->page_scroll = 0;
	}
	if (r->messages) {
		u->screen = UI_SCREEN_MESSAGES;
		u->page_scroll = 0;
	}
	if (r->overview) {
		u->screen = UI_SCREEN_OVERVIEW;
		u->page_scroll = 0;
	}
	if (r->editor)
		open_editor(u);
	if (r->quit)
		u->quit = true;
}

static void
submit(struct ui *u)
{
	char *line = ui_editor_take(&u->editor);
	struct session_reply r;

	session_input(u->s, line, &r);
	apply_reply(u, &r, line);
	session_reply_clear(&r);
	free(line);
}

/* Esc and Ctrl-C on a typed line: the text goes to the kill ring. */
static void
kill_line(struct ui *u, bool interrupt)
{
	int seq = session_editing(u->s);
	bool had = u->editor.text.len > 0;
	char *msg = NULL;

	ui_editor_action(&u->editor, COMMAND_KILL_LINE);
	u->view.hint = NULL;
	if (seq > 0) {
		session_edit_cancel(u->s);
		msg = xasprintf("the edit of entry %d is cancelled and the entry unchanged; Ctrl-Y "
				"brings the text back", seq);
	} else if (had) {
		msg = xstrdup(interrupt ? "line cleared; Ctrl-_ or Ctrl-Y brings it back"
					: "line cut; Ctrl-Y or Ctrl-_ brings it back");
	}
	set_message(u, msg, false);
	free(msg);
}

static void
run_action(struct ui *u, enum command_id id)
{
	struct session_reply r;

	switch (id) {
	case COMMAND_SCROLL_UP:
	case COMMAND_SCROLL_DOWN: {
		int page = u->view.detail_height > 2 ? u->view.detail_height - 1 : 1;
		u->view.scroll += id == COMMAND_SCROLL_UP ? -page : page;
		u->dirty |= SESSION_DRAW_ITEM;
		return;
	}
	case COMMAND_MINUTES_UP:
	case COMMAND_MINUTES_DOWN: {
		int page = u->view.minutes_height > 2 ? u->view.minutes_height - 1 : 1;
		u->view.minutes_scroll += id == COMMAND_MINUTES_UP ? page : -page;
		u->dirty |= SESSION_DRAW_MINUTES;
		return;
	}
	case COMMAND_REDRAW:
		clearok(curscr, TRUE);
		u->dirty = SESSION_DRAW_ALL;
		return;
	case COMMAND_EDITOR:
		open_editor(u);
		return;
	case COMMAND_COMPLETE: {
		size_t n;
		const char *const *names = session_people(u->s, &n);
		char *msg = ui_editor_complete(&u->editor, names, n);
		if (msg != NULL) {
			set_message(u, msg, false);
			free(msg);
		}
		return;
	}
	case COMMAND_SUBMIT:
		submit(u);
		return;
	case COMMAND_KILL_LINE:
		kill_line(u, false);
		return;
	case COMMAND_INTERRUPT:
		if (u->editor.text.len > 0 || session_editing(u->s) > 0) {
			kill_line(u, true);
		} else {
			u->ask_leave = true;
			set_message(u, "Leave the meeting? Everything is saved. y/n", false);
		}
		return;
	case COMMAND_HELP:
		u->screen = UI_SCREEN_HELP;
		u->help_topic = NULL;
		u->page_scroll = 0;
		return;
	case COMMAND_SHOW_MESSAGE:
		u->screen = UI_SCREEN_MESSAGES;
		u->page_scroll = 0;
		return;
	default:
		break;
	}
	if (ui_editor_action(&u->editor, id))
		return;
	/* a key for a command runs it by its id */
	session_run(u->s, id, &r);
	apply_reply(u, &r, NULL);
	session_reply_clear(&r);
}

/* Each screen's view, by the screen it draws. */
static const struct ui_view_ops *const views[] = {
	[UI_SCREEN_MEETING] = &ui_view_meeting,
	[UI_SCREEN_HELP] = &ui_view_help,
	[UI_SCREEN_MESSAGES] = &ui_view_messages,
	[UI_SCREEN_OVERVIEW] = &ui_view_overview,
};

/* What the views draw from, as the ui stands. */
static struct ui_frame
frame(struct ui *u)
{
	return (struct ui_frame){
		.s = u->s, .view = &u->view, .what = u->dirty, .editor = &u->editor,
		.scroll = u->page_scroll, .names = (const char *const *)u->keys.names,
		.topic = u->help_topic, .messages = (const char *const *)u->messages,
		.n_messages = u->n_messages,
	};
}

static void
page_key(struct ui *u, struct key k)
{
	struct ui_frame f = frame(u);

	if (views[u->screen]->key != NULL &&
	    views[u->screen]->key(&f, k.code, k.is_code, &u->page_scroll)) {
		u->screen = UI_SCREEN_MEETING;
		u->dirty = SESSION_DRAW_ALL;
	}
}

static bool
asking(const struct ui *u)
{
	return u->ask_leave || session_question(u->s) != SESSION_ASK_NONE;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static enum answer_key
answer_kind(struct key k)
{
	if (k.is_code)
		return k.code == KEY_ENTER ? ANSWER_KEY_ENTER : ANSWER_KEY_OTHER;
	if (k.code == '\r' || k.code == '\n')
		return ANSWER_KEY_ENTER;
	if (k.code == 27 || k.code == 0x03)
		return ANSWER_KEY_CANCEL;
	if (!k.alt && k.code >= 0x20 && k.code != 0x7F)
		return ANSWER_KEY_TEXT;
	return ANSWER_KEY_OTHER;
}

/* Text typed around a question goes to the kill ring, and the status line
 * says so (after the answer's own message). */
static void
put_aside(struct ui *u, bool still_asking)
{
	char *aside = answer_take_aside(&u->answer);

	if (aside == NULL)
		return;
	ui_editor_kill_push(&u->editor, aside);
	char *msg;
	if (still_asking)
		msg = xasprintf("\"%s\" was not recorded (Ctrl-Y brings it back); the question "
				"waits: y or n", aside);
	else if (u->view.message != NULL && u->view.message[0] != '\0')
		msg = xasprintf("%s; \"%s\" typed after the answer was not recorded (Ctrl-Y "
				"brings it back)", u->view.message, aside);
	else
		msg = xasprintf("\"%s\" typed after the answer was not recorded (Ctrl-Y brings "
				"it back)", aside);
	set_message(u, msg, u->view.message_error && !still_asking);
	free(msg);
	free(aside);
}

static void
answer(struct ui *u, bool yes)
{
	if (u->ask_leave) {
		u->ask_leave = false;
		if (yes)
			u->quit = true;
		else
			set_message(u, "the meeting goes on", false);
		return;
	}
	struct session_reply r;
	session_answer(u->s, yes, &r);
	apply_reply(u, &r, NULL);
	session_reply_clear(&r);
}

static void
handle_key(struct ui *u, struct key k)
{
	if (k.is_code && k.code == KEY_RESIZE) {
		struct ui_frame f = frame(u);
		for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++)
			if (views[i]->resize != NULL)
				views[i]->resize(&f);
		u->dirty = SESSION_DRAW_ALL;
		return;
	}
	if (u->screen != UI_SCREEN_MEETING) {
		page_key(u, k);
		return;
	}
	bool was_asking = asking(u);
	enum answer_result res = answer_key(&u->answer, was_asking, answer_kind(k),
					    (uint32_t)k.code, now_ms());
	if (res == ANSWER_YES || res == ANSWER_NO) {
		answer(u, res == ANSWER_YES);
		put_aside(u, false);
		return;
	}
	if (res == ANSWER_TAKEN) {
		/* a stray line, or the rest of the answer's word, ends at Enter */
		if (answer_kind(k) == ANSWER_KEY_ENTER)
			put_aside(u, was_asking);
		return;
	}
	put_aside(u, false);
	if (u->find_keys && u->editor.text.len == 0 && !k.is_code && !k.alt &&
	    (k.code == 'n' || k.code == 'N')) {
		run_action(u, k.code == 'n' ? COMMAND_FIND_NEXT : COMMAND_FIND_PREV);
		return;
	}
	u->find_keys = false;
	/* keys typed while the window is too small are kept: only the drawing
	 * waits */
	const struct binding *b = keymap_find(&u->keys, k);
	if (b != NULL) {
		run_action(u, b->id);
		return;
	}
	if (!k.is_code && !k.alt && k.code >= 0x20 && k.code != 0x7F) {
		char buf[4];
		size_t n = text_utf8_encode((uint32_t)k.code, buf);
		ui_editor_insert(&u->editor, buf, n);
	}
}

/* Reads the pasted text up to the end marker: never run, never completed,
 * line breaks and tabs kept. */
static void
read_paste(struct ui *u)
{
	struct strbuf sb = STRBUF_INIT;
	wint_t wc;
	int rc;

	timeout(PASTE_WAIT_MS);
	while ((rc = get_wch(&wc)) != ERR) {
		if (rc == KEY_CODE_YES) {
			if (wc == KEY_PASTE_END)
				break;
			if (wc == KEY_ENTER)
				strbuf_addc(&sb, '\n');
			continue;
		}
		char buf[4];
		size_t n = text_utf8_encode((uint32_t)wc, buf);
		strbuf_add(&sb, buf, n);
	}
	timeout(TICK_MS);
	if (asking(u)) {
		/* a paste is never an answer, nor an entry while a question is up */
		ui_editor_kill_push(&u->editor, strbuf_str(&sb));
		set_message(u, "a paste is not an answer: it was not recorded (Ctrl-Y brings it "
			    "back); the question waits: y or n", false);
		strbuf_release(&sb);
		return;
	}
	ui_editor_paste(&u->editor, sb.buf != NULL ? sb.buf : "", sb.len);
	strbuf_release(&sb);
	u->view.hint = NULL;
}

/* After an Esc: an Alt key, the rest of a sequence a slow link split, or a
 * lone Esc. Returns false when the key was taken care of here. */
static bool
read_after_esc(struct ui *u, struct key *k)
{
	wint_t wc;
	int rc;

	timeout(ESC_FOLLOW_MS);
	rc = get_wch(&wc);
	if (rc == ERR) {
		timeout(TICK_MS);
		*k = (struct key){ .code = 27 };
		return true;
	}
	if (rc == KEY_CODE_YES) {
		timeout(TICK_MS);
		if (wc == KEY_PASTE_BEGIN) {
			read_paste(u);
			return false;
		}
		*k = (struct key){ .code = (int)wc, .is_code = true, .alt = true };
		return true;
	}
	if (wc == '[' || wc == 'O') {
		/* a CSI or SS3 sequence: read it to its final byte */
		char seq[32];
		size_t n = 0;
		while ((rc = get_wch(&wc)) != ERR && rc != KEY_CODE_YES) {
			if (n + 1 < sizeof(seq))
				seq[n++] = (char)wc;
			if (wc >= 0x40 && wc <= 0x7E)
				break;
		}
		seq[n] = '\0';
		timeout(TICK_MS);
		static const struct {
			const char *seq;
			int code;
		} known[] = {
			{ "A", KEY_UP }, { "B", KEY_DOWN }, { "C", KEY_RIGHT }, { "D", KEY_LEFT },
			{ "H", KEY_HOME }, { "F", KEY_END }, { "3~", KEY_DC }, { "5~", KEY_PPAGE },
			{ "6~", KEY_NPAGE }, { "1~", KEY_HOME }, { "4~", KEY_END },
			{ "5;2~", KEY_SPREVIOUS }, { "6;2~", KEY_SNEXT },
		};
		if (strcmp(seq, "200~") == 0) {
			read_paste(u);
			return false;
		}
		for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (strcmp(known[i].seq, seq) == 0) {
				*k = (struct key){ .code = known[i].code, .is_code = true };
				return true;
			}
		return false;	/* an unknown sequence is dropped, never typed */
	}
	timeout(TICK_MS);
	*k = (struct key){ .code = (int)wc, .alt = true };
	return true;
}

static void
handle_mouse(struct ui *u)
{
	MEVENT ev;

	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & BUTTON4_PRESSED)
		u->view.minutes_scroll += 3;
#ifdef BUTTON5_PRESSED
	else if (ev.bstate & BUTTON5_PRESSED)
		u->view.minutes_scroll -= 3;
#endif
	u->dirty |= SESSION_DRAW_MINUTES;
}

static void
draw(struct ui *u)
{
	struct ui_frame f;

	if (u->screen != UI_SCREEN_MEETING) {
		f = frame(u);
		views[u->screen]->draw(&f);
		return;
	}
	if (ui_too_small()) {
		ui_draw_too_small();
		u->dirty = SESSION_DRAW_ALL;
		return;
	}
	if (u->dirty == SESSION_DRAW_ALL)
		erase();
	u->view.editing = session_editing(u->s);
	f = frame(u);
	views[UI_SCREEN_MEETING]->draw(&f);
	u->dirty = 0;
	refresh();
	if (u->hyperlinks)
		ui_links_emit();
}

/* Terminals known to show OSC 8 hyperlinks; FURIKAERI_HYPERLINKS=1 or 0
 * says so for any other. */
static bool
hyperlinks_supported(void)
{
	const char *force = getenv("FURIKAERI_HYPERLINKS");
	const char *prog = getenv("TERM_PROGRAM"), *vte = getenv("VTE_VERSION");

	if (force != NULL && force[0] != '\0')
		return strcmp(force, "0") != 0;
	if (prog != NULL && (strcmp(prog, "iTerm.app") == 0 || strcmp(prog, "WezTerm") == 0 ||
			     strcmp(prog, "vscode") == 0 || strcmp(prog, "ghostty") == 0))
		return true;
	return (vte != NULL && atoi(vte) >= 5000) || getenv("WT_SESSION") != NULL ||
	       getenv("KITTY_WINDOW_ID") != NULL;
}

/* 2 in Chinese, Japanese and Korean locales, where terminals commonly draw
 * East Asian ambiguous characters wide; else 1. */
static int
ambiguous_default(void)
{
	const char *loc = setlocale(LC_CTYPE, NULL);

	if (loc != NULL && (strncmp(loc, "ja", 2) == 0 || strncmp(loc, "zh", 2) == 0 ||
			    strncmp(loc, "ko", 2) == 0))
		return 2;
	return 1;
}

int
ui_run(struct session *s, const struct ui_options *opt, char **err)
{
	struct ui u = { .s = s, .opt = opt, .dirty = SESSION_DRAW_ALL };
	struct sigaction sa = { .sa_handler = on_signal };
	SCREEN *screen;
	wint_t wc;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		err_set(err, "the meeting screen needs a terminal; run furikaeri in one");
		return -1;
	}
	if (keymap_build(&u.keys, opt, err) < 0) {
		keymap_free(&u.keys);
		return -1;
	}
	screen = newterm(NULL, stdout, stdin);
	if (screen == NULL) {
		err_set(err, "cannot use the terminal '%s'; check TERM",
			getenv("TERM") ? getenv("TERM") : "(unset)");
		keymap_free(&u.keys);
		return -1;
	}
	screen_up = true;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* raw: Ctrl-C, Ctrl-\ and Ctrl-S are keys here, not signals or a
	 * frozen screen */
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(ESC_DELAY_MS);
	timeout(TICK_MS);
	define_key("\033[200~", KEY_PASTE_BEGIN);
	define_key("\033[201~", KEY_PASTE_END);
	define_key("\033[5;2~", KEY_SPREVIOUS);
	define_key("\033[6;2~", KEY_SNEXT);
	mousemask(BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
		  | BUTTON5_PRESSED
#endif
		  , NULL);
	paste_mode(true);
	ui_colors_init(opt->no_color);
	ui_set_ambiguous_width(opt->ambiguous_width > 0 ? opt->ambiguous_width
							: ambiguous_default());
	u.view.s = s;
	u.hyperlinks = hyperlinks_supported();
	if (session_read_only(s)) {
		char *msg = xasprintf("this meeting is open in another furikaeri (pid %ld): "
				      "showing it read-only", session_lock_holder(s));
		set_message(&u, msg, true);
		free(msg);
	} else if (session_phase(s) == SESSION_CONFIRM && session_proposed_new(s)) {
		/* the confirm pane says how to confirm; the status line adds only
		 * what it does not say */
		set_message(&u, "The roster is empty: Enter (or the first note) confirms you as "
			    "facilitator and adds you to it", false);
	}
	while (!u.quit && !stop_requested) {
		draw(&u);
		int rc = get_wch(&wc);
		u.dirty |= session_tick(s);
		bool notice_error;
		char *notice = session_take_notice(s, &notice_error);
		if (notice != NULL) {
			set_message(&u, notice, notice_error);
			free(notice);
		}
		if (rc == ERR)
			continue;
		struct key k = { .code = (int)wc, .is_code = rc == KEY_CODE_YES };
		if (k.is_code && k.code == KEY_PASTE_BEGIN) {
			read_paste(&u);
			continue;
		}
		if (k.is_code && k.code == KEY_PASTE_END)
			continue;
		if (k.is_code && k.code == KEY_MOUSE) {
			handle_mouse(&u);
			continue;
		}
		if (!k.is_code && k.code == 27 && !read_after_esc(&u, &k))
			continue;
		handle_key(&u, k);
	}
	endwin();
	paste_mode(false);
	screen_up = false;
	delscreen(screen);
	ui_editor_free(&u.editor);
	answer_release(&u.answer);
	free(u.view.message);
	for (size_t i = 0; i < u.n_messages; i++)
		free(u.messages[i]);
	keymap_free(&u.keys);
	for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++)
		if (views[i]->free != NULL)
			views[i]->free();
	return 0;
}
