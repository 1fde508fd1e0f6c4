#ifndef FURIKAERI_SOURCE_PRIVATE_H
#define FURIKAERI_SOURCE_PRIVATE_H

#include <jansson.h>

#include "furikaeri/import_issue.h"
#include "furikaeri/source.h"
#include "tracker_private.h"

/* Shared by source.c and the two backends. */

struct source_run {
	struct store *st;
	const struct config *cfg;
	const struct headings *h;
	const struct source_spec *spec;
	const struct source_options *o;
	struct source_counts *counts;
	struct tracker *t;
	struct import_issue_options map;
	char **known;		/* ids the source brought before, sorted */
	size_t n_known;
	bool *seen;		/* per known id: seen in this run */
	bool in_batch;
	size_t batch_items;
	long last_status;	/* of the last answer source_get read, 0 none */
};

/* GETs url (absolute, or a path under the API root) with the tracker's
 * headers, retrying as the retry policy says. On success the parsed body
 * (owned) and, when link is not NULL, the Link header (owned or NULL). */
json_t *source_get(struct source_run *r, const char *url, char **link, char **err);
/* Imports one issue's postmortem (pm and hash owned by the caller) in its
 * own savepoint and records it as the source's. */
void source_put(struct source_run *r, struct postmortem *pm, const char *hash);
/* Reports an issue that failed. */
void source_fail(struct source_run *r, const char *message);
/* Whether id was brought by an earlier import; marks it seen. */
bool source_known(struct source_run *r, const char *id);
/* Reports a known id as gone and forgets it. */
void source_gone(struct source_run *r, const char *id, const char *why);

/* The backends: fetch from since (NULL: everything) and put each issue. */
int source_github_run(struct source_run *r, const char *since, char **err);
int source_jira_run(struct source_run *r, const char *since, long since_minutes, char **err);

#endif
