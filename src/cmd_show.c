#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/cli.h"
#include "furikaeri/err.h"
#include "furikaeri/export_json.h"
#include "furikaeri/postmortem.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"

/* Prints text from a file with every terminal control neutralised. */
static void
put_safe(const char *s, bool keep_newlines)
{
	char *safe = text_sanitize(s, keep_newlines);

	fputs(safe, stdout);
	free(safe);
}

static void
put_field(const char *label, const char *value)
{
	if (value == NULL)
		return;
	printf("%-9s ", label);
	put_safe(value, false);
	putchar('\n');
}

static void
put_list(const char *label, char *const *list, size_t n)
{
	if (n == 0)
		return;
	printf("%-9s ", label);
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			fputs(", ", stdout);
		put_safe(list[i], false);
	}
	putchar('\n');
}

static void
print_human(const struct postmortem *pm)
{
	put_safe(pm->id, false);
	fputs("  ", stdout);
	put_safe(pm->title, false);
	putchar('\n');
	if (pm->date != NULL) {
		printf("%-9s %s", "Date", pm->date);
		if (pm->time != NULL)
			printf(" %s", pm->time);
		if (pm->tz != NULL) {
			putchar(' ');
			put_safe(pm->tz, false);
		}
		putchar('\n');
	}
	put_field("Severity", pm->severity);
	put_field("Status", pm->status);
	put_list("Authors", pm->authors, pm->n_authors);
	put_list("Tags", pm->tags, pm->n_tags);
	put_field("Source", pm->source);
	for (size_t i = 0; i < pm->n_sections; i++) {
		const struct section *s = &pm->sections[i];
		putchar('\n');
		put_safe(s->heading, false);
		putchar('\n');
		if (s->text[0] != '\0') {
			put_safe(s->text, true);
			putchar('\n');
		}
	}
	if (pm->n_measures > 0)
		printf("\nMeasures (id, status, title, owner, due, ticket)\n");
	for (size_t i = 0; i < pm->n_measures; i++) {
		const struct measure *m = &pm->measures[i];
		printf("  %-5lld %-9s ", m->id, measure_status_name(m->status));
		put_safe(m->title, false);
		if (m->owner != NULL) {
			fputs("  @", stdout);
			put_safe(m->owner, false);
		}
		if (m->due != NULL)
			printf("  due %s", m->due);
		if (m->ticket != NULL) {
			fputs("  ", stdout);
			put_safe(m->ticket, false);
		}
		putchar('\n');
	}
}

/* The one id whose short form is short (owned), or NULL (with *err when
 * several are). */
static char *
resolve_short(struct store *st, const char *short_id, bool *ambiguous, char **err)
{
	struct store_rows rows = { 0 };
	char *found = NULL;
	size_t hits = 0;

	if (store_postmortem_list(st, NULL, &rows, err) < 0)
		return NULL;
	for (size_t i = 0; i < rows.n; i++) {
		char *s = postmortem_short_id(rows.rows[i].id);
		if (s != NULL && strcmp(s, short_id) == 0) {
			if (hits++ == 0)
				found = xstrdup(rows.rows[i].id);
		}
		free(s);
	}
	if (hits > 1) {
		*ambiguous = true;
		err_set(err, "%s is %s and %zu more; give the whole id (OWNER/REPO#N)", short_id,
			found, hits - 1);
		free(found);
		found = NULL;
	}
	store_rows_free(&rows);
	return found;
}

int
cmd_show(struct cli *cli, int argc, char **argv)
{
	bool json = false;
	int status, first = cli_parse_simple("show", argc, argv, &json, &status);
	struct postmortem *pm;
	struct store *st;
	char *err = NULL;

	if (first < 0)
		return status;
	if (argc - first != 1) {
		cli_error("show", "give exactly one postmortem id (see 'furikaeri list')");
		return EXIT_USAGE;
	}
	if ((st = cli_open_store(cli)) == NULL)
		return EXIT_STORE;
	pm = store_postmortem_get(st, argv[first], &err);
	if (pm == NULL && err == NULL && strchr(argv[first], '#') != NULL &&
	    strchr(argv[first], '/') == NULL) {
		/* "pay#31", as list shows acme/pay#31 */
		bool ambiguous = false;
		char *full = resolve_short(st, argv[first], &ambiguous, &err);
		if (full != NULL)
			pm = store_postmortem_get(st, full, &err);
		free(full);
		if (ambiguous) {
			cli_error("show", "%s", err);
			free(err);
			store_free(st);
			return EXIT_FAILED;
		}
	}
	if (pm == NULL) {
		if (err != NULL) {
			cli_error("show", "%s", err);
			free(err);
			store_free(st);
			return EXIT_STORE;
		}
		char *safe = text_sanitize(argv[first], false);
		cli_error("show", "no postmortem has the id '%s'; 'furikaeri list' shows the ids",
			  safe);
		free(safe);
		store_free(st);
		return EXIT_FAILED;
	}
	if (json) {
		char *out = export_json_postmortem(pm);
		fputs(out, stdout);
		free(out);
	} else {
		print_human(pm);
	}
	postmortem_free(pm);
	store_free(st);
	return EXIT_OK;
}
