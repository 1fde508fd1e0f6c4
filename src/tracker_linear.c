#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/err.h"
#include "furikaeri/sha1.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"
#include "tracker_private.h"

/* Linear over its GraphQL API (one endpoint, POST, a personal API key sent
 * as it is in Authorization). A create is made idempotent by the server:
 * issueCreate takes the issue's id, and that id is derived from the
 * delivery marker, so a resend after an unknown outcome can never make a
 * second issue; the lookup by marker is issue(id:). Every query here is
 * validated against Linear's published schema in the contract tests
 * (tests/contract/linear.sh). */

static const char *const linear_headers[] = {
	"Accept: application/json",
	NULL,
};

#define ISSUE_FIELDS "id identifier url title state { name type }"

static const char q_create[] =
	"mutation FurikaeriIssueCreate($input: IssueCreateInput!) {"
	" issueCreate(input: $input) { success issue { " ISSUE_FIELDS " } } }";
static const char q_issue[] =
	"query FurikaeriIssue($id: String!) { issue(id: $id) { " ISSUE_FIELDS " } }";
static const char q_viewer[] =
	"query FurikaeriViewer { viewer { id name displayName email } }";
static const char q_teams[] =
	"query FurikaeriTeams($key: String!, $after: String) {"
	" teams(first: 50, after: $after, filter: { key: { eq: $key } }) {"
	" nodes { id key name } pageInfo { hasNextPage endCursor } } }";
static const char q_labels[] =
	"query FurikaeriLabels($names: [String!], $after: String) {"
	" issueLabels(first: 100, after: $after, filter: { name: { in: $names } }) {"
	" nodes { id name team { id } } pageInfo { hasNextPage endCursor } } }";
static const char q_users[] =
	"query FurikaeriUsers($filter: UserFilter) {"
	" users(first: 2, filter: $filter) { nodes { id name displayName email } } }";

/* Pages read at most while resolving the team or the labels. */
#define MAX_PAGES 20

static char *
linear_error_text(json_t *body)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *e;
	size_t i;

	json_array_foreach(json_object_get(body, "errors"), i, e) {
		json_t *ext = json_object_get(e, "extensions");
		const char *msg = tracker_json_str(ext, "userPresentableMessage");

		if (msg == NULL)
			msg = tracker_json_str(e, "message");
		if (msg != NULL)
			strbuf_addf(&sb, "%s%s", sb.len ? "; " : "", msg);
	}
	if (sb.len == 0 && tracker_json_str(body, "message") != NULL)
		strbuf_adds(&sb, tracker_json_str(body, "message"));
	if (sb.len == 0) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}

