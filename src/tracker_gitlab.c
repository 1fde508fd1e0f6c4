#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "furikaeri/err.h"
#include "furikaeri/http.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/xalloc.h"
#include "tracker_private.h"

/* GitLab issues over the REST API v4 (gitlab.com and self-managed). The
 * token goes in a PRIVATE-TOKEN header (tracker_new); the project is named
 * by its path, URL-encoded as one segment (group%2Fsub%2Fproj), or by its
 * numeric id. The marker rides in the description as an HTML comment,
 * which GitLab keeps and does not render. */

static const char *const gitlab_headers[] = {
	"Accept: application/json",
	NULL,
};

/* GitLab's errors: {"message": "404 Project Not Found"}, {"message":
 * {"title": ["can't be blank"]}}, {"error": "insufficient_scope",
 * "error_description": "..."}. */
static char *
gitlab_error_text(json_t *body)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *msg = json_object_get(body, "message");
	const char *error = tracker_json_str(body, "error");
	const char *desc = tracker_json_str(body, "error_description");

	if (json_is_string(msg)) {
		strbuf_adds(&sb, json_string_value(msg));
	} else if (json_is_object(msg)) {
		const char *field;
		json_t *v;

		json_object_foreach(msg, field, v) {
			size_t i;
			json_t *m;

			strbuf_addf(&sb, "%s%s", sb.len ? "; " : "", field);
			if (json_is_string(v))
				strbuf_addf(&sb, " %s", json_string_value(v));
			json_array_foreach(v, i, m)
				if (json_is_string(m))
					strbuf_addf(&sb, "%s %s", i ? "," : "", json_string_value(m));
		}
	} else if (json_is_array(msg)) {
		size_t i;
		json_t *m;

		json_array_foreach(msg, i, m)
			if (json_is_string(m))
				strbuf_addf(&sb, "%s%s", sb.len ? "; " : "", json_string_value(m));
	}
	if (error != NULL)
		strbuf_addf(&sb, "%s%s", sb.len ? "; " : "", error);
	if (desc != NULL)
		strbuf_addf(&sb, "%s%s", sb.len ? ": " : "", desc);
	if (sb.len == 0) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}

static char *
marker_comment(const char *marker)
{
	return xasprintf("<!-- furikaeri:%s -->", marker);
}

/* "/projects/group%2Fsub%2Fproj" (owned). */
static char *
project_path(const char *project)
{
	char *e = http_escape(project);
	char *path = xasprintf("/projects/%s", e);

	free(e);
	return path;
}

char *
tracker_gitlab_project_path(const struct tracker *t)
{
	return project_path(t->cfg->gitlab.project);
}

static void
issue_from_json(struct tracker *t, json_t *j, struct tracker_issue *out)
{
	json_int_t iid = json_integer_value(json_object_get(j, "iid"));
	const char *state = tracker_json_str(j, "state");
	const char *full = tracker_json_str(json_object_get(j, "references"), "full");
	json_t *links = json_object_get(j, "_links");
	bool duplicate = json_is_string(json_object_get(links, "closed_as_duplicate_of"));
	bool moved = json_integer_value(json_object_get(j, "moved_to_id")) > 0;

	/* references.full names the issue's own project ("group/proj#12"),
	 * also for one found among the token's issues elsewhere */
	out->key = full != NULL && strchr(full, '#') != NULL
		   ? xstrdup(full)
		   : xasprintf("%s#%lld", t->cfg->gitlab.project, (long long)iid);
	out->url = xstrdup_or_null(tracker_json_str(j, "web_url"));
	out->done = state != NULL && strcmp(state, "closed") == 0 && !moved;
	/* closed with /duplicate: the work is tracked elsewhere, not done */
	out->dropped = out->done && duplicate;
	if (out->dropped)
		out->status = xstrdup("closed as duplicate");
	else if (moved)
		/* moved to another project: the work goes on there */
		out->status = xstrdup("moved");
	else
		out->status = xstrdup(state ? state : "opened");
}

