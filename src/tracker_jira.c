#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "furikaeri/err.h"
#include "furikaeri/http.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"
#include "tracker_private.h"

/* Jira Cloud (REST v3: Atlassian Document Format, Basic email:token) and
 * Jira Data Center / Server (REST v2: plain text, Bearer personal access
 * token). The marker travels as a label. */

static const char *const jira_headers[] = {
	"Accept: application/json",
	NULL,
};

static char *
jira_error_text(json_t *body)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *msgs = json_object_get(body, "errorMessages");
	json_t *errors = json_object_get(body, "errors");
	const char *k;
	json_t *v;
	size_t i;

	json_array_foreach(msgs, i, v) {
		if (json_is_string(v))
			strbuf_addf(&sb, "%s%s", sb.len ? "; " : "", json_string_value(v));
	}
	json_object_foreach(errors, k, v) {
		if (json_is_string(v))
			strbuf_addf(&sb, "%s%s: %s", sb.len ? "; " : "", k, json_string_value(v));
	}
	if (sb.len == 0 && tracker_json_str(body, "message") != NULL)
		strbuf_adds(&sb, tracker_json_str(body, "message"));
	if (sb.len == 0) {
		/* adding "" may still have allocated */
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}

static json_t *
adf_text(const char *text, const char *href)
{
	json_t *node = json_pack("{s:s, s:s}", "type", "text", "text", text);

	if (href != NULL)
		json_object_set_new(node, "marks", json_pack("[{s:s, s:{s:s}}]", "type", "link",
							     "attrs", "href", href));
	return node;
}

/* One paragraph per line; the source becomes a link when it is a URL. */
static json_t *
adf_doc(char **lines, const char *source)
{
	json_t *content = json_array();

	for (char **l = lines; *l != NULL; l++) {
		json_t *para = json_array();

		if (source != NULL && text_starts_with(*l, "Source: ") &&
		    (text_starts_with(source, "https://") || text_starts_with(source, "http://"))) {
			json_array_append_new(para, adf_text("Source: ", NULL));
			json_array_append_new(para, adf_text(source, source));
		} else {
			json_array_append_new(para, adf_text(*l, NULL));
		}
		json_array_append_new(content, json_pack("{s:s, s:o}", "type", "paragraph",
							 "content", para));
	}
	return json_pack("{s:s, s:i, s:o}", "type", "doc", "version", 1, "content", content);
}

/* The non-empty lines of a postmortem's body (tracker_lines_free). */
static char **
body_lines(const char *body)
{
	char **lines = xcalloc(1, sizeof(*lines));
	size_t n = 0;

	while (*body != '\0') {
		size_t len = strcspn(body, "\n");

		if (len > 0 && !(len == 1 && body[0] == '\r')) {
			lines = xreallocarray(lines, n + 2, sizeof(*lines));
			lines[n++] = xstrndup(body, len - (body[len - 1] == '\r'));
			lines[n] = NULL;
		}
		body += len;
		if (*body == '\n')
			body++;
	}
	return lines;
}

bool
tracker_jira_resolution_dropped(const char *name)
{
	/* Resolutions for work that was not done: Jira's defaults and the
	 * names teams commonly add. */
	static const char *const dropped[] = {
		"Won't Do", "Won't Fix", "Duplicate", "Cannot Reproduce", "Declined",
		"Incomplete", "Obsolete", "Not a Bug", "Rejected", "Abandoned",
	};
	char *norm = xstrdup(name);

	/* "Won’t Do" with a typographic apostrophe reads the same */
	for (char *p = strstr(norm, "\xe2\x80\x99"); p != NULL; p = strstr(norm, "\xe2\x80\x99")) {
		*p = '\'';
		memmove(p + 1, p + 3, strlen(p + 3) + 1);
	}
	for (size_t i = 0; i < sizeof(dropped) / sizeof(dropped[0]); i++) {
		if (text_casecmp(norm, dropped[i]) == 0) {
			free(norm);
			return true;
		}
	}
	free(norm);
	return false;
}

