#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/config.h"
#include "furikaeri/headings.h"
#include "furikaeri/http.h"
#include "furikaeri/source.h"
#include "furikaeri/store.h"
#include "furikaeri/store_sources.h"
#include "furikaeri/xalloc.h"

/* Every request an import from GitHub, Jira Cloud or Google Docs makes,
 * against a validating Prism mock of the vendor's API description (started
 * by tests/contract/source_*.sh): a full import, an incremental one, and
 * requests that break the description, which Prism must refuse.
 * Usage: contract_source github|jira|gdocs BASE_URL */

static int failures;

static void
report(bool ok, const char *what, const char *detail)
{
	printf("%s %s%s%s\n", ok ? "ok" : "FAIL", what, detail ? ": " : "", detail ? detail : "");
	if (!ok)
		failures++;
}

static void
on_error(const char *message, void *ctx)
{
	(void)ctx;
	/* an issue Prism made up may not map; a refused request is what counts */
	printf("  issue: %s\n", message);
}

static void
on_gone(const char *id, const char *why, void *ctx)
{
	(void)ctx;
	printf("  gone: %s: %s\n", id, why);
}

/* A request of exactly the form the import builds, which Prism must accept
 * (for the pages and sub-issues the mock's own answers never lead to). */
static void
expect_accepted(const char *base, const char *path, const char *auth, const char *what)
{
	struct http_client *c = http_client_new(NULL, NULL);
	char *url = xasprintf("%s%s", base, path), *err = NULL;
	const char *headers[] = { "Accept: application/json", auth, NULL };
	struct http_response resp;
	enum http_error e = http_perform(c, &(struct http_request){
		.method = "GET", .url = url, .headers = headers }, &resp, &err);
	char detail[200];

	snprintf(detail, sizeof(detail), "GET %s answered %ld", path, resp.status);
	report(e == HTTP_OK && resp.status >= 200 && resp.status < 300, what, detail);
	http_response_release(&resp);
	free(err);
	free(url);
	http_client_free(c);
}

static void
expect_refused(const char *base, const char *path, const char *auth, const char *what)
{
	struct http_client *c = http_client_new(NULL, NULL);
	char *url = xasprintf("%s%s", base, path), *err = NULL;
	const char *headers[] = { "Accept: application/json", auth, NULL };
	struct http_response resp;
	enum http_error e = http_perform(c, &(struct http_request){
		.method = "GET", .url = url, .headers = headers }, &resp, &err);
	char detail[200];

	snprintf(detail, sizeof(detail), "GET %s answered %ld", path, resp.status);
	report(e == HTTP_OK && resp.status >= 400 && resp.status < 500, what, detail);
	http_response_release(&resp);
	free(err);
	free(url);
	http_client_free(c);
}

static void
import(struct store *st, const struct config *cfg, const struct headings *h, const char *text,
       bool full, const char *what)
{
	struct source_spec spec;
	struct source_counts counts;
	struct source_options so = { .full = full, .on_error = on_error, .on_gone = on_gone };
	char *err = NULL, detail[200];

	if (source_spec_parse(text, NULL, NULL, &spec, &err) < 0) {
		report(false, what, err);
		free(err);
		return;
	}
	int rc = source_import(st, cfg, h, &spec, &so, &counts, &err);
	snprintf(detail, sizeof(detail), "%zu requests, %zu added, %zu updated, %zu unchanged, "
		 "%zu gone%s%s", counts.requests, counts.added, counts.updated, counts.unchanged,
		 counts.gone, rc < 0 ? "; " : "", rc < 0 ? err : "");
	/* Prism's example Link header points at api.github.com, which the
	 * import rightly does not follow with the token, and its example
	 * nextPageToken is the same on every page, which the import stops at:
	 * the requests passed */
	bool ok = rc == 0 || (err != NULL && (strstr(err, "; not followed") != NULL ||
					      strstr(err, "the same nextPageToken twice") != NULL));
	report(ok && counts.requests > 0, what, detail);
	free(err);
	source_spec_release(&spec);
}

