#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/err.h"
#include "furikaeri/importer.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"
#include "source_private.h"

/* jira:JQL: Cloud's GET /rest/api/3/search/jql paged by nextPageToken,
 * Data Center's GET /rest/api/2/search paged by startAt; the severity
 * field's name resolved through GET /rest/api/N/field. */

#define JIRA_FIELDS "summary,description,created,updated,status,labels,components,priority," \
	"reporter,assignee,issuelinks"
#define JIRA_PAGE 100
#define JIRA_KEYS_PAGE 1000

/* The id of [jira] severity_field: an id as it is, a name looked up. */
static int
resolve_severity_field(struct source_run *r, char **id, char **err)
{
	const char *want = r->cfg->jira.severity_field;
	json_t *fields, *f;
	size_t i;

	*id = NULL;
	if (want == NULL)
		return 0;
	if (strncmp(want, "customfield_", 12) == 0 || strchr(want, ' ') == NULL) {
		bool plain = true;
		for (const char *p = want; *p != '\0'; p++)
			plain = plain && (islower((unsigned char)*p) || isdigit((unsigned char)*p) ||
					  *p == '_');
		if (plain) {
			*id = xstrdup(want);
			return 0;
		}
	}
	fields = source_get(r, "/field", NULL, err);
	if (fields == NULL)
		return -1;
	json_array_foreach(fields, i, f) {
		const char *name = json_string_value(json_object_get(f, "name"));
		const char *fid = json_string_value(json_object_get(f, "id"));
		if (name != NULL && fid != NULL && text_casecmp(name, want) == 0) {
			*id = xstrdup(fid);
			break;
		}
	}
	json_decref(fields);
	if (*id == NULL) {
		err_set(err, "[jira] severity_field = %s: Jira has no field of that name (GET "
			"/rest/api/%d/field lists them); give its id, such as customfield_10042",
			want, r->cfg->jira.api);
		return -1;
	}
	return 0;
}

/* The JQL without its ORDER BY, which the import sets itself. */
static char *
jql_base(const char *jql)
{
	char *copy = xstrdup(jql);
	size_t n = strlen(copy);

	for (size_t i = 0; i + 8 <= n; i++) {
		if (strncasecmp(copy + i, "order by", 8) == 0 &&
		    (i == 0 || isspace((unsigned char)copy[i - 1]))) {
			copy[i] = '\0';
			break;
		}
	}
	char *t = text_trim(copy);
	free(copy);
	return t;
}

static void
one_issue(struct source_run *r, json_t *issue)
{
	char *text = json_dumps(issue, JSON_COMPACT | JSON_SORT_KEYS), *perr = NULL;
	char *hash = importer_hash(text, strlen(text));
	struct postmortem *pm = import_issue_jira(text, strlen(text), r->h, &r->map, &perr);
	const char *key = json_string_value(json_object_get(issue, "key"));

	if (pm == NULL && key != NULL)
		source_fail_item(r, key, perr);
	else if (pm == NULL)
		source_fail(r, perr);
	else
		source_put(r, pm, hash);
	postmortem_free(pm);
	free(perr);
	free(hash);
	free(text);
}

/* Walks every page of a search; each issue goes to fn. */
static int
search(struct source_run *r, const char *jql, const char *fields, int page_size,
       void (*fn)(struct source_run *r, json_t *issue), char **err)
{
	char *q = http_escape(jql), *f = http_escape(fields), *token = NULL;
	long start = 0;
	int rc = -1;

	for (;;) {
		char *path, *tok = token != NULL ? http_escape(token) : NULL;
		if (r->cfg->jira.api == 3)
			path = xasprintf("/search/jql?jql=%s&fields=%s&maxResults=%d%s%s", q, f,
					 page_size, tok ? "&nextPageToken=" : "", tok ? tok : "");
		else
			path = xasprintf("/search?jql=%s&fields=%s&startAt=%ld&maxResults=%d", q, f,
					 start, page_size);
		free(tok);
		json_t *page = source_get(r, path, NULL, err), *issues, *issue;
		size_t i;
		if (page == NULL || !json_is_array(issues = json_object_get(page, "issues"))) {
			if (page != NULL)
				err_set(err, "GET %s: Jira answered without issues", path);
			json_decref(page);
			free(path);
			break;
		}
		free(path);
		json_array_foreach(issues, i, issue)
			fn(r, issue);
		free(token);
		token = NULL;
		if (r->cfg->jira.api == 3) {
			json_t *next = json_object_get(page, "nextPageToken");
			json_t *last = json_object_get(page, "isLast");
			if (json_is_string(next) && !json_is_true(last) && json_array_size(issues) > 0)
				token = xstrdup(json_string_value(next));
		} else {
			long total = (long)json_integer_value(json_object_get(page, "total"));
			start += (long)json_array_size(issues);
			if (json_array_size(issues) == 0 || start >= total)
				start = -1;
		}
		json_decref(page);
		if (token == NULL && (r->cfg->jira.api == 3 || start < 0)) {
			rc = 0;
			break;
		}
	}
	free(token);
	free(q);
	free(f);
	return rc;
}

