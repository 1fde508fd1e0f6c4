#ifndef FURIKAERI_SOURCE_H
#define FURIKAERI_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "furikaeri/config.h"
#include "furikaeri/headings.h"
#include "furikaeri/http.h"
#include "furikaeri/postmortem.h"
#include "furikaeri/store.h"

/* Postmortems kept as tracker issues: github:OWNER/REPO (issues with a
 * label) and jira:JQL, or as Google Docs in a Drive folder
 * (gdocs:FOLDER_ID, each exported as Markdown), fetched page by page through the tracker's client
 * (src/http.c, the same tokens and retry rules as ticket filing) and
 * imported like files: one savepoint per issue, so an issue that fails
 * changes nothing and is named with its URL. Incremental: only issues
 * updated since the source's last import are asked for. */

enum source_kind {
	SOURCE_GITHUB,
	SOURCE_JIRA,
	SOURCE_GDOCS,
};

struct source_spec {
	enum source_kind kind;
	char *text;		/* canonical, the store's key: "github:acme/pay label=postmortem state=all" */
	char *repo;		/* GitHub OWNER/REPO */
	char *label;		/* GitHub label (default postmortem) */
	char *state;		/* GitHub open, closed or all (default all) */
	char *jql;		/* Jira */
	char *folder;		/* Google Drive folder id */
};

/* Whether a command-line argument names a source rather than a path. */
bool source_is_spec(const char *arg);
/* Parses "github:OWNER/REPO [label=L] [state=S]", "jira:JQL" or
 * "gdocs:FOLDER_ID"; label and
 * state (may be NULL) override what the text says. Fills out (release with
 * source_spec_release) or returns -1 with *err. */
int source_spec_parse(const char *text, const char *label, const char *state,
		      struct source_spec *out, char **err);
void source_spec_release(struct source_spec *spec);

struct source_counts {
	size_t added;
	size_t updated;
	size_t unchanged;
	size_t failed;
	size_t gone;		/* brought earlier, no longer in the query: reported */
	/* failed in this or an earlier import, asked for again by the next */
	size_t waiting;
	size_t requests;	/* HTTP requests made */
	long ratelimit_remaining;	/* the last x-ratelimit-remaining seen, -1 none */
};

struct source_options {
	const struct http_clock *clock;	/* NULL: the real clock */
	bool full;		/* ask for every issue, not only those updated since */
	/* Read and show, change nothing: each issue goes to on_read instead of
	 * the store, and the source's last import time stays. */
	bool check;
	void (*on_read)(const struct postmortem *pm, void *ctx);
	/* Called with a message naming the URL and the problem. */
	void (*on_error)(const char *message, void *ctx);
	/* Called for an issue brought earlier that left the query (why says how). */
	void (*on_gone)(const char *id, const char *why, void *ctx);
	void *ctx;
};

/* Imports one source into the store. cfg gives [github] / [jira] (url,
 * token, api, people, severity_field, measure_link) and [gdocs] (url,
 * token_command; the token from GOOGLE_OAUTH_ACCESS_TOKEN first). Returns 0 when the
 * listing was read to its end (issues may still have failed: counts say),
 * -1 with *err when a request failed (what was imported stays; the next
 * import asks again from the same time). An issue that fails alone waits:
 * the next imports ask for it by itself until it imports or is reported
 * gone, however far the source's import time has moved on. */
int source_import(struct store *st, const struct config *cfg, const struct headings *h,
		  const struct source_spec *spec, const struct source_options *opts,
		  struct source_counts *counts, char **err);

/* The Google token: GOOGLE_OAUTH_ACCESS_TOKEN, else what [gdocs]
 * token_command prints (owned; free with xfree_secret), or NULL with *err
 * saying how to get one. */
char *source_gdocs_token(const struct config *cfg, char **err);
/* furikaeri doctor for gdocs:FOLDER: the token (GET /drive/v3/about) and
 * the folder (GET /drive/v3/files/{id}); *report (owned) has one line per
 * check, "ok   ..." or "FAIL ...". Returns how many failed. */
int source_gdocs_doctor(const struct config *cfg, const char *folder, char **report);

#endif