/* Jira's summary is one line of at most 255 characters; the whole text is
 * in the description. */
static char *
summary_of(const char *title)
{
	struct strbuf sb = STRBUF_INIT;
	size_t chars = 0;
	const unsigned char *p = (const unsigned char *)(title ? title : "");

	while (*p != '\0' && chars < 255) {
		size_t len = 1;

		if (*p >= 0xf0)
			len = 4;
		else if (*p >= 0xe0)
			len = 3;
		else if (*p >= 0xc0)
			len = 2;
		if (*p == '\n' || *p == '\r' || *p == '\t') {
			if (sb.len > 0 && sb.buf[sb.len - 1] != ' ')
				strbuf_addc(&sb, ' ');
			else if (sb.len == 0)
				chars--;
		} else {
			for (size_t i = 0; i < len && p[i] != '\0'; i++)
				strbuf_addc(&sb, (char)p[i]);
		}
		chars++;
		for (size_t i = 0; i < len && *p != '\0'; i++)
			p++;
	}
	if (*p != '\0' && chars >= 255) {
		/* cut on a character, and say it was cut */
		size_t n = sb.len;
		int dropped = 0;

		while (n > 0 && dropped < 1) {
			n--;
			if (((unsigned char)sb.buf[n] & 0xc0) != 0x80)
				dropped++;
		}
		sb.len = n;
		sb.buf[n] = '\0';
		strbuf_adds(&sb, "\xe2\x80\xa6");
	}
	while (sb.len > 0 && sb.buf[sb.len - 1] == ' ')
		sb.buf[--sb.len] = '\0';
	return strbuf_detach(&sb);
}

/* Data Center's descriptions are wiki markup: characters that would format
 * (*bold*, _italic_, -strike-, {macro}, [link], |table|, !image!, # list)
 * are escaped with a backslash; a URL is left whole so that it still links. */
static void
wiki_escape(struct strbuf *sb, const char *s)
{
	for (const char *p = s; *p != '\0'; p++) {
		if ((p == s || p[-1] == ' ') &&
		    (text_starts_with(p, "https://") || text_starts_with(p, "http://"))) {
			size_t n = strcspn(p, " ");

			strbuf_add(sb, p, n);
			p += n - 1;
			continue;
		}
		if (strchr("\\*_+^~?-{}[]|!#", *p) != NULL)
			strbuf_addc(sb, '\\');
		strbuf_addc(sb, *p);
	}
}

static void
issue_from_json(struct tracker *t, json_t *j, struct tracker_issue *out)
{
	const char *key = tracker_json_str(j, "key");
	json_t *status = json_object_get(json_object_get(j, "fields"), "status");
	const char *cat = tracker_json_str(json_object_get(status, "statusCategory"), "key");
	const char *name = tracker_json_str(status, "name");

	out->key = xstrdup(key ? key : "?");
	out->url = xasprintf("%s/browse/%s", t->site, out->key);
	const char *resolution = tracker_json_str(json_object_get(json_object_get(j, "fields"),
								  "resolution"), "name");

	out->done = cat != NULL && strcmp(cat, "done") == 0;
	out->dropped = out->done && resolution != NULL && tracker_jira_resolution_dropped(resolution);
	if (resolution != NULL && out->done)
		out->status = xasprintf("%s (%s)", name ? name : cat, resolution);
	else
		out->status = xstrdup_or_null(name ? name : cat);
}

static enum tracker_call
jira_create(struct tracker *t, const struct tracker_input *in, int *attempt,
	    struct tracker_issue *out, long *wait_ms, char **err)
{
	const struct config *cfg = t->cfg;
	const struct config_person *p = config_person(cfg, in->owner);
	const char *account = p ? p->jira : NULL;
	char **lines = tracker_body_lines(in, account ? "assigned" : NULL,
					  "no Jira account in [people], so the issue is not "
					  "assigned");
	char *label = tracker_marker_label(in->marker);
	const char *priority = config_priority_for(cfg, in->pm_severity);
	json_t *fields = json_object(), *labels = json_array(), *req, *resp = NULL;
	enum tracker_call c;

