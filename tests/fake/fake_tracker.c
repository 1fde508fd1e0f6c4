#include "config.h"

#include <ctype.h>
#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "fake_tracker.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/tracker.h"
#include "furikaeri/xalloc.h"

struct fake_issue {
	int number;
	char *key;		/* Jira */
	char *body;		/* GitHub */
	json_t *labels;		/* Jira */
	long long created_ms;
	/* a postmortem kept as a GitHub issue (/_fake/issue): */
	char *title;
	json_t *gh_labels;	/* names; NULL for an issue filed by a client */
	char *created_at, *updated_at;
	int subs;		/* how many sub-issues it has */
	char *uuid;		/* Linear: the id the create carried */
	bool deleted;		/* gone: listed nowhere, 410 by number */
	/* GitLab (/_fake/close): closed, and how */
	bool closed, duplicate, moved;
	bool incident;		/* GitLab's issue type incident */
};

/* A request held or answered otherwise (/_fake/hold): the next `times`
 * requests whose target starts with path wait ms, then get status (0:
 * the normal answer), with Retry-After when retry_after is set. */
struct fake_hold {
	char *path;
	int ms, status, retry_after, times;
};

struct fake_tracker {
	struct fake_http *f;
	long long (*now_ms)(void *ctx);
	void *ctx;
	pthread_mutex_t lock;
	struct fake_issue *issues;
	size_t n;
	enum fake_fault *faults;
	size_t n_faults, next_fault;
	enum fake_fault *read_faults;
	size_t n_read_faults, next_read_fault;
	long lag_ms;
	int delay_ms, slow_ms;
	struct fake_hold *holds;
	size_t n_holds;
	int page_size;		/* GitHub's issue listing; 0: one page */
	char *gl_scope;		/* GitLab token's one scope (/_fake/scope); NULL: api */
};

static char *
url_decode(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	for (const char *p = s; *p != '\0'; p++) {
		if (*p == '%' && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])) {
			char hex[3] = { p[1], p[2], '\0' };

			strbuf_addc(&sb, (char)strtol(hex, NULL, 16));
			p += 2;
		} else {
			strbuf_addc(&sb, *p == '+' ? ' ' : *p);
		}
	}
	return strbuf_detach(&sb);
}

/* The text after prefix up to the next '"' in the decoded target (owned). */
static char *
quoted_after(const char *target, const char *prefix)
{
	char *d = url_decode(target);
	char *p = strstr(d, prefix), *q, *out = NULL;

	if (p != NULL && (q = strchr(p, '"')) != NULL)
		out = xstrndup(p, (size_t)(q - p));
	free(d);
	return out;
}

/* The value of name in a query or form (owned), NULL when absent. */
static char *
field(const char *q, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = q; p != NULL && *p != '\0';) {
		const char *end = strchr(p, '&');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len > n && strncmp(p, name, n) == 0 && p[n] == '=') {
			char *raw = xstrndup(p + n + 1, len - n - 1), *v = url_decode(raw);

			free(raw);
			return v;
		}
		p = end ? end + 1 : NULL;
	}
	return NULL;
}

static int
field_int(const char *q, const char *name, int dflt)
{
	char *v = field(q, name);
	int n = v != NULL ? atoi(v) : dflt;

	free(v);
	return n;
}

static void
answer_json(struct fake_http_answer *a, int status, json_t *j)
{
	a->action = FAKE_HTTP_REPLY;
	a->status = status;
	a->body = json_dumps(j, JSON_COMPACT);
	json_decref(j);
}

static json_t *
gh_issue(const struct fake_issue *is)
{
	char url[96];

	snprintf(url, sizeof(url), "https://github.com/acme/pay/issues/%d", is->number);
	json_t *j = json_pack("{s:i, s:s, s:s, s:s}", "number", is->number, "state", "open",
			      "html_url", url, "body", is->body ? is->body : "");
	if (is->gh_labels != NULL) {
		json_t *labels = json_array(), *v;
		size_t i;

		json_array_foreach(is->gh_labels, i, v)
			json_array_append_new(labels, json_pack("{s:O}", "name", v));
		json_object_set_new(j, "labels", labels);
		json_object_set_new(j, "title", json_string(is->title ? is->title : ""));
		json_object_set_new(j, "created_at", json_string(is->created_at));
		json_object_set_new(j, "updated_at", json_string(is->updated_at));
		json_object_set_new(j, "user", json_pack("{s:s}", "login", "aoi-t"));
		if (is->subs > 0)
			json_object_set_new(j, "sub_issues_summary",
					    json_pack("{s:i}", "total", is->subs));
	}
	return j;
}

static bool
gh_has_label(const struct fake_issue *is, const char *label)
{
	json_t *v;
	size_t i;

	json_array_foreach(is->gh_labels, i, v)
		if (strcmp(json_string_value(v), label) == 0)
			return true;
	return false;
}

/* GitHub's list of a repository's issues: labels= and since= filter (an
 * issue filed by a client has neither labels nor an update time and is
 * always listed), direction=asc lists oldest first, and with a page size
 * set the pages follow each other through the Link header. */
static void
gh_list(struct fake_tracker *ft, const char *target, struct fake_http_answer *a)
{
	const char *q = strchr(target, '?') + 1;
	char *labels = field(q, "labels"), *since = field(q, "since"), *dir = field(q, "direction");
	int page = field_int(q, "page", 1), size = ft->page_size;
	bool asc = dir != NULL && strcmp(dir, "asc") == 0;
	json_t *all = json_array(), *items;
	size_t from, n;

	for (size_t k = 0; k < ft->n; k++) {
		const struct fake_issue *is = &ft->issues[asc ? k : ft->n - 1 - k];

		if (is->deleted)
			continue;
		if (is->gh_labels != NULL && labels != NULL && !gh_has_label(is, labels))
			continue;
		if (is->updated_at != NULL && since != NULL && strcmp(is->updated_at, since) < 0)
			continue;
		json_array_append_new(all, gh_issue(is));
	}
	n = json_array_size(all);
	if (size <= 0 || page < 1) {
		answer_json(a, 200, all);
	} else {
		items = json_array();
		from = (size_t)(page - 1) * (size_t)size;
		for (size_t k = from; k < n && k < from + (size_t)size; k++)
			json_array_append(items, json_array_get(all, k));
		if (from + (size_t)size < n) {
			/* the same query, the next page */
			struct strbuf next = STRBUF_INIT;
			const char *p = target;

			strbuf_addf(&next, "Link: <%s", fake_http_url(ft->f));
			while (*p != '\0') {
				size_t len = strcspn(p + 1, "&") + 1;

				if (!(len > 6 && strncmp(p + 1, "page=", 5) == 0))
					strbuf_addf(&next, "%.*s", (int)len, p);
				p += len;
			}
			strbuf_addf(&next, "&page=%d>; rel=\"next\"\r\n", page + 1);
			a->headers = strbuf_detach(&next);
		}
		json_decref(all);
		answer_json(a, 200, items);
	}
	free(labels);
	free(since);
	free(dir);
}

