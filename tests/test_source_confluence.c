#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <jansson.h>

#include "fake/fake_clock.h"
#include "fake/fake_confluence.h"
#include "fake/fake_http.h"
#include "furikaeri/config.h"
#include "furikaeri/headings.h"
#include "furikaeri/import.h"
#include "furikaeri/md_adf_write.h"
#include "furikaeri/paths.h"
#include "furikaeri/postmortem.h"
#include "furikaeri/source.h"
#include "furikaeri/store.h"
#include "furikaeri/tracker.h"
#include "furikaeri/xalloc.h"

/* import confluence:SPACE[/PARENT] [label=L] against a stateful fake of
 * Confluence Cloud's REST v2: pages by _links.next cursors, incremental by
 * page version, a parent's descendants, a label, each page's web address
 * as its source, and a page that fails asked for again until it imports
 * or is gone. */

#define NOW 1790000000

static char tmpdir[] = "/tmp/fk-test-confluence-XXXXXX";

struct fixture {
	struct fake_http *f;
	struct fake_confluence *fc;
	struct store *st;
	struct headings *h;
	struct config *cfg;
	struct fake_clock clock;
	struct http_clock hc;
	struct source_options so;
	char errors[4096];
	char gone[2048];
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

/* The fake's clock: the wall clock the client sees, in ms. */
static long long
wall_ms(void *ctx)
{
	struct fake_clock *c = ctx;

	return (long long)c->epoch * 1000 + c->ms;
}

static int
group_setup(void **state)
{
	(void)state;
	unsetenv("JIRA_API_TOKEN");
	setenv("CONFLUENCE_API_TOKEN", "conf_sourcetest_0123456789", 1);
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
	char db[256];

	snprintf(db, sizeof(db), "%s/c%d.db", tmpdir, ++n);
	fx->f = fake_http_start();
	assert_non_null(fx->f);
	fx->st = store_open(db, &err);
	assert_non_null(fx->st);
	fx->h = headings_load(dirs, 1, &err);
	assert_non_null(fx->h);
	free(dir);
	fx->clock.epoch = NOW;
	fx->hc = fake_clock_http(&fx->clock);
	fx->so = (struct source_options){ .clock = &fx->hc, .on_error = on_error,
					  .on_gone = on_gone, .ctx = fx };
	char *text = xasprintf("[confluence]\nurl = %s\nemail = bot@acme.example\n"
			       "[people]\nAoi = jira:acc-aoi\n", fake_http_url(fx->f));
	fx->cfg = config_parse(text, "test.ini", &err);
	if (fx->cfg == NULL)
		fail_msg("%s", err);
	free(text);
	fx->fc = fake_confluence_new(fx->f, wall_ms, &fx->clock);
	fake_confluence_space(fx->fc, "OPS", "9001");
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	fake_confluence_free(fx->fc);
	fake_http_stop(fx->f);
	store_free(fx->st);
	headings_free(fx->h);
	config_free(fx->cfg);
	free(fx);
	return 0;
}

/* A page body: the Markdown as Atlassian document text (owned). */
static char *
adf(const char *md)
{
	json_t *doc = md_adf_write(md, strlen(md));
	char *s = json_dumps(doc, JSON_COMPACT);

	json_decref(doc);
	return s;
}

static void
page(struct fixture *fx, const char *id, const char *parent, const char *title, const char *md,
     const char *labels)
{
	char *body = adf(md);

	fake_confluence_page(fx->fc, id, parent, title, body, labels);
	free(body);
}

static int
run(struct fixture *fx, const char *text, const char *label, struct source_counts *c)
{
	struct source_spec spec;
	char *err = NULL;
	int rc;

	assert_int_equal(source_spec_parse(text, label, NULL, &spec, &err), 0);
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
	free(err);
	return pm;
}

static bool
stored(struct fixture *fx, const char *id)
{
	char *err = NULL;
	struct postmortem *pm = store_postmortem_get(fx->st, id, &err);
	bool found = pm != NULL;

	postmortem_free(pm);
	free(err);
	return found;
}

static void
test_spec(void **state)
{
	struct source_spec s;
	char *err = NULL;

	(void)state;
	assert_int_equal(source_spec_parse("confluence:OPS/123456", "postmortem", NULL, &s, &err), 0);
	assert_int_equal(s.kind, SOURCE_CONFLUENCE);
	assert_string_equal(s.space, "OPS");
	assert_string_equal(s.parent, "123456");
	assert_string_equal(s.text, "confluence:OPS/123456 label=postmortem");
	source_spec_release(&s);
	assert_int_equal(source_spec_parse("confluence:OPS label=pm", NULL, NULL, &s, &err), 0);
	assert_null(s.parent);
	assert_string_equal(s.label, "pm");
	source_spec_release(&s);
	assert_true(source_is_spec("confluence:OPS"));
	assert_int_equal(source_spec_parse("confluence:OPS/abc", NULL, NULL, &s, &err), -1);
	assert_non_null(strstr(err, "PARENT-PAGE-ID"));
	free(err);
	err = NULL;
	assert_int_equal(source_spec_parse("confluence:", NULL, NULL, &s, &err), -1);
	free(err);
}

/* 120 pages over two listings of 100 by cursor; a day later two are
 * edited: only the first listing page is read, up to the first older
 * version, and only the two change. */
static void
test_pages_incremental(void **state)
{
	struct fixture *fx = *state;
	struct source_counts c;
	char id[32], title[64], md[256];

	for (int i = 1; i <= 120; i++) {
		snprintf(id, sizeof(id), "%d", 1000 + i);
		snprintf(title, sizeof(title), "Incident %d", i);
		snprintf(md, sizeof(md), "---\ndate: 2026-10-%02d\nseverity: SEV3\n---\n\n"
			 "## Summary\n\nCheckout failed %d times.\n", 1 + i % 28, i);
		page(fx, id, NULL, title, md, NULL);
		fx->clock.ms += 1000;
	}
	/* written well before the import (which reaches 5 minutes further back) */
	fx->clock.ms += 3600 * 1000LL;
	assert_int_equal(run(fx, "confluence:OPS", NULL, &c), 0);
	assert_string_equal(fx->errors, "");
	assert_int_equal(c.added, 120);
	assert_int_equal(c.failed, 0);
	assert_int_equal(fake_http_count(fx->f, "GET", "/wiki/api/v2/spaces?keys=OPS"), 1);
	assert_int_equal(fake_http_count(fx->f, "GET", "/wiki/api/v2/spaces/9001/pages?"), 2);
	assert_int_equal(fake_http_count(fx->f, "GET", "/wiki/api/v2/spaces/9001/pages?body-format="
					 "atlas_doc_format&sort=-modified-date&status=current&limit="
					 "100&cursor="), 1);
	struct fake_http_request *rq = fake_http_request_at(fx->f, 0);
	assert_non_null(strstr(rq->headers, "Authorization: Basic "));
	fake_http_request_free(rq);

	struct postmortem *pm = get(fx, "page-1007");
	assert_string_equal(pm->title, "Incident 7");
	assert_string_equal(pm->date, "2026-10-08");
	assert_string_equal(pm->severity, "SEV3");
	assert_string_equal(pm->source,
			    "https://acme.atlassian.net/wiki/spaces/OPS/pages/1007/Postmortem");
	assert_string_equal(postmortem_section(pm, SECTION_SUMMARY)->text,
			    "Checkout failed 7 times.");
	assert_int_equal(pm->n_authors, 1);
	assert_string_equal(pm->authors[0], "Aoi");
	postmortem_free(pm);

	/* a day later two pages get a new version */
	fx->clock.ms += 86400 * 1000LL;
	char *b = adf("## Summary\n\nCheckout failed for 37 minutes.\n");
	fake_confluence_edit(fx->fc, "1007", b);
	fake_confluence_edit(fx->fc, "1050", b);
	free(b);
	fx->clock.ms += 60 * 1000;
	fake_http_reset(fx->f);
	assert_int_equal(run(fx, "confluence:OPS", NULL, &c), 0);
	assert_string_equal(fx->errors, "");
	assert_int_equal(c.updated, 2);
	assert_int_equal(c.added, 0);
	assert_int_equal(c.unchanged, 0);
	assert_int_equal(fake_http_count(fx->f, "GET", "/wiki/api/v2/spaces/9001/pages?"), 1);
	pm = get(fx, "page-1007");
	assert_string_equal(postmortem_section(pm, SECTION_SUMMARY)->text,
			    "Checkout failed for 37 minutes.");
	postmortem_free(pm);

	/* nothing changed: one listing request; the two edited within the
	 * 5 minutes before the last import are read again, unchanged */
	fx->clock.ms += 86400 * 1000LL;
	fake_http_reset(fx->f);
	assert_int_equal(run(fx, "confluence:OPS", NULL, &c), 0);
	assert_int_equal(c.added + c.updated, 0);
	assert_int_equal(c.unchanged, 2);
	assert_int_equal(c.requests, 2);

	/* --full: a deleted page is reported gone, its postmortem kept */
	fake_confluence_delete(fx->fc, "1003");
	fake_http_reset(fx->f);
	fx->so.full = true;
	assert_int_equal(run(fx, "confluence:OPS", NULL, &c), 0);
	fx->so.full = false;
	assert_int_equal(c.gone, 1);
	assert_non_null(strstr(fx->gone, "page-1003: it is no longer in the listing"));
	assert_true(stored(fx, "page-1003"));
}

/* A parent's descendants (children of children too), a label, and both. */
static void
test_parent_and_label(void **state)
{
	struct fixture *fx = *state;
	struct source_counts c;

	page(fx, "100", NULL, "Postmortems", "Our postmortems.\n", NULL);
	page(fx, "101", "100", "Payment timeouts", "## Summary\n\nPayments.\n", "postmortem");
	page(fx, "102", "100", "2026 Q4", "Index.\n", NULL);
	page(fx, "103", "102", "Search down", "## Summary\n\nSearch.\n", NULL);
	page(fx, "200", NULL, "Team offsite", "## Summary\n\nNot one.\n", "postmortem");

	assert_int_equal(run(fx, "confluence:OPS/100", NULL, &c), 0);
	assert_string_equal(fx->errors, "");
	assert_int_equal(c.added, 3);
	assert_true(stored(fx, "page-101"));
	assert_true(stored(fx, "page-103"));
	assert_false(stored(fx, "page-100"));
	assert_false(stored(fx, "page-200"));
	assert_int_equal(fake_http_count(fx->f, "GET", "/wiki/api/v2/pages/100/children?limit=250"), 1);
	assert_int_equal(fake_http_count(fx->f, "GET", "/wiki/api/v2/pages/102/children?limit=250"), 1);

	fake_http_reset(fx->f);
	assert_int_equal(run(fx, "confluence:OPS", "postmortem", &c), 0);
	assert_string_equal(fx->errors, "");
	assert_int_equal(c.added, 1);	/* 200; 101 is the other source's */
	assert_int_equal(c.failed, 0);
	assert_int_equal(c.unchanged, 1);
	assert_int_equal(fake_http_count(fx->f, "GET", "/wiki/api/v2/spaces/9001/content/labels?"), 1);
	assert_int_equal(fake_http_count(fx->f, "GET", "/wiki/api/v2/labels/5000/pages?space-id=9001"
					 "&body-format=atlas_doc_format&sort=-modified-date"), 1);

	fake_http_reset(fx->f);
	fx->so.check = true;
	assert_int_equal(run(fx, "confluence:OPS/100 label=postmortem", NULL, &c), 0);
	fx->so.check = false;
	assert_int_equal(c.unchanged, 1);	/* 101 only */

	/* a label no page carries: nothing, no error */
	fake_http_reset(fx->f);
	assert_int_equal(run(fx, "confluence:OPS label=nothing-here", NULL, &c), 0);
	assert_int_equal(c.added + c.updated + c.unchanged + c.failed, 0);

	/* a space that is not there: the error names it */
	assert_int_equal(run(fx, "confluence:NOPE", NULL, &c), -1);
	assert_non_null(strstr(fx->errors, "no space with the key NOPE"));
}

/* A page that fails is asked for by itself at every import until it
 * imports or is gone. */
static void
test_waiting(void **state)
{
	struct fixture *fx = *state;
	struct source_counts c;

	page(fx, "301", NULL, "Payment timeouts", "## Summary\n\nFine.\n", NULL);
	fake_confluence_page(fx->fc, "302", NULL, "Broken", "{\"type\": \"nonsense\"}", NULL);
	fake_confluence_page(fx->fc, "303", NULL, "Broken too", "not json", NULL);
	fx->clock.ms += 3600 * 1000LL;
	assert_int_equal(run(fx, "confluence:OPS", NULL, &c), 0);
	assert_int_equal(c.added, 1);
	assert_int_equal(c.failed, 2);
	assert_int_equal(c.waiting, 2);
	assert_non_null(strstr(fx->errors, "https://acme.atlassian.net/wiki/spaces/OPS/pages/302/"));

	/* a day later: 302 fixed in a way the listing does not show (same
	 * version), 303 deleted; each is asked for by id */
	fx->clock.ms += 86400 * 1000LL;
	fx->errors[0] = '\0';
	fake_confluence_delete(fx->fc, "303");
	fake_http_reset(fx->f);
	assert_int_equal(run(fx, "confluence:OPS", NULL, &c), 0);
	assert_int_equal(fake_http_count(fx->f, "GET", "/wiki/api/v2/pages/302?body-format="
					 "atlas_doc_format"), 1);
	assert_int_equal(fake_http_count(fx->f, "GET", "/wiki/api/v2/pages/303?body-format="
					 "atlas_doc_format"), 1);
	assert_int_equal(c.failed, 1);	/* 302 still broken */
	assert_int_equal(c.gone, 1);
	assert_non_null(strstr(fx->gone, "page-303: it failed to import earlier and was deleted"));
	assert_int_equal(c.waiting, 1);

	/* fixed with a new version: the listing brings it, nothing waits */
	fx->clock.ms += 86400 * 1000LL;
	char *b = adf("## Summary\n\nFixed.\n");
	fake_confluence_edit(fx->fc, "302", b);
	free(b);
	fx->clock.ms += 1000;
	fake_http_reset(fx->f);
	assert_int_equal(run(fx, "confluence:OPS", NULL, &c), 0);
	assert_int_equal(c.added, 1);
	assert_int_equal(c.waiting, 0);
	assert_int_equal(fake_http_count(fx->f, "GET", "/wiki/api/v2/pages/302?"), 0);
	struct postmortem *pm = get(fx, "page-302");
	assert_string_equal(postmortem_section(pm, SECTION_SUMMARY)->text, "Fixed.");
	postmortem_free(pm);
}

/* A postmortem written as a page from the team's Markdown (what
 * `new --to confluence` sends) imports with its fields, sections and
 * measures. */
static void
test_written_page_reads_back(void **state)
{
	struct fixture *fx = *state;
	struct source_counts c;
	char *path = xasprintf("%s/tests/fixtures/convert/write-pm.md", srcdir());
	char *md = NULL, *err = NULL;
	size_t len = 0;

	assert_int_equal(paths_read_file(path, &md, &len, &err), 0);
	page(fx, "401", NULL, "Checkout failed after the payment deploy", md, NULL);
	assert_int_equal(run(fx, "confluence:OPS", NULL, &c), 0);
	assert_int_equal(c.added, 1);
	struct postmortem *pm = get(fx, "page-401");
	struct postmortem *want = import_md_parse(md, len, path, fx->h, &err);
	assert_non_null(want);
	assert_string_equal(pm->title, want->title);
	assert_string_equal(pm->date, "2026-11-27");
	assert_string_equal(pm->severity, "SEV2");
	assert_string_equal(pm->status, "ready");
	assert_int_equal(pm->n_sections, want->n_sections);
	assert_int_equal(pm->n_measures, want->n_measures);
	for (size_t i = 0; i < want->n_measures; i++)
		assert_string_equal(pm->measures[i].title, want->measures[i].title);
	postmortem_free(want);
	postmortem_free(pm);
	free(md);
	free(path);
}

/* `new --to confluence`: the postmortem goes through the outbox as a page.
 * The create's answer is lost (stored, then the connection drops): nothing
 * is sent again until the space's pages were looked at for the marker,
 * the page is adopted, and the server ends with exactly one page, under
 * the parent, its body the postmortem's structure; importing the space
 * reads it back. */
static void
test_new_page_exactly_once(void **state)
{
	struct fixture *fx = *state;
	struct tracker_options opts = { .clock = &fx->hc };
	struct tracker_outcome oc;
	struct source_counts c;
	long long row = 0;
	char *err = NULL, *text;
	char *path = xasprintf("%s/tests/fixtures/convert/write-pm.md", srcdir());
	char *md = NULL;
	size_t len = 0;

	config_free(fx->cfg);
	text = xasprintf("[confluence]\nurl = %s\nemail = bot@acme.example\nspace = OPS\n"
			 "parent = 100\n[tracker]\nrecheck_seconds = 2\n", fake_http_url(fx->f));
	fx->cfg = config_parse(text, "test.ini", &err);
	assert_non_null(fx->cfg);
	free(text);
	page(fx, "100", NULL, "Postmortems", "Our postmortems.\n", NULL);
	fx->clock.ms += 3600 * 1000LL;
	assert_int_equal(paths_read_file(path, &md, &len, &err), 0);
	fake_confluence_drop_next_create(fx->fc);
	if (tracker_file_postmortem(fx->st, fx->cfg, &opts, "pm-2026-014",
				    "Checkout failed after the payment deploy", "SEV2", md, "confluence",
				    &row, &oc, &err) != 0)
		fail_msg("%s", err);
	if (oc.result != TRACKER_UNKNOWN)
		fail_msg("%d: %s", oc.result, oc.message ? oc.message : "");
	free(oc.key);
	free(oc.url);
	free(oc.message);
	assert_int_equal(fake_confluence_created(fx->fc), 1);
	assert_int_equal(fake_http_count(fx->f, "POST", "/wiki/api/v2/pages"), 1);
	struct fake_http_request *rq = NULL;
	for (size_t i = 0; (rq = fake_http_request_at(fx->f, i)) != NULL; i++) {
		if (strcmp(rq->method, "POST") == 0)
			break;
		fake_http_request_free(rq);
	}
	assert_non_null(rq);
	json_t *req = json_loads(rq->body, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(req, "spaceId")), "9001");
	assert_string_equal(json_string_value(json_object_get(req, "parentId")), "100");
	assert_string_equal(json_string_value(json_object_get(req, "status")), "current");
	assert_string_equal(json_string_value(json_object_get(req, "title")),
			    "Checkout failed after the payment deploy");
	assert_string_equal(json_string_value(json_object_get(json_object_get(req, "body"),
							      "representation")), "atlas_doc_format");
	json_decref(req);
	fake_http_request_free(rq);

