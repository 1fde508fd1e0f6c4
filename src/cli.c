#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "furikaeri/cli.h"
#include "furikaeri/command.h"
#include "furikaeri/paths.h"
#include "furikaeri/week.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"

const struct cli_command cli_commands[] = {
	{
		.name = "meeting",
		.args = "[--week YYYY-Www]",
		.summary = "open this week's review meeting (the default command)",
		.help = "Opens the meeting screen on the week's meeting, creating it (agenda and\n"
			"proposed facilitator) the first time. Everything typed is saved at once;\n"
			"reopening resumes at the same item. F1 in the meeting lists every command.\n"
			"  --week W     another ISO week, e.g. 2026-W49",
		.run = cmd_meeting,
	},
	{
		.name = "import",
		.args = "PATH...",
		.summary = "index postmortems (Markdown or JSON files, folders recursively)",
		.help = "Reads each file, and every .md, .markdown and .json file under each folder,\n"
			"and adds or updates its postmortem in the database. Each file is imported\n"
			"in one transaction: a file that fails changes nothing and the others still\n"
			"import. Ends with one line: added, updated, unchanged, failed.\n"
			"Exit status 1 when any file failed.",
		.run = cmd_import,
	},
	{
		.name = "list",
		.args = "[--week YYYY-Www | --since YYYY-MM-DD] [--json]",
		.summary = "list postmortems, newest first",
		.help = "  --week W     only incidents in ISO week W (e.g. 2026-W49)\n"
			"  --since D    only incidents on or after D\n"
			"  --json       print a JSON array of {id, title, date, severity, status}",
		.run = cmd_list,
	},
	{
		.name = "show",
		.args = "ID [--json]",
		.summary = "show one postmortem with its sections and measures",
		.help = "  --json       print one JSON object (the format of furikaeri(5))\n"
			"Exit status 1 when there is no postmortem with that id.",
		.run = cmd_show,
	},
	{
		.name = "search",
		.args = "QUERY [--limit N] [--json]",
		.summary = "full-text search over postmortems and minutes",
		.help = "Finds English words in any of their forms and Japanese text (two-character\n"
			"words such as 障害 too) in postmortems and meeting minutes, best match\n"
			"first; a word ending in * matches as a prefix (timeo*).\n"
			"  -n, --limit N   show the best N matches (default 10; 0: all)\n"
			"  --json          print a JSON array of {id, title, date, severity, status,\n"
			"                  match, snippet}",
		.run = cmd_search,
	},
	{
		.name = "roster",
		.args = "[list | add NAME [--role ROLE] | remove NAME |\n"
			"                                 away NAME --until DATE | next [--week W]]",
		.summary = "the people who take turns facilitating",
		.help = "  list                   everyone, with role and absence (the default)\n"
			"  add NAME --role ROLE   add a person (engineering, product, QA, support...)\n"
			"  remove NAME            take a person off the rotation\n"
			"  away NAME --until D    away through date D (--until none clears it)\n"
			"  next [--week W]        who the rotation proposes to facilitate week W\n"
			"The proposal is whoever has gone longest without facilitating, skipping\n"
			"people away that week; the backup is chosen the same way.",
		.run = cmd_roster,
	},
	{
		.name = "tickets",
		.args = "[list [-v] | push | sync | file MEASURE_ID [--tracker github|jira]] [--json]",
		.summary = "the ticket outbox: file agreed measures in GitHub or Jira",
		.help = "  list          every ticket in the outbox and its state (the default)\n"
			"  -v, --verbose with list: each ticket's history, every decision taken\n"
			"  push          send every ticket not filed yet (refused ones again too)\n"
			"  sync          read each filed ticket's state back into its measure:\n"
			"                open, done, or dropped (closed as not planned, duplicate,\n"
			"                won't do)\n"
			"  file ID       queue and send one measure (ids from actions --json)\n"
			"  --tracker T   github or jira instead of [tracker] default\n"
			"  --json        print JSON\n"
			"A ticket is never filed twice: each carries its measure's marker; after a\n"
			"request whose outcome is unknown nothing is resent until the marker was\n"
			"looked up and not found ([tracker] recheck_seconds later); a measure with\n"
			"a ticket is never queued again. Without a tracker or a token, tickets wait\n"
			"in the outbox. Exit status 5 when a tracker refused a request, or its\n"
			"outcome is not known yet.",
		.run = cmd_tickets,
	},
	{
		.name = "doctor",
		.args = "",
		.summary = "check the config, tokens, trackers and chat before the meeting",
		.help = "Checks the config file, that tokens are present and authenticate\n"
			"(GitHub GET /user, Jira GET /rest/api/N/myself) and, for Jira, that the\n"
			"project and issue type exist and every field the create screen requires\n"
			"is set; with [chat], that the chat token authenticates (Slack auth.test,\n"
			"Mattermost GET /api/v4/users/me), that a Slack app has the scopes the\n"
			"meeting uses, and that the channel exists with the bot in it; then lists\n"
			"the tickets waiting in the outbox and why. Exit status 5 when a check fails.",
		.run = cmd_doctor,
	},
	{
		.name = "demo",
		.args = "",
		.summary = "load the demo week into a fresh database and show it",
		.help = "Imports the shipped demo postmortems, dated into the current week, and\n"
			"the demo team into a temporary database (or the one given with --db, so\n"
			"the meeting can be reopened later with furikaeri --db PATH), and opens\n"
			"the meeting. Without a terminal it lists the demo week instead.",
		.run = cmd_demo,
	},
	{
		.name = "export",
		.args = "[--week YYYY-Www] --format md|json|slack [-o FILE] [--post]",
		.summary = "write a meeting's minutes as Markdown, JSON or Slack text",
		.help = "  --week W       the meeting of ISO week W (default: this week)\n"
			"  --format F     md (for people), json (everything; 'furikaeri import'\n"
			"                 reads it back) or slack (Slack mrkdwn)\n"
			"  -o, --output FILE  write FILE (replaced atomically), not standard output\n"
			"  --post         send the Slack text to [minutes] webhook_url\n"
			"Exit status 1 when there is no meeting that week, 5 when the webhook\n"
			"fails.",
		.run = cmd_export,
	},
	{
		.name = "actions",
		.args = "[--open] [--owner NAME] [--overdue] [--json]",
		.summary = "list prevention measures across all weeks",
		.help = "Lists the measures imported with postmortems and those agreed in meetings,\n"
			"oldest first, with state, age in days, owner, due date and ticket.\n"
			"  --open         only measures still open\n"
			"  --owner NAME   only measures owned by NAME\n"
			"  --overdue      only open measures past their due date (marked !)\n"
			"  --json         print a JSON array",
		.run = cmd_actions,
	},
	{
		.name = "stats",
		.args = "[--since YYYY-MM-DD] [--json]",
		.summary = "postmortems per week, severity mix, measures agreed and done, tags",
		.help = "  --since D      only postmortems and measures from D on\n"
			"  --json         print one JSON object\n"
			"Shows postmortems per ISO week, the severity mix, measures agreed versus\n"
			"done versus dropped, the median days from agreement to done (over the\n"
			"measures agreed in a meeting and seen done, and how many), overdue\n"
			"measures and the most frequent tags.",
		.run = cmd_stats,
	},
	{
		.name = "history",
		.args = "[--person NAME]",
		.summary = "who facilitated (and backed up) which week",
		.help = "  --person NAME  only the weeks NAME facilitated or backed up",
		.run = cmd_history,
	},
};

