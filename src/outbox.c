#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/deliver.h"
#include "furikaeri/deliver_run.h"
#include "furikaeri/err.h"
#include "furikaeri/log.h"
#include "furikaeri/outbox.h"
#include "furikaeri/store_delivery.h"
#include "furikaeri/store_outbox.h"
#include "furikaeri/tracker.h"
#include "furikaeri/xalloc.h"
#include "tracker_private.h"

/* The state machine drawn in outbox.h. */

struct deliver_row_times
outbox_row_times(const struct store_outbox_item *it)
{
	return (struct deliver_row_times){
		.state = it->state, .next_attempt_at = it->next_attempt_at,
		.lease_until = it->lease_until, .claimed_by = it->claimed_by,
	};
}

/* One row's run (deliver_run): the tracker as its backend, ticket_outbox
 * as its table. */
struct run {
	struct store *st;
	const struct store_outbox_item *it;
	const char *owner;
	const struct http_clock *clock;
	struct tracker_set *set;
	struct deliver_backend *be;
	struct tracker *t;	/* once ready */
	enum tracker_kind kind;
	bool has_kind;
	struct tracker_input in;
	struct tracker_issue issue;	/* found or created */
	struct tracker_outcome *oc;
	char *what;		/* what the last step did, for a history note if lost */
	long recheck_ms;
	long longest_ms;	/* one request with its inline retries */
	long lease_ms;
};

/* Applies one transition (see outbox.h); *changed false when the row was
 * not in the state the guard names. -1 when the store failed. */
static int
move(struct run *r, struct store_outbox_move mv, bool *changed, char **err)
{
	char *now = deliver_time_in(r->clock, 0);
	char *lease = mv.to == DELIVER_CLAIMED ? deliver_time_in(r->clock, r->lease_ms) : NULL;
	int rc;

	mv.id = r->it->id;
	mv.now = now;
	mv.lease_until = lease;
	if (mv.owner == NULL)
		mv.owner = r->owner;
	rc = store_outbox_move(r->st, &mv, changed, err);
	free(now);
	free(lease);
	return rc;
}

static void
finish(struct run *r, enum tracker_result result, char *message)
{
	r->oc->result = result;
	free(r->oc->message);
	r->oc->message = message;
}

static void
doing(struct run *r, const char *what)
{
	free(r->what);
	r->what = xstrdup(what);
}

/* The row was taken over while this process acted on it (its lease ran
 * out, or its owner looked gone): what it did is written to the history,
 * and the outcome is unknown to this process, whatever the tracker said,
 * since the new holder decides (it looks the marker up). */
static int
lost(struct run *r, char **err)
{
	struct tracker_outcome *oc = r->oc;
	char *now = deliver_time_in(r->clock, 0);
	char *note = xasprintf("taken over by another furikaeri while its create was in flight: "
			       "%s; the marker is looked up by the new holder",
			       r->what ? r->what : "?");
	int rc = store_delivery_note(r->st, STORE_DELIVERY_TICKET, r->it->id, now, note, err);

	log_error("outbox row %lld: %s", r->it->id, note);
	free(now);
	free(oc->key);
	free(oc->url);
	oc->key = NULL;
	oc->url = NULL;
	finish(r, TRACKER_UNKNOWN, note);
	return rc;
}

static int
unknown_after(struct run *r, char *why, int misses, bool *changed, char **err)
{
	char *when = deliver_time_in(r->clock, r->recheck_ms);
	char *note = xasprintf("%s; nothing is sent again: the marker is looked up after %s",
			       why, when);
	int rc = move(r, (struct store_outbox_move){
		.guard = STORE_OUTBOX_HELD, .to = DELIVER_UNKNOWN, .next_attempt_at = when,
		.error = why, .look_first = 1, .misses = misses, .note = note }, changed, err);

	free(when);
	doing(r, why);
	free(why);
	if (rc == 0 && *changed)
		finish(r, TRACKER_UNKNOWN, note);
	else
		free(note);
	return rc;
}

