#include "config.h"

#include <signal.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>
#include <sqlite3.h>

#include "fake/fake_clock.h"
#include "fake/fake_http.h"
#include "fake/fake_tracker.h"
#include "furikaeri/config.h"
#include "furikaeri/log.h"
#include "furikaeri/deliver.h"
#include "furikaeri/outbox.h"
#include "furikaeri/sha1.h"
#include "furikaeri/store.h"
#include "furikaeri/store_delivery.h"
#include "furikaeri/store_outbox.h"
#include "furikaeri/xalloc.h"
#include "furikaeri/tracker.h"
#include "tracker_private.h"

#define GH_TOKEN "ghp_testtoken_0123456789"
#define JIRA_TOKEN "jira_testtoken_0123456789"
#define GL_TOKEN "glpat-testtoken_0123456789"
#define LINEAR_KEY "lin_api_testkey_0123456789"
#define NOW 1790000000

static char tmpdir[] = "/tmp/fk-test-tracker-XXXXXX";

/* A clock that moves only when slept on. */
struct fixture {
	struct fake_http *f;
	struct store *st;
	char db[256];
	struct fake_clock clock;
	struct http_clock hc;
	struct tracker_options opts;
	struct config *cfg;
};

static int
group_setup(void **state)
{
	(void)state;
	setenv("GITHUB_TOKEN", GH_TOKEN, 1);
	setenv("JIRA_API_TOKEN", JIRA_TOKEN, 1);
	setenv("GITLAB_TOKEN", GL_TOKEN, 1);
	setenv("LINEAR_API_KEY", LINEAR_KEY, 1);
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
group_teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
exec_sql(struct fixture *fx, const char *sql)
{
	sqlite3 *db;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(fx->db, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 2000);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(db);
}

static char *
query_text(struct fixture *fx, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *stmt;
	char *out = NULL;

	assert_int_equal(sqlite3_open(fx->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != NULL)
		out = strdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return out;
}

static void
assert_sql(struct fixture *fx, const char *sql, const char *want)
{
	char *got = query_text(fx, sql);

	if (want == NULL ? got != NULL : got == NULL || strcmp(got, want) != 0)
		fail_msg("%s: got \"%s\", want \"%s\"", sql, got ? got : "(null)",
			 want ? want : "(null)");
	free(got);
}

static void
assert_sql_has(struct fixture *fx, const char *sql, const char *part)
{
	char *got = query_text(fx, sql);

	if (got == NULL || strstr(got, part) == NULL)
		fail_msg("%s: \"%s\" lacks \"%s\"", sql, got ? got : "(null)", part);
	free(got);
}

static void use_config(struct fixture *fx, const char *extra);

/* The config with a [linear] section at the fake, then extra. */
static void
use_linear(struct fixture *fx, const char *extra)
{
	char *text;

	if (asprintf(&text, "[linear]\nurl = %s/graphql\nteam = ENG\n%s", fake_http_url(fx->f),
		     extra) < 0)
		fail();
	use_config(fx, text);
	free(text);
}

static void
use_config(struct fixture *fx, const char *extra)
{
	char *text, *err = NULL;

	if (asprintf(&text,
		     "[github]\nurl = %s\nrepo = acme/pay\nlabels = postmortem\n"
		     "[jira]\nurl = %s\nproject = OPS\nissuetype = Prevention\n"
		     "email = bot@acme.example\ncomponents = Payments\n"
		     "priority_map = SEV1:Highest, SEV2:High\n"
		     "[people]\nAoi = github:aoi-t jira:5b10a2844c20165700ede21g"
		     " linear:Aoi@acme.example\n%s",
		     fake_http_url(fx->f), fake_http_url(fx->f), extra) < 0)
		fail();
	config_free(fx->cfg);
	fx->cfg = config_parse(text, "test.ini", &err);
	if (fx->cfg == NULL)
		fail_msg("%s", err);
	free(text);
}

static int
setup(void **state)
{
	static int n;
	struct fixture *fx = calloc(1, sizeof(*fx));
	char *err = NULL;

	snprintf(fx->db, sizeof(fx->db), "%s/t%d.db", tmpdir, ++n);
	fx->f = fake_http_start();
	assert_non_null(fx->f);
	fx->st = store_open(fx->db, &err);
	assert_non_null(fx->st);
	exec_sql(fx,
		 "INSERT INTO postmortems (id, source, content_hash, title, date, severity,"
		 " imported_at, updated_at) VALUES ('pm-031', 'https://wiki.example/pm-031', 'h',"
		 " 'Payment API timeouts after deploy', '2026-11-27', 'SEV2', 'x', 'x');"
		 "INSERT INTO measures (id, postmortem_id, title, owner, due, origin, marker,"
		 " created_at) VALUES (1, 'pm-031', 'Add jitter and a retry budget', 'Aoi',"
		 " '2026-12-15', 'meeting', 'm-0001', 'x'),"
		 " (2, 'pm-031', 'Alert on pool saturation', 'Sato', NULL, 'meeting', 'm-0002', 'x');"
		 "INSERT INTO meetings (id, week) VALUES (1, '2026-W49');"
		 "INSERT INTO minutes (meeting_id, seq, kind, body, measure_id, created_at)"
		 " VALUES (1, 1, 'action', 'Add jitter', 1, 'x');");
	fx->clock.epoch = NOW;
	fx->hc = fake_clock_http(&fx->clock);
	fx->opts = (struct tracker_options){ .clock = &fx->hc, .timeout_ms = 2000,
					     .connect_timeout_ms = 2000 };
	use_config(fx, "");
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	store_free(fx->st);
	fake_http_stop(fx->f);
	config_free(fx->cfg);
	free(fx);
	return 0;
}

static void
script(struct fixture *fx, const char *method, const char *path, int status, const char *headers,
       const char *body)
{
	fake_http_script(fx->f, &(struct fake_http_reply){
		.method = method, .path = path, .status = status, .headers = headers,
		.body = body });
}

#define GH_CREATED "{\"number\": 7, \"html_url\": \"https://github.com/acme/pay/issues/7\"," \
		   " \"state\": \"open\"}"
#define GH_FOUND "{\"total_count\": 1, \"items\": [{\"number\": 42, \"state\": \"open\"," \
		 " \"html_url\": \"https://github.com/acme/pay/issues/42\"," \
		 " \"body\": \"...\\n<!-- furikaeri:m-0001 -->\\n\"}]}"
#define GH_NONE "{\"total_count\": 0, \"items\": []}"
#define JIRA_CREATED "{\"id\": \"10000\", \"key\": \"OPS-412\"," \
		     " \"self\": \"https://x/rest/api/3/issue/10000\"}"

static void
queue(struct fixture *fx, long long measure, const char *tracker)
{
	char *err = NULL, *msg = NULL;

	if (tracker_queue(fx->st, fx->cfg, measure, tracker, &msg, &err) < 0)
		fail_msg("%s", err);
	free(msg);
}

/* Moves the clock past [tracker] recheck_seconds (120 by default), or
 * the trackers' floor when that is longer. */
static void
later(struct fixture *fx)
{
	long gh = tracker_recheck_ms(fx->cfg, &fx->opts, TRACKER_GITHUB);
	long jira = tracker_recheck_ms(fx->cfg, &fx->opts, TRACKER_JIRA);

	fx->clock.ms += (gh > jira ? gh : jira) + 1000;
}

/* Moves the clock past the wait after a takeover: the longest request the
 * old holder may still have in flight. */
static void
past_takeover(struct fixture *fx)
{
	fx->clock.ms += tracker_longest_request_ms(fx->cfg, &fx->opts) + 1000;
}

/* Pushes what is queued again, once the recheck time has passed. */
static struct tracker_outcome *
again(struct fixture *fx, struct tracker_outcomes *out)
{
	char *err = NULL;

	tracker_outcomes_free(out);
	later(fx);
	if (tracker_run_due(fx->st, fx->cfg, &fx->opts, out, &err) < 0)
		fail_msg("%s", err);
	assert_int_equal(out->n, 1);
	return &out->items[0];
}

/* Queues measure 1 for tracker and pushes everything. */
static struct tracker_outcome *
push(struct fixture *fx, const char *tracker, struct tracker_outcomes *out)
{
	char *err = NULL;

	queue(fx, 1, tracker);
	if (tracker_push_all(fx->st, fx->cfg, &fx->opts, out, &err) < 0)
		fail_msg("%s", err);
	assert_int_equal(out->n, 1);
	return &out->items[0];
}

static json_t *
request_json(struct fixture *fx, size_t i)
{
	struct fake_http_request *r = fake_http_request_at(fx->f, i);
	json_t *j;

	assert_non_null(r);
	j = json_loads(r->body, 0, NULL);
	if (j == NULL)
		fail_msg("request %zu body is not JSON: %s", i, r->body);
	fake_http_request_free(r);
	return j;
}

static void
test_github_create(void **state)
{
	struct fixture *fx = *state;
	struct tracker_outcomes out;
	struct tracker_outcome *oc;
	struct fake_http_request *r;
	json_t *j;
	const char *body;

	script(fx, "POST", "/repos/acme/pay/issues", 201, NULL, GH_CREATED);
	oc = push(fx, NULL, &out);
	assert_int_equal(oc->result, TRACKER_OK);
	assert_string_equal(oc->key, "acme/pay#7");
	assert_string_equal(oc->url, "https://github.com/acme/pay/issues/7");

	r = fake_http_request_at(fx->f, 0);
	assert_string_equal(r->method, "POST");
	assert_string_equal(r->target, "/repos/acme/pay/issues");
	assert_non_null(strstr(r->headers, "Authorization: Bearer " GH_TOKEN));
	assert_non_null(strstr(r->headers, "application/vnd.github+json"));
	fake_http_request_free(r);
	j = request_json(fx, 0);
	assert_string_equal(json_string_value(json_object_get(j, "title")),
			    "Add jitter and a retry budget");
	assert_string_equal(json_string_value(json_array_get(json_object_get(j, "labels"), 0)),
			    "postmortem");
	assert_string_equal(json_string_value(json_array_get(json_object_get(j, "assignees"), 0)),
			    "aoi-t");
	body = json_string_value(json_object_get(j, "body"));
	assert_non_null(strstr(body, "<!-- furikaeri:m-0001 -->"));
	assert_non_null(strstr(body, "2026-W49"));
	assert_non_null(strstr(body, "Payment API timeouts after deploy (pm-031, SEV2)"));
	assert_non_null(strstr(body, "https://wiki.example/pm-031"));
	assert_non_null(strstr(body, "Owner: Aoi (@aoi-t)"));
	assert_non_null(strstr(body, "Due: 2026-12-15"));
	json_decref(j);

	assert_sql(fx, "SELECT state FROM ticket_outbox WHERE measure_id = 1", "delivered");
	assert_sql(fx, "SELECT ticket FROM measures WHERE id = 1", "acme/pay#7");
	assert_sql(fx, "SELECT ticket_url FROM measures WHERE id = 1",
		   "https://github.com/acme/pay/issues/7");
	/* the state is a parameter of its own, not one that shares a number
	 * with the time (":queued" after "?2" was ?3, the time's) */
	assert_sql(fx, "SELECT queued_at GLOB '2[0-9][0-9][0-9]-[01][0-9]-*T*Z'"
		   " FROM ticket_outbox WHERE measure_id = 1", "1");
	tracker_outcomes_free(&out);

	/* Queuing again and pushing again sends nothing. */
	{
		char *err = NULL;

		char *msg = NULL;

		assert_int_equal(tracker_queue(fx->st, fx->cfg, 1, NULL, &msg, &err), 1);
		assert_non_null(strstr(msg, "acme/pay#7"));
		free(msg);
		assert_int_equal(tracker_push_all(fx->st, fx->cfg, &fx->opts, &out, &err), 0);
		assert_int_equal(out.n, 0);
		tracker_outcomes_free(&out);
		assert_int_equal(fake_http_n_requests(fx->f), 1);
	}
}

static void
test_unmapped_owner_named_not_guessed(void **state)
{
	struct fixture *fx = *state;
	struct tracker_outcome oc;
	char *err = NULL;
	json_t *j;

	script(fx, "POST", "/repos/acme/pay/issues", 201, NULL, GH_CREATED);
	assert_int_equal(tracker_file_one(fx->st, fx->cfg, &fx->opts, 2, "github", &oc, &err), 0);
	assert_int_equal(oc.result, TRACKER_OK);
	j = request_json(fx, 0);
	assert_int_equal(json_array_size(json_object_get(j, "assignees")), 0);
	assert_non_null(strstr(json_string_value(json_object_get(j, "body")),
			       "Owner: Sato (no GitHub login in [people]"));
	json_decref(j);
	free(oc.key);
	free(oc.url);
	free(oc.message);
}

static void
test_429_retry_after_then_201(void **state)
{
	struct fixture *fx = *state;
	struct tracker_outcomes out;

	script(fx, "POST", "/repos/acme/pay/issues", 429, "Retry-After: 3\r\n",
	       "{\"message\": \"You have exceeded a secondary rate limit.\"}");
	script(fx, "POST", "/repos/acme/pay/issues", 201, NULL, GH_CREATED);
	assert_int_equal(push(fx, "github", &out)->result, TRACKER_OK);
	assert_int_equal(fake_http_count(fx->f, "POST", NULL), 2);
	assert_int_equal(fake_http_count(fx->f, "GET", NULL), 0);
	assert_true(fx->clock.slept >= 3000);
	assert_sql(fx, "SELECT ticket FROM measures WHERE id = 1", "acme/pay#7");
	tracker_outcomes_free(&out);
}

static void
test_500_then_201_looks_first(void **state)
{
	struct fixture *fx = *state;
	struct tracker_outcomes out;
	struct fake_http_request *r;

	script(fx, "POST", "/repos/acme/pay/issues", 500, NULL, "{\"message\": \"Server Error\"}");
	assert_int_equal(push(fx, "github", &out)->result, TRACKER_UNKNOWN);
	/* an unknown outcome is never resent straight away */
	assert_int_equal(fake_http_n_requests(fx->f), 1);
	assert_sql(fx, "SELECT state FROM ticket_outbox", "unknown");
	script(fx, "GET", "/search/issues", 200, NULL, GH_NONE);
	script(fx, "GET", "/user", 200, NULL, "{\"login\": \"furikaeri-bot\"}");
	script(fx, "GET", "/repos/acme/pay/issues?", 200, NULL, "[]");
	script(fx, "POST", "/repos/acme/pay/issues", 201, NULL, GH_CREATED);
	assert_int_equal(again(fx, &out)->result, TRACKER_OK);
	assert_int_equal(fake_http_count(fx->f, "POST", NULL), 2);
	r = fake_http_request_at(fx->f, 1);
	assert_string_equal(r->method, "GET");
	assert_non_null(strstr(r->target, "furikaeri%3Am-0001"));
	assert_non_null(strstr(r->target, "repo%3Aacme%2Fpay"));
	assert_non_null(strstr(r->target, "advanced_search=true"));
	fake_http_request_free(r);
	r = fake_http_request_at(fx->f, 3);
	assert_non_null(strstr(r->target, "creator=furikaeri-bot"));
	assert_non_null(strstr(r->target, "since="));
	fake_http_request_free(r);
	assert_sql(fx, "SELECT ticket FROM measures WHERE id = 1", "acme/pay#7");
	tracker_outcomes_free(&out);
}

/* The search failing is no reason to skip the listing, nor to resend. */
static void
test_search_fails_listing_still_asked(void **state)
{
	struct fixture *fx = *state;
	struct tracker_outcomes out;

	fake_http_script(fx->f, &(struct fake_http_reply){
		.method = "POST", .path = "/repos/acme/pay/issues", .action = FAKE_HTTP_DROP });
	assert_int_equal(push(fx, "github", &out)->result, TRACKER_UNKNOWN);
	script(fx, "GET", "/search/issues", 422, NULL, "{\"message\": \"legacy search is gone\"}");
	script(fx, "GET", "/user", 200, NULL, "{\"login\": \"furikaeri-bot\"}");
	script(fx, "GET", "/repos/acme/pay/issues?", 200, NULL,
	       "[{\"number\": 9, \"state\": \"open\", \"html_url\": \"u9\","
	       " \"body\": \"x <!-- furikaeri:m-0001 -->\"}]");
	assert_int_equal(again(fx, &out)->result, TRACKER_OK);
	assert_int_equal(fake_http_count(fx->f, "POST", NULL), 1);
	assert_sql(fx, "SELECT ticket FROM measures WHERE id = 1", "acme/pay#9");
	tracker_outcomes_free(&out);
}

/* A GitHub App's token has no user: the listing asks for everyone's
 * issues instead of giving up (and never resending). */
static void
test_app_token_lists_all(void **state)
{
	struct fixture *fx = *state;
	struct tracker_outcomes out;
	struct fake_http_request *r;

	fake_http_script(fx->f, &(struct fake_http_reply){
		.method = "POST", .path = "/repos/acme/pay/issues", .action = FAKE_HTTP_DROP });
	assert_int_equal(push(fx, "github", &out)->result, TRACKER_UNKNOWN);
	script(fx, "GET", "/search/issues", 200, NULL, GH_NONE);
	script(fx, "GET", "/user", 403, NULL,
	       "{\"message\": \"Resource not accessible by integration\"}");
	script(fx, "GET", "/repos/acme/pay/issues?state=all", 200, NULL, "[]");
	script(fx, "POST", "/repos/acme/pay/issues", 201, NULL, GH_CREATED);
	assert_int_equal(again(fx, &out)->result, TRACKER_OK);
	r = fake_http_request_at(fx->f, 3);
	assert_non_null(strstr(r->target, "/repos/acme/pay/issues?state=all&since="));
	fake_http_request_free(r);
	assert_int_equal(fake_http_count(fx->f, "POST", NULL), 2);
	tracker_outcomes_free(&out);
}

static void
test_dropped_after_create_adopts(void **state)
{
	struct fixture *fx = *state;
	struct tracker_outcomes out;
	struct tracker_outcome *oc;
	char *err = NULL;
	struct store_outbox_item it;
	bool found;
	char **lines = NULL;

	fake_http_script(fx->f, &(struct fake_http_reply){
		.method = "POST", .path = "/repos/acme/pay/issues", .action = FAKE_HTTP_DROP });
	script(fx, "GET", "/search/issues", 200, NULL, GH_FOUND);
	script(fx, "POST", "/repos/acme/pay/issues", 201, NULL, GH_CREATED);
	assert_int_equal(push(fx, "github", &out)->result, TRACKER_UNKNOWN);
	oc = again(fx, &out);
	assert_int_equal(oc->result, TRACKER_OK);
	assert_string_equal(oc->key, "acme/pay#42");
	assert_non_null(strstr(oc->message, "found by its marker"));
	assert_int_equal(fake_http_count(fx->f, "POST", NULL), 1);
	assert_sql(fx, "SELECT ticket FROM measures WHERE id = 1", "acme/pay#42");
	assert_sql(fx, "SELECT state FROM ticket_outbox", "delivered");
	/* every decision is in the row's history */
	assert_int_equal(store_outbox_get(fx->st, 1, &it, &found, &err), 0);
	assert_int_equal(store_delivery_history(fx->st, STORE_DELIVERY_TICKET, it.id, &lines, &err), 0);
	{
		bool unknown = false, adopted = false;

		for (char **l = lines; *l != NULL; l++) {
			unknown |= strstr(*l, "unknown outcome unknown") != NULL;
			adopted |= strstr(*l, "filed found by its marker") != NULL;
		}
		assert_true(unknown);
		assert_true(adopted);
	}
	store_delivery_history_free(lines);
	store_outbox_item_release(&it);
	tracker_outcomes_free(&out);
}

static void
test_timeout_then_found_in_recent_issues(void **state)
{
	struct fixture *fx = *state;
	struct tracker_outcomes out;

	fx->opts.timeout_ms = 300;
	fake_http_script(fx->f, &(struct fake_http_reply){
		.method = "POST", .path = "/repos/acme/pay/issues", .status = 201,
		.body = GH_CREATED, .delay_ms = 3000 });
	/* the search index lags; the token's own issues have it */
	script(fx, "GET", "/search/issues", 200, NULL, GH_NONE);
	script(fx, "GET", "/user", 200, NULL, "{\"login\": \"furikaeri-bot\"}");
	script(fx, "GET", "/repos/acme/pay/issues?", 200, NULL,
	       "[{\"number\": 7, \"state\": \"open\", \"html_url\": \"u7\","
	       " \"body\": \"x <!-- furikaeri:m-0001 -->\"}]");
	assert_int_equal(push(fx, "github", &out)->result, TRACKER_UNKNOWN);
	assert_int_equal(again(fx, &out)->result, TRACKER_OK);
	assert_int_equal(fake_http_count(fx->f, "POST", NULL), 1);
	assert_sql(fx, "SELECT ticket FROM measures WHERE id = 1", "acme/pay#7");
	tracker_outcomes_free(&out);
}

static void
test_401_shows_message_no_retry(void **state)
{
	struct fixture *fx = *state;
	struct tracker_outcomes out;
	struct tracker_outcome *oc;

	script(fx, "POST", "/repos/acme/pay/issues", 401, NULL,
	       "{\"message\": \"Bad credentials\", \"documentation_url\": \"https://docs\"}");
	oc = push(fx, "github", &out);
	assert_int_equal(oc->result, TRACKER_REFUSED);
	assert_non_null(strstr(oc->message, "POST /repos/acme/pay/issues"));
	assert_non_null(strstr(oc->message, "401"));
	assert_non_null(strstr(oc->message, "Bad credentials"));
	assert_non_null(strstr(oc->message, "GITHUB_TOKEN"));
	assert_null(strstr(oc->message, GH_TOKEN));
	assert_int_equal(fake_http_n_requests(fx->f), 1);
	assert_sql(fx, "SELECT state FROM ticket_outbox", "refused");
	assert_sql_has(fx, "SELECT last_error FROM ticket_outbox", "Bad credentials");
	assert_sql(fx, "SELECT ticket FROM measures WHERE id = 1", NULL);
	tracker_outcomes_free(&out);
}

static void
test_422_error_list_shown(void **state)
{
	struct fixture *fx = *state;
	struct tracker_outcomes out;
	struct tracker_outcome *oc;

	script(fx, "POST", "/repos/acme/pay/issues", 422, NULL,
	       "{\"message\": \"Validation Failed\", \"errors\": [{\"value\": \"aoi-t\","
	       " \"resource\": \"Issue\", \"field\": \"assignees\", \"code\": \"invalid\"}],"
	       " \"documentation_url\": \"https://docs.github.com/rest/issues\"}");
	oc = push(fx, "github", &out);
	assert_int_equal(oc->result, TRACKER_REFUSED);
	assert_non_null(strstr(oc->message, "422"));
	assert_non_null(strstr(oc->message, "Validation Failed"));
	assert_non_null(strstr(oc->message, "Issue.assignees invalid \"aoi-t\""));
	assert_int_equal(fake_http_n_requests(fx->f), 1);
	assert_sql(fx, "SELECT state FROM ticket_outbox", "refused");
	assert_sql_has(fx, "SELECT last_error FROM ticket_outbox", "assignees");
	tracker_outcomes_free(&out);
}

static void
test_no_retry_on_client_errors(void **state)
{
	struct fixture *fx = *state;
	static const int codes[] = { 400, 403, 404, 410 };

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		struct tracker_outcomes out;

		fake_http_reset(fx->f);
		script(fx, "POST", "/repos/acme/pay/issues", codes[i], NULL,
		       "{\"message\": \"Not allowed\"}");
		/* the row was sent before, so each push looks for it first */
		fake_http_script(fx->f, &(struct fake_http_reply){
			.method = "GET", .status = 200, .body = GH_NONE, .times = -1 });
		assert_int_equal(push(fx, "github", &out)->result, TRACKER_REFUSED);
		assert_int_equal(fake_http_count(fx->f, "POST", NULL), 1);
		tracker_outcomes_free(&out);
	}
	assert_int_equal(fx->clock.slept, 0);	/* no backoff: nothing was retried */
}

static void
test_ratelimit_reset_waits(void **state)
{
	struct fixture *fx = *state;
	struct tracker_outcomes out;
	char headers[128];

	snprintf(headers, sizeof(headers),
		 "x-ratelimit-remaining: 0\r\nx-ratelimit-reset: %d\r\n", NOW + 30);
	script(fx, "POST", "/repos/acme/pay/issues", 403, headers,
	       "{\"message\": \"API rate limit exceeded for user ID 1.\"}");
	script(fx, "POST", "/repos/acme/pay/issues", 201, NULL, GH_CREATED);
	assert_int_equal(push(fx, "github", &out)->result, TRACKER_OK);
	assert_true(fx->clock.slept >= 30000);
	assert_true(fx->clock.slept <= 32000);
	assert_int_equal(fake_http_count(fx->f, "POST", NULL), 2);
	tracker_outcomes_free(&out);
}

static void
test_long_wait_defers(void **state)
{
	struct fixture *fx = *state;
	struct tracker_outcomes out;

	script(fx, "POST", "/repos/acme/pay/issues", 429, "Retry-After: 3600\r\n",
	       "{\"message\": \"slow down\"}");
	assert_int_equal(push(fx, "github", &out)->result, TRACKER_LATER);
	assert_int_equal(fx->clock.slept, 0);
	assert_sql(fx, "SELECT state FROM ticket_outbox", "queued");
	assert_sql(fx, "SELECT next_attempt_at IS NOT NULL FROM ticket_outbox", "1");
	tracker_outcomes_free(&out);
}

static void
test_write_pacing(void **state)
{
	struct fixture *fx = *state;
	struct tracker_outcomes out;
	char *err = NULL;

	script(fx, "POST", "/repos/acme/pay/issues", 201, NULL, GH_CREATED);
	script(fx, "POST", "/repos/acme/pay/issues", 201, NULL,
	       "{\"number\": 8, \"html_url\": \"u8\", \"state\": \"open\"}");
	queue(fx, 1, "github");
	queue(fx, 2, "github");
	assert_int_equal(tracker_push_all(fx->st, fx->cfg, &fx->opts, &out, &err), 0);
	assert_int_equal(out.n, 2);
	assert_int_equal(out.items[1].result, TRACKER_OK);
	assert_int_equal(fx->clock.sleeps, 1);
	assert_true(fx->clock.slept >= 990 && fx->clock.slept <= 1000);
	assert_sql(fx, "SELECT ticket FROM measures WHERE id = 2", "acme/pay#8");
	tracker_outcomes_free(&out);
}

/* A row claimed by a process that died: its lease runs out, the outcome
 * of its create is unknown, and it is looked up before anything is sent. */
static void
test_crash_in_sending_adopts(void **state)
{
	struct fixture *fx = *state;
	struct tracker_outcomes out;
	char *err = NULL;

	exec_sql(fx, "INSERT INTO ticket_outbox (measure_id, tracker, state, attempts, queued_at,"
		 " updated_at, claimed_by, lease_until, sent_at) VALUES (1, 'github', 'claimed', 1,"
		 " 'x', 'x', 'elsewhere:1:1', '2026-09-21T00:00:00Z', '2026-09-20T23:00:00Z')");
	script(fx, "GET", "/search/issues", 200, NULL, GH_FOUND);
	assert_int_equal(tracker_push_all(fx->st, fx->cfg, &fx->opts, &out, &err), 0);
	assert_int_equal(out.n, 1);
	assert_int_equal(out.items[0].result, TRACKER_UNKNOWN);
	assert_sql(fx, "SELECT state FROM ticket_outbox", "unknown");
	assert_int_equal(fake_http_n_requests(fx->f), 0);
	past_takeover(fx);
	assert_int_equal(again(fx, &out)->result, TRACKER_OK);
	assert_int_equal(fake_http_count(fx->f, "POST", NULL), 0);
	assert_sql(fx, "SELECT ticket FROM measures WHERE id = 1", "acme/pay#42");
	tracker_outcomes_free(&out);
}

static void
test_jira_v3_create(void **state)
{
	struct fixture *fx = *state;
	struct tracker_outcomes out;
	struct tracker_outcome *oc;
	struct fake_http_request *r;
	json_t *j, *fields;

	use_config(fx, "[jira]\nfields = {\"customfield_10551\": {\"value\": \"Yes\"}}\n");
	script(fx, "POST", "/rest/api/3/issue", 201, NULL, JIRA_CREATED);
	oc = push(fx, "jira", &out);
	assert_int_equal(oc->result, TRACKER_OK);
	assert_string_equal(oc->key, "OPS-412");
	assert_non_null(strstr(oc->url, "/browse/OPS-412"));
	r = fake_http_request_at(fx->f, 0);
	/* base64("bot@acme.example:jira_testtoken_0123456789") */
	assert_non_null(strstr(r->headers, "Authorization: Basic Ym90QGFjbWUuZXhhbXBsZTpqaXJhX3Rl"
				"c3R0b2tlbl8wMTIzNDU2Nzg5"));
	fake_http_request_free(r);
	j = request_json(fx, 0);
	fields = json_object_get(j, "fields");
	assert_string_equal(json_string_value(json_object_get(json_object_get(fields, "project"),
							      "key")), "OPS");
	assert_string_equal(json_string_value(json_object_get(json_object_get(fields, "issuetype"),
							      "name")), "Prevention");
	assert_string_equal(json_string_value(json_object_get(fields, "summary")),
			    "Add jitter and a retry budget");
	assert_string_equal(json_string_value(json_object_get(json_object_get(fields,
		"description"), "type")), "doc");
	assert_string_equal(json_string_value(json_array_get(json_object_get(fields, "labels"), 0)),
			    "furikaeri-m-0001");
	assert_string_equal(json_string_value(json_object_get(json_object_get(fields, "priority"),
							      "name")), "High");
	assert_string_equal(json_string_value(json_object_get(json_object_get(fields, "assignee"),
							      "accountId")),
			    "5b10a2844c20165700ede21g");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
		json_object_get(fields, "components"), 0), "name")), "Payments");
	assert_string_equal(json_string_value(json_object_get(json_object_get(fields,
		"customfield_10551"), "value")), "Yes");
	json_decref(j);
	assert_sql(fx, "SELECT ticket FROM measures WHERE id = 1", "OPS-412");
	tracker_outcomes_free(&out);
}

