#include "config.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/chat.h"
#include "furikaeri/cli.h"
#include "furikaeri/log.h"
#include "furikaeri/source.h"
#include "furikaeri/store_chat.h"
#include "furikaeri/store_delivery.h"
#include "furikaeri/store_meeting.h"
#include "furikaeri/store_outbox.h"
#include "furikaeri/table.h"
#include "furikaeri/text.h"
#include "furikaeri/tracker.h"
#include "furikaeri/xalloc.h"

static const char *const result_names[] = {
	[TRACKER_OK] = "ok",
	[TRACKER_LATER] = "later",
	[TRACKER_REFUSED] = "refused",
	[TRACKER_UNKNOWN] = "unknown",
	[TRACKER_BUSY] = "elsewhere",
	[TRACKER_WAITING] = "waiting",
};

/* Server text is shown redacted (a token it echoes) and sanitized. */
static void
put_safe(const char *s)
{
	char *redacted = log_redact(s != NULL ? s : "");
	char *safe = text_sanitize(redacted, false);

	fputs(safe, stdout);
	free(safe);
	free(redacted);
}

static void
json_print(json_t *v)
{
	char *text = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	if (text != NULL)
		printf("%s\n", text);
	free(text);
	json_decref(v);
}

/* A cell, and a line under its row, with any secret redacted. */
static void
redacted_cell(struct table *t, const char *s)
{
	char *redacted = log_redact(s);

	table_cell(t, redacted);
	free(redacted);
}

static void
redacted_note(struct table *t, const char *s)
{
	char *redacted = log_redact(s);

	table_note(t, 7, redacted);
	free(redacted);
}

static json_t *
str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static int
list(struct store *st, bool json, bool verbose)
{
	struct store_outbox_items items;
	char *err = NULL;

	if (store_outbox_list(st, true, &items, &err) < 0) {
		cli_error("tickets", "%s", err);
		free(err);
		return EXIT_STORE;
	}
	json_t *array = json ? json_array() : NULL;
	/* the widths the listing always had, so its columns stay put */
	struct table *table = table_new(5, 1);
	table_min_width(table, 0, 6);
	table_min_width(table, 1, 7);
	table_min_width(table, 2, 8);
	table_min_width(table, 3, 14);
	for (size_t i = 0; i < items.n; i++) {
		const struct store_outbox_item *it = &items.items[i];
		if (json) {
			json_t *o = json_object();
			bool pm = it->kind != NULL && strcmp(it->kind, "postmortem") == 0;

			json_object_set_new(o, "kind", json_string(pm ? "postmortem" : "measure"));
			json_object_set_new(o, "measure", pm ? json_null()
							     : json_integer(it->measure_id));
			if (pm)
				json_object_set_new(o, "postmortem", str_or_null(it->pm_id));
			json_object_set_new(o, "title", str_or_null(it->title));
			json_object_set_new(o, "tracker", str_or_null(it->tracker));
			json_object_set_new(o, "state",
					    json_string(store_outbox_state_word(it->state)));
			json_object_set_new(o, "ticket", str_or_null(it->ticket_key));
			json_object_set_new(o, "url", str_or_null(it->ticket_url));
			json_object_set_new(o, "attempts", json_integer(it->attempts));
			json_object_set_new(o, "error", str_or_null(it->last_error));
			json_object_set_new(o, "next", str_or_null(it->next_attempt_at));
			if (verbose) {
				char **lines = NULL;
				json_t *h = json_array();

				if (store_delivery_history(st, STORE_DELIVERY_TICKET, it->id, &lines, NULL) == 0)
					for (char **l = lines; *l != NULL; l++)
						json_array_append_new(h, json_string(*l));
				store_delivery_history_free(lines);
				json_object_set_new(o, "history", h);
			}
			json_array_append_new(array, o);
			continue;
		}
		bool pm = it->kind != NULL && strcmp(it->kind, "postmortem") == 0;
		char id[24];
		snprintf(id, sizeof(id), "%lld", it->measure_id);
		redacted_cell(table, pm ? "pm" : id);	/* pm: a new postmortem, not a measure */
		redacted_cell(table, it->tracker ? it->tracker : "-");
		redacted_cell(table, store_outbox_state_word(it->state));
		redacted_cell(table, it->ticket_key ? it->ticket_key : "-");
		char *what = pm && it->pm_id != NULL
			? xasprintf("postmortem %s: %s", it->pm_id, it->title ? it->title : "")
			: xstrdup(it->title ? it->title : "");
		redacted_cell(table, what);
		free(what);
		if (it->last_error != NULL && it->state != DELIVER_DELIVERED)
			redacted_note(table, it->last_error);
		if (verbose) {
			char **lines = NULL;

			if (store_delivery_history(st, STORE_DELIVERY_TICKET, it->id, &lines, NULL) == 0)
				for (char **l = lines; *l != NULL; l++)
					redacted_note(table, *l);
			store_delivery_history_free(lines);
		}
	}
	if (!json)
		table_print(table, stdout);
	table_free(table);
	if (json)
		json_print(array);
	else if (items.n == 0)
		fprintf(stderr, "furikaeri tickets: the outbox is empty; /ticket N in a meeting or "
			"'furikaeri tickets file MEASURE_ID' queues a measure\n");
	store_outbox_items_free(&items);
	return EXIT_OK;
}

