#include "config.h"

#include <ctype.h>
#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fake_confluence.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/xalloc.h"

#define API "/wiki/api/v2"

struct fake_page {
	char *id, *parent, *title, *adf;
	json_t *labels;		/* names */
	int version;
	long long created_ms, modified_ms;
	bool deleted;
	char *space_id;
};

struct fake_confluence {
	struct fake_http *f;
	long long (*now_ms)(void *ctx);
	void *ctx;
	pthread_mutex_t lock;
	char *space_key, *space_id;
	struct fake_page *pages;
	size_t n;
	size_t created;
	bool drop_create;
	enum fake_confluence_fault fault;
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
			strbuf_addc(&sb, *p);
		}
	}
	return strbuf_detach(&sb);
}

/* The value of name in the target's query (owned), NULL when absent. */
static char *
param(const char *target, const char *name)
{
	const char *q = strchr(target, '?');
	size_t n = strlen(name);

	for (const char *p = q ? q + 1 : NULL; p != NULL && *p != '\0';) {
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

static void
answer_json(struct fake_http_answer *a, int status, json_t *j)
{
	a->action = FAKE_HTTP_REPLY;
	a->status = status;
	a->body = json_dumps(j, JSON_COMPACT);
	json_decref(j);
}

static void
not_found(struct fake_http_answer *a)
{
	answer_json(a, 404, json_pack("{s:[{s:i, s:s, s:s}]}", "errors", "status", 404, "code",
				      "NOT_FOUND", "title", "Not Found"));
}

static char *
iso(long long ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char buf[80];

	gmtime_r(&t, &tm);
	snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
	return xstrdup(buf);
}

static json_t *
page_json(const struct fake_page *p, bool body)
{
	char *created = iso(p->created_ms), *modified = iso(p->modified_ms);
	char *webui = xasprintf("/spaces/OPS/pages/%s/%s", p->id, "Postmortem");
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s, s:s}, s:{s:s}}",
			      "id", p->id, "status", "current", "title", p->title, "spaceId",
			      p->space_id, "authorId", "acc-aoi", "createdAt", created,
			      "parentType", "page", "version", "number", p->version, "createdAt",
			      modified, "authorId", "acc-aoi", "_links", "webui", webui);

	if (p->parent != NULL)
		json_object_set_new(j, "parentId", json_string(p->parent));
	if (body)
		json_object_set_new(j, "body", json_pack("{s:{s:s, s:s}}", "atlas_doc_format",
							 "representation", "atlas_doc_format",
							 "value", p->adf));
	free(created);
	free(modified);
	free(webui);
	return j;
}

/* One page of results from items (stolen), with _links.next by cursor. */
static void
answer_list(struct fake_http_answer *a, const char *target, json_t *items)
{
	char *lim = param(target, "limit"), *cur = param(target, "cursor");
	size_t limit = lim != NULL ? (size_t)atoi(lim) : 25, from = 0;
	json_t *page = json_array(), *links;

	if (limit < 1 || limit > 250) {
		answer_json(a, 400, json_pack("{s:[{s:i, s:s, s:s}]}", "errors", "status", 400,
					      "code", "INVALID_REQUEST_PARAMETER", "title",
					      "limit must be between 1 and 250"));
		json_decref(items);
		free(lim);
		free(cur);
		return;
	}
	if (cur != NULL && strncmp(cur, "fk", 2) == 0)
		from = (size_t)atoi(cur + 2);
	for (size_t i = from; i < json_array_size(items) && i < from + limit; i++)
		json_array_append(page, json_array_get(items, i));
	links = json_pack("{s:s}", "base", "https://acme.atlassian.net/wiki");
	if (from + limit < json_array_size(items)) {
		/* the same request, with the next cursor */
		struct strbuf sb = STRBUF_INIT;
		const char *q = strchr(target, '?');
		strbuf_add(&sb, target, q ? (size_t)(q - target) : strlen(target));
		strbuf_addc(&sb, '?');
		for (const char *p = q ? q + 1 : ""; *p != '\0';) {
			size_t n = strcspn(p, "&");
			if (strncmp(p, "cursor=", 7) != 0) {
				strbuf_add(&sb, p, n);
				strbuf_addc(&sb, '&');
			}
			p += n + (p[n] == '&');
		}
		strbuf_addf(&sb, "cursor=fk%zu", from + limit);
		json_object_set_new(links, "next", json_string(strbuf_str(&sb)));
		strbuf_release(&sb);
	}
	answer_json(a, 200, json_pack("{s:o, s:o}", "results", page, "_links", links));
	json_decref(items);
	free(lim);
	free(cur);
}

