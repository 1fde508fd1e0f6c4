#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <unistd.h>

#include "furikaeri/config.h"
#include "furikaeri/err.h"
#include "furikaeri/http.h"
#include "furikaeri/store.h"
#include "furikaeri/tracker.h"
#include "furikaeri/xalloc.h"

/* Makes every request the ticket client can make against a validating
 * Prism mock (started by the shell tests in tests/contract), then requests that break the
 * API description, which Prism must refuse. Prints one line per call and
 * exits 1 when any valid call was refused or any wrong one accepted. The
 * creates go through the outbox (tracker_file_one, tracker_file_postmortem),
 * the path the meeting and `tickets file` take.
 * Usage: contract_client github|jira|gitlab|linear BASE_URL
 * GitLab's description lacks GET /api/v4/user, GET /api/v4/users and GET
 * /api/v4/projects/{id}/labels: the client's calls to those (myself, the
 * assignee's id, doctor's labels) are tested against the fake only
 * (tests/test_tracker.c), so here no person has a GitLab username and
 * [gitlab] names no labels.
 * Linear's GraphQL requests are held to its schema by the reference
 * implementation instead (tests/contract/linear_fake.mjs, linear.sh). */

static int failures;

static void
report(bool ok, const char *what, const char *detail)
{
	printf("%s %s%s%s\n", ok ? "ok" : "FAIL", what, detail ? ": " : "", detail ? detail : "");
	if (!ok)
		failures++;
}

static void
expect_ok(enum tracker_result r, const char *what, char **err)
{
	report(r == TRACKER_OK, what, r == TRACKER_OK ? NULL : *err);
	free(*err);
	*err = NULL;
}

/* A raw request that breaks the description: Prism must answer 4xx. */
static void
expect_refused(const char *base, const char *method, const char *path, const char *auth,
	       const char *accept, const char *body, const char *what)
{
	struct http_client *c = http_client_new(NULL, NULL);
	char *url = xasprintf("%s%s", base, path);
	const char *headers[] = { accept, "Content-Type: application/json", auth, NULL };
	struct http_response resp;
	char *err = NULL;
	enum http_error e = http_perform(c, &(struct http_request){
		.method = method, .url = url, .headers = headers, .body = body }, &resp, &err);
	char detail[160];

	snprintf(detail, sizeof(detail), "%s %s answered %ld", method, path, resp.status);
	report(e == HTTP_OK && resp.status >= 400 && resp.status < 500, what, detail);
	http_response_release(&resp);
	free(err);
	free(url);
	http_client_free(c);
}

static struct config *
make_config(const char *kind, const char *base)
{
	char *text, *err = NULL;
	struct config *cfg;

	if (strcmp(kind, "linear") == 0)
		text = xasprintf("[linear]\nurl = %s\nteam = ENG\nlabels = postmortem, prevention\n"
				 "[people]\nAoi = linear:Aoi@acme.example\n", base);
	else if (strcmp(kind, "github") == 0)
		text = xasprintf("[github]\nurl = %s\nrepo = acme/pay\nlabels = postmortem\n"
				 "[people]\nAoi = github:aoi-t\n", base);
	else if (strcmp(kind, "gitlab") == 0)
		text = xasprintf("[gitlab]\nurl = %s\nproject = acme/pay\n", base);
	else
		text = xasprintf("[jira]\nurl = %s\napi = 3\nproject = ED\nissuetype = Bug\n"
				 "email = bot@example.com\nlabels = postmortem\n"
				 "components = Payments\npriority_map = SEV2:High\n"
				 "fields = {\"customfield_10551\": {\"value\": \"Yes\"}}\n"
				 "[people]\nAoi = jira:5b10a2844c20165700ede21g\n", base);
	cfg = config_parse(text, "contract.ini", &err);
	if (cfg == NULL) {
		fprintf(stderr, "contract_client: %s\n", err);
		exit(99);
	}
	free(text);
	return cfg;
}

/* A store holding one postmortem and one agreed measure, as a meeting
 * leaves them: the creates below go through the outbox as production's. */
