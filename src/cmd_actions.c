#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/date.h"
#include "furikaeri/cli.h"
#include "furikaeri/export_json.h"
#include "furikaeri/store_meeting.h"
#include "furikaeri/table.h"
#include "furikaeri/text.h"
#include "furikaeri/week.h"

static void
print_table(const struct store_measures *m, const char *today)
{
	/* the widths the listing always had, so its columns stay put */
	struct table *t = table_new(7, 1);

	if (m->n == 0) {
		table_free(t);
		return;
	}
	table_min_width(t, 0, 5);
	table_min_width(t, 1, 9);
	table_min_width(t, 2, 5);
	table_align_right(t, 2);
	/* room for the overdue mark, so that TICKET stays in its column */
	table_min_width(t, 4, 11);
	static const char *const head[] = { "ID", "STATE", "AGE", "OWNER", "DUE", "TICKET",
					    "MEASURE" };
	for (size_t c = 0; c < sizeof(head) / sizeof(head[0]); c++)
		table_cell(t, head[c]);
	for (size_t i = 0; i < m->n; i++) {
		const struct store_measure_row *r = &m->rows[i];
		long age = export_json_age_days(r->agreed_at ? r->agreed_at : r->created_at, today);
		bool overdue = date_overdue(r->due, r->status, today);
		char id[24], agebuf[24], due[24];
		snprintf(id, sizeof(id), "%lld", r->id);
		if (age >= 0)
			snprintf(agebuf, sizeof(agebuf), "%ldd", age);
		else
			snprintf(agebuf, sizeof(agebuf), "-");
		snprintf(due, sizeof(due), "%s%s", r->due ? r->due : "-", overdue ? "!" : "");
		table_cell(t, id);
		table_cell(t, strcmp(r->status, "not_doing") == 0 ? "not-doing" : r->status);
		table_cell(t, agebuf);
		table_cell(t, r->owner);
		table_cell(t, due);
		table_cell(t, r->ticket ? r->ticket : r->ticket_state);
		table_cell(t, r->title);
	}
	table_print(t, stdout);
	table_free(t);
}

/* An empty list says so, and what it was filtered by. */
static void
say_none(const struct store_measure_filter *f)
{
	char *owner = f->owner != NULL ? text_sanitize(f->owner, false) : NULL;

	fprintf(stderr, "furikaeri actions: no %s%smeasures%s%s\n",
		f->due_before != NULL ? "overdue " : f->open_only ? "open " : "",
		f->due_before == NULL && !f->open_only ? "prevention " : "",
		owner != NULL ? " owned by " : "", owner != NULL ? owner : "");
	free(owner);
}

int
cmd_actions(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ .name = "open", .has_arg = no_argument, .val = 'O' },
		{ .name = "owner", .has_arg = required_argument, .val = 'w' },
		{ .name = "overdue", .has_arg = no_argument, .val = 'd' },
		{ .name = "json", .has_arg = no_argument, .val = 'j' },
		{ .name = "help", .has_arg = no_argument, .val = 'h' },
		{ 0 },
	};
	const struct cli_command *cmd = cli_find("actions");
	struct store_measure_filter f = { .agreed_only = true, .live_only = true };
	struct store_measures m;
	char today[11], *err = NULL;
	bool json = false;
	struct store *st;
	long day;
	int c;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'O':
			f.open_only = true;
			break;
		case 'w':
			/* @Mei as in the meeting, or Mei */
			f.owner = optarg[0] == '@' ? optarg + 1 : optarg;
			break;
		case 'd':
			f.open_only = true;
			f.due_before = today;
			break;
		case 'j':
			json = true;
			break;
		default:
			return cli_option_end(cmd, c);
		}
	}
	if (!cli_no_operands("actions", argc, argv, optind))
		return EXIT_USAGE;
	cli_today(today);
	if (!week_date_parse(today, &day)) {
		cli_error("actions", "today's date '%s' is not YYYY-MM-DD; check FURIKAERI_TODAY",
			  today);
		return EXIT_USAGE;
	}
	if ((st = cli_open_store(cli)) == NULL)
		return EXIT_STORE;
	if (store_measures_list(st, &f, &m, &err) < 0) {
		cli_error("actions", "%s", err);
		free(err);
		store_free(st);
		return EXIT_STORE;
	}
	if (json) {
		char *out = export_json_measures(&m, today);
		fputs(out, stdout);
		free(out);
	} else {
		print_table(&m, today);
	}
	if (m.n == 0)
		say_none(&f);
	store_measures_free(&m);
	store_free(st);
	return EXIT_OK;
}
