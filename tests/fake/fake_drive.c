#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "fake_drive.h"
#include "furikaeri/xalloc.h"

#define FAKE_DRIVE_PAGE 2
#define FAKE_DRIVE_DOC "application/vnd.google-apps.document"

struct fake_drive {
	struct fake_http *f;
	char *dir;
	char *folder;
	char *token;
};

struct doc {
	char *id;
	time_t mtime;
};

static int
hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
		: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The decoded value of name in the query of target (owned), or NULL. */
static char *
param(const char *target, const char *name)
{
	const char *q = strchr(target, '?');
	size_t n = strlen(name);

	while (q != NULL) {
		q++;
		if (strncmp(q, name, n) == 0 && q[n] == '=') {
			const char *v = q + n + 1;
			size_t len = strcspn(v, "&");
			char *out = xcalloc(len + 1, 1), *o = out;
			for (size_t i = 0; i < len; i++) {
				if (v[i] == '%' && i + 2 < len + 1 && hexval(v[i + 1]) >= 0 &&
				    hexval(v[i + 2]) >= 0) {
					*o++ = (char)(hexval(v[i + 1]) * 16 + hexval(v[i + 2]));
					i += 2;
				} else {
					*o++ = v[i] == '+' ? ' ' : v[i];
				}
			}
			return out;
		}
		q = strchr(q, '&');
	}
	return NULL;
}

static void
iso(time_t t, char *buf, size_t size)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
}

static char *
read_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	if (fp == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = xcalloc((size_t)n + 1, 1);
	if (fread(buf, 1, (size_t)n, fp) != (size_t)n)
		buf[0] = '\0';
	fclose(fp);
	return buf;
}

static int
by_time(const void *a, const void *b)
{
	const struct doc *x = a, *y = b;

	if (x->mtime != y->mtime)
		return x->mtime < y->mtime ? -1 : 1;
	return strcmp(x->id, y->id);
}

static json_t *
doc_json(struct fake_drive *d, const char *id, time_t mtime, bool full)
{
	char path[1024], when[40], *name, *link;
	json_t *j;

	if (!full)
		return json_pack("{s:s}", "id", id);
	snprintf(path, sizeof(path), "%s/%s.name", d->dir, id);
	name = read_file(path);
	if (name != NULL)
		name[strcspn(name, "\n")] = '\0';
	iso(mtime, when, sizeof(when));
	link = xasprintf("https://docs.google.com/document/d/%s/edit?usp=drivesdk", id);
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s], s:b}", "kind", "drive#file",
		      "id", id, "name", name != NULL ? name : id, "mimeType", FAKE_DRIVE_DOC,
		      "createdTime", "2026-11-20T01:00:00.000Z", "modifiedTime", when,
		      "webViewLink", link, "parents", d->folder, "trashed", 0);
	json_object_set_new(j, "version", json_string("7"));
	free(link);
	free(name);
	return j;
}

static void
answer_json(struct fake_http_answer *a, int status, json_t *j)
{
	a->status = status;
	a->headers = xstrdup("Content-Type: application/json; charset=UTF-8\r\n");
	a->body = json_dumps(j, JSON_COMPACT);
	json_decref(j);
}

static void
error(struct fake_http_answer *a, int status, const char *why, const char *message)
{
	answer_json(a, status, json_pack("{s:{s:i, s:s, s:s}}", "error", "code", status,
					 "message", message, "status", why));
}

