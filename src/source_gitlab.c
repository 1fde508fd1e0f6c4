#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "furikaeri/err.h"
#include "furikaeri/importer.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"
#include "source_private.h"

/* gitlab:GROUP/PROJECT: GET /projects/:id/issues, 100 a page, pages
 * followed through the Link header (GitLab sends it with X-Next-Page for
 * offset pagination). A postmortem is an issue with the label, or one of
 * GitLab's incident type (issue_type=incident), whatever its labels. Each
 * issue is read as GitHub's is (import_issue_github): the description is
 * the Markdown body, the web_url its source. */

/* The rel="next" URL of a Link header (owned), or NULL. */
static char *
next_link(const char *link)
{
	const char *p = link;

	while (p != NULL && *p != '\0') {
		const char *lt = strchr(p, '<'), *gt = lt ? strchr(lt, '>') : NULL;

		if (gt == NULL)
			return NULL;
		const char *end = strchr(gt, ',');
		size_t seg = end != NULL ? (size_t)(end - gt) : strlen(gt);
		char *params = xstrndup(gt, seg);
		bool next = strstr(params, "rel=\"next\"") != NULL || strstr(params, "rel=next") != NULL;

		free(params);
		if (next)
			return xstrndup(lt + 1, (size_t)(gt - lt - 1));
		p = end != NULL ? end + 1 : NULL;
	}
	return NULL;
}

static bool
has_label(json_t *issue, const char *label)
{
	size_t i;
	json_t *l;

	json_array_foreach(json_object_get(issue, "labels"), i, l) {
		const char *name = json_is_string(l) ? json_string_value(l)
						     : json_string_value(json_object_get(l, "name"));

		if (name != NULL && text_casecmp(name, label) == 0)
			return true;
	}
	return false;
}

static bool
is_incident(json_t *issue)
{
	const char *type = json_string_value(json_object_get(issue, "issue_type"));

	return type != NULL && strcmp(type, "incident") == 0;
}

/* GitLab's issue as the GitHub issue import_issue_github reads (owned
 * JSON text): iid as number, web_url as html_url, the description as the
 * body, opened as open, author and assignees by username. */