/* The user id of a GitLab username (GET /users?username=), 0 when there is
 * no such user. */
static enum tracker_call
user_id(struct tracker *t, const char *username, json_int_t *id, char **err)
{
	char *e = http_escape(username);
	char *path = xasprintf("/users?username=%s", e);
	int attempt = 0;
	long wait;
	json_t *resp = NULL;
	enum tracker_call c = tracker_call(t, "GET", path, NULL, true, &attempt, &resp, &wait,
					   err);

	*id = 0;
	if (c == TRACKER_CALL_OK)
		*id = json_integer_value(json_object_get(json_array_get(resp, 0), "id"));
	json_decref(resp);
	free(path);
	free(e);
	return c;
}

static enum tracker_call
gitlab_create(struct tracker *t, const struct tracker_input *in, int *attempt,
	      struct tracker_issue *out, long *wait_ms, char **err)
{
	const struct config_person *p = config_person(t->cfg, in->owner);
	json_int_t assignee = 0;
	char *handle = NULL, **lines;
	const char *note = "no GitLab username in [people], so the issue is not assigned";
	char *comment = marker_comment(in->marker);
	struct strbuf body = STRBUF_INIT;
	json_t *labels = json_array(), *assignees = json_array(), *req, *resp = NULL;
	char *path, *ppath;
	enum tracker_call c;

	if (in->body == NULL && p != NULL && p->gitlab != NULL) {
		/* a read: nothing was sent yet, so any failure is "later" */
		c = user_id(t, p->gitlab, &assignee, err);
		if (c != TRACKER_CALL_OK) {
			json_decref(labels);
			json_decref(assignees);
			free(comment);
			*wait_ms = 0;
			return c == TRACKER_CALL_REFUSED ? TRACKER_CALL_REFUSED : TRACKER_CALL_LATER;
		}
		if (assignee > 0)
			handle = xasprintf("@%s", p->gitlab);
		else
			note = "its GitLab username in [people] is no user there, so the issue is "
			       "not assigned";
	}
	lines = tracker_body_lines(in, handle, note);
	if (in->body != NULL) {
		strbuf_adds(&body, in->body);
		if (body.len > 0 && strbuf_str(&body)[body.len - 1] != '\n')
			strbuf_addc(&body, '\n');
		strbuf_addc(&body, '\n');
	} else {
		for (char **l = lines; *l != NULL; l++)
			strbuf_addf(&body, "%s\n\n", *l);
	}
	strbuf_adds(&body, comment);
	strbuf_addc(&body, '\n');
	if (in->body != NULL && in->label != NULL)
		json_array_append_new(labels, json_string(in->label));
	for (size_t i = 0; in->body == NULL && i < t->cfg->gitlab.labels.n; i++)
		json_array_append_new(labels, json_string(t->cfg->gitlab.labels.items[i]));
	if (assignee > 0)
		json_array_append_new(assignees, json_integer(assignee));
	req = json_pack("{s:s, s:s, s:o}", "title", in->title ? in->title : "",
			"description", strbuf_str(&body), "labels", labels);
	if (json_array_size(assignees) > 0)
		json_object_set(req, "assignee_ids", assignees);
	json_decref(assignees);
	ppath = tracker_gitlab_project_path(t);
	path = xasprintf("%s/issues", ppath);
	/* a create is not idempotent: it is never sent twice unseen */
	c = tracker_call(t, "POST", path, req, false, attempt, &resp, wait_ms, err);
	if (c == TRACKER_CALL_OK) {
		if (json_integer_value(json_object_get(resp, "iid")) > 0) {
			issue_from_json(t, resp, out);
		} else {
			err_set(err, "POST %s: GitLab answered without an issue iid", path);
			c = TRACKER_CALL_UNKNOWN;
		}
	}
	json_decref(resp);
	json_decref(req);
	free(path);
	free(ppath);
	strbuf_release(&body);
	free(comment);
	tracker_lines_free(lines);
	free(handle);
	return c;
}

