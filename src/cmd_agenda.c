#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/agenda.h"
#include "furikaeri/cli.h"
#include "furikaeri/config.h"
#include "furikaeri/deliver_webhook.h"
#include "furikaeri/export_agenda.h"
#include "furikaeri/session.h"
#include "furikaeri/store_meeting.h"
#include "furikaeri/week.h"
#include "furikaeri/xalloc.h"

static void
entries(const struct store_agenda *rows, bool carried, struct agenda_entry **out, size_t *n)
{
	*out = xcalloc(rows->n + 1, sizeof(struct agenda_entry));
	*n = 0;
	for (size_t i = 0; i < rows->n; i++) {
		const struct store_agenda_row *r = &rows->rows[i];
		if (strcmp(r->kind, "postmortem") != 0 || r->carried_over != carried)
			continue;
		(*out)[(*n)++] = (struct agenda_entry){
			.id = r->pm_id, .title = r->title, .date = r->date,
			.severity_rank = r->severity_rank,
		};
	}
}

/* The agenda the meeting of week would open with, built as the meeting
 * builds it, without creating the meeting. */
static struct agenda *
build(struct store *st, const char *week, const struct config *cfg,
      struct store_measures *followups, char **err)
{
	struct store_meeting *prev = store_meeting_before(st, week, err);
	struct store_agenda_input input;
	struct agenda_input in = { .total_minutes = cfg->budget_minutes,
				   .floor_minutes = cfg->floor_minutes };
	struct agenda_entry *ready, *carried;
	char since[WEEK_DATE_STRLEN], monday[WEEK_DATE_STRLEN];
	struct agenda *a;

	if (prev == NULL && *err != NULL)
		return NULL;
	/* the window the meeting uses (src/session_load.c) */
	week_window(week, prev != NULL ? prev->week : NULL, since, monday);
	store_meeting_free(prev);
	struct store_measure_filter f = {
		.open_only = true, .agreed_only = true, .before = monday, .pm_before = since,
		.pm_days = cfg->followup_days,
	};
	if (store_agenda_input(st, week, since, &input, err) < 0)
		return NULL;
	if (store_measures_list(st, &f, followups, err) < 0) {
		store_agenda_input_free(&input);
		return NULL;
	}
	in.open_measures = followups->n;
	entries(&input.ready, false, &ready, &in.n_ready);
	entries(&input.carried, true, &carried, &in.n_carried);
	in.ready = ready;
	in.carried = carried;
	a = agenda_new(&in);
	for (size_t i = 0; i < input.carried.n; i++)
		if (strcmp(input.carried.rows[i].kind, "topic") == 0)
			agenda_add_topic(a, input.carried.rows[i].title, NULL, NULL);
	free(ready);
	free(carried);
	store_agenda_input_free(&input);
	return a;
}

int
cmd_agenda(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ .name = "week", .has_arg = required_argument, .val = 'w' },
		{ .name = "json", .has_arg = no_argument, .val = 'j' },
		{ .name = "format", .has_arg = required_argument, .val = 'f' },
		{ .name = "post", .has_arg = no_argument, .val = 'p' },
		{ .name = "again", .has_arg = no_argument, .val = 'a' },
		{ .name = "help", .has_arg = no_argument, .val = 'h' },
		{ 0 },
	};
	const struct cli_command *cmd = cli_find("agenda");
	char week[WEEK_STRLEN], *err = NULL, *text = NULL;
	const char *format = "md";
	bool post = false, again = false;
	struct store_measures followups = { 0 };
	struct config *cfg;
	struct store *st;
	struct agenda *a, *plan = NULL;
	struct week w;
	int c, status = EXIT_OK;

	cli_this_week(week);
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'w':
			if (!week_parse(optarg, &w)) {
				cli_error("agenda", "'%s' is not an ISO week; write it as YYYY-Www, "
					  "e.g. 2026-W49", optarg);
				return EXIT_USAGE;
			}
			week_format(w, week);
			break;
		case 'j':
			format = "json";
			break;
		case 'f':
			if (strcmp(optarg, "md") != 0 && strcmp(optarg, "slack") != 0 &&
			    strcmp(optarg, "json") != 0) {
				cli_error("agenda", "--format %s: write md, slack or json", optarg);
				return EXIT_USAGE;
			}
			format = optarg;
			break;
		case 'p':
			post = true;
			break;
		case 'a':
			again = true;
			break;
		default:
			return cli_option_end(cmd, c);
		}
	}
	if (!cli_no_operands("agenda", argc, argv, optind))
		return EXIT_USAGE;
	if ((cfg = cli_load_config(cli)) == NULL)
		return EXIT_CONFIG;
	if ((st = cli_open_store(cli)) == NULL) {
		config_free(cfg);
		return EXIT_STORE;
	}
	if ((a = build(st, week, cfg, &followups, &err)) == NULL) {
		cli_error("agenda", "%s", err);
		free(err);
		store_free(st);
		config_free(cfg);
		return EXIT_STORE;
	}
	struct export_agenda e = { .week = week, .total_minutes = agenda_total_s(a) / 60,
				   .followups = &followups };
	struct export_agenda_item *items = export_agenda_items(a, &e.n_items);
	struct store_meeting *m = store_meeting_get(st, week, &err);
	struct store_agenda saved = { 0 };
	free(err);
	err = NULL;
	/* a meeting already opened has its own agenda, perhaps reordered: its
	 * plan (the budgets it opened with, adding up to its length) beside
	 * what each item took */
	if (m != NULL && store_agenda_load(st, m->id, &saved, &err) == 0 && saved.n > 0 &&
	    (plan = session_agenda_plan(&saved, m->budget_minutes, cfg->floor_minutes,
					followups.n, &err)) != NULL) {
		free(items);
		items = export_agenda_items(plan, &e.n_items);
		e.total_minutes = m->budget_minutes;
		for (size_t i = 0; i < saved.n && i < e.n_items; i++) {
			/* as in the minutes: a meeting that ended has no item open */
			items[i].state = m->ended_at != NULL &&
						 strcmp(saved.rows[i].state, "current") == 0
					 ? "done" : saved.rows[i].state;
			items[i].spent_s = saved.rows[i].spent_s;
		}
	} else if (m != NULL && saved.n > 0) {
		cli_error("agenda", "the meeting of %s: %s", week, err);
		status = EXIT_STORE;
	}
	free(err);
	err = NULL;
	e.items = items;
	if (status != EXIT_OK)
		goto out;
	if (strcmp(format, "json") == 0)
		text = export_agenda_json(&e);
	else if (strcmp(format, "slack") == 0 || post)
		text = export_agenda_slack(&e);
	else
		text = export_agenda_md(&e);
	if (!post) {
		fputs(text, stdout);
	} else {
		enum deliver_webhook_result result;
		char *msg = NULL;

		if (deliver_webhook_post(st, cfg, "agenda", week, text, again, NULL, &result, &msg,
					 &err) < 0) {
			cli_error("agenda", "%s", err);
			free(err);
			status = EXIT_STORE;
		} else {
			status = cli_webhook_outcome("agenda", result, msg);
		}
		free(msg);
	}
	free(text);
out:
	free(items);
	store_agenda_free(&saved);
	store_meeting_free(m);
	agenda_free(plan);
	agenda_free(a);
	store_measures_free(&followups);
	store_free(st);
	config_free(cfg);
	return status;
}
