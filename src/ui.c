#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "furikaeri/command.h"
#include "furikaeri/err.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/ui.h"
#include "furikaeri/xalloc.h"
#include "ui_private.h"

/* How long get_wch waits before the clocks move on. */
#define TICK_MS 250

static volatile sig_atomic_t stop_requested;
static bool screen_up;

static void
on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

void
ui_emergency_restore(void)
{
	if (screen_up)
		endwin();
	screen_up = false;
}

/* One key as curses reports it: a function-key code or a character. */
struct key {
	int code;
	bool is_code;
};

struct binding {
	struct key key;
	enum command_id id;
};

struct keymap {
	struct binding *v;
	size_t n;
};

static const struct {
	const char *name;
	int code;
	bool is_code;
} key_names[] = {
	{ "PPage", KEY_PPAGE, true }, { "NPage", KEY_NPAGE, true },
	{ "Up", KEY_UP, true }, { "Down", KEY_DOWN, true },
	{ "Left", KEY_LEFT, true }, { "Right", KEY_RIGHT, true },
	{ "Home", KEY_HOME, true }, { "End", KEY_END, true },
	{ "Tab", '\t', false }, { "BTab", KEY_BTAB, true },
};

/* Parses "C-n", "F1", "PPage", "Tab"... ; false when unknown. */
static bool
key_parse(const char *name, struct key *out)
{
	if (strncmp(name, "C-", 2) == 0 && name[2] >= 'a' && name[2] <= 'z' && name[3] == '\0') {
		*out = (struct key){ .code = name[2] - 'a' + 1, .is_code = false };
		return true;
	}
	if (name[0] == 'F' && name[1] >= '1' && name[1] <= '9') {
		int n = atoi(name + 1);
		if (n >= 1 && n <= 12) {
			*out = (struct key){ .code = KEY_F(n), .is_code = true };
			return true;
		}
	}
	for (size_t i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++) {
		if (strcmp(key_names[i].name, name) == 0) {
			*out = (struct key){ .code = key_names[i].code, .is_code = key_names[i].is_code };
			return true;
		}
	}
	return false;
}

static void
keymap_set(struct keymap *m, struct key k, enum command_id id)
{
	for (size_t i = 0; i < m->n; i++) {
		if (m->v[i].id == id) {
			m->v[i].key = k;
			return;
		}
	}
	m->v = xreallocarray(m->v, m->n + 1, sizeof(*m->v));
	m->v[m->n++] = (struct binding){ .key = k, .id = id };
}

/* The default keys come from the action table; the config may rebind. */
static int
keymap_build(struct keymap *m, const struct ui_options *opt, char **err)
{
	struct key k;

	for (size_t i = 0; i < command_count(); i++) {
		const struct command_def *d = command_at(i);
		if (d->key != NULL && key_parse(d->key, &k))
			keymap_set(m, k, d->id);
	}
	for (size_t i = 0; i + 1 < 2 * opt->n_bindings; i += 2) {
		const struct command_def *d = command_find(opt->bindings[i]);
		if (d == NULL) {
			err_set(err, "[keys] %s: there is no such action; see the help screen (F1)",
				opt->bindings[i]);
			return -1;
		}
		if (!key_parse(opt->bindings[i + 1], &k)) {
			err_set(err, "[keys] %s = %s: unknown key; write keys as C-x, F1..F12, "
				"PPage, NPage, Up, Down, Home, End or Tab",
				opt->bindings[i], opt->bindings[i + 1]);
			return -1;
		}
		keymap_set(m, k, d->id);
	}
	return 0;
}

static const struct binding *
keymap_find(const struct keymap *m, int code, bool is_code)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->v[i].key.code == code && m->v[i].key.is_code == is_code)
			return &m->v[i];
	return NULL;
}

struct ui {
	struct session *s;
	const struct ui_options *opt;
	struct keymap keys;
	struct ui_editor editor;
	struct ui_view view;
	bool help;
	int help_scroll;
	bool quit;
	unsigned dirty;
};