static void
mark_seen(struct source_run *r, json_t *issue)
{
	const char *key = json_string_value(json_object_get(issue, "key"));

	if (key != NULL)
		source_known(r, key);
}

/* Known issues not in the query: deleted, or moved out of it. */
static void
check_gone(struct source_run *r)
{
	for (size_t i = 0; i < r->n_known; i++) {
		if (r->seen[i])
			continue;
		char *esc = http_escape(r->known[i]);
		char *path = xasprintf("/issue/%s?fields=summary", esc), *err = NULL;
		json_t *j = source_get(r, path, NULL, &err);
		if (j != NULL)
			source_gone(r, r->known[i], "it is no longer in the query; its postmortem "
				    "is kept");
		else if (r->last_status == 404)
			source_gone(r, r->known[i], "it was deleted, or the token can no longer "
				    "see it; its postmortem is kept");
		else
			source_fail(r, err);
		json_decref(j);
		free(err);
		free(path);
		free(esc);
	}
}

/* The JQL's fields: the import's and the severity field. */
static char *
jira_fields(const char *severity_field)
{
	return xasprintf("%s%s%s", JIRA_FIELDS, severity_field ? "," : "",
			 severity_field ? severity_field : "");
}

void
source_jira_retry(struct source_run *r)
{
	char *field = NULL, *base = NULL, *fields = NULL, *err = NULL;

	for (size_t i = 0; i < r->n_waiting; i++) {
		const char *key = r->waiting[i];
		char *esc, *path, *jql;
		json_t *j;

		if (r->settled[i])
			continue;
		if (base == NULL) {
			if (resolve_severity_field(r, &field, &err) < 0) {
				/* asked again by the next import */
				source_fail(r, err);
				free(err);
				return;
			}
			r->map.severity_field = field;
			base = jql_base(r->spec->jql);
			fields = jira_fields(field);
		}
		/* a key that no longer exists makes the search a 400: asked first */
		esc = http_escape(key);
		path = xasprintf("/issue/%s?fields=summary", esc);
		j = source_get(r, path, NULL, &err);
		if (j == NULL && (r->last_status == 404 || r->last_status == 410)) {
			source_gone(r, key, "it failed to import earlier and was deleted, or the "
				    "token can no longer see it");
		} else if (j == NULL) {
			source_fail_item(r, key, err);
		} else {
			jql = xasprintf("(%s) AND key = \"%s\"", base, key);
			if (search(r, jql, fields, 1, one_issue, &err) < 0)
				source_fail_item(r, key, err);
			else if (source_waiting(r, key))
				source_gone(r, key, "it failed to import earlier and is no longer in "
					    "the query");
			free(jql);
		}
		json_decref(j);
		free(err);
		err = NULL;
		free(path);
		free(esc);
	}
	r->map.severity_field = NULL;
	free(field);
	free(base);
	free(fields);
}

int
source_jira_run(struct source_run *r, const char *since, long since_minutes, char **err)
{
	char *field = NULL, *base = jql_base(r->spec->jql), *jql, *fields;
	int rc = -1;

	if (resolve_severity_field(r, &field, err) < 0) {
		free(base);
		return -1;
	}
	r->map.severity_field = field;
	if (since != NULL)
		jql = xasprintf("(%s) AND updated >= -%ldm ORDER BY updated ASC", base,
				since_minutes);
	else
		jql = xasprintf("(%s) ORDER BY updated ASC", base);
	fields = jira_fields(field);
	rc = search(r, jql, fields, JIRA_PAGE, one_issue, err);
	if (rc == 0 && since != NULL && r->n_known > 0) {
		/* only the keys: which known issues are still in the query */
		rc = search(r, base, "id", JIRA_KEYS_PAGE, mark_seen, err);
		if (rc == 0)
			check_gone(r);
	}
	r->map.severity_field = NULL;
	free(fields);
	free(jql);
	free(base);
	free(field);
	return rc;
}