static json_t *
gh_sub_issues(const struct fake_issue *is)
{
	json_t *subs = json_array();

	for (int k = 1; k <= is->subs; k++) {
		char url[96];
		int number = 1000 + is->number * 10 + k;

		snprintf(url, sizeof(url), "https://github.com/acme/pay/issues/%d", number);
		json_array_append_new(subs, json_pack("{s:i, s:s, s:s, s:s}", "number", number,
						      "title", "Follow-up", "state", "open",
						      "html_url", url));
	}
	return subs;
}

/* GitLab's project is acme/pay, named by its path or its id 7. */
static const char *
gl_project_rest(const char *t)
{
	static const char *const prefixes[] = {
		"/api/v4/projects/acme%2Fpay", "/api/v4/projects/acme%2fpay", "/api/v4/projects/7",
	};

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t n = strlen(prefixes[i]);

		if (strncmp(t, prefixes[i], n) == 0 && (t[n] == '\0' || t[n] == '/' || t[n] == '?'))
			return t + n;
	}
	return NULL;
}

static json_t *
gl_issue(const struct fake_issue *is)
{
	char url[96], full[32], dup[96];
	json_t *j, *labels = json_array(), *v;
	size_t i;

	snprintf(url, sizeof(url), "https://gitlab.example.com/acme/pay/-/issues/%d", is->number);
	snprintf(full, sizeof(full), "acme/pay#%d", is->number);
	snprintf(dup, sizeof(dup), "https://gitlab.example.com/api/v4/projects/7/issues/%d",
		 is->number + 100);
	json_array_foreach(is->gh_labels, i, v)
		json_array_append(labels, v);
	j = json_pack("{s:i, s:i, s:i, s:s, s:s, s:s, s:s, s:o, s:{s:s}}", "id", 5000 + is->number,
		      "iid", is->number, "project_id", 7, "title", is->title ? is->title : "",
		      "description", is->body ? is->body : "",
		      "state", is->closed ? "closed" : "opened", "web_url", url, "labels", labels,
		      "references", "full", full);
	json_object_set_new(j, "_links", json_pack("{s:o}", "closed_as_duplicate_of",
						   is->duplicate ? json_string(dup) : json_null()));
	json_object_set_new(j, "moved_to_id", is->moved ? json_integer(9000 + is->number)
							: json_null());
	json_object_set_new(j, "created_at", json_string(is->created_at ? is->created_at
								: "2026-12-01T00:00:00Z"));
	json_object_set_new(j, "updated_at", json_string(is->updated_at ? is->updated_at
								: "2026-12-01T00:00:00Z"));
	json_object_set_new(j, "issue_type", json_string(is->incident ? "incident" : "issue"));
	json_object_set_new(j, "author", json_pack("{s:s}", "username", "aoi-t"));
	return j;
}

/* GitLab's issue lists: the project's (search= in descriptions, with the
 * search lag; labels=, issue_type=, state=, updated_after=; order_by=
 * updated_at&sort=asc oldest change first) and the token's own
 * (/issues?scope=created_by_me: every issue a client filed), newest first
 * by default. With a page size set (/_fake/page) the pages follow each
 * other through Link and X-Next-Page, as GitLab's offset pagination. */
static void
gl_list(struct fake_tracker *ft, const char *target, bool project, long long now,
	struct fake_http_answer *a)
{
	const char *q = strchr(target, '?');
	char *search = q != NULL ? field(q + 1, "search") : NULL;
	char *labels = q != NULL ? field(q + 1, "labels") : NULL;
	char *type = q != NULL ? field(q + 1, "issue_type") : NULL;
	char *state = q != NULL ? field(q + 1, "state") : NULL;
	char *after = q != NULL ? field(q + 1, "updated_after") : NULL;
	char *sort = q != NULL ? field(q + 1, "sort") : NULL;
	bool asc = sort != NULL && strcmp(sort, "asc") == 0;
	int page = q != NULL ? field_int(q + 1, "page", 1) : 1, size = ft->page_size;
	json_t *all = json_array(), *items;
	size_t n, from;

	for (size_t k = 0; k < ft->n; k++) {
		const struct fake_issue *is = &ft->issues[asc ? k : ft->n - 1 - k];

		if (is->deleted || is->body == NULL || is->key != NULL)
			continue;
		if (search != NULL && (strstr(is->body, search) == NULL ||
				       now < is->created_ms + ft->lag_ms))
			continue;
		if (!project && is->gh_labels != NULL)
			continue;	/* kept by a person, not the token's */
		if (labels != NULL && (is->gh_labels == NULL || !gh_has_label(is, labels)))
			continue;
		if (type != NULL && (strcmp(type, "incident") == 0) != is->incident)
			continue;
		if (state != NULL && strcmp(state, "all") != 0 &&
		    (strcmp(state, "closed") == 0) != is->closed)
			continue;
		if (after != NULL && is->updated_at != NULL && strcmp(is->updated_at, after) < 0)
			continue;
		json_array_append_new(all, gl_issue(is));
	}
	n = json_array_size(all);
	if (size <= 0 || page < 1 || !project) {
		answer_json(a, 200, all);
	} else {
		items = json_array();
		from = (size_t)(page - 1) * (size_t)size;
		for (size_t k = from; k < n && k < from + (size_t)size; k++)
			json_array_append(items, json_array_get(all, k));
		if (from + (size_t)size < n) {
			struct strbuf next = STRBUF_INIT;
			const char *p = target;

			strbuf_addf(&next, "X-Next-Page: %d\r\nLink: <%s", page + 1,
				    fake_http_url(ft->f));
			while (*p != '\0') {
				size_t len = strcspn(p + 1, "&") + 1;

				if (!(len > 6 && strncmp(p + 1, "page=", 5) == 0))
					strbuf_addf(&next, "%.*s", (int)len, p);
				p += len;
			}
			strbuf_addf(&next, "&page=%d>; rel=\"next\"\r\n", page + 1);
			a->headers = strbuf_detach(&next);
		}
		json_decref(all);
		answer_json(a, 200, items);
	}
	free(search);
	free(labels);
	free(type);
	free(state);
	free(after);
	free(sort);
}

