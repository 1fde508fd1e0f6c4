#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "furikaeri/cli.h"
#include "furikaeri/export_json.h"
#include "furikaeri/strbuf.h"

/* The best matches shown when --limit is not given: a page, as search
 * engines count one, and at two lines a match one screen of a terminal. */
#define SEARCH_LIMIT 10

int
cmd_search(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ .name = "limit", .has_arg = required_argument, .val = 'n' },
		{ .name = "json", .has_arg = no_argument, .val = 'j' },
		{ .name = "help", .has_arg = no_argument, .val = 'h' },
		{ 0 },
	};
	const struct cli_command *cmd = cli_find("search");
	struct store_rows rows = { 0 };
	struct strbuf query = STRBUF_INIT;
	size_t limit = SEARCH_LIMIT;
	bool json = false;
	struct store *st;
	char *err = NULL, *end;
	int c, status;

	while ((c = getopt_long(argc, argv, "hn:", options, NULL)) != -1) {
		switch (c) {
		case 'n': {
			errno = 0;
			unsigned long long n = strtoull(optarg, &end, 10);
			if (errno != 0 || end == optarg || *end != '\0' || optarg[0] == '-' ||
			    n > 1000000) {
				cli_error("search", "--limit takes a number of matches from 0 (all) "
					  "to 1000000, not '%s'", optarg);
				return EXIT_USAGE;
			}
			limit = (size_t)n;	/* 0: all, as store_search reads it */
			break;
		}
		case 'j':
			json = true;
			break;
		default:
			return cli_option_end(cmd, c);
		}
	}
	if (optind >= argc) {
		cli_error("search", "give the words to search for, e.g. furikaeri search timeout");
		return EXIT_USAGE;
	}
	/* several operands form one query, as if quoted together */
	for (int i = optind; i < argc; i++) {
		if (i > optind)
			strbuf_addc(&query, ' ');
		strbuf_adds(&query, argv[i]);
	}
	if ((st = cli_open_store(cli)) == NULL) {
		strbuf_release(&query);
		return EXIT_STORE;
	}
	status = EXIT_OK;
	if (store_search(st, strbuf_str(&query), limit, &rows, &err) < 0) {
		cli_error("search", "%s", err);
		free(err);
		status = EXIT_FAILED;
	} else if (json) {
		char *out = export_json_rows(&rows, true);
		fputs(out, stdout);
		free(out);
	} else {
		cli_print_rows(&rows, true);
		if (rows.n == 0)
			fprintf(stderr, "furikaeri search: nothing matches\n");
		else if (rows.total > rows.n)
			fprintf(stderr, "furikaeri search: the best %zu of %zu matches; "
				"--limit N shows more (0: all)\n", rows.n, rows.total);
	}
	store_rows_free(&rows);
	store_free(st);
	strbuf_release(&query);
	return status;
}
