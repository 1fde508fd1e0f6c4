#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "furikaeri/err.h"
#include "furikaeri/http_call.h"
#include "furikaeri/importer.h"
#include "furikaeri/log.h"
#include "furikaeri/retry.h"
#include "furikaeri/store_sources.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"
#include "source_private.h"

/* Searches lag behind writes (Jira's index, GitHub's listing): each
 * incremental import reaches this far before the last one began, and
 * unchanged issues cost only a hash comparison. */
#define SOURCE_LAG_S 300
/* The longest a rate limit is waited out inline before giving up. */
#define SOURCE_MAX_WAIT_MS 120000L

bool
source_is_spec(const char *arg)
{
	return strncmp(arg, "github:", 7) == 0 || strncmp(arg, "jira:", 5) == 0 ||
	       strncmp(arg, "gdocs:", 6) == 0;
}

void
source_spec_release(struct source_spec *spec)
{
	free(spec->text);
	free(spec->repo);
	free(spec->label);
	free(spec->state);
	free(spec->jql);
	free(spec->folder);
	memset(spec, 0, sizeof(*spec));
}

int
source_spec_parse(const char *text, const char *label, const char *state,
		  struct source_spec *out, char **err)
{
	memset(out, 0, sizeof(*out));
	if (strncmp(text, "jira:", 5) == 0) {
		char *jql = text_trim(text + 5);
		if (jql[0] == '\0') {
			free(jql);
			err_set(err, "%s: give a JQL query after jira:, e.g. 'jira:project = OPS AND "
				"issuetype = \"Post-incident review\"'", text);
			return -1;
		}
		out->kind = SOURCE_JIRA;
		out->jql = jql;
		out->text = xasprintf("jira:%s", jql);
		return 0;
	}
	if (strncmp(text, "gdocs:", 6) == 0) {
		char *folder = text_trim(text + 6);
		bool ok = folder[0] != '\0';
		/* the id goes into Drive's query between quotes */
		for (const char *p = folder; ok && *p != '\0'; p++)
			ok = isalnum((unsigned char)*p) || *p == '-' || *p == '_';
		if (!ok) {
			err_set(err, "%s: give a Drive folder id after gdocs: (the last part of the "
				"folder's URL, letters, digits, - and _), e.g. "
				"gdocs:1AbCdEfGhIjKlMnOpQrStUvWxYz", text);
			free(folder);
			return -1;
		}
		out->kind = SOURCE_GDOCS;
		out->folder = folder;
		out->text = xasprintf("gdocs:%s", folder);
		return 0;
	}
	if (strncmp(text, "github:", 7) != 0) {
		err_set(err, "%s: expected github:OWNER/REPO, jira:JQL or gdocs:FOLDER_ID", text);
		return -1;
	}
	char *copy = xstrdup(text + 7), *save = NULL;
	for (char *tok = strtok_r(copy, " \t", &save); tok != NULL; tok = strtok_r(NULL, " \t", &save)) {
		if (strncmp(tok, "label=", 6) == 0) {
			free(out->label);
			out->label = xstrdup(tok + 6);
		} else if (strncmp(tok, "state=", 6) == 0) {
			free(out->state);
			out->state = xstrdup(tok + 6);
		} else if (out->repo == NULL) {
			out->repo = xstrdup(tok);
		} else {
			err_set(err, "%s: '%s' is not label=L or state=S", text, tok);
			free(copy);
			source_spec_release(out);
			return -1;
		}
	}
	free(copy);
	if (label != NULL) {
		free(out->label);
		out->label = xstrdup(label);
	}
	if (state != NULL) {
		free(out->state);
		out->state = xstrdup(state);
	}
	const char *slash = out->repo != NULL ? strchr(out->repo, '/') : NULL;
	if (slash == NULL || slash == out->repo || slash[1] == '\0' || strchr(slash + 1, '/')) {
		err_set(err, "%s: expected github:OWNER/REPO", text);
		source_spec_release(out);
		return -1;
	}
	if (out->label == NULL)
		out->label = xstrdup("postmortem");
	if (out->state == NULL)
		out->state = xstrdup("all");
	if (strcmp(out->state, "open") != 0 && strcmp(out->state, "closed") != 0 &&
	    strcmp(out->state, "all") != 0) {
		err_set(err, "%s: state %s: expected open, closed or all", text, out->state);
		source_spec_release(out);
		return -1;
	}
	out->kind = SOURCE_GITHUB;
	out->text = xasprintf("github:%s label=%s state=%s", out->repo, out->label, out->state);
	return 0;
}

