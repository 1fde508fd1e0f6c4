#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "furikaeri/cli.h"
#include "furikaeri/export_json.h"
#include "furikaeri/strbuf.h"

int
cmd_search(struct cli *cli, int argc, char **argv)
{
	bool json = false;
	int status, first = cli_parse_simple("search", argc, argv, &json, &status);
	struct store_rows rows = { 0 };
	struct strbuf query = STRBUF_INIT;
	struct store *st;
	char *err = NULL;

	if (first < 0)
		return status;
	if (first >= argc) {
		cli_error("search", "give the words to search for, e.g. furikaeri search timeout");
		return EXIT_USAGE;
	}
	/* several operands form one query, as if quoted together */
	for (int i = first; i < argc; i++) {
		if (i > first)
			strbuf_addc(&query, ' ');
		strbuf_adds(&query, argv[i]);
	}
	if ((st = cli_open_store(cli)) == NULL) {
		strbuf_release(&query);
		return EXIT_STORE;
	}
	status = EXIT_OK;
	if (store_search(st, strbuf_str(&query), 50, &rows, &err) < 0) {
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
	}
	store_rows_free(&rows);
	store_free(st);
	strbuf_release(&query);
	return status;
}