static void
set_message(struct ui *u, const char *msg, bool error)
{
	free(u->view.message);
	u->view.message = msg != NULL ? xstrdup(msg) : NULL;
	u->view.message_error = error;
	u->dirty |= SESSION_DRAW_STATUS;
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
	pid_t pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", "exec $FK_EDITOR \"$1\"", "sh", path, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	reset_prog_mode();
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
	/* the input line holds one line: newlines become spaces */
	for (size_t i = 0; i < sb.len; i++)
		if (sb.buf[i] == '\n' || sb.buf[i] == '\r' || sb.buf[i] == '\t')
			sb.buf[i] = ' ';
	char *trimmed = text_trim(strbuf_str(&sb));
	strbuf_release(&sb);
	return trimmed;
}

static void
open_editor(struct ui *u)
{
	const struct store_minutes *m = session_minutes(u->s);
	char *text, *edited;
	int seq = u->editor.edit_seq;

	if (u->editor.text.len > 0 || m->n == 0) {
		text = xstrdup(strbuf_str(&u->editor.text));
	} else {
		/* an empty line edits the newest entry still standing */
		struct session_reply r;
		size_t i = m->n;
		while (i > 0 && m->rows[i - 1].deleted)
			i--;
		if (i == 0)
			return;
		char *cmd = xasprintf("/edit %d", m->rows[i - 1].seq);
		session_input(u->s, cmd, 0, &r);
		free(cmd);
		if (r.edit_text == NULL) {
			set_message(u, r.message, true);
			session_reply_clear(&r);
			return;
		}
		text = xstrdup(r.edit_text);
		seq = r.edit_seq;
		session_reply_clear(&r);
	}
	setenv("FK_EDITOR", u->opt->editor != NULL && u->opt->editor[0] ? u->opt->editor : "vi", 1);
	edited = run_editor(u, text);
	free(text);
	if (edited == NULL)
		return;
	ui_editor_set(&u->editor, edited);
	u->editor.edit_seq = seq;
	free(edited);
	set_message(u, seq > 0 ? "edited text is in the input line: Enter saves it, Esc cancels"
			       : "Enter records the edited text", false);
}

static void
apply_reply(struct ui *u, struct session_reply *r, char *line)
{
	u->dirty |= r->redraw;
	if (r->message != NULL || !r->error)
		set_message(u, r->message, r->error);
	u->view.hint = r->hint;
	if (r->error) {
		/* nothing was recorded: the text stays for another try */
		ui_editor_set(&u->editor, line);
	} else {
		u->editor.edit_seq = 0;
	}
	if (r->edit_text != NULL) {
		ui_editor_set(&u->editor, r->edit_text);
		u->editor.edit_seq = r->edit_seq;
	}
	if (r->help) {
		u->help = true;
		u->help_scroll = 0;
	}
	if (r->editor)
		open_editor(u);
	if (r->quit)
		u->quit = true;
}

static void
submit(struct ui *u)
{
	int seq = u->editor.edit_seq;
	char *line = ui_editor_take(&u->editor);
	struct session_reply r;

	session_input(u->s, line, seq, &r);
	if (r.error)
		u->editor.edit_seq = seq;
	apply_reply(u, &r, line);
	session_reply_clear(&r);
	free(line);
}

static void
run_action(struct ui *u, enum command_id id)
{
	struct session_reply r = { 0 };
	const struct command_def *d = command_by_id(id);

	switch (id) {
	case COMMAND_SCROLL_UP:
	case COMMAND_SCROLL_DOWN: {
		int page = u->view.detail_height > 2 ? u->view.detail_height - 1 : 1;
		u->view.scroll += id == COMMAND_SCROLL_UP ? -page : page;
		u->dirty |= SESSION_DRAW_ITEM;
		return;
	}
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
	case COMMAND_HISTORY_PREV:
	case COMMAND_HISTORY_NEXT:
		ui_editor_history(&u->editor, id == COMMAND_HISTORY_PREV ? -1 : 1);
		return;
	case COMMAND_HELP:
		u->help = true;
		u->help_scroll = 0;
		return;
	default:
		break;
	}
	/* a key for a slash command runs it as if typed */
	char *line = xasprintf("/%s", d->name);
	session_input(u->s, line, 0, &r);
	u->dirty |= r.redraw;
	set_message(u, r.message, r.error);
	u->view.hint = NULL;
	if (r.help)
		u->help = true;
	if (r.quit)
		u->quit = true;
	if (id == COMMAND_NEXT || id == COMMAND_PREV)
		u->view.scroll = 0;
	session_reply_clear(&r);
	free(line);
}

