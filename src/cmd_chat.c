#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/chat.h"
#include "furikaeri/chat_pull.h"
#include "furikaeri/cli.h"
#include "furikaeri/config.h"
#include "furikaeri/deliver.h"
#include "furikaeri/export_minutes.h"
#include "furikaeri/store_chat.h"
#include "furikaeri/store_meeting.h"
#include "furikaeri/week.h"
#include "furikaeri/xalloc.h"

/* furikaeri chat pull: the replies written in a meeting's threads after
 * the meeting (someone in another time zone, the next day) read into its
 * minutes, which are written again. */

struct pulled {
	size_t threads, replies, changed, failed;
};

/* Every posted thread of the meeting, whole: new replies, edits and
 * deletions since the meeting (each reply once: the store keys them). */
static int
pull_all(struct chat *c, struct store *st, long long meeting_id, struct pulled *n, char **err)
{
	struct store_chat_posts posts;

	if (store_chat_list(st, meeting_id, &posts, err) < 0)
		return -1;
	for (size_t i = 0; i < posts.n; i++) {
		const struct store_chat_post *p = &posts.rows[i];
		struct chat_events ev;
		char *why = NULL;

		if (strcmp(p->kind, "root") != 0 || p->state != DELIVER_DELIVERED)
			continue;
		n->threads++;
		if (chat_pull(c, p->item_id, true, &ev, &why) != 0 || chat_refusal(c) != NULL) {
			fprintf(stderr, "furikaeri chat: the thread of agenda item %lld was not read: "
				"%s\n", p->item_id, chat_refusal(c) ? chat_refusal(c)
					: why ? why : "no answer");
			free(why);
			n->failed++;
			continue;
		}
		for (size_t k = 0; k < ev.n; k++) {
			if (ev.rows[k].kind == CHAT_EVENT_REPLY)
				n->replies++;
			else if (ev.rows[k].kind == CHAT_EVENT_EDITED ||
				 ev.rows[k].kind == CHAT_EVENT_DELETED)
				n->changed++;
		}
		chat_events_free(&ev);
	}
	store_chat_posts_free(&posts);
	return 0;
}

static int
pull(struct cli *cli, const char *week)
{
	struct config *cfg = cli_load_config(cli);
	struct store_meeting *m;
	struct pulled n = { 0 };
	struct store *st;
	struct chat *c;
	char *err = NULL, *folder, **written = NULL;
	size_t n_written = 0;
	int status = EXIT_OK;

	if (cfg == NULL)
		return EXIT_CONFIG;
	if ((st = cli_open_store(cli)) == NULL) {
		config_free(cfg);
		return EXIT_STORE;
	}
	if ((m = store_meeting_get(st, week, &err)) == NULL) {
		if (err != NULL)
			cli_error("chat", "%s", err);
		else
			cli_error("chat", "%s has no meeting; 'furikaeri history' lists the weeks "
				  "that had one", week);
		status = err != NULL ? EXIT_STORE : EXIT_FAILED;
		free(err);
		store_free(st);
		config_free(cfg);
		return status;
	}
	if ((c = chat_new(cfg, st, NULL, &err)) == NULL) {
		cli_error("chat", "%s", err);
		free(err);
		store_meeting_free(m);
		store_free(st);
		config_free(cfg);
		return EXIT_CONFIG;
	}
	if (pull_all(c, st, m->id, &n, &err) < 0) {
		cli_error("chat", "%s", err);
		free(err);
		status = EXIT_STORE;
	} else {
		printf("%s: %zu thread(s) read, %zu new repl%s, %zu edited or deleted\n", week,
		       n.threads, n.replies, n.replies == 1 ? "y" : "ies", n.changed);
		if (n.failed > 0)
			status = EXIT_TRACKER;
	}
	/* minutes written at wrap-up are written again with what came in */
	if (status != EXIT_STORE && m->ended_at != NULL && n.replies + n.changed > 0) {
		folder = export_minutes_folder(cfg, &err);
		if (folder == NULL || export_minutes_files_for(cfg, st, week, folder, &written,
							       &n_written, &err) < 0) {
			cli_error("chat", "the minutes were not written again: %s", err);
			free(err);
			status = EXIT_FAILED;
		} else {
			for (size_t i = 0; i < n_written; i++) {
				printf("minutes written to %s\n", written[i]);
				free(written[i]);
			}
			free(written);
		}
		free(folder);
	}
	chat_free(c);
	store_meeting_free(m);
	store_free(st);
	config_free(cfg);
	return status;
}

int
cmd_chat(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ .name = "week", .has_arg = required_argument, .val = 'w' },
		{ .name = "help", .has_arg = no_argument, .val = 'h' },
		{ 0 },
	};
	const struct cli_command *cmd = cli_find("chat");
	const char *week_arg = NULL;
	char week[WEEK_STRLEN];
	struct week w;
	int c;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 'w')
			week_arg = optarg;
		else
			return cli_option_end(cmd, c);
	}
	if (optind >= argc || strcmp(argv[optind], "pull") != 0) {
		cli_error("chat", "say what to do: furikaeri chat pull [--week W]");
		return EXIT_USAGE;
	}
	if (!cli_no_operands("chat", argc, argv, optind + 1))
		return EXIT_USAGE;
	if (week_arg != NULL) {
		if (!week_parse(week_arg, &w)) {
			cli_error("chat", "'%s' is not an ISO week; write it as YYYY-Www, e.g. "
				  "2026-W49", week_arg);
			return EXIT_USAGE;
		}
		week_format(w, week);
	} else {
		cli_this_week(week);
	}
	return pull(cli, week);
}
