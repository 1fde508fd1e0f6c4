#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/cli.h"
#include "furikaeri/roster.h"
#include "furikaeri/store_meeting.h"
#include "furikaeri/table.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"
#include "furikaeri/week.h"

static int
fail(struct store *st, char *err, int status)
{
	cli_error("roster", "%s", err);
	free(err);
	store_free(st);
	return status;
}

static int
roster_list(struct store *st)
{
	struct store_people people;
	char *err = NULL;

	if (store_people_list(st, &people, &err) < 0)
		return fail(st, err, EXIT_STORE);
	if (people.n == 0)
		fprintf(stderr, "furikaeri roster: nobody yet; add people with "
			"'furikaeri roster add NAME --role ROLE'\n");
	/* the widths the listing always had, so its columns stay put */
	struct table *t = table_new(4, 1);
	table_min_width(t, 0, 20);
	table_min_width(t, 1, 18);
	table_min_width(t, 2, 26);
	for (size_t i = 0; i < people.n; i++) {
		const struct store_person *p = &people.people[i];
		char *away = p->away_until ? xasprintf("away until %s", p->away_until) : NULL;
		table_cell(t, p->name);
		table_cell(t, p->role ? p->role : "-");
		table_cell(t, p->chat_id ? p->chat_id : "(no chat id)");
		table_cell(t, away != NULL ? away : "");
		free(away);
	}
	table_print(t, stdout);
	table_free(t);
	store_people_free(&people);
	store_free(st);
	return EXIT_OK;
}

/* Builds the rotation from the roster and the recorded meetings. */
static struct roster *
load_roster(struct store *st, char **err)
{
	struct store_people people;
	struct store_history hist;
	struct roster *r;

	if (store_people_list(st, &people, err) < 0)
		return NULL;
	if (store_history_list(st, NULL, &hist, err) < 0) {
		store_people_free(&people);
		return NULL;
	}
	r = roster_new();
	for (size_t i = 0; i < people.n; i++)
		roster_add(r, people.people[i].name, people.people[i].role,
			   people.people[i].away_until, NULL);
	for (size_t i = 0; i < hist.n; i++)
		if (hist.rows[i].facilitator != NULL)
			roster_record(r, hist.rows[i].week, hist.rows[i].facilitator,
				      hist.rows[i].backup, NULL);
	store_people_free(&people);
	store_history_free(&hist);
	return r;
}

static int
roster_next(struct store *st, const char *week)
{
	const char *fac, *bak;
	char *err = NULL;
	struct roster *r = load_roster(st, &err);

	if (r == NULL)
		return fail(st, err, EXIT_STORE);
	int n = roster_propose(r, week, &fac, &bak, &err);
	if (n < 0) {
		roster_free(r);
		return fail(st, err, EXIT_USAGE);
	}
	if (n == 0)
		printf("%s: nobody is available; add people with 'furikaeri roster add'\n", week);
	else
		printf("%s: facilitator %s, backup %s\n", week, fac, bak ? bak : "(nobody else available)");
	roster_free(r);
	store_free(st);
	return EXIT_OK;
}

/* "none" clears an option's value. */
static const char *
none_null(const char *v)
{
	return v != NULL && strcmp(v, "none") == 0 ? NULL : v;
}

/* A chat user id is one word of letters and digits (Slack U0123ABC,
 * Mattermost's 26 lower-case letters and digits): a display name or an
 * @mention is refused here, as authority never goes by them. */