static int
by_modified_desc(const void *a, const void *b)
{
	const struct fake_page *const *x = a, *const *y = b;

	return (*x)->modified_ms < (*y)->modified_ms ? 1 : (*x)->modified_ms > (*y)->modified_ms
								     ? -1 : 0;
}

static int
by_created_desc(const void *a, const void *b)
{
	const struct fake_page *const *x = a, *const *y = b;

	return (*x)->created_ms < (*y)->created_ms ? 1 : (*x)->created_ms > (*y)->created_ms
								   ? -1 : 0;
}

static bool
has_label(const struct fake_page *p, const char *name)
{
	json_t *v;
	size_t i;

	json_array_foreach(p->labels, i, v)
		if (strcmp(json_string_value(v), name) == 0)
			return true;
	return false;
}

/* The pages of the space (label: carrying it), newest change first when
 * sorted so. */
static json_t *
pages_of(struct fake_confluence *fc, const char *target, const char *label)
{
	char *body = param(target, "body-format"), *sort = param(target, "sort");
	bool with_body = body != NULL && strcmp(body, "atlas_doc_format") == 0;
	struct fake_page **sel = xcalloc(fc->n + 1, sizeof(*sel));
	size_t n = 0;
	json_t *items = json_array();

	for (size_t i = 0; i < fc->n; i++)
		if (!fc->pages[i].deleted && (label == NULL || has_label(&fc->pages[i], label)))
			sel[n++] = &fc->pages[i];
	if (sort != NULL && strcmp(sort, "-modified-date") == 0)
		qsort(sel, n, sizeof(*sel), by_modified_desc);
	else if (sort != NULL && strcmp(sort, "-created-date") == 0)
		qsort(sel, n, sizeof(*sel), by_created_desc);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, page_json(sel[i], with_body));
	free(sel);
	free(body);
	free(sort);
	return items;
}

static struct fake_page *
find(struct fake_confluence *fc, const char *id, size_t len)
{
	for (size_t i = 0; i < fc->n; i++)
		if (!fc->pages[i].deleted && strlen(fc->pages[i].id) == len &&
		    strncmp(fc->pages[i].id, id, len) == 0)
			return &fc->pages[i];
	return NULL;
}

static void
add_page(struct fake_confluence *fc, const char *id, const char *parent, const char *title,
	 const char *adf, const char *labels)
{
	struct fake_page p = {
		.id = xstrdup(id), .parent = parent ? xstrdup(parent) : NULL,
		.title = xstrdup(title), .adf = xstrdup(adf), .labels = json_array(),
		.version = 1, .space_id = xstrdup(fc->space_id ? fc->space_id : "1"),
	};
	char *copy = labels ? xstrdup(labels) : NULL, *save = NULL;

	for (char *l = copy ? strtok_r(copy, ",", &save) : NULL; l != NULL;
	     l = strtok_r(NULL, ",", &save))
		json_array_append_new(p.labels, json_string(l));
	free(copy);
	p.created_ms = p.modified_ms = fc->now_ms(fc->ctx);
	fc->pages = xreallocarray(fc->pages, fc->n + 1, sizeof(*fc->pages));
	fc->pages[fc->n++] = p;
}

