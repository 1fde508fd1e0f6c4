#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "furikaeri/err.h"
#include "furikaeri/http_call.h"
#include "furikaeri/importer.h"
#include "furikaeri/log.h"
#include "furikaeri/retry.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/token_command.h"
#include "furikaeri/xalloc.h"
#include "source_private.h"

/* gdocs:FOLDER_ID: the Google Docs in a Drive folder. GET
 * /drive/v3/files lists them (q: in the folder, a Doc, not trashed, and
 * modifiedTime > the last import's time less the lag), paged by
 * nextPageToken; GET /drive/v3/files/{id}/export?mimeType=text/markdown
 * reads each changed one as Markdown. Shared drives are included. */

#define GDOCS_PAGE 100
#define GDOCS_IDS_PAGE 1000
#define GDOCS_DOC_MIME "application/vnd.google-apps.document"
#define GDOCS_FIELDS "id,name,createdTime,modifiedTime,webViewLink,version"
/* The longest a token_command may take (gcloud refreshing a token). */
#define GDOCS_TOKEN_TIMEOUT_MS 30000L
#define GDOCS_MAX_WAIT_MS 120000L

struct source_gdocs {
	struct http_client *http;
	char *base;		/* https://www.googleapis.com/drive/v3 */
	char *auth;		/* the Authorization line, wiped on free */
	const struct http_clock *clock;
	unsigned int seed;
};

static const char *const gdocs_token_steps =
	"get one with the drive.readonly scope: gcloud auth application-default login "
	"--scopes=...,https://www.googleapis.com/auth/drive.readonly, then set token_command = "
	"gcloud auth application-default print-access-token in [gdocs] (the steps are in "
	"furikaeri(5))";

char *
source_gdocs_token(const struct config *cfg, char **err)
{
	const char *v = getenv("GOOGLE_OAUTH_ACCESS_TOKEN");
	const char *path = cfg->path != NULL ? cfg->path : "the config file";

	if (v != NULL && v[0] != '\0')
		return xstrdup(v);
	if (cfg->gdocs.token_command != NULL) {
		char *where = cfg->path != NULL ? xasprintf("%s:%d: [gdocs]", cfg->path,
							     cfg->gdocs.token_command_line)
						: xstrdup("[gdocs]");
		char *token = token_command_run(cfg->gdocs.token_command, where,
						GDOCS_TOKEN_TIMEOUT_MS, err);
		free(where);
		return token;
	}
	err_set(err, "no Google token: set GOOGLE_OAUTH_ACCESS_TOKEN, or token_command in "
		"[gdocs] of %s; %s", path, gdocs_token_steps);
	return NULL;
}

static void
gdocs_free(struct source_gdocs *g)
{
	if (g == NULL)
		return;
	xfree_secret(g->auth);
	http_client_free(g->http);
	free(g->base);
	free(g);
}

static struct source_gdocs *
gdocs_new(const struct config *cfg, const struct http_clock *clock, char **err)
{
	struct http_options ho = {
		.ca_bundle = cfg->ca_bundle,
		.connect_timeout_ms = cfg->connect_timeout_s * 1000,
		.timeout_ms = cfg->timeout_s * 1000,
	};
	const char *url = cfg->gdocs.url;
	struct source_gdocs *g;
	char *token;
	size_t n;

	if (!http_url_allowed(url, err)) {
		err_prefix(err, "%s: [gdocs] url", cfg->path ? cfg->path : "the config file");
		return NULL;
	}
	token = source_gdocs_token(cfg, err);
	if (token == NULL)
		return NULL;
	log_add_secret(token);
	g = xcalloc(1, sizeof(*g));
	g->auth = xasprintf("Authorization: Bearer %s", token);
	xfree_secret(token);
	g->http = http_client_new(&ho, err);
	if (g->http == NULL) {
		gdocs_free(g);
		return NULL;
	}
	n = strlen(url);
	while (n > 0 && url[n - 1] == '/')
		n--;
	g->base = xasprintf("%.*s/drive/v3", (int)n, url);
	g->clock = clock;
	g->seed = (unsigned)time(NULL) ^ (unsigned)(size_t)g;
	return g;
}

