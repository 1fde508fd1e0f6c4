/* furikaeri remind: the agreed measures due soon or overdue, each told to
 * its owner in the chat once a day. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "furikaeri/chat.h"
#include "furikaeri/chat_remind.h"
#include "furikaeri/chat_text.h"
#include "furikaeri/cli.h"
#include "furikaeri/deliver.h"
#include "furikaeri/store_remind.h"
#include "furikaeri/text.h"
#include "furikaeri/week.h"
#include "furikaeri/xalloc.h"

/* How one measure's reminder ended, as the store has it after the flush. */
enum remind_outcome {
	REMIND_POSTED,		/* posted by this store, now or earlier today */
	REMIND_FOUND,		/* found in the chat by its marker: another machine
				 * posted it */
	REMIND_ELSEWHERE,	/* another furikaeri holds it now: it posts it */
	REMIND_WAITING,		/* not posted: its outcome is unknown or the chat
				 * cannot take it now; the next run goes on */
	REMIND_REFUSED,		/* the chat refused it: a person must act */
};

/* The first second of day (local time: the team's time zone, TZ) as ISO
 * UTC: a reminder's marker is looked for in the channel from then on. */
static void
day_start_utc(const char *day, char out[21])
{
	struct tm tm = { 0 };
	time_t t;

	if (sscanf(day, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3) {
		snprintf(out, 21, "%sT00:00:00Z", day);
		return;
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void
fill_reminder(const struct store_remind_row *x, long today, struct chat_reminder *r)
{
	long due = today;

	week_date_parse(x->due, &due);
	*r = (struct chat_reminder){
		.owner = { .name = x->owner[0] == '@' ? x->owner + 1 : x->owner,
			   .chat_id = x->chat_id, .handle = x->chat_handle },
		.title = x->title, .due = x->due, .days_left = due - today,
		.ticket = x->ticket, .url = x->ticket != NULL ? x->ticket_url : NULL,
		.week = x->week,
	};
}

static void
print_when(FILE *f, const struct chat_reminder *r)
{
	if (r->days_left < 0)
		fprintf(f, "overdue by %ld day%s", -r->days_left, r->days_left == -1 ? "" : "s");
	else if (r->days_left == 0)
		fprintf(f, "due today");
	else
		fprintf(f, "due in %ld day%s", r->days_left, r->days_left == 1 ? "" : "s");
}

static void
dry_run(const struct store_remind_rows *rows, long today, enum chat_text_markup m)
{
	for (size_t i = 0; i < rows->n; i++) {
		const struct store_remind_row *x = &rows->rows[i];
		struct chat_reminder r;
		char *text, *safe;

		fill_reminder(x, today, &r);
		text = chat_text_reminder(&r, m);
		safe = text_sanitize(text, false);
		printf("measure %lld, %s: would be posted %s:\n  %s\n", x->measure_id,
		       x->due, x->root_id != 0 ? "in its item's thread" : "in the channel", safe);
		if (x->chat_id == NULL)
			printf("  (%s has no chat id in the roster: the post mentions nobody; "
			       "'furikaeri roster set NAME --chat ID' or 'roster sync')\n",
			       r.owner.name);
		free(safe);
		free(text);
	}
}

static enum remind_outcome
outcome_of(struct store *st, const struct store_remind_row *x, const char *day, char **why)
{
	char *key = chat_remind_key(x->marker, day), *err = NULL;
	enum deliver_state state = DELIVER_UNKNOWN;
	bool found = false;
	int attempts = 0;
	enum remind_outcome o = REMIND_WAITING;

	*why = NULL;
	if (store_remind_state(st, key, &state, &attempts, why, &found, &err) < 0) {
		*why = err;
	} else if (found) {
		switch (state) {
		case DELIVER_DELIVERED:
			o = attempts == 0 ? REMIND_FOUND : REMIND_POSTED;
			break;
		case DELIVER_CLAIMED:
			o = REMIND_ELSEWHERE;
			break;
		case DELIVER_REFUSED:
		case DELIVER_FAILED:
			o = REMIND_REFUSED;
			break;
		default:
			o = REMIND_WAITING;
			break;
		}
	}
	free(key);
	return o;
}

/* Queues every reminder, flushes the chat's queue and says how each
 * ended; returns the exit status. */
static int
remind_all(struct chat *c, struct store *st, const struct store_remind_rows *rows, long today,
	   const char *day)
{
	char start[21], *err = NULL, *now;
	size_t expired = 0, posted = 0, before = 0, elsewhere = 0, waiting = 0, refused = 0;
	bool *fresh = xcalloc(rows->n + 1, sizeof(*fresh));
	int rc;

	day_start_utc(day, start);
	now = deliver_time_in(NULL, 0);
	rc = store_remind_expire(st, day, now, &expired, &err);
	free(now);
	if (rc < 0) {
		cli_error("remind", "%s", err);
		free(err);
		free(fresh);
		return EXIT_STORE;
	}
	if (expired > 0)
		fprintf(stderr, "furikaeri remind: %zu reminder(s) of earlier days never went out; "
			"today's replace them\n", expired);
	for (size_t i = 0; i < rows->n; i++) {
		const struct store_remind_row *x = &rows->rows[i];
		struct chat_reminder r;
		struct chat_remind_target t = {
			.meeting_id = x->meeting_id, .item_id = x->item_id, .root_id = x->root_id,
			.measure_marker = x->marker, .day = day, .day_start = start,
		};

		fill_reminder(x, today, &r);
		if (chat_remind(c, &t, &r, &fresh[i], &err) < 0) {
			cli_error("remind", "%s", err);
			free(err);
			free(fresh);
			return EXIT_STORE;
		}
	}
	if (chat_flush(c, NULL, &err) < 0) {
		cli_error("remind", "%s", err);
		free(err);
		free(fresh);
		return EXIT_STORE;
	}
	for (size_t i = 0; i < rows->n; i++) {
		const struct store_remind_row *x = &rows->rows[i];
		struct chat_reminder r;
		char *why = NULL, *owner = text_sanitize(x->owner, false);
		enum remind_outcome o = outcome_of(st, x, day, &why);

		fill_reminder(x, today, &r);
		printf("measure %lld (%s, ", x->measure_id, owner);
		print_when(stdout, &r);
		printf("): ");
		switch (o) {
		case REMIND_POSTED:
			printf("%s %s\n", fresh[i] ? "reminded" : "already reminded today",
			       x->root_id != 0 ? "in its item's thread" : "in the channel");
			if (fresh[i])
				posted++;
			else
				before++;
			break;
		case REMIND_FOUND:
			printf("already reminded today %s, found in the chat\n",
			       x->root_id != 0 ? "in its item's thread" : "in the channel");
			before++;
			break;
		case REMIND_ELSEWHERE:
			printf("another furikaeri is posting its reminder\n");
			elsewhere++;
			break;
		case REMIND_WAITING:
			if (why == NULL && chat_refusal(c) != NULL) {
				why = xasprintf("%s; the next run tries again", chat_refusal(c));
			} else if (why == NULL) {
				char state[512];

				chat_status(c, x->meeting_id, state, sizeof(state));
				why = xasprintf("the chat is %s; the next run looks for it first",
						state);
			}
			printf("not posted yet: %s\n", why);
			waiting++;
			break;
		case REMIND_REFUSED:
			printf("refused: %s\n", why != NULL ? why : "by the chat");
			refused++;
			break;
		}
		if (x->chat_id == NULL)
			fprintf(stderr, "furikaeri remind: %s has no chat id in the roster, so the "
				"reminder mentions nobody: 'furikaeri roster set %s --chat ID' or "
				"'furikaeri roster sync'\n", owner, owner);
		free(why);
		free(owner);
	}
	free(fresh);
	fprintf(stderr, "furikaeri remind: %zu reminded now, %zu earlier today, %zu by another "
		"furikaeri, %zu waiting, %zu refused\n", posted, before, elsewhere, waiting,
		refused);
	if (refused > 0 || waiting > 0)
		return EXIT_TRACKER;
	return EXIT_OK;
}

int
cmd_remind(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ .name = "days", .has_arg = required_argument, .val = 'd' },
		{ .name = "dry-run", .has_arg = no_argument, .val = 'n' },
		{ .name = "week", .has_arg = required_argument, .val = 'w' },
		{ .name = "help", .has_arg = no_argument, .val = 'h' },
		{ 0 },
	};
	const struct cli_command *cmd = cli_find("remind");
	const char *week_arg = NULL, *days_arg = NULL;
	char today[11], until[WEEK_DATE_STRLEN], *err = NULL, *end;
	bool dry = false;
	struct store_remind_rows rows;
	struct config *cfg;
	struct store *st;
	struct chat *c = NULL;
	struct week w;
	long day, days;
	int opt, status;

	while ((opt = getopt_long(argc, argv, "hn", options, NULL)) != -1) {
		switch (opt) {
		case 'd':
			days_arg = optarg;
			break;
		case 'n':
			dry = true;
			break;
		case 'w':
			week_arg = optarg;
			break;
		default:
			return cli_option_end(cmd, opt);
		}
	}
	if (!cli_no_operands("remind", argc, argv, optind))
		return EXIT_USAGE;
	if (week_arg != NULL && !week_parse(week_arg, &w)) {
		cli_error("remind", "'%s' is not an ISO week; write it as YYYY-Www, e.g. 2026-W49",
			  week_arg);
		return EXIT_USAGE;
	}
	if (days_arg != NULL) {
		days = strtol(days_arg, &end, 10);
		if (days_arg[0] == '\0' || *end != '\0' || days < 0 || days > 365) {
			cli_error("remind", "--days '%s' is not a number of days from 0 to 365",
				  days_arg);
			return EXIT_USAGE;
		}
	}
	if ((cfg = cli_load_config(cli)) == NULL)
		return EXIT_CONFIG;
	if (days_arg == NULL)
		days = cfg->chat.remind_days;
	cli_today(today);
	if (!week_date_parse(today, &day)) {
		cli_error("remind", "today's date '%s' is not YYYY-MM-DD; check FURIKAERI_TODAY",
			  today);
		config_free(cfg);
		return EXIT_CONFIG;
	}
	week_date_format(day + days, until);
	if ((st = cli_open_store(cli)) == NULL) {
		config_free(cfg);
		return EXIT_STORE;
	}
	if (!dry && (c = chat_new(cfg, st, NULL, &err)) == NULL) {
		cli_error("remind", "reminders are posted to the team's chat, and %s; set [chat] "
			  "in the config file (furikaeri(5)), or see them with --dry-run", err);
		free(err);
		store_free(st);
		config_free(cfg);
		return EXIT_CONFIG;
	}
	if (store_remind_due(st, until, week_arg, cfg->chat.service, &rows, &err) < 0) {
		cli_error("remind", "%s", err);
		free(err);
		chat_free(c);
		store_free(st);
		config_free(cfg);
		return EXIT_STORE;
	}
	if (rows.n == 0) {
		fprintf(stderr, "furikaeri remind: no agreed measure with an owner is due by %s "
			"(within %ld day%s) or overdue%s%s: nothing to remind\n", until, days,
			days == 1 ? "" : "s", week_arg ? " from " : "", week_arg ? week_arg : "");
		status = EXIT_OK;
	} else if (dry) {
		dry_run(&rows, day, cfg->chat.service != NULL &&
			strcmp(cfg->chat.service, "mattermost") == 0 ? CHAT_TEXT_MATTERMOST
								      : CHAT_TEXT_SLACK);
		status = EXIT_OK;
	} else {
		status = remind_all(c, st, &rows, day, today);
	}
	store_remind_rows_free(&rows);
	chat_free(c);
	store_free(st);
	config_free(cfg);
	return status;
}
