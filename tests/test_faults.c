#include "config.h"

#include <locale.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "furikaeri/headings.h"
#include "furikaeri/importer.h"
#include "furikaeri/session.h"
#include "furikaeri/store.h"
#include "furikaeri/store_meeting.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/xalloc.h"
#include "store_private.h"

/* The store failing under a meeting: the disk fills (SQLITE_FULL, made with
 * PRAGMA max_page_count since the tests run as root and no small
 * filesystem can be mounted) or the database turns read-only (PRAGMA
 * query_only). The reply must be an error, so the UI keeps the line; the
 * message must say what happened; nothing recorded before may be lost. */

static char tmpdir[] = "/tmp/fk-test-faults-XXXXXX";

static int
setup(void **state)
{
	(void)state;
	setlocale(LC_ALL, "C.UTF-8");
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	if (getenv("FK_KEEP") != NULL)
		return 0;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *
srcdir(void)
{
	return getenv("FK_SRCDIR") != NULL ? getenv("FK_SRCDIR") : FK_SRCDIR;
}

static struct store *
demo_store(const char *path)
{
	char *err = NULL, *data = xasprintf("%s/data/demo/postmortems", srcdir());
	char *hdir = xasprintf("%s/data/headings", srcdir());
	const char *dirs[] = { hdir };
	struct store *st = store_open(path, &err);
	struct importer_counts counts;
	struct headings *h;

	assert_non_null(st);
	h = headings_load(dirs, 1, &err);
	assert_non_null(h);
	importer_run(st, h, &data, 1, NULL, &counts);
	assert_int_equal(counts.failed, 0);
	for (const char *const *n = (const char *const[]){ "Aoi", "Ken", "Mei", NULL }; *n != NULL;
	     n++)
		assert_int_equal(store_person_add(st, *n, NULL, &err), 0);
	headings_free(h);
	free(hdir);
	free(data);
	return st;
}

static struct session *
open_week(struct store *st)
{
	struct session_options opt = { .week = "2026-W48" };
	char *err = NULL;
	struct session *s = session_open(st, &opt, &err);

	if (s == NULL)
		print_error("%s\n", err);
	assert_non_null(s);
	return s;
}

static void
say(struct session *s, const char *line)
{
	struct session_reply r = { 0 };

	session_input(s, line, &r);
	if (r.error)
		print_error("'%s': %s\n", line, r.message != NULL ? r.message : "?");
	assert_false(r.error);
	session_reply_clear(&r);
}

static void
pragma(struct store *st, const char *sql)
{
	assert_int_equal(sqlite3_exec(st->db, sql, NULL, NULL, NULL), SQLITE_OK);
}

/* The bodies of the meeting's entries, as a fresh connection reads them. */
static char *
recorded(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *stmt;
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT body FROM minutes ORDER BY seq", -1,
					    &stmt, NULL), SQLITE_OK);
	while (sqlite3_step(stmt) == SQLITE_ROW)
		strbuf_addf(&sb, "%s|", (const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return strbuf_detach(&sb);
}

static char *
long_note(void)
{
	struct strbuf sb = STRBUF_INIT;

	while (sb.len < 64 * 1024)
		strbuf_adds(&sb, "the retry storm filled the connection pool again; ");
	return strbuf_detach(&sb);
}

/* Types line, which the store cannot take: an error that says why, and
 * the meeting's entries unchanged. */
static void
expect_refused(struct session *s, const char *line, const char *why)
{
	struct session_reply r = { 0 };
	size_t before = session_minutes(s)->n;

	session_input(s, line, &r);
	if (!r.error)
		print_error("'%.40s' was taken: %s\n", line, r.message ? r.message : "");
	assert_true(r.error);
	assert_non_null(r.message);
	if (strstr(r.message, why) == NULL)
		print_error("message [%s] lacks [%s]\n", r.message, why);
	assert_non_null(strstr(r.message, why));
	assert_non_null(strstr(r.message, "not saved (the line is kept"));
	assert_true(r.keep_line);
	assert_int_equal(session_minutes(s)->n, before);
	session_reply_clear(&r);
}

/* A full disk refuses what needs a new page (small changes may still fit
 * in a page); a read-only database refuses every change. */
static void
run_fault(const char *name, const char *fault, const char *heal, const char *why,
	  bool small_too)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	struct store *st = demo_store(path);
	struct session *s = open_week(st);
	char *note = long_note(), *after;
	char *decision = xasprintf("/decide %s", note);

	say(s, "");
	say(s, "/next");
	say(s, "Timeouts started right after the deploy");
	say(s, "/action Add jitter to retries @Mei due:2026-12-15");
	pragma(st, fault);
	expect_refused(s, note, why);
	expect_refused(s, decision, why);
	if (small_too) {
		expect_refused(s, "a short note", why);
		expect_refused(s, "/agree 1", why);
		expect_refused(s, "/next", why);
	}
	after = recorded(path);
	assert_string_equal(after, "Timeouts started right after the deploy|"
			    "Add jitter to retries|");
	free(after);
	/* Room again: the same line, kept by the UI, goes in. */
	pragma(st, heal);
	say(s, note);
	say(s, "/agree 1");
	session_free(s);
	store_free(st);
	after = recorded(path);
	assert_non_null(strstr(after, "Add jitter to retries|the retry storm"));
	free(after);
	free(decision);
	free(note);
	free(path);
}

static void
test_disk_full(void **state)
{
	(void)state;
	/* max_page_count never goes below the current size, and VACUUM leaves
	 * no free page to reuse: the file cannot grow. */
	run_fault("full.db", "VACUUM; PRAGMA max_page_count = 1",
		  "PRAGMA max_page_count = 1073741823",
		  "disk is full", false);
}

static void
test_read_only(void **state)
{
	(void)state;
	run_fault("ro.db", "PRAGMA query_only = 1", "PRAGMA query_only = 0", "readonly", true);
}

/* The clocks cannot be saved either: the meeting goes on, and closing it
 * does not crash or lose the entries. */
static void
test_read_only_at_close(void **state)
{
	char *path = xasprintf("%s/close.db", tmpdir), *after;
	struct store *st = demo_store(path);
	struct session *s = open_week(st);

	(void)state;
	say(s, "");
	say(s, "/next");
	say(s, "kept through a read-only close");
	pragma(st, "PRAGMA query_only = 1");
	(void)session_tick(s);
	session_free(s);
	store_free(st);
	after = recorded(path);
	assert_string_equal(after, "kept through a read-only close|");
	free(after);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_disk_full),
		cmocka_unit_test(test_read_only),
		cmocka_unit_test(test_read_only_at_close),
	};

	return cmocka_run_group_tests_name("faults", tests, setup, teardown);
}