/* Prints each outcome; returns whether any needs a person. */
static bool
print_outcomes(const struct tracker_outcome *items, size_t n, bool json)
{
	json_t *array = json ? json_array() : NULL;
	bool trouble = false;
	struct table *table = table_new(3, 1);

	table_min_width(table, 0, 6);
	table_min_width(table, 1, 8);

	for (size_t i = 0; i < n; i++) {
		const struct tracker_outcome *o = &items[i];
		if (o->result != TRACKER_OK && o->result != TRACKER_BUSY &&
		    o->result != TRACKER_WAITING)
			trouble = true;
		if (json) {
			json_t *j = json_object();
			/* 0: a postmortem filed as an issue (new --tracker) */
			json_object_set_new(j, "measure", o->measure_id != 0
					    ? json_integer(o->measure_id) : json_null());
			json_object_set_new(j, "result", json_string(result_names[o->result]));
			json_object_set_new(j, "ticket", str_or_null(o->key));
			json_object_set_new(j, "url", str_or_null(o->url));
			json_object_set_new(j, "message", str_or_null(o->message));
			json_array_append_new(array, j);
			continue;
		}
		char id[24];
		snprintf(id, sizeof(id), "%lld", o->measure_id);
		redacted_cell(table, o->measure_id == 0 ? "pm" : id);
		redacted_cell(table, result_names[o->result]);
		redacted_cell(table, o->message != NULL ? o->message : o->key != NULL ? o->key : "");
	}
	if (json)
		json_print(array);
	else
		table_print(table, stdout);
	table_free(table);
	return trouble;
}

/* Whether a delivered ticket still owes its key to the chat. */
static bool
keys_owed(struct store *st, const struct config *cfg)
{
	struct store_chat_owed_keys owed;
	char *err = NULL;
	bool any;

	if (store_chat_owed_keys(st, cfg->chat.service, &owed, &err) < 0) {
		free(err);
		return false;
	}
	any = owed.n > 0;
	store_chat_owed_keys_free(&owed);
	return any;
}

/* Tickets filed here, after the meeting, for actions of a meeting held in
 * the chat: their keys go into the item's thread as the meeting posts them,
 * queued under the item's root even when the root is still queued (a reply
 * waits for its root). The tickets are filed whatever the chat says; what
 * cannot be posted now stays queued for the next meeting to post, and
 * standard error says so, as it does for an item with no thread at all. */
