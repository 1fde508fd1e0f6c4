#include "config.h"

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "fake/fake_clock.h"
#include "fake/fake_drive.h"
#include "fake/fake_http.h"
#include "furikaeri/config.h"
#include "furikaeri/headings.h"
#include "furikaeri/postmortem.h"
#include "furikaeri/source.h"
#include "furikaeri/store.h"
#include "furikaeri/token_command.h"
#include "furikaeri/xalloc.h"

/* Importing postmortems kept as Google Docs against the stateful fake
 * Drive (tests/fake/fake_drive.c, a folder on disk): pages, a Doc changed
 * between two imports, an export that fails once and is asked for again,
 * a Doc that leaves the folder, the token from a command, an expired
 * token. */

#define NOW 1790000000L	/* 2026-09-21T14:13:20Z */
#define FOLDER "1PmFolder_Ab-9"
#define TOKEN "ya29.gdocs_test_0123456789"

static char tmpdir[] = "/tmp/fk-test-gdocs-XXXXXX";

struct fixture {
	struct fake_http *f;
	struct fake_drive *drive;
	struct store *st;
	struct headings *h;
	struct config *cfg;
	struct fake_clock clock;
	struct http_clock hc;
	struct source_options so;
	char errors[4096];
	char gone[2048];
	char db[256];
	char dir[256];
};

static void
on_error(const char *message, void *ctx)
{
	struct fixture *fx = ctx;
	size_t n = strlen(fx->errors);

	snprintf(fx->errors + n, sizeof(fx->errors) - n, "%s\n", message);
}

static void
on_gone(const char *id, const char *why, void *ctx)
{
	struct fixture *fx = ctx;
	size_t n = strlen(fx->gone);

	snprintf(fx->gone + n, sizeof(fx->gone) - n, "%s: %s\n", id, why);
}

static const char *
srcdir(void)
{
	const char *s = getenv("FK_SRCDIR");
	return s != NULL ? s : FK_SRCDIR;
}

static void
use_config(struct fixture *fx, const char *extra)
{
	char *text, *err = NULL;

	text = xasprintf("[gdocs]\nurl = %s\n%s\n", fake_http_url(fx->f), extra);
	config_free(fx->cfg);
	fx->cfg = config_parse(text, "test.ini", &err);
	if (fx->cfg == NULL)
		fail_msg("%s", err);
	free(text);
}

/* Writes the Doc id (its Markdown, and its name when not NULL), modified
 * at the fake clock's now less ago seconds. */
static void
put_doc(struct fixture *fx, const char *id, const char *name, const char *md, long ago)
{
	char *path = xasprintf("%s/%s.md", fx->dir, id);
	FILE *fp = fopen(path, "w");
	struct timespec times[2];

	assert_non_null(fp);
	fputs(md, fp);
	fclose(fp);
	times[0].tv_sec = times[1].tv_sec = (time_t)(fx->clock.epoch - ago);
	times[0].tv_nsec = times[1].tv_nsec = 0;
	assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
	free(path);
	if (name != NULL) {
		path = xasprintf("%s/%s.name", fx->dir, id);
		fp = fopen(path, "w");
		assert_non_null(fp);
		fputs(name, fp);
		fclose(fp);
		free(path);
	}
}

static void
fail_export_once(struct fixture *fx, const char *id, int status)
{
	char *path = xasprintf("%s/%s.fail", fx->dir, id);
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fprintf(fp, "%d\n", status);
	fclose(fp);
	free(path);
}

static int
group_setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
group_teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);
	int rc = system(cmd);

	(void)state;
	free(cmd);
	return rc == 0 ? 0 : -1;
}

static int
setup(void **state)
{
	static int n;
	struct fixture *fx = xcalloc(1, sizeof(*fx));
	char *dir = xasprintf("%s/data/headings", srcdir()), *err = NULL;
	const char *dirs[] = { dir };

	setenv("GOOGLE_OAUTH_ACCESS_TOKEN", TOKEN, 1);
	snprintf(fx->db, sizeof(fx->db), "%s/s%d.db", tmpdir, ++n);
	snprintf(fx->dir, sizeof(fx->dir), "%s/drive%d", tmpdir, n);
	assert_int_equal(mkdir(fx->dir, 0700), 0);
	fx->f = fake_http_start();
	assert_non_null(fx->f);
	fx->drive = fake_drive_new(fx->f, fx->dir, FOLDER, TOKEN);
	fx->st = store_open(fx->db, &err);
	assert_non_null(fx->st);
	fx->h = headings_load(dirs, 1, &err);
	assert_non_null(fx->h);
	free(dir);
	fx->clock.epoch = NOW;
	fx->hc = fake_clock_http(&fx->clock);
	fx->so = (struct source_options){ .clock = &fx->hc, .on_error = on_error,
					  .on_gone = on_gone, .ctx = fx };
	use_config(fx, "");
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	store_free(fx->st);
	headings_free(fx->h);
	fake_drive_free(fx->drive);
	fake_http_stop(fx->f);
	config_free(fx->cfg);
	free(fx);
	return 0;
}