static void
test_jira_v2_create(void **state)
{
	struct fixture *fx = *state;
	struct tracker_outcomes out;
	struct fake_http_request *r;
	json_t *j;

	use_config(fx, "[jira]\napi = 2\n");
	script(fx, "POST", "/rest/api/2/issue", 201, NULL, JIRA_CREATED);
	assert_int_equal(push(fx, "jira", &out)->result, TRACKER_OK);
	r = fake_http_request_at(fx->f, 0);
	assert_non_null(strstr(r->headers, "Authorization: Bearer " JIRA_TOKEN));
	fake_http_request_free(r);
	j = request_json(fx, 0);
	assert_true(json_is_string(json_object_get(json_object_get(j, "fields"), "description")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_object_get(j,
		"fields"), "assignee"), "name")), "5b10a2844c20165700ede21g");
	json_decref(j);
	tracker_outcomes_free(&out);
}

static void
test_jira_field_error_stays_queued(void **state)
{
	struct fixture *fx = *state;
	struct tracker_outcomes out;
	struct tracker_outcome *oc;

	script(fx, "POST", "/rest/api/3/issue", 400, NULL,
	       "{\"errorMessages\": [], \"errors\": {\"customfield_10551\": \"Field "
	       "'customfield_10551' cannot be set. It is not on the appropriate screen, or "
	       "unknown.\"}}");
	oc = push(fx, "jira", &out);
	assert_int_equal(oc->result, TRACKER_REFUSED);
	assert_non_null(strstr(oc->message, "POST /rest/api/3/issue"));
	assert_non_null(strstr(oc->message, "400"));
	assert_non_null(strstr(oc->message, "Field 'customfield_10551' cannot be set. It is not "
			       "on the appropriate screen, or unknown."));
	assert_int_equal(fake_http_n_requests(fx->f), 1);
	assert_sql(fx, "SELECT state FROM ticket_outbox", "refused");
	assert_sql_has(fx, "SELECT last_error FROM ticket_outbox", "customfield_10551");
	tracker_outcomes_free(&out);
}

