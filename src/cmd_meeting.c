#include "config.h"

#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "furikaeri/chat_queue.h"
#include "furikaeri/chat_worker.h"
#include "furikaeri/cli.h"
#include "furikaeri/session.h"
#include "furikaeri/store_meeting.h"
#include "furikaeri/tracker.h"
#include "furikaeri/ui.h"
#include "furikaeri/week.h"
#include "furikaeri/xalloc.h"

/* Whether the config names a tracker the worker could file with. */
static bool
tracker_configured(const struct config *cfg)
{
	return cfg->tracker_default != NULL || cfg->github.repo != NULL ||
	       cfg->jira.project != NULL;
}

/* Who is at the keyboard, proposed when the roster is empty: git's
 * user.name, else the login. Owned, or NULL. */
static char *
meeting_login(void)
{
	char line[256] = "";
	FILE *p = popen("git config user.name 2>/dev/null", "r");

	if (p != NULL) {
		if (fgets(line, sizeof(line), p) == NULL)
			line[0] = '\0';
		pclose(p);
	}
	line[strcspn(line, "\r\n")] = '\0';
	if (line[0] != '\0')
		return xstrdup(line);
	const char *user = getenv("USER");
	if (user != NULL && user[0] != '\0')
		return xstrdup(user);
	struct passwd *pw = getpwuid(getuid());
	return pw != NULL && pw->pw_name != NULL ? xstrdup(pw->pw_name) : NULL;
}

/* The chat of the meeting, started by the furikaeri that holds it: at
 * open, or when a read-only view takes it over. */
struct meeting_chat {
	const struct config *cfg;
	struct store *st;
	struct chat_queue *chat;
	struct chat_worker *worker;
};

/* NULL once the chat runs (or none is configured), else why not (owned). */
static char *
meeting_chat_start(void *ctx, struct session *s)
{
	struct meeting_chat *mc = ctx;
	char *err = NULL;

	if (mc->cfg->chat.service == NULL || mc->worker != NULL)
		return NULL;
	if (mc->chat == NULL && (mc->chat = chat_queue_new(mc->cfg, mc->st, NULL, &err)) == NULL)
		return err;
	mc->worker = chat_worker_start(store_path(mc->st), mc->cfg, session_meeting_id(s), NULL,
				       &err);
	if (mc->worker == NULL)
		return err;
	session_attach_chat(s, mc->chat, mc->worker);
	return NULL;
}

int
cli_run_meeting(struct cli *cli, struct store *st, const char *week, const char *minutes_folder)
{
	struct config *cfg = cli_load_config(cli);
	struct blameless *hints;
	struct tracker_worker *worker = NULL;
	struct session *s;
	struct meeting_chat mc = { .cfg = cfg, .st = st };
	char *err = NULL, *notice = NULL, *login = NULL, *chat_notice = NULL;
	int status = EXIT_OK;

	if (cfg == NULL)
		return EXIT_CONFIG;
	if (minutes_folder != NULL) {
		free(cfg->minutes_folder);
		cfg->minutes_folder = xstrdup(minutes_folder);
	}
	if ((hints = cli_load_hints()) == NULL) {
		config_free(cfg);
		return EXIT_CONFIG;
	}
	/* before the meeting is created: nothing changes without a screen */
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		cli_error("meeting", "the meeting screen needs a terminal; run furikaeri in one "
			  "(furikaeri export --week %s --format md shows the minutes without)", week);
		blameless_free(hints);
		config_free(cfg);
		return EXIT_FAILED;
	}
	if (tracker_configured(cfg)) {
		struct tracker_options opts = { 0 };
		worker = tracker_worker_start(store_path(st), cfg, &opts, &err);
		if (worker == NULL) {
			/* the meeting goes on; tickets wait in the outbox */
			notice = err;
			err = NULL;
		}
	}
	/* git runs only for a team with nobody on its roster yet */
	struct store_people people = { 0 };
	if (store_people_list(st, &people, NULL) == 0 && people.n == 0)
		login = meeting_login();
	store_people_free(&people);
	char today[11];
	cli_today(today);
	struct session_options opt = {
		.login = login,
		.week = week,
		.budget_minutes = cfg->budget_minutes,
		.floor_minutes = cfg->floor_minutes,
		.today = today,
		.hints = hints,
		.cfg = cfg,
		.worker = worker,
		.on_hold = meeting_chat_start,
		.hold_ctx = &mc,
	};
	s = session_open(st, &opt, &err);
	if (s == NULL) {
		cli_error("meeting", "%s", err);
		free(err);
		status = EXIT_STORE;
		goto out;
	}
	/* the chat goes with the meeting; without it the meeting goes on in
	 * the terminal alone (doctor says what is wrong) */
	if (!session_read_only(s))
		chat_notice = meeting_chat_start(&mc, s);
	const char *editor = getenv("VISUAL");
	if (editor == NULL || editor[0] == '\0')
		editor = getenv("EDITOR");
	const char *no_color = getenv("NO_COLOR");
	struct ui_options ui = {
		.no_color = no_color != NULL && no_color[0] != '\0',
		.editor = editor,
		.ambiguous_width = cfg->ambiguous_width,
		.bindings = (const char *const *)cfg->keys,
		.n_bindings = cfg->n_keys,
	};
	if (notice != NULL)
		fprintf(stderr, "furikaeri: tickets will wait in the outbox: %s\n", notice);
	if (chat_notice != NULL)
		fprintf(stderr, "furikaeri: the meeting runs without the chat: %s "
			"(furikaeri doctor checks [chat])\n", chat_notice);
	if (ui_run(s, &ui, &err) < 0) {
		cli_error("meeting", "%s", err);
		free(err);
		status = EXIT_FAILED;
	}
	/* the worker first: it may still be sending what the session queued */
	chat_worker_stop(mc.worker);
	chat_queue_free(mc.chat);
	session_free(s);
out:
	tracker_worker_stop(worker);
	blameless_free(hints);
	config_free(cfg);
	free(notice);
	free(chat_notice);
	free(login);
	return status;
}

int
cmd_meeting(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ .name = "week", .has_arg = required_argument, .val = 'w' },
		{ .name = "help", .has_arg = no_argument, .val = 'h' },
		{ 0 },
	};
	const struct cli_command *cmd = cli_find("meeting");
	char week[WEEK_STRLEN];
	struct week w;
	struct store *st;
	int c, status;

	cli_this_week(week);
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'w':
			if (!week_parse(optarg, &w)) {
				cli_error("meeting", "'%s' is not an ISO week; write it as YYYY-Www, "
					  "e.g. 2026-W49", optarg);
				return EXIT_USAGE;
			}
			week_format(w, week);
			break;
		default:
			return cli_option_end(cmd, c);
		}
	}
	if (!cli_no_operands("meeting", argc, argv, optind))
		return EXIT_USAGE;
	store_memory_limit(STORE_MEETING_MEMORY_KB);
	if ((st = cli_open_store(cli)) == NULL)
		return EXIT_STORE;
	status = cli_run_meeting(cli, st, week, NULL);
	store_free(st);
	return status;
}