/* What to do about a status Drive answered with. */
static const char *
advice(long status)
{
	switch (status) {
	case 400:
		return "Drive refused the request; check the folder id after gdocs:";
	case 401:
		return "the Google token expired or was refused (an access token lasts an hour): "
		       "get a new one with gcloud auth print-access-token (GOOGLE_OAUTH_ACCESS_TOKEN), "
		       "or set token_command in [gdocs] so each import gets a fresh one";
	case 403:
		return "the token may not read this: it needs the drive.readonly scope "
		       "(furikaeri(5), [gdocs]), and the account must be able to open the "
		       "folder; a Doc may also be too large to export (10 MB)";
	case 404:
		return "not found: check the folder id (the last part of the folder's URL) and that "
		       "the account can open it";
	default:
		return "";
	}
}

/* Google's own words from an error body ({"error": {"message": ...}}). */
static char *
describe(const char *shown, const struct http_response *resp)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *body = resp->body_len > 0 ? json_loadb(resp->body, resp->body_len, 0, NULL) : NULL;
	const char *msg = json_string_value(json_object_get(json_object_get(body, "error"),
							    "message"));
	const char *tip = advice(resp->status);
	char *redacted, *clean;

	strbuf_addf(&sb, "GET %s: Google Drive answered %ld", shown, resp->status);
	if (msg != NULL && msg[0] != '\0')
		strbuf_addf(&sb, ": %.300s", msg);
	if (tip[0] != '\0')
		strbuf_addf(&sb, "; %s", tip);
	json_decref(body);
	redacted = log_redact(strbuf_str(&sb));
	clean = text_sanitize(redacted, false);
	free(redacted);
	strbuf_release(&sb);
	return clean;
}

/* GETs base+path through the one transfer loop. On a 2xx, 0 with the body
 * (owned, NUL-terminated) in *body; else -1 with *err naming the request,
 * the status, Google's words and what to do. */
static int
gdocs_get(struct source_run *r, const char *path, char **body, size_t *len, char **err)
{
	struct source_gdocs *g = r->gdocs;
	char *url = xasprintf("%s%s", g->base, path), *shown = http_url_path(url);
	const char *headers[] = { g->auth, "Accept: application/json, text/markdown", NULL };
	struct http_request req = { .method = "GET", .url = url, .headers = headers,
				    .idempotent = true };
	struct http_call_result res;
	int rc = -1;

	*body = NULL;
	/* what was put so far is committed before anything waits on the network */
	source_batch_end(r);
	http_call_run(&(struct http_call){
		.client = g->http, .req = &req, .clock = g->clock, .shown = shown,
		.seed = &g->seed, .max_inline_wait_ms = GDOCS_MAX_WAIT_MS,
		.after_answer = source_count_answer, .ctx = r,
	}, &res);
	if (http_call_ok(&res)) {
		*body = res.resp.body;
		*len = res.resp.body_len;
		res.resp.body = NULL;
		rc = 0;
	} else if (res.error == HTTP_OK && res.resp.status > 0) {
		char *msg = describe(shown, &res.resp);
		err_set(err, "%s", msg);
		free(msg);
		if (res.decision.rate_limited)
			err_prefix(err, "rate limited, run the import again in %ld s",
				   (res.wait_ms + 999) / 1000);
	} else {
		char *redacted = log_redact(res.perr ? res.perr : "no answer");
		err_set(err, "%s", redacted);
		free(redacted);
	}
	http_call_result_release(&res);
	free(shown);
	free(url);
	return rc;
}

static json_t *
gdocs_get_json(struct source_run *r, const char *path, char **err)
{
	char *body;
	size_t len;
	json_t *j;

	if (gdocs_get(r, path, &body, &len, err) < 0)
		return NULL;
	j = json_loadb(body, len, 0, NULL);
	free(body);
	if (!json_is_object(j)) {
		char *shown = http_url_path(path);
		err_set(err, "GET %s%s: Google Drive answered without a JSON object",
			"/drive/v3", shown);
		free(shown);
		json_decref(j);
		return NULL;
	}
	return j;
}