const size_t cli_n_commands = sizeof(cli_commands) / sizeof(cli_commands[0]);

const struct cli_command *
cli_find(const char *name)
{
	for (size_t i = 0; i < cli_n_commands; i++)
		if (strcmp(cli_commands[i].name, name) == 0)
			return &cli_commands[i];
	return NULL;
}

void
cli_usage(const struct cli_command *cmd, bool ok)
{
	FILE *out = ok ? stdout : stderr;

	fprintf(out, "usage: furikaeri [--db PATH] %s%s%s\n", cmd->name,
		cmd->args[0] ? " " : "", cmd->args);
	if (ok)
		fprintf(out, "\n%s.\n\n%s\n", cmd->summary, cmd->help);
	else
		fprintf(out, "see 'furikaeri %s --help'\n", cmd->name);
}

void
cli_error(const char *command, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "furikaeri %s: ", command);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
cli_parse_simple(const char *name, int argc, char **argv, bool *json, int *status)
{
	static const struct option with_json[] = {
		{ .name = "json", .has_arg = no_argument, .val = 'j' },
		{ .name = "help", .has_arg = no_argument, .val = 'h' },
		{ 0 },
	};
	const struct cli_command *cmd = cli_find(name);
	int c;

	while ((c = getopt_long(argc, argv, "h", json ? with_json : with_json + 1, NULL)) != -1) {
		switch (c) {
		case 'j':
			*json = true;
			break;
		default:
			*status = cli_option_end(cmd, c);
			return -1;
		}
	}
	return optind;
}

int
cli_option_end(const struct cli_command *cmd, int c)
{
	cli_usage(cmd, c == 'h');
	return c == 'h' ? EXIT_OK : EXIT_USAGE;
}

bool
cli_no_operands(const char *name, int argc, char **argv, int first)
{
	if (first >= argc)
		return true;
	cli_error(name, "unexpected argument '%s'", argv[first]);
	return false;
}

struct store *
cli_open_store(struct cli *cli)
{
	char *err = NULL, *path;
	struct store *st;

	path = cli->db_path ? xstrdup(cli->db_path) : paths_default_db(&err);
	if (path == NULL) {
		fprintf(stderr, "furikaeri: %s\n", err);
		free(err);
		return NULL;
	}
	st = store_open(path, &err);
	if (st == NULL) {
		fprintf(stderr, "furikaeri: %s\n", err);
		free(err);
	}
	free(path);
	return st;
}

