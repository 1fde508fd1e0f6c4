#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <jansson.h>
#include <sqlite3.h>

#include "fake/fake_clock.h"
#include "fake/fake_http.h"
#include "fake/fake_tracker.h"
#include "furikaeri/config.h"
#include "furikaeri/headings.h"
#include "furikaeri/postmortem.h"
#include "furikaeri/source.h"
#include "furikaeri/store.h"
#include "furikaeri/xalloc.h"

/* Importing postmortems from GitHub and Jira issues against the scriptable
 * fake server: paging, 429, incremental imports, issues that change or
 * leave the query, and a source of 1,000 issues. */

#define NOW 1790000000

static char tmpdir[] = "/tmp/fk-test-source-XXXXXX";

struct fixture {
	struct fake_http *f;
	struct store *st;
	struct headings *h;
	struct config *cfg;
	struct fake_clock clock;
	struct http_clock hc;
	struct source_options so;
	char errors[4096];
	char gone[2048];
	char db[256];
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
use_config(struct fixture *fx, const char *jira)
{
	char *text, *err = NULL;

	text = xasprintf("[github]\nurl = %s\n"
			 "[jira]\nurl = %s\nemail = bot@acme.example\n%s\n"
			 "[people]\nAoi = github:aoi-t jira:acc-aoi\n",
			 fake_http_url(fx->f), fake_http_url(fx->f), jira);
	config_free(fx->cfg);
	fx->cfg = config_parse(text, "test.ini", &err);
	if (fx->cfg == NULL)
		fail_msg("%s", err);
	free(text);
}

static int
group_setup(void **state)
{
	(void)state;
	setenv("GITHUB_TOKEN", "ghp_sourcetest_0123456789", 1);
	setenv("JIRA_API_TOKEN", "jira_sourcetest_0123456789", 1);
	setenv("GITLAB_TOKEN", "glpat-sourcetest_0123456789", 1);
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

	snprintf(fx->db, sizeof(fx->db), "%s/s%d.db", tmpdir, ++n);
	fx->f = fake_http_start();
	assert_non_null(fx->f);
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
	fake_http_stop(fx->f);
	config_free(fx->cfg);
	free(fx);
	return 0;
}

static void
script(struct fixture *fx, const char *path, int status, const char *headers, const char *body)
{
	fake_http_script(fx->f, &(struct fake_http_reply){
		.method = "GET", .path = path, .status = status, .headers = headers,
		.body = body });
}

/* One GitHub issue as the REST API lists it. */
static json_t *
gh_issue(int number, const char *title, const char *body, const char *labels, const char *state,
	 const char *updated)
{
	json_t *ls = json_array();
	char *copy = xstrdup(labels), *save = NULL;

	for (char *l = strtok_r(copy, ",", &save); l != NULL; l = strtok_r(NULL, ",", &save))
		json_array_append_new(ls, json_pack("{s:s}", "name", l));
	free(copy);
	char *url = xasprintf("https://github.com/acme/pay/issues/%d", number);
	json_t *j = json_pack("{s:i, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:{s:s}, s:[{s:s}]}",
			      "number", number, "title", title, "body", body, "html_url", url,
			      "labels", ls, "state", state, "created_at", "2026-11-20T03:00:00Z",
			      "updated_at", updated, "user", "login", "aoi-t",
			      "assignees", "login", "ken-w");
	free(url);
	return j;
}

static char *
dump(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT);