static void
test_jira_429_and_drop(void **state)
{
	struct fixture *fx = *state;
	struct tracker_outcomes out;
	struct fake_http_request *r;

	script(fx, "POST", "/rest/api/3/issue", 429, "Retry-After: 5\r\n", NULL);
	fake_http_script(fx->f, &(struct fake_http_reply){
		.method = "POST", .path = "/rest/api/3/issue", .action = FAKE_HTTP_DROP });
	script(fx, "GET", "/rest/api/3/search/jql", 200, NULL,
	       "{\"issues\": [{\"id\": \"1\", \"key\": \"OPS-9\", \"fields\": {\"labels\":"
	       " [\"furikaeri-m-0001\"], \"status\": {\"name\": \"To Do\", \"statusCategory\":"
	       " {\"key\": \"new\"}}}}], \"isLast\": true}");
	assert_int_equal(push(fx, "jira", &out)->result, TRACKER_UNKNOWN);
	assert_int_equal(again(fx, &out)->result, TRACKER_OK);
	assert_true(fx->clock.slept >= 5000);
	assert_int_equal(fake_http_count(fx->f, "POST", NULL), 2);
	r = fake_http_request_at(fx->f, 2);
	assert_non_null(strstr(r->target, "jql=labels%20%3D%20%22furikaeri-m-0001%22"));
	fake_http_request_free(r);
	assert_sql(fx, "SELECT ticket FROM measures WHERE id = 1", "OPS-9");
	tracker_outcomes_free(&out);
}

static void
test_sync(void **state)
{
	struct fixture *fx = *state;
	struct tracker_outcomes out;
	char *err = NULL;

	exec_sql(fx, "INSERT INTO ticket_outbox (measure_id, tracker, state, ticket_key, queued_at,"
		 " updated_at) VALUES (1, 'github', 'delivered', 'acme/pay#7', 'x', 'x'),"
		 " (2, 'jira', 'delivered', 'OPS-412', 'x', 'x')");
	script(fx, "GET", "/repos/acme/pay/issues/7", 200, NULL,
	       "{\"number\": 7, \"state\": \"closed\", \"html_url\": \"u\"}");
	script(fx, "GET", "/rest/api/3/issue/OPS-412", 200, NULL,
	       "{\"key\": \"OPS-412\", \"fields\": {\"status\": {\"name\": \"In Progress\","
	       " \"statusCategory\": {\"key\": \"indeterminate\"}}}}");
	assert_int_equal(tracker_sync_all(fx->st, fx->cfg, &fx->opts, &out, &err), 0);
	assert_int_equal(out.n, 2);
	assert_sql(fx, "SELECT status FROM measures WHERE id = 1", "done");
	assert_sql(fx, "SELECT status FROM measures WHERE id = 2", "open");
	assert_non_null(strstr(out.items[1].message, "In Progress"));
	tracker_outcomes_free(&out);
}

/* A ticket adopted by a lookup records the tracker it was found in, so
 * sync asks that tracker (not GitHub, the fallback that never answered for
 * a Jira key) and the measure follows its ticket. A row from before, with
 * no tracker, is asked where its key's shape says. */
static void
test_sync_adopted_jira_ticket(void **state)
{
	struct fixture *fx = *state;
	struct tracker_outcomes out;
	char *err = NULL;

	use_config(fx, "[tracker]\ndefault = jira\n");
	exec_sql(fx, "INSERT INTO ticket_outbox (measure_id, tracker, state, attempts, look_first,"
		 " queued_at, updated_at, sent_at) VALUES (1, NULL, 'unknown', 1, 1, 'x', 'x',"
		 " '2026-09-20T23:00:00Z');"
		 "INSERT INTO ticket_outbox (measure_id, tracker, state, ticket_key, queued_at,"
		 " updated_at) VALUES (2, NULL, 'delivered', 'OPS-77', 'x', 'x')");
	script(fx, "GET", "/rest/api/3/search/jql", 200, NULL,
	       "{\"issues\": [{\"id\": \"1\", \"key\": \"OPS-9\", \"fields\": {\"labels\":"
	       " [\"furikaeri-m-0001\"], \"status\": {\"name\": \"To Do\", \"statusCategory\":"
	       " {\"key\": \"new\"}}}}], \"isLast\": true}");
	assert_int_equal(tracker_run_due(fx->st, fx->cfg, &fx->opts, &out, &err), 0);
	assert_int_equal(out.items[0].result, TRACKER_OK);
	assert_string_equal(out.items[0].key, "OPS-9");
	tracker_outcomes_free(&out);
	assert_sql(fx, "SELECT tracker FROM ticket_outbox WHERE measure_id = 1", "jira");

	script(fx, "GET", "/rest/api/3/issue/OPS-9", 200, NULL,
	       "{\"key\": \"OPS-9\", \"fields\": {\"status\": {\"name\": \"Done\","
	       " \"statusCategory\": {\"key\": \"done\"}}}}");
	script(fx, "GET", "/rest/api/3/issue/OPS-77", 200, NULL,
	       "{\"key\": \"OPS-77\", \"fields\": {\"status\": {\"name\": \"Done\","
	       " \"statusCategory\": {\"key\": \"done\"}}}}");
	assert_int_equal(tracker_sync_all(fx->st, fx->cfg, &fx->opts, &out, &err), 0);
	assert_int_equal(out.n, 2);
	assert_int_equal(out.items[0].result, TRACKER_OK);
	assert_int_equal(out.items[1].result, TRACKER_OK);
	assert_sql(fx, "SELECT status FROM measures WHERE id = 1", "done");
	assert_sql(fx, "SELECT status FROM measures WHERE id = 2", "done");
	assert_int_equal(fake_http_count(fx->f, "GET", "/repos/"), 0);
	tracker_outcomes_free(&out);
}

/* recheck_seconds = 0 does not make Jira's two lookups run back to back:
 * each waits out Jira's floor, so a search that lags its writes by 30 s
 * has shown the ticket before the second lookup, and nothing is created
 * twice, however often the outbox is run. The config's line is named. */
static void
test_recheck_floor(void **state)
{
	struct fixture *fx = *state;
	struct fake_tracker *ft = fake_tracker_new(fx->f, fake_clock_ms, &fx->clock);
	static const enum fake_fault drop[] = { FAKE_FAULT_DROP };
	char *state_s, *note, *text, *err = NULL;
	struct config *cfg;

	use_config(fx, "[tracker]\nrecheck_seconds = 0\n");
	fake_tracker_timing(ft, 30000, 0, 0);
	fake_tracker_faults(ft, drop, 1);
	queue(fx, 1, "jira");
	/* a worker that runs the outbox every second */
	for (int i = 0; i < 300; i++) {
		struct tracker_outcomes out;

		if (tracker_run_due(fx->st, fx->cfg, &fx->opts, &out, &err) < 0)
			fail_msg("%s", err);
		tracker_outcomes_free(&out);
		fx->clock.ms += 1000;
	}
	state_s = query_text(fx, "SELECT state FROM ticket_outbox");
	assert_string_equal(state_s, "delivered");
	free(state_s);
	assert_int_equal(fake_tracker_stored_with(ft, "m-0001"), 1);
	assert_true(tracker_recheck_ms(fx->cfg, &fx->opts, TRACKER_JIRA) >= 30000);
	fake_tracker_free(ft);

	text = xasprintf("[github]\nrepo = acme/pay\n[tracker]\ndefault = github\n"
			 "recheck_seconds = 5\n");
	cfg = config_parse(text, "furikaeri.ini", &err);
	assert_non_null(cfg);
	free(cfg->path);
	cfg->path = xstrdup("furikaeri.ini");
	note = tracker_recheck_note(cfg, TRACKER_GITHUB);
	assert_non_null(note);
	assert_non_null(strstr(note, "furikaeri.ini:5: [tracker] recheck_seconds = 5 is below"));
	free(note);
	config_free(cfg);
	free(text);
}