static bool
chat_id_ok(const char *id)
{
	if (id == NULL || strcmp(id, "none") == 0)
		return true;
	for (const char *p = id; *p != '\0'; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
			goto bad;
	if (id[0] != '\0')
		return true;
bad:
	cli_error("roster", "'%s' is not a chat user id: give the id, not a name (Slack: the "
		  "member id from the profile's menu, U...; Mattermost: the user's id), or "
		  "--email and 'furikaeri roster sync'", id);
	return false;
}

static bool
email_ok(const char *email)
{
	if (email == NULL || strcmp(email, "none") == 0 ||
	    (strchr(email, '@') != NULL && strpbrk(email, " \t\r\n") == NULL))
		return true;
	cli_error("roster", "'%s' is not an e-mail address", email);
	return false;
}

static int
roster_set(struct store *st, const char *name, const char *chat, const char *email)
{
	char *err = NULL;

	if (chat != NULL && store_person_set_chat(st, name, none_null(chat), &err) < 0)
		return fail(st, err, EXIT_FAILED);
	if (email != NULL && store_person_set_email(st, name, none_null(email), &err) < 0)
		return fail(st, err, EXIT_FAILED);
	if (chat != NULL && none_null(chat) != NULL)
		printf("%s is chat account %s\n", name, chat);
	else if (chat != NULL)
		printf("%s has no chat id: reactions by them in the chat agree nothing\n", name);
	if (email != NULL && none_null(email) != NULL)
		printf("%s's e-mail is %s\n", name, email);
	else if (email != NULL)
		printf("%s has no e-mail\n", name);
	store_free(st);
	return EXIT_OK;
}

int
cmd_roster(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ .name = "role", .has_arg = required_argument, .val = 'r' },
		{ .name = "until", .has_arg = required_argument, .val = 'u' },
		{ .name = "week", .has_arg = required_argument, .val = 'w' },
		{ .name = "chat", .has_arg = required_argument, .val = 'c' },
		{ .name = "email", .has_arg = required_argument, .val = 'e' },
		{ .name = "help", .has_arg = no_argument, .val = 'h' },
		{ 0 },
	};
	const struct cli_command *cmd = cli_find("roster");
	const char *role = NULL, *until = NULL, *week_arg = NULL, *chat = NULL, *email = NULL;
	char week[WEEK_STRLEN];
	struct week w;
	struct store *st;
	char *err = NULL;
	long day;
	int c;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'r':
			role = optarg;
			break;
		case 'u':
			until = optarg;
			break;
		case 'w':
			week_arg = optarg;
			break;
		case 'c':
			chat = optarg;
			break;
		case 'e':
			email = optarg;
			break;
		default:
			return cli_option_end(cmd, c);
		}
	}
	const char *verb = optind < argc ? argv[optind] : "list";
	const char *name = optind + 1 < argc ? argv[optind + 1] : NULL;
	int operands = argc - optind;
	bool needs_name = strcmp(verb, "add") == 0 || strcmp(verb, "remove") == 0 ||
			  strcmp(verb, "away") == 0 || strcmp(verb, "set") == 0;

	if (strcmp(verb, "list") != 0 && strcmp(verb, "next") != 0 &&
	    strcmp(verb, "sync") != 0 && !needs_name) {
		cli_error("roster", "'%s' is not a roster command; use list, add, set, remove, "
			  "away, sync or next", verb);
		return EXIT_USAGE;
	}
	if ((needs_name && operands != 2) || (!needs_name && operands > 1)) {
		cli_error("roster", needs_name ? "%s needs one NAME (quote a name with spaces)"
					       : "%s takes no NAME", verb);
		return EXIT_USAGE;
	}
	if (needs_name && name[strspn(name, " \t")] == '\0') {
		cli_error("roster", "%s needs a NAME that is not empty, e.g. furikaeri roster %s "
			  "Aoi", verb, verb);
		return EXIT_USAGE;
	}
	if (strcmp(verb, "set") == 0 && chat == NULL && email == NULL) {
		cli_error("roster", "set needs --chat ID or --email ADDRESS (none clears either)");
		return EXIT_USAGE;
	}
	if (!chat_id_ok(chat) || !email_ok(email))
		return EXIT_USAGE;
	if (strcmp(verb, "sync") == 0)
		return cmd_roster_sync(cli);
	if (strcmp(verb, "away") == 0 && until == NULL) {
		cli_error("roster", "away needs --until YYYY-MM-DD (the last day away), or "
			  "--until none to clear it");
		return EXIT_USAGE;
	}
	if (until != NULL && strcmp(until, "none") != 0 && !week_date_parse(until, &day)) {
		cli_error("roster", "'%s' is not a date; write it as YYYY-MM-DD", until);
		return EXIT_USAGE;
	}
	cli_this_week(week);
	if (week_arg != NULL) {
		if (!week_parse(week_arg, &w)) {
			cli_error("roster", "'%s' is not an ISO week; write it as YYYY-Www", week_arg);
			return EXIT_USAGE;
		}
		week_format(w, week);
	}
	if ((st = cli_open_store(cli)) == NULL)
		return EXIT_STORE;
	if (strcmp(verb, "list") == 0)
		return roster_list(st);
	if (strcmp(verb, "next") == 0)
		return roster_next(st, week);
	if (strcmp(verb, "add") == 0) {
		struct store_person p = { .name = (char *)name, .role = (char *)role,
					  .chat_id = (char *)none_null(chat),
					  .email = (char *)none_null(email) };
		if (store_person_insert(st, &p, &err) < 0)
			return fail(st, err, EXIT_FAILED);
		printf("added %s%s%s%s%s\n", name, role ? " as " : "", role ? role : "",
		       p.chat_id ? ", chat id " : "", p.chat_id ? p.chat_id : "");
	} else if (strcmp(verb, "set") == 0) {
		return roster_set(st, name, chat, email);
	} else if (strcmp(verb, "remove") == 0) {
		if (store_person_remove(st, name, &err) < 0)
			return fail(st, err, EXIT_FAILED);
		printf("removed %s (their past meetings stay in the history)\n", name);
	} else {
		bool clear = strcmp(until, "none") == 0;
		if (store_person_set_away(st, name, clear ? NULL : until, &err) < 0)
			return fail(st, err, EXIT_FAILED);
		if (clear)
			printf("%s is no longer away\n", name);
		else
			printf("%s is away until %s\n", name, until);
	}
	store_free(st);
	return EXIT_OK;
}
