#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "furikaeri/err.h"
#include "furikaeri/md_adf_write.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/xalloc.h"
#include "tracker_private.h"

/* Confluence Cloud's REST v2 (/wiki/api/v2), Basic email:token as Jira
 * Cloud: the client the Confluence source reads pages with, and where
 * `new --to confluence` creates a postmortem as a page (POST /pages, its
 * body an Atlassian document) under [confluence] parent in [confluence]
 * space. The marker travels in the page as the last row of its field
 * table ("furikaeri", marker); a lookup reads the space's pages created
 * since the first create went out, newest first, from a consistent
 * listing (not a search index), and looks for it. Only postmortems go
 * here: a measure's ticket is refused. */

/* A lookup reads this many of the newest pages, and those created up to
 * this long before the first create went out (clocks differ). */
#define CONF_FIND_PAGE 100
#define CONF_FIND_SLACK_S 600

static const char *const confluence_headers[] = {
	"Accept: application/json",
	NULL,
};

/* v2 answers errors as {"errors": [{"status", "code", "title", "detail"}]};
 * some gateways as {"message": ...}. */
static char *
confluence_error_text(json_t *body)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *e;
	size_t i;

	json_array_foreach(json_object_get(body, "errors"), i, e) {
		const char *title = tracker_json_str(e, "title");
		const char *detail = tracker_json_str(e, "detail");
		const char *code = tracker_json_str(e, "code");
		const char *what = detail != NULL ? detail : title != NULL ? title : code;

		if (what != NULL)
			strbuf_addf(&sb, "%s%s", sb.len ? "; " : "", what);
	}
	if (sb.len == 0 && tracker_json_str(body, "message") != NULL)
		strbuf_adds(&sb, tracker_json_str(body, "message"));
	/* RFC 7807 problem details, as some gateways answer */
	if (sb.len == 0 && tracker_json_str(body, "detail") != NULL)
		strbuf_adds(&sb, tracker_json_str(body, "detail"));
	if (sb.len == 0 && tracker_json_str(body, "title") != NULL)
		strbuf_adds(&sb, tracker_json_str(body, "title"));
	if (sb.len == 0) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}

/* The id of [confluence] space (owned), or NULL with the call's result. */
static char *
space_id(struct tracker *t, enum tracker_call *c, char **err)
{
	const char *key = t->cfg->confluence.space;
	char *ekey, *path, *id = NULL;
	int attempt = 0;
	long wait;
	json_t *resp = NULL;

	if (key == NULL || key[0] == '\0') {
		err_set(err, "Confluence: no space to put the page in: set space = KEY in "
			"[confluence] of %s", t->cfg->path ? t->cfg->path : "the config file");
		*c = TRACKER_CALL_REFUSED;
		return NULL;
	}
	ekey = http_escape(key);
	path = xasprintf("/spaces?keys=%s&limit=1", ekey);
	*c = tracker_call(t, "GET", path, NULL, true, &attempt, &resp, &wait, err);
	if (*c == TRACKER_CALL_OK) {
		const char *v = tracker_json_str(json_array_get(json_object_get(resp, "results"), 0),
						 "id");
		if (v != NULL) {
			id = xstrdup(v);
		} else {
			err_set(err, "GET /wiki/api/v2%s: Confluence has no space with the key %s "
				"that the account can see; check [confluence] space", path, key);
			*c = TRACKER_CALL_REFUSED;
		}
	}
	json_decref(resp);
	free(path);
	free(ekey);
	return id;
}

static void
page_from_json(struct tracker *t, json_t *j, struct tracker_issue *out)
{
	const char *id = tracker_json_str(j, "id");
	const char *webui = tracker_json_str(json_object_get(j, "_links"), "webui");

	out->key = xasprintf("page-%s", id ? id : "?");
	out->url = webui != NULL ? xasprintf("%s/wiki%s", t->site, webui)
				 : xasprintf("%s/wiki/pages/viewpage.action?pageId=%s", t->site,
					     id ? id : "");
	out->status = xstrdup_or_null(tracker_json_str(j, "status"));
}

/* The page's document: the postmortem's, its field table (made first when
 * the text has no front matter) ending with the marker's row. Owned. */
static char *
page_body(const char *body, const char *marker)
{
	json_t *doc = md_adf_write(body, strlen(body));
	json_t *content = json_object_get(doc, "content");
	json_t *first = json_array_get(content, 0), *table = first;
	const char *type = tracker_json_str(first, "type");

	if (type == NULL || strcmp(type, "table") != 0) {
		table = json_pack("{s:s, s:{s:b, s:s}, s:[]}", "type", "table", "attrs",
				  "isNumberColumnEnabled", 0, "layout", "default", "content");
		json_array_insert_new(content, 0, table);
	}
	json_array_append_new(json_object_get(table, "content"),
			      json_pack("{s:s, s:[{s:s, s:[{s:s, s:[{s:s, s:s}]}]},"
					"{s:s, s:[{s:s, s:[{s:s, s:s}]}]}]}",
					"type", "tableRow", "content",
					"type", "tableHeader", "content", "type", "paragraph",
					"content", "type", "text", "text", "furikaeri",
					"type", "tableCell", "content", "type", "paragraph",
					"content", "type", "text", "text", marker));
	char *text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	return text;
}