static int
filed(struct run *r, const char *how, bool *changed, char **err)
{
	struct tracker_issue *issue = &r->issue;
	char *note = xasprintf("%s %s", how, issue->key);
	char *what = xasprintf("%s %s here", issue->adopted ? "found" : "created", issue->key);
	/* the tracker it went to is recorded, adoption by a lookup included
	 * (a row queued before any tracker had none), so sync asks that one */
	int rc = move(r, (struct store_outbox_move){
		.guard = STORE_OUTBOX_HELD, .to = DELIVER_DELIVERED, .key = issue->key,
		.url = issue->url, .tracker = tracker_kind_name(r->kind),
		.look_first = 0, .misses = -1, .note = note }, changed, err);

	doing(r, what);
	free(what);
	if (rc == 0 && *changed) {
		r->oc->key = xstrdup(issue->key);
		r->oc->url = xstrdup_or_null(issue->url);
		finish(r, TRACKER_OK, note);
	} else {
		free(note);
	}
	return rc;
}

static int
stop(struct run *r, enum deliver_state to, enum tracker_result result, const char *why,
     const char *next, bool *changed, char **err)
{
	int rc = move(r, (struct store_outbox_move){
		.guard = STORE_OUTBOX_HELD, .to = to, .error = why, .next_attempt_at = next,
		.look_first = -1, .misses = -1, .note = why }, changed, err);

	doing(r, why);
	if (rc == 0 && *changed)
		finish(r, result, xstrdup(why));
	return rc;
}

/* A row claimed by another that deliver_due gave up on: its create may
 * still be on its way to the tracker, so the first lookup waits out the
 * longest request (its holder's settings are not known here; ours are
 * taken for them). */
static int
take_over(struct run *r, bool gone, bool *changed, char **err)
{
	const struct store_outbox_item *it = r->it;
	char *when = deliver_time_in(r->clock, r->longest_ms > r->recheck_ms ? r->longest_ms
							      : r->recheck_ms);
	char *note = gone
		? xasprintf("found claimed by %s, a process of this machine that is gone: the "
			    "outcome of its create is unknown; the marker is looked up after %s",
			    it->claimed_by, when)
		: xasprintf("found claimed by %s, whose lease ran out at %s: the outcome of its "
			    "create is unknown; the marker is looked up after %s", it->claimed_by
			    ? it->claimed_by : "another process", it->lease_until
			    ? it->lease_until : "?", when);
	int rc = move(r, (struct store_outbox_move){
		.guard = gone ? STORE_OUTBOX_ORPHANED : STORE_OUTBOX_EXPIRED,
		.owner = gone ? it->claimed_by : NULL, .to = DELIVER_UNKNOWN,
		.next_attempt_at = when, .error = note, .look_first = 1, .misses = 0,
		.note = note }, changed, err);

	free(when);
	if (rc == 0 && *changed) {
		finish(r, TRACKER_UNKNOWN, note);
	} else {
		free(note);
		finish(r, TRACKER_BUSY, xstrdup("taken over by another furikaeri"));
	}
	return rc;
}

/* ticket_outbox as deliver_run's table: the guards, notes and columns of
 * each step. */
