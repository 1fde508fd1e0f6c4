#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "furikaeri/cli.h"
#include "furikaeri/paths.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"

const struct cli_command cli_commands[] = {
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
		.args = "QUERY [--json]",
		.summary = "full-text search over postmortems and minutes",
		.help = "Finds English words and Japanese text (two-character words such as\n"
			"障害 too) in postmortems and meeting minutes, best match first.\n"
			"  --json       print a JSON array of {id, title, date, severity, status}",
		.run = cmd_search,
	},
	{
		.name = "demo",
		.args = "",
		.summary = "load the demo week into a fresh database and show it",
		.help = "Imports the shipped demo postmortems, dated into the current week, into\n"
			"a temporary database (or the one given with --db) and lists them.",
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
			"done, the median days from agreement to done, overdue measures and the\n"
			"most frequent tags.",
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
		case 'h':
			cli_usage(cmd, true);
			*status = EXIT_OK;
			return -1;
		default:
			cli_usage(cmd, false);
			*status = EXIT_USAGE;
			return -1;
		}
	}
	return optind;
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
