#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/cli.h"
#include "furikaeri/export_json.h"
#include "furikaeri/week.h"

int
cmd_list(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ .name = "week", .has_arg = required_argument, .val = 'w' },
		{ .name = "since", .has_arg = required_argument, .val = 's' },
		{ .name = "json", .has_arg = no_argument, .val = 'j' },
		{ .name = "templates", .has_arg = no_argument, .val = 't' },
		{ .name = "help", .has_arg = no_argument, .val = 'h' },
		{ 0 },
	};
	const struct cli_command *cmd = cli_find("list");
	struct store_filter filter = { 0 };
	struct store_rows rows = { 0 };
	char monday[WEEK_DATE_STRLEN], sunday[WEEK_DATE_STRLEN];
	struct week w;
	long day;
	const char *week = NULL;
	bool json = false;
	struct store *st;
	char *err = NULL;
	int c, status;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'w':
			week = optarg;
			break;
		case 's':
			filter.since = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 't':
			filter.templates = true;
			break;
		default:
			return cli_option_end(cmd, c);
		}
	}
	if (!cli_no_operands("list", argc, argv, optind))
		return EXIT_USAGE;
	if (week != NULL && filter.since != NULL) {
		cli_error("list", "give --week or --since, not both");
		return EXIT_USAGE;
	}
	if (week != NULL) {
		if (!week_parse(week, &w)) {
			cli_error("list", "'%s' is not an ISO week; write it as YYYY-Www, "
				  "e.g. 2026-W49", week);
			return EXIT_USAGE;
		}
		week_date_format(week_monday(w), monday);
		week_date_format(week_monday(w) + 6, sunday);
		filter.since = monday;
		filter.until = sunday;
	}
	if (filter.since != NULL && !week_date_parse(filter.since, &day)) {
		cli_error("list", "'%s' is not a date; write it as YYYY-MM-DD", filter.since);
		return EXIT_USAGE;
	}
	if ((st = cli_open_store(cli)) == NULL)
		return EXIT_STORE;
	status = EXIT_OK;
	if (store_postmortem_list(st, &filter, &rows, &err) < 0) {
		cli_error("list", "%s", err);
		free(err);
		status = EXIT_STORE;
	} else if (json) {
		char *out = export_json_rows(&rows, false);
		fputs(out, stdout);
		free(out);
	} else {
		cli_print_rows(&rows, false);
	}
	if (status == EXIT_OK && rows.n == 0) {
		if (week != NULL)
			cli_error("list", "no postmortems in %s", week);
		else if (filter.since != NULL)
			cli_error("list", "no postmortems since %s", filter.since);
		else if (filter.templates)
			cli_error("list", "no templates indexed; 'furikaeri list' without "
				  "--templates shows the postmortems");
		else
			cli_error("list", "no postmortems yet; index some with 'furikaeri import "
				  "PATH'");
	}
	store_rows_free(&rows);
	store_free(st);
	return status;
}
