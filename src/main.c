#include "config.h"

#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/cli.h"
#include "furikaeri/log.h"
#include "furikaeri/paths.h"
#include "furikaeri/store.h"
#include "furikaeri/ui.h"
#include "furikaeri/xalloc.h"

static void
usage(FILE *out, const char *prog)
{
	fprintf(out,
		"usage: %s [--db PATH] [--config PATH] [-v] COMMAND [ARGS]\n"
		"\n"
		"Runs a team's weekly postmortem review meeting.\n"
		"\n"
		"Commands:\n", prog);
	for (size_t i = 0; i < cli_n_commands; i++)
		fprintf(out, "  %-8s %s\n", cli_commands[i].name, cli_commands[i].summary);
	fprintf(out,
		"\n"
		"Options:\n"
		"  --db PATH       the database (default $FURIKAERI_DB, else\n"
		"                  $XDG_DATA_HOME/furikaeri/furikaeri.db)\n"
		"  --config PATH   the config file (default $XDG_CONFIG_HOME/furikaeri/config.ini)\n"
		"  -v, --verbose   log requests (tokens redacted) to $FURIKAERI_LOG, else to\n"
		"                  furikaeri.log beside the database\n"
		"  -h, --help      show this help; COMMAND --help shows a command's\n"
		"  -V, --version   show the version\n"
		"\n"
		"See furikaeri(1) and furikaeri(5).\n");
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
		{ 0 },
	};
	struct cli cli = { .prog = "furikaeri" };
	int c;

	setlocale(LC_ALL, "");
	xalloc_set_hook(ui_emergency_restore);
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
		case 'h':
			usage(stdout, cli.prog);
			return EXIT_OK;
		case 'V':
			printf("furikaeri %s\n", PACKAGE_VERSION);
			return EXIT_OK;
		default:
			usage(stderr, cli.prog);
			return EXIT_USAGE;
		}
	}
	if (start_log(&cli) < 0)
		return EXIT_CONFIG;
	if (optind >= argc) {
		/* no command: this week's meeting */
		optind = 0;
		char *none[] = { "meeting", NULL };
		return cmd_meeting(&cli, 1, none);
	}
	const char *name = argv[optind];
	if (strcmp(name, "help") == 0 && optind + 1 < argc &&
	    strcmp(argv[optind + 1], "--roff-keys") == 0) {
		cli_print_keys_roff(stdout);
		return EXIT_OK;
	}
	if (strcmp(name, "help") == 0) {
		const struct cli_command *cmd = optind + 1 < argc ? cli_find(argv[optind + 1]) : NULL;
		if (cmd != NULL)
			cli_usage(cmd, true);
		else
			usage(stdout, cli.prog);
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
	int status = cmd->run(&cli, argc, argv);

	/* A config that could not be used is EXIT_CONFIG, and a store that
	 * could not be used EXIT_STORE, whichever command met it. */
	if (status != EXIT_OK && status != EXIT_USAGE && cli.config_failed)
		status = EXIT_CONFIG;
	else if ((status == EXIT_FAILED || status == EXIT_STORE) && store_unusable())
		status = EXIT_STORE;
	return status;
}
