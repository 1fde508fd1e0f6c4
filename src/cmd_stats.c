#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "furikaeri/cli.h"
#include "furikaeri/export_json.h"
#include "furikaeri/store_stats.h"
#include "furikaeri/text.h"
#include "furikaeri/week.h"

/* Keys and counts in two columns, the counts lined up after the widest
 * key (display width: a long or Japanese tag must not push its count). */
static void
print_counts(const char *title, const struct store_stats_count *list, size_t n)
{
	size_t width = 12;

	printf("%s\n", title);
	if (n == 0)
		puts("  none");
	for (size_t i = 0; i < n; i++) {
		char *safe = text_sanitize(list[i].key, false);
		if (text_width(safe) > width)
			width = text_width(safe);
		free(safe);
	}
	for (size_t i = 0; i < n; i++) {
		char *safe = text_sanitize(list[i].key, false);
		printf("  %s%*s %ld\n", safe, (int)(width - text_width(safe)), "", list[i].count);
		free(safe);
	}
}

static void
print_stats(const struct store_stats *s, const char *since)
{
	if (since != NULL)
		printf("Since %s\n\n", since);
	print_counts("Postmortems per week", s->weeks, s->n_weeks);
	print_counts("\nSeverity", s->severities, s->n_severities);
	printf("\nPrevention measures\n");
	printf("  agreed       %ld\n", s->agreed);
	printf("  done         %ld\n", s->done);
	printf("  dropped      %ld\n", s->dropped);
	printf("  overdue      %ld\n", s->overdue);
	if (s->median_days >= 0)
		printf("  median days from agreement to done: %.1f (over %ld measure%s agreed in "
		       "a meeting and seen done)\n", s->median_days, s->median_n,
		       s->median_n == 1 ? "" : "s");
	else
		printf("  median days from agreement to done: none yet (it counts measures "
		       "agreed in a meeting and seen done)\n");
	print_counts("\nMost frequent tags", s->tags, s->n_tags);
}

int
cmd_stats(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ .name = "since", .has_arg = required_argument, .val = 's' },
		{ .name = "json", .has_arg = no_argument, .val = 'j' },
		{ .name = "help", .has_arg = no_argument, .val = 'h' },
		{ 0 },
	};
	const struct cli_command *cmd = cli_find("stats");
	const char *since = NULL;
	struct store_stats s;
	char today[11], *err = NULL;
	bool json = false;
	struct store *st;
	long day;
	int c;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 's':
			since = optarg;
			break;
		case 'j':
			json = true;
			break;
		default:
			return cli_option_end(cmd, c);
		}
	}
	if (!cli_no_operands("stats", argc, argv, optind))
		return EXIT_USAGE;
	if (since != NULL && !week_date_parse(since, &day)) {
		cli_error("stats", "'%s' is not a date; write it as YYYY-MM-DD", since);
		return EXIT_USAGE;
	}
	cli_today(today);
	if ((st = cli_open_store(cli)) == NULL)
		return EXIT_STORE;
	if (store_stats_collect(st, since, today, &s, &err) < 0) {
		cli_error("stats", "%s", err);
		free(err);
		store_free(st);
		return EXIT_STORE;
	}
	if (json) {
		char *out = export_json_stats(&s, since);
		fputs(out, stdout);
		free(out);
	} else {
		print_stats(&s, since);
	}
	store_stats_release(&s);
	store_free(st);
	return EXIT_OK;
}