/* POST /pages: {"spaceId", "status", "title", "parentId", "body": {"representation", "value"}}. */
static void
create(struct fake_confluence *fc, const char *body, struct fake_http_answer *a)
{
	json_t *req = json_loads(body ? body : "", 0, NULL);
	const char *title = json_string_value(json_object_get(req, "title"));
	const char *space = json_string_value(json_object_get(req, "spaceId"));
	const char *parent = json_string_value(json_object_get(req, "parentId"));
	json_t *b = json_object_get(req, "body");
	const char *rep = json_string_value(json_object_get(b, "representation"));
	const char *value = json_string_value(json_object_get(b, "value"));
	char id[32];

	if (title == NULL || space == NULL || rep == NULL || value == NULL ||
	    fc->space_id == NULL || strcmp(space, fc->space_id) != 0) {
		answer_json(a, 400, json_pack("{s:[{s:i, s:s, s:s}]}", "errors", "status", 400,
					      "code", "INVALID_REQUEST_PARAMETER", "title",
					      "title, spaceId and body are required"));
		json_decref(req);
		return;
	}
	for (size_t i = 0; i < fc->n; i++)
		if (!fc->pages[i].deleted && strcmp(fc->pages[i].title, title) == 0) {
			/* Confluence: a title is unique in its space */
			answer_json(a, 400, json_pack("{s:[{s:i, s:s, s:s}]}", "errors", "status",
						      400, "code", "INVALID_REQUEST_PARAMETER",
						      "title", "A page with this title already "
						      "exists"));
			json_decref(req);
			return;
		}
	enum fake_confluence_fault fault = fc->fault;
	fc->fault = FAKE_CF_NONE;
	if (fault == FAKE_CF_5XX || fault == FAKE_CF_429 || fault == FAKE_CF_CLOSE_UNREAD) {
		if (fault == FAKE_CF_CLOSE_UNREAD) {
			a->action = FAKE_HTTP_CLOSE_UNREAD;
		} else {
			answer_json(a, fault == FAKE_CF_5XX ? 500 : 429,
				    json_pack("{s:s}", "message", "not now"));
			if (fault == FAKE_CF_429)
				a->headers = xstrdup("Retry-After: 1\r\n");
		}
		json_decref(req);
		return;
	}
	snprintf(id, sizeof(id), "%zu", 700000 + fc->n + 1);
	add_page(fc, id, parent, title, value, NULL);
	fc->created++;
	answer_json(a, 200, page_json(&fc->pages[fc->n - 1], false));
	if (fault == FAKE_CF_5XX_STORED) {
		free(a->body);
		a->body = NULL;
		answer_json(a, 502, json_pack("{s:s}", "message", "Bad Gateway"));
	}
	if (fc->drop_create || fault == FAKE_CF_DROP) {
		fc->drop_create = false;
		a->action = FAKE_HTTP_DROP;
	}
	json_decref(req);
}

