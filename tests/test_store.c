#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <locale.h>
#include <time.h>
#include <cmocka.h>

#include "furikaeri/postmortem.h"
#include "furikaeri/store.h"
#include "furikaeri/store_delivery.h"
#include "furikaeri/store_meeting.h"
#include "furikaeri/store_outbox.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"
#include "furikaeri/store_stats.h"
#include "store_private.h"

static char tmpdir[] = "/tmp/fk-test-store-XXXXXX";

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_open_creates_private_file(void **state)
{
	(void)state;
	char path[512], dir[256];
	char *err = NULL;
	struct stat sb;

	snprintf(dir, sizeof(dir), "%s/new", tmpdir);
	snprintf(path, sizeof(path), "%s/furikaeri.db", dir);
	struct store *st = store_open(path, &err);
	assert_non_null(st);
	assert_null(err);
	assert_int_equal(store_version_at_open(st), 0);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(stat(dir, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	store_free(st);

	st = store_open(path, &err);
	assert_non_null(st);
	assert_int_equal(store_version_at_open(st), store_n_migrations);
	store_free(st);
}

static const char *self;

/* `test_store --count PATH`: the rows of t, as the exit status (another
 * process, with SQLite's own state fresh: a fork would share the
 * parent's idea of its locks). */
static int
count_rows(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	int n = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT count(*) FROM t", -1, &stmt, NULL) == SQLITE_OK &&
	    sqlite3_step(stmt) == SQLITE_ROW)
		n = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return n < 0 ? 255 : n;
}

/* What another process counts in t (a connection of its own, closed
 * after). */
static int
count_elsewhere(const char *path)
{
	pid_t pid = fork();
	int status = 0;

	if (pid == 0) {
		execl(self, self, "--count", path, (char *)NULL);
		_exit(254);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* A second connection in the process (the chat or ticket worker's) must
 * not drop the first one's locks by opening and closing the file: another
 * process closing its connection would then take the database for its
 * own, checkpoint, and remove the WAL that the first still writes to. */
static void
test_second_open_keeps_locks(void **state)
{
	char path[256], *err = NULL;

	(void)state;
	snprintf(path, sizeof(path), "%s/two.db", tmpdir);
	struct store *a = store_open(path, &err);
	assert_non_null(a);
	assert_int_equal(sqlite3_exec(a->db, "CREATE TABLE t (x); INSERT INTO t VALUES (1)",
				      NULL, NULL, NULL), SQLITE_OK);
	struct store *b = store_open(path, &err);
	assert_non_null(b);
	assert_int_equal(count_elsewhere(path), 1);
	assert_int_equal(sqlite3_exec(a->db, "INSERT INTO t VALUES (2)", NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(count_elsewhere(path), 2);
	store_free(b);
	assert_int_equal(sqlite3_exec(a->db, "INSERT INTO t VALUES (3)", NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(count_elsewhere(path), 3);
	store_free(a);
	/* and the file opened anew is checked again */
	a = store_open(path, &err);
	assert_non_null(a);
	store_free(a);
}

static void
test_not_a_database(void **state)
{
	(void)state;
	char path[256];
	char *err = NULL;

	snprintf(path, sizeof(path), "%s/junk.db", tmpdir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	for (int i = 0; i < 200; i++)
		fputs("this is not a database at all\n", f);
	fclose(f);
	assert_null(store_open(path, &err));
	assert_non_null(err);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "is not a database"));
	assert_non_null(strstr(err, "nothing was written to it"));
	free(err);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;

	assert_non_null(f);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(f);
	*len = sb.len;
	return strbuf_detach(&sb);
}

/* Another program's SQLite file, with its own tables or its own id, is
 * refused and stays byte-identical; a new one gets furikaeri's id. */
static void
test_foreign_database_untouched(void **state)
{
	(void)state;
	static const char *const setups[] = {
		"CREATE TABLE t (x); INSERT INTO t VALUES (1)",
		"PRAGMA application_id = 1234; CREATE TABLE postmortems (x)",
		"PRAGMA application_id = 1234",
	};
	char path[256];
	sqlite3 *db;

	for (size_t i = 0; i < sizeof(setups) / sizeof(setups[0]); i++) {
		char *err = NULL, *before, *after;
		size_t n_before, n_after;

		snprintf(path, sizeof(path), "%s/foreign-%zu.sqlite", tmpdir, i);
		assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
		assert_int_equal(sqlite3_exec(db, setups[i], NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(db);
		before = slurp(path, &n_before);
		assert_null(store_open(path, &err));
		assert_non_null(err);
		assert_non_null(strstr(err, path));
		assert_non_null(strstr(err, "nothing was written to it"));
		assert_true(store_unusable());
		free(err);
		after = slurp(path, &n_after);
		assert_int_equal(n_before, n_after);
		assert_memory_equal(before, after, n_before);
		free(before);
		free(after);
	}

	snprintf(path, sizeof(path), "%s/stamped.db", tmpdir);
	char *err = NULL;
	struct store *st = store_open(path, &err);
	assert_non_null(st);
	store_free(st);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA application_id", -1, &stmt, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int64(stmt, 0), 0x666b7269);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
}

static struct store *
open_db(const char *name)
{
	char path[256];
	char *err = NULL;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	struct store *st = store_open(path, &err);
	if (st == NULL)
		fail_msg("%s", err);
	return st;
}

static void
exec_sql(struct store *st, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

static struct postmortem *
make_pm(const char *id, const char *title, const char *date)
{
	struct postmortem *pm = postmortem_new();

	pm->id = xstrdup(id);
	pm->title = xstrdup(title);
	pm->date = xstrdup_or_null(date);
	pm->source = xasprintf("postmortems/%s.md", id);
	return pm;
}

static struct postmortem *
make_full_pm(void)
{
	struct postmortem *pm = make_pm("pm-031", "Payment API timeouts after deploy", "2026-11-27");
	struct measure *m;

	pm->time = xstrdup("14:05");
	pm->tz = xstrdup("JST");
	pm->severity = xstrdup("SEV2");
	pm->status = xstrdup("ready");
	postmortem_add_author(pm, "Aoi");
	postmortem_add_author(pm, "Ken");
	postmortem_add_tag(pm, "payments");
	postmortem_add_tag(pm, "deploy");
	postmortem_add_section(pm, "summary", "Summary",
			       "After the 14:00 deploy the payment API timed out for 37 minutes.");
	postmortem_add_section(pm, "impact", "Impact", "12% of checkouts failed.");
	postmortem_add_section(pm, "root_cause", "Root cause",
			       "A retry storm exhausted the connection pool (a1b2c3d).");
	postmortem_add_section(pm, "Customer Voice", "Customer Voice", "Forty tickets, café owners.");
	m = postmortem_add_measure(pm, "Add pool saturation alert");
	m->owner = xstrdup("Mei");
	m->due = xstrdup("2026-12-15");
	m->ticket = xstrdup("OPS-412");
	m->ticket_url = xstrdup("https://jira.example.com/browse/OPS-412");
	m = postmortem_add_measure(pm, "Add jitter and a retry budget");
	m->status = MEASURE_DONE;
	m = postmortem_add_measure(pm, "Rewrite the client");
	m->status = MEASURE_NOT_DOING;
	pm->hash = xstrdup("9f3c1e2d4b5a6978-2210");
	return pm;
}

static void
put_ok(struct store *st, struct postmortem *pm, enum store_upsert_result want)
{
	enum store_upsert_result got;
	char *err = NULL;

	if (store_postmortem_put(st, pm, &got, &err) < 0)
		fail_msg("%s", err);
	assert_int_equal(got, want);
}

static void
assert_str_or_null(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void
assert_pm_equal(const struct postmortem *a, const struct postmortem *b)
{
	assert_string_equal(a->id, b->id);
	assert_string_equal(a->title, b->title);
	assert_str_or_null(a->date, b->date);
	assert_str_or_null(a->time, b->time);
	assert_str_or_null(a->tz, b->tz);
	assert_str_or_null(a->severity, b->severity);
	assert_str_or_null(a->status, b->status);
	assert_str_or_null(a->source, b->source);
	assert_int_equal(a->n_authors, b->n_authors);
	for (size_t i = 0; i < a->n_authors; i++)
		assert_string_equal(a->authors[i], b->authors[i]);
	assert_int_equal(a->n_tags, b->n_tags);
	for (size_t i = 0; i < a->n_tags; i++)
		assert_string_equal(a->tags[i], b->tags[i]);
	assert_int_equal(a->n_sections, b->n_sections);
	for (size_t i = 0; i < a->n_sections; i++) {
		assert_string_equal(a->sections[i].key, b->sections[i].key);
		assert_string_equal(a->sections[i].heading, b->sections[i].heading);
		assert_string_equal(a->sections[i].text, b->sections[i].text);
	}
	assert_int_equal(a->n_measures, b->n_measures);
	for (size_t i = 0; i < a->n_measures; i++) {
		const struct measure *x = &a->measures[i], *y = &b->measures[i];
		assert_int_equal(x->id, y->id);
		assert_string_equal(x->title, y->title);
		assert_str_or_null(x->owner, y->owner);
		assert_str_or_null(x->due, y->due);
		assert_int_equal(x->status, y->status);
		assert_str_or_null(x->ticket, y->ticket);
		assert_str_or_null(x->ticket_url, y->ticket_url);
	}
}

static void
test_put_get_round_trip(void **state)
{
	(void)state;
	struct store *st = open_db("roundtrip.db");
	struct postmortem *pm = make_full_pm(), *got;
	char *err = NULL;

	put_ok(st, pm, STORE_ADDED);
	for (size_t i = 0; i < pm->n_measures; i++) {
		assert_true(pm->measures[i].id > 0);
		for (size_t j = 0; j < i; j++)
			assert_true(pm->measures[i].id != pm->measures[j].id);
	}
	got = store_postmortem_get(st, "pm-031", &err);
	assert_non_null(got);
	assert_null(err);
	assert_pm_equal(pm, got);
	assert_string_equal(got->hash, "9f3c1e2d4b5a6978-2210");
	postmortem_free(got);

	assert_null(store_postmortem_get(st, "pm-999", &err));
	assert_null(err);

	char *id = store_postmortem_id_for_source(st, "postmortems/pm-031.md", &err);
	assert_non_null(id);
	assert_string_equal(id, "pm-031");
	free(id);
	assert_null(store_postmortem_id_for_source(st, "elsewhere.md", &err));
	assert_null(err);

	/* every new measure gets its own random marker */
	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_prepare_v2(st->db, "SELECT marker FROM measures", -1, &stmt, NULL),
			 SQLITE_OK);
	int n = 0;
	char seen[3][40];
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		const char *marker = (const char *)sqlite3_column_text(stmt, 0);
		assert_int_equal(strlen(marker), 35);
		assert_true(text_starts_with(marker, "fk-"));
		assert_int_equal(strspn(marker + 3, "0123456789abcdef"), 32);
		for (int j = 0; j < n; j++)
			assert_string_not_equal(seen[j], marker);
		snprintf(seen[n++], sizeof(seen[0]), "%s", marker);
	}
	sqlite3_finalize(stmt);
	assert_int_equal(n, 3);

	postmortem_free(pm);
	store_free(st);
}

static void
test_put_unchanged_and_updated(void **state)
{
	(void)state;
	struct store *st = open_db("update.db");
	struct postmortem *pm = make_full_pm(), *again = make_full_pm(), *got;
	char *err = NULL;

	put_ok(st, pm, STORE_ADDED);
	put_ok(st, again, STORE_UNCHANGED);
	for (size_t i = 0; i < pm->n_measures; i++)
		assert_int_equal(again->measures[i].id, pm->measures[i].id);
	postmortem_free(again);

	/* a minutes entry points at the third measure, so it must survive its
	 * removal from the file; the second simply goes */
	char sql[512];
	exec_sql(st, "INSERT INTO meetings (id, week) VALUES (1, '2026-W49')");
	snprintf(sql, sizeof(sql), "INSERT INTO minutes (meeting_id, seq, kind, body, measure_id, "
		 "created_at) VALUES (1, 1, 'action', 'x', %lld, 'now')", pm->measures[2].id);
	exec_sql(st, sql);

	struct postmortem *next = make_pm("pm-031", "Payment API timeouts after the deploy",
					  "2026-11-27");
	struct measure *m = postmortem_add_measure(next, "Add a canary check");
	m = postmortem_add_measure(next, "Add pool saturation alert");
	m->status = MEASURE_DONE;
	m->ticket = xstrdup("OPS-412");
	postmortem_add_section(next, "summary", "Summary", "Shorter now.");
	next->hash = xstrdup("1111111111111111-99");
	put_ok(st, next, STORE_UPDATED);
	assert_int_equal(next->measures[1].id, pm->measures[0].id);
	assert_true(next->measures[0].id != pm->measures[0].id);
	assert_true(next->measures[0].id != pm->measures[1].id);

	got = store_postmortem_get(st, "pm-031", &err);
	assert_non_null(got);
	assert_string_equal(got->title, "Payment API timeouts after the deploy");
	assert_int_equal(got->n_authors, 0);
	assert_int_equal(got->n_tags, 0);
	assert_int_equal(got->n_sections, 1);
	assert_string_equal(got->sections[0].text, "Shorter now.");
	assert_int_equal(got->n_measures, 3);
	assert_string_equal(got->measures[0].title, "Add a canary check");
	assert_string_equal(got->measures[1].title, "Add pool saturation alert");
	assert_int_equal(got->measures[1].status, MEASURE_DONE);
	assert_null(got->measures[1].owner);
	/* the referenced one is kept, after the current ones */
	assert_int_equal(got->measures[2].id, pm->measures[2].id);
	postmortem_free(got);

	/* the same content from a moved file updates the source */
	free(next->source);
	next->source = xstrdup("archive/pm-031.md");
	put_ok(st, next, STORE_UPDATED);
	char *id = store_postmortem_id_for_source(st, "archive/pm-031.md", &err);
	assert_string_equal(id, "pm-031");
	free(id);

	/* without a source hash, the fields decide */
	struct postmortem *a = make_pm("pm-040", "Cache stampede", NULL);
	struct postmortem *b = make_pm("pm-040", "Cache stampede", NULL);
	put_ok(st, a, STORE_ADDED);
	put_ok(st, b, STORE_UNCHANGED);
	postmortem_add_tag(b, "cache");
	put_ok(st, b, STORE_UPDATED);
	postmortem_free(a);
	postmortem_free(b);

	assert_int_equal(store_postmortem_delete(st, "pm-031", &err), 0);
	assert_null(store_postmortem_get(st, "pm-031", &err));
	assert_null(err);
	postmortem_free(next);
	postmortem_free(pm);
	store_free(st);
}

static void
test_outbox_keeps_vanished_measure(void **state)
{
	(void)state;
	struct store *st = open_db("outbox.db");
	struct postmortem *pm = make_full_pm(), *got;
	char sql[256], *err = NULL;

	put_ok(st, pm, STORE_ADDED);
	snprintf(sql, sizeof(sql), "INSERT INTO ticket_outbox (measure_id, tracker, queued_at, "
		 "updated_at) VALUES (%lld, 'jira', 'now', 'now')", pm->measures[0].id);
	exec_sql(st, sql);
	struct postmortem *next = make_full_pm();
	/* new measures altogether: other titles and no tickets (a reworded
	 * measure with its ticket would keep its identity) */
	for (size_t i = 0; i < next->n_measures; i++) {
		free(next->measures[i].title);
		next->measures[i].title = xasprintf("Renamed %zu", i);
		free(next->measures[i].ticket);
		free(next->measures[i].ticket_url);
		next->measures[i].ticket = next->measures[i].ticket_url = NULL;
	}
	free(next->hash);
	next->hash = xstrdup("other");
	put_ok(st, next, STORE_UPDATED);
	got = store_postmortem_get(st, "pm-031", &err);
	assert_non_null(got);
	assert_int_equal(got->n_measures, 4);
	assert_string_equal(got->measures[0].title, "Renamed 0");
	assert_int_equal(got->measures[3].id, pm->measures[0].id);
	assert_string_equal(got->measures[3].title, "Add pool saturation alert");
	postmortem_free(got);
	postmortem_free(next);
	postmortem_free(pm);
	store_free(st);
}

static void
test_put_refuses_missing_title(void **state)
{
	(void)state;
	struct store *st = open_db("bad.db");
	struct postmortem *pm = make_pm("pm-1", "x", NULL);
	char *err = NULL;

	free(pm->title);
	pm->title = NULL;
	assert_int_equal(store_postmortem_put(st, pm, NULL, &err), -1);
	assert_non_null(strstr(err, "postmortems/pm-1.md"));
	assert_non_null(strstr(err, "title"));
	free(err);
	postmortem_free(pm);
	store_free(st);
}

static void
test_list_order_and_filters(void **state)
{
	(void)state;
	struct store *st = open_db("list.db");
	const char *dates[][2] = {
		{ "pm-a", "2026-11-01" }, { "pm-b", "2026-12-01" }, { "pm-c", NULL },
		{ "pm-d", "2026-11-15" },
	};
	struct store_rows rows;
	char *err = NULL;

	for (size_t i = 0; i < 4; i++) {
		struct postmortem *pm = make_pm(dates[i][0], dates[i][0], dates[i][1]);
		pm->severity = xstrdup("SEV3");
		put_ok(st, pm, STORE_ADDED);
		postmortem_free(pm);
	}
	assert_int_equal(store_postmortem_list(st, NULL, &rows, &err), 0);
	assert_int_equal(rows.n, 4);
	assert_string_equal(rows.rows[0].id, "pm-b");
	assert_string_equal(rows.rows[1].id, "pm-d");
	assert_string_equal(rows.rows[2].id, "pm-a");
	assert_string_equal(rows.rows[3].id, "pm-c");
	assert_null(rows.rows[3].date);
	assert_string_equal(rows.rows[0].severity, "SEV3");
	assert_null(rows.rows[0].snippet);
	store_rows_free(&rows);

	struct store_filter f = { .since = "2026-11-10" };
	assert_int_equal(store_postmortem_list(st, &f, &rows, &err), 0);
	assert_int_equal(rows.n, 2);
	assert_string_equal(rows.rows[0].id, "pm-b");
	assert_string_equal(rows.rows[1].id, "pm-d");
	store_rows_free(&rows);

	f = (struct store_filter){ .since = "2026-11-01", .until = "2026-11-15" };
	assert_int_equal(store_postmortem_list(st, &f, &rows, &err), 0);
	assert_int_equal(rows.n, 2);
	assert_string_equal(rows.rows[0].id, "pm-d");
	assert_string_equal(rows.rows[1].id, "pm-a");
	store_rows_free(&rows);

	f = (struct store_filter){ .until = "2026-12" };
	assert_int_equal(store_postmortem_list(st, &f, &rows, &err), -1);
	assert_non_null(strstr(err, "\"2026-12\" is not a date"));
	assert_int_equal(rows.n, 0);
	free(err);
	store_rows_free(NULL);
	store_free(st);
}

static int
row_cmp(const void *a, const void *b)
{
	return strcmp(((const struct store_row *)a)->id, ((const struct store_row *)b)->id);
}

/* Searches and returns the ids found, space-separated, in order (owned). */
static char *
search_ids(struct store *st, const char *query)
{
	struct store_rows rows;
	char *err = NULL;
	char buf[1024] = "";

	if (store_search(st, query, 0, &rows, &err) < 0)
		fail_msg("search %s: %s", query, err);
	for (size_t i = 0; i < rows.n; i++) {
		if (i > 0)
			strcat(buf, " ");
		strcat(buf, rows.rows[i].id);
	}
	store_rows_free(&rows);
	return xstrdup(buf);
}

static void
assert_search(struct store *st, const char *query, const char *want)
{
	char *got = search_ids(st, query);

	if (strcmp(got, want) != 0)
		fail_msg("search \"%s\": got \"%s\", want \"%s\"", query, got, want);
	free(got);
}

/* Like assert_search, for hits whose order bm25 decides by length. */
static void
assert_search_set(struct store *st, const char *query, const char *want)
{
	struct store_rows rows;
	char *err = NULL;
	char buf[1024] = "";

	if (store_search(st, query, 0, &rows, &err) < 0)
		fail_msg("search %s: %s", query, err);
	qsort(rows.rows, rows.n, sizeof(rows.rows[0]), row_cmp);
	for (size_t i = 0; i < rows.n; i++) {
		if (i > 0)
			strcat(buf, " ");
		strcat(buf, rows.rows[i].id);
	}
	store_rows_free(&rows);
	if (strcmp(buf, want) != 0)
		fail_msg("search \"%s\": got \"%s\", want \"%s\"", query, buf, want);
}

static struct store *
search_db(const char *name)
{
	struct store *st = open_db(name);
	struct postmortem *pm = make_full_pm();

	put_ok(st, pm, STORE_ADDED);
	postmortem_free(pm);
	pm = make_pm("pm-032", "決済障害の報告", "2026-11-30");
	postmortem_add_section(pm, "summary", "概要", "決済APIが30分間エラーを返した。");
	postmortem_add_section(pm, "root_cause", "根本原因",
			       "リトライにジッターがなかったため接続プールが枯渇した。");
	postmortem_add_measure(pm, "接続プールの監視を追加する");
	put_ok(st, pm, STORE_ADDED);
	postmortem_free(pm);
	pm = make_pm("pm-033", "検索の障害", "2026-12-01");
	postmortem_add_section(pm, "summary", "概要", "全文検索が遅くなった。Ｅｌａｓｔｉｃ の設定ミス。");
	put_ok(st, pm, STORE_ADDED);
	postmortem_free(pm);
	return st;
}

static void
test_search_english(void **state)
{
	(void)state;
	struct store *st = search_db("search-en.db");
	struct store_rows rows;
	char *err = NULL;

	assert_search(st, "payment", "pm-031");
	assert_search(st, "PAYMENT Timeouts", "pm-031");
	assert_search(st, "connection pool", "pm-031");
	/* words match by their stem: other forms of a word, not other words */
	assert_search(st, "timeout", "pm-031");
	assert_search(st, "retries", "pm-031");
	assert_search(st, "exhausting", "pm-031");
	assert_search(st, "timeo", "");
	assert_search(st, "pay", "");
	/* a '*' asks for a prefix, after a word or a CJK run */
	assert_search(st, "timeo*", "pm-031");
	assert_search(st, "pay* deplo*", "pm-031");
	assert_search(st, "timeo *", "");
	assert_search(st, "cafe", "pm-031");
	assert_search(st, "saturation", "pm-031");
	assert_search(st, "elastic", "pm-033");
	assert_search(st, "payment kubernetes", "");
	assert_search(st, "nothing-like-this", "");

	assert_int_equal(store_search(st, "retry storm", 0, &rows, &err), 0);
	assert_int_equal(rows.n, 1);
	assert_string_equal(rows.rows[0].title, "Payment API timeouts after deploy");
	assert_string_equal(rows.rows[0].date, "2026-11-27");
	assert_string_equal(rows.rows[0].severity, "SEV2");
	assert_string_equal(rows.rows[0].status, "ready");
	assert_string_equal(rows.rows[0].match, "postmortem");
	assert_non_null(strstr(rows.rows[0].snippet, "retry storm"));
	assert_true(text_width(rows.rows[0].snippet) <= 80);
	store_rows_free(&rows);

	/* the excerpt of a match by stem is placed at the form the text has */
	assert_int_equal(store_search(st, "retries", 0, &rows, &err), 0);
	assert_int_equal(rows.n, 1);
	assert_non_null(strstr(rows.rows[0].snippet, "retry storm"));
	store_rows_free(&rows);
	store_free(st);
}

/* Title matches outweigh body matches, more mentions outweigh fewer, a
 * word in most rows adds nothing, and ties go to the newer row. */
static void
test_search_ranking(void **state)
{
	(void)state;
	struct store *st = open_db("ranking.db");
	static const struct {
		const char *id, *title, *body;
	} pms[] = {
		{ "pm-101", "Disk full on the build host", "The canary was fine." },
		{ "pm-102", "Canary deploys were skipped", "We lost the logs." },
		{ "pm-103", "Queue backlog", "The canary failed; a second canary failed; "
					  "the third canary passed." },
		{ "pm-104", "Queue backlog again", "The canary was fine." },
		{ "pm-105", "DNS outage", "The canary was fine." },
	};

	for (size_t i = 0; i < sizeof(pms) / sizeof(pms[0]); i++) {
		struct postmortem *pm = make_pm(pms[i].id, pms[i].title, "2026-11-02");
		postmortem_add_section(pm, "summary", "Summary", pms[i].body);
		put_ok(st, pm, STORE_ADDED);
		postmortem_free(pm);
	}
	/* so that canary is in fewer than half of the rows, and the in all */
	for (int i = 0; i < 6; i++) {
		char id[16];
		snprintf(id, sizeof(id), "pm-2%02d", i);
		struct postmortem *pm = make_pm(id, "Another incident", "2026-11-01");
		postmortem_add_section(pm, "summary", "Summary", "The disk was full.");
		put_ok(st, pm, STORE_ADDED);
		postmortem_free(pm);
	}
	assert_search(st, "canary", "pm-102 pm-103 pm-105 pm-104 pm-101");
	/* "the" is in every row: the order is that of "canary" alone */
	assert_search(st, "the canary", "pm-102 pm-103 pm-105 pm-104 pm-101");
	assert_search(st, "queue canary", "pm-103 pm-104");

	/* rows that reach the cap tie, and the newest of them wins, also when
	 * the search stops scoring once its places hold the best score */
	for (int i = 0; i < 3; i++) {
		char id[16];
		snprintf(id, sizeof(id), "pm-3%02d", i);
		struct postmortem *pm = make_pm(id, "Flaky probes", "2026-11-03");
		postmortem_add_section(pm, "summary", "Summary",
				       "The probe failed, the probe retried, the probe failed "
				       "again; every probe after that probe timed out, probe by probe.");
		put_ok(st, pm, STORE_ADDED);
		postmortem_free(pm);
	}
	struct store_rows rows;
	char *err = NULL;
	assert_int_equal(store_search(st, "probe", 1, &rows, &err), 0);
	assert_int_equal(rows.n, 1);
	assert_int_equal(rows.total, 3);
	assert_string_equal(rows.rows[0].id, "pm-302");
	store_rows_free(&rows);
	assert_search(st, "probe", "pm-302 pm-301 pm-300");
	store_free(st);
}

static void
test_search_japanese(void **state)
{
	(void)state;
	struct store *st = search_db("search-ja.db");
	struct store_rows rows;
	char *err = NULL;

	assert_search_set(st, "障害", "pm-032 pm-033");
	assert_search(st, "検索", "pm-033");
	assert_search_set(st, "障", "pm-032 pm-033");
	assert_search(st, "告", "pm-032");
	assert_search(st, "報", "pm-032");
	assert_search(st, "決済障", "pm-032");
	assert_search(st, "障害の報告", "pm-032");
	assert_search(st, "害決", "");
	assert_search(st, "枯渇", "pm-032");
	assert_search(st, "ジッター", "pm-032");
	assert_search(st, "監視", "pm-032");
	assert_search(st, "API 枯渇", "pm-032");
	assert_search(st, "決済API", "pm-032");
	assert_search(st, "障害　検索", "pm-033");
	assert_search(st, "障害、報告。", "pm-032");

	assert_int_equal(store_search(st, "枯渇", 0, &rows, &err), 0);
	assert_int_equal(rows.n, 1);
	assert_string_equal(rows.rows[0].title, "決済障害の報告");
	assert_non_null(strstr(rows.rows[0].snippet, "接続プールが枯渇した"));
	store_rows_free(&rows);
	store_free(st);
}

static void
test_search_syntax_is_safe(void **state)
{
	(void)state;
	struct store *st = search_db("search-syntax.db");
	const char *queries[] = {
		"payment\"", "pay*", "(payment", "payment)", "NEAR(payment api)", "payment OR",
		"AND payment", "NOT payment", "-payment", "title:payment", "^payment", "payment +",
		"{title}: payment", "payment\" OR \"障害",
	};
	struct store_rows rows;
	char *err = NULL;

	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		if (store_search(st, queries[i], 0, &rows, &err) < 0)
			fail_msg("\"%s\": %s", queries[i], err);
		store_rows_free(&rows);
	}
	assert_search(st, "(payment", "pm-031");
	assert_search(st, "NEAR(payment api)", "");
	assert_search(st, "payment\"", "pm-031");

	const char *empty[] = { "", "   ", "\"", "*", "()", "!?、。", "　" };
	for (size_t i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
		assert_int_equal(store_search(st, empty[i], 0, &rows, &err), -1);
		assert_non_null(err);
		assert_non_null(strstr(err, "nothing to search for"));
		assert_int_equal(rows.n, 0);
		free(err);
		err = NULL;
	}
	store_free(st);
}

static void
test_search_snippet(void **state)
{
	(void)state;
	struct store *st = open_db("snippet.db");
	struct postmortem *pm = make_pm("pm-050", "Terminal \x1b]0;pwned\x07 title", NULL);
	struct strbuf long_text = STRBUF_INIT;
	struct store_rows rows;
	char *err = NULL;

	for (int i = 0; i < 40; i++)
		strbuf_adds(&long_text, "filler words before ");
	strbuf_adds(&long_text, "the \x1b[31mneedle\x1b[0m\nsits here \x1b[2J");
	for (int i = 0; i < 40; i++)
		strbuf_adds(&long_text, " and filler words after");
	postmortem_add_section(pm, "summary", "Summary", strbuf_str(&long_text));
	postmortem_add_section(pm, "impact", "Impact", "障害が全文検索の障害になった。");
	put_ok(st, pm, STORE_ADDED);

	assert_int_equal(store_search(st, "needle", 0, &rows, &err), 0);
	assert_int_equal(rows.n, 1);
	const char *snip = rows.rows[0].snippet;
	assert_null(strchr(snip, '\x1b'));
	assert_null(strchr(snip, '\n'));
	assert_non_null(strstr(snip, "needle sits here"));
	assert_true(text_starts_with(snip, "\xE2\x80\xA6"));
	assert_true(text_width(snip) <= 80);
	assert_true(text_width(snip) >= 70);
	store_rows_free(&rows);

	assert_int_equal(store_search(st, "全文", 0, &rows, &err), 0);
	assert_int_equal(rows.n, 1);
	assert_non_null(strstr(rows.rows[0].snippet, "全文検索"));
	assert_true(text_width(rows.rows[0].snippet) <= 80);
	store_rows_free(&rows);

	strbuf_release(&long_text);
	postmortem_free(pm);
	store_free(st);
}

static void
test_search_minutes(void **state)
{
	(void)state;
	struct store *st = search_db("search-minutes.db");
	struct store_rows rows;
	char *err = NULL;

	exec_sql(st, "INSERT INTO meetings (id, week) VALUES (7, '2026-W49');"
		 "INSERT INTO agenda_items (id, meeting_id, pos, kind, postmortem_id, title) "
		 "VALUES (1, 7, 1, 'postmortem', 'pm-032', '決済障害の報告'),"
		 "(2, 7, 0, 'followups', NULL, 'Follow-ups');"
		 "INSERT INTO minutes (id, meeting_id, item_id, seq, kind, body, created_at) VALUES "
		 "(1, 7, 1, 1, 'note', 'リトライにジッターがなかった、カナリアも通過した', 'now'),"
		 "(2, 7, 2, 1, 'question', 'Why did the canary pass?', 'now'),"
		 "(3, 7, 1, 2, 'event', 'canary item started', 'now');");
	for (long long id = 1; id <= 3; id++)
		assert_int_equal(store_search_index_minute(st, id, &err), 0);

	assert_int_equal(store_search(st, "カナリア", 0, &rows, &err), 0);
	assert_int_equal(rows.n, 1);
	assert_string_equal(rows.rows[0].id, "2026-W49#1");
	assert_string_equal(rows.rows[0].title, "決済障害の報告");
	assert_string_equal(rows.rows[0].match, "minutes 2026-W49");
	assert_non_null(strstr(rows.rows[0].snippet, "カナリア"));
	store_rows_free(&rows);

	assert_int_equal(store_search(st, "canary", 0, &rows, &err), 0);
	assert_int_equal(rows.n, 1);
	/* an entry of an item without a postmortem has an id all the same */
	assert_string_equal(rows.rows[0].id, "2026-W49#1");
	assert_string_equal(rows.rows[0].title, "Follow-ups");
	assert_string_equal(rows.rows[0].match, "minutes 2026-W49");
	store_rows_free(&rows);

	/* both a postmortem and a minutes entry about it */
	assert_search(st, "ジッター", "2026-W49#1 pm-032");

	exec_sql(st, "UPDATE minutes SET deleted_at = 'now' WHERE id = 1");
	assert_int_equal(store_search_index_minute(st, 1, &err), 0);
	assert_search(st, "カナリア", "");
	assert_int_equal(store_search_index_minute(st, 999, &err), 0);

	assert_int_equal(store_postmortem_delete(st, "pm-033", &err), 0);
	assert_search(st, "検索", "");
	store_free(st);
}

/* Every table of the store reads, and it checks "ok", on a connection
 * without furikaeri's tokenizer, as in the sqlite3 shell or any browser. */
static void
assert_plain_sqlite(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *names, *stmt;
	size_t tables = 0;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_schema WHERE type = 'table'",
					    -1, &names, NULL), SQLITE_OK);
	while (sqlite3_step(names) == SQLITE_ROW) {
		char *sql = xasprintf("SELECT * FROM \"%s\"", sqlite3_column_text(names, 0));
		if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
			fail_msg("%s: %s", sql, sqlite3_errmsg(db));
		while (sqlite3_step(stmt) == SQLITE_ROW)
			;
		sqlite3_finalize(stmt);
		free(sql);
		tables++;
	}
	sqlite3_finalize(names);
	assert_true(tables > 10);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(stmt, 0), "ok");
	sqlite3_finalize(stmt);
	sqlite3_close(db);
}

static void
plain_exec(const char *path, const char *sql)
{
	sqlite3 *db;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(db);
}

/* The search index is derived data in a file of its own beside the store:
 * the store is plain SQLite; the index is built again when its file is
 * gone, was made by another version, or is out of step with the store (a
 * crash between the commits of the two files). */
static void
test_search_index_file(void **state)
{
	(void)state;
	char path[256], *index = NULL;
	struct store *st = search_db("index-file.db");
	struct stat sb;

	snprintf(path, sizeof(path), "%s/index-file.db", tmpdir);
	index = store_search_file_path(path);
	assert_int_equal(stat(index, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	store_free(st);
	assert_plain_sqlite(path);

	static const struct {
		const char *store_sql, *index_sql;
		int rebuilt;
	} cases[] = {
		{ NULL, NULL, 0 },	/* in step: opened as it is */
		{ NULL, "DELETE FROM search_source; UPDATE search_meta SET version = 0", 1 },
		{ "UPDATE search_state SET generation = generation + 1", "DELETE FROM search_source",
		  1 },
		{ NULL, "DELETE FROM search_source; DROP TABLE search_meta", 1 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].store_sql != NULL)
			plain_exec(path, cases[i].store_sql);
		if (cases[i].index_sql != NULL)
			plain_exec(index, cases[i].index_sql);
		st = open_db("index-file.db");
		assert_int_equal(st->search_rebuilt, cases[i].rebuilt);
		assert_search_set(st, "障害", "pm-032 pm-033");
		store_free(st);
	}
	/* gone, with its WAL */
	char *wal = xasprintf("%s-wal", index);
	unlink(index);
	unlink(wal);
	st = open_db("index-file.db");
	assert_int_equal(st->search_rebuilt, 1);
	assert_search(st, "retries", "pm-031");
	store_free(st);
	assert_int_equal(stat(index, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	free(wal);
	free(index);
}

/* A damaged index refuses the change that meets it, saying what to do,
 * once: the same change tried again (as a meeting's Enter does) is kept
 * without the index, which is built again when its file is deleted. */
static void
test_search_index_damaged(void **state)
{
	(void)state;
	char path[256], junk[3 * 4096], *err = NULL;
	struct store *st = search_db("damaged.db");
	struct postmortem *pm = make_pm("pm-040", "Disk alert paged nobody", "2026-12-02");
	enum store_upsert_result got;

	store_free(st);
	snprintf(path, sizeof(path), "%s/damaged.db", tmpdir);
	char *index = store_search_file_path(path);
	memset(junk, 0x5a, sizeof(junk));
	FILE *f = fopen(index, "r+");
	assert_non_null(f);
	assert_int_equal(fseek(f, 4096, SEEK_SET), 0);
	assert_int_equal(fwrite(junk, 1, sizeof(junk), f), sizeof(junk));
	fclose(f);

	st = open_db("damaged.db");
	assert_int_equal(store_postmortem_put(st, pm, &got, &err), -1);
	assert_non_null(strstr(err, "cannot be written: delete it"));
	free(err);
	err = NULL;
	put_ok(st, pm, STORE_ADDED);
	store_free(st);

	char *wal = xasprintf("%s-wal", index), *shm = xasprintf("%s-shm", index);
	unlink(index);
	unlink(wal);
	unlink(shm);
	free(wal);
	free(shm);
	st = open_db("damaged.db");
	assert_search(st, "nobody", "pm-040");
	store_free(st);
	postmortem_free(pm);
	free(index);
}

/* A person's Mattermost username (roster sync) goes with their chat id: a
 * new id drops it, so a mention never names the account they had. */
static void
test_chat_handle_follows_the_id(void **state)
{
	(void)state;
	struct store *st = open_db("handle.db");
	char *err = NULL, *id, *handle;

	assert_int_equal(store_person_add(st, "Mei", "engineering", &err), 0);
	assert_int_equal(store_person_set_chat(st, "Mei", "mei0", &err), 0);
	assert_int_equal(store_person_set_chat_handle(st, "Mei", "mei", &err), 0);
	assert_int_equal(store_person_chat_account(st, "Mei", &id, &handle, &err), 0);
	assert_string_equal(id, "mei0");
	assert_string_equal(handle, "mei");
	free(id);
	free(handle);
	assert_int_equal(store_person_set_chat(st, "Mei", "mei0", &err), 0);
	assert_int_equal(store_person_chat_account(st, "Mei", &id, &handle, &err), 0);
	assert_string_equal(handle, "mei");
	free(id);
	free(handle);
	assert_int_equal(store_person_set_chat(st, "Mei", "other", &err), 0);
	assert_int_equal(store_person_chat_account(st, "Mei", &id, &handle, &err), 0);
	assert_string_equal(id, "other");
	assert_null(handle);
	free(id);
	assert_int_equal(store_person_chat_account(st, "Nobody", &id, &handle, &err), 0);
	assert_null(id);
	assert_null(handle);
	store_free(st);
}

/* A store of version 15 held the index in itself, with the furikaeri
 * tokenizer: the upgrade drops it there and builds it in its own file. */
static void
test_search_index_moves_out(void **state)
{
	(void)state;
	char path[256];
	struct store *st = search_db("v12-search.db");

	snprintf(path, sizeof(path), "%s/v12-search.db", tmpdir);
	exec_sql(st, "DROP TABLE search_state;"
		 "CREATE TABLE search_source (id INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
		 " ref TEXT NOT NULL, UNIQUE (kind, ref));"
		 "CREATE VIRTUAL TABLE main.search_index USING fts5(title, body,"
		 " tokenize = 'furikaeri');"
		 "INSERT INTO main.search_index (rowid, title, body) VALUES (1, 'x', 'y');"
		 /* and without what later versions added */
		 "DROP INDEX people_chat_id;"
		 "DROP INDEX chat_posts_once;"
		 "ALTER TABLE chat_posts DROP COLUMN recipient;"
		 "ALTER TABLE chat_posts DROP COLUMN once_key;"
		 "ALTER TABLE people DROP COLUMN chat_handle;"
		 "ALTER TABLE people DROP COLUMN chat_id;"
		 "ALTER TABLE agenda_items DROP COLUMN closed_at;"
		 "ALTER TABLE people DROP COLUMN email;"
		 "PRAGMA user_version = 15");
	store_free(st);
	char *index = store_search_file_path(path);
	unlink(index);
	free(index);

	st = open_db("v12-search.db");
	assert_int_equal(store_version_at_open(st), 15);
	assert_search_set(st, "障害", "pm-032 pm-033");
	store_free(st);
	assert_plain_sqlite(path);
}

static void
test_foreign_keys_and_wal(void **state)
{
	(void)state;
	struct store *st = open_db("pragmas.db");
	sqlite3_stmt *stmt;

	assert_int_equal(sqlite3_exec(st->db,
		"INSERT INTO measures (postmortem_id, title, marker, created_at) "
		"VALUES ('pm-none', 'orphan', 'fk-x', 'now')", NULL, NULL, NULL),
		SQLITE_CONSTRAINT_FOREIGNKEY);

	assert_int_equal(sqlite3_prepare_v2(st->db, "PRAGMA journal_mode", -1, &stmt, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(stmt, 0), "wal");
	sqlite3_finalize(stmt);
	store_free(st);
}

static void
test_newer_schema_refused(void **state)
{
	(void)state;
	char path[256];
	char *err = NULL;
	sqlite3 *db;

	snprintf(path, sizeof(path), "%s/future.db", tmpdir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA application_id = 1718317673; "
				      "CREATE TABLE t (x); PRAGMA user_version = 99",
				      NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_null(store_open(path, &err));
	assert_non_null(err);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "99"));
	assert_non_null(strstr(err, "newer furikaeri"));
	free(err);
}

static char *
read_fixture(const char *name)
{
	const char *top = getenv("FK_SRCDIR");
	char path[512];
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;

	snprintf(path, sizeof(path), "%s/tests/fixtures/%s", top != NULL ? top : FK_SRCDIR, name);
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s", path);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(f);
	return strbuf_detach(&sb);
}

static void
test_migration_from_v1(void **state)
{
	(void)state;
	char path[256];
	char *err = NULL, *sql = read_fixture("schema-v1.sql");
	sqlite3 *db;
	struct store_rows rows;

	snprintf(path, sizeof(path), "%s/v1.db", tmpdir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("schema-v1.sql: %s", sqlite3_errmsg(db));
	sqlite3_close(db);
	free(sql);

	struct store *st = store_open(path, &err);
	assert_non_null(st);
	assert_int_equal(store_version_at_open(st), 1);

	struct postmortem *pm = store_postmortem_get(st, "pm-031", &err);
	assert_non_null(pm);
	assert_string_equal(pm->title, "Payment API timeouts after deploy");
	assert_string_equal(pm->time, "14:05");
	assert_int_equal(pm->n_authors, 2);
	assert_int_equal(pm->n_sections, 3);
	assert_string_equal(pm->sections[2].heading, "Root cause");
	assert_int_equal(pm->n_measures, 2);
	assert_int_equal(pm->measures[0].id, 1);
	assert_string_equal(pm->measures[0].ticket, "OPS-412");
	assert_int_equal(pm->measures[1].status, MEASURE_DONE);
	postmortem_free(pm);
	pm = store_postmortem_get(st, "pm-032", &err);
	assert_non_null(pm);
	assert_string_equal(pm->title, "決済障害の報告");
	assert_string_equal(pm->authors[0], "佐藤");
	assert_int_equal(pm->n_sections, 3);
	assert_string_equal(pm->sections[2].key, "Customer Voice");
	assert_int_equal(pm->n_measures, 1);
	assert_int_equal(pm->measures[0].id, 3);
	postmortem_free(pm);

	assert_search(st, "障害", "pm-032");
	assert_search(st, "retry storm", "pm-031");
	assert_int_equal(store_search(st, "canary", 0, &rows, &err), 0);
	assert_int_equal(rows.n, 1);
	assert_string_equal(rows.rows[0].id, "2026-W49#2");
	assert_string_equal(rows.rows[0].title, "Payment API timeouts after deploy");
	assert_string_equal(rows.rows[0].match, "minutes 2026-W49");
	store_rows_free(&rows);
	/* the note and the postmortem's section both speak of the jitter */
	assert_int_equal(store_search(st, "ジッター", 0, &rows, &err), 0);
	assert_int_equal(rows.n, 2);
	store_rows_free(&rows);
	assert_search(st, "withdrawn", "");
	assert_search(st, "started", "");

	/* a re-import of the same measure keeps its id */
	pm = store_postmortem_get(st, "pm-031", &err);
	free(pm->hash);
	pm->hash = xstrdup("changed");
	put_ok(st, pm, STORE_UPDATED);
	assert_int_equal(pm->measures[0].id, 1);
	assert_int_equal(pm->measures[1].id, 2);
	postmortem_free(pm);
	store_free(st);

	st = store_open(path, &err);
	assert_non_null(st);
	assert_int_equal(store_version_at_open(st), store_n_migrations);
	assert_search(st, "決済", "pm-032");
	store_free(st);
}

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
test_scale(void **state)
{
	(void)state;
	struct store *st = open_db("scale.db");
	struct timespec t0;
	struct store_rows rows;
	char *err = NULL;
	const int n = 10000;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(store_begin(st, &err), 0);
	for (int i = 0; i < n; i++) {
		char id[32], title[128];
		snprintf(id, sizeof(id), "pm-%05d", i);
		snprintf(title, sizeof(title), "Incident %d: %s", i,
			 i % 3 == 0 ? "決済障害の報告" : i % 3 == 1 ? "database failover" : "検索の遅延");
		struct postmortem *pm = make_pm(id, title, i % 10 == 0 ? NULL : "2026-11-01");
		postmortem_add_author(pm, "Aoi");
		postmortem_add_section(pm, "summary", "Summary",
				       "The payment API timed out; 接続プールが枯渇した。");
		postmortem_add_section(pm, "root_cause", "Root cause",
				       "A retry storm exhausted the connection pool.");
		postmortem_add_measure(pm, "Add pool saturation alert");
		postmortem_add_measure(pm, "リトライにジッターを入れる");
		put_ok(st, pm, STORE_ADDED);
		postmortem_free(pm);
	}
	assert_int_equal(store_commit(st, &err), 0);
	double put_s = seconds_since(&t0);

	/* from a rare word to prefixes that match every row */
	const char *queries[] = { "障害", "障", "failover", "pool", "incident 4242", "p*", "接続" };
	double search_s = 0;
	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		assert_int_equal(store_search(st, queries[i], 20, &rows, &err), 0);
		double s = seconds_since(&t0);
		if (s > search_s)
			search_s = s;
		assert_true(rows.n > 0);
		store_rows_free(&rows);
	}
	/* the figures for the record; timing is measured by make bench, not
	 * asserted here (a loaded machine or a sanitizer build is slower) */
	print_message("# %d puts: %.2f s; slowest search: %.1f ms\n", n, put_s, search_s * 1000);
	store_free(st);
}

/* The outbox of schema 4 moves to the state machine: a row left sending is
 * an unknown outcome to look up, a refused one waits for a person (and, sent
 * before, is looked up before it is sent again); measures may be dropped
 * from then on. */
static void
test_outbox_migration_from_v4(void **state)
{
	(void)state;
	char path[256], *err = NULL, *msg = NULL;
	sqlite3 *db;
	sqlite3_stmt *stmt;
	struct store *st;
	static const char *const want[] = {
		"1|unknown|1|2026-11-30T10:00:00Z", "2|refused|1|", "3|queued|0|", "4|delivered|0|",
	};
	int i = 0;

	snprintf(path, sizeof(path), "%s/v4.db", tmpdir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	for (int v = 0; v < 4; v++) {
		/* the search index needs the store's tokenizer, which this bare
		 * connection lacks: that error alone is expected */
		if (sqlite3_exec(db, store_migrations[v], NULL, NULL, &msg) != SQLITE_OK &&
		    strstr(msg, "furikaeri") == NULL)
			fail_msg("migration %d: %s", v, msg);
		sqlite3_free(msg);
		msg = NULL;
	}
	assert_int_equal(sqlite3_exec(db,
		"PRAGMA user_version = 4;"
		"INSERT INTO measures (id, title, marker, created_at) VALUES"
		" (1, 'a', 'm1', 'x'), (2, 'b', 'm2', 'x'), (3, 'c', 'm3', 'x'), (4, 'd', 'm4', 'x');"
		"INSERT INTO ticket_outbox (measure_id, tracker, state, attempts, last_error,"
		" ticket_key, queued_at, updated_at) VALUES"
		" (1, 'github', 'sending', 1, NULL, NULL, 'x', '2026-11-30T10:00:00Z'),"
		" (2, 'jira', 'queued', 1, 'POST /issue: 400', NULL, 'x', 'y'),"
		" (3, 'jira', 'queued', 0, NULL, NULL, 'x', 'y'),"
		" (4, 'github', 'filed', 1, NULL, 'acme/pay#4', 'x', 'y');", NULL, NULL, &msg),
		SQLITE_OK);
	sqlite3_close(db);
	sqlite3_free(msg);

	st = store_open(path, &err);
	if (st == NULL)
		fail_msg("%s", err);
	assert_int_equal(store_version_at_open(st), 4);
	assert_int_equal(sqlite3_prepare_v2(st->db,
		"SELECT measure_id || '|' || state || '|' || look_first || '|' ||"
		" coalesce(next_attempt_at, '') FROM ticket_outbox ORDER BY measure_id", -1, &stmt,
		NULL), SQLITE_OK);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		assert_true(i < 4);
		assert_string_equal((const char *)sqlite3_column_text(stmt, 0), want[i++]);
	}
	sqlite3_finalize(stmt);
	assert_int_equal(i, 4);
	exec_sql(st, "UPDATE measures SET status = 'dropped' WHERE id = 1");
	if (sqlite3_exec(st->db, "UPDATE measures SET status = 'bogus' WHERE id = 2", NULL, NULL,
			 NULL) == SQLITE_OK)
		fail_msg("the status CHECK no longer holds");
	/* rows from before the postmortem issues are measures' tickets; a
	 * postmortem's issue has no measure, and its marker is unique */
	assert_int_equal(sqlite3_prepare_v2(st->db, "SELECT count(*) FROM ticket_outbox"
		" WHERE kind = 'measure'", -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(stmt, 0), 4);
	sqlite3_finalize(stmt);
	exec_sql(st, "INSERT INTO ticket_outbox (kind, state, queued_at, updated_at, issue_marker,"
		 " issue_title, issue_body) VALUES ('postmortem', 'queued', 'x', 'x', 'pm-1', 't', 'b')");
	if (sqlite3_exec(st->db, "INSERT INTO ticket_outbox (kind, state, queued_at, updated_at,"
			 " issue_marker) VALUES ('postmortem', 'queued', 'x', 'x', 'pm-1')", NULL,
			 NULL, NULL) == SQLITE_OK)
		fail_msg("a postmortem issue's marker is not unique");
	if (sqlite3_exec(st->db, "INSERT INTO ticket_outbox (kind, state, queued_at, updated_at)"
			 " VALUES ('bogus', 'queued', 'x', 'x')", NULL, NULL, NULL) == SQLITE_OK)
		fail_msg("the kind CHECK does not hold");
	store_free(st);
}

/* A version-9 store's filed ticket is a delivered one from version 10 on
 * (the engine's name), its history too, and the file stays sound: the
 * CHECK edited in place holds for every row. People still read "filed". */
static void
test_outbox_migration_from_v9(void **state)
{
	(void)state;
	char path[256], *err = NULL, *msg = NULL, **lines = NULL;
	sqlite3 *db;
	sqlite3_stmt *stmt;
	struct store *st;
	struct store_outbox_item it;
	bool found = false;

	snprintf(path, sizeof(path), "%s/v9.db", tmpdir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	for (int v = 0; v < 9; v++) {
		/* the search index needs the store's tokenizer, which this bare
		 * connection lacks: that error alone is expected */
		if (sqlite3_exec(db, store_migrations[v], NULL, NULL, &msg) != SQLITE_OK &&
		    strstr(msg, "furikaeri") == NULL)
			fail_msg("migration %d: %s", v, msg);
		sqlite3_free(msg);
		msg = NULL;
	}
	if (sqlite3_exec(db,
		"PRAGMA user_version = 9;"
		"INSERT INTO measures (id, title, marker, created_at, ticket) VALUES"
		" (1, 'a', 'm1', 'x', 'acme/pay#4'), (2, 'b', 'm2', 'x', NULL);"
		"INSERT INTO ticket_outbox (id, measure_id, tracker, state, attempts, ticket_key,"
		" queued_at, updated_at, sent_at) VALUES"
		" (1, 1, 'github', 'filed', 1, 'acme/pay#4', 'x', 'y', 'y'),"
		" (2, 2, 'jira', 'queued', 0, NULL, 'x', 'y', NULL);"
		"INSERT INTO ticket_history (outbox_id, at, state, note) VALUES"
		" (1, '2026-12-01T00:00:00Z', 'queued', 'queued'),"
		" (1, '2026-12-01T00:00:01Z', 'filed', 'filed acme/pay#4');", NULL, NULL, &msg) !=
	    SQLITE_OK)
		fail_msg("version 9 rows: %s", msg);
	sqlite3_close(db);

	st = store_open(path, &err);
	if (st == NULL)
		fail_msg("%s", err);
	assert_int_equal(store_version_at_open(st), 9);
	assert_int_equal(store_outbox_get(st, 1, &it, &found, &err), 0);
	assert_true(found);
	assert_int_equal(it.state, DELIVER_DELIVERED);
	assert_string_equal(it.ticket_key, "acme/pay#4");
	store_outbox_item_release(&it);
	assert_int_equal(store_outbox_get(st, 2, &it, &found, &err), 0);
	assert_int_equal(it.state, DELIVER_QUEUED);
	store_outbox_item_release(&it);
	assert_int_equal(sqlite3_prepare_v2(st->db, "SELECT group_concat(state, ',') FROM"
		" (SELECT state FROM ticket_history ORDER BY id)", -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(stmt, 0), "queued,delivered");
	sqlite3_finalize(stmt);
	/* a ticket delivered before keys were owed by the delivery is settled:
	 * no chat flush posts its key again; one still on its way owes it */
	assert_int_equal(sqlite3_prepare_v2(st->db, "SELECT group_concat(coalesce(key_post_id,"
		" 'owed'), ',') FROM (SELECT key_post_id FROM ticket_outbox ORDER BY id)", -1, &stmt,
		NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(stmt, 0), "0,owed");
	sqlite3_finalize(stmt);
	/* what people read keeps its word */
	assert_int_equal(store_delivery_history(st, STORE_DELIVERY_TICKET, 1, &lines, &err), 0);
	assert_string_equal(lines[1], "2026-12-01T00:00:01Z filed filed acme/pay#4");
	store_delivery_history_free(lines);
	assert_int_equal(sqlite3_prepare_v2(st->db, "PRAGMA integrity_check", -1, &stmt, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(stmt, 0), "ok");
	sqlite3_finalize(stmt);
	/* the old name is no state any more */
	if (sqlite3_exec(st->db, "UPDATE ticket_outbox SET state = 'filed' WHERE id = 2", NULL,
			 NULL, NULL) == SQLITE_OK)
		fail_msg("the state CHECK still takes 'filed'");
	store_free(st);
}

/* Stats count as agreed only what a postmortem adopts or a meeting agreed,
 * never a not-adopted measure; the median is over measures with both an
 * agreement and a done date, and says over how many. */
static void
test_stats_agreed_and_median(void **state)
{
	(void)state;
	struct store *st = open_db("stats.db");
	struct store_stats s;
	char *err = NULL;

	exec_sql(st,
		 "INSERT INTO postmortems (id, source, content_hash, title, date, imported_at,"
		 " updated_at) VALUES ('pm-1', 's', 'h', 'T', '2026-11-02', 'x', 'x');"
		 "INSERT INTO measures (postmortem_id, title, status, origin, marker, created_at,"
		 " agreed_at, done_at) VALUES"
		 " ('pm-1', 'imported open', 'open', 'import', 'a1', '2026-11-03', NULL, NULL),"
		 " ('pm-1', 'imported done', 'done', 'import', 'a2', '2026-11-03', NULL, '2026-11-03'),"
		 " ('pm-1', 'not adopted', 'not_doing', 'import', 'a3', '2026-11-03', NULL, NULL),"
		 " ('pm-1', 'proposed only', 'open', 'meeting', 'a4', '2026-11-03', NULL, NULL),"
		 " ('pm-1', 'agreed, done', 'done', 'meeting', 'a5', '2026-11-03', '2026-11-04',"
		 "  '2026-11-14'),"
		 " ('pm-1', 'agreed, dropped', 'dropped', 'meeting', 'a6', '2026-11-03',"
		 "  '2026-11-04', NULL)");
	assert_int_equal(store_stats_collect(st, NULL, "2026-12-01", &s, &err), 0);
	assert_int_equal(s.agreed, 4);
	assert_int_equal(s.done, 2);
	assert_int_equal(s.dropped, 1);
	assert_int_equal(s.median_n, 1);
	assert_true(s.median_days > 9.9 && s.median_days < 10.1);
	store_stats_release(&s);
	store_free(st);
}

/* A file of version v as the furikaeri of that version left it, with one
 * postmortem in it (the search index needs the store's tokenizer, which a
 * bare connection lacks: that error alone is expected). */
static void
make_old_file(const char *path, int v)
{
	sqlite3 *db;
	char *msg = NULL, bump[64];

	unlink(path);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	for (int i = 0; i < v; i++) {
		if (sqlite3_exec(db, store_migrations[i], NULL, NULL, &msg) != SQLITE_OK &&
		    strstr(msg, "furikaeri") == NULL)
			fail_msg("migration %d: %s", i, msg);
		sqlite3_free(msg);
		msg = NULL;
	}
	snprintf(bump, sizeof(bump), "PRAGMA user_version = %d", v);
	if (sqlite3_exec(db, bump, NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(db, "INSERT INTO postmortems (id, source, content_hash, title,"
			 " imported_at, updated_at) VALUES ('pm-race', 'race.md', 'h', 'Race',"
			 " 'now', 'now')", NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("version %d: %s", v, msg);
	sqlite3_close(db);
}

/* Every old version opened by two and by four processes at once, many
 * times: each process opens it, and the file ends at the newest version
 * with its postmortem (issue 21: a step run twice left files nothing could
 * open). */
static void
test_upgrade_races(void **state)
{
	(void)state;
	char path[256];
	int files = 0, opens = 0, failed = 0;
	const int runs = 4;

	snprintf(path, sizeof(path), "%s/race.db", tmpdir);
	for (int v = 1; v < store_n_migrations; v++)
		for (int procs = 2; procs <= 4; procs += 2)
			for (int run = 0; run < runs; run++) {
				pid_t pids[4];
				char *err = NULL;

				make_old_file(path, v);
				for (int i = 0; i < procs; i++) {
					pids[i] = fork();
					if (pids[i] == 0) {
						struct store *st = store_open(path, &err);

						_exit(st != NULL ? 0 : 1);
					}
					assert_true(pids[i] > 0);
				}
				for (int i = 0; i < procs; i++) {
					int status = 0;

					assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
					failed += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
					opens++;
				}
				struct store *st = store_open(path, &err);
				if (st == NULL)
					fail_msg("version %d, %d processes: the file no longer opens: %s",
						 v, procs, err);
				assert_int_equal(store_version_at_open(st), store_n_migrations);
				struct postmortem *pm = store_postmortem_get(st, "pm-race", &err);
				if (pm == NULL)
					fail_msg("version %d: the postmortem is gone: %s", v,
						 err ? err : "not found");
				assert_string_equal(pm->title, "Race");
				postmortem_free(pm);
				store_free(st);
				files++;
			}
	printf("# upgrade races: versions 1-%d x 2 and 4 processes x %d runs: %d files, %d opens,"
	       " %d failed, every file at version %d with its postmortem\n",
	       store_n_migrations - 1, runs, files, opens, failed, store_n_migrations);
	assert_int_equal(failed, 0);
}

int
main(int argc, char **argv)
{
	self = argv[0];
	if (argc == 3 && strcmp(argv[1], "--count") == 0)
		return count_rows(argv[2]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_creates_private_file),
		cmocka_unit_test(test_second_open_keeps_locks),
		cmocka_unit_test(test_not_a_database),
		cmocka_unit_test(test_foreign_database_untouched),
		cmocka_unit_test(test_put_get_round_trip),
		cmocka_unit_test(test_put_unchanged_and_updated),
		cmocka_unit_test(test_outbox_keeps_vanished_measure),
		cmocka_unit_test(test_put_refuses_missing_title),
		cmocka_unit_test(test_list_order_and_filters),
		cmocka_unit_test(test_search_english),
		cmocka_unit_test(test_search_japanese),
		cmocka_unit_test(test_search_syntax_is_safe),
		cmocka_unit_test(test_search_snippet),
		cmocka_unit_test(test_search_ranking),
		cmocka_unit_test(test_search_minutes),
		cmocka_unit_test(test_search_index_file),
		cmocka_unit_test(test_search_index_moves_out),
		cmocka_unit_test(test_chat_handle_follows_the_id),
		cmocka_unit_test(test_search_index_damaged),
		cmocka_unit_test(test_foreign_keys_and_wal),
		cmocka_unit_test(test_newer_schema_refused),
		cmocka_unit_test(test_migration_from_v1),
		cmocka_unit_test(test_outbox_migration_from_v4),
		cmocka_unit_test(test_outbox_migration_from_v9),
		cmocka_unit_test(test_upgrade_races),
		cmocka_unit_test(test_stats_agreed_and_median),
		cmocka_unit_test(test_scale),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests_name("store", tests, setup, teardown);
}