	/* recovery: the marker is looked for, found, nothing sent again */
	int i;
	struct tracker_outcomes out;
	for (i = 0; i < 6; i++) {
		fx->clock.ms += tracker_recheck_ms(fx->cfg, &opts, TRACKER_CONFLUENCE) + 1000;
		assert_int_equal(tracker_run_due(fx->st, fx->cfg, &opts, &out, &err), 0);
		bool done = out.n == 1 && out.items[0].result == TRACKER_OK;

		if (done)
			assert_string_equal(out.items[0].key, "page-700002");
		tracker_outcomes_free(&out);
		if (done)
			break;
	}
	assert_true(i < 6);
	assert_int_equal(fake_confluence_created(fx->fc), 1);
	assert_int_equal(fake_http_count(fx->f, "POST", NULL), 1);
	char *body = fake_confluence_body(fx->fc, "700002");
	assert_non_null(body);
	assert_non_null(strstr(body, "\"furikaeri\""));
	assert_null(strstr(body, "title: "));
	free(body);

	/* a measure is never filed there */
	assert_int_equal(tracker_queue(fx->st, fx->cfg, 1, "confluence", &text, &err), -1);
	assert_non_null(strstr(err, "for a measure"));
	free(err);
	err = NULL;

	/* and importing the space reads it back */
	fx->clock.ms += 3600 * 1000LL;
	assert_int_equal(run(fx, "confluence:OPS/100", NULL, &c), 0);
	assert_int_equal(c.added, 1);
	struct postmortem *pm = get(fx, "page-700002");
	assert_string_equal(pm->date, "2026-11-27");
	assert_string_equal(pm->severity, "SEV2");
	assert_int_equal(pm->n_measures, 4);
	assert_string_equal(pm->source,
			    "https://acme.atlassian.net/wiki/spaces/OPS/pages/700002/Postmortem");
	postmortem_free(pm);
	free(md);
	free(path);
}