	json_object_set_new(fields, "project", json_pack("{s:s}", "key", cfg->jira.project));
	json_object_set_new(fields, "issuetype", json_pack("{s:s}", "name", cfg->jira.issuetype));
	{
		char *summary = summary_of(in->title);

		json_object_set_new(fields, "summary", json_string(summary));
		free(summary);
	}
	if (in->body != NULL) {
		/* a postmortem as an issue: its template, a paragraph a line */
		char **blines = body_lines(in->body);

		if (cfg->jira.api == 3) {
			json_object_set_new(fields, "description", adf_doc(blines, NULL));
		} else {
			struct strbuf sb = STRBUF_INIT;

			for (char **l = blines; *l != NULL; l++) {
				if (sb.len > 0)
					strbuf_addc(&sb, '\n');
				strbuf_adds(&sb, *l);
			}
			json_object_set_new(fields, "description", json_string(strbuf_str(&sb)));
			strbuf_release(&sb);
		}
		tracker_lines_free(blines);
	} else if (cfg->jira.api == 3) {
		json_object_set_new(fields, "description", adf_doc(lines, in->pm_source));
	} else {
		struct strbuf sb = STRBUF_INIT;

		for (char **l = lines; *l != NULL; l++) {
			if (sb.len > 0)
				strbuf_adds(&sb, "\n\n");
			wiki_escape(&sb, *l);
		}
		json_object_set_new(fields, "description", json_string(strbuf_str(&sb)));
		strbuf_release(&sb);
	}
	if (in->body != NULL && in->label != NULL)
		json_array_append_new(labels, json_string(in->label));
	for (size_t i = 0; in->body == NULL && i < cfg->jira.labels.n; i++)
		json_array_append_new(labels, json_string(cfg->jira.labels.items[i]));
	if (cfg->jira.components.n > 0) {
		json_t *comps = json_array();

		for (size_t i = 0; i < cfg->jira.components.n; i++)
			json_array_append_new(comps, json_pack("{s:s}", "name",
							       cfg->jira.components.items[i]));
		json_object_set_new(fields, "components", comps);
	}
	if (priority != NULL)
		json_object_set_new(fields, "priority", json_pack("{s:s}", "name", priority));
	if (account != NULL)
		json_object_set_new(fields, "assignee",
				    json_pack("{s:s}", cfg->jira.api == 3 ? "accountId" : "name",
					      account));
	if (cfg->jira.fields != NULL) {
		json_t *extra = json_loads(cfg->jira.fields, 0, NULL);

		if (json_is_object(extra)) {
			json_t *more = json_object_get(extra, "labels");
			json_t *v;
			size_t i;

			/* the team's labels join the marker's; they never replace it */
			json_array_foreach(more, i, v)
				json_array_append(labels, v);
			json_object_del(extra, "labels");
			json_object_update(fields, extra);
		}
		json_decref(extra);
	}
	{
		json_t *uniq = json_array(), *v, *w;
		size_t i, k;
		bool seen;

		json_array_append_new(labels, json_string(label));
		json_array_foreach(labels, i, v) {
			seen = false;
			json_array_foreach(uniq, k, w)
				seen |= json_equal(v, w);
			if (!seen)
				json_array_append(uniq, v);
		}
		json_decref(labels);
		json_object_set_new(fields, "labels", uniq);
	}
	req = json_pack("{s:o}", "fields", fields);
	/* a create is not idempotent: it is never sent twice unseen */
	c = tracker_call(t, "POST", "/issue", req, false, attempt, &resp, wait_ms, err);
	if (c == TRACKER_CALL_OK) {
		if (tracker_json_str(resp, "key") != NULL) {
			issue_from_json(t, resp, out);
		} else {
			err_set(err, "POST /rest/api/%d/issue: Jira answered without an issue key",
				cfg->jira.api);
			c = TRACKER_CALL_UNKNOWN;
		}
	}
	json_decref(resp);
	json_decref(req);
	free(label);
	tracker_lines_free(lines);
	return c;
}

