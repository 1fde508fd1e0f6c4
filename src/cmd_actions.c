#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/date.h"
#include "furikaeri/cli.h"
#include "furikaeri/export_json.h"
#include "furikaeri/store_meeting.h"
#include "furikaeri/text.h"
#include "furikaeri/week.h"

static void
put_padded(const char *s, size_t width)
{
	char *safe = text_sanitize(s != NULL ? s : "-", false);
	size_t w = text_width(safe);

	fputs(safe, stdout);
	for (; w < width; w++)
		putchar(' ');
	putchar(' ');
	free(safe);
}

static void
print_table(const struct store_measures *m, const char *today)
{
	size_t owner_w = 5, ticket_w = 6;

	for (size_t i = 0; i < m->n; i++) {
		char *o = text_sanitize(m->rows[i].owner ? m->rows[i].owner : "-", false);
		char *t = text_sanitize(m->rows[i].ticket ? m->rows[i].ticket : "-", false);
		if (text_width(o) > owner_w)
			owner_w = text_width(o);
		if (text_width(t) > ticket_w)
			ticket_w = text_width(t);
		free(o);
		free(t);
	}
	if (m->n == 0)
		return;
	printf("%-5s %-9s %5s ", "ID", "STATE", "AGE");
	put_padded("OWNER", owner_w);
	/* room for the overdue mark, so that TICKET stays in its column */
	put_padded("DUE", 11);
	put_padded("TICKET", ticket_w);
	puts("MEASURE");
	for (size_t i = 0; i < m->n; i++) {
		const struct store_measure_row *r = &m->rows[i];
		long age = export_json_age_days(r->agreed_at ? r->agreed_at : r->created_at, today);
		bool overdue = date_overdue(r->due, r->status, today);
		char agebuf[24], due[24];
		if (age >= 0)
			snprintf(agebuf, sizeof(agebuf), "%ldd", age);
		else
			snprintf(agebuf, sizeof(agebuf), "-");
		snprintf(due, sizeof(due), "%s%s", r->due ? r->due : "-", overdue ? "!" : "");
		printf("%-5lld %-9s %5s ", r->id,
		       strcmp(r->status, "not_doing") == 0 ? "not-doing" : r->status, agebuf);
		put_padded(r->owner, owner_w);
		put_padded(due, 11);
		put_padded(r->ticket ? r->ticket : r->ticket_state, ticket_w);
		/* the last column unpadded: no line ends with a space */
		char *title = text_sanitize(r->title, false);
		puts(title);
		free(title);
	}
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