/* Counts every attempt of a listing, the last status and the rate limit
 * left, for the import's summary. */
void
source_count_answer(void *ctx, const struct http_call_result *res)
{
	struct source_run *r = ctx;
	const struct http_response *resp = &res->resp;

	r->counts->requests++;
	r->last_status = resp->status;
	if (resp->ratelimit_remaining != NULL)
		r->counts->ratelimit_remaining = strtol(resp->ratelimit_remaining, NULL, 10);
}

json_t *
source_get(struct source_run *r, const char *url_or_path, char **link, char **err)
{
	struct tracker *t = r->t;
	char *url = strncmp(url_or_path, "http", 4) == 0 ? xstrdup(url_or_path)
							   : xasprintf("%s%s", t->base, url_or_path);
	char *shown = http_url_path(url);
	const char *headers[TRACKER_MAX_HEADERS];
	/* a listing is only read: a paged GET can always be sent again */
	struct http_request req = { .method = "GET", .url = url, .headers = headers,
				    .idempotent = true };
	struct http_call_result res;
	struct retry_decision d;
	json_t *json = NULL;

	if (link != NULL)
		*link = NULL;
	/* what was put so far is committed before anything waits on the
	 * network: a page, a retry, a rate limit's wait */
	source_batch_end(r);
	if (!http_url_allowed(url, err)) {
		err_prefix(err, "GET %s", shown);
		free(shown);
		free(url);
		return NULL;
	}
	tracker_headers(t, false, headers);
	http_call_run(&(struct http_call){
		.client = t->http, .req = &req, .clock = t->clock, .shown = shown,
		.github = t->ops->github_limits, .seed = &t->seed,
		.max_inline_wait_ms = SOURCE_MAX_WAIT_MS,
		.after_answer = source_count_answer, .ctx = r,
	}, &res);
	d = res.decision;
	if (tracker_interpret(t, "GET", shown, res.error, res.perr, &res.resp, &json, &d, err) ==
	    TRACKER_CALL_OK) {
		if (link != NULL)
			*link = xstrdup_or_null(res.resp.link);
		if (json == NULL)
			err_set(err, "GET %s: %s answered without JSON", shown, t->ops->name);
	} else if (d.rate_limited) {
		err_prefix(err, "rate limited, run the import again in %ld s",
			   (d.wait_ms + 999) / 1000);
	}
	http_call_result_release(&res);
	free(shown);
	free(url);
	return json;
}

void
source_fail(struct source_run *r, const char *message)
{
	r->counts->failed++;
	if (r->o->on_error != NULL)
		r->o->on_error(message, r->o->ctx);
}

static int
compare_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The index of id among the waiting ids, or -1. */
static long
waiting_index(const struct source_run *r, const char *id)
{
	char **hit;

	if (r->n_waiting == 0)
		return -1;
	hit = bsearch(&id, r->waiting, r->n_waiting, sizeof(char *), compare_str);
	return hit != NULL ? (long)(hit - r->waiting) : -1;
}

bool
source_waiting(struct source_run *r, const char *id)
{
	long i = waiting_index(r, id);

	return i >= 0 && !r->settled[i];
}

static void
settle(struct source_run *r, const char *id)
{
	long i = waiting_index(r, id);

	if (i >= 0)
		r->settled[i] = true;
}

void
source_fail_item(struct source_run *r, const char *id, const char *message)
{
	char *err = NULL;

	source_fail(r, message);
	settle(r, id);
	if (r->o->check)
		return;
	if (store_source_wait(r->st, r->spec->text, id, message, &err) < 0) {
		r->lost = true;
		source_fail(r, err);
		free(err);
	}
}

