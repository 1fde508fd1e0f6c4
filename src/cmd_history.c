#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "furikaeri/cli.h"
#include "furikaeri/store_meeting.h"
#include "furikaeri/table.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"

int
cmd_history(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ .name = "person", .has_arg = required_argument, .val = 'p' },
		{ .name = "help", .has_arg = no_argument, .val = 'h' },
		{ 0 },
	};
	const struct cli_command *cmd = cli_find("history");
	const char *person = NULL;
	struct store_history hist;
	struct store *st;
	char *err = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'p':
			person = optarg;
			break;
		default:
			return cli_option_end(cmd, c);
		}
	}
	if (!cli_no_operands("history", argc, argv, optind))
		return EXIT_USAGE;
	if ((st = cli_open_store(cli)) == NULL)
		return EXIT_STORE;
	if (store_history_list(st, person, &hist, &err) < 0) {
		cli_error("history", "%s", err);
		free(err);
		store_free(st);
		return EXIT_STORE;
	}
	struct table *t = table_new(3, 2);
	for (size_t i = 0; i < hist.n; i++) {
		const struct store_history_row *r = &hist.rows[i];
		char *backup = r->backup != NULL ? xasprintf("backup %s", r->backup) : NULL;
		table_cell(t, r->week);
		table_cell(t, r->facilitator != NULL ? r->facilitator : "(not recorded)");
		table_cell(t, backup != NULL ? backup : "");
		free(backup);
	}
	table_print(t, stdout);
	table_free(t);
	if (hist.n == 0 && person == NULL)
		fprintf(stderr, "furikaeri history: no meetings recorded yet; 'furikaeri' opens "
			"this week's\n");
	if (hist.n == 0 && person != NULL) {
		char *safe = text_sanitize(person, false);
		fprintf(stderr, "furikaeri history: %s has not facilitated or backed up a "
			"meeting yet\n", safe);
		free(safe);
	}
	store_history_free(&hist);
	store_free(st);
	return EXIT_OK;
}