/* doctor: the token reads the space, the parent is a page of it; a
 * missing parent and a missing space are named. */
static void
test_doctor(void **state)
{
	struct fixture *fx = *state;
	struct tracker_options opts = { .clock = &fx->hc };
	static const struct {
		const char *space, *parent, *want;
		bool ok;
	} cases[] = {
		{ "OPS", "100", "new --to confluence puts pages under \"Postmortems\" (page 100)", true },
		{ "OPS", "999", "GET /wiki/api/v2/pages/999: Confluence answered 404", false },
		{ "NOPE", "100", "no space with the key NOPE", false },
	};

	page(fx, "100", NULL, "Postmortems", "Our postmortems.\n", NULL);
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct tracker_checks checks;
		char *err = NULL;
		char *text = xasprintf("[confluence]\nurl = %s\nemail = bot@acme.example\n"
				       "space = %s\nparent = %s\n", fake_http_url(fx->f),
				       cases[k].space, cases[k].parent);
		struct config *cfg = config_parse(text, "test.ini", &err);
		bool seen = false, seen_ok = false;

		assert_non_null(cfg);
		tracker_doctor(cfg, &opts, &checks);
		for (size_t i = 0; i < checks.n; i++) {
			if (strstr(checks.items[i].text, cases[k].want) != NULL) {
				seen = true;
				seen_ok = checks.items[i].ok;
			}
		}
		if (!seen) {
			for (size_t i = 0; i < checks.n; i++)
				fprintf(stderr, "%s %s\n", checks.items[i].ok ? "ok" : "FAIL",
					checks.items[i].text);
			fail_msg("no check says %s", cases[k].want);
		}
		assert_int_equal(seen_ok, cases[k].ok);
		tracker_checks_free(&checks);
		config_free(cfg);
		free(text);
	}
}