/* "group/sub/proj#12" -> "/projects/group%2Fsub%2Fproj/issues/12". */
static char *
key_path(const char *key)
{
	const char *hash = strrchr(key, '#');
	char *project, *ppath, *path;

	if (hash == NULL || hash == key || hash[1] == '\0' ||
	    strspn(hash + 1, "0123456789") != strlen(hash + 1))
		return NULL;
	project = xstrndup(key, (size_t)(hash - key));
	ppath = project_path(project);
	path = xasprintf("%s/issues/%s", ppath, hash + 1);
	free(ppath);
	free(project);
	return path;
}

static enum tracker_call
gitlab_get(struct tracker *t, const char *key, struct tracker_issue *out, char **err)
{
	char *path = key_path(key);
	int attempt = 0;
	long wait;
	json_t *resp = NULL;
	enum tracker_call c;

	if (path == NULL) {
		err_set(err, "%s is not a GitLab issue key (GROUP/PROJECT#IID)", key);
		return TRACKER_CALL_REFUSED;
	}
	c = tracker_call(t, "GET", path, NULL, true, &attempt, &resp, &wait, err);
	if (c == TRACKER_CALL_OK)
		issue_from_json(t, resp, out);
	json_decref(resp);
	free(path);
	return c;
}

static bool
pick_marked(struct tracker *t, json_t *items, const char *comment, struct tracker_issue *out)
{
	json_t *item;
	size_t i;

	json_array_foreach(items, i, item) {
		const char *d = tracker_json_str(item, "description");

		if (d != NULL && strstr(d, comment) != NULL) {
			issue_from_json(t, item, out);
			return true;
		}
	}
	return false;
}

/* since less an hour (the clocks of client and server differ), escaped
 * for a query (owned); NULL when since is NULL or unreadable. */