static int
table_move(void *ctx, struct deliver_move *mv, bool *changed, char **err)
{
	struct run *r = ctx;
	const struct store_outbox_item *it = r->it;
	const char *why = mv->why;
	int rc;

	*changed = false;
	switch (mv->step) {
	case DELIVER_STEP_BUSY:
		finish(r, TRACKER_BUSY, xasprintf("being filed by another furikaeri (%s, until %s)",
						  it->claimed_by ? it->claimed_by : "?",
						  it->lease_until ? it->lease_until : "?"));
		return 0;
	case DELIVER_STEP_TAKEOVER:
		/* due before its lease ran out: its owner is gone */
		return take_over(r, !mv->ran_out, changed, err);
	case DELIVER_STEP_CLAIM:
		rc = move(r, (struct store_outbox_move){
			.guard = STORE_OUTBOX_DUE, .to = DELIVER_CLAIMED, .look_first = -1,
			.misses = -1, .error = it->last_error, .next_attempt_at = NULL,
			.note = it->look_first ? "claimed to look up its marker"
						: "claimed to send" }, changed, err);
		if (rc == 0 && !*changed)
			finish(r, TRACKER_BUSY, xstrdup("claimed by another furikaeri first"));
		return rc;
	case DELIVER_STEP_FAIL:
		return stop(r, DELIVER_FAILED, TRACKER_WAITING, why, NULL, changed, err);
	case DELIVER_STEP_FOUND:
		return filed(r, "found by its marker, nothing sent:", changed, err);
	case DELIVER_STEP_LOOKUP_FAILED:
		return unknown_after(r, xasprintf("could not look up the marker (%s)", why ? why : "?"),
				     -1, changed, err);
	case DELIVER_STEP_MISSED:
		return unknown_after(r, xasprintf("looked up by marker: not found (%d of %d lookups; "
						  "%s's search lags its writes)", mv->misses,
						  mv->lookups_needed, r->t->ops->name),
				     -2, changed, err);
	case DELIVER_STEP_RESEND: {
		char *note = xasprintf("looked up by marker: not found by any means (%d lookup%s); "
				       "sending the create again", mv->misses,
				       mv->misses == 1 ? "" : "s");

		rc = move(r, (struct store_outbox_move){
			.guard = STORE_OUTBOX_MINE, .to = DELIVER_CLAIMED, .look_first = -1,
			.misses = mv->misses, .note = note }, changed, err);
		free(note);
		if (rc == 0 && !*changed)
			finish(r, TRACKER_BUSY, xstrdup("lost the claim"));
		return rc;
	}
	case DELIVER_STEP_SEND:
		rc = move(r, (struct store_outbox_move){
			.guard = STORE_OUTBOX_MINE, .to = DELIVER_CLAIMED, .look_first = -1,
			.misses = -1, .sent = true, .tracker = tracker_kind_name(r->kind),
			.note = "sending the create" }, changed, err);
		if (rc == 0 && !*changed)
			finish(r, TRACKER_BUSY, xstrdup("lost the claim"));
		return rc;
	case DELIVER_STEP_RENEW:
		/* before every inline resend of a create: the claim must still be ours */
		return move(r, (struct store_outbox_move){
			.guard = STORE_OUTBOX_MINE, .to = DELIVER_CLAIMED, .look_first = -1,
			.misses = -1, .sent = true, .next_attempt_at = NULL,
			.note = "sending the create again (the last try was not acted on)" },
			changed, err);
	case DELIVER_STEP_SENT:
		return filed(r, "filed", changed, err);
	case DELIVER_STEP_REFUSED:
		return stop(r, DELIVER_REFUSED, TRACKER_REFUSED, why ? why : "refused", NULL,
			    changed, err);
	case DELIVER_STEP_LATER: {
		char *when = deliver_time_in(r->clock, mv->wait_ms);

		rc = stop(r, DELIVER_QUEUED, TRACKER_LATER, why ? why : "try later", when, changed,
			  err);
		free(when);
		return rc;
	}
	case DELIVER_STEP_UNKNOWN:
		return unknown_after(r, xasprintf("outcome unknown: %s", why ? why : "no answer"), 0,
				     changed, err);
	case DELIVER_STEP_LOST:
		return lost(r, err);
	}
	return 0;
}

/* The tracker the row goes to; its lookups are known only then. */
static bool
backend_ready(void *ctx, char **why)
{
	struct run *r = ctx;
	const char *no = NULL;

	if (!r->has_kind) {
		*why = xstrdup("waiting for a tracker: set [tracker] default and a token, then "
			       "furikaeri tickets push");
		return false;
	}
	r->t = tracker_set_get(r->set, r->kind, &no);
	if (r->t == NULL) {
		*why = xasprintf("waiting for %s: %s; then furikaeri tickets push",
				 strstr(no, "token") ? "a token" : "the tracker's settings", no);
		return false;
	}
	r->be->lookups_needed = r->t->ops->lookups_needed;
	return true;
}

