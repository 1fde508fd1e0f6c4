#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "furikaeri/err.h"
#include "furikaeri/http.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/xalloc.h"
#include "tracker_private.h"

/* GitHub Issues over the REST API (github.com and Enterprise Server). */

static const char *const github_headers[] = {
	/* Prism's copy of the description lists only application/json. */
	"Accept: application/vnd.github+json, application/json",
	"X-GitHub-Api-Version: 2022-11-28",
	NULL,
};

static char *
github_error_text(json_t *body)
{
	struct strbuf sb = STRBUF_INIT;
	const char *msg = tracker_json_str(body, "message");
	json_t *errors = json_object_get(body, "errors");
	size_t i;
	json_t *e;

	if (msg != NULL)
		strbuf_adds(&sb, msg);
	json_array_foreach(errors, i, e) {
		const char *m = json_is_string(e) ? json_string_value(e)
						  : tracker_json_str(e, "message");

		strbuf_adds(&sb, i == 0 ? " (" : "; ");
		if (m != NULL) {
			strbuf_adds(&sb, m);
		} else {
			const char *res = tracker_json_str(e, "resource");
			const char *field = tracker_json_str(e, "field");
			const char *code = tracker_json_str(e, "code");

			strbuf_addf(&sb, "%s%s%s %s", res ? res : "", res && field ? "." : "",
				    field ? field : "", code ? code : "invalid");
			if (json_is_string(json_object_get(e, "value")))
				strbuf_addf(&sb, " \"%s\"", tracker_json_str(e, "value"));
		}
	}
	if (json_array_size(errors) > 0)
		strbuf_addc(&sb, ')');
	if (sb.len == 0) {
		/* adding "" may still have allocated */
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

static void
issue_from_json(struct tracker *t, json_t *j, struct tracker_issue *out)
{
	json_int_t number = json_integer_value(json_object_get(j, "number"));
	const char *state = tracker_json_str(j, "state");
	const char *url = tracker_json_str(j, "html_url");

	out->key = xasprintf("%s#%lld", t->cfg->github.repo, (long long)number);
	out->url = xstrdup_or_null(url);
	const char *reason = tracker_json_str(j, "state_reason");

	out->done = state != NULL && strcmp(state, "closed") == 0;
	out->dropped = out->done && reason != NULL &&
		       (strcmp(reason, "not_planned") == 0 || strcmp(reason, "duplicate") == 0);
	if (out->dropped)
		out->status = xasprintf("closed as %s", strcmp(reason, "duplicate") == 0
					? "duplicate" : "not planned");
	else
		out->status = xstrdup(state ? state : "open");
}

static enum tracker_call
github_create(struct tracker *t, const struct tracker_input *in, int *attempt,
	      struct tracker_issue *out, long *wait_ms, char **err)
{
	const struct config_person *p = config_person(t->cfg, in->owner);
	char *handle = p && p->github ? xasprintf("@%s", p->github) : NULL;
	char **lines = tracker_body_lines(in, handle, "no GitHub login in [people], so the "
					  "issue is not assigned");
	char *comment = marker_comment(in->marker);
	struct strbuf body = STRBUF_INIT;
	json_t *labels = json_array(), *assignees = json_array(), *req, *resp = NULL;
	char *path = xasprintf("/repos/%s/issues", t->cfg->github.repo);
	enum tracker_call c;

	if (in->body != NULL) {
		/* a postmortem as an issue: its template as it is, then the marker */
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
	for (size_t i = 0; in->body == NULL && i < t->cfg->github.labels.n; i++)
		json_array_append_new(labels, json_string(t->cfg->github.labels.items[i]));
	if (in->body == NULL && p != NULL && p->github != NULL)
		json_array_append_new(assignees, json_string(p->github));
	req = json_pack("{s:s, s:s, s:o, s:o}", "title", in->title ? in->title : "",
			"body", strbuf_str(&body), "labels", labels, "assignees", assignees);
	/* a create is not idempotent: it is never sent twice unseen */
	c = tracker_call(t, "POST", path, req, false, attempt, &resp, wait_ms, err);
	if (c == TRACKER_CALL_OK) {
		if (json_integer_value(json_object_get(resp, "number")) > 0) {
			issue_from_json(t, resp, out);
		} else {
			err_set(err, "POST %s: GitHub answered without an issue number", path);
			c = TRACKER_CALL_UNKNOWN;
		}
	}
	json_decref(resp);
	json_decref(req);
	free(path);
	strbuf_release(&body);
	free(comment);
	tracker_lines_free(lines);
	free(handle);
	return c;
}

/* "acme/pay#812" -> "/repos/acme/pay/issues/812". */
static char *
key_path(const char *key)
{
	const char *hash = strrchr(key, '#');

	if (hash == NULL || hash == key || hash[1] == '\0')
		return NULL;
	return xasprintf("/repos/%.*s/issues/%s", (int)(hash - key), key, hash + 1);
}

static enum tracker_call
github_get(struct tracker *t, const char *key, struct tracker_issue *out, char **err)
{
	char *path = key_path(key);
	int attempt = 0;
	long wait;
	json_t *resp = NULL;
	enum tracker_call c;

	if (path == NULL) {
		err_set(err, "%s is not a GitHub issue key (OWNER/REPO#NUMBER)", key);
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
body_has_marker(json_t *issue, const char *comment)
{
	const char *body = tracker_json_str(issue, "body");

	return body != NULL && strstr(body, comment) != NULL;
}

static bool
pick_marked(struct tracker *t, json_t *items, const char *comment, struct tracker_issue *out)
{
	json_t *item;
	size_t i;

	json_array_foreach(items, i, item) {
		if (body_has_marker(item, comment)) {
			issue_from_json(t, item, out);
			return true;
		}
	}
	return false;
}

static enum tracker_call github_myself(struct tracker *t, char **who, char **err);

/* One round of lookups: the issue search (its current engine), which lags
 * a new issue, and the token's own issues created since the first send,
 * which a listing returns consistently. Both are asked even when one
 * fails; the round counts as a miss only when both answered. */
static enum tracker_call
github_find(struct tracker *t, const char *marker, const char *since, bool *found,
	    struct tracker_issue *out, char **err)
{
	char *comment = marker_comment(marker);
	char *q = xasprintf("\"furikaeri:%s\" in:body repo:%s is:issue", marker,
			    t->cfg->github.repo);
	char *eq = http_escape(q);
	char *path = xasprintf("/search/issues?q=%s&advanced_search=true&per_page=10", eq);
	char *search_err = NULL, *list_err = NULL;
	int attempt = 0;
	long wait;
	json_t *resp = NULL;
	enum tracker_call c, lc = TRACKER_CALL_OK;

	c = tracker_call(t, "GET", path, NULL, true, &attempt, &resp, &wait, &search_err);
	if (c == TRACKER_CALL_OK)
		*found = pick_marked(t, json_object_get(resp, "items"), comment, out);
	json_decref(resp);
	resp = NULL;
	free(path);
	if (!*found && t->login == NULL) {
		char *who = NULL;

		lc = github_myself(t, &who, &list_err);
		if (lc == TRACKER_CALL_OK) {
			t->login = who;
		} else if (lc == TRACKER_CALL_REFUSED) {
			/* a GitHub App's token has no user: list everyone's */
			t->login = xstrdup("");
			free(list_err);
			list_err = NULL;
		}
	}
	for (int page = 1; !*found && t->login != NULL && page <= 5; page++) {
		char *elogin = http_escape(t->login);
		char *esince = NULL;
		const char *by = t->login[0] != '\0' ? "creator=" : "";

		if (since != NULL) {
			/* an hour early: the clocks of client and server differ */
			struct tm tm = { 0 };
			char buf[32] = "";

			if (strptime(since, "%Y-%m-%dT%H:%M:%SZ", &tm) != NULL) {
				time_t when = timegm(&tm) - 3600;

				gmtime_r(&when, &tm);
				strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
				esince = http_escape(buf);
			}
		}
		path = xasprintf("/repos/%s/issues?%s%s%sstate=all%s%s&sort=created"
				 "&direction=desc&per_page=100&page=%d", t->cfg->github.repo, by, elogin,
				 by[0] != '\0' ? "&" : "", esince ? "&since=" : "", esince ? esince : "",
				 page);
		attempt = 0;
		free(list_err);
		list_err = NULL;
		lc = tracker_call(t, "GET", path, NULL, true, &attempt, &resp, &wait, &list_err);
		free(path);
		free(elogin);
		free(esince);
		if (lc == TRACKER_CALL_OK)
			*found = pick_marked(t, resp, comment, out);
		{
			size_t n = json_array_size(resp);

			json_decref(resp);
			resp = NULL;
			if (lc != TRACKER_CALL_OK || n < 100)
				break;
		}
	}
	c = tracker_find_outcome(*found, c, lc, search_err, list_err, err);
	free(search_err);
	free(list_err);
	free(eq);
	free(q);
	free(comment);
	return c;
}

static enum tracker_call
github_myself(struct tracker *t, char **who, char **err)
{
	return tracker_whoami(t, "/user", "login", who, err);
}

static bool
github_configured(const struct config *cfg)
{
	return cfg != NULL && cfg->github.repo != NULL;
}

static char *
github_config_problem(const struct config *cfg, const char *where)
{
	if (cfg->github.repo == NULL)
		return xasprintf("GitHub is not configured: set repo = OWNER/REPO in [github] of %s",
				 where);
	return NULL;
}

static const char *
github_url(const struct config *cfg)
{
	return cfg->github.url;
}

static char *
github_connect(struct tracker *t, const char *token, struct http_options *ho)
{
	(void)ho;
	t->base = tracker_trim_slash(t->cfg->github.url);
	return xasprintf("Authorization: Bearer %s", token);
}

static const char *
github_advice(long status)
{
	switch (status) {
	case 400:
	case 422:
		return "the server refused the issue's fields; check [github] labels and the "
		       "[people] logins";
	case 401:
		return "the token was not accepted: check GITHUB_TOKEN (or GH_TOKEN, or [github] "
		       "token_file)";
	case 404:
		return "not found: check [github] url and repo, and that the token can see the "
		       "repository";
	case 410:
		return "gone: issues may be disabled for this repository";
	default:
		return NULL;
	}
}

static char *
github_describe(const struct tracker *t)
{
	return xasprintf("GitHub: repository %s at %s, token present", t->cfg->github.repo,
			 t->base);
}

/* "OWNER/REPO#N" */
static bool
github_key_shape(const char *key)
{
	return strchr(key, '/') != NULL && strchr(key, '#') != NULL;
}

const struct tracker_ops tracker_github_ops = {
	.name = "GitHub",
	/* The issue search is an index GitHub gives no figure for
	 * (docs.github.com, REST API endpoints for search); issue threads
	 * report new issues missing for "tens of seconds" and longer under
	 * load. The lookup does not rest on it: the token's own issues since
	 * the first create are read from a consistent listing as well. */
	.recheck_floor_s = 30,
	.configured = github_configured,
	.config_problem = github_config_problem,
	.url = github_url,
	.connect = github_connect,
	.moved_keys = "url and repo",
	.advice = github_advice,
	.describe = github_describe,
	.key_shape = github_key_shape,
	.headers = github_headers,
	.github_limits = true,
	.error_text = github_error_text,
	.create = github_create,
	.get = github_get,
	.find = github_find,
	.lookups_needed = 1,
	.issue = issue_from_json,
	.myself = github_myself,
};