static char *
since_early(const char *since)
{
	struct tm tm = { 0 };
	char buf[32];
	time_t when;

	if (since == NULL || strptime(since, "%Y-%m-%dT%H:%M:%SZ", &tm) == NULL)
		return NULL;
	when = timegm(&tm) - 3600;
	gmtime_r(&when, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return http_escape(buf);
}

/* One round of lookups: the project's issues searched in their
 * descriptions for the marker, and the token's own issues created since
 * the first send (GET /issues?scope=created_by_me), a listing that does
 * not depend on any search index. Both are asked even when one fails; the
 * round counts as a miss only when both answered. */
static enum tracker_call
gitlab_find(struct tracker *t, const char *marker, const char *since, bool *found,
	    struct tracker_issue *out, char **err)
{
	char *comment = marker_comment(marker);
	char *q = xasprintf("furikaeri:%s", marker);
	char *eq = http_escape(q);
	char *ppath = tracker_gitlab_project_path(t);
	char *path = xasprintf("%s/issues?search=%s&in=description&state=all&per_page=20", ppath,
			       eq);
	char *esince = since_early(since);
	char *search_err = NULL, *list_err = NULL;
	int attempt = 0;
	long wait;
	json_t *resp = NULL;
	enum tracker_call c, lc = TRACKER_CALL_OK;

	c = tracker_call(t, "GET", path, NULL, true, &attempt, &resp, &wait, &search_err);
	if (c == TRACKER_CALL_OK)
		*found = pick_marked(t, resp, comment, out);
	json_decref(resp);
	resp = NULL;
	free(path);
	for (int page = 1; !*found && page <= 5; page++) {
		size_t n;

		path = xasprintf("/issues?scope=created_by_me&state=all%s%s&order_by=created_at"
				 "&sort=desc&per_page=100&page=%d", esince ? "&created_after=" : "",
				 esince ? esince : "", page);
		attempt = 0;
		free(list_err);
		list_err = NULL;
		lc = tracker_call(t, "GET", path, NULL, true, &attempt, &resp, &wait, &list_err);
		free(path);
		if (lc == TRACKER_CALL_OK)
			*found = pick_marked(t, resp, comment, out);
		n = json_array_size(resp);
		json_decref(resp);
		resp = NULL;
		if (lc != TRACKER_CALL_OK || n < 100)
			break;
	}
	c = tracker_find_outcome(*found, c, lc, search_err, list_err, err);
	free(search_err);
	free(list_err);
	free(esince);
	free(ppath);
	free(eq);
	free(q);
	free(comment);
	return c;
}

static enum tracker_call
gitlab_myself(struct tracker *t, char **who, char **err)
{
	return tracker_whoami(t, "/user", "username", who, err);
}

static bool
has_string(json_t *array, const char *s)
{
	json_t *v;
	size_t i;

	json_array_foreach(array, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

/* doctor: the token's scopes (api, to create issues), the project (and
 * that the token reaches it), and the configured labels. */
enum tracker_result
tracker_gitlab_check(struct tracker *t, char **problems, char **err)
{
	const struct config *cfg = t->cfg;
	struct strbuf sb = STRBUF_INIT;
	int attempt = 0;
	long wait;
	json_t *resp = NULL;
	char *ppath, *path;
	enum tracker_call c;

	*problems = NULL;
	if (t->kind != TRACKER_GITLAB) {
		err_set(err, "the token's scopes and the project are a GitLab check");
		return TRACKER_REFUSED;
	}
	c = tracker_call(t, "GET", "/personal_access_tokens/self", NULL, true, &attempt, &resp,
			 &wait, err);
	if (c != TRACKER_CALL_OK) {
		err_prefix(err, "cannot read the token's scopes");
		return c == TRACKER_CALL_REFUSED ? TRACKER_REFUSED : TRACKER_LATER;
	}
	if (!has_string(json_object_get(resp, "scopes"), "api")) {
		strbuf_adds(&sb, "the token's scopes are");
		{
			json_t *v;
			size_t i;

			json_array_foreach(json_object_get(resp, "scopes"), i, v)
				strbuf_addf(&sb, "%s %s", i ? "," : "", json_string_value(v));
		}
		strbuf_adds(&sb, " without api, which creating issues needs (read_api is enough "
			    "for import only): make a token with the api scope");
	}
	json_decref(resp);
	resp = NULL;
	ppath = tracker_gitlab_project_path(t);
	attempt = 0;
	c = tracker_call(t, "GET", ppath, NULL, true, &attempt, &resp, &wait, err);
	json_decref(resp);
	resp = NULL;
	if (c != TRACKER_CALL_OK) {
		err_prefix(err, "cannot read project %s (is [gitlab] project right, and is the "
			   "token's user a member?)", cfg->gitlab.project);
		free(ppath);
		strbuf_release(&sb);
		return c == TRACKER_CALL_REFUSED ? TRACKER_REFUSED : TRACKER_LATER;
	}
	if (cfg->gitlab.labels.n > 0) {
		path = xasprintf("%s/labels?per_page=100", ppath);
		attempt = 0;
		c = tracker_call(t, "GET", path, NULL, true, &attempt, &resp, &wait, err);
		free(path);
		if (c != TRACKER_CALL_OK) {
			free(ppath);
			strbuf_release(&sb);
			return c == TRACKER_CALL_REFUSED ? TRACKER_REFUSED : TRACKER_LATER;
		}
		for (size_t k = 0; k < cfg->gitlab.labels.n; k++) {
			bool seen = false;
			json_t *v;
			size_t i;

			json_array_foreach(resp, i, v) {
				const char *name = tracker_json_str(v, "name");

				seen = seen || (name != NULL &&
						strcmp(name, cfg->gitlab.labels.items[k]) == 0);
			}
			if (!seen)
				strbuf_addf(&sb, "%sproject %s has no label \"%s\" (GitLab would "
					    "create it on the first issue; add it in the project's "
					    "labels or fix [gitlab] labels)", sb.len ? "; " : "",
					    cfg->gitlab.project, cfg->gitlab.labels.items[k]);
		}
		json_decref(resp);
	}
	free(ppath);
	if (sb.len > 0)
		*problems = strbuf_detach(&sb);
	else
		strbuf_release(&sb);
	return TRACKER_OK;
}

static bool
gitlab_configured(const struct config *cfg)
{
	return cfg != NULL && cfg->gitlab.project != NULL;
}

static char *
gitlab_config_problem(const struct config *cfg, const char *where)
{
	if (cfg->gitlab.project == NULL)
		return xasprintf("GitLab is not configured: set project = GROUP/PROJECT in "
				 "[gitlab] of %s", where);
	return NULL;
}

static const char *
gitlab_url(const struct config *cfg)
{
	return cfg->gitlab.url;
}

/* The API root is url/api/v4; the token goes in PRIVATE-TOKEN (GitLab
 * takes a bearer token too, but PRIVATE-TOKEN is what its description
 * names for personal, group and project access tokens). */
static char *
gitlab_connect(struct tracker *t, const char *token, struct http_options *ho)
{
	(void)ho;
	t->site = tracker_trim_slash(t->cfg->gitlab.url);
	t->base = xasprintf("%s/api/v4", t->site);
	return xasprintf("PRIVATE-TOKEN: %s", token);
}

static const char *
gitlab_advice(long status)
{
	switch (status) {
	case 400:
	case 422:
		return "the server refused the issue's fields; check [gitlab] labels and the "
		       "[people] gitlab: usernames";
	case 401:
		return "the token was not accepted: check GITLAB_TOKEN (or [gitlab] token_file) "
		       "and that it has not expired";
	case 403:
		return "the token lacks the permission for this: it needs the api scope, and "
		       "its user a role that may create issues (Planner or Reporter at least)";
	case 404:
		return "not found: check [gitlab] url and project, and that the token's user "
		       "can see the project";
	default:
		return NULL;
	}
}

static char *
gitlab_describe(const struct tracker *t)
{
	return xasprintf("GitLab: project %s at %s, token present", t->cfg->gitlab.project,
			 t->base);
}

static void
gitlab_doctor(struct tracker *t, struct tracker_checks *c)
{
	char *problems = NULL, *err = NULL;

	if (tracker_gitlab_check(t, &problems, &err) != TRACKER_OK) {
		tracker_check_add(c, false, xasprintf("GitLab: %s", err));
		free(err);
	} else if (problems != NULL) {
		tracker_check_add(c, false, xasprintf("GitLab: %s", problems));
		free(problems);
	} else {
		tracker_check_add(c, true, xasprintf("GitLab: the token has the api scope, project "
						     "%s answers%s", t->cfg->gitlab.project,
						     t->cfg->gitlab.labels.n > 0
						     ? " and has every label in [gitlab] labels" : ""));
	}
}

const struct tracker_ops tracker_gitlab_ops = {
	.name = "GitLab",
	/* The project's issue search (search=, in=description) is a database
	 * query, not the Elasticsearch index of GitLab's global search, and
	 * the token's own issues are read from a listing as for GitHub;
	 * gitlab.com reads from replicas that lag the primary by seconds.
	 * GitHub's 30 s covers that. */
	.recheck_floor_s = 30,
	.configured = gitlab_configured,
	.config_problem = gitlab_config_problem,
	.url = gitlab_url,
	.connect = gitlab_connect,
	.moved_keys = "url and project",
	.advice = gitlab_advice,
	.describe = gitlab_describe,
	.doctor = gitlab_doctor,
	/* "group/proj#12" is GitHub's shape too: never guessed */
	.key_shape = NULL,
	.headers = gitlab_headers,
	.github_limits = false,
	.error_text = gitlab_error_text,
	.create = gitlab_create,
	.get = gitlab_get,
	.find = gitlab_find,
	.lookups_needed = 1,
	.issue = issue_from_json,
	.myself = gitlab_myself,
};