static void
list(struct fake_drive *d, const char *target, struct fake_http_answer *a)
{
	char *q = param(target, "q"), *fields = param(target, "fields");
	char *size = param(target, "pageSize"), *token = param(target, "pageToken");
	char *want = xasprintf("'%s' in parents", d->folder);
	struct doc *docs = NULL;
	size_t n = 0, from = token != NULL ? strtoul(token + strlen("page-"), NULL, 10) : 0;
	long page = size != NULL ? strtol(size, NULL, 10) : 100;
	time_t after = 0;
	bool ids = fields != NULL && strstr(fields, "files(id)") != NULL;
	DIR *dir = opendir(d->dir);
	struct dirent *e;
	json_t *files = json_array();

	if (q == NULL || page < 1 || page > 1000) {
		error(a, 400, "INVALID_ARGUMENT", "Invalid Value");
		goto done;
	}
	if (strstr(q, "modifiedTime > '") != NULL) {
		struct tm tm = { 0 };
		strptime(strstr(q, "modifiedTime > '") + 16, "%Y-%m-%dT%H:%M:%S", &tm);
		after = timegm(&tm);
	}
	while (strstr(q, want) != NULL && strstr(q, "trashed=false") != NULL &&
	       strstr(q, "mimeType='" FAKE_DRIVE_DOC "'") != NULL && dir != NULL &&
	       (e = readdir(dir)) != NULL) {
		size_t len = strlen(e->d_name);
		char path[1024];
		struct stat sb;
		if (len < 4 || strcmp(e->d_name + len - 3, ".md") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", d->dir, e->d_name);
		if (stat(path, &sb) < 0 || (after != 0 && sb.st_mtime <= after))
			continue;
		docs = xreallocarray(docs, n + 1, sizeof(*docs));
		docs[n++] = (struct doc){ .id = xstrndup(e->d_name, len - 3), .mtime = sb.st_mtime };
	}
	if (n > 1)	/* an empty folder has no array at all */
		qsort(docs, n, sizeof(*docs), by_time);
	if (page > FAKE_DRIVE_PAGE)
		page = FAKE_DRIVE_PAGE;
	for (size_t i = from; i < n && i < from + (size_t)page; i++)
		json_array_append_new(files, doc_json(d, docs[i].id, docs[i].mtime, !ids));
	json_t *body = json_pack("{s:s, s:b, s:O}", "kind", "drive#fileList", "incompleteSearch", 0,
				 "files", files);
	if (from + (size_t)page < n) {
		char next[32];
		snprintf(next, sizeof(next), "page-%zu", from + (size_t)page);
		json_object_set_new(body, "nextPageToken", json_string(next));
	}
	answer_json(a, 200, body);
done:
	for (size_t i = 0; i < n; i++)
		free(docs[i].id);
	free(docs);
	json_decref(files);
	if (dir != NULL)
		closedir(dir);
	free(want);
	free(q);
	free(fields);
	free(size);
	free(token);
}

static void
handle(void *ctx, const struct fake_http_request *req, struct fake_http_answer *a)
{
	struct fake_drive *d = ctx;
	char *auth = xasprintf("Authorization: Bearer %s\r\n", d->token);
	const char *t = req->target;
	size_t plen = strcspn(t, "?");
	char *path = xstrndup(t, plen);

	a->action = FAKE_HTTP_REPLY;
	if (strstr(req->headers, auth) == NULL) {
		error(a, 401, "UNAUTHENTICATED", "Request had invalid authentication credentials. "
		      "Expected OAuth 2 access token, login cookie or other valid authentication "
		      "credential.");
	} else if (strcmp(req->method, "GET") != 0) {
		error(a, 405, "METHOD_NOT_ALLOWED", "only GET here");
	} else if (strcmp(path, "/drive/v3/about") == 0) {
		answer_json(a, 200, json_pack("{s:{s:s, s:s, s:s}}", "user", "kind", "drive#user",
					      "displayName", "Aoi", "emailAddress",
					      "aoi@example.com"));
	} else if (strcmp(path, "/drive/v3/files") == 0) {
		list(d, t, a);
	} else if (strncmp(path, "/drive/v3/files/", 16) == 0) {
		char *id = xstrdup(path + 16), *slash = strchr(id, '/'), file[1024], *md;
		struct stat sb;
		if (slash != NULL)
			*slash = '\0';
		snprintf(file, sizeof(file), "%s/%s.md", d->dir, id);
		bool export = slash != NULL && strcmp(slash + 1, "export") == 0;
		char *mime = param(t, "mimeType");
		if (strcmp(id, d->folder) == 0 && !export) {
			answer_json(a, 200, json_pack("{s:s, s:s, s:s}", "id", id, "name",
						      "Postmortems", "mimeType",
						      "application/vnd.google-apps.folder"));
		} else if (stat(file, &sb) < 0 || (slash != NULL && !export)) {
			char *msg = xasprintf("File not found: %s.", id);
			error(a, 404, "NOT_FOUND", msg);
			free(msg);
		} else if (!export) {
			answer_json(a, 200, doc_json(d, id, sb.st_mtime, true));
		} else if (mime == NULL || strcmp(mime, "text/markdown") != 0) {
			error(a, 400, "INVALID_ARGUMENT", "The requested conversion is not supported.");
		} else {
			char marker[1024], *fail;
			snprintf(marker, sizeof(marker), "%s/%s.fail", d->dir, id);
			if ((fail = read_file(marker)) != NULL) {
				unlink(marker);
				error(a, atoi(fail), "FAILED_PRECONDITION",
				      "This file is too large to be exported.");
				free(fail);
			} else {
				md = read_file(file);
				a->status = 200;
				a->headers = xstrdup("Content-Type: text/markdown\r\n");
				a->body = md;
			}
		}
		free(mime);
		free(id);
	} else {
		error(a, 404, "NOT_FOUND", "no such method in the fake Drive");
	}
	free(path);
	free(auth);
}

struct fake_drive *
fake_drive_new(struct fake_http *f, const char *dir, const char *folder, const char *token)
{
	struct fake_drive *d = xcalloc(1, sizeof(*d));

	d->f = f;
	d->dir = xstrdup(dir);
	d->folder = xstrdup(folder);
	d->token = xstrdup(token);
	fake_http_set_handler(f, handle, d);
	return d;
}

void
fake_drive_free(struct fake_drive *d)
{
	if (d == NULL)
		return;
	fake_http_set_handler(d->f, NULL, NULL);
	free(d->dir);
	free(d->folder);
	free(d->token);
	free(d);
}