/* Exports one Doc and puts it; a failure waits for the next import. */
static void
one_doc(struct source_run *r, json_t *file)
{
	const char *id = json_string_value(json_object_get(file, "id"));
	const char *name = json_string_value(json_object_get(file, "name"));
	const char *link = json_string_value(json_object_get(file, "webViewLink"));
	const char *created = json_string_value(json_object_get(file, "createdTime"));
	char *esc, *path, *md = NULL, *perr = NULL, *url, *both, *hash;
	size_t len = 0;
	struct postmortem *pm;

	if (id == NULL) {
		source_fail(r, "GET /drive/v3/files: Google Drive listed a file without an id");
		return;
	}
	url = link != NULL ? xstrdup(link)
			   : xasprintf("https://docs.google.com/document/d/%s/edit", id);
	esc = http_escape(id);
	path = xasprintf("/files/%s/export?mimeType=text%%2Fmarkdown", esc);
	if (gdocs_get(r, path, &md, &len, &perr) < 0) {
		char *msg = xasprintf("%s (%s): %s", url, name ? name : id, perr);
		source_fail_item(r, id, msg);
		free(msg);
		goto done;
	}
	both = xasprintf("%s\n%s", name ? name : "", md);
	hash = importer_hash(both, strlen(both));
	free(both);
	pm = import_gdoc(md, len, id, name, url, created, r->h, &r->map, &perr);
	if (pm == NULL)
		source_fail_item(r, id, perr);
	else
		source_put(r, pm, hash);
	postmortem_free(pm);
	free(hash);
done:
	free(md);
	free(perr);
	free(path);
	free(esc);
	free(url);
}

/* Walks every page of the folder's Docs (modified after since, when not
 * NULL); each file goes to fn. */
static int
list(struct source_run *r, const char *since, const char *fields, int page_size,
     void (*fn)(struct source_run *r, json_t *file), char **err)
{
	char *q = since != NULL
		? xasprintf("'%s' in parents and mimeType='" GDOCS_DOC_MIME "' and trashed=false "
			    "and modifiedTime > '%s'", r->spec->folder, since)
		: xasprintf("'%s' in parents and mimeType='" GDOCS_DOC_MIME "' and trashed=false",
			    r->spec->folder);
	char *eq = http_escape(q), *ef = http_escape(fields), *token = NULL;
	int rc = -1;

	for (;;) {
		char *et = token != NULL ? http_escape(token) : NULL;
		char *path = xasprintf("/files?q=%s&fields=%s&pageSize=%d&orderBy=modifiedTime"
				       "&supportsAllDrives=true&includeItemsFromAllDrives=true%s%s",
				       eq, ef, page_size, et ? "&pageToken=" : "", et ? et : "");
		json_t *page = gdocs_get_json(r, path, err), *files, *file;
		size_t i;

		free(et);
		free(path);
		if (page == NULL)
			break;
		files = json_object_get(page, "files");
		if (!json_is_array(files)) {
			err_set(err, "GET /drive/v3/files: Google Drive answered without files");
			json_decref(page);
			break;
		}
		json_array_foreach(files, i, file)
			fn(r, file);
		json_t *next = json_object_get(page, "nextPageToken");
		const char *nv = json_string_value(next);
		/* a token that leads back to the same page would never end */
		if (nv != NULL && token != NULL && strcmp(nv, token) == 0) {
			err_set(err, "GET /drive/v3/files: Google Drive answered the same "
				"nextPageToken twice; the listing was stopped there");
			json_decref(page);
			break;
		}
		free(token);
		token = nv != NULL && nv[0] != '\0' ? xstrdup(nv) : NULL;
		json_decref(page);
		if (token == NULL) {
			rc = 0;
			break;
		}
	}
	free(token);
	free(q);
	free(eq);
	free(ef);
	return rc;
}

static void
mark_seen(struct source_run *r, json_t *file)
{
	const char *id = json_string_value(json_object_get(file, "id"));

	if (id != NULL)
		source_known(r, id);
}

int
source_gdocs_open(struct source_run *r, const struct http_clock *clock, char **err)
{
	r->gdocs = gdocs_new(r->cfg, clock, err);
	return r->gdocs != NULL ? 0 : -1;
}

void
source_gdocs_close(struct source_run *r)
{
	gdocs_free(r->gdocs);
	r->gdocs = NULL;
}

int
source_gdocs_run(struct source_run *r, const char *since, char **err)
{
	int rc = list(r, since, "nextPageToken,files(" GDOCS_FIELDS ")", GDOCS_PAGE, one_doc, err);

	if (rc == 0 && since != NULL && r->n_known > 0) {
		/* only the ids: which Docs brought before are still in the folder */
		rc = list(r, NULL, "nextPageToken,files(id)", GDOCS_IDS_PAGE, mark_seen, err);
		for (size_t i = 0; rc == 0 && i < r->n_known; i++)
			if (!r->seen[i])
				source_gone(r, r->known[i], "it is no longer in the folder (moved, "
					    "trashed or deleted, or no longer shared); its postmortem "
					    "is kept");
	}
	return rc;
}