static enum tracker_call
jira_get(struct tracker *t, const char *key, struct tracker_issue *out, char **err)
{
	char *ekey = http_escape(key);
	char *path = xasprintf("/issue/%s?fields=status,resolution", ekey);
	int attempt = 0;
	long wait;
	json_t *resp = NULL;
	enum tracker_call c = tracker_call(t, "GET", path, NULL, true, &attempt, &resp, &wait, err);

	if (c == TRACKER_CALL_OK)
		issue_from_json(t, resp, out);
	json_decref(resp);
	free(path);
	free(ekey);
	return c;
}

static bool
has_label(json_t *issue, const char *label)
{
	json_t *labels = json_object_get(json_object_get(issue, "fields"), "labels");
	json_t *v;
	size_t i;

	json_array_foreach(labels, i, v) {
		if (json_is_string(v) && strcmp(json_string_value(v), label) == 0)
			return true;
	}
	return false;
}

static enum tracker_call
jira_find(struct tracker *t, const char *marker, const char *since, bool *found,
	  struct tracker_issue *out, char **err)
{
	char *label = tracker_marker_label(marker);
	char *jql = xasprintf("labels = \"%s\"", label);
	char *ejql = http_escape(jql);
	/* Cloud removed GET /search for /search/jql; Data Center has only /search. */
	char *path = xasprintf("%s?jql=%s&fields=status,labels,resolution&maxResults=10",
			       t->cfg->jira.api == 3 ? "/search/jql" : "/search", ejql);
	int attempt = 0;
	long wait;
	json_t *resp = NULL, *item;
	size_t i;
	enum tracker_call c = tracker_call(t, "GET", path, NULL, true, &attempt, &resp, &wait, err);

	if (c == TRACKER_CALL_OK) {
		json_array_foreach(json_object_get(resp, "issues"), i, item) {
			if (has_label(item, label)) {
				issue_from_json(t, item, out);
				*found = true;
				break;
			}
		}
	}
	(void)since;
	json_decref(resp);
	free(path);
	free(ejql);
	free(jql);
	free(label);
	return c;
}

static enum tracker_call
jira_myself(struct tracker *t, char **who, char **err)
{
	int attempt = 0;
	long wait;
	json_t *resp = NULL;
	enum tracker_call c = tracker_call(t, "GET", "/myself", NULL, true, &attempt, &resp, &wait,
					   err);

	if (c == TRACKER_CALL_OK) {
		const char *name = tracker_json_str(resp, "displayName");

		if (name == NULL)
			name = tracker_json_str(resp, "name");
		if (name == NULL)
			name = tracker_json_str(resp, "accountId");
		*who = xstrdup(name ? name : "(no name in the answer)");
	}
	json_decref(resp);
	return c;
}

/* Cloud pages list under issueTypes / fields, Data Center under values. */
static json_t *
page_items(json_t *page, const char *cloud_key)
{
	json_t *a = json_object_get(page, cloud_key);

	if (!json_is_array(a))
		a = json_object_get(page, "values");
	if (!json_is_array(a))
		a = json_object_get(page, "results");
	return a;
}

static bool
we_set(const struct config *cfg, const char *id)
{
	static const char *const always[] = {
		"project", "issuetype", "summary", "description", "labels", "reporter",
	};
	json_t *extra;
	bool in_extra;

	for (size_t i = 0; i < sizeof(always) / sizeof(always[0]); i++)
		if (strcmp(id, always[i]) == 0)
			return true;
	if (strcmp(id, "components") == 0)
		return cfg->jira.components.n > 0;
	if (strcmp(id, "priority") == 0)
		return cfg->jira.n_priorities > 0;
	if (cfg->jira.fields == NULL)
		return false;
	extra = json_loads(cfg->jira.fields, 0, NULL);
	in_extra = json_object_get(extra, id) != NULL;
	json_decref(extra);
	return in_extra;
}

