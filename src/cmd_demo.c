#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "furikaeri/cli.h"
#include "furikaeri/import.h"
#include "furikaeri/store_meeting.h"
#include "furikaeri/importer.h"
#include "furikaeri/paths.h"
#include "furikaeri/week.h"
#include "furikaeri/xalloc.h"

/* The day of the newest shipped demo postmortem. The demo moves every date
 * so that it falls on yesterday: the whole demo week is then in the past
 * and inside this meeting's window, whatever the day of the week. */
#define DEMO_NEWEST "2026-11-29"
/* The days before today the demo's listing covers. */
#define DEMO_DAYS 7

static void
print_error(const char *message, void *ctx)
{
	(void)ctx;
	fprintf(stderr, "furikaeri demo: %s\n", message);
}

/* Adds the demo team to an empty roster. */
static int
load_people(struct store *st, const char *demo, char **err)
{
	struct store_people existing;
	struct import_person *people;
	char *path = paths_join(demo, "people.json"), *buf;
	size_t n, len;
	int rc = -1;

	if (store_people_list(st, &existing, err) < 0)
		goto out;
	if (existing.n > 0) {
		store_people_free(&existing);
		rc = 0;
		goto out;
	}
	if (paths_read_file(path, &buf, &len, err) < 0)
		goto out;
	rc = import_json_people(buf, len, path, &people, &n, err);
	free(buf);
	if (rc < 0)
		goto out;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = store_person_add(st, people[i].name, people[i].role, err);
	import_people_free(people, n);
out:
	free(path);
	return rc;
}

/* The demo's own folder: its database (unless --db names one), and the
 * minutes and exports of its meeting, so that it never writes into the
 * current folder's minutes/ or the user's data. Owned, or NULL. */
static char *
demo_folder(void)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/furikaeri-demo-XXXXXX", tmp != NULL && tmp[0] ? tmp : "/tmp");

	if (mkdtemp(dir) == NULL) {
		fprintf(stderr, "furikaeri demo: cannot create %s: %s; set TMPDIR\n", dir,
			strerror(errno));
		free(dir);
		return NULL;
	}
	return dir;
}

int
cmd_demo(struct cli *cli, int argc, char **argv)
{
	struct importer_options opt = { .on_error = print_error };
	struct importer_counts counts;
	struct store_rows rows = { 0 };
	struct store_filter filter = { 0 };
	char today[WEEK_DATE_STRLEN], week[WEEK_STRLEN];
	char from[WEEK_DATE_STRLEN];
	long day, demo_newest;
	struct week w;
	char *data, *demo, *path = NULL, *err = NULL, *folder, *minutes;
	struct headings *h;
	struct store *st;
	int status, first = cli_parse_simple("demo", argc, argv, NULL, &status);

	if (first < 0)
		return status;
	status = EXIT_OK;
	if (!cli_no_operands("demo", argc, argv, first))
		return EXIT_USAGE;
	static const char *const demo_data[] = { "demo/people.json", "demo/postmortems" };
	if (!cli_require_data(demo_data, sizeof(demo_data) / sizeof(demo_data[0])))
		return EXIT_CONFIG;
	if ((folder = demo_folder()) == NULL)
		return EXIT_STORE;
	minutes = paths_join(folder, "minutes");
	if (cli->db_path == NULL) {
		path = paths_join(folder, "furikaeri.db");
		cli->db_path = path;
	}
	if ((h = cli_load_headings(NULL)) == NULL) {
		status = EXIT_CONFIG;
		goto done;
	}
	if ((st = cli_open_store(cli)) == NULL) {
		headings_free(h);
		status = EXIT_STORE;
		goto done;
	}
	cli_today(today);
	if (!week_date_parse(today, &day)) {
		cli_error("demo", "today's date '%s' is not YYYY-MM-DD; check FURIKAERI_TODAY", today);
		status = EXIT_USAGE;
		goto out;
	}
	w = week_of_day(day);
	week_format(w, week);
	week_date_format(day - DEMO_DAYS, from);
	week_date_parse(DEMO_NEWEST, &demo_newest);
	opt.shift_days = (int)(day - 1 - demo_newest);
	data = paths_data_dir();
	demo = paths_join(data, "demo");
	char *postmortems = paths_join(demo, "postmortems");
	if (importer_run(st, h, &postmortems, 1, &opt, &counts) < 0)
		status = EXIT_FAILED;
	if (load_people(st, demo, &err) < 0) {
		cli_error("demo", "%s", err);
		free(err);
		err = NULL;
		status = EXIT_FAILED;
	}
	if (status == EXIT_OK && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
		status = cli_run_meeting(cli, st, week, minutes);
		store_rows_free(&rows);
		free(postmortems);
		free(demo);
		free(data);
		goto out;
	}
	filter.since = from;
	filter.until = today;
	if (store_postmortem_list(st, &filter, &rows, &err) < 0) {
		cli_error("demo", "%s", err);
		free(err);
		status = EXIT_STORE;
	} else {
		printf("Demo week %s: postmortems from %s to %s, database %s\n\n", week, from, today,
		       store_path(st));
		cli_print_rows(&rows, false);
	}
	store_rows_free(&rows);
	free(postmortems);
	free(demo);
	free(data);
out:
	store_free(st);
	headings_free(h);
done:
	/* said last, after the meeting screen is gone; a folder that nothing
	 * was written into goes */
	if (rmdir(folder) != 0)
		fprintf(stderr, "furikaeri demo: the demo's folder (database, minutes, exports) is %s; "
		"remove it with rm -r when done\n",
			folder);
	free(minutes);
	free(folder);
	free(path);
	return status;
}
