#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "furikaeri/deliver.h"
#include "furikaeri/err.h"
#include "furikaeri/http_call.h"
#include "furikaeri/log.h"
#include "furikaeri/outbox.h"
#include "furikaeri/store_outbox.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/tracker.h"
#include "furikaeri/xalloc.h"
#include "tracker_private.h"

#define DEFAULT_MAX_INLINE_WAIT_MS 120000L
#define LATER_FLOOR_MS 60000L

static const struct tracker_ops *const kinds[TRACKER_KIND_COUNT] = {
	[TRACKER_GITHUB] = &tracker_github_ops,
	[TRACKER_JIRA] = &tracker_jira_ops,
	[TRACKER_GITLAB] = &tracker_gitlab_ops,
	[TRACKER_LINEAR] = &tracker_linear_ops,
	[TRACKER_CONFLUENCE] = &tracker_confluence_ops,
};

const struct tracker_ops *
tracker_ops_of(enum tracker_kind kind)
{
	return kinds[kind];
}

void
tracker_issue_release(struct tracker_issue *issue)
{
	if (issue == NULL)
		return;
	free(issue->key);
	free(issue->url);
	free(issue->status);
	memset(issue, 0, sizeof(*issue));
}

const char *
tracker_json_str(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

char *
tracker_marker_label(const char *marker)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_adds(&sb, "furikaeri-");
	for (const char *p = marker; *p != '\0'; p++) {
		char c = *p;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';

		strbuf_addc(&sb, ok ? c : '-');
	}
	return strbuf_detach(&sb);
}

char *
tracker_trim_slash(const char *url)
{
	char *s = xstrdup(url);
	size_t n = strlen(s);

	while (n > 0 && s[n - 1] == '/')
		s[--n] = '\0';
	return s;
}

/* Floors of [tracker] recheck_seconds, each covering its tracker's search
 * lag (the kind's recheck_floor_s, which says where its figure comes from),
 * since a lookup that runs before the search has indexed the create misses
 * it, and two misses send the create again. */
long
tracker_recheck_floor_s(enum tracker_kind kind)
{
	return kinds[kind]->recheck_floor_s;
}

long
tracker_recheck_ms(const struct config *cfg, const struct tracker_options *opts,
		   enum tracker_kind kind)
{
	long ms = opts != NULL && opts->recheck_ms > 0 ? opts->recheck_ms
		  : cfg != NULL ? cfg->recheck_s * 1000 : 120 * 1000L;
	long floor = kinds[kind]->recheck_floor_s * 1000;

	return ms > floor ? ms : floor;
}

char *
tracker_recheck_note(const struct config *cfg, enum tracker_kind kind)
{
	long floor = kinds[kind]->recheck_floor_s;
	const char *name = kinds[kind]->name;
	char *where;
	char *note;

	if (cfg == NULL || cfg->recheck_s >= 2 * floor)
		return NULL;
	where = cfg->path != NULL && cfg->recheck_line > 0
		? xasprintf("%s:%d", cfg->path, cfg->recheck_line)
		: xstrdup(cfg->path != NULL ? cfg->path : "the config file");
	if (cfg->recheck_s < floor)
		note = xasprintf("%s: [tracker] recheck_seconds = %ld is below the %ld seconds %s's "
				 "search may take to show a new ticket: %ld is used for %s",
				 where, cfg->recheck_s, floor, name, floor, name);
	else
		note = xasprintf("%s: [tracker] recheck_seconds = %ld is close to the %ld seconds "
				 "%s's search may take to show a new ticket; a lookup that runs "
				 "before it misses", where, cfg->recheck_s, floor, name);
	free(where);
	return note;
}

long
tracker_longest_request_ms(const struct config *cfg, const struct tracker_options *opts)
{
	long connect = cfg != NULL ? cfg->connect_timeout_s * 1000 : 0;
	long timeout = cfg != NULL ? cfg->timeout_s * 1000 : 0;
	long wait = DEFAULT_MAX_INLINE_WAIT_MS;

	if (opts != NULL && opts->connect_timeout_ms > 0)
		connect = opts->connect_timeout_ms;
	if (opts != NULL && opts->timeout_ms > 0)
		timeout = opts->timeout_ms;
	if (opts != NULL && opts->max_inline_wait_ms > 0)
		wait = opts->max_inline_wait_ms;
	return deliver_longest_request_ms(connect, timeout, wait, RETRY_MAX_ATTEMPTS);
}