static char *
iso_now(void)
{
	time_t now = time(NULL);
	struct tm tm;
	char buf[32];

	gmtime_r(&now, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return xstrdup(buf);
}

/* The test's side door (/_fake/...), form fields in the body or the query.
 * Under ft->lock.
 *   issue title= body= labels=a,b subs=N updated=ISO: a postmortem kept as
 *     a GitHub issue (answers its number); again with number=N: edited
 *   close number=N how=closed|duplicate|moved: closed (GitLab's view)
 *   delete number=N: the issue is deleted
 *   hold path= ms= status= retry_after= times= (-1: until held again)
 *   scope scope=S: the GitLab token's one scope (read_api, ...)
 *   page size=N: GitHub's issue listing pages by N
 *   count path=: how many requests with that prefix were read */
static void
control(struct fake_tracker *ft, const struct fake_http_request *req,
	struct fake_http_answer *a)
{
	const char *what = req->target + strlen("/_fake/");
	const char *q = strchr(req->target, '?');
	const char *form = req->body != NULL && req->body[0] != '\0' ? req->body
								    : q != NULL ? q + 1 : "";
	size_t wlen = strcspn(what, "?");

	if (wlen == 5 && strncmp(what, "issue", 5) == 0) {
		int number = field_int(form, "number", 0);
		struct fake_issue *is;
		char *labels = field(form, "labels"), *save = NULL;

		if (number >= 1 && (size_t)number <= ft->n) {
			is = &ft->issues[number - 1];
		} else {
			ft->issues = xreallocarray(ft->issues, ft->n + 1, sizeof(*ft->issues));
			is = &ft->issues[ft->n++];
			*is = (struct fake_issue){ .number = (int)ft->n,
						   .created_ms = ft->now_ms(ft->ctx) };
		}
		free(is->title);
		free(is->body);
		free(is->updated_at);
		json_decref(is->gh_labels);
		is->title = field(form, "title");
		is->body = field(form, "body");
		is->subs = field_int(form, "subs", 0);
		is->updated_at = field(form, "updated");
		if (is->updated_at == NULL)
			is->updated_at = iso_now();
		if (is->created_at == NULL)
			is->created_at = xstrdup(is->updated_at);
		is->gh_labels = json_array();
		for (char *l = labels ? strtok_r(labels, ",", &save) : NULL; l != NULL;
		     l = strtok_r(NULL, ",", &save))
			json_array_append_new(is->gh_labels, json_string(l));
		free(labels);
		answer_json(a, 200, json_pack("{s:i}", "number", is->number));
	} else if (wlen == 5 && strncmp(what, "close", 5) == 0) {
		int number = field_int(form, "number", 0);
		char *how = field(form, "how");

		if (number >= 1 && (size_t)number <= ft->n) {
			struct fake_issue *is = &ft->issues[number - 1];

			is->closed = true;
			is->duplicate = how != NULL && strcmp(how, "duplicate") == 0;
			is->moved = how != NULL && strcmp(how, "moved") == 0;
		}
		free(how);
		answer_json(a, 200, json_object());
	} else if (wlen == 6 && strncmp(what, "delete", 6) == 0) {
		int number = field_int(form, "number", 0);

		if (number >= 1 && (size_t)number <= ft->n)
			ft->issues[number - 1].deleted = true;
		answer_json(a, 200, json_object());
	} else if (wlen == 4 && strncmp(what, "hold", 4) == 0) {
		char *path = field(form, "path");

		ft->holds = xreallocarray(ft->holds, ft->n_holds + 1, sizeof(*ft->holds));
		ft->holds[ft->n_holds++] = (struct fake_hold){
			.path = path != NULL ? path : xstrdup("/"),
			.ms = field_int(form, "ms", 0), .status = field_int(form, "status", 0),
			.retry_after = field_int(form, "retry_after", -1),
			.times = field_int(form, "times", 1),
		};
		/* a newer hold of the same path replaces the older */
		for (size_t i = 0; i + 1 < ft->n_holds; i++)
			if (strcmp(ft->holds[i].path, ft->holds[ft->n_holds - 1].path) == 0)
				ft->holds[i].times = 0;
		answer_json(a, 200, json_object());
	} else if (wlen == 5 && strncmp(what, "scope", 5) == 0) {
		free(ft->gl_scope);
		ft->gl_scope = field(form, "scope");
		answer_json(a, 200, json_object());
	} else if (wlen == 4 && strncmp(what, "page", 4) == 0) {
		ft->page_size = field_int(form, "size", 0);
		answer_json(a, 200, json_object());
	} else if (wlen == 5 && strncmp(what, "count", 5) == 0) {
		char *path = field(form, "path");

		answer_json(a, 200, json_pack("{s:I}", "count",
					      (json_int_t)fake_http_count(ft->f, NULL,
									  path ? path : "/")));
		free(path);
	} else {
		answer_json(a, 400, json_pack("{s:s}", "message", "fake_tracker: unknown control"));
	}
}

/* The hold for target, if any is left (its use counted). Under ft->lock. */
static struct fake_hold *
held(struct fake_tracker *ft, const char *target)
{
	for (size_t i = 0; i < ft->n_holds; i++) {
		struct fake_hold *h = &ft->holds[i];

		if (h->times != 0 && strncmp(target, h->path, strlen(h->path)) == 0) {
			if (h->times > 0)
				h->times--;
			return h;
		}
	}
	return NULL;
}

static json_t *
jira_issue(const struct fake_issue *is)
{
	return json_pack("{s:s, s:s, s:{s:O, s:{s:s, s:{s:s}}}}", "id", "1", "key", is->key,
			 "fields", "labels", is->labels, "status", "name", "To Do",
			 "statusCategory", "key", "new");
}

static bool
has_label(const struct fake_issue *is, const char *label)
{
	json_t *v;
	size_t i;

	json_array_foreach(is->labels, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), label) == 0)
			return true;
	return false;
}