/* Each fault class a create can meet (not stored and answered 500 or 429,
 * stored and answered 502, stored and the answer lost, closed unread):
 * the page is made exactly once and the row ends delivered. */
static void
test_new_page_fault_classes(void **state)
{
	struct fixture *fx = *state;
	struct tracker_options opts = { .clock = &fx->hc };
	static const enum fake_confluence_fault faults[] = {
		FAKE_CF_NONE, FAKE_CF_5XX, FAKE_CF_5XX_STORED, FAKE_CF_429, FAKE_CF_DROP,
		FAKE_CF_CLOSE_UNREAD,
	};
	char *err = NULL;
	char *text = xasprintf("[confluence]\nurl = %s\nemail = bot@acme.example\nspace = OPS\n"
			       "[tracker]\nrecheck_seconds = 2\n", fake_http_url(fx->f));

	config_free(fx->cfg);
	fx->cfg = config_parse(text, "test.ini", &err);
	assert_non_null(fx->cfg);
	free(text);
	for (size_t k = 0; k < sizeof(faults) / sizeof(faults[0]); k++) {
		struct tracker_outcome oc;
		long long row = 0;
		char id[32], title[64], body[256];

		snprintf(id, sizeof(id), "pm-2026-%03zu", 100 + k);
		snprintf(title, sizeof(title), "Fault class %zu", k);
		snprintf(body, sizeof(body), "---\ntitle: %s\ndate: 2026-11-27\n---\n\n## Summary\n\n"
			 "It broke.\n", title);
		fake_confluence_create_fault(fx->fc, faults[k]);
		if (tracker_file_postmortem(fx->st, fx->cfg, &opts, id, title, "SEV3", body,
					    "confluence", &row, &oc, &err) != 0)
			fail_msg("%s", err);
		bool done = oc.result == TRACKER_OK;
		free(oc.key);
		free(oc.url);
		free(oc.message);
		for (int i = 0; i < 10 && !done; i++) {
			struct tracker_outcomes out;
			fx->clock.ms += tracker_recheck_ms(fx->cfg, &opts, TRACKER_CONFLUENCE) + 1000;
			assert_int_equal(tracker_run_due(fx->st, fx->cfg, &opts, &out, &err), 0);
			for (size_t j = 0; j < out.n; j++)
				done = done || (out.items[j].outbox_id == row &&
						out.items[j].result == TRACKER_OK);
			tracker_outcomes_free(&out);
		}
		if (!done || fake_confluence_titled(fx->fc, title) != 1)
			fail_msg("fault class %zu: delivered %d, %zu pages", k, done,
				 fake_confluence_titled(fx->fc, title));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec),
		cmocka_unit_test_setup_teardown(test_pages_incremental, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parent_and_label, setup, teardown),
		cmocka_unit_test_setup_teardown(test_waiting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_written_page_reads_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_page_exactly_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_doctor, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_page_fault_classes, setup, teardown),
	};

	return cmocka_run_group_tests_name("source_confluence", tests, group_setup, group_teardown);
}
