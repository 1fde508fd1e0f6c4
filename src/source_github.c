#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "furikaeri/err.h"
#include "furikaeri/importer.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"
#include "source_private.h"

/* github:OWNER/REPO: GET /repos/{owner}/{repo}/issues, 100 a page, pages
 * followed through the Link header; sub-issues read for the issues that
 * have some. */

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

static char *
sub_issues(struct source_run *r, json_t *issue, json_int_t number, char **err)
{
	json_t *summary = json_object_get(issue, "sub_issues_summary");
	json_int_t total = json_integer_value(json_object_get(summary, "total"));
	char *path, *text;
	json_t *all, *page;

	if (total <= 0)
		return NULL;
	path = xasprintf("/repos/%s/issues/%lld/sub_issues?per_page=100", r->spec->repo,
			 (long long)number);
	all = json_array();
	while (path != NULL) {
		char *link = NULL;
		page = source_get(r, path, &link, err);
		free(path);
		path = NULL;
		if (!json_is_array(page)) {
			json_decref(page);
			free(link);
			json_decref(all);
			return NULL;
		}
		json_array_extend(all, page);
		json_decref(page);
		path = link != NULL ? next_link(link) : NULL;
		free(link);
		if (path != NULL && strncmp(path, r->t->base, strlen(r->t->base)) != 0) {
			free(path);
			path = NULL;
		}
	}
	text = json_dumps(all, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(all);
	return text;
}

static void
one_issue(struct source_run *r, json_t *issue, bool incremental)
{
	const char *spec_state = r->spec->state;
	const char *state = json_string_value(json_object_get(issue, "state"));
	json_int_t number = json_integer_value(json_object_get(issue, "number"));
	char *id, *perr = NULL, *text, *subs = NULL, *hash, *both;
	struct postmortem *pm;

	if (json_object_get(issue, "pull_request") != NULL || number <= 0)
		return;
	id = xasprintf("%s#%lld", r->spec->repo, (long long)number);
	/* an incremental listing is not filtered by the server, so an issue
	 * that lost the label or the state shows here and is reported */
	if (!has_label(issue, r->spec->label)) {
		if (incremental && source_known(r, id)) {
			char *why = xasprintf("it no longer has the label %s; its postmortem is kept",
					      r->spec->label);
			source_gone(r, id, why);
			free(why);
		}
		free(id);
		return;
	}
	if (strcmp(spec_state, "all") != 0 && (state == NULL || strcmp(state, spec_state) != 0)) {
		if (incremental && source_known(r, id)) {
			char *why = xasprintf("it is %s and the source takes state=%s; its "
					      "postmortem is kept", state ? state : "?", spec_state);
			source_gone(r, id, why);
			free(why);
		}
		free(id);
		return;
	}
	subs = sub_issues(r, issue, number, &perr);
	if (subs == NULL && perr != NULL) {
		char *msg = xasprintf("%s: its sub-issues could not be read: %s",
				      json_string_value(json_object_get(issue, "html_url")), perr);
		source_fail_item(r, id, msg);
		free(msg);
		free(perr);
		free(id);
		return;
	}
	text = json_dumps(issue, JSON_COMPACT | JSON_SORT_KEYS);
	both = xasprintf("%s\n%s", text, subs != NULL ? subs : "");
	hash = importer_hash(both, strlen(both));
	pm = import_issue_github(text, strlen(text), r->spec->repo, subs, r->h, &r->map, &perr);
	if (pm == NULL) {
		source_fail_item(r, id, perr);
	} else {
		source_put(r, pm, hash);
	}
	postmortem_free(pm);
	free(perr);
	free(hash);
	free(both);
	free(text);
	free(subs);
	free(id);
}

void
source_github_retry(struct source_run *r)
{
	size_t n_repo = strlen(r->spec->repo);

	for (size_t i = 0; i < r->n_waiting; i++) {
		const char *id = r->waiting[i];
		char *path, *err = NULL;
		json_t *issue;

		if (r->settled[i] || strncmp(id, r->spec->repo, n_repo) != 0 || id[n_repo] != '#')
			continue;
		path = xasprintf("/repos/%s/issues/%s", r->spec->repo, id + n_repo + 1);
		issue = source_get(r, path, NULL, &err);
		if (issue != NULL) {
			one_issue(r, issue, true);
			/* not imported, not failed: it no longer has the label or the state */
			if (source_waiting(r, id))
				source_gone(r, id, "it failed to import earlier and is no longer in "
					    "the source (label or state changed)");
		} else if (r->last_status == 404 || r->last_status == 410) {
			source_gone(r, id, "it failed to import earlier and is gone (deleted, "
				    "transferred, or the token can no longer see it)");
		} else {
			source_fail_item(r, id, err);
		}
		json_decref(issue);
		free(err);
		free(path);
	}
}

int
source_github_run(struct source_run *r, const char *since, char **err)
{
	char *label = http_escape(r->spec->label), *path;
	const char *base = r->t->base;

	if (since != NULL)
		path = xasprintf("/repos/%s/issues?state=all&since=%s&sort=updated&direction=asc"
				 "&per_page=100", r->spec->repo, since);
	else
		path = xasprintf("/repos/%s/issues?labels=%s&state=%s&sort=updated&direction=asc"
				 "&per_page=100", r->spec->repo, label, r->spec->state);
	free(label);
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
			err_set(err, "GET %s: GitHub answered something other than a list of issues",
				path);
			json_decref(page);
			free(path);
			free(link);
			return -1;
		}
		json_array_foreach(page, i, issue)
			one_issue(r, issue, since != NULL);
		json_decref(page);
		free(path);
		path = link != NULL ? next_link(link) : NULL;
		free(link);
		/* the token goes only where the API is */
		if (path != NULL && strncmp(path, base, strlen(base)) != 0) {
			err_set(err, "GitHub's next page %s is not under %s; not followed", path, base);
			free(path);
			return -1;
		}
	}
	return 0;
}