static void
tell_chat(const struct config *cfg, struct store *st, const struct tracker_outcome *o, size_t n)
{
	struct chat *c = NULL;
	size_t queued = 0, sent = 0;
	char *err = NULL;

	for (size_t i = 0; cfg->chat.service != NULL && i < n; i++) {
		struct store_chat_action a;
		bool found;

		if (o[i].result != TRACKER_OK || o[i].measure_id == 0 || o[i].key == NULL)
			continue;
		if (store_chat_action_of(st, o[i].measure_id, &a, &found, &err) < 0)
			break;
		if (!found)
			continue;
		if (!a.has_root) {
			/* the meeting never opened this item in the chat */
			fprintf(stderr, "furikaeri tickets: %s for action %d is not posted to the chat: "
				"its agenda item has no thread there\n", o[i].key, a.number);
			store_chat_action_release(&a);
			continue;
		}
		if (c == NULL && (c = chat_new(cfg, st, NULL, &err)) == NULL) {
			store_chat_action_release(&a);
			break;
		}
		bool one;
		int rc = chat_post_ticket(c, o[i].measure_id, o[i].key, o[i].url, &one, &err);
		store_chat_action_release(&a);
		if (rc < 0)
			break;
		queued += one;
	}
	/* keys owed by tickets filed before (a meeting that stopped between
	 * filing and posting) go out with these, or alone */
	if (err == NULL && c == NULL && cfg->chat.service != NULL && keys_owed(st, cfg))
		c = chat_new(cfg, st, NULL, &err);
	if (err == NULL && c != NULL)
		chat_flush(c, &sent, &err);
	if (err != NULL)
		fprintf(stderr, "furikaeri tickets: the tickets are filed, but their keys were not "
			"posted to the chat: %s (furikaeri doctor checks [chat])\n", err);
	else if (sent < queued)
		fprintf(stderr, "furikaeri tickets: %zu ticket key(s) wait to be posted to the chat; "
			"the next meeting posts them (furikaeri doctor checks [chat])\n",
			queued - sent);
	free(err);
	chat_free(c);
}

int
cmd_tickets(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ .name = "json", .has_arg = no_argument, .val = 'j' },
		{ .name = "verbose", .has_arg = no_argument, .val = 'v' },
		{ .name = "tracker", .has_arg = required_argument, .val = 't' },
		{ .name = "help", .has_arg = no_argument, .val = 'h' },
		{ 0 },
	};
	const struct cli_command *cmd = cli_find("tickets");
	const char *tracker = NULL;
	struct tracker_options opts = { 0 };
	struct tracker_outcomes outcomes = { 0 };
	enum tracker_kind kind;
	bool json = false, verbose = false;
	char *err = NULL, *end;
	int c, status = EXIT_OK;

	while ((c = getopt_long(argc, argv, "hv", options, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 't':
			tracker = optarg;
			break;
		default:
			return cli_option_end(cmd, c);
		}
	}
	const char *verb = optind < argc ? argv[optind] : "list";
	int operands = argc - optind;
	bool file = strcmp(verb, "file") == 0;
	if (!file && strcmp(verb, "list") != 0 && strcmp(verb, "push") != 0 &&
	    strcmp(verb, "sync") != 0) {
		cli_error("tickets", "'%s' is not a tickets command; use list, push, sync or file",
			  verb);
		return EXIT_USAGE;
	}
	if ((file && operands != 2) || (!file && operands > 1)) {
		cli_error("tickets", file ? "file needs one MEASURE_ID (the ids furikaeri show "
			  "ID --json prints)" : "%s takes no arguments", verb);
		return EXIT_USAGE;
	}
	long long measure = 0;
	if (file) {
		measure = strtoll(argv[optind + 1], &end, 10);
		if (*end != '\0' || measure <= 0) {
			cli_error("tickets", "'%s' is not a measure id; measure ids are numbers, as "
				  "furikaeri show ID --json prints them", argv[optind + 1]);
			return EXIT_USAGE;
		}
	}
	if (tracker != NULL && !tracker_kind_parse(tracker, &kind)) {
		cli_error("tickets", "--tracker takes %s, not '%s'", tracker_kind_list(), tracker);
		return EXIT_USAGE;
	}
	struct store *st = cli_open_store(cli);
	if (st == NULL)
		return EXIT_STORE;
	if (strcmp(verb, "list") == 0) {
		status = list(st, json, verbose);
		store_free(st);
		return status;
	}
	struct config *cfg = cli_load_config(cli);
	if (cfg == NULL) {
		store_free(st);
		return EXIT_CONFIG;
	}
	int rc;
	if (file) {
		struct tracker_outcome one = { 0 };
		bool found;
		/* what is not a request failing is not EXIT_TRACKER */
		if (store_measure_exists(st, measure, &found, &err) < 0 || !found) {
			status = err != NULL ? EXIT_STORE : EXIT_FAILED;
			if (err != NULL)
				cli_error("tickets", "%s", err);
			else
				cli_error("tickets", "there is no measure %lld; the ids are those "
					  "'furikaeri actions' and 'show ID --json' print", measure);
			free(err);
			config_free(cfg);
			store_free(st);
			return status;
		}
		rc = tracker_file_one(st, cfg, &opts, measure, tracker, &one, &err);
		if (rc == 0) {
			if (print_outcomes(&one, 1, json))
				status = EXIT_TRACKER;
			tell_chat(cfg, st, &one, 1);
		}
		free(one.key);
		free(one.url);
		free(one.message);
	} else {
		rc = strcmp(verb, "push") == 0 ? tracker_push_all(st, cfg, &opts, &outcomes, &err)
					       : tracker_sync_all(st, cfg, &opts, &outcomes, &err);
		if (rc == 0) {
			/* no tracker configured: nothing was sent, the config is at fault */
			if (print_outcomes(outcomes.items, outcomes.n, json))
				status = cfg->github.repo == NULL && cfg->jira.url == NULL
					 ? EXIT_CONFIG : EXIT_TRACKER;
			if (!json && outcomes.n == 0)
				fprintf(stderr, "furikaeri tickets: nothing to %s\n", verb);
			if (strcmp(verb, "push") == 0)
				tell_chat(cfg, st, outcomes.items, outcomes.n);
		}
		tracker_outcomes_free(&outcomes);
	}
	if (rc < 0) {
		cli_error("tickets", "%s", err);
		free(err);
		status = EXIT_TRACKER;
	}
	config_free(cfg);
	store_free(st);
	return status;
}