static void
test_doctor_jira_required_field(void **state)
{
	struct fixture *fx = *state;
	struct tracker_checks checks;
	size_t failed;
	bool named = false;

	script(fx, "GET", "/user", 200, NULL, "{\"login\": \"furikaeri-bot\"}");
	script(fx, "GET", "/rest/api/3/myself", 200, NULL, "{\"displayName\": \"Bot\"}");
	script(fx, "GET", "/rest/api/3/issue/createmeta/OPS/issuetypes?", 200, NULL,
	       "{\"issueTypes\": [{\"id\": \"10001\", \"name\": \"Task\"},"
	       " {\"id\": \"10002\", \"name\": \"Prevention\"}], \"total\": 2}");
	script(fx, "GET", "/rest/api/3/issue/createmeta/OPS/issuetypes/10002", 200, NULL,
	       "{\"fields\": [{\"fieldId\": \"summary\", \"name\": \"Summary\", \"required\": true,"
	       " \"hasDefaultValue\": false}, {\"fieldId\": \"customfield_10551\", \"name\":"
	       " \"Customer impact\", \"required\": true, \"hasDefaultValue\": false},"
	       " {\"fieldId\": \"reporter\", \"required\": true, \"hasDefaultValue\": true}]}");
	failed = tracker_doctor(fx->cfg, &fx->opts, &checks);
	assert_int_equal(failed, 1);
	for (size_t i = 0; i < checks.n; i++)
		if (!checks.items[i].ok && strstr(checks.items[i].text, "customfield_10551") &&
		    strstr(checks.items[i].text, "Customer impact"))
			named = true;
	assert_true(named);
	tracker_checks_free(&checks);
}

static void
test_doctor_bad_token(void **state)
{
	struct fixture *fx = *state;
	struct tracker_checks checks;

	script(fx, "GET", "/user", 401, NULL, "{\"message\": \"Bad credentials\"}");
	use_config(fx, "[tracker]\ndefault = github\n");
	fx->cfg->jira.url = (free(fx->cfg->jira.url), NULL);
	assert_int_equal(tracker_doctor(fx->cfg, &fx->opts, &checks), 1);
	assert_non_null(strstr(checks.items[checks.n - 1].text, "Bad credentials"));
	tracker_checks_free(&checks);
}

static void
test_log_has_no_token(void **state)
{
	struct fixture *fx = *state;
	struct tracker_outcomes out;
	char logpath[300], buf[65536];
	FILE *f;
	size_t n;

	snprintf(logpath, sizeof(logpath), "%s.log", fx->db);
	assert_int_equal(log_open(logpath, NULL), 0);
	script(fx, "POST", "/rest/api/3/issue", 201, NULL, JIRA_CREATED);
	assert_int_equal(push(fx, "jira", &out)->result, TRACKER_OK);
	tracker_outcomes_free(&out);
	log_close();
	f = fopen(logpath, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "POST http://127.0.0.1"));
	assert_non_null(strstr(buf, "Authorization: [redacted]"));
	assert_null(strstr(buf, JIRA_TOKEN));
	assert_null(strstr(buf, "Ym90QGFjbWUuZXhhbXBsZTpqaXJhX3Rl"));
}

static void
test_worker(void **state)
{
	struct fixture *fx = *state;
	struct tracker_options real = { .timeout_ms = 2000 };
	struct tracker_worker *w;
	struct tracker_event *ev;
	size_t n = 0;
	bool filed = false, sending = false;
	char *err = NULL;

	script(fx, "POST", "/repos/acme/pay/issues", 201, NULL, GH_CREATED);
	w = tracker_worker_start(fx->db, fx->cfg, &real, &err);
	assert_non_null(w);
	queue(fx, 1, "github");
	tracker_worker_kick(w);
	for (int i = 0; i < 500 && !filed; i++) {
		usleep(10000);
		ev = tracker_worker_poll(w, &n);
		for (size_t k = 0; k < n; k++) {
			sending |= ev[k].kind == TRACKER_EVENT_SENDING;
			if (ev[k].kind == TRACKER_EVENT_FILED) {
				filed = true;
				assert_string_equal(ev[k].key, "acme/pay#7");
				assert_int_equal(ev[k].measure_id, 1);
			}
		}
		tracker_events_free(ev, n);
	}
	assert_true(sending);
	assert_true(filed);
	tracker_worker_stop(w);
	tracker_worker_stop(NULL);
	assert_sql(fx, "SELECT ticket FROM measures WHERE id = 1", "acme/pay#7");
	assert_int_equal(fake_http_count(fx->f, "POST", NULL), 1);
}

static void
test_worker_stops_during_long_wait(void **state)
{
	struct fixture *fx = *state;
	struct tracker_options real = { .timeout_ms = 2000 };
	struct tracker_worker *w;
	char *err = NULL;
	struct timespec t0, t1;

	script(fx, "POST", "/repos/acme/pay/issues", 429, "Retry-After: 100\r\n", NULL);
	queue(fx, 1, "github");
	w = tracker_worker_start(fx->db, fx->cfg, &real, &err);
	assert_non_null(w);
	while (fake_http_n_requests(fx->f) == 0)
		usleep(10000);
	usleep(50000);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	tracker_worker_stop(w);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(t1.tv_sec - t0.tv_sec < 5);
}

/* Runs the outbox until measure's row is filed (moving the clock past
 * each recheck), at most rounds times; returns its state (owned). */
static char *
drain(struct fixture *fx, long long measure, int rounds)
{
	char sql[128];

	snprintf(sql, sizeof(sql), "SELECT state FROM ticket_outbox WHERE measure_id = %lld",
		 measure);
	for (int i = 0; i < rounds; i++) {
		struct tracker_outcomes out;
		char *err = NULL, *st;

		if (tracker_run_due(fx->st, fx->cfg, &fx->opts, &out, &err) < 0)
			fail_msg("%s", err);
		tracker_outcomes_free(&out);
		st = query_text(fx, sql);
		if (st != NULL && strcmp(st, "delivered") == 0)
			return st;
		free(st);
		later(fx);
	}
	return query_text(fx, sql);
}

static const char *const fault_names[] = {
	[FAKE_FAULT_NONE] = "none",
	[FAKE_FAULT_5XX] = "500 (not stored)",
	[FAKE_FAULT_5XX_STORED] = "502 after storing",
	[FAKE_FAULT_429] = "429 Retry-After",
	[FAKE_FAULT_DROP] = "stored, connection dropped",
	[FAKE_FAULT_SLOW] = "stored, answer too late (timeout)",
};

/* Every fault and every sequence of two, on GitHub, Jira Cloud, Jira
 * Data Center and GitLab, against a tracker whose search lags its writes by 4 s
 * (recheck_seconds 2, which each tracker raises to its floor): each
 * cell ends filed with exactly one ticket stored by the server. The table
 * is printed as TAP comments (tests/test_tracker.log). */
static void
test_fault_matrix(void **state)
{
	struct fixture *fx = *state;
	static const enum fake_fault faults[] = {
		FAKE_FAULT_5XX, FAKE_FAULT_5XX_STORED, FAKE_FAULT_429, FAKE_FAULT_DROP,
		FAKE_FAULT_SLOW,
	};
	static const struct {
		const char *name, *tracker, *extra;
	} trackers[] = {
		{ "GitHub", "github", "" },
		{ "Jira Cloud", "jira", "" },
		{ "Jira Data Center", "jira", "[jira]\napi = 2\n" },
		{ "GitLab", "gitlab", "[gitlab]\nproject = acme/pay\nurl = " },
		{ "Linear", "linear", NULL },
	};
	const size_t nt = sizeof(trackers) / sizeof(trackers[0]);
	const size_t nf = sizeof(faults) / sizeof(faults[0]);
	struct fake_tracker *ft = fake_tracker_new(fx->f, fake_clock_ms, &fx->clock);
	int cell = 0, bad = 0;

	/* FK_SLOW stretches the real waits on a loaded machine */
	int slow = getenv("FK_SLOW") != NULL && atoi(getenv("FK_SLOW")) > 0 ? atoi(getenv("FK_SLOW"))
									    : 1;

	fx->opts.timeout_ms = 500 * slow;
	fake_tracker_timing(ft, 4000, 0, 1500 * slow);
	printf("# fault matrix: creates stored by the server per cell\n");
	printf("# | fault sequence | GitHub | Jira Cloud | Jira Data Center | GitLab | Linear |\n");
	for (size_t a = 0; a < nf; a++) {
		for (size_t b = 0; b <= nf; b++) {
			enum fake_fault seq[2] = { faults[a], b < nf ? faults[b] : FAKE_FAULT_NONE };
			size_t nseq = b < nf ? 2 : 1;
			char row[256];
			size_t stored[5];

			for (size_t k = 0; k < nt; k++) {
				char marker[32], extra[256], sql[256], *st;

				/* GitLab's url is the fake's, which the extra ends with;
				 * Linear's config is use_linear's */
				snprintf(extra, sizeof(extra), "[tracker]\nrecheck_seconds = 2\n%s%s\n",
					 trackers[k].extra ? trackers[k].extra : "",
					 strcmp(trackers[k].tracker, "gitlab") == 0
					 ? fake_http_url(fx->f) : "");
				if (trackers[k].extra == NULL)
					use_linear(fx, extra);
				else
					use_config(fx, extra);
				snprintf(marker, sizeof(marker), "mx-%04d", ++cell);
				snprintf(sql, sizeof(sql),
					 "INSERT INTO measures (id, postmortem_id, title, origin, marker,"
					 " created_at) VALUES (%d, 'pm-031', 'Cell %d', 'meeting', '%s', 'x')",
					 100 + cell, cell, marker);
				exec_sql(fx, sql);
				fake_tracker_faults(ft, seq, nseq);
				queue(fx, 100 + cell, trackers[k].tracker);
				st = drain(fx, 100 + cell, 12);
				stored[k] = fake_tracker_stored_with(ft, marker);
				if (st == NULL || strcmp(st, "delivered") != 0 || stored[k] != 1) {
					bad++;
					print_error("cell %s / %s%s%s on %s: state %s, %zu stored\n",
						    fault_names[seq[0]], nseq > 1 ? "then " : "",
						    nseq > 1 ? fault_names[seq[1]] : "", "",
						    trackers[k].name, st ? st : "(none)", stored[k]);
				}
				free(st);
			}
			snprintf(row, sizeof(row), "%s%s%s", fault_names[seq[0]],
				 nseq > 1 ? ", then " : "", nseq > 1 ? fault_names[seq[1]] : "");
			printf("# | %s | %zu | %zu | %zu | %zu | %zu |\n", row, stored[0], stored[1],
			       stored[2], stored[3], stored[4]);
		}
	}
	fflush(stdout);
	fake_tracker_free(ft);
	assert_int_equal(bad, 0);
}

/* A config file for the real binary, pointing at the fake server (path
 * owned). */
static char *
binary_config(struct fixture *fx)
{
	char *path = NULL;
	FILE *f;

	if (asprintf(&path, "%s.ini", fx->db) < 0)
		fail();
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "[tracker]\ndefault = github\n[github]\nurl = %s\nrepo = acme/pay\n",
		fake_http_url(fx->f));
	fclose(f);
	return path;
}

/* Starts `furikaeri --db DB --config CFG tickets VERB [ID]` (the real
 * binary, in a process of its own). */
