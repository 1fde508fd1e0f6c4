#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/cli.h"
#include "furikaeri/config.h"
#include "furikaeri/import.h"
#include "furikaeri/importer.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"

struct import_run {
	struct cli *cli;
	bool check, json;
	struct strbuf out;	/* --check --json: the objects so far */
	size_t n_out;
};

static void
print_error(const char *message, void *ctx)
{
	(void)ctx;
	fprintf(stderr, "furikaeri import: %s\n", message);
}

static void
print_warning(const char *message, void *ctx)
{
	struct import_run *r = ctx;

	if (!(r->check && r->json))
		fprintf(stderr, "furikaeri import: %s\n", message);
}

static void
json_add(struct import_run *r, char *object)
{
	strbuf_adds(&r->out, r->n_out++ > 0 ? ",\n  " : "[\n  ");
	strbuf_adds(&r->out, object);
	free(object);
}

static void
print_note(const char *path, const char *why, bool skipped, void *ctx)
{
	struct import_run *r = ctx;

	if (r->check && r->json) {
		if (skipped)
			json_add(r, import_json_check_note(path, why));
	} else if (r->check || r->cli->verbose > 0)
		fprintf(r->check ? stdout : stderr, "%s%s: %s\n", r->check ? "" : "furikaeri import: ",
			path, why);
}

static void
put_field(const char *name, const char *value)
{
	if (value == NULL || value[0] == '\0')
		return;
	char *clean = text_sanitize(value, false);
	printf("  %-10s %s\n", name, clean);
	free(clean);
}

/* --check: what the import read from one file, for a person. */
static void
print_parsed(const char *path, const struct postmortem *pm, void *ctx)
{
	struct import_run *r = ctx;

	if (r->json) {
		json_add(r, import_json_check(path, pm));
		return;
	}
	printf("%s\n", path);
	put_field("id", pm->id);
	put_field("title", pm->title);
	if (pm->date != NULL)
		printf("  %-10s %s%s%s%s%s (from the %s)\n", "date", pm->date, pm->time ? " " : "",
		       pm->time ? pm->time : "", pm->tz ? " " : "", pm->tz ? pm->tz : "",
		       pm->date_from != NULL ? pm->date_from : "file");
	else
		printf("  %-10s none: on no agenda until it has one\n", "date");
	put_field("severity", pm->severity);
	put_field("status", pm->status);
	if (pm->is_template)
		printf("  %-10s template (%s): on no agenda\n", "kind", pm->template_why);
	else if (pm->not_ready)
		printf("  %-10s not ready (draft or its status): on no agenda\n", "kind");
	if (pm->n_authors > 0) {
		printf("  %-10s", "authors");
		for (size_t i = 0; i < pm->n_authors; i++)
			printf("%s %s", i > 0 ? "," : "", pm->authors[i]);
		printf("\n");
	}
	printf("  %-10s", "sections");
	for (size_t i = 0; i < pm->n_sections; i++)
		printf("%s %s", i > 0 ? "," : "", pm->sections[i].key);
	printf("%s\n", pm->n_sections == 0 ? " none" : "");
	for (size_t i = 0; i < pm->n_measures; i++) {
		const struct measure *m = &pm->measures[i];
		char *title = text_sanitize(m->title, false);
		printf("  %-10s %s [%s", m->status == MEASURE_NOT_DOING ? "not doing" : "measure", title,
		       measure_status_name(m->status));
		if (m->owner != NULL)
			printf(", owner %s", m->owner);
		if (m->due != NULL)
			printf(", due %s", m->due);
		if (m->ticket != NULL)
			printf(", ticket %s", m->ticket);
		printf("]\n");
		free(title);
	}
	for (size_t i = 0; i < pm->n_warnings; i++)
		put_field("warning", pm->warnings[i]);
}

