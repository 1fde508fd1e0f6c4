#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/cli.h"
#include "furikaeri/config.h"
#include "furikaeri/headings.h"
#include "furikaeri/import.h"
#include "furikaeri/importer.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"

/* A heading no list knows, across the files --check read. */
struct unknown_heading {
	char *norm;		/* as headings_normalise() leaves it: the group */
	char *heading;		/* as first written */
	char *example;		/* the first file it was in */
	size_t files;
	size_t last_file;	/* the number of the last file counted, from 1 */
};

struct import_run {
	struct cli *cli;
	bool check, json;
	struct strbuf out;	/* --check --json: the objects so far */
	size_t n_out;
	const struct headings *headings;
	struct unknown_heading *unknown;
	size_t n_unknown;
	size_t n_files;		/* the files --check has read */
};

/* Counts the file's sections that no heading list (nor [headings]) knows. */
static void
count_unknown(struct import_run *r, const char *path, const struct postmortem *pm)
{
	r->n_files++;
	for (size_t i = 0; i < pm->n_sections; i++) {
		const char *heading = pm->sections[i].heading;
		size_t k;

		if (heading == NULL || headings_match(r->headings, heading) != NULL)
			continue;
		char *norm = headings_normalise(heading);
		for (k = 0; k < r->n_unknown && strcmp(r->unknown[k].norm, norm) != 0; k++)
			;
		if (k == r->n_unknown) {
			r->unknown = xreallocarray(r->unknown, r->n_unknown + 1, sizeof(*r->unknown));
			r->unknown[r->n_unknown++] = (struct unknown_heading){
				.norm = norm, .heading = xstrdup(heading), .example = xstrdup(path),
			};
		} else {
			free(norm);
		}
		/* a file counts once per heading, however often it repeats it */
		if (r->unknown[k].last_file != r->n_files) {
			r->unknown[k].last_file = r->n_files;
			r->unknown[k].files++;
		}
	}
}

static int
most_files_first(const void *a, const void *b)
{
	const struct unknown_heading *x = a, *y = b;

	if (x->files != y->files)
		return x->files < y->files ? 1 : -1;
	return strcmp(x->norm, y->norm);
}