static struct store *
make_store(char *path, size_t size)
{
	char *err = NULL;
	const char *dir = getenv("TMPDIR");
	struct store *st;
	sqlite3 *db = NULL;
	int fd;

	snprintf(path, size, "%s/fk-contract-XXXXXX", dir && *dir ? dir : "/tmp");
	if ((fd = mkstemp(path)) < 0) {
		perror("contract_client: mkstemp");
		exit(99);
	}
	close(fd);
	unlink(path);
	/* the schema first, then the rows, then the store the client uses */
	if ((st = store_open(path, &err)) == NULL) {
		fprintf(stderr, "contract_client: %s\n", err);
		exit(99);
	}
	store_free(st);
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db,
		"INSERT INTO postmortems (id, source, content_hash, title, date, severity,"
		" imported_at, updated_at) VALUES ('pm-031', 'https://wiki.example/pm-031', 'h',"
		" 'Payment API timeouts after deploy', '2026-11-27', 'SEV2', 'x', 'x');"
		"INSERT INTO measures (id, postmortem_id, title, owner, due, origin, marker,"
		" created_at) VALUES (1, 'pm-031', 'Add jitter and a retry budget', 'Aoi',"
		" '2026-12-15', 'meeting', 'm-contract-1', 'x');", NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "contract_client: %s: %s\n", path, sqlite3_errmsg(db));
		exit(99);
	}
	sqlite3_close(db);
	if ((st = store_open(path, &err)) == NULL) {
		fprintf(stderr, "contract_client: %s\n", err);
		exit(99);
	}
	return st;
}

static void
outcome_release(struct tracker_outcome *oc)
{
	free(oc->key);
	free(oc->url);
	free(oc->message);
	memset(oc, 0, sizeof(*oc));
}

static void
expect_filed(int rc, struct tracker_outcome *oc, const char *what, char **err)
{
	bool ok = rc == 0 && oc->result == TRACKER_OK && oc->key != NULL;

	report(ok, what, ok ? NULL : *err ? *err : oc->message);
	if (oc->key != NULL)
		printf("   filed %s\n", oc->key);
	free(*err);
	*err = NULL;
}

/* A raw GraphQL request that breaks Linear's schema: the fake must refuse
 * it (400) rather than answer. */
static void
expect_gql_refused(const char *url, const char *auth, const char *body, const char *what)
{
	struct http_client *c = http_client_new(NULL, NULL);
	const char *headers[] = { "Content-Type: application/json", auth, NULL };
	struct http_response resp;
	char *err = NULL;
	enum http_error e = http_perform(c, &(struct http_request){
		.method = "POST", .url = url, .headers = headers, .body = body }, &resp, &err);
	char detail[300];

	snprintf(detail, sizeof(detail), "answered %ld: %.200s", resp.status,
		 resp.body ? resp.body : "");
	report(e == HTTP_OK && resp.status == 400, what, detail);
	http_response_release(&resp);
	free(err);
	http_client_free(c);
}

/* Every request the Linear client makes, through the outbox as production
 * makes them, then an id already taken, then wrong requests. */