static enum fake_fault
next_fault(struct fake_tracker *ft)
{
	return ft->next_fault < ft->n_faults ? ft->faults[ft->next_fault++] : FAKE_FAULT_NONE;
}

/* Answers a read as its fault says; false when the read is answered as
 * usual (and *incomplete says whether a search should say so). Under
 * ft->lock. */
static bool
read_fault(struct fake_tracker *ft, struct fake_http_answer *a, bool *incomplete)
{
	enum fake_fault fault = ft->next_read_fault < ft->n_read_faults
				? ft->read_faults[ft->next_read_fault++] : FAKE_FAULT_NONE;

	*incomplete = fault == FAKE_FAULT_INCOMPLETE;
	switch (fault) {
	case FAKE_FAULT_5XX:
	case FAKE_FAULT_5XX_STORED:
		answer_json(a, fault == FAKE_FAULT_5XX ? 500 : 502,
			    json_pack("{s:s}", "message", "Server Error"));
		return true;
	case FAKE_FAULT_429:
		answer_json(a, 429, json_pack("{s:s}", "message", "slow down"));
		a->headers = xstrdup("Retry-After: 1\r\n");
		return true;
	case FAKE_FAULT_DROP:
	case FAKE_FAULT_DROP_REUSED:
		a->action = FAKE_HTTP_DROP;
		return true;
	case FAKE_FAULT_CLOSE_UNREAD:
		a->action = FAKE_HTTP_CLOSE_UNREAD;
		return true;
	case FAKE_FAULT_SLOW:
	case FAKE_FAULT_SLOW_LATE:
		a->delay_ms = ft->slow_ms;
		return false;
	default:
		return false;
	}
}

/* Stores a create and answers as fault says. Under ft->lock. */
static void
create(struct fake_tracker *ft, bool jira, const char *body, int conn_seq, enum fake_fault fault,
       struct fake_http_answer *a)
{
	json_t *req = json_loads(body, 0, NULL);
	struct fake_issue is = { .number = (int)ft->n + 1 };

	a->delay_ms = ft->delay_ms;
	if (fault == FAKE_FAULT_5XX) {
		answer_json(a, 500, json_pack("{s:s}", "message", "Server Error"));
		json_decref(req);
		return;
	}
	if (fault == FAKE_FAULT_429) {
		answer_json(a, 429, json_pack("{s:s}", "message", "slow down"));
		a->headers = xstrdup("Retry-After: 1\r\n");
		json_decref(req);
		return;
	}
	if (fault == FAKE_FAULT_CLOSE_UNREAD) {
		a->action = FAKE_HTTP_CLOSE_UNREAD;
		json_decref(req);
		return;
	}
	is.created_ms = ft->now_ms(ft->ctx);
	if (jira) {
		json_t *labels = json_object_get(json_object_get(req, "fields"), "labels");

		is.key = xasprintf("OPS-%d", 400 + is.number);
		is.labels = json_is_array(labels) ? json_incref(labels) : json_array();
	} else {
		const char *b = json_string_value(json_object_get(req, "body"));

		is.body = xstrdup(b ? b : "");
	}
	json_decref(req);
	ft->issues = xreallocarray(ft->issues, ft->n + 1, sizeof(*ft->issues));
	ft->issues[ft->n++] = is;
	switch (fault) {
	case FAKE_FAULT_5XX_STORED:
		answer_json(a, 502, json_pack("{s:s}", "message", "Bad Gateway"));
		break;
	case FAKE_FAULT_DROP:
		a->action = FAKE_HTTP_DROP;
		break;
	case FAKE_FAULT_DROP_REUSED:
		/* a server closing an idle keep-alive connection as the request
		 * arrives on it: only a client that reused one meets it */
		if (conn_seq > 1) {
			a->action = FAKE_HTTP_DROP;
			break;
		}
		/* fall through */
	default:
		if (fault == FAKE_FAULT_SLOW)
			a->delay_ms = ft->slow_ms;
		if (jira)
			answer_json(a, 201, json_pack("{s:s, s:s, s:s}", "id", "1", "key", is.key,
						      "self", "https://x/rest/api/3/issue/1"));
		else
			answer_json(a, 201, gh_issue(&is));
	}
}

/* A GitLab create: stored as a GitHub one is (the description is the
 * body), answered with GitLab's issue. Under ft->lock. */
static void
gl_create_issue(struct fake_tracker *ft, const char *body, int conn_seq, enum fake_fault fault,
		struct fake_http_answer *a)
{
	json_t *req = json_loads(body, 0, NULL);
	const char *d = json_string_value(json_object_get(req, "description"));
	json_t *gh = json_pack("{s:s}", "body", d ? d : "");
	char *ghbody = json_dumps(gh, JSON_COMPACT);
	size_t before = ft->n;

	create(ft, false, ghbody, conn_seq, fault, a);
	if (ft->n > before) {
		struct fake_issue *is = &ft->issues[ft->n - 1];
		const char *title = json_string_value(json_object_get(req, "title"));

		is->title = xstrdup(title ? title : "");
		if (a->action == FAKE_HTTP_REPLY && a->status == 201) {
			free(a->body);
			answer_json(a, 201, gl_issue(is));
		}
	}
	free(ghbody);
	json_decref(gh);
	json_decref(req);
}

static json_t *
linear_issue(const struct fake_issue *is)
{
	char url[96];

	snprintf(url, sizeof(url), "https://linear.app/acme/issue/%s", is->key);
	return json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}}", "id", is->uuid, "identifier",
			 is->key, "url", url, "title", is->title ? is->title : "", "state",
			 "name", "Todo", "type", "unstarted");
}

static void
linear_errors(struct fake_http_answer *a, const char *message, const char *code)
{
	answer_json(a, 200, json_pack("{s:n, s:[{s:s, s:{s:s, s:s}}]}", "data", "errors",
				      "message", message, "extensions", "code", code,
				      "userPresentableMessage", message));
}

/* Linear's issueCreate: an id already taken is refused, nothing stored.
 * Under ft->lock. */
static void
linear_create(struct fake_tracker *ft, json_t *input, int conn_seq, enum fake_fault fault,
	      struct fake_http_answer *a)
{
	const char *id = json_string_value(json_object_get(input, "id"));
	struct fake_issue is = { .number = (int)ft->n + 1 };