static enum deliver_find
backend_find(void *ctx, char **ref, char **why)
{
	struct run *r = ctx;
	bool found = false;
	enum tracker_call c = r->t->ops->find(r->t, r->it->marker, r->it->sent_at, &found,
					      &r->issue, why);

	(void)ref;
	if (c == TRACKER_CALL_OK && found) {
		r->issue.adopted = true;
		return DELIVER_FIND_FOUND;
	}
	tracker_issue_release(&r->issue);
	return c != TRACKER_CALL_OK ? DELIVER_FIND_FAILED : DELIVER_FIND_MISSED;
}

static enum deliver_send
backend_send(void *ctx, const struct deliver_renew *renew, char **ref, long *wait_ms, char **why)
{
	struct run *r = ctx;
	struct tracker *t = r->t;
	int attempt = 0;
	enum tracker_call c;

	(void)ref;
	t->may_send = renew->fn;
	t->may_send_ctx = renew->ctx;
	c = t->ops->create(t, &r->in, &attempt, &r->issue, wait_ms, why);
	t->may_send = NULL;
	t->may_send_ctx = NULL;
	switch (c) {
	case TRACKER_CALL_OK:
		return DELIVER_SEND_OK;
	case TRACKER_CALL_REFUSED:
		return DELIVER_SEND_REFUSED;
	case TRACKER_CALL_LATER:
		return DELIVER_SEND_LATER;
	default:
		return DELIVER_SEND_UNKNOWN;
	}
}

int
outbox_run_item(struct store *st, struct tracker_set *set, const struct store_outbox_item *it,
		const char *owner, struct tracker_outcome *oc, char **err)
{
	const struct tracker_options *o = set->opts;
	/* lookups_needed is the tracker's, known once it is ready; a ticket's
	 * tracker always has a lookup */
	struct deliver_backend be = {
		.ready = backend_ready, .find = backend_find, .send = backend_send,
		.lookups_needed = 1,
	};
	struct run r = {
		.st = st, .it = it, .owner = owner, .set = set, .be = &be, .oc = oc,
		.clock = o != NULL ? o->clock : NULL,
		.longest_ms = tracker_longest_request_ms(set->cfg, o),
		.in = {
			.marker = it->marker, .title = it->title, .owner = it->owner,
			.due = it->due, .week = it->week, .pm_id = it->pm_id,
			.pm_title = it->pm_title, .pm_source = it->pm_source,
			.pm_severity = it->pm_severity,
		},
	};
	enum deliver_outcome out;
	int rc;

	be.ctx = &r;
	r.lease_ms = o != NULL && o->lease_ms > 0 ? o->lease_ms : deliver_lease_ms(r.longest_ms);
	/* the wait before a lookup covers the search lag of the tracker the
	 * row goes to (the longer one while it has none) */
	r.has_kind = tracker_for_row(set->cfg, it->tracker, &r.kind);
	if (r.has_kind) {
		r.recheck_ms = tracker_recheck_ms(set->cfg, o, r.kind);
	} else {
		r.kind = TRACKER_GITHUB;
		r.recheck_ms = 0;
		for (int k = 0; k < TRACKER_KIND_COUNT; k++) {
			long ms = tracker_recheck_ms(set->cfg, o, (enum tracker_kind)k);

			if (ms > r.recheck_ms)
				r.recheck_ms = ms;
		}
	}
	memset(oc, 0, sizeof(*oc));
	oc->measure_id = it->measure_id;
	oc->outbox_id = it->id;
	if (it->kind != NULL && strcmp(it->kind, "postmortem") == 0) {
		/* a new postmortem as an issue: its filled template is the body */
		r.in.body = it->body != NULL ? it->body : "";
		r.in.label = set->cfg != NULL && set->cfg->postmortems_label != NULL
			     ? set->cfg->postmortems_label : "postmortem";
		r.in.owner = NULL;
	}
	rc = deliver_run(&(struct deliver_run_row){
		.times = outbox_row_times(it), .look_first = it->look_first, .misses = it->misses,
	}, &be, &(struct deliver_table){ .move = table_move, .ctx = &r }, r.clock, &out, err);
	if (rc < 0 && oc->message == NULL)
		finish(&r, TRACKER_BUSY, xstrdup("the store failed"));
	tracker_issue_release(&r.issue);
	free(r.what);
	return rc;
}