static pid_t
start_binary(struct fixture *fx, const char *cfg, const char *verb, const char *id)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		execl(FK_BUILDDIR "/furikaeri", "furikaeri", "--db", fx->db, "--config", cfg,
		      "tickets", verb, id, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Runs `tickets VERB [ID]` in two processes 0.1 s apart; both must end
 * with exit status 0. */
static void
race(struct fixture *fx, const char *verb, const char *id)
{
	char *cfg = binary_config(fx);
	pid_t pids[2];

	for (int i = 0; i < 2; i++) {
		pids[i] = start_binary(fx, cfg, verb, id);
		usleep(100000);
	}
	for (int i = 0; i < 2; i++) {
		int status;

		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	free(cfg);
}

/* Two `furikaeri tickets file 1` 0.1 s apart against a tracker that takes
 * 0.5 s per create: one create; the measure keeps the ticket it got. */
static void
test_two_processes_one_measure(void **state)
{
	struct fixture *fx = *state;
	struct fake_tracker *ft = fake_tracker_new(fx->f, fake_clock_ms, &fx->clock);

	fake_tracker_timing(ft, 0, 500, 0);
	race(fx, "file", "1");
	assert_int_equal(fake_tracker_stored(ft), 1);
	assert_sql(fx, "SELECT state FROM ticket_outbox WHERE measure_id = 1", "delivered");
	assert_sql(fx, "SELECT ticket FROM measures WHERE id = 1", "acme/pay#1");
	assert_sql(fx, "SELECT attempts FROM ticket_outbox WHERE measure_id = 1", "1");
	fake_tracker_free(ft);
}

/* Two `furikaeri tickets push` over a queue of 10: each measure is filed
 * once. */
static void
test_two_processes_queue_of_10(void **state)
{
	struct fixture *fx = *state;
	struct fake_tracker *ft = fake_tracker_new(fx->f, fake_clock_ms, &fx->clock);

	fake_tracker_timing(ft, 0, 150, 0);
	for (int i = 0; i < 10; i++) {
		char sql[256];

		snprintf(sql, sizeof(sql), "INSERT INTO measures (id, postmortem_id, title, origin,"
			 " marker, created_at) VALUES (%d, 'pm-031', 'Q%d', 'meeting', 'q-%02d', 'x')",
			 10 + i, i, i);
		exec_sql(fx, sql);
		queue(fx, 10 + i, "github");
	}
	race(fx, "push", NULL);
	assert_int_equal(fake_tracker_stored(ft), 10);
	for (int i = 0; i < 10; i++) {
		char marker[16];

		snprintf(marker, sizeof(marker), "q-%02d", i);
		assert_int_equal(fake_tracker_stored_with(ft, marker), 1);
	}
	assert_sql(fx, "SELECT count(*) FROM ticket_outbox WHERE state = 'delivered'", "10");
	assert_sql(fx, "SELECT count(DISTINCT ticket) FROM measures WHERE id BETWEEN 10 AND 19",
		   "10");
	assert_sql(fx, "SELECT sum(attempts) FROM ticket_outbox", "10");
	fake_tracker_free(ft);
}

/* kill -9 after the server stored the create and before the store heard
 * of it: the next run finds the claim of a process that is gone, treats
 * the outcome as unknown, looks the marker up after recheck_seconds and
 * adopts the ticket. (A claim of another machine waits out its lease:
 * test_crash_in_sending_adopts.) */
static void
test_kill9_between_create_and_store(void **state)
{
	struct fixture *fx = *state;
	struct fake_tracker *ft = fake_tracker_new(fx->f, fake_clock_ms, &fx->clock);
	struct tracker_outcomes out;
	char *err = NULL, *cfg;
	pid_t pid;
	int status;

	fake_tracker_timing(ft, 5000, 20000, 0);
	queue(fx, 1, "github");
	cfg = binary_config(fx);
	pid = start_binary(fx, cfg, "push", NULL);
	free(cfg);
	for (int i = 0; i < 3000 && fake_tracker_stored(ft) == 0; i++)
		usleep(10000);
	assert_int_equal(fake_tracker_stored(ft), 1);
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_sql(fx, "SELECT state FROM ticket_outbox", "claimed");

	/* its process is gone: no need to wait out the lease, but the outcome
	 * is unknown, so nothing is sent before the lookup */
	assert_int_equal(tracker_run_due(fx->st, fx->cfg, &fx->opts, &out, &err), 0);
	assert_int_equal(out.items[0].result, TRACKER_UNKNOWN);
	assert_non_null(strstr(out.items[0].message, "is gone"));
	assert_sql(fx, "SELECT state FROM ticket_outbox", "unknown");
	past_takeover(fx);
	assert_int_equal(again(fx, &out)->result, TRACKER_OK);
	assert_string_equal(out.items[0].key, "acme/pay#1");
	assert_int_equal(fake_tracker_stored(ft), 1);
	assert_sql(fx, "SELECT ticket FROM measures WHERE id = 1", "acme/pay#1");
	tracker_outcomes_free(&out);
	fake_tracker_free(ft);
}

/* A first holder, in a thread with a store connection of its own, running
 * its row under an owner name of its own. */
struct holder {
	struct fixture *fx;
	char *owner;
	struct tracker_outcome oc;
	int rc;
};

static void *
hold(void *arg)
{
	struct holder *h = arg;
	struct tracker_set set = { .cfg = h->fx->cfg, .opts = &h->fx->opts };
	struct store_outbox_item it;
	struct store *st;
	char *err = NULL;
	bool found = false;

	st = store_open(h->fx->db, &err);
	h->rc = st == NULL || store_outbox_get(st, 1, &it, &found, &err) < 0 || !found ? -1 : 0;
	if (h->rc == 0) {
		h->rc = outbox_run_item(st, &set, &it, h->owner, &h->oc, &err);
		store_outbox_item_release(&it);
	}
	tracker_set_release(&set);
	store_free(st);
	free(err);
	return NULL;
}

/* A PID that is gone here: a child that exited and was reaped. */
static long
dead_pid(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	return (long)pid;
}

/* Starts a slow create (an hour's [http] timeout, the server answering
 * after 1.5 s) by a holder whose owner name is that of a process in
 * another PID namespace (a container) whose PID is gone here; returns once
 * the create went out. */
static void
start_slow_create(struct fixture *fx, struct fake_tracker *ft, struct holder *h, pthread_t *th)
{
	char *me = deliver_owner_new(), host[64], boot[64];

	fx->opts.timeout_ms = 3600 * 1000;
	fx->opts.connect_timeout_ms = 10 * 1000;
	fake_tracker_timing(ft, 0, 1500, 0);
	queue(fx, 1, "github");
	assert_int_equal(sscanf(me, "%63[^:]:%63[^:]:", host, boot), 2);
	h->fx = fx;
	h->owner = xasprintf("%s:%s:4026531999:%ld:1", host, boot, dead_pid());
	free(me);
	assert_int_equal(pthread_create(th, NULL, hold, h), 0);
	for (int i = 0; i < 500; i++) {
		char *sent = query_text(fx, "SELECT attempts FROM ticket_outbox");
		bool out = sent != NULL && strcmp(sent, "1") == 0;

		free(sent);
		if (out)
			break;
		usleep(10000);
	}
	assert_sql(fx, "SELECT attempts FROM ticket_outbox", "1");
}

/* The lease covers the longest request the settings allow: a create in
 * flight under an hour's timeout, held by a process of another PID
 * namespace (which can never be told gone from here), is not taken over
 * 16 minutes later; the one ticket is its own. */
static void
test_slow_create_in_other_namespace_kept(void **state)
{
	struct fixture *fx = *state;
	struct fake_tracker *ft = fake_tracker_new(fx->f, fake_clock_ms, &fx->clock);
	struct holder h = { 0 };
	struct tracker_outcomes out;
	char *err = NULL;
	pthread_t th;

	start_slow_create(fx, ft, &h, &th);
	fx->clock.ms += 16 * 60 * 1000;
	assert_int_equal(tracker_run_due(fx->st, fx->cfg, &fx->opts, &out, &err), 0);
	assert_int_equal(out.n, 1);
	assert_int_equal(out.items[0].result, TRACKER_BUSY);
	tracker_outcomes_free(&out);
	assert_sql(fx, "SELECT state FROM ticket_outbox", "claimed");
	assert_sql(fx, "SELECT claimed_by FROM ticket_outbox", h.owner);
	pthread_join(th, NULL);
	assert_int_equal(h.rc, 0);
	assert_int_equal(h.oc.result, TRACKER_OK);
	assert_string_equal(h.oc.key, "acme/pay#1");
	assert_sql(fx, "SELECT state FROM ticket_outbox", "delivered");
	assert_int_equal(fake_tracker_stored(ft), 1);
	free(h.oc.key);
	free(h.oc.url);
	free(h.oc.message);
	free(h.owner);
	fake_tracker_free(ft);
}

/* A holder whose lease ran out under it (a create slower than every
 * setting allows) lost its row: the new holder waits out the longest
 * request before its first lookup, and the old one never reports its
 * ticket as filed; it says what happened, in its outcome and in the
 * history. The lookup adopts the one ticket. */
static void
test_holder_that_lost_its_row_says_so(void **state)
{
	struct fixture *fx = *state;
	struct fake_tracker *ft = fake_tracker_new(fx->f, fake_clock_ms, &fx->clock);
	struct holder h = { 0 };
	struct tracker_outcomes out;
	char *err = NULL;
	pthread_t th;

	start_slow_create(fx, ft, &h, &th);
	fx->clock.ms += deliver_lease_ms(tracker_longest_request_ms(fx->cfg, &fx->opts)) + 1000;
	assert_int_equal(tracker_run_due(fx->st, fx->cfg, &fx->opts, &out, &err), 0);
	assert_int_equal(out.items[0].result, TRACKER_UNKNOWN);
	tracker_outcomes_free(&out);
	assert_sql(fx, "SELECT state FROM ticket_outbox", "unknown");
	pthread_join(th, NULL);
	assert_int_equal(h.rc, 0);
	assert_int_not_equal(h.oc.result, TRACKER_OK);
	assert_null(h.oc.key);
	assert_non_null(strstr(h.oc.message, "taken over by another furikaeri while its create was"
				" in flight: created acme/pay#1 here"));
	assert_sql_has(fx, "SELECT group_concat(note, ' | ') FROM ticket_history",
		       "taken over by another furikaeri while its create was in flight");
	assert_sql(fx, "SELECT ticket FROM measures WHERE id = 1", NULL);
	/* not looked up before the old holder's longest request is over */
	later(fx);
	assert_int_equal(tracker_run_due(fx->st, fx->cfg, &fx->opts, &out, &err), 0);
	assert_int_equal(out.items[0].result, TRACKER_UNKNOWN);
	tracker_outcomes_free(&out);
	assert_int_equal(fake_http_count(fx->f, "GET", NULL), 0);
	past_takeover(fx);
	assert_int_equal(tracker_run_due(fx->st, fx->cfg, &fx->opts, &out, &err), 0);
	assert_int_equal(out.items[0].result, TRACKER_OK);
	assert_string_equal(out.items[0].key, "acme/pay#1");
	tracker_outcomes_free(&out);
	assert_int_equal(fake_tracker_stored(ft), 1);
	free(h.oc.message);
	free(h.owner);
	fake_tracker_free(ft);
}

/* A claim held by a live process is left to it. */
static void
test_live_claim_left_alone(void **state)
{
	struct fixture *fx = *state;
	struct tracker_outcomes out;
	char *err = NULL, *owner = deliver_owner_new(), sql[512];

	/* this very process, through another connection: alive */
	snprintf(sql, sizeof(sql), "INSERT INTO ticket_outbox (measure_id, tracker, state,"
		 " attempts, queued_at, updated_at, claimed_by, lease_until) VALUES (1, 'github',"
		 " 'claimed', 1, 'x', 'x', '%s', '2027-01-01T00:00:00Z')", owner);
	exec_sql(fx, sql);
	free(owner);
	assert_int_equal(tracker_push_all(fx->st, fx->cfg, &fx->opts, &out, &err), 0);
	assert_int_equal(out.items[0].result, TRACKER_BUSY);
	assert_int_equal(fake_http_n_requests(fx->f), 0);
	assert_sql(fx, "SELECT state FROM ticket_outbox", "claimed");
	tracker_outcomes_free(&out);
}

/* [jira] fields with labels of its own: they join the marker label. */
static void
test_jira_fields_labels_keep_marker(void **state)
{
	struct fixture *fx = *state;
	struct tracker_outcomes out;
	json_t *j, *labels;
	char *err = NULL;
	struct config *bad;
	bool marker = false, team = false, conf = false;
	size_t i;
	json_t *v;

	use_config(fx, "[jira]\nlabels = postmortem\n"
		   "fields = {\"labels\": [\"team-pay\"], \"customfield_1\": \"x\"}\n");
	script(fx, "POST", "/rest/api/3/issue", 201, NULL, JIRA_CREATED);
	assert_int_equal(push(fx, "jira", &out)->result, TRACKER_OK);
	j = request_json(fx, 0);
	labels = json_object_get(json_object_get(j, "fields"), "labels");
	json_array_foreach(labels, i, v) {
		marker |= strcmp(json_string_value(v), "furikaeri-m-0001") == 0;
		team |= strcmp(json_string_value(v), "team-pay") == 0;
		conf |= strcmp(json_string_value(v), "postmortem") == 0;
	}
	assert_true(marker && team && conf);
	json_decref(j);
	tracker_outcomes_free(&out);

	bad = config_parse("[jira]\nurl = https://x.example\nproject = OPS\n"
			   "fields = {\"labels\": \"team-pay\"}\n", "team.ini", &err);
	assert_null(bad);
	assert_non_null(strstr(err, "team.ini:4:"));
	assert_non_null(strstr(err, "labels"));
	free(err);
}

/* A measure with a ticket, from any source, is never filed again. */
static void
test_measure_with_ticket_never_filed(void **state)
{
	struct fixture *fx = *state;
	struct tracker_outcome oc;
	char *err = NULL, *msg = NULL;

	exec_sql(fx, "UPDATE measures SET ticket = 'OPS-77' WHERE id = 1");
	assert_int_equal(tracker_queue(fx->st, fx->cfg, 1, "github", &msg, &err), 1);
	assert_non_null(strstr(msg, "OPS-77"));
	free(msg);
	assert_int_equal(tracker_file_one(fx->st, fx->cfg, &fx->opts, 1, NULL, &oc, &err), 0);
	assert_non_null(strstr(oc.message, "OPS-77"));
	free(oc.key);
	free(oc.url);
	free(oc.message);
	assert_int_equal(fake_http_n_requests(fx->f), 0);
	assert_sql(fx, "SELECT count(*) FROM ticket_outbox", "0");
}

/* Restored from minutes that said "sending": the marker is looked up
 * before the first create. */
static void
test_restored_measure_looks_first(void **state)
{
	struct fixture *fx = *state;
	struct tracker_outcomes out;
	struct fake_http_request *r;

	exec_sql(fx, "UPDATE measures SET ticket_state = 'sending' WHERE id = 1");
	script(fx, "GET", "/search/issues", 200, NULL, GH_FOUND);
	assert_int_equal(push(fx, "github", &out)->result, TRACKER_OK);
	r = fake_http_request_at(fx->f, 0);
	assert_string_equal(r->method, "GET");
	fake_http_request_free(r);
	assert_int_equal(fake_http_count(fx->f, "POST", NULL), 0);
	assert_sql(fx, "SELECT ticket FROM measures WHERE id = 1", "acme/pay#42");
	tracker_outcomes_free(&out);
}

static void
test_sync_dropped(void **state)
{
	struct fixture *fx = *state;
	struct tracker_outcomes out;
	char *err = NULL;

	exec_sql(fx, "INSERT INTO ticket_outbox (measure_id, tracker, state, ticket_key, queued_at,"
		 " updated_at) VALUES (1, 'github', 'delivered', 'acme/pay#7', 'x', 'x'),"
		 " (2, 'jira', 'delivered', 'OPS-412', 'x', 'x')");
	script(fx, "GET", "/repos/acme/pay/issues/7", 200, NULL,
	       "{\"number\": 7, \"state\": \"closed\", \"state_reason\": \"not_planned\","
	       " \"html_url\": \"u\"}");
	script(fx, "GET", "/rest/api/3/issue/OPS-412", 200, NULL,
	       "{\"key\": \"OPS-412\", \"fields\": {\"status\": {\"name\": \"Done\","
	       " \"statusCategory\": {\"key\": \"done\"}}, \"resolution\": {\"name\": \"Won't Do\"}}}");
	assert_int_equal(tracker_sync_all(fx->st, fx->cfg, &fx->opts, &out, &err), 0);
	assert_int_equal(out.n, 2);
	assert_sql(fx, "SELECT status FROM measures WHERE id = 1", "dropped");
	assert_sql(fx, "SELECT status FROM measures WHERE id = 2", "dropped");
	assert_sql(fx, "SELECT done_at FROM measures WHERE id = 1", NULL);
	assert_non_null(strstr(out.items[0].message, "not planned"));
	assert_non_null(strstr(out.items[1].message, "Won't Do"));
	tracker_outcomes_free(&out);
}

/* A moved repository: the write is not followed nor retried; the message
 * names the new place. */
static void
test_redirect_on_write_reported(void **state)
{
	struct fixture *fx = *state;
	struct tracker_outcomes out;
	struct tracker_outcome *oc;

	script(fx, "POST", "/repos/acme/pay/issues", 307,
	       "Location: https://api.github.com/repositories/42/issues\r\n", NULL);
	oc = push(fx, "github", &out);
	assert_int_equal(oc->result, TRACKER_REFUSED);
	assert_non_null(strstr(oc->message, "307"));
	assert_non_null(strstr(oc->message, "https://api.github.com/repositories/42/issues"));
	assert_non_null(strstr(oc->message, "[github]"));
	assert_int_equal(fake_http_n_requests(fx->f), 1);
	tracker_outcomes_free(&out);
}

/* Reads are followed to the new place. */
static void
test_redirect_on_read_followed(void **state)
{
	struct fixture *fx = *state;
	struct tracker_outcomes out;
	char *err = NULL, loc[160];

	snprintf(loc, sizeof(loc), "Location: %s/repositories/42/issues/7\r\n",
		 fake_http_url(fx->f));
	exec_sql(fx, "INSERT INTO ticket_outbox (measure_id, tracker, state, ticket_key, queued_at,"
		 " updated_at) VALUES (1, 'github', 'delivered', 'acme/pay#7', 'x', 'x')");
	script(fx, "GET", "/repos/acme/pay/issues/7", 301, loc, NULL);
	script(fx, "GET", "/repositories/42/issues/7", 200, NULL,
	       "{\"number\": 7, \"state\": \"closed\", \"html_url\": \"u\"}");
	assert_int_equal(tracker_sync_all(fx->st, fx->cfg, &fx->opts, &out, &err), 0);
	assert_int_equal(out.items[0].result, TRACKER_OK);
	assert_sql(fx, "SELECT status FROM measures WHERE id = 1", "done");
	tracker_outcomes_free(&out);
}

/* Jira summaries: one line, at most 255 characters; Data Center's wiki
 * markup is escaped. */
static void
test_jira_summary_and_wiki(void **state)
{
	struct fixture *fx = *state;
	struct tracker_outcomes out;
	char title[1200];
	json_t *j;
	const char *summary, *desc;
	size_t chars = 0;

	strcpy(title, "First line\nsecond *line* with {macro} and [link|x] ");
	while (strlen(title) < 1000)
		strcat(title, "障害 ");
	exec_sql(fx, "UPDATE measures SET title = 'placeholder' WHERE id = 1");
	{
		sqlite3 *db;
		sqlite3_stmt *stmt;

		assert_int_equal(sqlite3_open(fx->db, &db), SQLITE_OK);
		sqlite3_prepare_v2(db, "UPDATE measures SET title = ? WHERE id = 1", -1, &stmt, NULL);
		sqlite3_bind_text(stmt, 1, title, -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(stmt), SQLITE_DONE);
		sqlite3_finalize(stmt);
		sqlite3_close(db);
	}
	use_config(fx, "[jira]\napi = 2\n");
	script(fx, "POST", "/rest/api/2/issue", 201, NULL, JIRA_CREATED);
	assert_int_equal(push(fx, "jira", &out)->result, TRACKER_OK);
	j = request_json(fx, 0);
	summary = json_string_value(json_object_get(json_object_get(j, "fields"), "summary"));
	desc = json_string_value(json_object_get(json_object_get(j, "fields"), "description"));
	for (const unsigned char *p = (const unsigned char *)summary; *p; p++)
		chars += (*p & 0xc0) != 0x80;
	assert_true(chars <= 255);
	assert_null(strchr(summary, '\n'));
	assert_true(strncmp(summary, "First line second *line*", 24) == 0);
	assert_non_null(strstr(desc, "second \\*line\\* with \\{macro\\} and \\[link\\|x\\]"));
	assert_non_null(strstr(desc, "https://wiki.example/pm-031"));
	json_decref(j);
	tracker_outcomes_free(&out);
}

/* No tracker configured: the measure waits in the outbox, nothing is sent. */
static void
test_no_tracker_waits(void **state)
{
	struct fixture *fx = *state;
	struct tracker_outcomes out;
	char *err = NULL, *msg = NULL;
	struct config *none = config_new();

	assert_int_equal(tracker_queue(fx->st, none, 1, NULL, &msg, &err), 0);
	assert_non_null(strstr(msg, "waiting for a tracker"));
	free(msg);
	assert_int_equal(tracker_push_all(fx->st, none, &fx->opts, &out, &err), 0);
	assert_int_equal(out.n, 1);
	assert_int_equal(out.items[0].result, TRACKER_WAITING);
	assert_non_null(strstr(out.items[0].message, "furikaeri tickets push"));
	tracker_outcomes_free(&out);
	assert_sql(fx, "SELECT state FROM ticket_outbox", "failed");
	assert_sql(fx, "SELECT tracker FROM ticket_outbox", NULL);
	assert_int_equal(fake_http_n_requests(fx->f), 0);
	config_free(none);
	/* a tracker later: push files it */
	script(fx, "POST", "/repos/acme/pay/issues", 201, NULL, GH_CREATED);
	assert_int_equal(tracker_push_all(fx->st, fx->cfg, &fx->opts, &out, &err), 0);
	assert_int_equal(out.items[0].result, TRACKER_OK);
	assert_sql(fx, "SELECT ticket FROM measures WHERE id = 1", "acme/pay#7");
	tracker_outcomes_free(&out);
}

#define PM_BODY "---\nid: pm-2026-014\ntitle: Disk full on db-3\n---\n\n# Disk full on db-3\n\n" \
		"## Summary\n\nThe disk filled.\n"

/* `new --tracker`: a new postmortem goes through the outbox as an issue of
 * its own kind. The create's answer is lost (stored, then the connection
 * drops): nothing is sent again until the marker was looked up, and the
 * server ends with exactly one issue, carrying the template as its body,
 * the postmortem label and the row's own marker (GitHub: in the body;
 * Jira Cloud and Data Center: a label). No measure gets a ticket. */
static void
test_postmortem_issue_exactly_once(void **state)
{
	struct fixture *fx = *state;
	static const char *const trackers[] = { "github", "jira", "jira" };
	static const char *const extra[] = { "", "", "[jira]\napi = 2\n" };

	for (size_t k = 0; k < 3; k++) {
		struct fake_tracker *ft;
		struct tracker_outcome oc;
		enum fake_fault drop = FAKE_FAULT_DROP;
		char *err = NULL, *marker, *state_s, sql[160];
		long long row = 0;
		json_t *req;
		int i;

		fake_http_stop(fx->f);
		fx->f = fake_http_start();
		{
			char *ini = xasprintf("[tracker]\nrecheck_seconds = 2\n[postmortems]\n"
					      "label = incident-review\n%s", extra[k]);

			use_config(fx, ini);
			free(ini);
		}
		ft = fake_tracker_new(fx->f, fake_clock_ms, &fx->clock);
		fake_tracker_timing(ft, 4000, 0, 0);
		fake_tracker_faults(ft, &drop, 1);
		assert_int_equal(tracker_file_postmortem(fx->st, fx->cfg, &fx->opts, "pm-2026-014",
							 "Disk full on db-3", "SEV2", PM_BODY,
							 trackers[k], &row, &oc, &err), 0);
		assert_true(row > 0);
		assert_int_equal(oc.result, TRACKER_UNKNOWN);
		assert_int_equal(oc.outbox_id, row);
		free(oc.key);
		free(oc.url);
		free(oc.message);
		assert_int_equal(fake_tracker_stored(ft), 1);
		snprintf(sql, sizeof(sql), "SELECT issue_marker FROM ticket_outbox WHERE id = %lld",
			 row);
		marker = query_text(fx, sql);
		assert_non_null(marker);
		assert_true(strncmp(marker, "pm-", 3) == 0);
		/* the create that was sent */
		req = request_json(fx, 0);
		assert_string_equal(k == 0 ? json_string_value(json_object_get(req, "title"))
				    : json_string_value(json_object_get(json_object_get(req,
					    "fields"), "summary")), "Disk full on db-3");
		if (k == 0) {
			const char *body = json_string_value(json_object_get(req, "body"));
			json_t *labels = json_object_get(req, "labels");

			assert_non_null(strstr(body, "## Summary\n\nThe disk filled."));
			assert_non_null(strstr(body, marker));
			assert_int_equal(json_array_size(labels), 1);
			assert_string_equal(json_string_value(json_array_get(labels, 0)),
					    "incident-review");
			assert_int_equal(json_array_size(json_object_get(req, "assignees")), 0);
		} else {
			json_t *labels = json_object_get(json_object_get(req, "fields"), "labels");
			char *dump = json_dumps(json_object_get(json_object_get(req, "fields"),
								"description"), JSON_ENCODE_ANY);
			char *want = xasprintf("furikaeri-%s", marker);

			assert_non_null(strstr(dump, "The disk filled."));
			if (k == 1) {
				/* Cloud: structure, the front matter a table, no "---" or "##" text */
				assert_non_null(strstr(dump, "{\"type\": \"heading\", \"content\": "
							     "[{\"type\": \"text\", \"text\": \"Summary\"}]"));
				assert_non_null(strstr(dump, "\"type\": \"tableHeader\""));
				assert_null(strstr(dump, "---"));
				assert_null(strstr(dump, "## "));
				assert_null(strstr(dump, "id: pm-"));
			}
			assert_string_equal(json_string_value(json_array_get(labels, 0)),
					    "incident-review");
			assert_string_equal(json_string_value(json_array_get(labels, 1)), want);
			free(want);
			free(dump);
		}
		json_decref(req);
		/* recovery: looked up by marker (Jira twice: its search lags), never resent */
		snprintf(sql, sizeof(sql), "SELECT state FROM ticket_outbox WHERE id = %lld", row);
		for (i = 0; i < 8; i++) {
			struct tracker_outcomes out;

			later(fx);
			assert_int_equal(tracker_run_due(fx->st, fx->cfg, &fx->opts, &out, &err), 0);
			tracker_outcomes_free(&out);
			state_s = query_text(fx, sql);
			if (strcmp(state_s, "delivered") == 0)
				break;
			free(state_s);
		}
		assert_true(i < 8);
		free(state_s);
		assert_int_equal(fake_tracker_stored(ft), 1);
		assert_int_equal(fake_tracker_stored_with(ft, marker), 1);
		assert_int_equal(fake_http_count(fx->f, "POST", NULL), 1);
		snprintf(sql, sizeof(sql), "SELECT ticket_key FROM ticket_outbox WHERE id = %lld", row);
		free(state_s = query_text(fx, sql));
		assert_non_null(state_s);
		assert_sql(fx, "SELECT count(*) FROM measures WHERE ticket IS NOT NULL", "0");
		{
			char **lines = NULL;
			bool found = false;

			assert_int_equal(store_delivery_history(fx->st, STORE_DELIVERY_TICKET, row, &lines, &err), 0);
			for (char **l = lines; *l != NULL; l++)
				found |= strstr(*l, "found by its marker, nothing sent") != NULL;
			assert_true(found);
			store_delivery_history_free(lines);
		}
		free(marker);
		fake_tracker_free(ft);
		exec_sql(fx, "DELETE FROM ticket_outbox");
	}
}

/* The real binary: `furikaeri new --tracker github --no-edit` files the
 * filled template as one issue and prints its key and URL; nothing is
 * written to the folder it ran in. */
static void
test_new_tracker_binary(void **state)
{
	struct fixture *fx = *state;
	struct fake_tracker *ft = fake_tracker_new(fx->f, fake_clock_ms, &fx->clock);
	char *cfg = binary_config(fx), *cmd, line[512] = "", *body;
	FILE *p;

	store_free(fx->st);
	fx->st = NULL;
	cmd = xasprintf("cd '%s' && FURIKAERI_TODAY=2026-12-01 '%s/furikaeri' --db '%s' --config"
			" '%s' new --tracker github --no-edit --title 'Disk full on db-3'"
			" --severity sev2", tmpdir, FK_BUILDDIR, fx->db, cfg);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(line, sizeof(line), p));
	assert_int_equal(pclose(p), 0);
	assert_non_null(strstr(line, "pm-2026-001: filed as acme/pay#1 "));
	assert_int_equal(fake_tracker_stored(ft), 1);
	assert_sql(fx, "SELECT kind || ' ' || state || ' ' || ticket_key FROM ticket_outbox",
		   "postmortem delivered acme/pay#1");
	body = query_text(fx, "SELECT issue_body FROM ticket_outbox");
	assert_non_null(strstr(body, "# Disk full on db-3"));
	assert_non_null(strstr(body, "severity: SEV2"));
	free(body);
	{
		char *f = xasprintf("%s/2026-12-01-disk-full-on-db-3.md", tmpdir);

		assert_int_not_equal(access(f, F_OK), 0);
		free(f);
	}
	fake_tracker_free(ft);
	free(cmd);
	free(cfg);
}

/* With no tracker configured the postmortem's issue waits in the outbox;
 * `tickets push` files it later, once. */
static void
test_postmortem_issue_waits(void **state)
{
	struct fixture *fx = *state;
	struct config *none = config_new();
	struct tracker_outcomes out;
	struct tracker_outcome oc;
	char *err = NULL;
	long long row = 0;
	json_t *req;

	assert_int_equal(tracker_file_postmortem(fx->st, none, &fx->opts, "pm-2026-014",
						 "Disk full on db-3", NULL, PM_BODY, NULL, &row, &oc,
						 &err), 0);
	assert_int_equal(oc.result, TRACKER_WAITING);
	free(oc.message);
	config_free(none);
	assert_int_equal(fake_http_n_requests(fx->f), 0);
	assert_sql(fx, "SELECT state || ' ' || kind FROM ticket_outbox", "failed postmortem");
	script(fx, "POST", "/repos/acme/pay/issues", 201, NULL, GH_CREATED);
	assert_int_equal(tracker_push_all(fx->st, fx->cfg, &fx->opts, &out, &err), 0);
	assert_int_equal(out.n, 1);
	assert_int_equal(out.items[0].result, TRACKER_OK);
	assert_int_equal(out.items[0].measure_id, 0);
	assert_string_equal(out.items[0].key, "acme/pay#7");
	tracker_outcomes_free(&out);
	req = request_json(fx, 0);
	assert_string_equal(json_string_value(json_array_get(json_object_get(req, "labels"), 0)),
			    "postmortem");
	json_decref(req);
	assert_sql(fx, "SELECT ticket_key FROM ticket_outbox", "acme/pay#7");
	/* pushing again sends nothing */
	assert_int_equal(tracker_push_all(fx->st, fx->cfg, &fx->opts, &out, &err), 0);
	tracker_outcomes_free(&out);
	assert_int_equal(fake_http_count(fx->f, "POST", NULL), 1);
}

/* A token in a server's error text is not stored. */
static void
test_server_text_redacted(void **state)
{
	struct fixture *fx = *state;
	struct tracker_outcomes out;

	script(fx, "POST", "/repos/acme/pay/issues", 422, NULL,
	       "{\"message\": \"bad token " GH_TOKEN " given\"}");
	assert_null(strstr(push(fx, "github", &out)->message, GH_TOKEN));
	assert_sql_has(fx, "SELECT last_error FROM ticket_outbox", "[redacted]");
	tracker_outcomes_free(&out);
}

/* A config with GitLab alone, on the stateful fake (acme/pay, id 7). */
static struct fake_tracker *
use_gitlab(struct fixture *fx, const char *extra)
{
	char *text, *err = NULL;

	if (asprintf(&text, "[tracker]\ndefault = gitlab\n[gitlab]\nurl = %s/\n"
		     "project = acme/pay\nlabels = prevention\n"
		     "[people]\nAoi = github:aoi-t gitlab:aoi\nSato = gitlab:nobody\n%s",
		     fake_http_url(fx->f), extra) < 0)
		fail();
	config_free(fx->cfg);
	fx->cfg = config_parse(text, "test.ini", &err);
	if (fx->cfg == NULL)
		fail_msg("%s", err);
	free(text);
	return fake_tracker_new(fx->f, fake_clock_ms, &fx->clock);
}

/* The n-th request whose target starts with prefix (owned), NULL if none. */
static struct fake_http_request *
request_to(struct fixture *fx, const char *method, const char *prefix, int nth)
{
	for (size_t i = 0; i < fake_http_n_requests(fx->f); i++) {
		struct fake_http_request *r = fake_http_request_at(fx->f, i);

		if (strcmp(r->method, method) == 0 &&
		    strncmp(r->target, prefix, strlen(prefix)) == 0 && nth-- == 0)
			return r;
		fake_http_request_free(r);
	}
	return NULL;
}

/* The create: POST /projects/acme%2Fpay/issues with PRIVATE-TOKEN (and no
 * Authorization), the marker in the description, the labels, the
 * assignee's id asked by username; the key names project and iid. */
static void
test_gitlab_create(void **state)
{
	struct fixture *fx = *state;
	struct fake_tracker *ft = use_gitlab(fx, "");
	struct tracker_outcomes out;
	struct tracker_outcome *oc;
	struct fake_http_request *r;
	json_t *j;
	const char *d;

	oc = push(fx, NULL, &out);
	assert_int_equal(oc->result, TRACKER_OK);
	assert_string_equal(oc->key, "acme/pay#1");
	assert_string_equal(oc->url, "https://gitlab.example.com/acme/pay/-/issues/1");
	r = request_to(fx, "GET", "/api/v4/users?username=aoi", 0);
	assert_non_null(r);
	fake_http_request_free(r);
	r = request_to(fx, "POST", "/api/v4/projects/acme%2Fpay/issues", 0);
	assert_non_null(r);
	assert_string_equal(r->target, "/api/v4/projects/acme%2Fpay/issues");
	assert_non_null(strstr(r->headers, "PRIVATE-TOKEN: " GL_TOKEN));
	assert_null(strcasestr(r->headers, "Authorization:"));
	j = json_loads(r->body, 0, NULL);
	fake_http_request_free(r);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "title")),
			    "Add jitter and a retry budget");
	assert_string_equal(json_string_value(json_array_get(json_object_get(j, "labels"), 0)),
			    "prevention");
	assert_int_equal(json_integer_value(json_array_get(json_object_get(j, "assignee_ids"), 0)),
			 42);
	d = json_string_value(json_object_get(j, "description"));
	assert_non_null(strstr(d, "<!-- furikaeri:m-0001 -->"));
	assert_non_null(strstr(d, "Owner: Aoi (@aoi)"));
	json_decref(j);
	assert_sql(fx, "SELECT tracker || ' ' || state || ' ' || ticket_key FROM ticket_outbox"
		   " WHERE measure_id = 1", "gitlab delivered acme/pay#1");
	assert_sql(fx, "SELECT ticket FROM measures WHERE id = 1", "acme/pay#1");
	assert_int_equal(fake_tracker_stored_with(ft, "m-0001"), 1);
	tracker_outcomes_free(&out);

	/* a username GitLab does not know: filed unassigned, and the body says why */
	{
		char *err = NULL;

		queue(fx, 2, NULL);
		assert_int_equal(tracker_run_due(fx->st, fx->cfg, &fx->opts, &out, &err), 0);
		tracker_outcomes_free(&out);
		r = request_to(fx, "POST", "/api/v4/projects/acme%2Fpay/issues", 1);
		assert_non_null(r);
		j = json_loads(r->body, 0, NULL);
		fake_http_request_free(r);
		assert_null(json_object_get(j, "assignee_ids"));
		assert_non_null(strstr(json_string_value(json_object_get(j, "description")),
				       "is no user there"));
		json_decref(j);
	}
	fake_tracker_free(ft);
}