static int
linear_main(const char *url)
{
	struct tracker_options opts = { .timeout_ms = 20000 };
	struct tracker_issue got, found_issue;
	struct tracker_outcome oc;
	struct config *cfg;
	struct tracker *t;
	struct store *st;
	bool found = false;
	char *err = NULL, *who = NULL, *problems = NULL, *first = NULL, db[256];
	long long row = 0;
	int rc;
	sqlite3 *sq;

	setenv("LINEAR_API_KEY", "lin_api_contracttest", 1);
	cfg = make_config("linear", url);
	t = tracker_new(cfg, TRACKER_LINEAR, &opts, &err);
	if (t == NULL) {
		fprintf(stderr, "contract_client: %s\n", err);
		return 99;
	}
	st = make_store(db, sizeof(db));
	rc = tracker_file_one(st, cfg, &opts, 1, "linear", &oc, &err);
	expect_filed(rc, &oc, "create (tickets file): teams, issueLabels (paged), users, "
		     "issueCreate", &err);
	first = oc.key != NULL ? strdup(oc.key) : NULL;
	if (oc.key != NULL) {
		expect_ok(tracker_get(t, oc.key, &got, &err), "get (tickets sync): issue(id:) by "
			  "identifier", &err);
		tracker_issue_release(&got);
	}
	outcome_release(&oc);
	expect_ok(tracker_find(t, "m-contract-1", NULL, &found, &found_issue, &err),
		  "lookup by marker: issue(id:) by the marker's id", &err);
	report(found, "lookup by marker finds the issue", NULL);
	tracker_issue_release(&found_issue);
	/* the row lost (as after a restore): filed again, the same id is taken,
	 * and the issue it names is the ticket */
	if (sqlite3_open(db, &sq) != SQLITE_OK ||
	    sqlite3_exec(sq, "DELETE FROM ticket_outbox; UPDATE measures SET ticket = NULL",
			 NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "contract_client: %s: %s\n", db, sqlite3_errmsg(sq));
		return 99;
	}
	sqlite3_close(sq);
	rc = tracker_file_one(st, cfg, &opts, 1, "linear", &oc, &err);
	expect_filed(rc, &oc, "create again: issueCreate refused (id taken), issue(id:) "
		     "confirms", &err);
	report(first != NULL && oc.key != NULL && strcmp(first, oc.key) == 0,
	       "the id taken names the first issue", oc.key);
	outcome_release(&oc);
	rc = tracker_file_postmortem(st, cfg, &opts, "pm-2026-014", "Disk full on db-3", "SEV2",
				     "---\nid: pm-2026-014\ntitle: Disk full on db-3\n---\n\n"
				     "# Disk full on db-3\n\n## Summary\n\nThe disk filled.\n",
				     "linear", &row, &oc, &err);
	expect_filed(rc, &oc, "postmortem issue (new --tracker linear): issueCreate", &err);
	outcome_release(&oc);
	expect_ok(tracker_myself(t, &who, &err), "myself (doctor): viewer", &err);
	free(who);
	expect_ok(tracker_linear_check(t, &problems, &err), "team and labels (doctor): teams, "
		  "issueLabels (paged)", &err);
	report(problems == NULL, "doctor finds the team and every label", problems);
	free(problems);

	expect_gql_refused(url, "Authorization: lin_api_contracttest",
			   "{\"query\": \"query { issue(id: \\\"x\\\") { id notAField } }\"}",
			   "wrong request refused: a field Issue does not have");
	expect_gql_refused(url, "Authorization: lin_api_contracttest",
			   "{\"query\": \"mutation C($input: IssueCreateInput!) { issueCreate("
			   "input: $input) { success } }\", \"variables\": {\"input\": {\"teamKey\":"
			   " \"ENG\", \"title\": \"x\"}}}",
			   "wrong request refused: an input field IssueCreateInput does not have");
	expect_gql_refused(url, "Authorization: lin_api_contracttest",
			   "{\"query\": \"query { teams(filter: { key: \\\"ENG\\\" }) { nodes "
			   "{ id } } }\"}",
			   "wrong request refused: a filter not shaped as a comparator");
	expect_gql_refused(url, "Authorization: Bearer lin_api_contracttest",
			   "{\"query\": \"query { viewer { id } }\"}",
			   "wrong request refused: a personal API key with Bearer");
	free(first);
	tracker_free(t);
	store_free(st);
	unlink(db);
	config_free(cfg);
	printf("%d failed\n", failures);
	return failures ? 1 : 0;
}