/* The chat checks of doctor (none without [chat] service); how many failed. */
static size_t
doctor_chat(const struct config *cfg)
{
	char *err = NULL, *report = NULL;
	struct chat *c;
	size_t failed = 0;

	if (cfg->chat.service == NULL)
		return 0;
	if ((c = chat_new(cfg, NULL, NULL, &err)) == NULL) {
		fputs("FAIL chat: ", stdout);
		put_safe(err);
		putchar('\n');
		free(err);
		return 1;
	}
	chat_doctor(c, &report);
	for (char *line = report, *nl; line != NULL && *line != '\0'; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl != NULL)
			*nl = '\0';
		failed += strncmp(line, "FAIL", 4) == 0;
		put_safe(line);
		putchar('\n');
	}
	free(report);
	chat_free(c);
	return failed;
}

/* The Google Docs checks of doctor, one per gdocs: entry of [sources]:
 * the token and the folder; how many failed. */
static size_t
doctor_gdocs(const struct config *cfg)
{
	size_t failed = 0;

	for (size_t i = 0; i < cfg->sources.n; i++) {
		struct source_spec spec;
		char *err = NULL, *report = NULL;

		if (strncmp(cfg->sources.items[i], "gdocs:", 6) != 0)
			continue;
		if (source_spec_parse(cfg->sources.items[i], NULL, NULL, &spec, &err) < 0) {
			fputs("FAIL Google Docs: ", stdout);
			put_safe(err);
			putchar('\n');
			free(err);
			failed++;
			continue;
		}
		failed += (size_t)source_gdocs_doctor(cfg, spec.folder, &report);
		for (char *line = report, *nl; line != NULL && *line != '\0';
		     line = nl ? nl + 1 : NULL) {
			nl = strchr(line, '\n');
			if (nl != NULL)
				*nl = '\0';
			put_safe(line);
			putchar('\n');
		}
		free(report);
		source_spec_release(&spec);
	}
	return failed;
}

/* doctor --store: the integrity check of the store and its search index,
 * with furikaeri's tokenizer registered, which the sqlite3 shell lacks for
 * the index. */
static int
doctor_store(struct cli *cli)
{
	struct store *st = cli_open_store(cli);
	char *report = NULL;

	if (st == NULL)
		return EXIT_STORE;
	size_t bad = store_check(st, &report);
	fputs(report, stdout);
	if (bad > 0)
		printf("%zu problem%s found: a damaged search index is rebuilt when its file "
		       "is deleted (with its -wal and -shm); a damaged store needs its backup\n",
		       bad, bad == 1 ? "" : "s");
	free(report);
	store_free(st);
	return bad == 0 ? EXIT_OK : EXIT_STORE;
}

/* With a chat: the roster's people who have no chat id (their reactions
 * agree nothing: authority goes by chat account), and the people seen in
 * the channel whom the roster does not know. Warnings, not failures. */