/* The answer to the create is lost (stored, connection dropped) while the
 * project search lags: the token's own issues since the first send find
 * it; one issue, adopted. */
static void
test_gitlab_drop_found_in_own_issues(void **state)
{
	struct fixture *fx = *state;
	struct fake_tracker *ft = use_gitlab(fx, "[tracker]\nrecheck_seconds = 30\n");
	const enum fake_fault drop = FAKE_FAULT_DROP;
	struct tracker_outcomes out;
	struct tracker_outcome *oc;
	struct fake_http_request *r;

	fake_tracker_timing(ft, 3600 * 1000L, 0, 1500);
	fake_tracker_faults(ft, &drop, 1);
	oc = push(fx, "gitlab", &out);
	assert_int_equal(oc->result, TRACKER_UNKNOWN);
	oc = again(fx, &out);
	assert_int_equal(oc->result, TRACKER_OK);
	assert_string_equal(oc->key, "acme/pay#1");
	assert_int_equal(fake_tracker_stored_with(ft, "m-0001"), 1);
	r = request_to(fx, "GET", "/api/v4/projects/acme%2Fpay/issues?search=furikaeri%3Am-0001"
		       "&in=description", 0);
	assert_non_null(r);
	fake_http_request_free(r);
	r = request_to(fx, "GET", "/api/v4/issues?scope=created_by_me&state=all&created_after=",
		       0);
	assert_non_null(r);
	fake_http_request_free(r);
	assert_sql(fx, "SELECT state || ' ' || ticket_key FROM ticket_outbox WHERE measure_id = 1",
		   "delivered acme/pay#1");
	tracker_outcomes_free(&out);
	fake_tracker_free(ft);
}