	a->delay_ms = ft->delay_ms;
	if (fault == FAKE_FAULT_5XX || fault == FAKE_FAULT_429 || fault == FAKE_FAULT_CLOSE_UNREAD) {
		if (fault == FAKE_FAULT_CLOSE_UNREAD) {
			a->action = FAKE_HTTP_CLOSE_UNREAD;
		} else {
			answer_json(a, fault == FAKE_FAULT_5XX ? 500 : 429,
				    json_pack("{s:[{s:s}]}", "errors", "message",
					      fault == FAKE_FAULT_5XX ? "Server Error"
								      : "Rate limit exceeded"));
			if (fault == FAKE_FAULT_429)
				a->headers = xstrdup("Retry-After: 1\r\n");
		}
		return;
	}
	for (size_t i = 0; id != NULL && i < ft->n; i++) {
		if (ft->issues[i].uuid != NULL && strcmp(ft->issues[i].uuid, id) == 0) {
			linear_errors(a, "An entity with this id already exists", "INVALID_INPUT");
			return;
		}
	}
	is.created_ms = ft->now_ms(ft->ctx);
	is.key = xasprintf("ENG-%d", 100 + is.number);
	is.uuid = xstrdup(id != NULL ? id : "00000000-0000-4000-8000-000000000000");
	is.title = xstrdup_or_null(json_string_value(json_object_get(input, "title")));
	is.body = xstrdup_or_null(json_string_value(json_object_get(input, "description")));
	ft->issues = xreallocarray(ft->issues, ft->n + 1, sizeof(*ft->issues));
	ft->issues[ft->n++] = is;
	switch (fault) {
	case FAKE_FAULT_5XX_STORED:
		answer_json(a, 502, json_pack("{s:s}", "message", "Bad Gateway"));
		break;
	case FAKE_FAULT_DROP:
		a->action = FAKE_HTTP_DROP;
		break;
	case FAKE_FAULT_DROP_REUSED:
		if (conn_seq > 1) {
			a->action = FAKE_HTTP_DROP;
			break;
		}
		/* fall through */
	default:
		if (fault == FAKE_FAULT_SLOW)
			a->delay_ms = ft->slow_ms;
		answer_json(a, 200, json_pack("{s:{s:{s:b, s:o}}}", "data", "issueCreate",
					      "success", 1, "issue",
					      linear_issue(&ft->issues[ft->n - 1])));
	}
}

/* A page of Linear's connection over items (stolen): 2 nodes a page, the
 * cursor the index of the next. */
static json_t *
linear_page(json_t *items, const char *after)
{
	size_t from = after != NULL ? (size_t)atoi(after) : 0, n = json_array_size(items);
	json_t *nodes = json_array();
	char next[16];

	for (size_t i = from; i < n && i < from + 2; i++)
		json_array_append(nodes, json_array_get(items, i));
	snprintf(next, sizeof(next), "%zu", from + 2);
	json_decref(items);
	return json_pack("{s:o, s:{s:b, s:s?}}", "nodes", nodes, "pageInfo", "hasNextPage",
			 from + 2 < n, "endCursor", from + 2 < n ? next : NULL);
}