bool
source_known(struct source_run *r, const char *id)
{
	char **hit;

	if (r->n_known == 0)
		return false;
	hit = bsearch(&id, r->known, r->n_known, sizeof(char *), compare_str);
	if (hit == NULL)
		return false;
	r->seen[hit - r->known] = true;
	return true;
}

void
source_gone(struct source_run *r, const char *id, const char *why)
{
	char *err = NULL;

	if (!r->o->check && (store_source_item_remove(r->st, r->spec->text, id, &err) < 0 ||
			     (waiting_index(r, id) >= 0 &&
			      store_source_unwait(r->st, r->spec->text, id, &err) < 0))) {
		source_fail(r, err);
		free(err);
		return;
	}
	settle(r, id);
	r->counts->gone++;
	if (r->o->on_gone != NULL)
		r->o->on_gone(id, why, r->o->ctx);
}

/* Issues are committed in batches by the rule files follow (store_batch),
 * and always before a request. A failed commit loses the batch: its issues
 * count as failed, and the source's import time stays where it was, so
 * the next import asks for them again. */
void
source_batch_end(struct source_run *r)
{
	char *err = NULL;

	if (!r->batch.open)
		return;
	if (store_batch_end(&r->batch, &err) == 0) {
		r->counts->added += r->pending.added;
		r->counts->updated += r->pending.updated;
		r->counts->unchanged += r->pending.unchanged;
	} else {
		r->lost = true;
		r->counts->failed += r->pending.added + r->pending.updated + r->pending.unchanged;
		if (r->o->on_error != NULL)
			r->o->on_error(err, r->o->ctx);
		free(err);
	}
	memset(&r->pending, 0, sizeof(r->pending));
}

void
source_put(struct source_run *r, struct postmortem *pm, const char *hash)
{
	char *err = NULL, *other = NULL;
	enum store_upsert_result result;

	free(pm->hash);
	pm->hash = xstrdup(hash);
	if (r->o->check) {
		source_known(r, pm->id);
		if (r->o->on_read != NULL)
			r->o->on_read(pm, r->o->ctx);
		r->counts->unchanged++;
		return;
	}
	if (store_batch_due(&r->batch))
		source_batch_end(r);
	if (store_batch_begin(&r->batch, &err) < 0)
		goto failed;
	if (store_id_source(r->st, pm->id, &other, &err) < 0 ||
	    (other != NULL && strcmp(other, pm->source) != 0 &&
	     (err_set(&err, "%s: the id %s is already used by %s; the issue is not imported",
		      pm->source, pm->id, other), true)) ||
	    store_postmortem_put(r->st, pm, &result, &err) < 0 ||
	    store_source_item_add(r->st, r->spec->text, pm->id, &err) < 0 ||
	    (waiting_index(r, pm->id) >= 0 &&
	     store_source_unwait(r->st, r->spec->text, pm->id, &err) < 0)) {
		store_rollback(r->st);
		goto failed;
	}
	if (store_commit(r->st, &err) < 0)
		goto failed;
	settle(r, pm->id);
	source_known(r, pm->id);
	if (result == STORE_ADDED)
		r->pending.added++;
	else if (result == STORE_UPDATED)
		r->pending.updated++;
	else
		r->pending.unchanged++;
	free(other);
	return;
failed:
	source_fail_item(r, pm->id, err != NULL ? err : pm->source);
	free(err);
	free(other);
}

static char *
iso_now(const struct http_clock *clock, long offset_s)
{
	time_t now = http_clock_now(clock) + offset_s;
	struct tm tm;
	char buf[32];

	gmtime_r(&now, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return xstrdup(buf);
}

static time_t
parse_iso(const char *s)
{
	struct tm tm = { 0 };

	if (s == NULL || strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm) == NULL)
		return 0;
	return timegm(&tm);
}

int
source_import(struct store *st, const struct config *cfg, const struct headings *h,
	      const struct source_spec *spec, const struct source_options *opts,
	      struct source_counts *counts, char **err)
{
	static const struct source_options defaults;
	const struct http_clock *clock = opts != NULL ? opts->clock : NULL;
	struct tracker_options topts = { .clock = clock };
	struct source_run r = {
		.st = st, .batch = { .st = st }, .cfg = cfg, .h = h, .spec = spec, .counts = counts,
		.o = opts != NULL ? opts : &defaults,
	};
	struct config tcfg = *cfg;
	char *last = NULL, *began = NULL, *since = NULL;
	struct headings *readiness = NULL;
	int rc = -1;