/* SHA-1's published vectors, and the Linear id made from a marker: a UUID
 * of the v4 format, the same for the same marker, another for another. */
static void
test_linear_issue_id(void **state)
{
	static const struct {
		const char *in, *hex;
	} vectors[] = {
		{ "abc", "a9993e364706816aba3e25717850c26c9cd0d89d" },
		{ "", "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "84983e441c3bd26ebaae4aa1f95129e5e54670f1" },
	};
	char *a = tracker_linear_issue_id("m-0001"), *b = tracker_linear_issue_id("m-0001");
	char *c = tracker_linear_issue_id("m-0002");

	(void)state;
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		uint8_t d[20];
		char hex[41];

		sha1_digest(vectors[i].in, strlen(vectors[i].in), d);
		for (int k = 0; k < 20; k++)
			snprintf(hex + 2 * k, 3, "%02x", d[k]);
		assert_string_equal(hex, vectors[i].hex);
	}
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	assert_int_equal(strlen(a), 36);
	assert_int_equal(a[14], '4');
	assert_non_null(strchr("89ab", a[19]));
	assert_int_equal(a[8], '-');
	free(a);
	free(b);
	free(c);
}

/* A measure filed in Linear: one issueCreate carrying the marker's id, the
 * team and labels resolved once through their pages (a workspace label
 * and the team's own, not another team's of the same name), the owner
 * found by email, the due date; the API key sent as it is. */
static void
test_linear_create(void **state)
{
	struct fixture *fx = *state;
	struct fake_tracker *ft = fake_tracker_new(fx->f, fake_clock_ms, &fx->clock);
	struct tracker_outcomes out;
	struct tracker_outcome *oc;
	char *id = tracker_linear_issue_id("m-0001");
	json_t *input = NULL;
	size_t creates = 0;

	use_linear(fx, "labels = postmortem, prevention\n");
	oc = push(fx, "linear", &out);
	if (oc->result != TRACKER_OK)
		fail_msg("%s", oc->message ? oc->message : "?");
	assert_string_equal(oc->key, "ENG-101");
	assert_sql(fx, "SELECT ticket FROM measures WHERE id = 1", "ENG-101");
	assert_sql(fx, "SELECT tracker FROM ticket_outbox WHERE measure_id = 1", "linear");
	for (size_t i = 0; i < fake_http_count(fx->f, NULL, "/"); i++) {
		struct fake_http_request *r = fake_http_request_at(fx->f, i);
		json_t *j = json_loads(r->body, 0, NULL);
		const char *q = json_string_value(json_object_get(j, "query"));

		assert_non_null(strstr(r->headers, "Authorization: " LINEAR_KEY "\r\n"));
		assert_null(strstr(r->headers, "Bearer"));
		if (q != NULL && strstr(q, "issueCreate(") != NULL) {
			creates++;
			input = json_incref(json_object_get(json_object_get(j, "variables"), "input"));
		}
		json_decref(j);
		fake_http_request_free(r);
	}
	assert_int_equal(creates, 1);
	assert_string_equal(json_string_value(json_object_get(input, "id")), id);
	assert_string_equal(json_string_value(json_object_get(input, "teamId")), "team-eng");
	assert_string_equal(json_string_value(json_object_get(input, "title")),
			    "Add jitter and a retry budget");
	assert_string_equal(json_string_value(json_object_get(input, "assigneeId")), "user-aoi");
	assert_string_equal(json_string_value(json_object_get(input, "dueDate")), "2026-12-15");
	{
		json_t *l = json_object_get(input, "labelIds");

		assert_int_equal(json_array_size(l), 2);
		assert_string_equal(json_string_value(json_array_get(l, 0)), "label-pm");
		assert_string_equal(json_string_value(json_array_get(l, 1)), "label-prev");
	}
	assert_non_null(strstr(json_string_value(json_object_get(input, "description")),
			       "marker furikaeri:m-0001"));
	assert_int_equal(fake_tracker_stored_with(ft, "m-0001"), 1);
	json_decref(input);
	tracker_outcomes_free(&out);
	fake_tracker_free(ft);
	free(id);
}

/* The id is taken already (an earlier create whose answer was lost):
 * Linear refuses the second, and the issue with that id is the ticket. */
static void
test_linear_id_taken_adopts(void **state)
{
	struct fixture *fx = *state;
	struct fake_tracker *ft = fake_tracker_new(fx->f, fake_clock_ms, &fx->clock);
	struct tracker_outcomes out;
	struct tracker_outcome *oc;

	use_linear(fx, "");
	fake_tracker_add_linear(ft, "m-0001");
	oc = push(fx, "linear", &out);
	if (oc->result != TRACKER_OK)
		fail_msg("%s", oc->message ? oc->message : "?");
	assert_string_equal(oc->key, "ENG-101");
	assert_int_equal(fake_tracker_stored(ft), 1);
	assert_int_equal(fake_http_count(fx->f, "POST", "/graphql") >= 2, 1);
	assert_sql(fx, "SELECT state FROM ticket_outbox WHERE measure_id = 1", "delivered");
	tracker_outcomes_free(&out);
	fake_tracker_free(ft);
}

/* tickets sync: closed is done, closed as a duplicate is dropped, moved to
 * another project is still open. */