static void
handle(void *ctx, const struct fake_http_request *req, struct fake_http_answer *a)
{
	struct fake_confluence *fc = ctx;
	const char *t = req->target;
	bool get = strcmp(req->method, "GET") == 0;
	size_t api = strlen(API);

	pthread_mutex_lock(&fc->lock);
	if (strncmp(t, API, api) != 0) {
		not_found(a);
		pthread_mutex_unlock(&fc->lock);
		return;
	}
	t += api;
	if (strcmp(req->method, "POST") == 0 && strncmp(t, "/pages", 6) == 0 &&
	    (t[6] == '\0' || t[6] == '?')) {
		create(fc, req->body, a);
	} else if (get && strncmp(t, "/spaces?", 8) == 0) {
		char *keys = param(req->target, "keys");
		json_t *items = json_array();
		if (keys != NULL && fc->space_key != NULL && strcmp(keys, fc->space_key) == 0)
			json_array_append_new(items, json_pack("{s:s, s:s, s:s}", "id", fc->space_id,
							       "key", fc->space_key, "name",
							       "Operations"));
		answer_list(a, req->target, items);
		free(keys);
	} else if (get && strncmp(t, "/spaces/", 8) == 0) {
		size_t n = strcspn(t + 8, "/?");
		const char *rest = t + 8 + n;
		if (fc->space_id == NULL || strlen(fc->space_id) != n ||
		    strncmp(t + 8, fc->space_id, n) != 0) {
			not_found(a);
		} else if (strncmp(rest, "/pages", 6) == 0) {
			answer_list(a, req->target, pages_of(fc, req->target, NULL));
		} else if (strncmp(rest, "/content/labels", 15) == 0) {
			json_t *items = json_array(), *names = json_array(), *v;
			size_t k;
			for (size_t i = 0; i < fc->n; i++)
				json_array_foreach(fc->pages[i].labels, k, v) {
					bool dup = false;
					json_t *w;
					size_t m;
					json_array_foreach(names, m, w)
						dup = dup || json_equal(v, w);
					if (!dup)
						json_array_append(names, v);
				}
			json_array_foreach(names, k, v) {
				char id[32];
				snprintf(id, sizeof(id), "%zu", 5000 + k);
				json_array_append_new(items, json_pack("{s:s, s:O, s:s}", "id", id,
								       "name", v, "prefix",
								       "global"));
			}
			json_decref(names);
			answer_list(a, req->target, items);
		} else {
			not_found(a);
		}
	} else if (get && strncmp(t, "/labels/", 8) == 0 && strstr(t, "/pages") != NULL) {
		/* the label's id is 5000 + its place among the content labels */
		size_t want = (size_t)atoi(t + 8) - 5000, k, seen = 0;
		json_t *v;
		const char *name = NULL;
		for (size_t i = 0; i < fc->n && name == NULL; i++)
			json_array_foreach(fc->pages[i].labels, k, v) {
				bool earlier = false;
				for (size_t j = 0; j < i && !earlier; j++)
					earlier = has_label(&fc->pages[j], json_string_value(v));
				for (size_t m = 0; m < k && !earlier; m++)
					earlier = json_equal(json_array_get(fc->pages[i].labels, m), v);
				if (!earlier && seen++ == want && name == NULL)
					name = json_string_value(v);
			}
		if (name == NULL)
			not_found(a);
		else
			answer_list(a, req->target, pages_of(fc, req->target, name));
	} else if (get && strncmp(t, "/pages/", 7) == 0) {
		size_t n = strcspn(t + 7, "/?");
		struct fake_page *p = find(fc, t + 7, n);
		const char *rest = t + 7 + n;
		if (p == NULL) {
			not_found(a);
		} else if (strncmp(rest, "/children", 9) == 0) {
			json_t *items = json_array();
			for (size_t i = 0; i < fc->n; i++)
				if (!fc->pages[i].deleted && fc->pages[i].parent != NULL &&
				    strcmp(fc->pages[i].parent, p->id) == 0)
					json_array_append_new(items, json_pack(
						"{s:s, s:s, s:s, s:s}", "id", fc->pages[i].id,
						"status", "current", "title", fc->pages[i].title,
						"spaceId", fc->pages[i].space_id));
			answer_list(a, req->target, items);
		} else if (rest[0] == '\0' || rest[0] == '?') {
			char *body = param(req->target, "body-format");
			json_t *j = page_json(p, body != NULL && strcmp(body, "atlas_doc_format") == 0);
			json_object_set_new(json_object_get(j, "_links"), "base",
					    json_string("https://acme.atlassian.net/wiki"));
			answer_json(a, 200, j);
			free(body);
		} else {
			not_found(a);
		}
	} else {
		answer_json(a, 599, json_pack("{s:s, s:s}", "message", "fake_confluence: no route",
					      "target", req->target));
	}
	pthread_mutex_unlock(&fc->lock);
}