static void
doctor_roster(const struct config *cfg, struct store *st)
{
	struct store_people people;
	char **strangers = NULL, *err = NULL;
	size_t missing = 0;

	if (cfg->chat.service == NULL || store_people_list(st, &people, &err) < 0) {
		free(err);
		return;
	}
	for (size_t i = 0; i < people.n; i++) {
		if (people.people[i].chat_id != NULL)
			continue;
		fputs(missing++ == 0 ? "warn roster: no chat id (their reactions in the chat agree "
			"and file nothing; 'furikaeri roster set NAME --chat ID', or --email and "
			"'furikaeri roster sync'):" : ",", stdout);
		putchar(' ');
		put_safe(people.people[i].name);
	}
	if (missing > 0)
		putchar('\n');
	else if (people.n > 0)
		printf("ok   roster: everyone has a chat id\n");
	store_people_free(&people);
	if (store_chat_users_unlisted(st, cfg->chat.service, &strangers, &err) < 0)
		free(err);
	for (size_t i = 0; strangers != NULL && strangers[i] != NULL; i++) {
		char *tab = strchr(strangers[i], '\t');
		if (tab != NULL)
			*tab = '\0';
		fputs("warn roster: seen in the chat, not on the roster: ", stdout);
		put_safe(tab != NULL ? tab + 1 : "");
		fputs(" (", stdout);
		put_safe(strangers[i]);
		fputs(")\n", stdout);
	}
	for (size_t i = 0; strangers != NULL && strangers[i] != NULL; i++)
		free(strangers[i]);
	free(strangers);
}

int
cmd_doctor(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ .name = "store", .has_arg = no_argument, .val = 's' },
		{ .name = "help", .has_arg = no_argument, .val = 'h' },
		{ 0 },
	};
	struct tracker_options opts = { 0 };
	struct tracker_checks checks = { 0 };
	char *err = NULL;
	bool store_only = false;
	int c;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c != 's')
			return cli_option_end(cli_find("doctor"), c);
		store_only = true;
	}
	if (!cli_no_operands("doctor", argc, argv, optind))
		return EXIT_USAGE;
	if (store_only)
		return doctor_store(cli);
	struct config *cfg = cli_load_config(cli);
	if (cfg == NULL)
		return EXIT_CONFIG;
	size_t failed = tracker_doctor(cfg, &opts, &checks);
	for (size_t i = 0; i < checks.n; i++) {
		printf("%s ", !checks.items[i].ok ? "FAIL" : checks.items[i].warn ? "warn" : "ok  ");
		put_safe(checks.items[i].text);
		putchar('\n');
	}
	size_t chat_failed = doctor_chat(cfg);
	failed += chat_failed;
	size_t gdocs_failed = doctor_gdocs(cfg);
	failed += gdocs_failed;
	if (failed > 0)
		printf("%zu check%s failed\n", failed, failed == 1 ? "" : "s");
	tracker_checks_free(&checks);
	struct store *st = cli_open_store(cli);
	if (st != NULL) {
		struct store_outbox_items items;
		size_t waiting = 0;
		if (store_outbox_list(st, false, &items, &err) == 0) {
			for (size_t i = 0; i < items.n; i++) {
				const struct store_outbox_item *it = &items.items[i];
				if (waiting++ == 0)
					printf("waiting in the outbox (furikaeri tickets "
					       "push sends them):\n");
				if (it->measure_id == 0)	/* a postmortem's issue */
					printf("  %-6s ", "pm");
				else
					printf("  %-6lld ", it->measure_id);
				printf("%-8s %-7s ", store_outbox_state_word(it->state),
				       it->tracker ? it->tracker : "-");
				put_safe(it->title);
				if (it->last_error != NULL) {
					fputs(": ", stdout);
					put_safe(it->last_error);
				}
				putchar('\n');
			}
			store_outbox_items_free(&items);
			if (waiting == 0)
				printf("nothing waits in the outbox\n");
		} else {
			free(err);
		}
		doctor_roster(cfg, st);
		store_free(st);
	}
	/* nothing to ask a tracker about is the config's doing, not a request's */
	bool none = cfg->github.repo == NULL && cfg->jira.url == NULL;
	config_free(cfg);
	return failed == 0 ? EXIT_OK
	       : none && chat_failed == 0 && gdocs_failed == 0 ? EXIT_CONFIG : EXIT_TRACKER;
}