char *
tracker_linear_issue_id(const char *marker)
{
	/* A name-based UUID (RFC 9562, 5.5: SHA-1 of a namespace and the
	 * name), with the version nibble of 4: Linear documents the id as
	 * "UUID v4 format", and a strict v4 check would refuse a 5. The bits
	 * are as unpredictable to anyone else as a random v4's. */
	static const uint8_t ns[16] = {
		0x6f, 0x1c, 0x3e, 0x0a, 0x5b, 0x7d, 0x4c, 0x2e,
		0x9a, 0x41, 0x8d, 0x2f, 0x0b, 0x6e, 0x7a, 0x13,
	};
	size_t n = strlen(marker);
	uint8_t *buf = xmalloc(16 + n), d[20];
	char *out = xmalloc(37);

	memcpy(buf, ns, 16);
	memcpy(buf + 16, marker, n);
	sha1_digest(buf, 16 + n, d);
	free(buf);
	d[6] = (uint8_t)((d[6] & 0x0f) | 0x40);
	d[8] = (uint8_t)((d[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12],
		 d[13], d[14], d[15]);
	return out;
}

/* One GraphQL request (vars stolen). idempotent: a query, sent again when
 * its answer is lost; a mutation is not. On OK, *resp is the whole answer
 * (owned), whose "errors" the caller reads: GraphQL answers 200 with errors
 * for many refusals. */
static bool
has_errors(json_t *resp)
{
	return json_array_size(json_object_get(resp, "errors")) > 0;
}

/* Linear words its rate limit as an error with extensions.code
 * RATELIMITED (with HTTP 400, or 200 among data): nothing was done. */
static bool
linear_rate_limited(json_t *body)
{
	json_t *e;
	size_t i;

	json_array_foreach(json_object_get(body, "errors"), i, e) {
		const char *code = tracker_json_str(json_object_get(e, "extensions"), "code");

		if (code != NULL && strcmp(code, "RATELIMITED") == 0)
			return true;
	}
	return false;
}

static enum tracker_call
gql(struct tracker *t, const char *query, json_t *vars, bool idempotent, int *attempt,
    json_t **resp, long *wait_ms, char **err)
{
	json_t *req = json_pack("{s:s, s:o}", "query", query, "variables",
				vars != NULL ? vars : json_object());
	int a = 0;
	long w = 0;
	enum tracker_call c = tracker_call(t, "POST", "", req, idempotent,
					   attempt != NULL ? attempt : &a, resp,
					   wait_ms != NULL ? wait_ms : &w, err);

	json_decref(req);
	if (c == TRACKER_CALL_OK && linear_rate_limited(*resp)) {
		char *text = linear_error_text(*resp);

		err_set(err, "POST /graphql: Linear's rate limit was hit (%s); tried again later",
			text != NULL ? text : "RATELIMITED");
		free(text);
		json_decref(*resp);
		*resp = NULL;
		if (wait_ms != NULL)
			*wait_ms = 60000;
		c = TRACKER_CALL_LATER;
	}
	return c;
}

/* The answer's errors as a message for people: the operation, and the
 * server's own words (sanitized). */
static void
set_gql_error(char **err, const char *op, json_t *resp)
{
	char *text = linear_error_text(resp);
	char *clean = text_sanitize(text != NULL ? text : "an error without a message", false);

	err_set(err, "POST /graphql (%s): Linear answered: %s", op, clean);
	free(clean);
	free(text);
}

/* Whether the errors say the thing asked for does not exist. */
static bool
errors_not_found(json_t *resp)
{
	json_t *e;
	size_t i;

	json_array_foreach(json_object_get(resp, "errors"), i, e) {
		const char *m = tracker_json_str(e, "message");
		const char *code = tracker_json_str(json_object_get(e, "extensions"), "code");

		/* "Entity not found: Issue", "Could not find referenced Issue." */
		if ((m != NULL && (strcasestr(m, "not found") != NULL ||
				   strcasestr(m, "could not find") != NULL ||
				   strcasestr(m, "does not exist") != NULL)) ||
		    (code != NULL && strcmp(code, "ENTITY_NOT_FOUND") == 0))
			return true;
	}
	return false;
}

static void
issue_from_json(struct tracker *t, json_t *j, struct tracker_issue *out)
{
	const char *ident = tracker_json_str(j, "identifier");
	json_t *state = json_object_get(j, "state");
	const char *type = tracker_json_str(state, "type");
	const char *name = tracker_json_str(state, "name");

	(void)t;
	out->key = xstrdup(ident ? ident : tracker_json_str(j, "id") ? tracker_json_str(j, "id")
								      : "?");
	out->url = xstrdup_or_null(tracker_json_str(j, "url"));
	/* the workflow state's type: triage, backlog, unstarted, started,
	 * completed, canceled (a duplicate is canceled too) */
	out->done = type != NULL && (strcmp(type, "completed") == 0 ||
				     strcmp(type, "canceled") == 0);
	out->dropped = type != NULL && strcmp(type, "canceled") == 0;
	out->status = xstrdup(name ? name : type ? type : "open");
}

/* Follows pageInfo through a connection at data.FIELD, calling each on
 * every node until it returns true. vars is borrowed; $after is set. */
static enum tracker_call
each_node(struct tracker *t, const char *query, json_t *vars, const char *field,
	  bool (*each)(json_t *node, void *ctx), void *ctx, char **err)
{
	json_t *v = json_deep_copy(vars);
	enum tracker_call c = TRACKER_CALL_OK;

	for (int page = 0; page < MAX_PAGES; page++) {
		json_t *resp = NULL, *conn, *node, *info;
		size_t i;
		bool stop = false;

		c = gql(t, query, json_incref(v), true, NULL, &resp, NULL, err);
		if (c != TRACKER_CALL_OK) {
			json_decref(resp);
			break;
		}
		if (has_errors(resp)) {
			set_gql_error(err, field, resp);
			json_decref(resp);
			c = TRACKER_CALL_REFUSED;
			break;
		}
		conn = json_object_get(json_object_get(resp, "data"), field);
		json_array_foreach(json_object_get(conn, "nodes"), i, node) {
			if (each(node, ctx)) {
				stop = true;
				break;
			}
		}
		info = json_object_get(conn, "pageInfo");
		if (!stop && json_is_true(json_object_get(info, "hasNextPage")) &&
		    tracker_json_str(info, "endCursor") != NULL) {
			json_object_set_new(v, "after",
					    json_string(tracker_json_str(info, "endCursor")));
			json_decref(resp);
			continue;
		}
		json_decref(resp);
		break;
	}
	json_decref(v);
	return c;
}

static bool
team_node(json_t *node, void *ctx)
{
	json_t *cache = ctx;
	const char *id = tracker_json_str(node, "id");

	if (id == NULL)
		return false;
	json_object_set_new(cache, "team", json_string(id));
	return true;
}

struct label_walk {
	json_t *cache;		/* name -> id */
	const char *team_id;
};

static bool
label_node(json_t *node, void *ctx)
{
	struct label_walk *w = ctx;
	const char *name = tracker_json_str(node, "name");
	const char *id = tracker_json_str(node, "id");
	const char *team = tracker_json_str(json_object_get(node, "team"), "id");

	/* a workspace label (no team) or one of this team's */
	if (name == NULL || id == NULL || (team != NULL && strcmp(team, w->team_id) != 0))
		return false;
	if (json_object_get(w->cache, name) == NULL || team != NULL)
		json_object_set_new(w->cache, name, json_string(id));
	return false;
}

static const char *
postmortem_label(const struct config *cfg)
{
	return cfg->postmortems_label != NULL ? cfg->postmortems_label : "postmortem";
}

/* Resolves [linear] team and labels to ids, once per run (kept in t->cache).
 * *missing (owned, may be NULL): the configured labels Linear does not have. */
static enum tracker_call
resolve(struct tracker *t, char **missing, char **err)
{
	const struct config *cfg = t->cfg;
	json_t *vars, *names, *labels;
	enum tracker_call c;

	if (missing != NULL)
		*missing = NULL;
	if (t->cache == NULL)
		t->cache = json_object();
	if (tracker_json_str(t->cache, "team") == NULL) {
		vars = json_pack("{s:s}", "key", cfg->linear.team);
		c = each_node(t, q_teams, vars, "teams", team_node, t->cache, err);
		json_decref(vars);
		if (c != TRACKER_CALL_OK)
			return c;
		if (tracker_json_str(t->cache, "team") == NULL) {
			err_set(err, "Linear has no team with the key %s that this API key can see: "
				"check [linear] team (the prefix of the team's issue keys, e.g. ENG)",
				cfg->linear.team);
			return TRACKER_CALL_REFUSED;
		}
	}
	if (json_object_get(t->cache, "labels") == NULL) {
		struct label_walk w = { .cache = json_object(),
					.team_id = tracker_json_str(t->cache, "team") };

		names = json_array();
		for (size_t i = 0; i < cfg->linear.labels.n; i++)
			json_array_append_new(names, json_string(cfg->linear.labels.items[i]));
		/* the label of a postmortem filed as an issue (`new --tracker`) */
		json_array_append_new(names, json_string(postmortem_label(cfg)));
		vars = json_pack("{s:o}", "names", names);
		c = each_node(t, q_labels, vars, "issueLabels", label_node, &w, err);
		json_decref(vars);
		if (c != TRACKER_CALL_OK) {
			json_decref(w.cache);
			return c;
		}
		json_object_set_new(t->cache, "labels", w.cache);
	}
	labels = json_object_get(t->cache, "labels");
	if (missing != NULL) {
		struct strbuf sb = STRBUF_INIT;

		for (size_t i = 0; i < cfg->linear.labels.n; i++)
			if (json_object_get(labels, cfg->linear.labels.items[i]) == NULL)
				strbuf_addf(&sb, "%s\"%s\"", sb.len ? ", " : "",
					    cfg->linear.labels.items[i]);
		*missing = sb.len > 0 ? strbuf_detach(&sb) : (strbuf_release(&sb), NULL);
	}
	return TRACKER_CALL_OK;
}

/* The Linear user [people] names (linear:EMAIL, or a display name without
 * an @): *id (owned), or NULL with *why when Linear has no such one user.
 * Not OK when the lookup itself failed (the create waits). */
static enum tracker_call
assignee(struct tracker *t, const char *who, char **id, char **why, char **err)
{
	bool email = strchr(who, '@') != NULL;
	json_t *filter = json_pack("{s:{s:s}}", email ? "email" : "displayName",
				   email ? "eqIgnoreCase" : "eq", who);
	json_t *resp = NULL, *nodes;
	enum tracker_call c = gql(t, q_users, json_pack("{s:o}", "filter", filter), true, NULL,
				  &resp, NULL, err);

	*id = NULL;
	nodes = json_object_get(json_object_get(json_object_get(resp, "data"), "users"), "nodes");
	if (c == TRACKER_CALL_OK && has_errors(resp)) {
		set_gql_error(err, "users", resp);
		c = TRACKER_CALL_REFUSED;
	} else if (c == TRACKER_CALL_OK && json_array_size(nodes) == 1) {
		*id = xstrdup_or_null(tracker_json_str(json_array_get(nodes, 0), "id"));
	} else if (c == TRACKER_CALL_OK) {
		*why = xasprintf("%s Linear users match linear:%s in [people], so the issue is "
				 "not assigned", json_array_size(nodes) == 0 ? "no" : "several", who);
	}
	json_decref(resp);
	return c;
}

/* The issue with the id (found false when Linear has none). */
static enum tracker_call
get_by_id(struct tracker *t, const char *id, bool *found, struct tracker_issue *out,
	  char **err)
{
	json_t *resp = NULL, *issue;
	enum tracker_call c = gql(t, q_issue, json_pack("{s:s}", "id", id), true, NULL, &resp,
				  NULL, err);

	*found = false;
	if (c != TRACKER_CALL_OK) {
		json_decref(resp);
		return c;
	}
	issue = json_object_get(json_object_get(resp, "data"), "issue");
	if (json_is_object(issue) && tracker_json_str(issue, "id") != NULL) {
		issue_from_json(t, issue, out);
		*found = true;
	} else if (has_errors(resp) && !errors_not_found(resp)) {
		set_gql_error(err, "issue", resp);
		c = TRACKER_CALL_LATER;
	}
	json_decref(resp);
	return c;
}

static enum tracker_call
linear_create(struct tracker *t, const struct tracker_input *in, int *attempt,
	      struct tracker_issue *out, long *wait_ms, char **err)
{
	const struct config *cfg = t->cfg;
	const struct config_person *p = config_person(cfg, in->owner);
	char *why = NULL, *user = NULL, *id = tracker_linear_issue_id(in->marker);
	char **lines;
	struct strbuf body = STRBUF_INIT;
	json_t *input, *labels = json_array(), *resp = NULL, *payload, *issue;
	enum tracker_call c = resolve(t, NULL, err);
	bool found = false;

	if (c == TRACKER_CALL_OK && in->body == NULL && p != NULL && p->linear != NULL)
		c = assignee(t, p->linear, &user, &why, err);
	if (c != TRACKER_CALL_OK) {
		/* nothing was sent yet: no create can have happened */
		free(id);
		free(why);
		json_decref(labels);
		if (c == TRACKER_CALL_REFUSED)
			return c;
		*wait_ms = 60000;
		return TRACKER_CALL_LATER;
	}
	lines = tracker_body_lines(in, user != NULL ? p->linear : NULL,
				   why != NULL ? why : "no linear: user in [people], so the issue "
				   "is not assigned");
	if (in->body != NULL) {
		/* a postmortem as an issue: its template, Markdown as it is */
		strbuf_adds(&body, in->body);
		if (body.len > 0 && strbuf_str(&body)[body.len - 1] != '\n')
			strbuf_addc(&body, '\n');
		strbuf_addf(&body, "\nFiled by furikaeri (marker furikaeri:%s).\n", in->marker);
	} else {
		for (char **l = lines; *l != NULL; l++)
			strbuf_addf(&body, "%s\n\n", *l);
	}
	for (size_t i = 0; in->body == NULL && i < cfg->linear.labels.n; i++) {
		const char *lid = tracker_json_str(json_object_get(t->cache, "labels"),
						   cfg->linear.labels.items[i]);

		if (lid != NULL)
			json_array_append_new(labels, json_string(lid));
	}
	if (in->body != NULL && in->label != NULL) {
		/* Linear labels by id: one the workspace or team does not have is
		 * left out, not made (doctor names the configured ones missing) */
		const char *lid = tracker_json_str(json_object_get(t->cache, "labels"), in->label);

		if (lid != NULL)
			json_array_append_new(labels, json_string(lid));
	}
	input = json_pack("{s:s, s:s, s:s, s:s}", "id", id, "teamId",
			  tracker_json_str(t->cache, "team"), "title", in->title ? in->title : "",
			  "description", strbuf_str(&body));
	if (json_array_size(labels) > 0)
		json_object_set(input, "labelIds", labels);
	if (user != NULL)
		json_object_set_new(input, "assigneeId", json_string(user));
	if (in->body == NULL && in->due != NULL && strlen(in->due) == 10)
		json_object_set_new(input, "dueDate", json_string(in->due));
	/* a mutation is never sent twice unseen; the id makes a resend after
	 * a lookup harmless */
	c = gql(t, q_create, json_pack("{s:o}", "input", input), false, attempt, &resp, wait_ms,
		err);
	payload = json_object_get(json_object_get(resp, "data"), "issueCreate");
	issue = json_object_get(payload, "issue");
	if (c == TRACKER_CALL_OK && !has_errors(resp) && tracker_json_str(issue, "id") != NULL) {
		issue_from_json(t, issue, out);
	} else if (c == TRACKER_CALL_OK || c == TRACKER_CALL_REFUSED) {
		/* refused: the id may be taken by our own earlier create, whose
		 * answer was lost; the issue with that id says */
		char *lookup_err = NULL;
		enum tracker_call lc;

		if (c == TRACKER_CALL_OK)
			set_gql_error(err, "issueCreate", resp);
		lc = get_by_id(t, id, &found, out, &lookup_err);
		if (lc == TRACKER_CALL_OK && found) {
			out->adopted = true;
			c = TRACKER_CALL_OK;
			free(*err);
			*err = NULL;
		} else {
			c = c == TRACKER_CALL_OK && !has_errors(resp) ? TRACKER_CALL_UNKNOWN
								     : TRACKER_CALL_REFUSED;
			if (c == TRACKER_CALL_UNKNOWN)
				err_set(err, "POST /graphql (issueCreate): Linear answered without "
					"an issue");
		}
		free(lookup_err);
	}
	json_decref(resp);
	json_decref(labels);
	strbuf_release(&body);
	tracker_lines_free(lines);
	free(user);
	free(why);
	free(id);
	return c;
}

static enum tracker_call
linear_get(struct tracker *t, const char *key, struct tracker_issue *out, char **err)
{
	bool found = false;
	/* issue(id:) takes the id or the identifier ("ENG-123") */
	enum tracker_call c = get_by_id(t, key, &found, out, err);

	if (c == TRACKER_CALL_OK && !found) {
		err_set(err, "POST /graphql (issue): Linear has no issue %s (deleted, or moved "
			"out of reach of this API key)", key);
		c = TRACKER_CALL_REFUSED;
	}
	return c;
}

static enum tracker_call
linear_find(struct tracker *t, const char *marker, const char *since, bool *found,
	    struct tracker_issue *out, char **err)
{
	char *id = tracker_linear_issue_id(marker);
	enum tracker_call c = get_by_id(t, id, found, out, err);

	(void)since;
	free(id);
	return c;
}

static enum tracker_call
linear_myself(struct tracker *t, char **who, char **err)
{
	json_t *resp = NULL, *viewer;
	enum tracker_call c = gql(t, q_viewer, NULL, true, NULL, &resp, NULL, err);

	if (c == TRACKER_CALL_OK && has_errors(resp)) {
		set_gql_error(err, "viewer", resp);
		c = TRACKER_CALL_REFUSED;
	} else if (c == TRACKER_CALL_OK) {
		const char *name, *email;

		viewer = json_object_get(json_object_get(resp, "data"), "viewer");
		name = tracker_json_str(viewer, "displayName");
		if (name == NULL)
			name = tracker_json_str(viewer, "name");
		email = tracker_json_str(viewer, "email");
		*who = email != NULL ? xasprintf("%s <%s>", name ? name : "?", email)
				     : xstrdup(name ? name : "(no name in the answer)");
	}
	json_decref(resp);
	return c;
}

enum tracker_result
tracker_linear_check(struct tracker *t, char **problems, char **err)
{
	enum tracker_call c;

	*problems = NULL;
	if (t->kind != TRACKER_LINEAR) {
		err_set(err, "the team and labels are a Linear check");
		return TRACKER_REFUSED;
	}
	c = resolve(t, problems, err);
	if (c != TRACKER_CALL_OK)
		return c == TRACKER_CALL_REFUSED ? TRACKER_REFUSED : TRACKER_LATER;
	if (*problems != NULL) {
		char *list = *problems;

		*problems = xasprintf("[linear] labels %s do not exist in Linear for team %s: "
				      "create them (Settings > Labels) or remove them", list,
				      t->cfg->linear.team);
		free(list);
	}
	return TRACKER_OK;
}

static bool
linear_configured(const struct config *cfg)
{
	return cfg != NULL && cfg->linear.team != NULL;
}

static char *
linear_config_problem(const struct config *cfg, const char *where)
{
	if (cfg->linear.team == NULL)
		return xasprintf("Linear is not configured: set team = KEY (the prefix of the "
				 "team's issue keys, e.g. ENG) in [linear] of %s", where);
	return NULL;
}

static const char *
linear_url(const struct config *cfg)
{
	return cfg->linear.url;
}

/* A personal API key goes as it is: "Bearer" is for OAuth access tokens,
 * and Linear refuses a personal key that carries it. */
static char *
linear_connect(struct tracker *t, const char *token, struct http_options *ho)
{
	(void)ho;
	t->base = xstrdup(t->cfg->linear.url);
	return xasprintf("Authorization: %s", token);
}

static const char *
linear_advice(long status)
{
	switch (status) {
	case 400:
		return "Linear refused the request; check [linear] team and labels and the "
		       "[people] linear: users (furikaeri doctor checks them)";
	case 401:
	case 403:
		return "the API key was not accepted: check LINEAR_API_KEY (or [linear] token_file)";
	case 404:
		return "not found: check [linear] url";
	default:
		return NULL;
	}
}

static char *
linear_describe(const struct tracker *t)
{
	return xasprintf("Linear: team %s at %s, API key present", t->cfg->linear.team, t->base);
}

static void
linear_doctor(struct tracker *t, struct tracker_checks *c)
{
	char *problems = NULL, *err = NULL;

	if (tracker_linear_check(t, &problems, &err) != TRACKER_OK) {
		tracker_check_add(c, false, xasprintf("Linear: %s", err));
		free(err);
	} else if (problems != NULL) {
		tracker_check_add(c, false, xasprintf("Linear: %s", problems));
		free(problems);
	} else {
		tracker_check_add(c, true, xasprintf("Linear: team %s exists%s", t->cfg->linear.team,
						     t->cfg->linear.labels.n > 0
						     ? " and has every label in [linear] labels" : ""));
	}
}

const struct tracker_ops tracker_linear_ops = {
	.name = "Linear",
	/* The lookup is issue(id:) by the id the create carried: a read by
	 * primary key, no search index in between; and a resend with the same
	 * id cannot make a second issue. */
	.recheck_floor_s = 10,
	.configured = linear_configured,
	.config_problem = linear_config_problem,
	.url = linear_url,
	.connect = linear_connect,
	.moved_keys = "url",
	.advice = linear_advice,
	.describe = linear_describe,
	.doctor = linear_doctor,
	/* "ENG-123" is Jira's shape too: never guessed; the outbox records it */
	.key_shape = NULL,
	.headers = linear_headers,
	.github_limits = false,
	.rate_limited = linear_rate_limited,
	.error_text = linear_error_text,
	.create = linear_create,
	.get = linear_get,
	.find = linear_find,
	.lookups_needed = 1,
	.issue = issue_from_json,
	.myself = linear_myself,
};