static void
help_key(struct ui *u, int code, bool is_code)
{
	int page = LINES > 3 ? LINES - 2 : 1;

	if ((!is_code && (code == 27 || code == 'q')) || (is_code && code == KEY_F(1))) {
		u->help = false;
		u->dirty = SESSION_DRAW_ALL;
	} else if (is_code && (code == KEY_NPAGE || code == KEY_DOWN)) {
		u->help_scroll += code == KEY_DOWN ? 1 : page;
	} else if (is_code && (code == KEY_PPAGE || code == KEY_UP)) {
		u->help_scroll -= code == KEY_UP ? 1 : page;
	}
	if (u->help_scroll > ui_help_lines() - page)
		u->help_scroll = ui_help_lines() - page;
	if (u->help_scroll < 0)
		u->help_scroll = 0;
}

static void
handle_key(struct ui *u, wint_t wc, bool is_code)
{
	int code = (int)wc;

	if (is_code && code == KEY_RESIZE) {
		u->dirty = SESSION_DRAW_ALL;
		return;
	}
	if (u->help) {
		help_key(u, code, is_code);
		return;
	}
	if (ui_too_small())
		return;
	const struct binding *b = keymap_find(&u->keys, code, is_code);
	if (b != NULL) {
		run_action(u, b->id);
		return;
	}
	if (!is_code && (code == '\n' || code == '\r')) {
		submit(u);
		return;
	}
	if (is_code && code == KEY_ENTER) {
		submit(u);
		return;
	}
	if (!is_code && code == 27) {
		/* Esc cancels an edit and clears the line and the hint */
		ui_editor_set(&u->editor, "");
		u->editor.edit_seq = 0;
		u->view.hint = NULL;
		set_message(u, NULL, false);
		return;
	}
	if (ui_editor_key(&u->editor, code, is_code))
		return;
	if (!is_code && code >= 0x20 && code != 0x7F) {
		char buf[4];
		size_t n = text_utf8_encode((uint32_t)code, buf);
		ui_editor_insert(&u->editor, buf, n);
	}
}

static void
draw(struct ui *u)
{
	if (u->help) {
		ui_draw_help(u->help_scroll);
		return;
	}
	if (ui_too_small()) {
		ui_draw_too_small();
		u->dirty = SESSION_DRAW_ALL;
		return;
	}
	if (u->dirty == SESSION_DRAW_ALL)
		erase();
	ui_draw_meeting(&u->view, u->dirty, &u->editor);
	u->dirty = 0;
	refresh();
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
	if (keymap_build(&u.keys, opt, err) < 0)
		return -1;
	screen = newterm(NULL, stdout, stdin);
	if (screen == NULL) {
		err_set(err, "cannot use the terminal '%s'; check TERM",
			getenv("TERM") ? getenv("TERM") : "(unset)");
		free(u.keys.v);
		return -1;
	}
	screen_up = true;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	timeout(TICK_MS);
	ui_colors_init(opt->no_color);
	u.view.s = s;
	if (session_read_only(s)) {
		char *msg = xasprintf("this meeting is open in another furikaeri (pid %ld): "
				      "showing it read-only", session_lock_holder(s));
		set_message(&u, msg, true);
		free(msg);
	} else if (session_phase(s) == SESSION_CONFIRM) {
		set_message(&u, "Enter confirms the facilitator; F1 shows every command", false);
	}
	while (!u.quit && !stop_requested) {
		draw(&u);
		int rc = get_wch(&wc);
		u.dirty |= session_tick(s);
		if (rc == ERR)
			continue;
		handle_key(&u, wc, rc == KEY_CODE_YES);
	}
	endwin();
	screen_up = false;
	delscreen(screen);
	ui_editor_free(&u.editor);
	free(u.view.message);
	free(u.keys.v);
	return 0;
}