struct tracker *
tracker_new(const struct config *cfg, enum tracker_kind kind, const struct tracker_options *opts,
	    char **err)
{
	struct tracker *t;
	struct http_client *http;
	struct http_options ho = {
		.ca_bundle = cfg->ca_bundle,
		.connect_timeout_ms = cfg->connect_timeout_s * 1000,
		.timeout_ms = cfg->timeout_s * 1000,
	};
	char *auth = NULL;
	const char *where = cfg->path ? cfg->path : "the config file";
	char *token;

	const struct tracker_ops *ops = kinds[kind];
	char *problem = ops->config_problem(cfg, where);

	if (problem != NULL) {
		err_set(err, "%s", problem);
		free(problem);
		return NULL;
	}
	if (!http_url_allowed(ops->url(cfg), err)) {
		err_prefix(err, "%s: [%s] url", where, tracker_kind_name(kind));
		return NULL;
	}
	token = config_token(cfg, tracker_kind_name(kind), err);
	if (token == NULL)
		return NULL;
	log_add_secret(token);
	t = xcalloc(1, sizeof(*t));
	t->kind = kind;
	t->cfg = cfg;
	t->ops = ops;
	auth = ops->connect(t, token, &ho);

	if (opts != NULL && opts->connect_timeout_ms > 0)
		ho.connect_timeout_ms = opts->connect_timeout_ms;
	if (opts != NULL && opts->timeout_ms > 0)
		ho.timeout_ms = opts->timeout_ms;
	http = http_client_new(&ho, err);
	xfree_secret(token);
	if (http == NULL) {
		xfree_secret(auth);
		free(t->base);
		free(t->site);
		free(t);
		return NULL;
	}
	t->auth = auth;
	t->http = http;
	t->clock = opts ? opts->clock : NULL;
	t->max_inline_wait_ms = opts && opts->max_inline_wait_ms > 0 ? opts->max_inline_wait_ms
								    : DEFAULT_MAX_INLINE_WAIT_MS;
	t->seed = (unsigned)time(NULL) ^ (unsigned)(size_t)t;
	return t;
}

void
tracker_free(struct tracker *t)
{
	if (t == NULL)
		return;
	xfree_secret(t->auth);
	http_client_free(t->http);
	free(t->base);
	free(t->site);
	free(t->login);
	json_decref(t->cache);
	free(t);
}

