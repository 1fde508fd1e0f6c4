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

/* F1: every command with its keys, or one command's details. */

/* Paragraphs, wrapped to the width when drawn. */
static const char *const help_intro[] = {
	"furikaeri: the weekly postmortem review",
	"",
	"How a meeting runs",
	"  1. Enter confirms the proposed facilitator (or /facilitator NAME, /backup NAME).",
	"  2. /attend NAME for each person who joins; attending is optional.",
	"  3. On each item read the summary aloud and ask the question under \"Ask\". "
	"Type what is said: a plain line is a note, /q a question, /decide a decision.",
	"  4. A prevention measure (a test, automation, detection, recovery): "
	"/action TEXT @owner due:YYYY-MM-DD, then /agree N and /ticket N to file it.",
	"  5. Ctrl-N moves to the next item (/skip, /carry to next week, /go N). The wrap-up "
	"lists decisions and measures; Ctrl-N there asks, then ends the meeting and "
	"writes the minutes (/reopen opens it again).",
	"",
	"Everything is saved the moment it is typed; /quit leaves and the meeting can be "
	"reopened later. Tab completes commands and names; Up/Down recall earlier lines. "
	"A paste is text, never commands. Esc, Ctrl-U, Ctrl-W, Ctrl-K and Ctrl-C cut into "
	"a kill ring: Ctrl-Y brings the text back, Ctrl-_ undoes. /help NAME: one command.",
	"A y/n question takes y or n (Enter, Esc: no); a refused line, and text typed around "
	"a question, go to the kill ring too, never into the minutes.",
	"",
};

/* One line of the help's introduction, wrapped under its own indent (a
 * numbered step's text under the text, not under the number). */
static void
help_intro_line(struct ui_lines *l, const char *text, attr_t attr)
{
	int lead = (int)strspn(text, " ");
	const char *rest = text + lead;
	int step = rest[0] >= '0' && rest[0] <= '9' && rest[1] == '.' ? 3 : 0;

	ui_lines_add_hanging(l, COLS - 1, NULL, 1 + lead, 1 + lead + step, attr, rest);
}

#define HELP_USAGE_WIDTH 44
#define HELP_KEYS_WIDTH 15
#define HELP_TEXT_MIN 30

/* A command's row: usage, keys and description in columns where they fit
 * (the description wrapped in its column), else usage and keys on a line
 * and the description wrapped under them. */
static void
help_command(struct ui_lines *l, const char *usage, const char *keys, const char *help)
{
	int table = 1 + HELP_USAGE_WIDTH + 1 + HELP_KEYS_WIDTH + 1;

	if (COLS - table >= HELP_TEXT_MIN) {
		char *prefix = xasprintf("%-*s %-*s ", HELP_USAGE_WIDTH, usage, HELP_KEYS_WIDTH,
					 keys != NULL ? keys : "");
		ui_lines_add_hanging(l, COLS - 1, prefix, 1, table, A_NORMAL, help);
		free(prefix);
		return;
	}
	char *head = xasprintf("%s%s%s", usage, keys != NULL && keys[0] != '\0' ? "   " : "",
			       keys != NULL ? keys : "");
	ui_lines_add_hanging(l, COLS - 1, NULL, 1, 3, A_BOLD, head);
	ui_lines_add_hanging(l, COLS - 1, NULL, 5, 5, A_NORMAL, help);
	free(head);
}

/* The help as lines: every command with the keys bound to it, or the
 * details of one. */
static void
help_lines(struct ui_lines *l, const char *const *names, const struct command_def *topic)
{
	char usage[128];

	if (topic != NULL) {
		command_usage(topic, usage, sizeof(usage));
		ui_lines_add(l, 1, A_BOLD, usage);
		for (size_t k = 0; k < COMMAND_MAX_ALIASES && topic->aliases[k] != NULL; k++) {
			char *alias = xasprintf("also /%s", topic->aliases[k]);
			ui_lines_add(l, 1, A_NORMAL, alias);
			free(alias);
		}
		const char *keys = names != NULL ? names[topic->id] : topic->key;
		if (keys != NULL) {
			char *row = xasprintf("keys: %s", keys);
			ui_lines_add(l, 1, A_NORMAL, row);
			free(row);
		}
		ui_lines_add(l, 1, A_NORMAL, "");
		ui_lines_add_wrapped(l, COLS > 4 ? COLS - 2 : 2, NULL, 0,
				  topic->long_help != NULL ? topic->long_help : topic->help, A_NORMAL);
		if (topic->example != NULL) {
			char *ex = xasprintf("Example: %s", topic->example);
			ui_lines_add(l, 1, A_NORMAL, "");
			ui_lines_add(l, 1, A_NORMAL, ex);
			free(ex);
		}
		ui_lines_add(l, 1, A_NORMAL, "");
		ui_lines_add(l, 1, ui_attr(UI_COLOR_DIM), "Esc, q or F1 closes this help; /help lists "
			  "every command.");
		return;
	}
	for (size_t i = 0; i < sizeof(help_intro) / sizeof(help_intro[0]); i++)
		help_intro_line(l, help_intro[i], i == 0 ? A_BOLD : A_NORMAL);
	help_intro_line(l, "Commands and keys (as bound here; [keys] in the config rebinds)", A_BOLD);
	for (size_t i = 0; i < command_count(); i++) {
		const struct command_def *d = command_at(i);
		command_usage(d, usage, sizeof(usage));
		/* an alias follows its command: "/question TEXT  (/q)" */
		if (d->aliases[0] != NULL) {
			size_t n = strlen(usage);
			snprintf(usage + n, sizeof(usage) - n, "  (/%s)", d->aliases[0]);
		}
		help_command(l, usage, names != NULL ? names[d->id] : d->key, d->help);
	}
	ui_lines_add(l, 1, A_NORMAL, "");
	ui_lines_add(l, 1, ui_attr(UI_COLOR_DIM), "Esc, q or F1 closes this help; PgUp/PgDn scroll.");
}

static int
help_count(const struct command_def *topic)
{
	struct ui_lines l = { 0 };

	help_lines(&l, NULL, topic);
	int n = (int)l.n;
	ui_lines_free(&l);
	return n;
}


static void
draw_help(int scroll, const char *const *names, const struct command_def *topic)
{
	struct ui_lines l = { 0 };

	help_lines(&l, names, topic);
	ui_lines_draw_page(topic != NULL ? "Help: one command" : "Help", &l, scroll);
	ui_lines_free(&l);
}


static void
help_draw(const struct ui_frame *f)
{
	draw_help(f->scroll, f->names, f->topic);
}

static bool
help_key(const struct ui_frame *f, int code, bool is_code, int *scroll)
{
	return ui_page_key(help_count(f->topic), code, is_code, scroll);
}

const struct ui_view_ops ui_view_help = {
	.name = "help",
	.draw = help_draw,
	.key = help_key,
};
