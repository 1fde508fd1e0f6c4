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
#include "furikaeri/postmortem.h"
#include "furikaeri/week.h"
#include "furikaeri/table.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"

const char cli_synopsis[] =
	"usage: furikaeri [--db PATH] [--config PATH] [-v] COMMAND [ARGS]\n"
	"       furikaeri [--db PATH] [--config PATH] [-v] [--week YYYY-Www]\n"
	"       furikaeri help [COMMAND] | --help | --version\n";

const char cli_global_options[] =
	"  --db PATH       the database (default $FURIKAERI_DB, else\n"
	"                  $XDG_DATA_HOME/furikaeri/furikaeri.db)\n"
	"  --config PATH   the config file (default $XDG_CONFIG_HOME/furikaeri/config.ini)\n"
	"  -v, --verbose   log requests (tokens redacted) to $FURIKAERI_LOG, else to\n"
	"                  furikaeri.log beside the database\n"
	"  --week W        with no command: open the meeting of ISO week W\n"
	"  -h, --help      show this help; 'furikaeri help COMMAND' or\n"
	"                  'furikaeri COMMAND --help' shows one command's\n"
	"  -V, --version   show the version\n";

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
		.args = "[--check [--json] | --replace] PATH... | github:OWNER/REPO | gitlab:GROUP/PROJECT\n"
			"    [--label L] [--state S] | 'jira:JQL' | confluence:SPACE[/PAGE-ID] [--label L] "
			"| gdocs:FOLDER [--full] [--check]",
		.summary = "index postmortems (files, folders, GitHub, GitLab or Jira issues, Confluence "
			   "pages, Google Docs)",
		.help = "Reads each file, and every .md, .markdown and .json file under each folder,\n"
			"and adds or updates its postmortem in the database (a status page's\n"
			"incidents.json, Statuspage's or a cloud status feed, adds each incident).\n"
			"Each file is imported in one transaction: a file that fails changes nothing\n"
			"and the others still import. READMEs, index pages, CHANGELOGs, rosters and\n"
			"configuration files are skipped; templates are kept apart (list --templates);\n"
			"a postmortem without a date is named with what to add and stays off every\n"
			"agenda. Ends with one line: added, updated, unchanged, failed (and skipped;\n"
			"-v says why).\n"
			"  --check      store nothing: print what each file reads as (id, title, date\n"
			"               and where it came from, severity, status, sections, measures\n"
			"               with owner, due and ticket, warnings), then the headings no\n"
			"               list knows, to map with [headings] in the config\n"
			"  --json       with --check: a JSON array, one object per file\n"
			"  --replace    minutes (a furikaeri-minutes .json) are merged entry by entry\n"
			"               and an older version of an entry edited here is refused;\n"
			"               --replace takes the file's version of such entries\n"
			"github:OWNER/REPO imports the issues labelled L (default postmortem) in\n"
			"state S (open, closed or all, the default); gitlab:GROUP/PROJECT the same,\n"
			"and GitLab's incidents (issue type incident) too; 'jira:JQL' the issues the\n"
			"query finds; confluence:SPACE the pages of a Confluence space (/PARENT-PAGE-ID:\n"
			"only that page's descendants; --label L: only pages with the label);\n"
			"gdocs:FOLDER_ID the Google Docs in that Drive folder, each exported as\n"
			"Markdown (token: GOOGLE_OAUTH_ACCESS_TOKEN or [gdocs] token_command); only\n"
			"issues, pages and Docs changed since the source's last import are read\n"
			"(--full reads them all), and one that left the query is reported; one that\n"
			"failed is asked for again by the next import; --check shows how each reads\n"
			"and changes nothing. With no argument, every source of [sources] in the\n"
			"config is imported.\n"
			"Exit status 1 when any file or issue failed, 5 when a request failed.",
		.run = cmd_import,
	},
	{
		.name = "new",
		.args = "[--title TITLE] [--severity SEVn] [--lang en|ja] [-o DIR] [--no-edit]\n"
			"    [--tracker github|jira|gitlab|linear | --to confluence]",
		.summary = "start a new postmortem from the team's template in $VISUAL/$EDITOR",
		.help = "Writes DIR/YYYY-MM-DD-TITLE.md from [postmortems] template (default the\n"
			"shipped template) with the next free id of the template's id pattern\n"
			"(pm-YYYY-NNN: YYYY the year, NNN the number), today's date, time and\n"
			"time zone, and the author (git config user.name, else the roster's\n"
			"person named $USER); opens $VISUAL, else $EDITOR, else vi, and imports\n"
			"the file when the editor exits 0 with it changed. An existing file is\n"
			"never overwritten.\n"
			"  --title T       the postmortem's title (and the file name)\n"
			"  --severity S    SEV1 to SEV5\n"
			"  --lang L        en or ja: which shipped template (default from $LANG)\n"
			"  -o, --output DIR  the folder to write in (default: the current one)\n"
			"  --no-edit       write the file and print its path; no editor, no import\n"
			"  --tracker T     github, jira, gitlab or linear: file the postmortem as an\n"
			"                  issue instead of a file (title: the postmortem's, body:\n"
			"                  the edited template, label: [postmortems] label, default\n"
			"                  postmortem), through the ticket outbox, exactly once;\n"
			"                  prints the issue's key and URL, or leaves it waiting for\n"
			"                  furikaeri tickets push\n"
			"  --to confluence  create it as a Confluence page instead, in [confluence]\n"
			"                  space under [confluence] parent, its body an Atlassian\n"
			"                  document (the front matter a field table), the same way\n"
			"                  exactly once; prints page-N and the page's address\n"
			"Exit status 1 when the file exists, the editor fails or the import fails;\n"
			"5 when the tracker refused the issue or its outcome is not known yet.",
		.run = cmd_new,
	},
	{
		.name = "agenda",
		.args = "[--week YYYY-Www] [--json | --format md|slack] [--post [--again]]",
		.summary = "print the agenda a meeting would open with, to read or post ahead",
		.help = "Follow-ups, then the postmortems dated since the last meeting (the first\n"
			"meeting looks back four weeks) that are neither templates nor drafts, most\n"
			"severe first, then wrap-up; each with its budget in minutes, then the open\n"
			"follow-up measures. The budgets add up to the meeting; each item gets at\n"
			"least [meeting] floor_minutes (3), and what does not fit is listed under\n"
			"\"If time permits\" (and said at the top). Once the week's meeting is\n"
			"opened: its items in its order, the budgets it planned (adding up to its\n"
			"length), and what each took so far (\", took 12:40\", \"skipped\"...).\n"
			"Nothing is stored.\n"
			"  --week W     that week's meeting (default: this week)\n"
			"  --json       the JSON of furikaeri(5)\n"
			"  --format F   md (default), slack or json\n"
			"  --post       post it (as Slack text) to [minutes] webhook_url, once:\n"
			"               the same agenda posted before, or sent with no answer\n"
			"               (it may be in the channel), is not sent again\n"
			"  --again      with --post: send it even so\n"
			"Exit status 5 when the webhook fails or the post may already be there.",
		.run = cmd_agenda,
	},
	{
		.name = "list",
		.args = "[--week YYYY-Www | --since YYYY-MM-DD] [--templates] [--json]",
		.summary = "list postmortems, newest first",
		.help = "  --week W     only incidents in ISO week W (e.g. 2026-W49)\n"
			"  --since D    only incidents on or after D\n"
			"  --templates  the files imported as templates instead (on no agenda)\n"
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
		.args = "[list | add NAME [--role ROLE] [--chat ID] [--email ADDR] |\n"
			"                                 set NAME [--chat ID|none] [--email ADDR|none] |\n"
			"                                 remove NAME | away NAME --until DATE | sync |\n"
			"                                 next [--week W]]",
		.summary = "the people who take turns facilitating",
		.help = "  list                   everyone, with role, chat id and absence (the default)\n"
			"  add NAME [--role ROLE] add a person (role: engineering, product, QA,\n"
			"                         support...); a NAME cannot be empty\n"
			"  --chat ID              their user id in the chat (Slack U..., Mattermost\n"
			"                         id): who may agree or file in the channel goes\n"
			"                         by it, never by a display name\n"
			"  --email ADDR           their e-mail, for sync\n"
			"  set NAME ...           set or clear (none) a person's chat id or e-mail\n"
			"  sync                   find chat ids by e-mail through [chat]\n"
			"  remove NAME            take a person off the rotation\n"
			"  away NAME --until D    away through date D (--until none clears it)\n"
			"  next [--week W]        who the rotation proposes to facilitate week W\n"
			"The proposal is whoever has gone longest without facilitating, skipping\n"
			"people away that week; the backup is chosen the same way.",
		.run = cmd_roster,
	},
	{
		.name = "tickets",
		.args = "[list [-v] | push | sync | file MEASURE_ID [--tracker github|jira|linear]] [--json]",
		.summary = "the ticket outbox: file agreed measures in GitHub, Jira or Linear",
		.help = "  list          every ticket in the outbox and its state (the default)\n"
			"  -v, --verbose with list: each ticket's history, every decision taken\n"
			"  push          send every ticket not filed yet (refused ones again too)\n"
			"  sync          read each filed ticket's state back into its measure:\n"
			"                open, done, or dropped (closed as not planned, duplicate,\n"
			"                won't do)\n"
			"  file ID       queue and send one measure (ids from actions --json)\n"
			"  --tracker T   github, jira, gitlab or linear instead of [tracker] default\n"
			"  --json        print JSON\n"
			"A ticket is never filed twice: each carries its measure's marker; after a\n"
			"request whose outcome is unknown nothing is resent until the marker was\n"
			"looked up and not found ([tracker] recheck_seconds later); a measure with\n"
			"a ticket is never queued again. Without a tracker or a token, tickets wait\n"
			"in the outbox. Exit status 1 when there is no such measure, 5 when a\n"
			"tracker refused a request, or its outcome is not known yet.",
		.run = cmd_tickets,
	},
	{
		.name = "chat",
		.args = "pull [--week YYYY-Www]",
		.summary = "read the replies written in a meeting's threads since, into its minutes",
		.help = "  pull          read every thread of the meeting in [chat] again, whole:\n"
			"                replies written after the meeting (the next day, from\n"
			"                another time zone) become entries of their item, edits\n"
			"                and deletions follow, each reply once; the minutes of\n"
			"                an ended meeting are then written again into the\n"
			"                minutes folder\n"
			"  --week W      the meeting of ISO week W (default: this week)\n"
			"Exit status 1 when there is no meeting that week, 4 when [chat] is not\n"
			"set up, 5 when a thread could not be read (the token, the channel: the\n"
			"message says which).",
		.run = cmd_chat,
	},
	{
		.name = "doctor",
		.args = "[--store]",
		.summary = "check the config, tokens, trackers and chat before the meeting",
		.help = "Checks the config file, that tokens are present and authenticate\n"
			"(GitHub GET /user, Jira GET /rest/api/N/myself) and, for Jira, that the\n"
			"project and issue type exist and every field the create screen requires\n"
			"is set; with [confluence], that the token reads [confluence] space and\n"
			"that parent is a page of it; with [chat], that the chat token\n"
			"authenticates (Slack auth.test, Mattermost GET /api/v4/users/me), that\n"
			"a Slack app has the scopes the meeting uses, and that the channel exists\n"
			"with the bot in it; then lists the tickets waiting in the outbox and\n"
			"why. Exit status 4 when no tracker is configured, 5 when a check of a\n"
			"tracker, Confluence or the chat fails.\n"
			"\n"
			"  --store  check only the database instead: SQLite's integrity check of\n"
			"           the store and of its search index (DATABASE.search), with\n"
			"           furikaeri's own tokenizer registered, and FTS5's check of the\n"
			"           index; exit status 3 when a problem is found",
		.run = cmd_doctor,
	},
	{
		.name = "demo",
		.args = "",
		.summary = "load the demo week into a fresh database and show it",
		.help = "Imports the shipped demo postmortems, dated into the current week, and\n"
			"the demo team into a temporary database (or the one given with --db, so\n"
			"the meeting can be reopened later with furikaeri --db PATH), and opens\n"
			"the meeting. Its database, minutes and exports go into a folder of its\n"
			"own under $TMPDIR, named on exit: never into ./minutes/ or the user's\n"
			"data. Without a terminal it lists the demo week instead.",
		.run = cmd_demo,
	},
	{
		.name = "export",
		.args = "[--week YYYY-Www] --format md|json|slack [-o FILE] [--post [--again]]",
		.summary = "write a meeting's minutes as Markdown, JSON or Slack text",
		.help = "  --week W       the meeting of ISO week W (default: this week)\n"
			"  --format F     md (for people), json (everything; 'furikaeri import'\n"
			"                 reads it back) or slack (Slack mrkdwn); md links each\n"
			"                 postmortem at [postmortems] url, else from FILE's folder\n"
			"                 (or this folder) when it is in the archive\n"
			"  -o, --output FILE  write FILE, not standard output: a file (or a link's\n"
			"                 target) is replaced atomically, a device or FIFO such\n"
			"                 as /dev/stdout is written into, a folder is refused\n"
			"  --post         send the Slack text to [minutes] webhook_url, once: the\n"
			"                 same minutes posted before, or sent with no answer (they\n"
			"                 may be in the channel), are not sent again\n"
			"  --again        with --post: send them even so\n"
			"Exit status 1 when there is no meeting that week or FILE is a folder,\n"
			"4 when no webhook is configured, 5 when the webhook fails or the minutes\n"
			"may already be there.",
		.run = cmd_export,
	},
	{
		.name = "actions",
		.args = "[--open] [--owner NAME] [--overdue] [--json]",
		.summary = "list prevention measures across all weeks",
		.help = "Lists the measures imported with postmortems and those agreed in meetings,\n"
			"oldest first, with state, age in days, owner, due date and ticket.\n"
			"  --open         only measures still open\n"
			"  --owner NAME   only measures owned by NAME (ignoring case; @NAME too)\n"
			"  --overdue      only open measures past their due date (marked !)\n"
			"  --json         print a JSON array",
		.run = cmd_actions,
	},
	{
		.name = "remind",
		.args = "[--days N] [--week YYYY-Www] [--dry-run]",
		.summary = "remind owners of measures due soon or overdue, in the chat",
		.help = "Posts a reminder of each agreed, open measure with an owner that is due\n"
			"within N days or overdue, mentioning its owner by their chat id (the\n"
			"roster's): as a reply in the thread of the item that agreed it when the\n"
			"meeting posted one, else in the channel. Once per measure per day (the\n"
			"local date): a second run, another process at the same time, or another\n"
			"machine looking in the same channel posts nothing more. Meant for cron or\n"
			"the shipped systemd user timer (furikaeri-remind.timer).\n"
			"  --days N       due within N days (default: [chat] remind_days, 2)\n"
			"  --week W       only measures agreed in the meeting of ISO week W\n"
			"  -n, --dry-run  print what would be posted, post nothing\n"
			"Exit status 4 when no chat is configured, 5 when a reminder was refused\n"
			"or could not be posted (the next run goes on with it).",
		.run = cmd_remind,
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
	{
		.name = "completion",
		.args = "bash|zsh | --list weeks|postmortems|people",
		.summary = "print the shell completion script for bash or zsh",
		.help = "Prints the completion script of the shell, made from this command table:\n"
			"commands, options, subcommands, and the weeks, postmortem ids and people\n"
			"of the database. The package and make install put it where the shells\n"
			"look; to try it at once: source <(furikaeri completion bash).\n"
			"  --list K     print the store's weeks (this week first), postmortems (ids,\n"
			"               newest first) or people, one a line, as the scripts ask;\n"
			"               the database is only read, and nothing is printed on errors",
		.run = cmd_completion,
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
cli_webhook_outcome(const char *command, enum deliver_webhook_result result, const char *msg)
{
	if (result == DELIVER_WEBHOOK_POSTED || result == DELIVER_WEBHOOK_ALREADY) {
		fprintf(stderr, "furikaeri %s: %s\n", command, msg ? msg : "posted");
		return EXIT_OK;
	}
	cli_error(command, "%s", msg ? msg : "the webhook post failed");
	return EXIT_TRACKER;
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
	cli_error(name, "unexpected argument '%s'; see 'furikaeri %s --help'", argv[first], name);
	return false;
}

bool
cli_check_config(struct cli *cli)
{
	struct config *cfg;

	if (cli->config_checked)
		return !cli->config_failed;
	cli->config_checked = true;
	cfg = cli_load_config(cli);
	if (cfg == NULL)
		return false;
	config_free(cfg);
	return true;
}

struct store *
cli_open_store(struct cli *cli)
{
	char *err = NULL, *path;
	struct store *st;

	if (!cli_check_config(cli))
		return NULL;

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

/* What each use of the data folder needs there: parsing without the
 * heading lists would store every section under its raw heading. */
static const char *const cli_data_headings[] = {
	"headings/summary.txt", "headings/impact.txt", "headings/timeline.txt",
	"headings/trigger.txt", "headings/detection.txt", "headings/root_cause.txt",
	"headings/resolution.txt", "headings/lessons.txt", "headings/measures.txt",
	"headings/not_doing.txt", "headings/meta_date.txt", "headings/meta_authors.txt",
	"headings/meta_status.txt", "headings/meta_severity.txt", "readiness/not_ready.txt",
};
static const char *const cli_data_hints[] = {
	"blameless/en.txt", "blameless/ja.txt",
};

bool
cli_require_data(const char *const *names, size_t n)
{
	char *err = NULL;

	if (paths_data_require(names, n, &err) == 0)
		return true;
	fprintf(stderr, "furikaeri: %s\n", err);
	free(err);
	return false;
}

struct headings *
cli_load_headings(const struct config *cfg)
{
	char *data = paths_data_dir(), *config = paths_default_config(NULL);
	char *shipped = paths_join(data, "headings");
	char *team = NULL, *err = NULL;
	const char *dirs[2];
	size_t n = 0;
	struct headings *h;

	if (!cli_require_data(cli_data_headings,
			      sizeof(cli_data_headings) / sizeof(cli_data_headings[0]))) {
		free(data);
		free(config);
		free(shipped);
		return NULL;
	}
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
	/* the config's [headings], after the lists */
	for (size_t i = 0; h != NULL && cfg != NULL && i < cfg->heading_keys.n; i++)
		headings_add(h, cfg->heading_keys.items[i], cfg->heading_names.items[i]);
	free(data);
	free(config);
	free(shipped);
	free(team);
	return h;
}

static int
compare_strs(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Each row's id as shown: OWNER/REPO#N as REPO#N where no other row
 * shortens the same way (owned array of owned strings). */
static char **
shown_ids(const struct store_rows *rows)
{
	char **shown = xcalloc(rows->n + 1, sizeof(char *));
	char **sorted = xcalloc(rows->n + 1, sizeof(char *));
	size_t n = 0;

	for (size_t i = 0; i < rows->n; i++) {
		shown[i] = postmortem_short_id(rows->rows[i].id);
		if (shown[i] != NULL)
			sorted[n++] = shown[i];
	}
	qsort(sorted, n, sizeof(char *), compare_strs);
	/* decide every row before freeing any: sorted points at the strings */
	bool *twice = xcalloc(rows->n + 1, sizeof(bool));
	for (size_t i = 0; i < rows->n; i++) {
		char **hit = shown[i] != NULL ? bsearch(&shown[i], sorted, n, sizeof(char *),
							compare_strs) : NULL;
		twice[i] = hit != NULL && ((hit > sorted && strcmp(hit[-1], shown[i]) == 0) ||
					   (hit + 1 < sorted + n && strcmp(hit[1], shown[i]) == 0));
	}
	free(sorted);
	for (size_t i = 0; i < rows->n; i++) {
		if (shown[i] != NULL && !twice[i])
			continue;
		free(shown[i]);
		shown[i] = xstrdup(rows->rows[i].id);
	}
	free(twice);
	return shown;
}

void
cli_print_rows(const struct store_rows *rows, bool with_match)
{
	size_t id_width = 2;
	char **ids = shown_ids(rows);

	for (size_t i = 0; i < rows->n; i++) {
		char *safe = text_sanitize(ids[i], false);
		size_t w = text_width(safe);
		if (w > id_width)
			id_width = w;
		free(safe);
	}
	/* the widths the listing always had, so its columns stay put */
	struct table *t = table_new(5, 2);
	table_min_width(t, 0, id_width);
	table_min_width(t, 1, 10);
	table_min_width(t, 2, 4);
	table_min_width(t, 3, 9);
	for (size_t i = 0; i < rows->n; i++) {
		const struct store_row *r = &rows->rows[i];
		table_cell(t, ids[i]);
		table_cell(t, r->date);
		table_cell(t, r->severity);
		table_cell(t, r->status);
		table_cell(t, r->title);
		if (with_match && r->snippet != NULL) {
			char *line = xasprintf("%s%s%s", r->match != NULL ? r->match : "",
					       r->match != NULL ? ": " : "", r->snippet);
			table_note(t, 4, line);
			free(line);
		}
	}
	table_print(t, stdout);
	table_free(t);
	for (size_t i = 0; i < rows->n; i++)
		free(ids[i]);
	free(ids);
}

struct config *
cli_load_config(struct cli *cli)
{
	char *err = NULL;
	struct config *cfg = config_load(cli->config_path, &err);

	if (cfg == NULL) {
		if (!cli->config_failed)
			fprintf(stderr, "furikaeri: %s\n", err);
		free(err);
		cli->config_failed = true;
		cli->config_checked = true;
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
	struct blameless *b;
	int rc;

	if (!cli_require_data(cli_data_hints, sizeof(cli_data_hints) / sizeof(cli_data_hints[0]))) {
		free(data);
		free(config);
		free(shipped);
		return NULL;
	}
	b = blameless_new();
	rc = load_hint_files(b, shipped, &err);

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

/* Text as roff lines of at most 80 bytes (mandoc -Tlint's limit), broken
 * at spaces; each line is escaped on its own. */
static void
roff_wrapped(FILE *out, const char *s)
{
	char line[128];
	size_t len = 0, width = 0;

	while (*s != '\0') {
		size_t n = strcspn(s, " "), w = n;

		for (size_t i = 0; i < n; i++)
			w += s[i] == '-' || s[i] == '\\';
		if (len > 0 && (width + 1 + w > 80 || len + 1 + n >= sizeof(line))) {
			line[len] = '\0';
			roff_text(out, line);
			fputc('\n', out);
			len = width = 0;
		}
		if (n >= sizeof(line)) {
			/* a word longer than a line stays whole */
			fwrite(s, 1, n, out);
			fputc('\n', out);
		} else {
			if (len > 0) {
				line[len++] = ' ';
				width++;
			}
			memcpy(line + len, s, n);
			len += n;
			width += w;
		}
		s += n;
		s += strspn(s, " ");
	}
	if (len > 0) {
		line[len] = '\0';
		roff_text(out, line);
		fputc('\n', out);
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
		roff_wrapped(out, d->long_help != NULL ? d->long_help : d->help);
	}
}