static void say(FILE *to, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The end of --check: what the team could map, most files first. */
static void
print_unknown(struct import_run *r)
{
	if (r->n_unknown == 0)
		return;
	qsort(r->unknown, r->n_unknown, sizeof(*r->unknown), most_files_first);
	say(stdout, "headings no list knows (map one in the config: [headings] measures = "
	    "HEADING):");
	for (size_t k = 0; k < r->n_unknown; k++)
		say(stdout, "  %s: %zu file%s (%s)", r->unknown[k].heading, r->unknown[k].files,
		    r->unknown[k].files == 1 ? "" : "s", r->unknown[k].example);
}

static void
unknown_free(struct import_run *r)
{
	for (size_t k = 0; k < r->n_unknown; k++) {
		free(r->unknown[k].norm);
		free(r->unknown[k].heading);
		free(r->unknown[k].example);
	}
	free(r->unknown);
}

/* Prints one line with everything in it made safe for a terminal: every
 * value comes from a file, an escape sequence in a name or a path too. */
static void __attribute__((format(printf, 2, 3)))
say(FILE *to, const char *fmt, ...)
{
	va_list ap;
	char *raw, *clean;

	va_start(ap, fmt);
	raw = xvasprintf(fmt, ap);
	va_end(ap);
	clean = text_sanitize(raw, false);
	fprintf(to, "%s\n", clean);
	free(clean);
	free(raw);
}

static void
print_error(const char *message, void *ctx)
{
	(void)ctx;
	say(stderr, "furikaeri import: %s", message);
}

static void
print_warning(const char *message, void *ctx)
{
	struct import_run *r = ctx;

	if (!(r->check && r->json))
		say(stderr, "furikaeri import: %s", message);
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
		say(r->check ? stdout : stderr, "%s%s: %s", r->check ? "" : "furikaeri import: ",
		    path, why);
}

static void
put_field(const char *name, const char *value)
{
	if (value != NULL && value[0] != '\0')
		say(stdout, "  %-10s %s", name, value);
}

/* "a, b, c" (owned). */
static char *
joined(char *const *items, size_t n)
{
	struct strbuf b = STRBUF_INIT;

	for (size_t i = 0; i < n; i++) {
		strbuf_adds(&b, i > 0 ? ", " : "");
		strbuf_adds(&b, items[i]);
	}
	return strbuf_detach(&b);
}

static void
print_measure(const struct measure *m)
{
	say(stdout, "  %-10s %s [%s%s%s%s%s%s%s]",
	    m->status == MEASURE_NOT_DOING ? "not doing" : "measure", m->title,
	    measure_status_name(m->status), m->owner ? ", owner " : "", m->owner ? m->owner : "",
	    m->due ? ", due " : "", m->due ? m->due : "", m->ticket ? ", ticket " : "",
	    m->ticket ? m->ticket : "");
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
	count_unknown(r, path, pm);
	say(stdout, "%s", path);
	put_field("id", pm->id);
	put_field("title", pm->title);
	if (pm->date != NULL)
		say(stdout, "  %-10s %s%s%s%s%s (from the %s)", "date", pm->date, pm->time ? " " : "",
		    pm->time ? pm->time : "", pm->tz ? " " : "", pm->tz ? pm->tz : "",
		    pm->date_from != NULL ? pm->date_from : "file");
	else
		say(stdout, "  %-10s none: on no agenda until it has one", "date");
	put_field("severity", pm->severity);
	put_field("status", pm->status);
	if (pm->is_template)
		say(stdout, "  %-10s template (%s): on no agenda", "kind", pm->template_why);
	else if (pm->not_ready)
		say(stdout, "  %-10s not ready (draft or its status): on no agenda", "kind");
	char *authors = joined(pm->authors, pm->n_authors);
	put_field("authors", authors);
	free(authors);
	struct strbuf keys = STRBUF_INIT;
	for (size_t i = 0; i < pm->n_sections; i++) {
		strbuf_adds(&keys, i > 0 ? ", " : "");
		strbuf_adds(&keys, pm->sections[i].key);
	}
	say(stdout, "  %-10s %s", "sections", pm->n_sections == 0 ? "none" : strbuf_str(&keys));
	strbuf_release(&keys);
	for (size_t i = 0; i < pm->n_measures; i++)
		print_measure(&pm->measures[i]);
	for (size_t i = 0; i < pm->n_warnings; i++)
		put_field("warning", pm->warnings[i]);
}

/* ", converted 2 (1 from Shift_JIS, 1 from UTF-16)": every file read from
 * another encoding is said, not only under -v. */
static void
print_conversions(const struct importer_counts *c)
{
	const char *prefix = "converted ";

	if (c->converted == 0)
		return;
	printf(", converted %zu (", c->converted);
	for (size_t k = 0; k < c->n_conversions; k++) {
		const char *from = c->conversions[k].note;
		if (strncmp(from, prefix, strlen(prefix)) == 0)
			from += strlen(prefix);
		printf("%s%zu %s", k > 0 ? ", " : "", c->conversions[k].n, from);
	}
	printf(")");
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
	if ((h = cli_load_headings(cfg)) == NULL) {
		config_free(cfg);
		return EXIT_CONFIG;
	}
	run.headings = h;
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
	} else if (run.check) {
		print_unknown(&run);
	} else {
		printf("added %zu, updated %zu, unchanged %zu, failed %zu",
		       counts.added, counts.updated, counts.unchanged, counts.failed);
		if (counts.templates > 0)
			printf(", skipped %zu (%zu template%s)", counts.skipped + counts.templates,
			       counts.templates, counts.templates == 1 ? "" : "s");
		else if (counts.skipped > 0)
			printf(", skipped %zu", counts.skipped);
		if (counts.retired > 0)
			printf(", retired %zu", counts.retired);
		print_conversions(&counts);
		printf("\n");
		if (counts.undated > 0)
			fprintf(stderr, "furikaeri import: %zu postmortem%s without a date stay%s off "
				"every agenda until %s one (named above)\n", counts.undated,
				counts.undated == 1 ? "" : "s", counts.undated == 1 ? "s" : "",
				counts.undated == 1 ? "it has" : "they have");
	}
	strbuf_release(&run.out);
	unknown_free(&run);
	free(root);
	store_free(st);
	headings_free(h);
	config_free(cfg);
	return counts.failed > 0 ? EXIT_FAILED : EXIT_OK;
}