int
main(int argc, char **argv)
{
	struct tracker_options opts = { .timeout_ms = 20000 };
	struct tracker_issue got, found_issue;
	struct tracker_outcome oc;
	struct config *cfg;
	struct tracker *t;
	struct store *st;
	bool github, gitlab, found = false;
	enum tracker_kind kind;
	char *err = NULL, *who = NULL, db[256];
	long long row = 0;
	int rc;

	if (argc == 3 && strcmp(argv[1], "linear") == 0)
		return linear_main(argv[2]);
	if (argc != 3 || !tracker_kind_parse(argv[1], &kind)) {
		fprintf(stderr, "usage: contract_client github|jira|gitlab|linear BASE_URL\n");
		return 99;
	}
	github = kind == TRACKER_GITHUB;
	gitlab = kind == TRACKER_GITLAB;
	setenv(github ? "GITHUB_TOKEN" : gitlab ? "GITLAB_TOKEN" : "JIRA_API_TOKEN",
	       "contract-test-token", 1);
	cfg = make_config(argv[1], argv[2]);
	t = tracker_new(cfg, kind, &opts, &err);
	if (t == NULL) {
		fprintf(stderr, "contract_client: %s\n", err);
		return 99;
	}
	st = make_store(db, sizeof(db));

	/* the meeting's /ticket and `tickets file`: queued, claimed, created */
	rc = tracker_file_one(st, cfg, &opts, 1, argv[1], &oc, &err);
	expect_filed(rc, &oc, github ? "create (tickets file): POST /repos/{owner}/{repo}/issues"
			      : gitlab ? "create (tickets file): POST /api/v4/projects/{id}/issues"
			      : "create (tickets file): POST /rest/api/3/issue", &err);
	if (oc.key != NULL) {
		expect_ok(tracker_get(t, oc.key, &got, &err),
			  github ? "get: GET /repos/{owner}/{repo}/issues/{issue_number}"
			  : gitlab ? "get (tickets sync): GET /api/v4/projects/{id}/issues/{issue_iid}"
			  : "get: GET /rest/api/3/issue/{issueIdOrKey}", &err);
		tracker_issue_release(&got);
	}
	outcome_release(&oc);
	/* `new --tracker`: a postmortem as an issue, its template as the body */
	rc = tracker_file_postmortem(st, cfg, &opts, "pm-2026-014", "Disk full on db-3", "SEV2",
				     "---\nid: pm-2026-014\ntitle: Disk full on db-3\n---\n\n"
				     "# Disk full on db-3\n\n## Summary\n\nThe disk filled.\n",
				     argv[1], &row, &oc, &err);
	expect_filed(rc, &oc, github ? "postmortem issue (new --tracker): POST /repos/{owner}/{repo}/issues"
			      : gitlab ? "postmortem issue (new --tracker): POST /api/v4/projects/{id}/issues"
			      : "postmortem issue (new --tracker): POST /rest/api/3/issue", &err);
	outcome_release(&oc);
	expect_ok(tracker_find(t, "m-contract-1", "2026-12-01T10:00:00Z", &found, &found_issue, &err),
		  github ? "lookup by marker: GET /search/issues (advanced_search), GET /user, "
			   "GET /repos/{owner}/{repo}/issues (creator, since)"
		  : gitlab ? "lookup by marker: GET /api/v4/projects/{id}/issues (search, in), "
			     "GET /api/v4/issues (scope=created_by_me, created_after)"
		  : "lookup by marker: GET /rest/api/3/search/jql", &err);
	tracker_issue_release(&found_issue);
	if (gitlab) {
		char *problems = NULL;

		printf("   not in the description, tested against the fake: GET /api/v4/user, "
		       "GET /api/v4/users?username=, GET /api/v4/projects/{id}/labels\n");
		expect_ok(tracker_gitlab_check(t, &problems, &err),
			  "doctor: GET /api/v4/personal_access_tokens/self, GET /api/v4/projects/{id}",
			  &err);
		if (problems != NULL)
			printf("   doctor would say: %s\n", problems);
		free(problems);
	} else {
		expect_ok(tracker_myself(t, &who, &err),
			  github ? "myself: GET /user" : "myself: GET /rest/api/3/myself", &err);
		free(who);
	}
	if (!github && !gitlab) {
		char *problems = NULL;

		expect_ok(tracker_jira_check_create(t, &problems, &err),
			  "create metadata: GET /rest/api/3/issue/createmeta/{projectIdOrKey}/"
			  "issuetypes and .../issuetypes/{issueTypeId}", &err);
		if (problems != NULL)
			printf("   doctor would say: %s\n", problems);
		free(problems);
	}

	if (github) {
		expect_refused(argv[2], "POST", "/repos/acme/pay/issues", NULL,
			       "Accept: application/json", "{\"body\": \"no title\"}",
			       "wrong request refused: issue create without title");
		expect_refused(argv[2], "POST", "/repos/acme/pay/issues", NULL,
			       "Accept: application/json",
			       "{\"title\": \"Disk full\", \"body\": \"x\", \"labels\": \"postmortem\"}",
			       "wrong request refused: postmortem issue with labels not an array");
	} else if (gitlab) {
		expect_refused(argv[2], "POST", "/api/v4/projects/acme%2Fpay/issues",
			       "PRIVATE-TOKEN: x", "Accept: application/json",
			       "{\"description\": \"no title\"}",
			       "wrong request refused: issue create without title");
		expect_refused(argv[2], "POST", "/api/v4/projects/acme%2Fpay/issues",
			       "PRIVATE-TOKEN: x", "Accept: application/json",
			       "{\"title\": \"Disk full\", \"labels\": \"postmortem\"}",
			       "wrong request refused: issue create with labels not an array");
		expect_refused(argv[2], "GET", "/api/v4/projects/acme%2Fpay/issues?state=bogus",
			       "PRIVATE-TOKEN: x", "Accept: application/json", NULL,
			       "wrong request refused: issue list with state=bogus");
		expect_refused(argv[2], "GET", "/api/v4/projects/acme%2Fpay/issues/abc",
			       "PRIVATE-TOKEN: x", "Accept: application/json", NULL,
			       "wrong request refused: issue by iid that is not a number");
	} else {
		expect_refused(argv[2], "POST", "/rest/api/3/issue",
			       "Authorization: Bearer x", "Accept: application/json",
			       "{\"fields\": \"not an object\"}",
			       "wrong request refused: issue create with fields not an object");

		expect_refused(argv[2], "GET", "/rest/api/3/myself", NULL,
			       "Accept: application/json", NULL,
			       "wrong request refused: myself without Authorization");
	}
	tracker_free(t);
	store_free(st);
	unlink(db);
	config_free(cfg);
	printf("%d failed\n", failures);
	return failures ? 1 : 0;
}
