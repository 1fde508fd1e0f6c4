#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/config.h"
#include "furikaeri/err.h"
#include "furikaeri/http.h"
#include "furikaeri/tracker.h"
#include "furikaeri/xalloc.h"

/* Makes every request the ticket client can make against a validating
 * Prism mock (started by the shell tests in tests/contract), then requests that break the
 * API description, which Prism must refuse. Prints one line per call and
 * exits 1 when any valid call was refused or any wrong one accepted.
 * Usage: contract_client github|jira BASE_URL */

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

	if (strcmp(kind, "github") == 0)
		text = xasprintf("[github]\nurl = %s\nrepo = acme/pay\nlabels = postmortem\n"
				 "[people]\nAoi = github:aoi-t\n", base);
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

int
main(int argc, char **argv)
{
	struct tracker_input in = {
		.marker = "m-contract-1", .title = "Add jitter and a retry budget", .owner = "Aoi",
		.due = "2026-12-15", .week = "2026-W49", .pm_id = "pm-031",
		.pm_title = "Payment API timeouts after deploy",
		.pm_source = "https://wiki.example/pm-031", .pm_severity = "SEV2",
	};
	struct tracker_options opts = { .timeout_ms = 20000 };
	struct tracker_issue issue, got, found_issue;
	struct config *cfg;
	struct tracker *t;
	bool github, found = false;
	char *err = NULL, *who = NULL;
	long later;

	if (argc != 3 || (strcmp(argv[1], "github") != 0 && strcmp(argv[1], "jira") != 0)) {
		fprintf(stderr, "usage: contract_client github|jira BASE_URL\n");
		return 99;
	}
	github = strcmp(argv[1], "github") == 0;
	setenv(github ? "GITHUB_TOKEN" : "JIRA_API_TOKEN", "contract-test-token", 1);
	cfg = make_config(argv[1], argv[2]);
	t = tracker_new(cfg, github ? TRACKER_GITHUB : TRACKER_JIRA, &opts, &err);
	if (t == NULL) {
		fprintf(stderr, "contract_client: %s\n", err);
		return 99;
	}

	expect_ok(tracker_create(t, &in, false, &issue, &later, &err),
		  github ? "create: POST /repos/{owner}/{repo}/issues"
			 : "create: POST /rest/api/3/issue", &err);
	if (issue.key != NULL) {
		printf("   created %s\n", issue.key);
		expect_ok(tracker_get(t, issue.key, &got, &err),
			  github ? "get: GET /repos/{owner}/{repo}/issues/{issue_number}"
				 : "get: GET /rest/api/3/issue/{issueIdOrKey}", &err);
		tracker_issue_release(&got);
	}
	tracker_issue_release(&issue);
	/* `new --tracker`: a postmortem as an issue, its template as the body */
	{
		struct tracker_input pm = {
			.marker = "pm-contract-1", .title = "Disk full on db-3",
			.pm_id = "pm-2026-014", .pm_title = "Disk full on db-3",
			.pm_severity = "SEV2", .label = "postmortem",
			.body = "---\nid: pm-2026-014\ntitle: Disk full on db-3\n---\n\n"
				"# Disk full on db-3\n\n## Summary\n\nThe disk filled.\n",
		};

		expect_ok(tracker_create(t, &pm, false, &issue, &later, &err),
			  github ? "postmortem issue (new --tracker): POST /repos/{owner}/{repo}/issues"
				 : "postmortem issue (new --tracker): POST /rest/api/3/issue", &err);
		tracker_issue_release(&issue);
	}
	expect_ok(tracker_find(t, in.marker, "2026-12-01T10:00:00Z", &found, &found_issue, &err),
		  github ? "lookup by marker: GET /search/issues (advanced_search), GET /user, "
			   "GET /repos/{owner}/{repo}/issues (creator, since)"
			 : "lookup by marker: GET /rest/api/3/search/jql", &err);
	tracker_issue_release(&found_issue);
	expect_ok(tracker_myself(t, &who, &err),
		  github ? "myself: GET /user" : "myself: GET /rest/api/3/myself", &err);
	free(who);
	if (!github) {
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
	config_free(cfg);
	printf("%d failed\n", failures);
	return failures ? 1 : 0;
}