enum tracker_result
tracker_jira_check_create(struct tracker *t, char **problems, char **err)
{
	const struct config *cfg = t->cfg;
	char *eproj, *path;
	int attempt = 0;
	long wait;
	json_t *resp = NULL, *v;
	const char *type_id = NULL;
	char *type_id_copy = NULL;
	struct strbuf sb = STRBUF_INIT;
	enum tracker_call c;
	size_t i;

	*problems = NULL;
	if (t->kind != TRACKER_JIRA) {
		err_set(err, "create metadata is a Jira check");
		return TRACKER_REFUSED;
	}
	eproj = http_escape(cfg->jira.project);
	path = xasprintf("/issue/createmeta/%s/issuetypes?maxResults=200", eproj);
	c = tracker_call(t, "GET", path, NULL, true, &attempt, &resp, &wait, err);
	free(path);
	if (c != TRACKER_CALL_OK) {
		err_prefix(err, "cannot read the issue types of project %s (is [jira] project "
			   "right, and may the token create issues there?)", cfg->jira.project);
		free(eproj);
		return c == TRACKER_CALL_REFUSED ? TRACKER_REFUSED : TRACKER_LATER;
	}
	json_array_foreach(page_items(resp, "issueTypes"), i, v) {
		const char *name = tracker_json_str(v, "name");

		if (name != NULL && text_casecmp(name, cfg->jira.issuetype) == 0)
			type_id = tracker_json_str(v, "id");
	}
	if (type_id == NULL) {
		strbuf_addf(&sb, "project %s has no issue type \"%s\"; the types there are",
			    cfg->jira.project, cfg->jira.issuetype);
		json_array_foreach(page_items(resp, "issueTypes"), i, v)
			strbuf_addf(&sb, "%s \"%s\"", i ? "," : "", tracker_json_str(v, "name"));
		strbuf_adds(&sb, "; set [jira] issuetype to one of them");
		*problems = strbuf_detach(&sb);
		json_decref(resp);
		free(eproj);
		return TRACKER_OK;
	}
	type_id_copy = http_escape(type_id);
	json_decref(resp);
	resp = NULL;
	attempt = 0;
	path = xasprintf("/issue/createmeta/%s/issuetypes/%s?maxResults=200", eproj, type_id_copy);
	c = tracker_call(t, "GET", path, NULL, true, &attempt, &resp, &wait, err);
	free(path);
	free(eproj);
	free(type_id_copy);
	if (c != TRACKER_CALL_OK)
		return c == TRACKER_CALL_REFUSED ? TRACKER_REFUSED : TRACKER_LATER;
	json_array_foreach(page_items(resp, "fields"), i, v) {
		const char *id = tracker_json_str(v, "fieldId");
		const char *name = tracker_json_str(v, "name");

		if (id == NULL || !json_is_true(json_object_get(v, "required")) ||
		    json_is_true(json_object_get(v, "hasDefaultValue")) || we_set(cfg, id))
			continue;
		strbuf_addf(&sb, "%s\"%s\" (%s)", sb.len ? ", " : "", name ? name : id, id);
	}
	if (sb.len > 0) {
		char *list = strbuf_detach(&sb);

		*problems = xasprintf("the create screen of %s in project %s requires %s, which "
				      "furikaeri does not set; add them to [jira] fields (or "
				      "components / priority_map)", cfg->jira.issuetype,
				      cfg->jira.project, list);
		free(list);
	}
	json_decref(resp);
	return TRACKER_OK;
}

static bool
jira_configured(const struct config *cfg)
{
	return cfg != NULL && cfg->jira.url != NULL;
}