static bool
in_strings(json_t *list, const char *s)
{
	json_t *v;
	size_t i;

	json_array_foreach(list, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

/* Linear's one GraphQL endpoint: the operation is told by the root field
 * the query asks for (tests/contract/linear_fake.mjs validates the queries
 * themselves against the schema). Under ft->lock. */
static void
linear(struct fake_tracker *ft, const struct fake_http_request *req, struct fake_http_answer *a)
{
	json_t *body = json_loads(req->body ? req->body : "", 0, NULL);
	const char *q = json_string_value(json_object_get(body, "query"));
	json_t *vars = json_object_get(body, "variables");
	const char *after = json_string_value(json_object_get(vars, "after"));
	bool incomplete;

	if (q == NULL) {
		answer_json(a, 400, json_pack("{s:[{s:s}]}", "errors", "message",
					      "Must provide query string."));
	} else if (strstr(q, "issueCreate(") != NULL) {
		enum fake_fault fault = next_fault(ft);

		if (fault == FAKE_FAULT_SLOW_LATE) {
			int ms = ft->slow_ms;

			pthread_mutex_unlock(&ft->lock);
			usleep((useconds_t)ms * 1000);
			pthread_mutex_lock(&ft->lock);
		}
		linear_create(ft, json_object_get(vars, "input"), req->conn_seq, fault, a);
	} else if (strstr(q, "viewer") != NULL) {
		answer_json(a, 200, json_pack("{s:{s:{s:s, s:s, s:s, s:s}}}", "data", "viewer", "id",
					      "user-bot", "name", "furikaeri bot", "displayName",
					      "furikaeri", "email", "bot@acme.example"));
	} else if (read_fault(ft, a, &incomplete)) {
		/* answered by its fault */
	} else if (strstr(q, "issue(") != NULL) {
		const char *id = json_string_value(json_object_get(vars, "id"));
		const struct fake_issue *found = NULL;

		for (size_t i = 0; id != NULL && i < ft->n && found == NULL; i++)
			if (ft->issues[i].uuid != NULL && !ft->issues[i].deleted &&
			    (strcmp(ft->issues[i].uuid, id) == 0 || strcmp(ft->issues[i].key, id) == 0))
				found = &ft->issues[i];
		if (found != NULL)
			answer_json(a, 200, json_pack("{s:{s:o}}", "data", "issue",
						      linear_issue(found)));
		else
			linear_errors(a, "Entity not found: Issue", "ENTITY_NOT_FOUND");
	} else if (strstr(q, "teams(") != NULL) {
		const char *key = json_string_value(json_object_get(vars, "key"));
		json_t *teams = json_array();

		if (key != NULL && strcmp(key, "ENG") == 0)
			json_array_append_new(teams, json_pack("{s:s, s:s, s:s}", "id", "team-eng",
							       "key", "ENG", "name", "Engineering"));
		answer_json(a, 200, json_pack("{s:{s:o}}", "data", "teams",
					      linear_page(teams, after)));
	} else if (strstr(q, "issueLabels(") != NULL) {
		json_t *names = json_object_get(vars, "names"), *labels = json_array();
		static const char *const all[][3] = {
			{ "label-bug", "bug", NULL },
			{ "label-other-pm", "postmortem", "team-ops" },
			{ "label-pm", "postmortem", NULL },
			{ "label-prev", "prevention", "team-eng" },
		};

		for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
			json_t *l = json_pack("{s:s, s:s}", "id", all[i][0], "name", all[i][1]);

			json_object_set_new(l, "team", all[i][2] != NULL
					    ? json_pack("{s:s}", "id", all[i][2]) : json_null());
			if (names == NULL || in_strings(names, all[i][1]))
				json_array_append_new(labels, l);
			else
				json_decref(l);
		}
		answer_json(a, 200, json_pack("{s:{s:o}}", "data", "issueLabels",
					      linear_page(labels, after)));
	} else if (strstr(q, "users(") != NULL) {
		json_t *f = json_object_get(vars, "filter");
		const char *email = json_string_value(json_object_get(json_object_get(f, "email"),
								      "eqIgnoreCase"));
		json_t *users = json_array();

		if (email != NULL && strcasecmp(email, "aoi@acme.example") == 0)
			json_array_append_new(users, json_pack("{s:s, s:s, s:s, s:s}", "id",
							       "user-aoi", "name", "Aoi Tanaka",
							       "displayName", "aoi", "email",
							       "aoi@acme.example"));
		answer_json(a, 200, json_pack("{s:{s:{s:o}}}", "data", "users", "nodes", users));
	} else {
		answer_json(a, 400, json_pack("{s:[{s:s}]}", "errors", "message",
					      "fake_tracker: no such operation"));
	}
	json_decref(body);
}

static void
handle(void *ctx, const struct fake_http_request *req, struct fake_http_answer *a)
{
	struct fake_tracker *ft = ctx;
	const char *t = req->target;
	bool get = strcmp(req->method, "GET") == 0;
	long long now = ft->now_ms(ft->ctx);

	bool gh_create = strcmp(req->method, "POST") == 0 &&
			 strcmp(t, "/repos/acme/pay/issues") == 0;
	bool jira_create = strcmp(req->method, "POST") == 0 &&
			   (strcmp(t, "/rest/api/3/issue") == 0 ||
			    strcmp(t, "/rest/api/2/issue") == 0);
	const char *gl = gl_project_rest(t);
	bool gl_create = strcmp(req->method, "POST") == 0 && gl != NULL &&
			 strcmp(gl, "/issues") == 0;
	enum fake_fault fault = FAKE_FAULT_NONE;

	pthread_mutex_lock(&ft->lock);
	if (strncmp(t, "/_fake/", 7) == 0) {
		control(ft, req, a);
		pthread_mutex_unlock(&ft->lock);
		return;
	}
	const struct fake_hold *hold = held(ft, t);
	if (hold != NULL && hold->status != 0) {
		answer_json(a, hold->status, json_pack("{s:s}", "message", "held by the test"));
		if (hold->retry_after >= 0)
			a->headers = xasprintf("Retry-After: %d\r\n", hold->retry_after);
		a->delay_ms = hold->ms;
		pthread_mutex_unlock(&ft->lock);
		return;
	}
	if (strcmp(req->method, "POST") == 0 && strcmp(t, "/graphql") == 0) {
		linear(ft, req, a);
		if (hold != NULL)
			a->delay_ms = hold->ms;
		pthread_mutex_unlock(&ft->lock);
		return;
	}
	if (gh_create || jira_create || gl_create) {
		fault = next_fault(ft);
		if (fault == FAKE_FAULT_SLOW_LATE) {
			/* in flight: nothing is stored until the wait is over */
			int ms = ft->slow_ms;

			pthread_mutex_unlock(&ft->lock);
			usleep((useconds_t)ms * 1000);
			pthread_mutex_lock(&ft->lock);
		}
	}
	bool incomplete = false;

	if (gh_create) {
		create(ft, false, req->body, req->conn_seq, fault, a);
	} else if (gl_create) {
		gl_create_issue(ft, req->body, req->conn_seq, fault, a);
	} else if (jira_create) {
		create(ft, true, req->body, req->conn_seq, fault, a);
	} else if (get && strcmp(t, "/user") != 0 && strcmp(t, "/api/v4/user") != 0 &&
		   read_fault(ft, a, &incomplete)) {
		/* answered by its fault */
	} else if (get && strcmp(t, "/user") == 0) {
		answer_json(a, 200, json_pack("{s:s}", "login", "furikaeri-bot"));
	} else if (get && strcmp(t, "/api/v4/user") == 0) {
		answer_json(a, 200, json_pack("{s:i, s:s}", "id", 41, "username", "furikaeri-bot"));
	} else if (get && strncmp(t, "/api/v4/users?", 14) == 0) {
		char *name = field(t + 14, "username");

		/* every username is a user but "nobody" */
		if (name != NULL && strcmp(name, "nobody") != 0)
			answer_json(a, 200, json_pack("[{s:i, s:s}]", "id", 42, "username", name));
		else
			answer_json(a, 200, json_array());
		free(name);
	} else if (get && strcmp(t, "/api/v4/personal_access_tokens/self") == 0) {
		answer_json(a, 200, json_pack("{s:i, s:s, s:[s], s:b}", "id", 3, "name",
					      "furikaeri", "scopes", ft->gl_scope ? ft->gl_scope : "api",
					      "active", 1));
	} else if (get && gl != NULL && (gl[0] == '\0' || gl[0] == '?')) {
		answer_json(a, 200, json_pack("{s:i, s:s}", "id", 7, "path_with_namespace",
					      "acme/pay"));
	} else if (get && gl != NULL && strncmp(gl, "/labels", 7) == 0) {
		answer_json(a, 200, json_pack("[{s:s}, {s:s}]", "name", "postmortem", "name",
					      "prevention"));
	} else if (get && gl != NULL && strncmp(gl, "/issues?", 8) == 0) {
		gl_list(ft, t, true, now, a);
	} else if (get && strncmp(t, "/api/v4/issues?", 15) == 0) {
		gl_list(ft, t, false, now, a);
	} else if (get && gl != NULL && strncmp(gl, "/issues/", 8) == 0) {
		int n = atoi(gl + 8);

		if (n >= 1 && (size_t)n <= ft->n && ft->issues[n - 1].body != NULL &&
		    !ft->issues[n - 1].deleted)
			answer_json(a, 200, gl_issue(&ft->issues[n - 1]));
		else
			answer_json(a, 404, json_pack("{s:s}", "message", "404 Issue Not Found"));
	} else if (get && strncmp(t, "/search/issues?", 15) == 0) {
		char *marker = quoted_after(t, "furikaeri:");
		char *comment = marker ? xasprintf("<!-- %s -->", marker) : NULL;
		json_t *items = json_array();

		for (size_t i = 0; comment != NULL && !incomplete && i < ft->n; i++)
			if (ft->issues[i].body && strstr(ft->issues[i].body, comment) &&
			    now >= ft->issues[i].created_ms + ft->lag_ms)
				json_array_append_new(items, gh_issue(&ft->issues[i]));
		answer_json(a, 200, json_pack("{s:I, s:b, s:o}", "total_count",
					      (json_int_t)json_array_size(items),
					      "incomplete_results", incomplete, "items", items));
		free(marker);
		free(comment);
	} else if (get && strncmp(t, "/repos/acme/pay/issues?", 23) == 0) {
		gh_list(ft, t, a);
	} else if (get && strncmp(t, "/repos/acme/pay/issues/", 23) == 0) {
		int n = atoi(t + 23);
		bool subs = strstr(t, "/sub_issues") != NULL;

		if (n >= 1 && (size_t)n <= ft->n && ft->issues[n - 1].deleted)
			answer_json(a, 410, json_pack("{s:s}", "message", "This issue was deleted"));
		else if (n >= 1 && (size_t)n <= ft->n)
			answer_json(a, 200, subs ? gh_sub_issues(&ft->issues[n - 1])
						 : gh_issue(&ft->issues[n - 1]));
		else
			answer_json(a, 404, json_pack("{s:s}", "message", "Not Found"));
	} else if (get && (strncmp(t, "/rest/api/3/issue/", 18) == 0 ||
			   strncmp(t, "/rest/api/2/issue/", 18) == 0)) {
		/* GET by key, as tickets sync reads a ticket: consistent */
		size_t n = strcspn(t + 18, "?/");
		const struct fake_issue *found = NULL;

		for (size_t i = 0; i < ft->n && found == NULL; i++)
			if (ft->issues[i].key && strlen(ft->issues[i].key) == n &&
			    strncmp(ft->issues[i].key, t + 18, n) == 0)
				found = &ft->issues[i];
		if (found != NULL)
			answer_json(a, 200, jira_issue(found));
		else
			answer_json(a, 404, json_pack("{s:[s]}", "errorMessages",
						      "Issue does not exist or you do not have "
						      "permission to see it."));
	} else if (get && (strncmp(t, "/rest/api/3/search/jql?", 23) == 0 ||
			   strncmp(t, "/rest/api/2/search?", 19) == 0)) {
		char *label = quoted_after(t, "furikaeri-");
		json_t *items = json_array();

		for (size_t i = 0; label != NULL && i < ft->n; i++)
			if (ft->issues[i].key && has_label(&ft->issues[i], label) &&
			    now >= ft->issues[i].created_ms + ft->lag_ms)
				json_array_append_new(items, jira_issue(&ft->issues[i]));
		answer_json(a, 200, json_pack("{s:o, s:b}", "issues", items, "isLast", 1));
		free(label);
	} else {
		answer_json(a, 599, json_pack("{s:s, s:s}", "message", "fake_tracker: no route",
					      "target", t));
	}
	if (hold != NULL)
		a->delay_ms = hold->ms;
	pthread_mutex_unlock(&ft->lock);
}

struct fake_tracker *
fake_tracker_new(struct fake_http *f, long long (*now_ms)(void *ctx), void *ctx)
{
	struct fake_tracker *ft = xcalloc(1, sizeof(*ft));

	ft->f = f;
	ft->now_ms = now_ms;
	ft->ctx = ctx;
	ft->slow_ms = 1500;
	pthread_mutex_init(&ft->lock, NULL);
	fake_http_set_handler(f, handle, ft);
	return ft;
}

void
fake_tracker_free(struct fake_tracker *ft)
{
	if (ft == NULL)
		return;
	fake_http_set_handler(ft->f, NULL, NULL);
	for (size_t i = 0; i < ft->n; i++) {
		free(ft->issues[i].key);
		free(ft->issues[i].body);
		json_decref(ft->issues[i].labels);
		free(ft->issues[i].title);
		json_decref(ft->issues[i].gh_labels);
		free(ft->issues[i].created_at);
		free(ft->issues[i].updated_at);
		free(ft->issues[i].uuid);
	}
	free(ft->issues);
	for (size_t i = 0; i < ft->n_holds; i++)
		free(ft->holds[i].path);
	free(ft->holds);
	free(ft->faults);
	free(ft->read_faults);
	free(ft->gl_scope);
	pthread_mutex_destroy(&ft->lock);
	free(ft);
}

/* Replaces a script of faults (a copy of faults), from its first. */
static void
set_script(struct fake_tracker *ft, enum fake_fault **script, size_t *n_script, size_t *next,
	   const enum fake_fault *faults, size_t n)
{
	pthread_mutex_lock(&ft->lock);
	free(*script);
	*script = xcalloc(n + 1, sizeof(*faults));
	if (n > 0)
		memcpy(*script, faults, n * sizeof(*faults));
	*n_script = n;
	*next = 0;
	pthread_mutex_unlock(&ft->lock);
}

void
fake_tracker_faults(struct fake_tracker *ft, const enum fake_fault *faults, size_t n)
{
	set_script(ft, &ft->faults, &ft->n_faults, &ft->next_fault, faults, n);
}

void
fake_tracker_read_faults(struct fake_tracker *ft, const enum fake_fault *faults, size_t n)
{
	set_script(ft, &ft->read_faults, &ft->n_read_faults, &ft->next_read_fault, faults, n);
}

void
fake_tracker_add(struct fake_tracker *ft, bool jira, const char *marker)
{
	struct fake_issue is = { 0 };

	pthread_mutex_lock(&ft->lock);
	is.number = (int)ft->n + 1;
	is.created_ms = ft->now_ms(ft->ctx) - 24LL * 3600 * 1000;
	if (jira) {
		char *label = xasprintf("furikaeri-%s", marker);

		is.key = xasprintf("OPS-%d", 400 + is.number);
		is.labels = json_pack("[s]", label);
		free(label);
	} else {
		is.body = xasprintf("Filed from another furikaeri.\n\n<!-- furikaeri:%s -->", marker);
	}
	ft->issues = xreallocarray(ft->issues, ft->n + 1, sizeof(*ft->issues));
	ft->issues[ft->n++] = is;
	pthread_mutex_unlock(&ft->lock);
}

void
fake_tracker_add_linear(struct fake_tracker *ft, const char *marker)
{
	struct fake_issue is = { 0 };

	pthread_mutex_lock(&ft->lock);
	is.number = (int)ft->n + 1;
	is.created_ms = ft->now_ms(ft->ctx) - 24LL * 3600 * 1000;
	is.key = xasprintf("ENG-%d", 100 + is.number);
	is.uuid = tracker_linear_issue_id(marker);
	is.body = xasprintf("Filed from another furikaeri (marker furikaeri:%s).", marker);
	ft->issues = xreallocarray(ft->issues, ft->n + 1, sizeof(*ft->issues));
	ft->issues[ft->n++] = is;
	pthread_mutex_unlock(&ft->lock);
}

void
fake_tracker_timing(struct fake_tracker *ft, long search_lag_ms, int create_delay_ms, int slow_ms)
{
	pthread_mutex_lock(&ft->lock);
	ft->lag_ms = search_lag_ms;
	ft->delay_ms = create_delay_ms;
	ft->slow_ms = slow_ms;
	pthread_mutex_unlock(&ft->lock);
}

size_t
fake_tracker_stored(struct fake_tracker *ft)
{
	size_t n;

	pthread_mutex_lock(&ft->lock);
	n = ft->n;
	pthread_mutex_unlock(&ft->lock);
	return n;
}

size_t
fake_tracker_stored_with(struct fake_tracker *ft, const char *marker)
{
	char *comment = xasprintf("<!-- furikaeri:%s -->", marker);
	char *label = xasprintf("furikaeri-%s", marker);
	char *uuid = tracker_linear_issue_id(marker);
	size_t n = 0;

	pthread_mutex_lock(&ft->lock);
	for (size_t i = 0; i < ft->n; i++)
		n += (ft->issues[i].body && strstr(ft->issues[i].body, comment)) ||
		     (ft->issues[i].labels && has_label(&ft->issues[i], label)) ||
		     (ft->issues[i].uuid && strcmp(ft->issues[i].uuid, uuid) == 0);
	pthread_mutex_unlock(&ft->lock);
	free(uuid);
	free(comment);
	free(label);
	return n;
}

char *
fake_tracker_key_with(struct fake_tracker *ft, const char *marker)
{
	char *comment = xasprintf("<!-- furikaeri:%s -->", marker);
	char *label = xasprintf("furikaeri-%s", marker);
	char *uuid = tracker_linear_issue_id(marker);
	char *key = NULL;

	pthread_mutex_lock(&ft->lock);
	for (size_t i = 0; i < ft->n && key == NULL; i++) {
		if (ft->issues[i].uuid && strcmp(ft->issues[i].uuid, uuid) == 0)
			key = xstrdup(ft->issues[i].key);
		else if (ft->issues[i].body && strstr(ft->issues[i].body, comment))
			key = xasprintf("acme/pay#%d", ft->issues[i].number);
		else if (ft->issues[i].labels && has_label(&ft->issues[i], label))
			key = xstrdup(ft->issues[i].key);
	}
	pthread_mutex_unlock(&ft->lock);
	free(uuid);
	free(comment);
	free(label);
	return key;
}

void
fake_tracker_close(struct fake_tracker *ft, int number, const char *how)
{
	pthread_mutex_lock(&ft->lock);
	if (number >= 1 && (size_t)number <= ft->n) {
		struct fake_issue *is = &ft->issues[number - 1];

		is->closed = true;
		is->duplicate = strcmp(how, "duplicate") == 0;
		is->moved = strcmp(how, "moved") == 0;
	}
	pthread_mutex_unlock(&ft->lock);
}

int
fake_tracker_gitlab_issue(struct fake_tracker *ft, int number, const char *title,
			  const char *body, const char *labels, const char *updated, bool incident)
{
	struct fake_issue *is;
	char *copy = xstrdup(labels != NULL ? labels : ""), *save = NULL;

	pthread_mutex_lock(&ft->lock);
	if (number >= 1 && (size_t)number <= ft->n) {
		is = &ft->issues[number - 1];
	} else {
		ft->issues = xreallocarray(ft->issues, ft->n + 1, sizeof(*ft->issues));
		is = &ft->issues[ft->n++];
		*is = (struct fake_issue){ .number = (int)ft->n,
					   .created_ms = ft->now_ms(ft->ctx) };
	}
	free(is->title);
	free(is->body);
	free(is->updated_at);
	json_decref(is->gh_labels);
	is->title = xstrdup(title);
	is->body = xstrdup(body);
	is->updated_at = xstrdup(updated);
	if (is->created_at == NULL)
		is->created_at = xstrdup(updated);
	is->incident = incident;
	is->gh_labels = json_array();
	for (char *l = strtok_r(copy, ",", &save); l != NULL; l = strtok_r(NULL, ",", &save))
		json_array_append_new(is->gh_labels, json_string(l));
	number = is->number;
	pthread_mutex_unlock(&ft->lock);
	free(copy);
	return number;
}

void
fake_tracker_page_size(struct fake_tracker *ft, int size)
{
	pthread_mutex_lock(&ft->lock);
	ft->page_size = size;
	pthread_mutex_unlock(&ft->lock);
}

void
fake_tracker_gitlab_scope(struct fake_tracker *ft, const char *scope)
{
	pthread_mutex_lock(&ft->lock);
	free(ft->gl_scope);
	ft->gl_scope = scope != NULL ? xstrdup(scope) : NULL;
	pthread_mutex_unlock(&ft->lock);
}

const char *
fake_tracker_fault_name(enum fake_fault fault)
{
	static const char *const names[] = {
		[FAKE_FAULT_NONE] = "none", [FAKE_FAULT_5XX] = "5xx",
		[FAKE_FAULT_5XX_STORED] = "5xx-stored", [FAKE_FAULT_429] = "429",
		[FAKE_FAULT_DROP] = "drop-stored", [FAKE_FAULT_SLOW] = "slow",
		[FAKE_FAULT_CLOSE_UNREAD] = "close-unread", [FAKE_FAULT_SLOW_LATE] = "slow-late",
		[FAKE_FAULT_DROP_REUSED] = "drop-stored-if-reused",
		[FAKE_FAULT_INCOMPLETE] = "incomplete",
	};

	return (size_t)fault < sizeof(names) / sizeof(names[0]) ? names[fault] : "?";
}