int
cmd_import(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ .name = "check", .has_arg = no_argument, .val = 'c' },
		{ .name = "json", .has_arg = no_argument, .val = 'j' },
		{ .name = "replace", .has_arg = no_argument, .val = 'r' },
		{ .name = "help", .has_arg = no_argument, .val = 'h' },
		{ 0 },
	};
	const struct cli_command *cmd = cli_find("import");
	struct import_run run = { .cli = cli, .out = STRBUF_INIT };
	struct importer_options opt = {
		.on_error = print_error, .on_warning = print_warning, .on_note = print_note,
		.on_parsed = print_parsed, .ctx = &run,
	};
	struct importer_counts counts;
	struct headings *h;
	struct config *cfg;
	struct store *st;
	int c;

	/* github:OWNER/REPO, 'jira:JQL' or no argument: src/cmd_import_source.c */
	if (cmd_import_wants_sources(argc, argv))
		return cmd_import_sources(cli, argc, argv);

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'c':
			run.check = true;
			break;
		case 'j':
			run.json = true;
			break;
		case 'r':
			opt.replace_minutes = true;
			break;
		default:
			return cli_option_end(cmd, c);
		}
	}
	if (optind >= argc) {
		cli_error("import", "give at least one file or folder to import");
		cli_usage(cmd, false);
		return EXIT_USAGE;
	}
	if (run.json && !run.check) {
		cli_error("import", "--json goes with --check (what each file reads as)");
		return EXIT_USAGE;
	}
	if ((cfg = cli_load_config(cli)) == NULL)
		return EXIT_CONFIG;
	if ((h = cli_load_headings()) == NULL) {
		config_free(cfg);
		return EXIT_CONFIG;
	}
	/* --check reads files only: no database is opened or created */
	if (!run.check && (st = cli_open_store(cli)) == NULL) {
		headings_free(h);
		config_free(cfg);
		return EXIT_STORE;
	}
	if (run.check)
		st = NULL;
	opt.check = run.check;
	char *root = cfg->postmortems_root != NULL ? realpath(cfg->postmortems_root, NULL) : NULL;
	if (cfg->postmortems_root != NULL && root == NULL)
		fprintf(stderr, "furikaeri import: [postmortems] root = %s: no such folder; sources "
			"are stored relative to their git work tree instead\n", cfg->postmortems_root);
	opt.archive_root = root;
	opt.parse.date_order = (enum date_order)cfg->date_order;
	opt.parse.jira_projects = cfg->jira_projects.items;
	opt.parse.n_jira_projects = cfg->jira_projects.n;
	importer_run(st, h, argv + optind, (size_t)(argc - optind), &opt, &counts);
	if (run.check && run.json) {
		fputs(run.n_out > 0 ? strbuf_str(&run.out) : "[", stdout);
		fputs(run.n_out > 0 ? "\n]\n" : "]\n", stdout);
	} else if (!run.check) {
		printf("added %zu, updated %zu, unchanged %zu, failed %zu",
		       counts.added, counts.updated, counts.unchanged, counts.failed);
		if (counts.templates > 0)
			printf(", skipped %zu (%zu template%s)", counts.skipped + counts.templates,
			       counts.templates, counts.templates == 1 ? "" : "s");
		else if (counts.skipped > 0)
			printf(", skipped %zu", counts.skipped);
		if (counts.retired > 0)
			printf(", retired %zu", counts.retired);
		printf("\n");
		if (counts.undated > 0)
			fprintf(stderr, "furikaeri import: %zu postmortem%s without a date stay%s off "
				"every agenda until %s one (named above)\n", counts.undated,
				counts.undated == 1 ? "" : "s", counts.undated == 1 ? "s" : "",
				counts.undated == 1 ? "it has" : "they have");
	}
	strbuf_release(&run.out);
	free(root);
	store_free(st);
	headings_free(h);
	config_free(cfg);
	return counts.failed > 0 ? EXIT_FAILED : EXIT_OK;
}