static char *
jira_config_problem(const struct config *cfg, const char *where)
{
	if (cfg->jira.url == NULL || cfg->jira.project == NULL)
		return xasprintf("Jira is not configured: set url and project in [jira] of %s",
				 where);
	if (cfg->jira.api == 3 && cfg->jira.email == NULL)
		return xasprintf("Jira Cloud needs the account's email for its API token: set "
				 "email in [jira] of %s (or api = 2 for Data Center with a personal "
				 "access token)", where);
	return NULL;
}

static const char *
jira_url(const struct config *cfg)
{
	return cfg->jira.url;
}

/* Jira Cloud takes the email and the API token as Basic credentials, which
 * libcurl encodes and sends itself; Data Center a bearer token. */
static char *
jira_connect(struct tracker *t, const char *token, struct http_options *ho)
{
	t->site = tracker_trim_slash(t->cfg->jira.url);
	t->base = xasprintf("%s/rest/api/%d", t->site, t->cfg->jira.api);
	if (t->cfg->jira.api == 3) {
		ho->username = t->cfg->jira.email;
		ho->password = token;
		return NULL;
	}
	return xasprintf("Authorization: Bearer %s", token);
}

static const char *
jira_advice(long status)
{
	switch (status) {
	case 400:
	case 422:
		return "the server refused the issue's fields; check [jira] issuetype, components, "
		       "priority_map, fields and the [people] account ids (furikaeri doctor shows "
		       "what the create screen requires)";
	case 401:
		return "the token was not accepted: check JIRA_API_TOKEN (or [jira] token_file) "
		       "and, for Jira Cloud, [jira] email";
	case 404:
		return "not found: check [jira] url, api and project";
	default:
		return NULL;
	}
}

static char *
jira_describe(const struct tracker *t)
{
	return xasprintf("Jira: project %s at %s (REST v%d), token present", t->cfg->jira.project,
			 t->site, t->cfg->jira.api);
}

static void
jira_doctor(struct tracker *t, struct tracker_checks *c)
{
	char *problems = NULL, *err = NULL;

	if (tracker_jira_check_create(t, &problems, &err) != TRACKER_OK) {
		tracker_check_add(c, false, xasprintf("Jira: %s", err));
		free(err);
	} else if (problems != NULL) {
		tracker_check_add(c, false, xasprintf("Jira: %s", problems));
		free(problems);
	} else {
		tracker_check_add(c, true, xasprintf("Jira: project %s has issue type %s and every "
						     "field its create screen requires is set",
						     t->cfg->jira.project, t->cfg->jira.issuetype));
	}
}

/* "PROJ-123" */
static bool
jira_key_shape(const char *k)
{
	const char *dash = strrchr(k, '-');

	return dash != NULL && dash > k && dash[1] != '\0' &&
	       strspn(dash + 1, "0123456789") == strlen(dash + 1) &&
	       strspn(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == (size_t)(dash - k);
}

const struct tracker_ops tracker_jira_ops = {
	.name = "Jira",
	/* search/jql is eventually consistent; Atlassian's "Search after write
	 * with search and reconcile"
	 * (https://developer.atlassian.com/cloud/jira/platform/search-and-reconcile)
	 * says the delay "might vary from a few seconds to minutes" and that
	 * most changes show "within seconds". 60 s between lookups, and the
	 * two lookups a resend needs, cover the common case twice over and
	 * reach into minutes. (Data Center's search is its own index, updated
	 * as the issue is written; the same floor does no harm there.) */
	.recheck_floor_s = 60,
	.configured = jira_configured,
	.config_problem = jira_config_problem,
	.url = jira_url,
	.connect = jira_connect,
	.moved_keys = "url",
	.advice = jira_advice,
	.describe = jira_describe,
	.doctor = jira_doctor,
	.key_shape = jira_key_shape,
	.headers = jira_headers,
	.github_limits = false,
	.error_text = jira_error_text,
	.create = jira_create,
	.get = jira_get,
	.find = jira_find,
	.lookups_needed = 2,
	.issue = issue_from_json,
	.myself = jira_myself,
};