static int
run(struct fixture *fx, const char *text, struct source_counts *c)
{
	struct source_spec spec;
	char *err = NULL;
	int rc;

	fx->errors[0] = fx->gone[0] = '\0';
	assert_int_equal(source_spec_parse(text, NULL, NULL, &spec, &err), 0);
	rc = source_import(fx->st, fx->cfg, fx->h, &spec, &fx->so, c, &err);
	if (rc < 0)
		snprintf(fx->errors + strlen(fx->errors), sizeof(fx->errors) - strlen(fx->errors),
			 "%s\n", err);
	free(err);
	source_spec_release(&spec);
	return rc;
}

static struct postmortem *
get(struct fixture *fx, const char *id)
{
	char *err = NULL;
	struct postmortem *pm = store_postmortem_get(fx->st, id, &err);

	if (pm == NULL)
		fail_msg("no postmortem %s: %s", id, err ? err : "not found");
	return pm;
}

static int
query_int(struct fixture *fx, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *stmt;
	int v = -1;

	assert_int_equal(sqlite3_open(fx->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return v;
}

/* How many recorded requests have target's prefix and contain part. */
static size_t
count_with(struct fixture *fx, const char *prefix, const char *part)
{
	size_t n = 0;

	for (size_t i = 0; i < fake_http_n_requests(fx->f); i++) {
		struct fake_http_request *r = fake_http_request_at(fx->f, i);
		if (strncmp(r->target, prefix, strlen(prefix)) == 0 &&
		    (part == NULL || strstr(r->target, part) != NULL))
			n++;
		fake_http_request_free(r);
	}
	return n;
}

#define PM_A "# Payment API timeouts\n\n**Date:** 2026-09-14\n**Severity:** SEV2\n\n" \
	"## Summary\n\nCheckout failed for 37 minutes.\n\n## Root cause\n\nA retry storm.\n\n" \
	"## Prevention measures\n\n- [ ] Add jitter to retries (Owner: Aoi)\n"
#define PM_B "Search was down after the index rebuild.\n\n## Timeline\n\n- 10:02 alert\n"

static void
test_spec_parse(void **state)
{
	struct source_spec s;
	char *err = NULL;

	(void)state;
	assert_int_equal(source_spec_parse("gdocs: 1AbC_d-9 ", NULL, NULL, &s, &err), 0);
	assert_int_equal(s.kind, SOURCE_GDOCS);
	assert_string_equal(s.folder, "1AbC_d-9");
	assert_string_equal(s.text, "gdocs:1AbC_d-9");
	source_spec_release(&s);
	assert_int_equal(source_spec_parse("gdocs:x' or 'y", NULL, NULL, &s, &err), -1);
	assert_non_null(strstr(err, "give a Drive folder id after gdocs:"));
	free(err);
	err = NULL;
	assert_int_equal(source_spec_parse("gdocs:", NULL, NULL, &s, &err), -1);
	free(err);
	assert_true(source_is_spec("gdocs:abc"));
}

/* Five Docs over three pages; then one changes, one is added, and only
 * those two are exported again. */
static void
test_pages_and_changes(void **state)
{
	struct fixture *fx = *state;
	struct source_counts c;

	put_doc(fx, "docA", "PM-031 Payment timeouts", PM_A, 5000);
	put_doc(fx, "docB", "Search outage", PM_B, 4000);
	put_doc(fx, "docC", "CS macro misfire", "## Summary\n\nMacros sent twice.\n", 3000);
	put_doc(fx, "docD", "Login slow", "## Impact\n\nLogins took 9 s.\n", 2000);
	put_doc(fx, "docE", NULL, "---\ntitle: Cache stampede\ndate: 2026-09-10\n---\n\n"
		"## Summary\n\nThe cache emptied.\n", 1000);

	assert_int_equal(run(fx, "gdocs:" FOLDER, &c), 0);
	assert_string_equal(fx->errors, "");
	assert_int_equal(c.added, 5);
	assert_int_equal(c.failed, 0);
	/* three pages of the listing, five exports */
	assert_int_equal(count_with(fx, "/drive/v3/files?", NULL), 3);
	assert_int_equal(count_with(fx, "/drive/v3/files?", "pageToken=page-2"), 1);
	assert_int_equal(count_with(fx, "/drive/v3/files?", "pageToken=page-4"), 1);
	assert_int_equal(count_with(fx, "/drive/v3/files/", "/export?mimeType=text%2Fmarkdown"), 5);
	assert_int_equal(c.requests, 8);
	/* the first listing asks for the whole folder, shared drives included */
	struct fake_http_request *rq = fake_http_request_at(fx->f, 0);
	assert_non_null(strstr(rq->target, "q=%27" FOLDER "%27%20in%20parents%20and%20mimeType%3D"
			       "%27application%2Fvnd.google-apps.document%27%20and%20trashed%3Dfalse&"));
	assert_non_null(strstr(rq->target, "supportsAllDrives=true&includeItemsFromAllDrives=true"));
	assert_null(strstr(rq->target, "modifiedTime%20%3E"));
	assert_non_null(strstr(rq->headers, "Authorization: Bearer " TOKEN));
	fake_http_request_free(rq);

	struct postmortem *pm = get(fx, "docA");
	assert_string_equal(pm->title, "Payment API timeouts");
	assert_string_equal(pm->date, "2026-09-14");
	assert_string_equal(pm->severity, "SEV2");
	assert_string_equal(pm->source, "https://docs.google.com/document/d/docA/edit?usp=drivesdk");
	assert_string_equal(postmortem_section(pm, SECTION_SUMMARY)->text,
			    "Checkout failed for 37 minutes.");
	assert_int_equal(pm->n_measures, 1);
	assert_string_equal(pm->measures[0].title, "Add jitter to retries");
	postmortem_free(pm);
	/* no heading of its own: the Doc's name is the title, its creation the date */
	pm = get(fx, "docB");
	assert_string_equal(pm->title, "Search outage");
	assert_string_equal(pm->date, "2026-11-20");
	assert_non_null(postmortem_section(pm, SECTION_TIMELINE));
	postmortem_free(pm);
	pm = get(fx, "docE");
	assert_string_equal(pm->title, "Cache stampede");
	assert_string_equal(pm->date, "2026-09-10");
	postmortem_free(pm);
	assert_int_equal(query_int(fx, "SELECT count(*) FROM postmortems WHERE source LIKE "
				   "'https://docs.google.com/document/d/%'"), 5);

	/* an hour later: docB edited, docF new, the rest untouched */
	fx->clock.epoch += 3600;
	fake_http_reset(fx->f);
	fake_drive_free(fx->drive);
	fx->drive = fake_drive_new(fx->f, fx->dir, FOLDER, TOKEN);
	put_doc(fx, "docB", NULL, PM_B "\n## Root cause\n\nThe rebuild ran at peak.\n", 60);
	put_doc(fx, "docF", "Queue backlog", "## Summary\n\nJobs waited.\n", 30);
	assert_int_equal(run(fx, "gdocs:" FOLDER, &c), 0);
	assert_string_equal(fx->errors, "");
	assert_int_equal(c.added, 1);
	assert_int_equal(c.updated, 1);
	assert_int_equal(c.unchanged, 0);
	assert_int_equal(c.gone, 0);
	/* the changed listing since the last import (less the lag), then the ids */
	assert_int_equal(count_with(fx, "/drive/v3/files?", "modifiedTime%20%3E%20%272026-09-21T14%3A08%3A20Z%27"), 1);
	assert_int_equal(count_with(fx, "/drive/v3/files?", "fields=nextPageToken%2Cfiles%28id%29"), 3);
	assert_int_equal(count_with(fx, "/drive/v3/files/", "/export"), 2);
	assert_int_equal(count_with(fx, "/drive/v3/files/docA", NULL), 0);
	pm = get(fx, "docB");
	assert_non_null(postmortem_section(pm, SECTION_ROOT_CAUSE));
	postmortem_free(pm);
	assert_int_equal(query_int(fx, "SELECT count(*) FROM postmortems"), 6);
}

/* An export that fails once waits: the next import asks for that Doc by
 * itself even though it has not changed, and imports it. */
static void
test_failed_export_asked_again(void **state)
{
	struct fixture *fx = *state;
	struct source_counts c;

	put_doc(fx, "docA", "Payment timeouts", PM_A, 5000);
	put_doc(fx, "docB", "Search outage", PM_B, 4000);
	fail_export_once(fx, "docB", 403);
	assert_int_equal(run(fx, "gdocs:" FOLDER, &c), 0);
	assert_int_equal(c.added, 1);
	assert_int_equal(c.failed, 1);
	assert_int_equal(c.waiting, 1);
	assert_non_null(strstr(fx->errors, "https://docs.google.com/document/d/docB/edit?usp=drivesdk "
			       "(Search outage): GET /drive/v3/files/docB/export?mimeType=text%2Fmarkdown: "
			       "Google Drive answered 403: This file is too large to be exported."));
	assert_int_equal(query_int(fx, "SELECT count(*) FROM postmortems WHERE id = 'docB'"), 0);

	fx->clock.epoch += 3600;
	fake_http_reset(fx->f);
	fake_drive_free(fx->drive);
	fx->drive = fake_drive_new(fx->f, fx->dir, FOLDER, TOKEN);
	assert_int_equal(run(fx, "gdocs:" FOLDER, &c), 0);
	assert_string_equal(fx->errors, "");
	assert_int_equal(c.added, 1);
	assert_int_equal(c.failed, 0);
	assert_int_equal(c.waiting, 0);
	assert_int_equal(count_with(fx, "/drive/v3/files/docB?fields=", "parents"), 1);
	assert_int_equal(count_with(fx, "/drive/v3/files/docB/export", NULL), 1);
	assert_int_equal(count_with(fx, "/drive/v3/files/docA", NULL), 0);
	struct postmortem *pm = get(fx, "docB");
	assert_string_equal(pm->title, "Search outage");
	postmortem_free(pm);
}

/* A Doc taken out of the folder is reported gone and its postmortem kept. */
static void
test_doc_removed(void **state)
{
	struct fixture *fx = *state;
	struct source_counts c;
	char *path;

	put_doc(fx, "docA", "Payment timeouts", PM_A, 5000);
	put_doc(fx, "docB", "Search outage", PM_B, 4000);
	assert_int_equal(run(fx, "gdocs:" FOLDER, &c), 0);
	assert_int_equal(c.added, 2);
	path = xasprintf("%s/docA.md", fx->dir);
	unlink(path);
	free(path);
	fx->clock.epoch += 3600;
	assert_int_equal(run(fx, "gdocs:" FOLDER, &c), 0);
	assert_int_equal(c.gone, 1);
	assert_non_null(strstr(fx->gone, "docA: it is no longer in the folder"));
	assert_int_equal(query_int(fx, "SELECT count(*) FROM postmortems WHERE id = 'docA'"), 1);
}

/* The token from [gdocs] token_command, run without a shell; a command
 * that fails is named with what it said, and nothing is asked of Drive. */
static void
test_token_command(void **state)
{
	struct fixture *fx = *state;
	struct source_counts c;
	char *script = xasprintf("%s/print-token", tmpdir), *bad = xasprintf("%s/no-login", tmpdir);
	char *extra;
	FILE *fp;

	unsetenv("GOOGLE_OAUTH_ACCESS_TOKEN");
	fp = fopen(script, "w");
	assert_non_null(fp);
	/* its arguments arrive as given: no shell splits or expands them */
	fprintf(fp, "#!/bin/sh\n[ \"$1\" = 'print access' ] && [ \"$2\" = '$HOME' ] || exit 3\n"
		"echo '" TOKEN "'\n");
	fclose(fp);
	chmod(script, 0700);
	fp = fopen(bad, "w");
	assert_non_null(fp);
	fprintf(fp, "#!/bin/sh\necho 'ERROR: (gcloud.auth.print-access-token) You do not "
		"currently have an active account selected.' >&2\nexit 1\n");
	fclose(fp);
	chmod(bad, 0700);

	put_doc(fx, "docA", "Payment timeouts", PM_A, 5000);
	extra = xasprintf("token_command = %s 'print access' $HOME", script);
	use_config(fx, extra);
	free(extra);
	assert_int_equal(run(fx, "gdocs:" FOLDER, &c), 0);
	assert_string_equal(fx->errors, "");
	assert_int_equal(c.added, 1);

	extra = xasprintf("token_command = %s", bad);
	use_config(fx, extra);
	free(extra);
	fake_http_reset(fx->f);
	fake_drive_free(fx->drive);
	fx->drive = fake_drive_new(fx->f, fx->dir, FOLDER, TOKEN);
	assert_int_equal(run(fx, "gdocs:" FOLDER, &c), -1);
	assert_non_null(strstr(fx->errors, "[gdocs]: token_command /"));
	assert_non_null(strstr(fx->errors, "no-login exited with status 1: ERROR: "
			       "(gcloud.auth.print-access-token) You do not currently have an "
			       "active account selected.; run it yourself"));
	assert_null(strstr(fx->errors, TOKEN));
	assert_int_equal(fake_http_n_requests(fx->f), 0);

	use_config(fx, "token_command = /nonexistent/gcloud auth print-access-token");
	assert_int_equal(run(fx, "gdocs:" FOLDER, &c), -1);
	assert_non_null(strstr(fx->errors, "token_command /nonexistent/gcloud: No such file"));
	use_config(fx, "");
	assert_int_equal(run(fx, "gdocs:" FOLDER, &c), -1);
	assert_non_null(strstr(fx->errors, "no Google token: set GOOGLE_OAUTH_ACCESS_TOKEN"));
	setenv("GOOGLE_OAUTH_ACCESS_TOKEN", TOKEN, 1);
	free(script);
	free(bad);
}

/* A command that hangs is stopped at its timeout; one that cannot be
 * split is refused before anything runs. */
static void
test_token_command_limits(void **state)
{
	char *err = NULL;
	struct timespec t0, t1;

	(void)state;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_null(token_command_run("sleep 5", "c.ini:4: [gdocs]", 300, &err));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(t1.tv_sec - t0.tv_sec < 3);
	assert_string_equal(err, "c.ini:4: [gdocs]: token_command sleep 5 gave no answer within "
			    "1 s and was stopped: run it yourself to see what it waits for (a "
			    "login, a prompt)");
	free(err);
	err = NULL;
	assert_null(token_command_run("gcloud 'auth", "c.ini:4: [gdocs]", 300, &err));
	assert_non_null(strstr(err, "give a command (quotes closed)"));
	free(err);
	err = NULL;
	assert_null(token_command_run("true", "c.ini:4: [gdocs]", 3000, &err));
	assert_non_null(strstr(err, "token_command true printed no token"));
	free(err);
}

/* An expired token: the request, the status, Google's words and what to do;
 * nothing imported, the import time kept. */
static void
test_token_expired(void **state)
{
	struct fixture *fx = *state;
	struct source_counts c;

	put_doc(fx, "docA", "Payment timeouts", PM_A, 5000);
	setenv("GOOGLE_OAUTH_ACCESS_TOKEN", "ya29.expired", 1);
	assert_int_equal(run(fx, "gdocs:" FOLDER, &c), -1);
	assert_non_null(strstr(fx->errors, "GET /drive/v3/files?q="));
	assert_non_null(strstr(fx->errors, "Google Drive answered 401: Request had invalid "
			       "authentication credentials."));
	assert_non_null(strstr(fx->errors, "the Google token expired or was refused"));
	assert_non_null(strstr(fx->errors, "gcloud auth print-access-token"));
	assert_null(strstr(fx->errors, "ya29.expired"));
	assert_int_equal(c.requests, 1);
	assert_int_equal(query_int(fx, "SELECT count(*) FROM import_sources"), 0);
	setenv("GOOGLE_OAUTH_ACCESS_TOKEN", TOKEN, 1);
}

static void
test_doctor(void **state)
{
	struct fixture *fx = *state;
	char *report = NULL;

	assert_int_equal(source_gdocs_doctor(fx->cfg, FOLDER, &report), 0);
	assert_non_null(strstr(report, "ok   Google Docs: the token authenticates as aoi@example.com"));
	assert_non_null(strstr(report, "ok   Google Docs: folder " FOLDER " (Postmortems) is readable"));
	free(report);
	assert_int_equal(count_with(fx, "/drive/v3/about?fields=user", NULL), 1);
	assert_int_equal(source_gdocs_doctor(fx->cfg, "missingFolder", &report), 1);
	assert_non_null(strstr(report, "FAIL Google Docs: folder missingFolder cannot be read: "
			       "GET /drive/v3/files/missingFolder?fields=id,name,mimeType&supportsAllDrives=true: "
			       "Google Drive answered 404: File not found: missingFolder.; not found: "
			       "check the folder id"));
	free(report);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_parse),
		cmocka_unit_test_setup_teardown(test_pages_and_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_export_asked_again, setup, teardown),
		cmocka_unit_test_setup_teardown(test_doc_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_token_command, setup, teardown),
		cmocka_unit_test(test_token_command_limits),
		cmocka_unit_test_setup_teardown(test_token_expired, setup, teardown),
		cmocka_unit_test_setup_teardown(test_doctor, setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
