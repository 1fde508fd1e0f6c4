#ifndef FURIKAERI_SOURCE_PRIVATE_H
#define FURIKAERI_SOURCE_PRIVATE_H

#include <jansson.h>

#include "furikaeri/http_call.h"
#include "furikaeri/import_issue.h"
#include "furikaeri/source.h"
#include "tracker_private.h"

/* Shared by source.c and the backends. */

struct source_gdocs;

struct source_run {
	struct store *st;
	const struct config *cfg;
	const struct headings *h;
	const struct source_spec *spec;
	const struct source_options *o;
	struct source_counts *counts;
	struct tracker *t;	/* GitHub and Jira: the ticket client */
	struct source_gdocs *gdocs;	/* Google Docs: its own client */
	struct import_issue_options map;
	char **known;		/* ids the source brought before, sorted */
	size_t n_known;
	bool *seen;		/* per known id: seen in this run */
	char **waiting;		/* ids that failed in an earlier import, sorted */
	size_t n_waiting;
	bool *settled;		/* per waiting id: imported, failed again or gone */
	struct store_batch batch;	/* never open across a request */
	struct {
		size_t added, updated, unchanged;
	} pending;		/* the open batch's, counted once committed */
	/* a batch was lost, or a failed issue could not be recorded as
	 * waiting: the import time stays, so the next import asks again */
	bool lost;
	long last_status;	/* of the last answer source_get read, 0 none */
};

/* GETs url (absolute, or a path under the API root) with the tracker's
 * headers, retrying as the retry policy says. On success the parsed body
 * (owned) and, when link is not NULL, the Link header (owned or NULL). */
json_t *source_get(struct source_run *r, const char *url, char **link, char **err);
/* Counts an attempt's answer for the summary (http_call's after_answer,
 * ctx the run). */
void source_count_answer(void *ctx, const struct http_call_result *res);
/* Imports one issue's postmortem (pm and hash owned by the caller) in its
 * own savepoint and records it as the source's. */
void source_put(struct source_run *r, struct postmortem *pm, const char *hash);
/* Commits the issues put so far (source_get does before every request). */
void source_batch_end(struct source_run *r);
/* Reports a failure that is not one issue's. */
void source_fail(struct source_run *r, const char *message);
/* Reports that the issue id failed, and records it as waiting: every later
 * import asks for it again until it imports or is reported gone. */
void source_fail_item(struct source_run *r, const char *id, const char *message);
/* Whether id is waiting and not yet settled in this run. */
bool source_waiting(struct source_run *r, const char *id);
/* Whether id was brought by an earlier import; marks it seen. */
bool source_known(struct source_run *r, const char *id);
/* Reports an id (known, or waiting) as gone and forgets it. */
void source_gone(struct source_run *r, const char *id, const char *why);

/* The backends: fetch from since (NULL: everything) and put each issue. */
int source_github_run(struct source_run *r, const char *since, char **err);
int source_jira_run(struct source_run *r, const char *since, long since_minutes, char **err);
/* The backends: ask for each waiting issue not settled by the listing. */
void source_github_retry(struct source_run *r);
void source_jira_retry(struct source_run *r);
/* Google Docs: its client (the token asked for once per import), the
 * listing, the retries. */
int source_gdocs_open(struct source_run *r, const struct http_clock *clock, char **err);
void source_gdocs_close(struct source_run *r);
int source_gdocs_run(struct source_run *r, const char *since, char **err);
void source_gdocs_retry(struct source_run *r);

#endif