	json_decref(j);
	return s;
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

static int
run(struct fixture *fx, const char *text, struct source_counts *c)
{
	struct source_spec spec;
	char *err = NULL;
	int rc;

	assert_int_equal(source_spec_parse(text, NULL, NULL, &spec, &err), 0);
	rc = source_import(fx->st, fx->cfg, fx->h, &spec, &fx->so, c, &err);
	if (rc < 0)
		snprintf(fx->errors + strlen(fx->errors), sizeof(fx->errors) - strlen(fx->errors),
			 "%s\n", err);
	free(err);
	source_spec_release(&spec);
	return rc;
}

static void
test_spec_parse(void **state)
{
	struct source_spec s;
	char *err = NULL;

	(void)state;
	assert_int_equal(source_spec_parse("github:acme/pay", NULL, NULL, &s, &err), 0);
	assert_string_equal(s.text, "github:acme/pay label=postmortem state=all");
	source_spec_release(&s);
	assert_int_equal(source_spec_parse("github:acme/pay label=pm", NULL, "closed", &s, &err), 0);
	assert_string_equal(s.text, "github:acme/pay label=pm state=closed");
	source_spec_release(&s);
	assert_int_equal(source_spec_parse("jira: project = OPS ", NULL, NULL, &s, &err), 0);
	assert_string_equal(s.jql, "project = OPS");
	source_spec_release(&s);
	assert_int_equal(source_spec_parse("github:acme", NULL, NULL, &s, &err), -1);
	assert_non_null(strstr(err, "expected github:OWNER/REPO"));
	free(err);
	err = NULL;
	assert_int_equal(source_spec_parse("gitlab:acme/sre/pay label=pm", NULL, NULL, &s, &err), 0);
	assert_int_equal(s.kind, SOURCE_GITLAB);
	assert_string_equal(s.text, "gitlab:acme/sre/pay label=pm state=all");
	source_spec_release(&s);
	assert_int_equal(source_spec_parse("gitlab:acme/", NULL, NULL, &s, &err), -1);
	assert_non_null(strstr(err, "expected gitlab:GROUP/PROJECT"));
	free(err);
	err = NULL;
	assert_int_equal(source_spec_parse("github:a/b", NULL, "maybe", &s, &err), -1);
	assert_non_null(strstr(err, "expected open, closed or all"));
	free(err);
}

#define FORM_BODY "### Incident date\n\n2026-11-18\n\n### Summary\n\nSearch was down.\n\n" \
	"### Detection\n\n_No response_\n\n### Follow-ups\n\n- [x] Alert on index lag acme/pay#40\n"

/* Three pages through the Link header, an issue form, sub-issues, a pull
 * request left out, labels as severity, status and tags. */
static void
test_github_pages(void **state)
{
	struct fixture *fx = *state;
	struct source_counts c;
	const char *base = fake_http_url(fx->f);
	char *p1, *p2, *p3, *subs, *h1, *h2;
	json_t *i1 = gh_issue(1, "Payment API timeouts", "## Summary\n\nCheckout failed.\n\n"
			      "## Prevention measures\n\n- [ ] Add jitter (Owner: Aoi) Jira: OPS-1\n",
			      "postmortem,sev2,ready,payments", "open", "2026-11-21T00:00:00Z");
	json_object_set_new(i1, "sub_issues_summary", json_pack("{s:i}", "total", 2));

	p1 = dump(json_pack("[o, o]", i1,
			    gh_issue(2, "Search outage", FORM_BODY, "postmortem,SEV-1", "closed",
				     "2026-11-22T00:00:00Z")));
	p2 = dump(json_pack("[o, {s:i, s:s, s:{}, s:s}]",
			    gh_issue(3, "Login slow", "Body without sections.",
				     "postmortem,severity: high", "open", "2026-11-23T00:00:00Z"),
			    "number", 4, "title", "A pull request", "pull_request", "html_url",
			    "https://github.com/acme/pay/pull/4"));
	p3 = dump(json_pack("[o]", gh_issue(5, "CS macro misfire", "", "postmortem,draft", "open",
					    "2026-11-24T00:00:00Z")));
	subs = dump(json_pack("[{s:i, s:s, s:s, s:s, s:[{s:s}]}, {s:i, s:s, s:s, s:s, s:s}]",
			      "number", 11, "title", "Retry budget", "state", "closed",
			      "html_url", "https://github.com/acme/pay/issues/11", "assignees",
			      "login", "aoi-t", "number", 12, "title", "Rewrite the pool",
			      "state", "closed", "html_url", "https://github.com/acme/pay/issues/12",
			      "state_reason", "not_planned"));
	h1 = xasprintf("Link: <%s/repositories/9/issues?page=2>; rel=\"next\", "
		       "<%s/repositories/9/issues?page=3>; rel=\"last\"\r\n", base, base);
	h2 = xasprintf("Link: <%s/repositories/9/issues?page=1>; rel=\"prev\", "
		       "<%s/repositories/9/issues?page=3>; rel=\"next\"\r\n", base, base);
	script(fx, "/repos/acme/pay/issues?labels=postmortem&state=all", 200, h1, p1);
	script(fx, "/repos/acme/pay/issues/1/sub_issues", 200, NULL, subs);
	script(fx, "/repositories/9/issues?page=2", 200, h2, p2);
	script(fx, "/repositories/9/issues?page=3", 200, NULL, p3);

	assert_int_equal(run(fx, "github:acme/pay", &c), 0);
	assert_string_equal(fx->errors, "");
	assert_int_equal(c.added, 4);
	assert_int_equal(c.failed, 0);
	assert_int_equal(c.requests, 4);
	assert_int_equal(fake_http_count(fx->f, "GET", "/repos/acme/pay/issues?labels=postmortem"
					 "&state=all&sort=updated&direction=asc&per_page=100"), 1);
	struct fake_http_request *rq = fake_http_request_at(fx->f, 0);
	assert_non_null(strstr(rq->headers, "Authorization: Bearer ghp_sourcetest_0123456789"));
	fake_http_request_free(rq);

	struct postmortem *pm = get(fx, "acme/pay#1");
	assert_string_equal(pm->title, "Payment API timeouts");
	assert_string_equal(pm->date, "2026-11-20");
	assert_string_equal(pm->severity, "SEV2");
	assert_string_equal(pm->status, "ready");
	assert_string_equal(pm->source, "https://github.com/acme/pay/issues/1");
	assert_int_equal(pm->n_authors, 2);
	assert_string_equal(pm->authors[0], "Aoi");
	assert_string_equal(pm->authors[1], "ken-w");
	assert_int_equal(pm->n_tags, 1);
	assert_string_equal(pm->tags[0], "payments");
	assert_int_equal(pm->n_measures, 3);
	assert_string_equal(pm->measures[0].ticket, "OPS-1");
	assert_string_equal(pm->measures[1].title, "Retry budget");
	assert_string_equal(pm->measures[1].ticket, "acme/pay#11");
	assert_int_equal(pm->measures[1].status, MEASURE_DONE);
	assert_string_equal(pm->measures[1].owner, "Aoi");
	assert_int_equal(pm->measures[2].status, MEASURE_NOT_DOING);
	postmortem_free(pm);

	pm = get(fx, "acme/pay#2");
	assert_string_equal(pm->date, "2026-11-18");
	assert_string_equal(pm->severity, "SEV1");
	assert_string_equal(pm->status, "closed");
	assert_string_equal(postmortem_section(pm, SECTION_SUMMARY)->text, "Search was down.");
	assert_null(postmortem_section(pm, SECTION_DETECTION));
	assert_int_equal(pm->n_measures, 1);
	assert_string_equal(pm->measures[0].title, "Alert on index lag");
	assert_string_equal(pm->measures[0].ticket, "acme/pay#40");
	assert_int_equal(pm->measures[0].status, MEASURE_DONE);
	postmortem_free(pm);

	pm = get(fx, "acme/pay#3");
	assert_string_equal(pm->severity, "SEV2");
	assert_string_equal(pm->status, "open");
	postmortem_free(pm);
	/* a draft issue stays off the agenda, as a draft file does */
	pm = get(fx, "acme/pay#5");
	assert_string_equal(pm->status, "draft");
	postmortem_free(pm);
	assert_int_equal(query_int(fx, "SELECT ready FROM postmortems WHERE id = 'acme/pay#5'"), 0);
	assert_int_equal(query_int(fx, "SELECT ready FROM postmortems WHERE id = 'acme/pay#3'"), 1);
	free(h1);
	free(h2);
	free(p1);
	free(p2);
	free(p3);
	free(subs);
}

/* A 429 is waited out as Retry-After says; the import goes on. */
static void
test_github_429(void **state)
{
	struct fixture *fx = *state;
	struct source_counts c;
	char *page = dump(json_pack("[o]", gh_issue(7, "Timeouts", "", "postmortem", "open",
						    "2026-11-21T00:00:00Z")));

	script(fx, "/repos/acme/pay/issues", 429, "Retry-After: 3\r\n",
	       "{\"message\": \"API rate limit exceeded\"}");
	script(fx, "/repos/acme/pay/issues", 200, "x-ratelimit-remaining: 4999\r\n", page);
	assert_int_equal(run(fx, "github:acme/pay", &c), 0);
	assert_int_equal(c.added, 1);
	assert_int_equal(c.requests, 2);
	assert_int_equal(c.ratelimit_remaining, 4999);
	assert_true(fx->clock.slept >= 3000);
	free(page);
}

/* The second import asks only for what changed since the first (state=all,
 * no label filter, since=), updates an edited issue in place, reports one
 * that lost its label, and fails one broken issue alone, named by URL. */
static void
test_github_incremental(void **state)
{
	struct fixture *fx = *state;
	struct source_counts c;
	char *p1 = dump(json_pack("[o, o]",
				  gh_issue(1, "Timeouts", "## Summary\n\nFirst version.\n", "postmortem",
					   "open", "2026-11-21T00:00:00Z"),
				  gh_issue(2, "Search", "", "postmortem", "open",
					   "2026-11-21T00:00:00Z")));
	char *p2 = dump(json_pack("[o, o, o, o]",
				  gh_issue(1, "Timeouts", "## Summary\n\nSecond version.\n",
					   "postmortem", "open", "2026-11-25T00:00:00Z"),
				  gh_issue(2, "Search", "", "bug", "open", "2026-11-25T00:00:00Z"),
				  gh_issue(8, "Broken", "---\ntitle: [unclosed\n---\n", "postmortem",
					   "open", "2026-11-25T00:00:00Z"),
				  gh_issue(9, "Unrelated bug", "", "bug", "open",
					   "2026-11-25T00:00:00Z")));
	struct postmortem *pm;

	script(fx, "/repos/acme/pay/issues?labels=", 200, NULL, p1);
	assert_int_equal(run(fx, "github:acme/pay", &c), 0);
	assert_int_equal(c.added, 2);

	fx->clock.ms += 7 * 86400 * 1000LL;
	fake_http_reset(fx->f);
	script(fx, "/repos/acme/pay/issues?state=all&since=", 200, NULL, p2);
	assert_int_equal(run(fx, "github:acme/pay", &c), 0);
	struct fake_http_request *rq = fake_http_request_at(fx->f, 0);
	/* since the first import began, less the lag allowance */
	assert_non_null(strstr(rq->target, "since=2026-09-21T14:08:20Z"));
	assert_null(strstr(rq->target, "labels="));
	fake_http_request_free(rq);
	assert_int_equal(c.updated, 1);
	assert_int_equal(c.added, 0);
	assert_int_equal(c.failed, 1);
	assert_int_equal(c.gone, 1);
	assert_non_null(strstr(fx->errors, "https://github.com/acme/pay/issues/8:"));
	assert_non_null(strstr(fx->gone, "acme/pay#2: it no longer has the label postmortem"));
	pm = get(fx, "acme/pay#1");
	assert_string_equal(postmortem_section(pm, SECTION_SUMMARY)->text, "Second version.");
	postmortem_free(pm);
	/* kept, not silently dropped */
	pm = get(fx, "acme/pay#2");
	postmortem_free(pm);
	struct store_rows rows = { 0 };
	assert_int_equal(store_postmortem_list(fx->st, NULL, &rows, NULL), 0);
	assert_int_equal(rows.n, 2);
	store_rows_free(&rows);
	free(p1);
	free(p2);
}

static void
on_read(const struct postmortem *pm, void *ctx)
{
	struct fixture *fx = ctx;
	size_t n = strlen(fx->gone);

	snprintf(fx->gone + n, sizeof(fx->gone) - n, "read %s %s\n", pm->id,
		 pm->severity ? pm->severity : "-");
}

/* --check reads and shows, and changes nothing: no rows, no import time. */
static void
test_check(void **state)
{
	struct fixture *fx = *state;
	struct source_counts c;
	char *page = dump(json_pack("[o]", gh_issue(7, "Timeouts", "", "postmortem,sev2", "open",
						    "2026-11-21T00:00:00Z")));
	struct store_rows rows = { 0 };

	fx->so.check = true;
	fx->so.on_read = on_read;
	script(fx, "/repos/acme/pay/issues?labels=", 200, NULL, page);
	script(fx, "/repos/acme/pay/issues?labels=", 200, NULL, page);
	assert_int_equal(run(fx, "github:acme/pay", &c), 0);
	assert_string_equal(fx->gone, "read acme/pay#7 SEV2\n");
	assert_int_equal(store_postmortem_list(fx->st, NULL, &rows, NULL), 0);
	assert_int_equal(rows.n, 0);
	store_rows_free(&rows);
	/* still a first import: no since= */
	assert_int_equal(run(fx, "github:acme/pay", &c), 0);
	assert_int_equal(fake_http_count(fx->f, "GET", "/repos/acme/pay/issues?labels="), 2);
	free(page);
}

/* A failing request leaves the last import time alone, so nothing is skipped. */
static void
test_github_error(void **state)
{
	struct fixture *fx = *state;
	struct source_counts c;

	script(fx, "/repos/acme/pay/issues", 404, NULL, "{\"message\": \"Not Found\"}");
	assert_int_equal(run(fx, "github:acme/pay", &c), -1);
	assert_non_null(strstr(fx->errors, "GET /repos/acme/pay/issues?labels=postmortem"));
	assert_non_null(strstr(fx->errors, "answered 404"));
	fake_http_reset(fx->f);
	script(fx, "/repos/acme/pay/issues?labels=", 200, NULL, "[]");
	assert_int_equal(run(fx, "github:acme/pay", &c), 0);
	assert_int_equal(fake_http_count(fx->f, "GET", "/repos/acme/pay/issues?labels="), 1);
}

/* Generated: 1,000 issues, 10 pages of 100. */
static void
test_github_thousand(void **state)
{
	struct fixture *fx = *state;
	struct source_counts c;
	const char *base = fake_http_url(fx->f);
	char *pages[10], *links[10], *paths[10];
	struct timespec t0, t1;

	for (int p = 0; p < 10; p++) {
		json_t *arr = json_array();
		for (int i = 0; i < 100; i++) {
			int n = p * 100 + i + 1;
			char *title = xasprintf("Incident %d", n);
			char *body = xasprintf("## Summary\n\nIncident %d hit checkout.\n\n## Impact\n\n"
					       "%d%% of requests failed.\n\n## Prevention measures\n\n"
					       "- [ ] Alert %d (Owner: Aoi, due 2026-12-15) OPS-%d\n",
					       n, n % 100, n, n);
			json_array_append_new(arr, gh_issue(n, title, body, "postmortem,sev3", "open",
							    "2026-11-21T00:00:00Z"));
			free(title);
			free(body);
		}
		pages[p] = dump(arr);
		paths[p] = p == 0 ? xstrdup("/repos/acme/pay/issues?labels=")
				  : xasprintf("/repositories/9/issues?page=%d&", p + 1);
		links[p] = p == 9 ? NULL
				  : xasprintf("Link: <%s/repositories/9/issues?page=%d&per_page=100>; "
					      "rel=\"next\"\r\nx-ratelimit-remaining: %d\r\n", base,
					      p + 2, 4999 - p);
	}
	for (int p = 0; p < 10; p++)
		script(fx, paths[p], 200, links[p], pages[p]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(run(fx, "github:acme/pay", &c), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(c.added, 1000);
	assert_int_equal(c.requests, 10);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	/* the figure for the record; TAP shows it as a comment */
	printf("# 1000 GitHub issues: %zu requests, %ld ms, %ld of 5000 left in the hour\n",
	       c.requests, ms, c.ratelimit_remaining);
	/* again: every issue unchanged, still 10 requests (a full listing) */
	fx->so.full = true;
	fake_http_reset(fx->f);
	for (int p = 0; p < 10; p++)
		script(fx, paths[p], 200, links[p], pages[p]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(run(fx, "github:acme/pay", &c), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(c.unchanged, 1000);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	printf("# again, unchanged: %zu requests, %ld ms\n", c.requests, ms);
	for (int p = 0; p < 10; p++) {
		free(pages[p]);
		free(links[p]);
		free(paths[p]);
	}
}

static json_t *
jira_issue(const char *key, const char *summary, json_t *description, const char *updated)
{
	return json_pack("{s:s, s:{s:s, s:o, s:s, s:s, s:{s:s, s:{s:s}}, s:[s, s], s:[{s:s}],"
			 " s:{s:s}, s:{s:s, s:s}, s:n, s:{s:s}, s:[{s:{s:s, s:s, s:s},"
			 " s:{s:s, s:{s:s, s:{s:{s:s}}}}}]}}",
			 "key", key, "fields", "summary", summary, "description", description,
			 "created", "2026-11-19T10:00:00.000+0900", "updated", updated,
			 "status", "name", "In Review", "statusCategory", "key", "indeterminate",
			 "labels", "postmortem", "sev3", "components", "name", "Payments",
			 "priority", "name", "High", "reporter", "displayName", "Aoi Tanaka",
			 "accountId", "acc-aoi", "assignee", "customfield_10042", "value", "SEV1",
			 "issuelinks", "type", "name", "Problem/Incident", "inward", "is caused by",
			 "outward", "causes", "outwardIssue", "key", "OPS-9", "fields", "summary",
			 "Alert on pool saturation", "status", "statusCategory", "key", "done");
}

static json_t *
adf(const char *summary)
{
	return json_pack("{s:s, s:i, s:[{s:s, s:{s:i}, s:[{s:s, s:s}]}, {s:s, s:[{s:s, s:s}]}]}",
			 "type", "doc", "version", 1, "content", "type", "heading", "attrs",
			 "level", 2, "content", "type", "text", "text", "Summary", "type",
			 "paragraph", "content", "type", "text", "text", summary);
}

/* Cloud: the severity field found by name, two pages by nextPageToken, an
 * ADF description, links of the configured type as measures. */
static void
test_jira_cloud(void **state)
{
	struct fixture *fx = *state;
	struct source_counts c;
	char *p1 = dump(json_pack("{s:[o], s:s}", "issues",
				  jira_issue("OPS-1", "Payment timeouts", adf("Checkout failed."),
					     "2026-11-20T10:00:00.000+0900"),
				  "nextPageToken", "tok/2=="));
	char *p2 = dump(json_pack("{s:[o], s:b}", "issues",
				  jira_issue("OPS-2", "Search down", adf("Search failed."),
					     "2026-11-21T10:00:00.000+0900"),
				  "isLast", 1));

	use_config(fx, "severity_field = Incident severity\nmeasure_link = causes\n"
		   "priority_map = SEV2:High");
	script(fx, "/rest/api/3/field", 200, NULL,
	       "[{\"id\": \"summary\", \"name\": \"Summary\"},"
	       " {\"id\": \"customfield_10042\", \"name\": \"Incident severity\"}]");
	script(fx, "/rest/api/3/search/jql?jql=%28project%20%3D%20OPS%29%20ORDER%20BY%20updated"
	       "%20ASC&fields=summary%2Cdescription", 200, NULL, p1);
	script(fx, "/rest/api/3/search/jql?jql=", 200, NULL, p2);
	assert_int_equal(run(fx, "jira:project = OPS ORDER BY created DESC", &c), 0);
	assert_string_equal(fx->errors, "");
	assert_int_equal(c.added, 2);
	assert_int_equal(c.requests, 3);
	struct fake_http_request *rq = fake_http_request_at(fx->f, 2);
	assert_non_null(strstr(rq->target, "nextPageToken=tok%2F2%3D%3D"));
	assert_non_null(strstr(rq->target, "customfield_10042"));
	assert_non_null(strstr(rq->headers, "Authorization: Basic "));
	fake_http_request_free(rq);

	struct postmortem *pm = get(fx, "OPS-1");
	assert_string_equal(pm->title, "Payment timeouts");
	assert_string_equal(pm->date, "2026-11-19");
	assert_string_equal(pm->severity, "SEV1");
	assert_string_equal(pm->status, "in review");
	assert_non_null(strstr(pm->source, "/browse/OPS-1"));
	assert_string_equal(postmortem_section(pm, SECTION_SUMMARY)->text, "Checkout failed.");
	assert_string_equal(pm->authors[0], "Aoi");
	assert_int_equal(pm->n_tags, 2);
	assert_string_equal(pm->tags[0], "postmortem");
	assert_string_equal(pm->tags[1], "Payments");
	assert_int_equal(pm->n_measures, 1);
	assert_string_equal(pm->measures[0].ticket, "OPS-9");
	assert_string_equal(pm->measures[0].title, "Alert on pool saturation");
	assert_int_equal(pm->measures[0].status, MEASURE_DONE);
	postmortem_free(pm);
	free(p1);
	free(p2);
}

/* The search lags: an issue updated just before an import shows only in
 * the next one, which reaches back past the last import's start; it is
 * updated in place. An issue that left the query is checked and reported. */
static void
test_jira_lag_and_gone(void **state)
{
	struct fixture *fx = *state;
	struct source_counts c;
	char *v1 = dump(json_pack("{s:[o, o], s:b}", "issues",
				  jira_issue("OPS-1", "Payment timeouts", adf("First."),
					     "2026-11-20T10:00:00.000+0900"),
				  jira_issue("OPS-2", "Search down", adf("Search."),
					     "2026-11-20T10:00:00.000+0900"),
				  "isLast", 1));
	char *v2 = dump(json_pack("{s:[o], s:b}", "issues",
				  jira_issue("OPS-1", "Payment timeouts", adf("Second."),
					     "2026-11-27T10:00:00.000+0900"),
				  "isLast", 1));

	script(fx, "/rest/api/3/search/jql", 200, NULL, v1);
	assert_int_equal(run(fx, "jira:project = OPS", &c), 0);
	assert_int_equal(c.added, 2);

	/* a minute later: the edit of OPS-1 is not searchable yet */
	fx->clock.ms += 60 * 1000;
	fake_http_reset(fx->f);
	script(fx, "/rest/api/3/search/jql?jql=%28project%20%3D%20OPS%29%20AND%20updated", 200,
	       NULL, "{\"issues\": [], \"isLast\": true}");
	script(fx, "/rest/api/3/search/jql?jql=project%20%3D%20OPS&fields=id", 200, NULL,
	       "{\"issues\": [{\"key\": \"OPS-1\"}, {\"key\": \"OPS-2\"}], \"isLast\": true}");
	assert_int_equal(run(fx, "jira:project = OPS", &c), 0);
	struct fake_http_request *rq = fake_http_request_at(fx->f, 0);
	/* the last import began 60 s ago; the lag allowance adds 300 s */
	assert_non_null(strstr(rq->target, "updated%20%3E%3D%20-6m"));
	fake_http_request_free(rq);
	assert_int_equal(c.updated + c.added + c.gone, 0);

	/* later: OPS-1 shows with its edit; OPS-2 left the query, OPS-3 was deleted */
	fx->clock.ms += 60 * 1000;
	fake_http_reset(fx->f);
	script(fx, "/rest/api/3/search/jql?jql=%28project", 200, NULL, v2);
	script(fx, "/rest/api/3/search/jql?jql=project", 200, NULL,
	       "{\"issues\": [{\"key\": \"OPS-1\"}], \"isLast\": true}");
	script(fx, "/rest/api/3/issue/OPS-2", 200, NULL,
	       "{\"key\": \"OPS-2\", \"fields\": {\"summary\": \"Search down\"}}");
	assert_int_equal(run(fx, "jira:project = OPS", &c), 0);
	assert_int_equal(c.updated, 1);
	assert_int_equal(c.added, 0);
	assert_int_equal(c.gone, 1);
	assert_non_null(strstr(fx->gone, "OPS-2: it is no longer in the query"));
	struct postmortem *pm = get(fx, "OPS-1");
	assert_string_equal(postmortem_section(pm, SECTION_SUMMARY)->text, "Second.");
	postmortem_free(pm);
	struct store_rows rows = { 0 };
	assert_int_equal(store_postmortem_list(fx->st, NULL, &rows, NULL), 0);
	assert_int_equal(rows.n, 2);
	store_rows_free(&rows);
	/* reported once: the next import no longer asks about OPS-2 */
	fake_http_reset(fx->f);
	script(fx, "/rest/api/3/search/jql?jql=%28", 200, NULL, "{\"issues\": []}");
	script(fx, "/rest/api/3/search/jql?jql=project", 200, NULL,
	       "{\"issues\": [{\"key\": \"OPS-1\"}]}");
	assert_int_equal(run(fx, "jira:project = OPS", &c), 0);
	assert_int_equal(fake_http_count(fx->f, "GET", "/rest/api/3/issue/"), 0);
	free(v1);
	free(v2);
}

/* An issue that failed waits: the next import asks for it by itself,
 * though the listing of what changed since does not show it, until it
 * imports or is reported gone. */
static void
test_jira_waiting(void **state)
{
	struct fixture *fx = *state;
	struct source_counts c;
	json_t *broken = json_string("---\ntitle: [unclosed\n---\n");
	char *v1 = dump(json_pack("{s:[o, o, o], s:b}", "issues",
				  jira_issue("OPS-1", "Payment timeouts", adf("First."),
					     "2026-11-20T10:00:00.000+0900"),
				  jira_issue("OPS-2", "Search down", json_incref(broken),
					     "2026-11-20T10:00:00.000+0900"),
				  jira_issue("OPS-3", "Disk full", json_incref(broken),
					     "2026-11-20T10:00:00.000+0900"),
				  "isLast", 1));
	char *fixed = dump(json_pack("{s:[o], s:b}", "issues",
				     jira_issue("OPS-2", "Search down", adf("Search."),
						"2026-11-20T10:00:00.000+0900"),
				     "isLast", 1));

	json_decref(broken);
	script(fx, "/rest/api/3/search/jql", 200, NULL, v1);
	assert_int_equal(run(fx, "jira:project = OPS", &c), 0);
	assert_int_equal(c.added, 1);
	assert_int_equal(c.failed, 2);
	assert_int_equal(c.waiting, 2);
	assert_non_null(strstr(fx->errors, "/browse/OPS-2"));

	/* a day later nothing changed in the listing: the two are asked for */
	fx->clock.ms += 86400 * 1000LL;
	fake_http_reset(fx->f);
	fx->errors[0] = '\0';
	script(fx, "/rest/api/3/search/jql?jql=%28project%20%3D%20OPS%29%20AND%20updated", 200,
	       NULL, "{\"issues\": [], \"isLast\": true}");
	script(fx, "/rest/api/3/search/jql?jql=project%20%3D%20OPS&fields=id", 200, NULL,
	       "{\"issues\": [{\"key\": \"OPS-1\"}], \"isLast\": true}");
	script(fx, "/rest/api/3/issue/OPS-2?fields=summary", 200, NULL,
	       "{\"key\": \"OPS-2\", \"fields\": {\"summary\": \"Search down\"}}");
	script(fx, "/rest/api/3/search/jql?jql=%28project%20%3D%20OPS%29%20AND%20key%20%3D%20"
	       "%22OPS-2%22", 200, NULL, fixed);
	script(fx, "/rest/api/3/issue/OPS-3?fields=summary", 404, NULL,
	       "{\"errorMessages\": [\"Issue does not exist\"]}");
	assert_int_equal(run(fx, "jira:project = OPS", &c), 0);
	assert_string_equal(fx->errors, "");
	assert_int_equal(c.added, 1);
	assert_int_equal(c.failed, 0);
	assert_int_equal(c.gone, 1);
	assert_int_equal(c.waiting, 0);
	assert_non_null(strstr(fx->gone, "OPS-3: it failed to import earlier and was deleted"));
	struct postmortem *pm = get(fx, "OPS-2");
	assert_string_equal(postmortem_section(pm, SECTION_SUMMARY)->text, "Search.");
	postmortem_free(pm);

	/* settled: the next import asks for neither */
	fake_http_reset(fx->f);
	script(fx, "/rest/api/3/search/jql?jql=%28", 200, NULL, "{\"issues\": []}");
	script(fx, "/rest/api/3/search/jql?jql=project", 200, NULL,
	       "{\"issues\": [{\"key\": \"OPS-1\"}, {\"key\": \"OPS-2\"}]}");
	assert_int_equal(run(fx, "jira:project = OPS", &c), 0);
	assert_int_equal(fake_http_count(fx->f, "GET", "/rest/api/3/issue/"), 0);
	assert_int_equal(c.waiting, 0);
	free(v1);
	free(fixed);
}

/* Generated: 1,000 Jira Cloud issues, 10 pages by nextPageToken. */
static void
test_jira_thousand(void **state)
{
	struct fixture *fx = *state;
	struct source_counts c;
	char *pages[10], *paths[10];
	struct timespec t0, t1;

	for (int p = 0; p < 10; p++) {
		json_t *arr = json_array();
		for (int i = 0; i < 100; i++) {
			char key[16], text[64];
			snprintf(key, sizeof(key), "OPS-%d", p * 100 + i + 1);
			snprintf(text, sizeof(text), "Incident %s hit checkout.", key);
			json_array_append_new(arr, jira_issue(key, key, adf(text),
							      "2026-11-20T10:00:00.000+0900"));
		}
		json_t *page = json_pack("{s:o}", "issues", arr);
		if (p < 9)
			json_object_set_new(page, "nextPageToken", json_sprintf("page%d", p + 2));
		else
			json_object_set_new(page, "isLast", json_true());
		pages[p] = dump(page);
		paths[p] = p == 0 ? xstrdup("/rest/api/3/search/jql?jql=")
				  : xasprintf("/rest/api/3/search/jql?jql=%%28project%%20%%3D%%20OPS%%29"
					      "%%20ORDER%%20BY%%20updated%%20ASC&fields=summary%%2C"
					      "description%%2Ccreated%%2Cupdated%%2Cstatus%%2Clabels%%2C"
					      "components%%2Cpriority%%2Creporter%%2Cassignee%%2Cissuelinks"
					      "&maxResults=100&nextPageToken=page%d", p + 1);
	}
	/* the first page's prefix would match them all: the others go first */
	for (int p = 9; p >= 0; p--)
		script(fx, paths[p], 200, NULL, pages[p]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(run(fx, "jira:project = OPS", &c), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_string_equal(fx->errors, "");
	assert_int_equal(c.added, 1000);
	assert_int_equal(c.requests, 10);
	printf("# 1000 Jira Cloud issues: %zu requests, %ld ms\n", c.requests,
	       (long)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000));
	for (int p = 0; p < 10; p++) {
		free(pages[p]);
		free(paths[p]);
	}
}

/* Data Center: startAt paging and wiki markup. */
static void
test_jira_data_center(void **state)
{
	struct fixture *fx = *state;
	struct source_counts c;
	json_t *i1 = jira_issue("OPS-5", "Queue backlog", json_string("h2. Summary\nThe *queue* "
							"backed up.\nh2. Impact\n* 3 hours of delay"),
				"2026-11-20T10:00:00.000+0900");
	char *p1 = dump(json_pack("{s:i, s:i, s:i, s:[o]}", "startAt", 0, "maxResults", 1,
				  "total", 2, "issues", i1));
	char *p2 = dump(json_pack("{s:i, s:i, s:i, s:[o]}", "startAt", 1, "maxResults", 1,
				  "total", 2, "issues",
				  jira_issue("OPS-6", "Disk full", json_string(""),
					     "2026-11-21T10:00:00.000+0900")));

	use_config(fx, "api = 2");
	script(fx, "/rest/api/2/search?jql=", 200, NULL, p1);
	script(fx, "/rest/api/2/search?jql=", 200, NULL, p2);
	assert_int_equal(run(fx, "jira:project = OPS", &c), 0);
	assert_string_equal(fx->errors, "");
	assert_int_equal(c.added, 2);
	struct fake_http_request *rq = fake_http_request_at(fx->f, 1);
	assert_non_null(strstr(rq->target, "startAt=1"));
	assert_non_null(strstr(rq->headers, "Authorization: Bearer jira_sourcetest"));
	fake_http_request_free(rq);
	struct postmortem *pm = get(fx, "OPS-5");
	assert_string_equal(postmortem_section(pm, SECTION_SUMMARY)->text, "The queue backed up.");
	assert_non_null(postmortem_section(pm, SECTION_IMPACT));
	postmortem_free(pm);
	free(p1);
	free(p2);
}

/* An issue's date is its day in the local zone: opened at 08:30 JST on
 * December 1 (23:30 UTC on November 30) it is December 1's, on GitHub and
 * on Jira, whatever zone the API writes. */
static void
test_issue_day_in_local_zone(void **state)
{
	struct fixture *fx = *state;
	struct source_counts c;
	const char *tz = getenv("TZ");
	char *saved = tz != NULL ? xstrdup(tz) : NULL;
	json_t *gi = gh_issue(7, "Night deploy", "", "postmortem", "open", "2026-12-01T00:00:00Z");
	json_t *ji = jira_issue("OPS-7", "Night deploy", adf("Deploy failed."),
				"2026-12-01T00:00:00.000+0000");

	json_object_set_new(gi, "created_at", json_string("2026-11-30T23:30:00Z"));
	json_object_set_new(json_object_get(ji, "fields"), "created",
			    json_string("2026-11-30T23:30:00.000+0000"));
	char *gh = dump(json_pack("[o]", gi));
	char *jr = dump(json_pack("{s:[o], s:b}", "issues", ji, "isLast", 1));
	/* a POSIX zone: no zoneinfo needed */
	setenv("TZ", "JST-9", 1);
	tzset();
	script(fx, "/repos/acme/pay/issues?labels=postmortem&state=all", 200, NULL, gh);
	script(fx, "/rest/api/3/field", 200, NULL, "[]");
	script(fx, "/rest/api/3/search/jql?jql=", 200, NULL, jr);
	assert_int_equal(run(fx, "github:acme/pay", &c), 0);
	assert_int_equal(run(fx, "jira:project = OPS", &c), 0);
	assert_string_equal(fx->errors, "");
	struct postmortem *pm = get(fx, "acme/pay#7");
	assert_string_equal(pm->date, "2026-12-01");
	postmortem_free(pm);
	pm = get(fx, "OPS-7");
	assert_string_equal(pm->date, "2026-12-01");
	postmortem_free(pm);
	if (saved != NULL)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
	free(gh);
	free(jr);
}

/* gitlab:acme/pay on the stateful fake, two issues a page (Link and
 * X-Next-Page): the labelled issues and the incidents, each with its
 * web_url as source; then only what changed since (updated_after): an edit
 * updates, a lost label is reported gone, a broken body fails and waits;
 * the next import asks for the waiting one by its iid. */
static void
test_gitlab_incremental(void **state)
{
	struct fixture *fx = *state;
	char *extra = xasprintf("[gitlab]\nurl = %s\n", fake_http_url(fx->f));
	struct fake_tracker *ft;
	struct source_counts c;
	struct postmortem *pm;
	size_t before;

	use_config(fx, extra);
	free(extra);
	ft = fake_tracker_new(fx->f, fake_clock_ms, &fx->clock);
	fake_tracker_page_size(ft, 2);
	fake_tracker_gitlab_issue(ft, 0, "Timeouts", "## Summary\n\nFirst version.\n",
				  "postmortem", "2026-09-01T00:00:00Z", false);
	fake_tracker_gitlab_issue(ft, 0, "Search", "## Summary\n\nZero hits.\n", "postmortem",
				  "2026-09-01T00:00:00Z", false);
	fake_tracker_gitlab_issue(ft, 0, "Disk full", "## Summary\n\nThe disk filled.\n", "",
				  "2026-09-01T00:00:00Z", true);
	fake_tracker_gitlab_issue(ft, 0, "Unrelated bug", "", "bug", "2026-09-01T00:00:00Z", false);
	fake_tracker_gitlab_issue(ft, 0, "Cache", "## Summary\n\nStampede.\n", "postmortem,SEV2",
				  "2026-09-01T00:00:00Z", false);

	assert_int_equal(run(fx, "gitlab:acme/pay", &c), 0);
	assert_int_equal(c.added, 4);
	assert_int_equal(c.failed, 0);
	/* three labelled issues, two a page: two pages; one incident page */
	assert_int_equal(fake_http_count(fx->f, "GET", "/api/v4/projects/acme%2Fpay/issues?labels="
					 "postmortem&state=all"), 2);
	assert_int_equal(fake_http_count(fx->f, "GET", "/api/v4/projects/acme%2Fpay/issues?"
					 "issue_type=incident"), 1);
	pm = get(fx, "acme/pay#3");
	assert_string_equal(pm->source, "https://gitlab.example.com/acme/pay/-/issues/3");
	assert_string_equal(postmortem_section(pm, SECTION_SUMMARY)->text, "The disk filled.");
	postmortem_free(pm);
	pm = get(fx, "acme/pay#5");
	assert_string_equal(pm->severity, "SEV2");
	postmortem_free(pm);

	fake_tracker_gitlab_issue(ft, 1, "Timeouts", "## Summary\n\nSecond version.\n",
				  "postmortem", "2026-12-01T00:00:00Z", false);
	fake_tracker_gitlab_issue(ft, 2, "Search", "## Summary\n\nZero hits.\n", "bug",
				  "2026-12-01T00:00:00Z", false);
	fake_tracker_gitlab_issue(ft, 0, "Broken", "---\ntitle: [unclosed\n---\n", "postmortem",
				  "2026-12-01T00:00:00Z", false);
	fx->clock.ms += 7 * 86400 * 1000LL;
	before = fake_http_count(fx->f, "GET", "/api/v4/projects/acme%2Fpay/issues?labels=");
	assert_int_equal(run(fx, "gitlab:acme/pay", &c), 0);
	/* since the first import began, less the lag allowance; no label asked */
	assert_int_equal(fake_http_count(fx->f, "GET", "/api/v4/projects/acme%2Fpay/issues?"
					 "updated_after=2026-09-21T14%3A08%3A20Z&state=all"), 2);
	assert_int_equal(fake_http_count(fx->f, "GET", "/api/v4/projects/acme%2Fpay/issues?labels="),
			 before);
	assert_int_equal(c.updated, 1);
	assert_int_equal(c.added, 0);
	assert_int_equal(c.failed, 1);
	assert_int_equal(c.gone, 1);
	assert_int_equal(c.waiting, 1);
	assert_non_null(strstr(fx->gone, "acme/pay#2: it no longer has the label postmortem"));
	if (strstr(fx->errors, "https://gitlab.example.com/acme/pay/-/issues/6") == NULL)
		fail_msg("errors: %s", fx->errors);
	pm = get(fx, "acme/pay#1");
	assert_string_equal(postmortem_section(pm, SECTION_SUMMARY)->text, "Second version.");
	postmortem_free(pm);

	/* mended, with an update time the next listing does not reach: asked
	 * for by its iid, and imported */
	fake_tracker_gitlab_issue(ft, 6, "Broken", "## Summary\n\nMended.\n", "postmortem",
				  "2026-09-01T00:00:00Z", false);
	fx->clock.ms += 86400 * 1000LL;
	assert_int_equal(run(fx, "gitlab:acme/pay", &c), 0);
	assert_int_equal(fake_http_count(fx->f, "GET", "/api/v4/projects/acme%2Fpay/issues/6"), 1);
	assert_int_equal(c.added, 1);
	assert_int_equal(c.waiting, 0);
	pm = get(fx, "acme/pay#6");
	assert_string_equal(postmortem_section(pm, SECTION_SUMMARY)->text, "Mended.");
	postmortem_free(pm);
	fake_tracker_free(ft);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_parse),
		cmocka_unit_test_setup_teardown(test_github_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_github_429, setup, teardown),
		cmocka_unit_test_setup_teardown(test_github_incremental, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gitlab_incremental, setup, teardown),
		cmocka_unit_test_setup_teardown(test_github_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check, setup, teardown),
		cmocka_unit_test_setup_teardown(test_github_thousand, setup, teardown),
		cmocka_unit_test_setup_teardown(test_jira_cloud, setup, teardown),
		cmocka_unit_test_setup_teardown(test_jira_lag_and_gone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_jira_waiting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_jira_data_center, setup, teardown),
		cmocka_unit_test_setup_teardown(test_jira_thousand, setup, teardown),
		cmocka_unit_test_setup_teardown(test_issue_day_in_local_zone, setup, teardown),
	};

	return cmocka_run_group_tests_name("source", tests, group_setup, group_teardown);
}