static enum tracker_call
confluence_create(struct tracker *t, const struct tracker_input *in, int *attempt,
		  struct tracker_issue *out, long *wait_ms, char **err)
{
	enum tracker_call c;
	json_t *req, *resp = NULL;
	char *sid, *value;
	const char *parent = t->cfg->confluence.parent;

	*wait_ms = 0;
	if (in->body == NULL) {
		err_set(err, "Confluence takes postmortems (furikaeri new --to confluence), not "
			"a measure's ticket; file it with --tracker github or jira");
		return TRACKER_CALL_REFUSED;
	}
	sid = space_id(t, &c, err);
	if (sid == NULL)
		return c;
	value = page_body(in->body, in->marker);
	req = json_pack("{s:s, s:s, s:s, s:{s:s, s:s}}", "spaceId", sid, "status", "current",
			"title", in->title != NULL && in->title[0] != '\0' ? in->title : "Postmortem",
			"body", "representation", "atlas_doc_format", "value", value);
	if (parent != NULL && parent[0] != '\0')
		json_object_set_new(req, "parentId", json_string(parent));
	c = tracker_call(t, "POST", "/pages", req, false, attempt, &resp, wait_ms, err);
	if (c == TRACKER_CALL_OK)
		page_from_json(t, resp, out);
	json_decref(resp);
	json_decref(req);
	free(value);
	free(sid);
	return c;
}

static enum tracker_call
confluence_get(struct tracker *t, const char *key, struct tracker_issue *out, char **err)
{
	char *path;
	int attempt = 0;
	long wait;
	json_t *resp = NULL;
	enum tracker_call c;

	if (strncmp(key, "page-", 5) != 0) {
		err_set(err, "%s is not a Confluence page (page-N)", key);
		return TRACKER_CALL_REFUSED;
	}
	path = xasprintf("/pages/%s", key + 5);
	c = tracker_call(t, "GET", path, NULL, true, &attempt, &resp, &wait, err);
	if (c == TRACKER_CALL_OK)
		page_from_json(t, resp, out);
	json_decref(resp);
	free(path);
	return c;
}

static time_t
iso_time(const char *s)
{
	struct tm tm = { 0 };

	if (s == NULL || strptime(s, "%Y-%m-%dT%H:%M:%S", &tm) == NULL)
		return 0;
	return timegm(&tm);
}

/* The space's newest pages with their bodies; the one whose body holds
 * the marker is ours. */
static enum tracker_call
confluence_find(struct tracker *t, const char *marker, const char *since, bool *found,
		struct tracker_issue *out, char **err)
{
	enum tracker_call c;
	char *sid = space_id(t, &c, err), *path;
	int attempt = 0;
	long wait;
	json_t *resp = NULL, *page;
	size_t i;
	time_t from = since != NULL ? iso_time(since) - CONF_FIND_SLACK_S : 0;

	if (sid == NULL)
		return c;
	path = xasprintf("/spaces/%s/pages?body-format=atlas_doc_format&sort=-created-date"
			 "&limit=%d", sid, CONF_FIND_PAGE);
	c = tracker_call(t, "GET", path, NULL, true, &attempt, &resp, &wait, err);
	if (c == TRACKER_CALL_OK) {
		json_array_foreach(json_object_get(resp, "results"), i, page) {
			const char *value = tracker_json_str(json_object_get(json_object_get(page,
						"body"), "atlas_doc_format"), "value");
			time_t created = iso_time(tracker_json_str(page, "createdAt"));
			if (from > 0 && created > 0 && created < from)
				break;
			if (value != NULL && strstr(value, marker) != NULL) {
				page_from_json(t, page, out);
				*found = true;
				break;
			}
		}
	}
	json_decref(resp);
	free(path);
	free(sid);
	return c;
}

enum tracker_call
tracker_confluence_space(struct tracker *t, char **id, char **err)
{
	enum tracker_call c;

	*id = space_id(t, &c, err);
	return c;
}