static char *
as_github(json_t *issue)
{
	const char *state = json_string_value(json_object_get(issue, "state"));
	const char *author = json_string_value(json_object_get(json_object_get(issue, "author"),
							       "username"));
	json_t *gh = json_object(), *assignees = json_array(), *a, *labels = json_array(), *l;
	size_t i;
	char *text;

	json_object_set(gh, "number", json_object_get(issue, "iid"));
	json_object_set(gh, "html_url", json_object_get(issue, "web_url"));
	json_object_set(gh, "title", json_object_get(issue, "title"));
	json_object_set(gh, "body", json_object_get(issue, "description"));
	json_object_set(gh, "created_at", json_object_get(issue, "created_at"));
	json_object_set(gh, "updated_at", json_object_get(issue, "updated_at"));
	json_object_set_new(gh, "state", json_string(state != NULL && strcmp(state, "closed") == 0
						     ? "closed" : "open"));
	if (author != NULL)
		json_object_set_new(gh, "user", json_pack("{s:s}", "login", author));
	json_array_foreach(json_object_get(issue, "assignees"), i, a) {
		const char *u = json_string_value(json_object_get(a, "username"));

		if (u != NULL)
			json_array_append_new(assignees, json_pack("{s:s}", "login", u));
	}
	json_object_set_new(gh, "assignees", assignees);
	json_array_foreach(json_object_get(issue, "labels"), i, l)
		if (json_is_string(l))
			json_array_append(labels, l);
	json_object_set_new(gh, "labels", labels);
	text = json_dumps(gh, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(gh);
	return text;
}

static bool
state_fits(const char *spec_state, const char *state)
{
	if (strcmp(spec_state, "all") == 0)
		return true;
	if (state == NULL)
		return false;
	return strcmp(spec_state, "closed") == 0 ? strcmp(state, "closed") == 0
						 : strcmp(state, "opened") == 0;
}

static void
one_issue(struct source_run *r, json_t *issue, bool incremental)
{
	const char *state = json_string_value(json_object_get(issue, "state"));
	json_int_t iid = json_integer_value(json_object_get(issue, "iid"));
	char *id, *perr = NULL, *text, *gh, *hash;
	struct postmortem *pm;

	if (iid <= 0)
		return;
	id = xasprintf("%s#%lld", r->spec->repo, (long long)iid);
	/* an incremental listing is not filtered by the server, so an issue
	 * that lost the label (and is no incident) or the state shows here
	 * and is reported */
	if (!has_label(issue, r->spec->label) && !is_incident(issue)) {
		if (incremental && source_known(r, id)) {
			char *why = xasprintf("it no longer has the label %s and is no incident; "
					      "its postmortem is kept", r->spec->label);

			source_gone(r, id, why);
			free(why);
		}
		free(id);
		return;
	}
	if (!state_fits(r->spec->state, state)) {
		if (incremental && source_known(r, id)) {
			char *why = xasprintf("it is %s and the source takes state=%s; its "
					      "postmortem is kept", state ? state : "?",
					      r->spec->state);

			source_gone(r, id, why);
			free(why);
		}
		free(id);
		return;
	}
	text = json_dumps(issue, JSON_COMPACT | JSON_SORT_KEYS);
	hash = importer_hash(text, strlen(text));
	gh = as_github(issue);
	pm = import_issue_github(gh, strlen(gh), r->spec->repo, NULL, r->h, &r->map, &perr);
	if (pm == NULL)
		source_fail_item(r, id, perr);
	else
		source_put(r, pm, hash);
	postmortem_free(pm);
	free(perr);
	free(hash);
	free(gh);
	free(text);
	free(id);
}

void
source_gitlab_retry(struct source_run *r)
{
	size_t n_project = strlen(r->spec->repo);
	char *ppath = tracker_gitlab_project_path(r->t);

	for (size_t i = 0; i < r->n_waiting; i++) {
		const char *id = r->waiting[i];
		char *path, *err = NULL;
		json_t *issue;

		if (r->settled[i] || strncmp(id, r->spec->repo, n_project) != 0 ||
		    id[n_project] != '#')
			continue;
		path = xasprintf("%s/issues/%s", ppath, id + n_project + 1);
		issue = source_get(r, path, NULL, &err);
		if (issue != NULL) {
			one_issue(r, issue, true);
			if (source_waiting(r, id))
				source_gone(r, id, "it failed to import earlier and is no longer in "
					    "the source (label, type or state changed)");
		} else if (r->last_status == 404) {
			source_gone(r, id, "it failed to import earlier and is gone (deleted, "
				    "moved, or the token can no longer see it)");
		} else {
			source_fail_item(r, id, err);
		}
		json_decref(issue);
		free(err);
		free(path);
	}
	free(ppath);
}

/* Reads every page from path (owned) on; 0, or -1 with *err. unlabelled:
 * only the issues without the label (the incidents' listing, after the
 * label's). */
static int
list(struct source_run *r, char *path, bool incremental, bool unlabelled, char **err)
{
	const char *base = r->t->base;

	while (path != NULL) {
		char *link = NULL;
		json_t *page = source_get(r, path, &link, err), *issue;
		size_t i;

		if (page == NULL) {
			free(path);
			free(link);
			return -1;
		}
		if (!json_is_array(page)) {
			err_set(err, "GET %s: GitLab answered something other than a list of issues",
				path);
			json_decref(page);
			free(path);
			free(link);
			return -1;
		}
		json_array_foreach(page, i, issue)
			if (!unlabelled || !has_label(issue, r->spec->label))
				one_issue(r, issue, incremental);
		json_decref(page);
		free(path);
		path = link != NULL ? next_link(link) : NULL;
		free(link);
		/* the token goes only where the API is */
		if (path != NULL && strncmp(path, base, strlen(base)) != 0) {
			err_set(err, "GitLab's next page %s is not under %s; not followed", path, base);
			free(path);
			return -1;
		}
	}
	return 0;
}

int
source_gitlab_run(struct source_run *r, const char *since, char **err)
{
	char *ppath = tracker_gitlab_project_path(r->t);
	const char *state = strcmp(r->spec->state, "open") == 0 ? "opened" : r->spec->state;
	int rc;

	if (since != NULL) {
		char *esince = http_escape(since);

		/* what changed since, labelled or not: one that lost its label shows */
		rc = list(r, xasprintf("%s/issues?updated_after=%s&state=all&order_by=updated_at"
				       "&sort=asc&per_page=100", ppath, esince), true, false, err);
		free(esince);
	} else {
		char *label = http_escape(r->spec->label);

		rc = list(r, xasprintf("%s/issues?labels=%s&state=%s&order_by=updated_at&sort=asc"
				       "&per_page=100", ppath, label, state), false, false, err);
		if (rc == 0)
			rc = list(r, xasprintf("%s/issues?issue_type=incident&state=%s"
					       "&order_by=updated_at&sort=asc&per_page=100", ppath,
					       state), false, true, err);
		free(label);
	}
	free(ppath);
	return rc;
}
