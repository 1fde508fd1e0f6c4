#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "furikaeri/cli.h"
#include "furikaeri/importer.h"
#include "furikaeri/source.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"

/* `furikaeri import github:OWNER/REPO | 'jira:JQL' | gdocs:FOLDER_ID`, and a plain
 * `furikaeri import` that refreshes every [sources] entry. */

bool
cmd_import_wants_sources(int argc, char **argv)
{
	bool operand = false;

	for (int i = 1; i < argc; i++) {
		if (source_is_spec(argv[i]) || strcmp(argv[i], "--full") == 0 ||
		    strncmp(argv[i], "--label", 7) == 0 || strncmp(argv[i], "--state", 7) == 0)
			return true;
		if (argv[i][0] != '-')
			operand = true;
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return false;
	}
	return !operand;
}

static void
print_error(const char *message, void *ctx)
{
	(void)ctx;
	char *clean = text_sanitize(message, false);
	fprintf(stderr, "furikaeri import: %s\n", clean);
	free(clean);
}

static void
print_gone(const char *id, const char *why, void *ctx)
{
	(void)ctx;
	char *clean = text_sanitize(why, false);
	fprintf(stderr, "furikaeri import: %s: %s\n", id, clean);
	free(clean);
}

/* How one issue reads, for --check: one line, then what it lacks. */
static void
print_read(const struct postmortem *pm, void *ctx)
{
	(void)ctx;
	char *title = text_sanitize(pm->title, false);
	printf("%s  %s  %s  %s  %s  (%zu sections, %zu measures)\n", pm->id,
	       pm->date ? pm->date : "-", pm->severity ? pm->severity : "-",
	       pm->status ? pm->status : "-", title, pm->n_sections, pm->n_measures);
	free(title);
	if (pm->severity == NULL)
		printf("  no severity: add a label such as sev2, or a Severity field\n");
	if (pm->n_sections == 0)
		printf("  no sections: the description has no headings the import knows\n");
}

static long
ms_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000 + (b->tv_nsec - a->tv_nsec) / 1000000;
}

int
cmd_import_sources(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ .name = "label", .has_arg = required_argument, .val = 'l' },
		{ .name = "state", .has_arg = required_argument, .val = 's' },
		{ .name = "full", .has_arg = no_argument, .val = 'f' },
		{ .name = "check", .has_arg = no_argument, .val = 'c' },
		{ .name = "help", .has_arg = no_argument, .val = 'h' },
		{ 0 },
	};
	const struct cli_command *cmd = cli_find("import");
	const char *label = NULL, *state = NULL;
	struct source_options so = { .on_error = print_error, .on_gone = print_gone };
	struct importer_counts total = { 0 };
	struct config *cfg = NULL;
	struct headings *h = NULL;
	struct store *st = NULL;
	char **specs = NULL, **paths = NULL;
	size_t n_specs = 0, n_paths = 0;
	int c, status = EXIT_OK;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'l':
			label = optarg;
			break;
		case 's':
			state = optarg;
			break;
		case 'f':
			so.full = true;
			break;
		case 'c':
			so.check = true;
			so.on_read = print_read;
			break;
		default:
			return cli_option_end(cmd, c);
		}
	}
	if ((cfg = cli_load_config(cli)) == NULL)
		return EXIT_CONFIG;
	for (int i = optind; i < argc; i++) {
		if (source_is_spec(argv[i])) {
			specs = xreallocarray(specs, n_specs + 1, sizeof(char *));
			specs[n_specs++] = argv[i];
		} else {
			paths = xreallocarray(paths, n_paths + 1, sizeof(char *));
			paths[n_paths++] = argv[i];
		}
	}
	if (optind >= argc) {
		for (size_t i = 0; i < cfg->sources.n; i++) {
			specs = xreallocarray(specs, n_specs + 1, sizeof(char *));
			specs[n_specs++] = cfg->sources.items[i];
		}
		if (n_specs == 0) {
			cli_error("import", "give at least one file, folder, github:OWNER/REPO, "
				  "'jira:JQL' or gdocs:FOLDER_ID to import, or name sources in "
				  "[sources] of the config");
			cli_usage(cmd, false);
			status = EXIT_USAGE;
			goto done;
		}
	}
	if ((h = cli_load_headings(cfg)) == NULL) {
		status = EXIT_CONFIG;
		goto done;
	}
	if ((st = cli_open_store(cli)) == NULL) {
		status = EXIT_STORE;
		goto done;
	}
	if (n_paths > 0 && so.check) {
		cli_error("import", "--check with tracker sources takes no paths; check the files "
			  "in a run of their own");
		status = EXIT_USAGE;
		goto done;
	}
	if (n_paths > 0) {
		/* the files as a plain import reads them */
		char *root = cfg->postmortems_root != NULL ? realpath(cfg->postmortems_root, NULL)
							   : NULL;
		struct importer_options opt = {
			.on_error = print_error,
			.archive_root = root,
			.parse = {
				.date_order = (enum date_order)cfg->date_order,
				.jira_projects = cfg->jira_projects.items,
				.n_jira_projects = cfg->jira_projects.n,
			},
		};
		importer_run(st, h, paths, n_paths, &opt, &total);
		free(root);
	}
	for (size_t i = 0; i < n_specs; i++) {
		struct source_spec spec;
		struct source_counts counts;
		struct timespec t0, t1;
		char *err = NULL;

		if (source_spec_parse(specs[i], label, state, &spec, &err) < 0) {
			cli_error("import", "%s", err);
			free(err);
			status = EXIT_USAGE;
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &t0);
		int rc = source_import(st, cfg, h, &spec, &so, &counts, &err);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (rc < 0) {
			print_error(err, NULL);
			free(err);
			if (status == EXIT_OK)
				status = EXIT_TRACKER;
		}
		if (so.check)
			fprintf(stderr, "furikaeri import: %s: read %zu, failed %zu, gone %zu, "
				"waiting %zu; %zu requests in %ld ms", spec.text, counts.unchanged,
				counts.failed, counts.gone, counts.waiting, counts.requests,
				ms_between(&t0, &t1));
		else
			fprintf(stderr, "furikaeri import: %s: added %zu, updated %zu, unchanged "
				"%zu, failed %zu, gone %zu, waiting %zu; %zu requests in %ld ms",
				spec.text, counts.added, counts.updated, counts.unchanged,
				counts.failed, counts.gone, counts.waiting, counts.requests,
				ms_between(&t0, &t1));
		if (counts.ratelimit_remaining >= 0)
			fprintf(stderr, ", %ld left in the rate limit", counts.ratelimit_remaining);
		fputc('\n', stderr);
		total.added += counts.added;
		total.updated += counts.updated;
		total.unchanged += counts.unchanged;
		total.failed += counts.failed;
		source_spec_release(&spec);
	}
	if (so.check)
		printf("read %zu, failed %zu; nothing was changed\n", total.unchanged, total.failed);
	else
		printf("added %zu, updated %zu, unchanged %zu, failed %zu\n", total.added,
		       total.updated, total.unchanged, total.failed);
	if (status == EXIT_OK && total.failed > 0)
		status = EXIT_FAILED;
done:
	free(specs);
	free(paths);
	store_free(st);
	headings_free(h);
	config_free(cfg);
	return status;
}
