#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "furikaeri/err.h"
#include "furikaeri/importer.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"
#include "source_private.h"

/* confluence:SPACE[/PARENT-PAGE-ID] [label=L]: Confluence Cloud's REST v2.
 * The space by its key (GET /spaces?keys=), then its pages with their
 * bodies as Atlassian documents, the latest change first (GET
 * /spaces/{id}/pages, or GET /labels/{id}/pages with a label, the label's
 * id found among the space's content labels), page after page by
 * _links.next. Under a parent only its descendants count: their ids come
 * from GET /pages/{id}/children, level by level. Incremental by page
 * version: the listing stops at the first page whose current version was
 * made before the last import began (less the source's lag). */

#define CONF_PAGE 100
#define CONF_LIMIT 250
/* a parent's tree is read up to this many pages */
#define CONF_MAX_TREE 20000

struct conf {
	struct source_run *r;
	char *space_id;
	char *base;		/* the site's web root, ".../wiki" */
	char **tree;		/* a parent's descendants, sorted; NULL: every page */
	size_t n_tree;
	time_t since;		/* 0: everything */
	bool stop;		/* an older version was reached */
};

static int
compare_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "2026-11-20T03:04:05.678Z" (or without fraction) as seconds, 0 when unreadable. */
static time_t
iso_time(const char *s)
{
	struct tm tm = { 0 };
	const char *end;

	if (s == NULL || (end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL)
		return 0;
	return timegm(&tm);
}

/* The URL of the next page of a listing (owned), NULL at the end or with
 * *err when it points off the site. */
static char *
next_url(struct conf *c, json_t *page, char **err)
{
	const char *next = json_string_value(json_object_get(json_object_get(page, "_links"),
							      "next"));
	const char *site = c->r->t->site;

	if (next == NULL || next[0] == '\0')
		return NULL;
	if (next[0] == '/')
		return xasprintf("%s%s", site, next);
	if (strncmp(next, site, strlen(site)) == 0 && next[strlen(site)] == '/')
		return xstrdup(next);
	err_set(err, "Confluence's next page is off the site (%.100s); nothing more is read", next);
	return NULL;
}

/* Every page of a listing: fn gets each result; false from fn ends it. */
static int
walk(struct conf *c, const char *first, bool (*fn)(struct conf *c, json_t *item, void *ctx),
     void *ctx, char **err)
{
	char *url = xstrdup(first);
	int pages = 0;

	while (url != NULL) {
		json_t *page = source_get(c->r, url, NULL, err), *results, *item;
		size_t i;
		bool more = true;

		if (page == NULL || !json_is_array(results = json_object_get(page, "results"))) {
			if (page != NULL)
				err_set(err, "GET %s: Confluence answered without results", url);
			json_decref(page);
			free(url);
			return -1;
		}
		const char *base = json_string_value(json_object_get(json_object_get(page, "_links"),
								     "base"));
		if (base != NULL && c->base == NULL &&
		    (strncmp(base, "https://", 8) == 0 || strncmp(base, "http://", 7) == 0))
			c->base = xstrdup(base);
		json_array_foreach(results, i, item) {
			if (more)
				more = fn(c, item, ctx);
		}
		free(url);
		url = NULL;
		if (more && json_array_size(results) > 0 && ++pages < 100000) {
			char *e = NULL;
			url = next_url(c, page, &e);
			if (e != NULL) {
				err_set(err, "%s", e);
				free(e);
				json_decref(page);
				return -1;
			}
		}
		json_decref(page);
	}
	return 0;
}

static bool
first_id(struct conf *c, json_t *item, void *ctx)
{
	char **id = ctx;

	(void)c;
	if (*id == NULL && json_is_string(json_object_get(item, "id")))
		*id = xstrdup(json_string_value(json_object_get(item, "id")));
	return false;
}

struct label_find {
	const char *name;
	char *id;
};

static bool
label_match(struct conf *c, json_t *item, void *ctx)
{
	struct label_find *lf = ctx;
	const char *name = json_string_value(json_object_get(item, "name"));
	const char *id = json_string_value(json_object_get(item, "id"));

	(void)c;
	if (name != NULL && id != NULL && text_casecmp(name, lf->name) == 0) {
		lf->id = xstrdup(id);
		return false;
	}
	return true;
}

static bool
tree_add(struct conf *c, json_t *item, void *ctx)
{
	const char *id = json_string_value(json_object_get(item, "id"));

	(void)ctx;
	if (id == NULL || strcmp(id, c->r->spec->parent) == 0)
		return true;
	/* a page seen twice (a cycle the listing should never have) ends there */
	for (size_t i = 0; i < c->n_tree; i++)
		if (strcmp(c->tree[i], id) == 0)
			return true;
	if (c->n_tree < CONF_MAX_TREE) {
		c->tree = xreallocarray(c->tree, c->n_tree + 1, sizeof(char *));
		c->tree[c->n_tree++] = xstrdup(id);
	}
	return true;
}

/* The parent's descendants: its children, theirs, and so on. */
static int
read_tree(struct conf *c, char **err)
{
	size_t next = 0;
	char *first = xasprintf("%s/pages/%s/children?limit=%d", c->r->t->base,
				c->r->spec->parent, CONF_LIMIT);
	int rc = walk(c, first, tree_add, NULL, err);

	free(first);
	while (rc == 0 && next < c->n_tree) {
		char *url = xasprintf("%s/pages/%s/children?limit=%d", c->r->t->base,
				      c->tree[next++], CONF_LIMIT);
		rc = walk(c, url, tree_add, NULL, err);
		free(url);
	}
	if (rc == 0 && c->tree == NULL)
		c->tree = xcalloc(1, sizeof(char *));	/* a parent without children: none */
	if (c->n_tree > 1)
		qsort(c->tree, c->n_tree, sizeof(char *), compare_str);
	return rc;
}

static bool
in_tree(const struct conf *c, const char *id)
{
	if (c->tree == NULL)
		return true;
	return c->n_tree > 0 &&
	       bsearch(&id, c->tree, c->n_tree, sizeof(char *), compare_str) != NULL;
}

static const char *
web_base(struct conf *c)
{
	if (c->base == NULL)
		c->base = xasprintf("%s/wiki", c->r->t->site);
	return c->base;
}

/* One page: imported, or failed and waiting under its id. */
static void
put_page(struct conf *c, json_t *page)
{
	struct source_run *r = c->r;
	char *text = json_dumps(page, JSON_COMPACT | JSON_SORT_KEYS), *perr = NULL;
	char *hash = importer_hash(text, strlen(text));
	struct postmortem *pm = import_issue_confluence(text, strlen(text), web_base(c), r->h,
							&r->map, &perr);
	const char *id = json_string_value(json_object_get(page, "id"));

	if (pm == NULL && id != NULL) {
		char *pid = xasprintf("page-%s", id);
		source_fail_item(r, pid, perr);
		free(pid);
	} else if (pm == NULL) {
		source_fail(r, perr);
	} else {
		source_put(r, pm, hash);
	}
	postmortem_free(pm);
	free(perr);
	free(hash);
	free(text);
}

static bool
listed_page(struct conf *c, json_t *page, void *ctx)
{
	const char *id = json_string_value(json_object_get(page, "id"));
	const char *status = json_string_value(json_object_get(page, "status"));
	time_t changed = iso_time(json_string_value(json_object_get(json_object_get(page,
								"version"), "createdAt")));

	(void)ctx;
	/* newest change first: an older version ends what changed */
	if (c->since != 0 && changed != 0 && changed < c->since) {
		c->stop = true;
		return false;
	}
	if (id == NULL || (status != NULL && strcmp(status, "current") != 0) || !in_tree(c, id))
		return true;
	put_page(c, page);
	return true;
}

static void
conf_release(struct conf *c)
{
	for (size_t i = 0; i < c->n_tree; i++)
		free(c->tree[i]);
	free(c->tree);
	free(c->space_id);
	free(c->base);
}

int
source_confluence_run(struct source_run *r, const char *since, char **err)
{
	struct conf c = { .r = r };
	char *key = http_escape(r->spec->space), *url;
	int rc = -1;

	c.since = since != NULL ? iso_time(since) : 0;
	url = xasprintf("%s/spaces?keys=%s&limit=1", r->t->base, key);
	if (walk(&c, url, first_id, &c.space_id, err) < 0)
		goto done;
	if (c.space_id == NULL) {
		err_set(err, "Confluence has no space with the key %s that the account can see; "
			"the key is in the space's address (.../wiki/spaces/KEY/...)", r->spec->space);
		goto done;
	}
	if (r->spec->parent != NULL && read_tree(&c, err) < 0)
		goto done;
	free(url);
	url = NULL;
	if (r->spec->label != NULL) {
		struct label_find lf = { .name = r->spec->label };
		url = xasprintf("%s/spaces/%s/content/labels?limit=%d", r->t->base, c.space_id,
				CONF_LIMIT);
		if (walk(&c, url, label_match, &lf, err) < 0)
			goto done;
		if (lf.id == NULL) {
			/* no page of the space carries it (yet): nothing to import */
			rc = 0;
			goto done;
		}
		free(url);
		url = xasprintf("%s/labels/%s/pages?space-id=%s&body-format=atlas_doc_format"
				"&sort=-modified-date&limit=%d", r->t->base, lf.id, c.space_id,
				CONF_PAGE);
		free(lf.id);
	} else {
		url = xasprintf("%s/spaces/%s/pages?body-format=atlas_doc_format"
				"&sort=-modified-date&status=current&limit=%d", r->t->base,
				c.space_id, CONF_PAGE);
	}
	rc = walk(&c, url, listed_page, NULL, err);
done:
	free(url);
	free(key);
	conf_release(&c);
	return rc;
}

void
source_confluence_retry(struct source_run *r)
{
	struct conf c = { .r = r };

	for (size_t i = 0; i < r->n_waiting; i++) {
		const char *pid = r->waiting[i];
		char *url, *err = NULL;
		json_t *page;

		if (r->settled[i])
			continue;
		if (strncmp(pid, "page-", 5) != 0 ||
		    strspn(pid + 5, "0123456789") != strlen(pid + 5) || pid[5] == '\0') {
			source_gone(r, pid, "it is not a Confluence page's id");
			continue;
		}
		url = xasprintf("%s/pages/%s?body-format=atlas_doc_format", r->t->base, pid + 5);
		page = source_get(r, url, NULL, &err);
		if (page == NULL && (r->last_status == 404 || r->last_status == 410))
			source_gone(r, pid, "it failed to import earlier and was deleted, or the "
				    "account can no longer see it");
		else if (page == NULL)
			source_fail_item(r, pid, err);
		else if (json_is_string(json_object_get(page, "status")) &&
			 strcmp(json_string_value(json_object_get(page, "status")), "current") != 0)
			source_gone(r, pid, "it failed to import earlier and is no longer a current "
				    "page (archived or in the trash)");
		else
			put_page(&c, page);
		json_decref(page);
		free(err);
		free(url);
	}
	conf_release(&c);
}
