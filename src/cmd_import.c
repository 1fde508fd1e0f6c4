#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "furikaeri/cli.h"
#include "furikaeri/importer.h"

static void
print_error(const char *message, void *ctx)
{
	(void)ctx;
	fprintf(stderr, "furikaeri import: %s\n", message);
}

int
cmd_import(struct cli *cli, int argc, char **argv)
{
	struct importer_options opt = { .on_error = print_error };
	struct importer_counts counts;
	struct headings *h;
	struct store *st;
	int status, first;

	if (cmd_import_wants_sources(argc, argv))
		return cmd_import_sources(cli, argc, argv);
	first = cli_parse_simple("import", argc, argv, NULL, &status);
	if (first < 0)
		return status;
	if (first >= argc) {
		cli_error("import", "give at least one file or folder to import");
		cli_usage(cli_find("import"), false);
		return EXIT_USAGE;
	}
	if ((h = cli_load_headings()) == NULL)
		return EXIT_CONFIG;
	if ((st = cli_open_store(cli)) == NULL) {
		headings_free(h);
		return EXIT_STORE;
	}
	importer_run(st, h, argv + first, (size_t)(argc - first), &opt, &counts);
	printf("added %zu, updated %zu, unchanged %zu, failed %zu\n",
	       counts.added, counts.updated, counts.unchanged, counts.failed);
	store_free(st);
	headings_free(h);
	return counts.failed > 0 ? EXIT_FAILED : EXIT_OK;
}