static void
test_gitlab_sync(void **state)
{
	struct fixture *fx = *state;
	struct fake_tracker *ft = use_gitlab(fx, "");
	struct tracker_outcomes out;
	char *err = NULL;

	fake_tracker_add(ft, false, "m-0001");
	fake_tracker_add(ft, false, "m-0002");
	fake_tracker_add(ft, false, "m-0003");
	exec_sql(fx, "INSERT INTO measures (id, postmortem_id, title, origin, marker, created_at)"
		 " VALUES (3, 'pm-031', 'Canary on pool size', 'meeting', 'm-0003', 'x');"
		 "INSERT INTO ticket_outbox (measure_id, tracker, state, ticket_key, queued_at,"
		 " updated_at) VALUES (1, 'gitlab', 'delivered', 'acme/pay#1', 'x', 'x'),"
		 " (2, 'gitlab', 'delivered', 'acme/pay#2', 'x', 'x'),"
		 " (3, 'gitlab', 'delivered', 'acme/pay#3', 'x', 'x')");
	fake_tracker_close(ft, 1, "closed");
	fake_tracker_close(ft, 2, "duplicate");
	fake_tracker_close(ft, 3, "moved");
	assert_int_equal(tracker_sync_all(fx->st, fx->cfg, &fx->opts, &out, &err), 0);
	assert_int_equal(out.n, 3);
	assert_sql(fx, "SELECT status FROM measures WHERE id = 1", "done");
	assert_sql(fx, "SELECT status FROM measures WHERE id = 2", "dropped");
	assert_sql(fx, "SELECT status FROM measures WHERE id = 3", "open");
	assert_non_null(strstr(out.items[1].message, "closed as duplicate"));
	assert_non_null(strstr(out.items[2].message, "moved"));
	tracker_outcomes_free(&out);
	fake_tracker_free(ft);
}

/* doctor: a read_api token cannot create issues; a label the project lacks
 * is named; a token GitLab refuses says which variable to check. */
static void
test_gitlab_doctor(void **state)
{
	struct fixture *fx = *state;
	struct fake_tracker *ft = use_gitlab(fx, "");
	struct tracker_checks checks;
	bool scope = false, label = false;

	assert_int_equal(tracker_doctor(fx->cfg, &fx->opts, &checks), 0);
	assert_non_null(strstr(checks.items[checks.n - 1].text, "the token has the api scope"));
	tracker_checks_free(&checks);

	fake_tracker_free(ft);
	ft = use_gitlab(fx, "[gitlab]\nlabels = prevention, sev-review\n");
	fake_tracker_gitlab_scope(ft, "read_api");
	assert_int_equal(tracker_doctor(fx->cfg, &fx->opts, &checks), 1);
	for (size_t i = 0; i < checks.n; i++) {
		scope = scope || (strstr(checks.items[i].text, "without api") != NULL &&
				  strstr(checks.items[i].text, "read_api") != NULL);
		label = label || strstr(checks.items[i].text, "no label \"sev-review\"") != NULL;
	}
	assert_true(scope);
	assert_true(label);
	tracker_checks_free(&checks);

	fake_http_set_handler(fx->f, NULL, NULL);
	script(fx, "GET", "/api/v4/user", 401, NULL, "{\"message\": \"401 Unauthorized\"}");
	assert_int_equal(tracker_doctor(fx->cfg, &fx->opts, &checks), 1);
	assert_non_null(strstr(checks.items[checks.n - 1].text, "401 Unauthorized"));
	assert_non_null(strstr(checks.items[checks.n - 1].text, "GITLAB_TOKEN"));
	tracker_checks_free(&checks);
	fake_tracker_free(ft);
}

/* Doctor: the key authenticates (viewer), the team exists, and a label
 * Linear does not have is named. */
static void
test_linear_doctor(void **state)
{
	struct fixture *fx = *state;
	struct fake_tracker *ft = fake_tracker_new(fx->f, fake_clock_ms, &fx->clock);
	struct tracker_checks checks;
	bool viewer = false, missing = false, team = false;

	use_linear(fx, "labels = postmortem, no-such-label\n");
	fx->cfg->jira.url = (free(fx->cfg->jira.url), NULL);
	fx->cfg->github.repo = (free(fx->cfg->github.repo), NULL);
	assert_int_equal(tracker_doctor(fx->cfg, &fx->opts, &checks), 1);
	for (size_t i = 0; i < checks.n; i++) {
		viewer |= checks.items[i].ok &&
			  strstr(checks.items[i].text, "authenticates as furikaeri") != NULL;
		missing |= !checks.items[i].ok &&
			   strstr(checks.items[i].text, "\"no-such-label\"") != NULL &&
			   strstr(checks.items[i].text, "\"postmortem\"") == NULL;
	}
	tracker_checks_free(&checks);
	use_linear(fx, "team = NOPE\n");
	fx->cfg->jira.url = (free(fx->cfg->jira.url), NULL);
	fx->cfg->github.repo = (free(fx->cfg->github.repo), NULL);
	assert_int_equal(tracker_doctor(fx->cfg, &fx->opts, &checks), 1);
	for (size_t i = 0; i < checks.n; i++)
		team |= !checks.items[i].ok && strstr(checks.items[i].text, "no team with the key "
						      "NOPE") != NULL;
	tracker_checks_free(&checks);
	assert_true(viewer);
	assert_true(missing);
	assert_true(team);
	fake_tracker_free(ft);
}

/* tickets sync reads the workflow state's type: completed is done,
 * canceled is done and dropped. */
static void
test_linear_sync_states(void **state)
{
	struct fixture *fx = *state;
	static const struct {
		const char *type, *name, *measure;
	} cases[] = {
		{ "started", "In Progress", "open" },
		{ "completed", "Done", "done" },
		{ "canceled", "Duplicate", "dropped" },
	};

	use_linear(fx, "");
	exec_sql(fx, "INSERT INTO ticket_outbox (measure_id, tracker, state, ticket_key, queued_at,"
		 " updated_at) VALUES (1, 'linear', 'delivered', 'ENG-7', 'x', 'x')");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tracker_outcomes out;
		char *err = NULL, body[512];

		snprintf(body, sizeof(body), "{\"data\": {\"issue\": {\"id\": \"u-7\","
			 " \"identifier\": \"ENG-7\", \"url\": \"https://linear.app/acme/issue/ENG-7\","
			 " \"title\": \"x\", \"state\": {\"name\": \"%s\", \"type\": \"%s\"}}}}",
			 cases[i].name, cases[i].type);
		script(fx, "POST", "/graphql", 200, NULL, body);
		if (tracker_sync_all(fx->st, fx->cfg, &fx->opts, &out, &err) < 0)
			fail_msg("%s", err);
		assert_int_equal(out.n, 1);
		assert_non_null(strstr(out.items[0].message, cases[i].name));
		tracker_outcomes_free(&out);
		{
			char *got = query_text(fx, "SELECT status FROM measures WHERE id = 1");

			if (got == NULL || strcmp(got, cases[i].measure) != 0)
				fail_msg("%s: measure is %s, want %s", cases[i].type,
					 got ? got : "(null)", cases[i].measure);
			free(got);
		}
	}
}

/* Linear's rate limit is a 400 (or a 200) whose error says RATELIMITED:
 * the measure waits and is tried later, never refused. */
static void
test_linear_rate_limited_later(void **state)
{
	struct fixture *fx = *state;
	struct tracker_outcomes out;
	struct tracker_outcome *oc;
	static const char limited[] = "{\"errors\": [{\"message\": \"Rate limit exceeded\","
				      " \"extensions\": {\"code\": \"RATELIMITED\"}}]}";

	use_linear(fx, "");
	script(fx, "POST", "/graphql", 400, NULL, limited);
	oc = push(fx, "linear", &out);
	assert_int_equal(oc->result, TRACKER_LATER);
	assert_non_null(strstr(oc->message, "Rate limit exceeded"));
	assert_sql(fx, "SELECT state FROM ticket_outbox WHERE measure_id = 1", "queued");
	script(fx, "POST", "/graphql", 200, NULL, "{\"data\": {\"teams\": null}, \"errors\":"
	       " [{\"message\": \"Rate limit exceeded\", \"extensions\": {\"code\":"
	       " \"RATELIMITED\"}}]}");
	oc = again(fx, &out);
	assert_int_equal(oc->result, TRACKER_LATER);
	assert_non_null(strstr(oc->message, "rate limit"));
	assert_sql(fx, "SELECT state FROM ticket_outbox WHERE measure_id = 1", "queued");
	assert_int_equal(fake_http_count(fx->f, "POST", "/graphql"), 2);
	tracker_outcomes_free(&out);
}

/* `furikaeri new --tracker linear`: the filled template is the issue's
 * Markdown description as it is, with the postmortem label, the marker's
 * id; once. */
static void
test_new_tracker_linear_binary(void **state)
{
	struct fixture *fx = *state;
	struct fake_tracker *ft = fake_tracker_new(fx->f, fake_clock_ms, &fx->clock);
	char *cfg = NULL, *cmd, line[512] = "", *marker;
	FILE *p, *f;
	json_t *input = NULL;

	store_free(fx->st);
	fx->st = NULL;
	if (asprintf(&cfg, "%s.linear.ini", fx->db) < 0)
		fail();
	f = fopen(cfg, "w");
	assert_non_null(f);
	fprintf(f, "[tracker]\ndefault = linear\n[linear]\nurl = %s/graphql\nteam = ENG\n",
		fake_http_url(fx->f));
	fclose(f);
	cmd = xasprintf("cd '%s' && FURIKAERI_TODAY=2026-12-01 '%s/furikaeri' --db '%s' --config"
			" '%s' new --tracker linear --no-edit --title 'Disk full on db-3'"
			" --severity sev2", tmpdir, FK_BUILDDIR, fx->db, cfg);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(line, sizeof(line), p));
	assert_int_equal(pclose(p), 0);
	if (strstr(line, "pm-2026-001: filed as ENG-101 ") == NULL)
		fail_msg("%s", line);
	assert_int_equal(fake_tracker_stored(ft), 1);
	assert_sql(fx, "SELECT kind || ' ' || state || ' ' || tracker || ' ' || ticket_key"
		   " FROM ticket_outbox", "postmortem delivered linear ENG-101");
	marker = query_text(fx, "SELECT issue_marker FROM ticket_outbox");
	assert_int_equal(fake_tracker_stored_with(ft, marker), 1);
	for (size_t i = 0; i < fake_http_count(fx->f, NULL, "/"); i++) {
		struct fake_http_request *r = fake_http_request_at(fx->f, i);
		json_t *j = json_loads(r->body ? r->body : "", 0, NULL);
		const char *q = json_string_value(json_object_get(j, "query"));

		if (q != NULL && strstr(q, "issueCreate(") != NULL)
			input = json_incref(json_object_get(json_object_get(j, "variables"), "input"));
		json_decref(j);
		fake_http_request_free(r);
	}
	assert_non_null(input);
	assert_non_null(strstr(json_string_value(json_object_get(input, "description")),
			       "# Disk full on db-3"));
	assert_non_null(strstr(json_string_value(json_object_get(input, "description")),
			       "## "));
	assert_string_equal(json_string_value(json_array_get(json_object_get(input, "labelIds"),
							      0)), "label-pm");
	assert_null(json_object_get(input, "assigneeId"));
	json_decref(input);
	free(marker);
	fake_tracker_free(ft);
	free(cmd);
	free(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_github_create),
		T(test_unmapped_owner_named_not_guessed),
		T(test_429_retry_after_then_201),
		T(test_500_then_201_looks_first),
		T(test_search_fails_listing_still_asked),
		T(test_app_token_lists_all),
		T(test_dropped_after_create_adopts),
		T(test_timeout_then_found_in_recent_issues),
		T(test_401_shows_message_no_retry),
		T(test_422_error_list_shown),
		T(test_no_retry_on_client_errors),
		T(test_ratelimit_reset_waits),
		T(test_long_wait_defers),
		T(test_write_pacing),
		T(test_crash_in_sending_adopts),
		T(test_jira_v3_create),
		T(test_jira_v2_create),
		T(test_jira_field_error_stays_queued),
		T(test_jira_429_and_drop),
		T(test_sync),
		T(test_sync_adopted_jira_ticket),
		T(test_recheck_floor),
		T(test_doctor_jira_required_field),
		T(test_doctor_bad_token),
		T(test_log_has_no_token),
		T(test_worker),
		T(test_worker_stops_during_long_wait),
		T(test_fault_matrix),
		T(test_two_processes_one_measure),
		T(test_two_processes_queue_of_10),
		T(test_kill9_between_create_and_store),
		T(test_slow_create_in_other_namespace_kept),
		T(test_holder_that_lost_its_row_says_so),
		T(test_live_claim_left_alone),
		T(test_jira_fields_labels_keep_marker),
		T(test_measure_with_ticket_never_filed),
		T(test_restored_measure_looks_first),
		T(test_sync_dropped),
		T(test_redirect_on_write_reported),
		T(test_redirect_on_read_followed),
		T(test_jira_summary_and_wiki),
		T(test_no_tracker_waits),
		T(test_server_text_redacted),
		T(test_postmortem_issue_exactly_once),
		T(test_postmortem_issue_waits),
		T(test_new_tracker_binary),
		T(test_gitlab_create),
		T(test_gitlab_drop_found_in_own_issues),
		T(test_gitlab_sync),
		T(test_gitlab_doctor),
		T(test_linear_issue_id),
		T(test_linear_create),
		T(test_linear_id_taken_adopts),
		T(test_linear_doctor),
		T(test_linear_sync_states),
		T(test_new_tracker_linear_binary),
		T(test_linear_rate_limited_later),
#undef T
	};

	return cmocka_run_group_tests_name("tracker", tests, group_setup, group_teardown);
}