void
source_gdocs_retry(struct source_run *r)
{
	for (size_t i = 0; i < r->n_waiting; i++) {
		const char *id = r->waiting[i];
		char *esc, *path, *err = NULL;
		json_t *file, *parents;
		bool inside = false;
		size_t k;
		json_t *p;

		if (r->settled[i])
			continue;
		esc = http_escape(id);
		path = xasprintf("/files/%s?fields=" GDOCS_FIELDS ",parents,trashed,mimeType"
				 "&supportsAllDrives=true", esc);
		file = gdocs_get_json(r, path, &err);
		if (file == NULL && (r->last_status == 404 || r->last_status == 410)) {
			source_gone(r, id, "it failed to import earlier and was deleted, or the "
				    "account can no longer open it");
		} else if (file == NULL) {
			source_fail_item(r, id, err);
		} else {
			parents = json_object_get(file, "parents");
			json_array_foreach(parents, k, p)
				inside = inside || (json_is_string(p) &&
						    strcmp(json_string_value(p), r->spec->folder) == 0);
			if (!inside || json_is_true(json_object_get(file, "trashed")))
				source_gone(r, id, "it failed to import earlier and is no longer in "
					    "the folder (moved or trashed)");
			else
				one_doc(r, file);
		}
		json_decref(file);
		free(err);
		free(path);
		free(esc);
	}
}

int
source_gdocs_doctor(const struct config *cfg, const char *folder, char **report)
{
	struct source_run r = { .cfg = cfg };
	struct source_counts counts = { 0 };
	struct source_options o = { 0 };
	struct strbuf sb = STRBUF_INIT;
	char *err = NULL, *path, *esc;
	json_t *j;
	int failed = 0;

	r.counts = &counts;
	r.o = &o;
	r.gdocs = gdocs_new(cfg, NULL, &err);
	if (r.gdocs == NULL) {
		strbuf_addf(&sb, "FAIL Google Docs: %s\n", err);
		free(err);
		*report = strbuf_detach(&sb);
		return 1;
	}
	strbuf_addf(&sb, "ok   Google Docs: %s, token present\n", r.gdocs->base);
	j = gdocs_get_json(&r, "/about?fields=user", &err);
	if (j == NULL) {
		strbuf_addf(&sb, "FAIL Google Docs: the token does not authenticate: %s\n", err);
		failed++;
	} else {
		json_t *user = json_object_get(j, "user");
		const char *who = json_string_value(json_object_get(user, "emailAddress"));
		if (who == NULL)
			who = json_string_value(json_object_get(user, "displayName"));
		char *clean = text_sanitize(who ? who : "?", false);
		strbuf_addf(&sb, "ok   Google Docs: the token authenticates as %s\n", clean);
		free(clean);
		json_decref(j);
		esc = http_escape(folder);
		path = xasprintf("/files/%s?fields=id,name,mimeType&supportsAllDrives=true", esc);
		free(err);
		err = NULL;
		j = gdocs_get_json(&r, path, &err);
		if (j == NULL) {
			strbuf_addf(&sb, "FAIL Google Docs: folder %s cannot be read: %s\n", folder, err);
			failed++;
		} else {
			const char *name = json_string_value(json_object_get(j, "name"));
			const char *mime = json_string_value(json_object_get(j, "mimeType"));
			char *clean_name = text_sanitize(name ? name : folder, false);
			if (mime != NULL && strcmp(mime, "application/vnd.google-apps.folder") != 0) {
				strbuf_addf(&sb, "FAIL Google Docs: %s (%s) is a %s, not a folder: "
					    "give the folder's id after gdocs:\n", folder, clean_name,
					    mime);
				failed++;
			} else {
				strbuf_addf(&sb, "ok   Google Docs: folder %s (%s) is readable\n",
					    folder, clean_name);
			}
			free(clean_name);
			json_decref(j);
		}
		free(path);
		free(esc);
	}
	free(err);
	gdocs_free(r.gdocs);
	*report = strbuf_detach(&sb);
	return failed;
}