enum tracker_call
tracker_confluence_parent(struct tracker *t, const char *space, char **title, char **err)
{
	const char *parent = t->cfg->confluence.parent;
	char *path;
	int attempt = 0;
	long wait;
	json_t *resp = NULL;
	enum tracker_call c;

	*title = NULL;
	if (strspn(parent, "0123456789") != strlen(parent) || parent[0] == '\0') {
		err_set(err, "[confluence] parent = %s is not a page's id: give the number in the "
			"page's address (.../pages/123456/...)", parent);
		return TRACKER_CALL_REFUSED;
	}
	path = xasprintf("/pages/%s", parent);
	c = tracker_call(t, "GET", path, NULL, true, &attempt, &resp, &wait, err);
	if (c == TRACKER_CALL_OK) {
		const char *sid = tracker_json_str(resp, "spaceId");
		if (space != NULL && sid != NULL && strcmp(sid, space) != 0) {
			err_set(err, "[confluence] parent = %s is a page of another space (%s), not "
				"of [confluence] space = %s", parent, sid, t->cfg->confluence.space);
			c = TRACKER_CALL_REFUSED;
		} else {
			*title = xstrdup(tracker_json_str(resp, "title") ? tracker_json_str(resp, "title")
									 : parent);
		}
	}
	json_decref(resp);
	free(path);
	return c;
}

/* url and email default to [jira]'s: one Atlassian site and account */
static const char *
confluence_site(const struct config *cfg)
{
	return cfg->confluence.url != NULL ? cfg->confluence.url : cfg->jira.url;
}

static const char *
confluence_email(const struct config *cfg)
{
	return cfg->confluence.email != NULL ? cfg->confluence.email : cfg->jira.email;
}

static bool
confluence_configured(const struct config *cfg)
{
	return cfg != NULL && (cfg->confluence.url != NULL || cfg->confluence.space != NULL);
}

static char *
confluence_config_problem(const struct config *cfg, const char *where)
{
	if (confluence_site(cfg) == NULL || confluence_email(cfg) == NULL)
		return xasprintf("Confluence is not configured: set url = https://SITE.atlassian.net "
				 "and the account's email in [confluence] (or [jira]) of %s", where);
	return NULL;
}

/* Basic email:token, which libcurl encodes and sends itself */
static char *
confluence_connect(struct tracker *t, const char *token, struct http_options *ho)
{
	t->site = tracker_trim_slash(confluence_site(t->cfg));
	t->base = xasprintf("%s/wiki/api/v2", t->site);
	ho->username = confluence_email(t->cfg);
	ho->password = token;
	return NULL;
}

static const char *
confluence_advice(long status)
{
	switch (status) {
	case 400:
		return "Confluence refused the request; check [confluence] space and parent";
	case 401:
		return "the token was not accepted: check CONFLUENCE_API_TOKEN (or JIRA_API_TOKEN, "
		       "or [confluence] token_file) and [confluence] email";
	case 403:
		return "the account may not do this: it needs to view the space (and add pages to "
		       "it for new --to confluence)";
	case 404:
		return "not found: check [confluence] url, the space key and the parent page id, "
		       "and that the account can see them";
	default:
		return NULL;
	}
}

static char *
confluence_describe(const struct tracker *t)
{
	return xasprintf("Confluence: %s (REST v2), token present", t->site);
}

/* The space (a token that does not authenticate cannot read it) and the
 * parent page new --to confluence puts pages under. */
static void
confluence_doctor(struct tracker *t, struct tracker_checks *c)
{
	const struct config *cfg = t->cfg;
	char *err = NULL, *sid = NULL, *title = NULL;

	if (cfg->confluence.space == NULL) {
		if (cfg->confluence.parent != NULL)
			tracker_check_add(c, false, xstrdup("Confluence: [confluence] parent is set "
							    "but no space: set space = KEY"));
		return;
	}
	if (tracker_confluence_space(t, &sid, &err) != TRACKER_CALL_OK) {
		tracker_check_add(c, false, xasprintf("Confluence: %s", err));
		free(err);
		return;
	}
	tracker_check_add(c, true, xasprintf("Confluence: the token reads space %s (id %s)",
					     cfg->confluence.space, sid));
	if (cfg->confluence.parent != NULL) {
		if (tracker_confluence_parent(t, sid, &title, &err) != TRACKER_CALL_OK) {
			tracker_check_add(c, false, xasprintf("Confluence: %s", err));
			free(err);
		} else {
			tracker_check_add(c, true, xasprintf("Confluence: new --to confluence puts "
							     "pages under \"%s\" (page %s)", title,
							     cfg->confluence.parent));
			free(title);
		}
	}
	free(sid);
}

const struct tracker_ops tracker_confluence_ops = {
	.name = "Confluence",
	/* the lookup reads a consistent listing of the space's newest pages,
	 * not a search index; the floor is Jira Cloud's, the same site */
	.recheck_floor_s = 60,
	.configured = confluence_configured,
	.config_problem = confluence_config_problem,
	.url = confluence_site,
	.connect = confluence_connect,
	.moved_keys = "url",
	.advice = confluence_advice,
	.describe = confluence_describe,
	.doctor = confluence_doctor,
	.headers = confluence_headers,
	.github_limits = false,
	.error_text = confluence_error_text,
	.create = confluence_create,
	.get = confluence_get,
	.find = confluence_find,
	.lookups_needed = 2,
	.issue = page_from_json,
};