void
cli_today(char out[11])
{
	const char *env = getenv("FURIKAERI_TODAY");
	time_t now = time(NULL);
	struct tm tm;

	if (env != NULL && strlen(env) == 10) {
		memcpy(out, env, 11);
		return;
	}
	localtime_r(&now, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

struct headings *
cli_load_headings(void)
{
	char *data = paths_data_dir(), *config = paths_default_config(NULL);
	char *shipped = paths_join(data, "headings");
	char *team = NULL, *err = NULL;
	const char *dirs[2];
	size_t n = 0;
	struct headings *h;

	dirs[n++] = shipped;
	if (config != NULL) {
		/* config.ini's folder holds the team's own lists */
		char *slash = strrchr(config, '/');
		*slash = '\0';
		team = paths_join(config, "headings");
		dirs[n++] = team;
	}
	h = headings_load(dirs, n, &err);
	if (h == NULL) {
		fprintf(stderr, "furikaeri: %s\n", err);
		free(err);
	}
	free(data);
	free(config);
	free(shipped);
	free(team);
	return h;
}

static void
put_padded(const char *s, size_t width)
{
	char *safe = text_sanitize(s != NULL ? s : "-", false);
	size_t w = text_width(safe);

	fputs(safe, stdout);
	for (; w < width; w++)
		putchar(' ');
	free(safe);
}

void
cli_print_rows(const struct store_rows *rows, bool with_match)
{
	size_t id_width = 2;

	for (size_t i = 0; i < rows->n; i++) {
		char *safe = text_sanitize(rows->rows[i].id, false);
		size_t w = text_width(safe);
		if (w > id_width)
			id_width = w;
		free(safe);
	}
	for (size_t i = 0; i < rows->n; i++) {
		const struct store_row *r = &rows->rows[i];
		put_padded(r->id, id_width + 2);
		put_padded(r->date, 12);
		put_padded(r->severity, 6);
		put_padded(r->status, 11);
		put_padded(r->title, 0);
		putchar('\n');
		if (with_match && r->snippet != NULL) {
			fputs("    ", stdout);
			if (r->match != NULL) {
				put_padded(r->match, 0);
				fputs(": ", stdout);
			}
			put_padded(r->snippet, 0);
			putchar('\n');
		}
	}
}

struct config *
cli_load_config(struct cli *cli)
{
	char *err = NULL;
	struct config *cfg = config_load(cli->config_path, &err);

	if (cfg == NULL) {
		fprintf(stderr, "furikaeri: %s\n", err);
		free(err);
	}
	return cfg;
}

static int
load_hint_files(struct blameless *b, const char *dir, char **err)
{
	size_t n;
	char **files = paths_list(dir, ".txt", &n);
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		char *buf;
		size_t len;
		if (rc == 0 && paths_read_file(files[i], &buf, &len, err) == 0) {
			rc = blameless_load(b, buf, files[i], err);
			free(buf);
		} else {
			rc = -1;
		}
		free(files[i]);
	}
	free(files);
	return rc;
}

struct blameless *
cli_load_hints(void)
{
	char *data = paths_data_dir(), *config = paths_default_config(NULL);
	char *shipped = paths_join(data, "blameless"), *team = NULL, *err = NULL;
	struct blameless *b = blameless_new();
	int rc = load_hint_files(b, shipped, &err);

	if (rc == 0 && config != NULL) {
		*strrchr(config, '/') = '\0';
		team = paths_join(config, "blameless");
		rc = load_hint_files(b, team, &err);
	}
	if (rc < 0) {
		fprintf(stderr, "furikaeri: %s\n", err);
		free(err);
		blameless_free(b);
		b = NULL;
	}
	free(data);
	free(config);
	free(shipped);
	free(team);
	return b;
}

void
cli_this_week(char out[WEEK_STRLEN])
{
	char today[WEEK_DATE_STRLEN];
	long day;

	cli_today(today);
	if (!week_date_parse(today, &day))
		day = 0;
	week_format(week_of_day(day), out);
}

static void
roff_text(FILE *out, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-')
			fputs("\\-", out);
		else
			fputc(*s, out);
	}
}

void
cli_print_keys_roff(FILE *out)
{
	char usage[128];

	for (size_t i = 0; i < command_count(); i++) {
		const struct command_def *d = command_at(i);
		command_usage(d, usage, sizeof(usage));
		fputs(".TP\n.B \"", out);
		roff_text(out, usage);
		for (size_t k = 0; k < COMMAND_MAX_ALIASES && d->aliases[k] != NULL; k++) {
			fputs(", /", out);
			roff_text(out, d->aliases[k]);
		}
		if (d->key != NULL) {
			fputs("\"  \" \" \"key ", out);
			roff_text(out, d->key);
		}
		fputs("\"\n", out);
		roff_text(out, d->long_help != NULL ? d->long_help : d->help);
		fputc('\n', out);
	}
}