struct fake_confluence *
fake_confluence_new(struct fake_http *f, long long (*now_ms)(void *ctx), void *ctx)
{
	struct fake_confluence *fc = xcalloc(1, sizeof(*fc));

	fc->f = f;
	fc->now_ms = now_ms;
	fc->ctx = ctx;
	pthread_mutex_init(&fc->lock, NULL);
	fake_http_set_handler(f, handle, fc);
	return fc;
}

void
fake_confluence_free(struct fake_confluence *fc)
{
	if (fc == NULL)
		return;
	fake_http_set_handler(fc->f, NULL, NULL);
	for (size_t i = 0; i < fc->n; i++) {
		free(fc->pages[i].id);
		free(fc->pages[i].parent);
		free(fc->pages[i].title);
		free(fc->pages[i].adf);
		free(fc->pages[i].space_id);
		json_decref(fc->pages[i].labels);
	}
	free(fc->pages);
	free(fc->space_key);
	free(fc->space_id);
	pthread_mutex_destroy(&fc->lock);
	free(fc);
}

void
fake_confluence_space(struct fake_confluence *fc, const char *key, const char *id)
{
	pthread_mutex_lock(&fc->lock);
	free(fc->space_key);
	free(fc->space_id);
	fc->space_key = xstrdup(key);
	fc->space_id = xstrdup(id);
	pthread_mutex_unlock(&fc->lock);
}

void
fake_confluence_page(struct fake_confluence *fc, const char *id, const char *parent,
		     const char *title, const char *adf, const char *labels)
{
	pthread_mutex_lock(&fc->lock);
	add_page(fc, id, parent, title, adf, labels);
	pthread_mutex_unlock(&fc->lock);
}

void
fake_confluence_edit(struct fake_confluence *fc, const char *id, const char *adf)
{
	pthread_mutex_lock(&fc->lock);
	struct fake_page *p = find(fc, id, strlen(id));
	if (p != NULL) {
		free(p->adf);
		p->adf = xstrdup(adf);
		p->version++;
		p->modified_ms = fc->now_ms(fc->ctx);
	}
	pthread_mutex_unlock(&fc->lock);
}

void
fake_confluence_delete(struct fake_confluence *fc, const char *id)
{
	pthread_mutex_lock(&fc->lock);
	struct fake_page *p = find(fc, id, strlen(id));
	if (p != NULL)
		p->deleted = true;
	pthread_mutex_unlock(&fc->lock);
}

size_t
fake_confluence_created(struct fake_confluence *fc)
{
	pthread_mutex_lock(&fc->lock);
	size_t n = fc->created;
	pthread_mutex_unlock(&fc->lock);
	return n;
}

void
fake_confluence_drop_next_create(struct fake_confluence *fc)
{
	pthread_mutex_lock(&fc->lock);
	fc->drop_create = true;
	pthread_mutex_unlock(&fc->lock);
}

char *
fake_confluence_body(struct fake_confluence *fc, const char *id)
{
	pthread_mutex_lock(&fc->lock);
	struct fake_page *p = find(fc, id, strlen(id));
	char *body = p != NULL ? xstrdup(p->adf) : NULL;
	pthread_mutex_unlock(&fc->lock);
	return body;
}

void
fake_confluence_create_fault(struct fake_confluence *fc, enum fake_confluence_fault fault)
{
	pthread_mutex_lock(&fc->lock);
	fc->fault = fault;
	pthread_mutex_unlock(&fc->lock);
}

size_t
fake_confluence_titled(struct fake_confluence *fc, const char *title)
{
	size_t n = 0;

	pthread_mutex_lock(&fc->lock);
	for (size_t i = 0; i < fc->n; i++)
		n += !fc->pages[i].deleted && strcmp(fc->pages[i].title, title) == 0;
	pthread_mutex_unlock(&fc->lock);
	return n;
}