static bool
is_write(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/* GitHub asks for at least one second between requests that create or
 * change something. */
static void
pace(struct tracker *t, const char *method)
{
	long long now, due;

	if (!t->ops->github_limits || !is_write(method) || !t->wrote)
		return;
	now = http_clock_now_ms(t->clock);
	due = t->last_write_ms + 1000;
	if (now < due)
		http_clock_sleep_ms(t->clock, (long)(due - now));
}

static const char *
status_advice(const struct tracker *t, long status)
{
	const char *own = t->ops->advice != NULL ? t->ops->advice(status) : NULL;

	if (own != NULL)
		return own;
	switch (status) {
	case 403:
		return "the token lacks the permission for this; check its scopes";
	default:
		return "";
	}
}

static char *
describe(struct tracker *t, const char *method, const char *path, long status, json_t *body,
	 const char *raw)
{
	struct strbuf sb = STRBUF_INIT;
	char *server = body ? t->ops->error_text(body) : NULL;
	const char *advice = status_advice(t, status);
	char *clean;

	strbuf_addf(&sb, "%s %s: %s answered %ld", method, path, t->ops->name, status);
	if (server != NULL && server[0] != '\0')
		strbuf_addf(&sb, ": %s", server);
	else if (raw != NULL && raw[0] != '\0' && body == NULL)
		strbuf_addf(&sb, ": %.200s", raw);
	if (advice[0] != '\0')
		strbuf_addf(&sb, "; %s", advice);
	free(server);
	{
		char *redacted = log_redact(strbuf_str(&sb));

		clean = text_sanitize(redacted, false);
		free(redacted);
	}
	strbuf_release(&sb);
	return clean;
}

enum tracker_call
tracker_interpret(struct tracker *t, const char *method, const char *shown, enum http_error e,
		  const char *perr, const struct http_response *resp, json_t **json,
		  struct retry_decision *d, char **err)
{
	json_t *parsed = NULL;

	*json = NULL;
	if (e == HTTP_OK && resp->body_len > 0)
		parsed = json_loadb(resp->body, resp->body_len, 0, NULL);
	if (e == HTTP_OK && resp->status >= 200 && resp->status < 300) {
		*json = parsed;
		*d = (struct retry_decision){ .retry = false, .why = "done" };
		return TRACKER_CALL_OK;
	}
	if (e == HTTP_OK && resp->status >= 300 && resp->status < 400) {
		char *where = resp->location ? log_redact(resp->location) : NULL;
		char *clean = where ? text_sanitize(where, false) : NULL;

		err_set(err, "%s %s: %s answered %ld: it moved%s%s; nothing was created there: "
			"update [%s] %s in the config file to the new location", method, shown,
			t->ops->name, resp->status, clean ? " to " : "", clean ? clean : "",
			tracker_kind_name(t->kind), t->ops->moved_keys);
		free(where);
		free(clean);
		json_decref(parsed);
		*d = (struct retry_decision){ .retry = false, .why = "moved" };
		return TRACKER_CALL_REFUSED;
	}
	if (e == HTTP_OK) {
		char *msg = describe(t, method, shown, resp->status, parsed, resp->body);

		err_set(err, "%s", msg);
		free(msg);
	} else {
		char *redacted = log_redact(perr ? perr : "no answer");

		err_set(err, "%s", redacted);
		free(redacted);
	}
	/* a rate limit some trackers word as a 4xx of their own */
	bool limited = e == HTTP_OK && parsed != NULL && t->ops->rate_limited != NULL &&
		       t->ops->rate_limited(parsed);

	json_decref(parsed);
	if (limited)
		return TRACKER_CALL_LATER;
	if (e == HTTP_ERR_REFUSED || e == HTTP_ERR_TLS ||
	    (e == HTTP_OK && !d->retry && !d->rate_limited &&
	     !retry_outcome_unknown(e, resp->status) && resp->status >= 400 && resp->status < 500))
		return TRACKER_CALL_REFUSED;
	if (retry_outcome_unknown(e, resp->status))
		return TRACKER_CALL_UNKNOWN;
	return TRACKER_CALL_LATER;
}

enum tracker_call
tracker_answer(struct tracker *t, const char *method, const char *shown, int attempt,
	       enum http_error e, const char *perr, const struct http_response *resp,
	       json_t **json, struct retry_decision *d, char **err)
{
	*d = retry_decide_response(attempt, e, resp, t->ops->github_limits, t->clock, &t->seed);
	return tracker_interpret(t, method, shown, e, perr, resp, json, d, err);
}

void
tracker_headers(const struct tracker *t, bool json, const char **headers)
{
	size_t nh = 0;

	if (t->auth != NULL)
		headers[nh++] = t->auth;
	for (const char *const *h = t->ops->headers; *h != NULL && nh < TRACKER_MAX_HEADERS - 2;
	     h++)
		headers[nh++] = *h;
	if (json)
		headers[nh++] = "Content-Type: application/json";
	headers[nh] = NULL;
}

struct tracker_send {
	struct tracker *t;
	const char *method;
};

/* Before a write is sent again, the lease must still be ours (another
 * furikaeri may have taken the ticket over while we waited); GitHub's
 * pacing applies to every attempt. */
static bool
tracker_before_send(void *ctx, int attempt)
{
	struct tracker_send *s = ctx;
	struct tracker *t = s->t;

	if (attempt > 1 && is_write(s->method) && t->may_send != NULL &&
	    !t->may_send(t->may_send_ctx))
		return false;
	pace(t, s->method);
	return true;
}

static void
tracker_after_answer(void *ctx, const struct http_call_result *res)
{
	struct tracker_send *s = ctx;

	if (is_write(s->method) && res->error != HTTP_ERR_REFUSED) {
		s->t->wrote = true;
		s->t->last_write_ms = http_clock_now_ms(s->t->clock);
	}
}

enum tracker_call
tracker_call(struct tracker *t, const char *method, const char *path, json_t *body,
	     bool idempotent, int *attempt, json_t **json, long *wait_ms, char **err)
{
	char *url = xasprintf("%s%s", t->base, path);
	char *payload = body ? json_dumps(body, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	const char *headers[TRACKER_MAX_HEADERS];
	char *shown = http_url_path(url);
	struct http_request req = {
		.method = method, .url = url, .headers = headers, .body = payload,
		.idempotent = idempotent,
	};
	struct tracker_send send = { .t = t, .method = method };
	struct http_call_result res;
	struct retry_decision d;
	enum tracker_call result;

	*json = NULL;
	*wait_ms = 0;
	tracker_headers(t, payload != NULL, headers);
	http_call_run(&(struct http_call){
		.client = t->http, .req = &req, .clock = t->clock, .shown = shown,
		.github = t->ops->github_limits, .seed = &t->seed,
		.max_inline_wait_ms = t->max_inline_wait_ms, .attempts_before = *attempt,
		.before_send = tracker_before_send, .after_answer = tracker_after_answer,
		.ctx = &send,
	}, &res);
	*attempt = res.attempts;
	if (res.held) {
		err_set(err, "%s %s: not sent again: another furikaeri took the ticket over",
			method, shown);
		result = TRACKER_CALL_LATER;
		*wait_ms = LATER_FLOOR_MS;
	} else {
		d = res.decision;
		result = tracker_interpret(t, method, shown, res.error, res.perr, &res.resp, json,
					   &d, err);
		if (result != TRACKER_CALL_OK) {
			*wait_ms = res.wait_ms;
			if (result != TRACKER_CALL_REFUSED && !d.retry && *wait_ms < LATER_FLOOR_MS)
				*wait_ms = LATER_FLOOR_MS;
		}
	}
	http_call_result_release(&res);
	free(shown);
	free(url);
	free(payload);
	return result;
}

static enum tracker_result
to_result(enum tracker_call c)
{
	switch (c) {
	case TRACKER_CALL_OK:
		return TRACKER_OK;
	case TRACKER_CALL_REFUSED:
		return TRACKER_REFUSED;
	default:
		return TRACKER_LATER;
	}
}

enum tracker_result
tracker_find(struct tracker *t, const char *marker, const char *since, bool *found,
	     struct tracker_issue *out, char **err)
{
	*found = false;
	memset(out, 0, sizeof(*out));
	return to_result(t->ops->find(t, marker, since, found, out, err));
}

enum tracker_result
tracker_get(struct tracker *t, const char *key, struct tracker_issue *out, char **err)
{
	memset(out, 0, sizeof(*out));
	return to_result(t->ops->get(t, key, out, err));
}

enum tracker_call
tracker_find_outcome(bool found, enum tracker_call search, enum tracker_call listing,
		     const char *search_err, const char *list_err, char **err)
{
	if (found)
		return TRACKER_CALL_OK;
	if (search != TRACKER_CALL_OK) {
		err_set(err, "%s", search_err ? search_err : "the search failed");
		return search;
	}
	if (listing != TRACKER_CALL_OK) {
		err_set(err, "%s", list_err ? list_err : "the listing failed");
		return listing;
	}
	return TRACKER_CALL_OK;
}

enum tracker_call
tracker_whoami(struct tracker *t, const char *path, const char *field, char **who, char **err)
{
	int attempt = 0;
	long wait;
	json_t *resp = NULL;
	enum tracker_call c = tracker_call(t, "GET", path, NULL, true, &attempt, &resp, &wait, err);

	if (c == TRACKER_CALL_OK) {
		const char *name = tracker_json_str(resp, field);

		*who = name != NULL ? xstrdup(name) : xasprintf("(no %s in the answer)", field);
	}
	json_decref(resp);
	return c;
}

enum tracker_result
tracker_myself(struct tracker *t, char **who, char **err)
{
	*who = NULL;
	if (t->ops->myself == NULL) {
		err_set(err, "%s: no account check", t->ops->name);
		return TRACKER_REFUSED;
	}
	return to_result(t->ops->myself(t, who, err));
}

char **
tracker_body_lines(const struct tracker_input *in, const char *owner_handle,
		   const char *unmapped_note)
{
	char **lines = xcalloc(10, sizeof(*lines));
	size_t n = 0;

	if (in->week != NULL)
		lines[n++] = xasprintf("Prevention measure agreed in the postmortem review "
				       "meeting of %s.", in->week);
	else
		lines[n++] = xstrdup("Prevention measure from a postmortem.");
	lines[n++] = xasprintf("Agreed: %s", in->title ? in->title : "");
	if (in->owner != NULL && owner_handle != NULL)
		lines[n++] = xasprintf("Owner: %s (%s)", in->owner, owner_handle);
	else if (in->owner != NULL)
		lines[n++] = xasprintf("Owner: %s (%s)", in->owner, unmapped_note);
	else
		lines[n++] = xstrdup("Owner: not named yet");
	lines[n++] = xasprintf("Due: %s", in->due ? in->due : "not set");
	if (in->pm_id != NULL) {
		lines[n++] = xasprintf("Postmortem: %s (%s%s%s)",
				       in->pm_title ? in->pm_title : in->pm_id, in->pm_id,
				       in->pm_severity ? ", " : "",
				       in->pm_severity ? in->pm_severity : "");
		if (in->pm_source != NULL)
			lines[n++] = xasprintf("Source: %s", in->pm_source);
	}
	lines[n++] = xasprintf("Filed by furikaeri (marker furikaeri:%s).", in->marker);
	lines[n] = NULL;
	return lines;
}

void
tracker_lines_free(char **lines)
{
	if (lines == NULL)
		return;
	for (char **p = lines; *p != NULL; p++)
		free(*p);
	free(lines);
}

void
tracker_outcomes_free(struct tracker_outcomes *out)
{
	if (out == NULL)
		return;
	for (size_t i = 0; i < out->n; i++) {
		free(out->items[i].key);
		free(out->items[i].url);
		free(out->items[i].message);
	}
	free(out->items);
	out->items = NULL;
	out->n = 0;
}

static const char *
default_tracker(const struct config *cfg)
{
	if (cfg == NULL)
		return NULL;
	if (cfg->tracker_default != NULL)
		return cfg->tracker_default;
	for (int k = 0; k < TRACKER_KIND_COUNT; k++)
		if (tracker_kind_files_measures((enum tracker_kind)k) && kinds[k]->configured(cfg))
			return tracker_kind_name((enum tracker_kind)k);
	return NULL;
}

const char *
tracker_default_name(const struct config *cfg)
{
	return default_tracker(cfg);
}

bool
tracker_for_row(const struct config *cfg, const char *row_tracker, enum tracker_kind *kind)
{
	return tracker_kind_parse(row_tracker != NULL ? row_tracker : default_tracker(cfg), kind);
}

int
tracker_queue(struct store *st, const struct config *cfg, long long measure_id,
	      const char *tracker, char **msg, char **err)
{
	enum tracker_kind kind;
	enum store_outbox_queued result;
	char *key = NULL, *now;
	int rc;

	*msg = NULL;
	if (tracker != NULL && (!tracker_kind_parse(tracker, &kind) ||
				!tracker_kind_files_measures(kind))) {
		err_set(err, "unknown tracker '%s' for a measure; use %s", tracker,
			tracker_kind_list());
		return -1;
	}
	if (tracker == NULL && tracker_kind_parse(default_tracker(cfg), &kind))
		tracker = tracker_kind_name(kind);
	now = deliver_time_in(NULL, 0);
	rc = store_outbox_queue(st, measure_id, tracker ? tracker_kind_name(kind) : NULL, now,
				&result, &key, err);
	free(now);
	if (rc < 0)
		return -1;
	if (result == STORE_OUTBOX_HAS_TICKET) {
		*msg = key ? xasprintf("already has ticket %s; it is not filed again", key)
			   : xstrdup("already filed; it is not filed again");
		free(key);
		return 1;
	}
	free(key);
	if (default_tracker(cfg) == NULL && tracker == NULL)
		*msg = xstrdup("queued, waiting for a tracker: set [tracker] default and a token, "
			       "then furikaeri tickets push");
	else
		*msg = xstrdup(result == STORE_OUTBOX_WAITING ? "already queued" : "queued");
	return 0;
}

struct tracker *
tracker_set_get(struct tracker_set *set, enum tracker_kind kind, const char **why)
{
	if (set->t[kind] == NULL && set->error[kind] == NULL)
		set->t[kind] = tracker_new(set->cfg, kind, set->opts, &set->error[kind]);
	*why = set->error[kind];
	return set->t[kind];
}

void
tracker_set_release(struct tracker_set *set)
{
	for (int i = 0; i < TRACKER_KIND_COUNT; i++) {
		tracker_free(set->t[i]);
		free(set->error[i]);
	}
}

static void
outcomes_add(struct tracker_outcomes *out, struct tracker_outcome *oc)
{
	out->items = xreallocarray(out->items, out->n + 1, sizeof(*out->items));
	out->items[out->n++] = *oc;
}

/* Runs the rows that are due in set (measure_id and row 0: every one;
 * else only the measure's or the row's). */
static int
run_due(struct store *st, struct tracker_set *set, long long measure_id, long long row,
	struct tracker_outcomes *out, char **err)
{
	struct store_outbox_items items;
	char *owner = deliver_owner_new();
	int rc = 0;

	if (store_outbox_list(st, false, &items, err) < 0) {
		free(owner);
		return -1;
	}
	for (size_t i = 0; i < items.n && rc == 0; i++) {
		const struct store_outbox_item *it = &items.items[i];
		struct tracker_outcome oc;
		char *now = deliver_time_in(set->opts ? set->opts->clock : NULL, 0);
		struct deliver_row_times times = outbox_row_times(it);
		bool due = deliver_due(&times, now);
		const char *word = store_outbox_state_word(it->state);

		free(now);
		if ((measure_id != 0 && it->measure_id != measure_id) ||
		    (row != 0 && it->id != row))
			continue;
		if (!due && it->state != DELIVER_CLAIMED) {
			/* not its time yet, or waiting for a person: say so */
			memset(&oc, 0, sizeof(oc));
			oc.measure_id = it->measure_id;
			oc.outbox_id = it->id;
			oc.result = it->state == DELIVER_REFUSED ? TRACKER_REFUSED
				    : it->state == DELIVER_FAILED ? TRACKER_WAITING
				    : it->state == DELIVER_UNKNOWN ? TRACKER_UNKNOWN
				    : TRACKER_LATER;
			if (it->next_attempt_at != NULL)
				oc.message = xasprintf("%s; next step after %s",
						       it->last_error ? it->last_error : word,
						       it->next_attempt_at);
			else
				oc.message = xstrdup(it->last_error ? it->last_error : word);
			outcomes_add(out, &oc);
			continue;
		}
		rc = outbox_run_item(st, set, it, owner, &oc, err);
		outcomes_add(out, &oc);
	}
	store_outbox_items_free(&items);
	free(owner);
	return rc;
}

int
tracker_run_due(struct store *st, const struct config *cfg, const struct tracker_options *opts,
		struct tracker_outcomes *out, char **err)
{
	struct tracker_set set = { .cfg = cfg, .opts = opts };
	int rc;

	out->items = NULL;
	out->n = 0;
	rc = run_due(st, &set, 0, 0, out, err);
	tracker_set_release(&set);
	return rc;
}

/* A person asked: refused and failed rows are queued again. */
static int
requeue_stopped(struct store *st, const struct tracker_options *opts, long long measure_id,
		char **err)
{
	struct store_outbox_items items;
	char *now = deliver_time_in(opts ? opts->clock : NULL, 0);
	int rc = 0;

	if (store_outbox_list(st, false, &items, err) < 0) {
		free(now);
		return -1;
	}
	for (size_t i = 0; i < items.n && rc == 0; i++) {
		const struct store_outbox_item *it = &items.items[i];
		bool changed;

		if (measure_id != 0 && it->measure_id != measure_id)
			continue;
		if (it->state != DELIVER_REFUSED && it->state != DELIVER_FAILED)
			continue;
		rc = store_outbox_move(st, &(struct store_outbox_move){
			.id = it->id, .guard = STORE_OUTBOX_STOPPED, .now = now, .to = DELIVER_QUEUED,
			.error = it->last_error, .look_first = -1, .misses = -1,
			.note = "queued again by a person" }, &changed, err);
	}
	store_outbox_items_free(&items);
	free(now);
	return rc;
}

int
tracker_push_all(struct store *st, const struct config *cfg, const struct tracker_options *opts,
		 struct tracker_outcomes *out, char **err)
{
	out->items = NULL;
	out->n = 0;
	if (requeue_stopped(st, opts, 0, err) < 0)
		return -1;
	return tracker_run_due(st, cfg, opts, out, err);
}

/* The outcome of the one row run_due was asked for, taken out of outs
 * (freed); none means another furikaeri holds the row. Returns rc. */
static int
one_outcome(int rc, struct tracker_outcomes *outs, struct tracker_outcome *out)
{
	if (rc == 0 && outs->n > 0) {
		*out = outs->items[0];
		for (size_t i = 1; i < outs->n; i++) {
			free(outs->items[i].key);
			free(outs->items[i].url);
			free(outs->items[i].message);
		}
		free(outs->items);
		outs->items = NULL;
		outs->n = 0;
		return 0;
	}
	tracker_outcomes_free(outs);
	if (rc == 0) {
		out->result = TRACKER_BUSY;
		out->message = xstrdup("being filed by another furikaeri");
	}
	return rc;
}

int
tracker_file_one(struct store *st, const struct config *cfg, const struct tracker_options *opts,
		 long long measure_id, const char *tracker, struct tracker_outcome *out,
		 char **err)
{
	struct tracker_set set = { .cfg = cfg, .opts = opts };
	struct tracker_outcomes outs = { 0 };
	char *msg = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	out->measure_id = measure_id;
	rc = tracker_queue(st, cfg, measure_id, tracker, &msg, err);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		struct store_outbox_item it;
		bool found = false;

		out->result = TRACKER_OK;
		out->message = msg;
		if (store_outbox_get(st, measure_id, &it, &found, NULL) == 0 && found) {
			out->key = xstrdup_or_null(it.ticket_key);
			out->url = xstrdup_or_null(it.ticket_url);
			store_outbox_item_release(&it);
		}
		return 0;
	}
	free(msg);
	if (requeue_stopped(st, opts, measure_id, err) < 0)
		return -1;
	rc = run_due(st, &set, measure_id, 0, &outs, err);
	tracker_set_release(&set);
	return one_outcome(rc, &outs, out);
}

int
tracker_file_postmortem(struct store *st, const struct config *cfg,
			const struct tracker_options *opts, const char *pm_id, const char *title,
			const char *severity, const char *body, const char *tracker,
			long long *row, struct tracker_outcome *out, char **err)
{
	struct tracker_set set = { .cfg = cfg, .opts = opts };
	struct tracker_outcomes outs = { 0 };
	enum tracker_kind kind;
	char *now, *marker = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	*row = 0;
	if (tracker != NULL && !tracker_kind_parse(tracker, &kind)) {
		err_set(err, "unknown tracker '%s'; use %s, or confluence", tracker,
			tracker_kind_list());
		return -1;
	}
	if (tracker == NULL && tracker_kind_parse(default_tracker(cfg), &kind))
		tracker = tracker_kind_name(kind);
	now = deliver_time_in(opts ? opts->clock : NULL, 0);
	rc = store_outbox_queue_issue(st, pm_id, title, severity, body,
				      tracker ? tracker_kind_name(kind) : NULL, now, row, &marker,
				      err);
	free(now);
	free(marker);
	if (rc < 0)
		return -1;
	out->outbox_id = *row;
	rc = run_due(st, &set, 0, *row, &outs, err);
	tracker_set_release(&set);
	return one_outcome(rc, &outs, out);
}

/* The tracker a delivered row's ticket is in: the row's own. Rows
 * delivered before every delivery recorded it (an adoption by lookup did
 * not) may have none; their key's shape tells: "OWNER/REPO#N" is GitHub's,
 * "PROJ-123" Jira's. false when neither says. */
static bool
tracker_of_ticket(const struct store_outbox_item *it, enum tracker_kind *kind)
{
	if (it->tracker != NULL)
		return tracker_kind_parse(it->tracker, kind);
	for (int k = 0; it->ticket_key != NULL && k < TRACKER_KIND_COUNT; k++) {
		if (kinds[k]->key_shape != NULL && kinds[k]->key_shape(it->ticket_key)) {
			*kind = (enum tracker_kind)k;
			return true;
		}
	}
	return false;
}

int
tracker_sync_all(struct store *st, const struct config *cfg, const struct tracker_options *opts,
		 struct tracker_outcomes *out, char **err)
{
	struct tracker_set set = { .cfg = cfg, .opts = opts };
	struct store_outbox_items items;
	int rc = 0;

	out->items = NULL;
	out->n = 0;
	if (store_outbox_list(st, true, &items, err) < 0)
		return -1;
	for (size_t i = 0; i < items.n && rc == 0; i++) {
		const struct store_outbox_item *it = &items.items[i];
		struct tracker_outcome oc = { .measure_id = it->measure_id };
		enum tracker_kind kind;
		struct tracker_issue issue;
		const char *why;
		struct tracker *t;
		char *msg = NULL;

		if (it->state != DELIVER_DELIVERED || it->ticket_key == NULL)
			continue;
		if (!tracker_of_ticket(it, &kind)) {
			oc.result = TRACKER_REFUSED;
			oc.key = xstrdup(it->ticket_key);
			oc.message = xasprintf("%s: which tracker holds it is not recorded, and the "
					       "key is neither OWNER/REPO#N nor PROJ-123",
					       it->ticket_key);
			outcomes_add(out, &oc);
			continue;
		}
		t = tracker_set_get(&set, kind, &why);
		if (t == NULL) {
			oc.result = TRACKER_REFUSED;
			oc.message = xstrdup(why);
			outcomes_add(out, &oc);
			continue;
		}
		oc.result = tracker_get(t, it->ticket_key, &issue, &msg);
		oc.key = xstrdup(it->ticket_key);
		if (oc.result == TRACKER_OK) {
			const char *status = issue.dropped ? "dropped" : issue.done ? "done" : "open";

			oc.url = xstrdup_or_null(issue.url);
			oc.message = xasprintf("%s is %s%s", it->ticket_key, issue.status ? issue.status
				: status, issue.dropped ? " (not done: the measure is dropped)" : "");
			if (it->measure_id != 0)
				rc = store_outbox_set_measure_status(st, it->measure_id, status,
								     err);
			tracker_issue_release(&issue);
			free(msg);
		} else {
			oc.message = msg;
		}
		outcomes_add(out, &oc);
	}
	store_outbox_items_free(&items);
	tracker_set_release(&set);
	return rc;
}

void
tracker_checks_free(struct tracker_checks *checks)
{
	if (checks == NULL)
		return;
	for (size_t i = 0; i < checks->n; i++)
		free(checks->items[i].text);
	free(checks->items);
	checks->items = NULL;
	checks->n = 0;
}

void
tracker_check_add(struct tracker_checks *c, bool ok, char *text)
{
	c->items = xreallocarray(c->items, c->n + 1, sizeof(*c->items));
	c->items[c->n++] = (struct tracker_check){ .ok = ok, .text = text };
}

static void
doctor_one(const struct config *cfg, const struct tracker_options *opts, enum tracker_kind kind,
	   struct tracker_checks *c)
{
	const char *name = kinds[kind]->name;
	char *err = NULL, *who = NULL;
	struct tracker *t = tracker_new(cfg, kind, opts, &err);

	if (t == NULL) {
		tracker_check_add(c, false, xasprintf("%s: %s", name, err));
		free(err);
		return;
	}
	tracker_check_add(c, true, t->ops->describe(t));
	/* no account to ask for (Confluence): its own checks authenticate */
	if (t->ops->myself == NULL) {
		if (t->ops->doctor != NULL)
			t->ops->doctor(t, c);
		tracker_free(t);
		return;
	}
	if (tracker_myself(t, &who, &err) != TRACKER_OK) {
		tracker_check_add(c, false, xasprintf("%s: the token does not authenticate: %s",
						      name, err));
		free(err);
		tracker_free(t);
		return;
	}
	tracker_check_add(c, true, xasprintf("%s: the token authenticates as %s", name, who));
	free(who);
	if (t->ops->doctor != NULL)
		t->ops->doctor(t, c);
	tracker_free(t);
}

size_t
tracker_doctor(const struct config *cfg, const struct tracker_options *opts,
	       struct tracker_checks *checks)
{
	size_t failed = 0;

	checks->items = NULL;
	checks->n = 0;
	tracker_check_add(checks, true, cfg->path ? xasprintf("config file %s reads without errors",
						      cfg->path)
					  : xstrdup("no config file: using the defaults"));
	{
		bool any = false;
		enum tracker_kind dk;

		for (int k = 0; k < TRACKER_KIND_COUNT; k++)
			any |= tracker_kind_files_measures((enum tracker_kind)k) &&
			       kinds[k]->configured(cfg);
		if (!any) {
			struct strbuf sb = STRBUF_INIT;

			strbuf_adds(&sb, "no tracker is configured: add a ");
			int left = 0;

			for (int k = 0; k < TRACKER_KIND_COUNT; k++)
				left += tracker_kind_files_measures((enum tracker_kind)k);
			for (int k = 0, n = 0; k < TRACKER_KIND_COUNT; k++) {
				if (!tracker_kind_files_measures((enum tracker_kind)k))
					continue;
				n++;
				strbuf_addf(&sb, "%s[%s]", n == 1 ? "" : n == left ? " or " : ", ",
					    tracker_kind_name((enum tracker_kind)k));
			}
			strbuf_adds(&sb, " section (see furikaeri(5)) to file tickets");
			tracker_check_add(checks, false, strbuf_detach(&sb));
		}
		for (int k = 0; k < TRACKER_KIND_COUNT; k++)
			if (kinds[k]->configured(cfg))
				doctor_one(cfg, opts, (enum tracker_kind)k, checks);
		for (int k = 0; k < TRACKER_KIND_COUNT; k++) {
			char *note = kinds[k]->configured(cfg)
				     ? tracker_recheck_note(cfg, (enum tracker_kind)k) : NULL;

			if (note != NULL) {
				tracker_check_add(checks, true, note);
				checks->items[checks->n - 1].warn = true;
			}
		}
		if (cfg->tracker_default != NULL &&
		    tracker_kind_parse(cfg->tracker_default, &dk) && !kinds[dk]->configured(cfg))
			tracker_check_add(checks, false,
					  xasprintf("[tracker] default = %s, but that tracker has "
						    "no section", cfg->tracker_default));
	}
	for (size_t i = 0; i < checks->n; i++)
		failed += !checks->items[i].ok;
	return failed;
}