int
main(int argc, char **argv)
{
	char dir[] = "/tmp/fk-contract-source-XXXXXX";
	const char *srcdir = getenv("FK_SRCDIR") ? getenv("FK_SRCDIR") : FK_SRCDIR;
	char *hdir, *db, *text, *err = NULL;
	struct config *cfg;
	struct headings *h;
	struct store *st;
	bool github, gdocs;

	if (argc != 3 || (strcmp(argv[1], "github") != 0 && strcmp(argv[1], "jira") != 0 &&
			  strcmp(argv[1], "gdocs") != 0)) {
		fprintf(stderr, "usage: contract_source github|jira|gdocs BASE_URL\n");
		return 2;
	}
	github = strcmp(argv[1], "github") == 0;
	gdocs = strcmp(argv[1], "gdocs") == 0;
	setenv("GITHUB_TOKEN", "ghp_contract_0123456789", 1);
	setenv("JIRA_API_TOKEN", "jira_contract_0123456789", 1);
	setenv("GOOGLE_OAUTH_ACCESS_TOKEN", "ya29.contract_0123456789", 1);
	if (mkdtemp(dir) == NULL)
		return 99;
	db = xasprintf("%s/fk.db", dir);
	hdir = xasprintf("%s/data/headings", srcdir);
	const char *dirs[] = { hdir };
	h = headings_load(dirs, 1, &err);
	st = store_open(db, &err);
	text = gdocs ? xasprintf("[gdocs]\nurl = %s\n", argv[2])
	       : github ? xasprintf("[github]\nurl = %s\n", argv[2])
		      : xasprintf("[jira]\nurl = %s\napi = 3\nemail = bot@example.com\n"
				  /* the description's example lists only Summary and
				   * Description: a name it has makes the import look it up */
				  "severity_field = Summary\nmeasure_link = causes\n",
				  argv[2]);
	cfg = config_parse(text, "contract.ini", &err);
	if (h == NULL || st == NULL || cfg == NULL) {
		fprintf(stderr, "contract_source: %s\n", err);
		return 99;
	}
	if (gdocs) {
		const char *spec = "gdocs:1PmFolder_contract";
		const char *bearer = "Authorization: Bearer ya29.contract_0123456789";
		char *checks = NULL;

		import(st, cfg, h, spec, false,
		       "GET /drive/v3/files (q, fields, pageSize, orderBy, supportsAllDrives, "
		       "includeItemsFromAllDrives, pageToken) and GET /drive/v3/files/{fileId}/export "
		       "(mimeType=text/markdown)");
		/* as if imported before, with one Doc brought and one waiting */
		store_source_done(st, spec, "2026-11-01T00:00:00Z", NULL);
		store_source_item_add(st, spec, "1DocGone", NULL);
		store_source_wait(st, spec, "1DocWaiting", "an earlier export failed", NULL);
		import(st, cfg, h, spec, false,
		       "GET /drive/v3/files, the incremental listing (modifiedTime >); the "
		       "repeated nextPageToken of the example stops it before the rest");
		/* the incremental import stops at Prism's repeated nextPageToken,
		 * before these two: each is sent here as the import builds it */
		expect_accepted(argv[2], "/drive/v3/files?q=%271PmFolder_contract%27%20in%20parents%20"
				"and%20mimeType%3D%27application%2Fvnd.google-apps.document%27%20and%20"
				"trashed%3Dfalse&fields=nextPageToken%2Cfiles%28id%29&pageSize=1000&"
				"orderBy=modifiedTime&supportsAllDrives=true&includeItemsFromAllDrives=true",
				bearer, "GET /drive/v3/files, the ids-only listing (which Docs are "
				"still in the folder)");
		expect_accepted(argv[2], "/drive/v3/files/1DocWaiting?fields=id,name,createdTime,"
				"modifiedTime,webViewLink,version,parents,trashed,mimeType&"
				"supportsAllDrives=true", bearer,
				"GET /drive/v3/files/{fileId} (a waiting Doc asked for again)");
		/* Prism's example is no folder ("mimeType": "string"): that the
		 * requests were answered is what counts here */
		source_gdocs_doctor(cfg, "1PmFolder_contract", &checks);
		report(strstr(checks, "the token authenticates as") != NULL &&
		       strstr(checks, "cannot be read") == NULL,
		       "doctor: GET /drive/v3/about?fields=user and GET /drive/v3/files/{fileId} of "
		       "the folder", checks);
		free(checks);
		expect_accepted(argv[2], "/drive/v3/files?q=%27x%27%20in%20parents&fields="
				"nextPageToken%2Cfiles%28id%29&pageSize=1000&orderBy=modifiedTime&"
				"supportsAllDrives=true&includeItemsFromAllDrives=true&pageToken=abc",
				bearer, "GET /drive/v3/files with pageToken (a second page)");
		expect_refused(argv[2], "/drive/v3/files?q=x&pageSize=many", bearer,
			       "a pageSize that is not a number is refused");
		expect_refused(argv[2], "/drive/v3/files/1Doc/export", bearer,
			       "an export without mimeType is refused");
		expect_refused(argv[2], "/drive/v3/files?q=x&supportsAllDrives=perhaps", bearer,
			       "a supportsAllDrives that is not a boolean is refused");
		expect_refused(argv[2], "/drive/v3/files?q=x", "X-No-Auth: 1",
			       "a request without the token is refused");
	} else if (github) {
		import(st, cfg, h, "github:acme/pay", false,
		       "GET /repos/{owner}/{repo}/issues (labels, state, sort, direction, per_page)");
		/* as if imported before, so the next import is incremental */
		store_source_done(st, "github:acme/pay label=postmortem state=all",
				  "2026-11-01T00:00:00Z", NULL);
		import(st, cfg, h, "github:acme/pay", false,
		       "GET /repos/{owner}/{repo}/issues (since, the incremental import)");
		expect_accepted(argv[2], "/repos/acme/pay/issues/1/sub_issues?per_page=100",
				"Authorization: Bearer ghp_contract_0123456789",
				"GET /repos/{owner}/{repo}/issues/{issue_number}/sub_issues");
		expect_refused(argv[2], "/repos/acme/pay/issues?state=sideways",
			       "Authorization: Bearer ghp_contract_0123456789",
			       "a state GitHub does not have is refused");
		expect_refused(argv[2], "/repos/acme/pay/issues?per_page=many",
			       "Authorization: Bearer ghp_contract_0123456789",
			       "a page size that is not a number is refused");
	} else {
		const char *spec = "jira:project = ED AND issuetype = \"Post-incident review\"";
		import(st, cfg, h, spec, false,
		       "GET /rest/api/3/field, GET /rest/api/3/search/jql (jql, fields, maxResults)");
		expect_accepted(argv[2], "/rest/api/3/search/jql?jql=%28project%20%3D%20ED%29%20ORDER"
				"%20BY%20updated%20ASC&fields=summary%2Cdescription%2Ccreated&"
				"maxResults=100&nextPageToken=CAEaAggD",
				"Authorization: Basic Ym90QGV4YW1wbGUuY29tOmppcmE=",
				"GET /rest/api/3/search/jql with nextPageToken (the second page)");
		/* one the source brought before and the query no longer finds */
		store_source_item_add(st, "jira:project = ED AND issuetype = \"Post-incident "
				      "review\"", "ED-999", NULL);
		import(st, cfg, h, spec, false,
		       "the incremental search (updated >=), the keys-only search and "
		       "GET /rest/api/3/issue/{key}");
		expect_refused(argv[2], "/rest/api/3/search/jql?jql=project%3DED&maxResults=lots",
			       "Authorization: Basic Ym90QGV4YW1wbGUuY29tOmppcmE=",
			       "a maxResults that is not a number is refused");
		expect_refused(argv[2], "/rest/api/3/search/jql?jql=x&failFast=perhaps",
			       "Authorization: Basic Ym90QGV4YW1wbGUuY29tOmppcmE=",
			       "a failFast that is not a boolean is refused");
	}
	store_free(st);
	headings_free(h);
	config_free(cfg);
	free(text);
	char *rm = xasprintf("rm -rf '%s'", dir);
	if (system(rm) != 0)
		fprintf(stderr, "contract_source: could not remove %s\n", dir);
	free(rm);
	free(db);
	free(hdir);
	printf("%d failed\n", failures);
	return failures > 0;
}
