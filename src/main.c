#include "config.h"

#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/cli.h"
#include "furikaeri/log.h"
#include "furikaeri/paths.h"
#include "furikaeri/store.h"
#include "furikaeri/ui.h"
#include "furikaeri/week.h"
#include "furikaeri/xalloc.h"

static void
usage(FILE *out)
{
	fprintf(out,
		"%s"
		"\n"
		"Runs a team's weekly postmortem review meeting. Without a command it opens\n"
		"this week's meeting (or week W's with --week W).\n"
		"\n"
		"Commands:\n", cli_synopsis);
	for (size_t i = 0; i < cli_n_commands; i++)
		fprintf(out, "  %-10s %s\n", cli_commands[i].name, cli_commands[i].summary);
	fprintf(out, "\nOptions:\n%s\nSee furikaeri(1) and furikaeri(5).\n", cli_global_options);
}

static int finish(const struct cli *cli, int status);

/* FURIKAERI_TODAY, when set, must be a date: a mistyped one silently
 * ignored would put every command in the wrong week. */
static bool
check_today(void)
{
	const char *env = getenv("FURIKAERI_TODAY");
	long day;

	if (env == NULL || env[0] == '\0' || (strlen(env) == 10 && week_date_parse(env, &day)))
		return true;
	fprintf(stderr, "furikaeri: FURIKAERI_TODAY=%s is not a date; write it as YYYY-MM-DD "
		"(2026-12-01), or unset it to use today\n", env);
	return false;
}

/* -v logs to $FURIKAERI_LOG, else furikaeri.log beside the database;
 * FURIKAERI_LOG alone also turns the log on. Secrets are redacted. */
static int
start_log(const struct cli *cli)
{
	char *err = NULL, *path = NULL;
	const char *env = getenv("FURIKAERI_LOG");
	int rc;

	if (cli->verbose == 0 || (env != NULL && env[0] != '\0')) {
		rc = log_open_from_env(&err);
	} else {
		char *db = cli->db_path != NULL ? xstrdup(cli->db_path) : paths_default_db(&err);
		if (db == NULL) {
			fprintf(stderr, "furikaeri: %s\n", err);
			free(err);
			return -1;
		}
		char *slash = strrchr(db, '/');
		path = slash != NULL ? xasprintf("%.*s/furikaeri.log", (int)(slash - db), db)
				     : xstrdup("furikaeri.log");
		free(db);
		rc = paths_make_parent(path, &err) < 0 ? -1 : log_open(path, &err);
	}
	if (rc < 0) {
		fprintf(stderr, "furikaeri: %s\n", err);
		free(err);
	}
	free(path);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option options[] = {
		{ .name = "db", .has_arg = required_argument, .val = 'd' },
		{ .name = "config", .has_arg = required_argument, .val = 'c' },
		{ .name = "verbose", .has_arg = no_argument, .val = 'v' },
		{ .name = "help", .has_arg = no_argument, .val = 'h' },
		{ .name = "version", .has_arg = no_argument, .val = 'V' },
		{ .name = "week", .has_arg = required_argument, .val = 'w' },
		{ 0 },
	};
	struct cli cli = { .prog = "furikaeri" };
	const char *week = NULL;
	int c;

	setlocale(LC_ALL, "");
	xalloc_set_hook(ui_emergency_restore);
	/* getopt names the program by argv[0]: "furikaeri", never the full path */
	argv[0] = (char *)"furikaeri";
	/* '+': stop at the command so that its own options stay its own */
	while ((c = getopt_long(argc, argv, "+vhV", options, NULL)) != -1) {
		switch (c) {
		case 'd':
			cli.db_path = optarg;
			break;
		case 'c':
			cli.config_path = optarg;
			break;
		case 'v':
			cli.verbose++;
			break;
		case 'w':
			week = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("furikaeri %s\n", PACKAGE_VERSION);
			return EXIT_OK;
		default:
			fputs("usage: furikaeri [--db PATH] [--config PATH] [-v] "
			      "[COMMAND [ARGS] | --week YYYY-Www]\nsee 'furikaeri --help'\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (!check_today())
		return EXIT_CONFIG;
	if (start_log(&cli) < 0)
		return EXIT_CONFIG;
	if (week != NULL && optind < argc) {
		fprintf(stderr, "furikaeri: --week before a command opens that week's meeting; "
			"give a command its own --week after its name (furikaeri %s --week %s)\n",
			argv[optind], week);
		return EXIT_USAGE;
	}
	if (optind >= argc) {
		/* no command: this week's meeting, or --week's */
		optind = 0;
		char *none[] = { "meeting", "--week", (char *)week, NULL };
		return finish(&cli, cmd_meeting(&cli, week != NULL ? 3 : 1, none));
	}
	const char *name = argv[optind];
	if (strcmp(name, "help") == 0 && optind + 1 < argc &&
	    strcmp(argv[optind + 1], "--roff-keys") == 0) {
		cli_print_keys_roff(stdout);
		return EXIT_OK;
	}
	if (strcmp(name, "help") == 0) {
		if (optind + 1 >= argc) {
			usage(stdout);
			return EXIT_OK;
		}
		const struct cli_command *cmd = cli_find(argv[optind + 1]);
		if (cmd == NULL || optind + 2 < argc) {
			fprintf(stderr, cmd == NULL ? "furikaeri: '%s' is not a command; see "
				"'furikaeri --help' for the list\n" : "furikaeri: help takes one "
				"command, as in 'furikaeri help %s'\n", argv[optind + 1]);
			return EXIT_USAGE;
		}
		cli_usage(cmd, true);
		return EXIT_OK;
	}
	const struct cli_command *cmd = cli_find(name);
	if (cmd == NULL) {
		fprintf(stderr, "furikaeri: '%s' is not a command; see 'furikaeri --help'\n", name);
		return EXIT_USAGE;
	}
	argc -= optind;
	argv += optind;
	optind = 0;	/* glibc: 0 re-initialises getopt for the command's own options */
	/* the command's option errors read "furikaeri NAME: ..." */
	char *named = xasprintf("furikaeri %s", cmd->name);
	argv[0] = named;
	int status = finish(&cli, cmd->run(&cli, argc, argv));
	free(named);
	return status;
}

/* The exit status of a command, from what it met on the way. */
static int
finish(const struct cli *cli, int status)
{
	/* A config that could not be used is EXIT_CONFIG, and a store that
	 * could not be used EXIT_STORE, whichever command met it. */
	if (status != EXIT_OK && status != EXIT_USAGE && cli->config_failed)
		status = EXIT_CONFIG;
	else if ((status == EXIT_FAILED || status == EXIT_STORE) && store_unusable())
		status = EXIT_STORE;
	return status;
}