	memset(counts, 0, sizeof(*counts));
	counts->ratelimit_remaining = -1;
	/* the ticket client wants a repository or project to file into; a
	 * source names its own */
	if (spec->kind == SOURCE_GITHUB)
		tcfg.github.repo = spec->repo;
	else if (tcfg.jira.project == NULL)
		tcfg.jira.project = "";
	if (spec->kind == SOURCE_GDOCS) {
		if (source_gdocs_open(&r, clock, err) < 0)
			return -1;
	} else {
		r.t = tracker_new(&tcfg, spec->kind == SOURCE_GITHUB ? TRACKER_GITHUB : TRACKER_JIRA,
				  &topts, err);
		if (r.t == NULL)
			return -1;
	}
	r.map = (struct import_issue_options){
		.cfg = cfg,
		.source_label = spec->label,
		.measure_link = cfg->jira.measure_link,
		.jira_site = r.t != NULL ? r.t->site : NULL,
		.jira_api = cfg->jira.api,
	};
	/* draft and the like keep an issue's postmortem off the agenda, as a file's */
	readiness = importer_load_readiness(err);
	if (readiness == NULL)
		goto done;
	r.map.readiness = readiness;
	if (store_source_since(st, spec->text, &last, err) < 0 ||
	    store_source_items(st, spec->text, &r.known, &r.n_known, err) < 0 ||
	    store_source_waiting(st, spec->text, &r.waiting, &r.n_waiting, err) < 0)
		goto done;
	r.seen = xcalloc(r.n_known + 1, sizeof(bool));
	r.settled = xcalloc(r.n_waiting + 1, sizeof(bool));
	began = iso_now(clock, 0);
	long since_minutes = 0;
	if (last != NULL && !r.o->full) {
		time_t from = parse_iso(last) - SOURCE_LAG_S;
		struct tm tm;
		char buf[32];

		gmtime_r(&from, &tm);
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
		since = xstrdup(buf);
		since_minutes = (long)((http_clock_now(clock) - from + 59) / 60);
		if (since_minutes < 1)
			since_minutes = 1;
	}
	if (spec->kind == SOURCE_GITHUB)
		rc = source_github_run(&r, since, err);
	else if (spec->kind == SOURCE_GDOCS)
		rc = source_gdocs_run(&r, since, err);
	else
		rc = source_jira_run(&r, since, since_minutes, err);
	if (rc == 0 && since == NULL) {
		/* a full listing shows every issue of the source: the rest are gone */
		for (size_t i = 0; i < r.n_known; i++)
			if (!r.seen[i])
				source_gone(&r, r.known[i], "it is no longer in the listing (deleted, "
					    "transferred, or taken out of the query); its postmortem "
					    "is kept");
	}
	/* the issues that failed before and were not in this listing are
	 * asked for one by one: they import, fail again or are gone */
	if (rc == 0 && !r.o->check) {
		if (spec->kind == SOURCE_GITHUB)
			source_github_retry(&r);
		else if (spec->kind == SOURCE_GDOCS)
			source_gdocs_retry(&r);
		else
			source_jira_retry(&r);
	}
	source_batch_end(&r);
	if (rc == 0 && !r.o->check && !r.lost &&
	    store_source_done(st, spec->text, began, err) < 0)
		rc = -1;
done:
	source_batch_end(&r);
	{
		char **still = NULL, *werr = NULL;
		size_t n = 0;

		if (store_source_waiting(st, spec->text, &still, &n, &werr) == 0)
			counts->waiting = n;
		store_source_items_free(still, n);
		free(werr);
	}
	store_source_items_free(r.known, r.n_known);
	store_source_items_free(r.waiting, r.n_waiting);
	free(r.seen);
	free(r.settled);
	free(last);
	free(began);
	free(since);
	headings_free(readiness);
	tracker_free(r.t);
	source_gdocs_close(&r);
	return rc;
}
