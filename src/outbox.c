#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/deliver.h"
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

/* One row's run: what the steps share. */
struct run {
	struct store *st;
	const struct store_outbox_item *it;
	const char *owner;
	const struct http_clock *clock;
	long recheck_ms;
	long longest_ms;	/* one request with its inline retries */
	long lease_ms;
	char **err;
	bool store_failed;
};

/* Applies one transition (see outbox.h); false when the row was not in the
 * state the guard names (or the store failed: r->store_failed). */
static bool
move(struct run *r, struct store_outbox_move mv)
{
	char *now = deliver_time_in(r->clock, 0);
	char *lease = mv.to == DELIVER_CLAIMED ? deliver_time_in(r->clock, r->lease_ms) : NULL;
	bool changed = false;

	mv.id = r->it->id;
	mv.now = now;
	mv.lease_until = lease;
	if (mv.owner == NULL)
		mv.owner = r->owner;
	if (store_outbox_move(r->st, &mv, &changed, r->err) < 0)
		r->store_failed = true;
	free(now);
	free(lease);
	return changed;
}

static int
finish(struct run *r, struct tracker_outcome *oc, enum tracker_result result, char *message)
{
	oc->result = result;
	free(oc->message);
	oc->message = message;
	return r->store_failed ? -1 : 0;
}

/* Before every inline resend of a create: the claim must still be ours. */
static bool
renew_claim(void *ctx)
{
	struct run *r = ctx;

	return move(r, (struct store_outbox_move){
		.guard = STORE_OUTBOX_MINE, .to = DELIVER_CLAIMED, .look_first = -1, .misses = -1,
		.sent = true, .next_attempt_at = NULL,
		.note = "sending the create again (the last try was not acted on)" });
}

/* The row was taken over while this process acted on it (its lease ran
 * out, or its owner looked gone): what it did is written to the history,
 * and the outcome is unknown to this process, whatever the tracker said,
 * since the new holder decides (it looks the marker up). */
static int
lost(struct run *r, struct tracker_outcome *oc, const char *what)
{
	char *now = deliver_time_in(r->clock, 0);
	char *note = xasprintf("taken over by another furikaeri while its create was in flight: "
			       "%s; the marker is looked up by the new holder", what);

	log_error("outbox row %lld: %s", r->it->id, note);
	if (store_delivery_note(r->st, STORE_DELIVERY_TICKET, r->it->id, now, note, r->err) < 0)
		r->store_failed = true;
	free(now);
	free(oc->key);
	free(oc->url);
	oc->key = NULL;
	oc->url = NULL;
	return finish(r, oc, TRACKER_UNKNOWN, note);
}

static int
unknown_after(struct run *r, struct tracker_outcome *oc, const char *why, int misses)
{
	char *when = deliver_time_in(r->clock, r->recheck_ms);
	char *note = xasprintf("%s; nothing is sent again: the marker is looked up after %s",
			       why, when);
	bool moved = move(r, (struct store_outbox_move){
		.guard = STORE_OUTBOX_HELD, .to = DELIVER_UNKNOWN, .next_attempt_at = when,
		.error = why, .look_first = 1, .misses = misses, .note = note });

	free(when);
	if (!moved && !r->store_failed) {
		free(note);
		return lost(r, oc, why);
	}
	return finish(r, oc, TRACKER_UNKNOWN, note);
}

static int
filed(struct run *r, struct tracker_outcome *oc, struct tracker_issue *issue, const char *how,
      enum tracker_kind kind)
{
	char *note = xasprintf("%s %s", how, issue->key);
	int rc;

	/* the tracker it went to is recorded, adoption by a lookup included
	 * (a row queued before any tracker had none), so sync asks that one */
	if (!move(r, (struct store_outbox_move){
		    .guard = STORE_OUTBOX_HELD, .to = DELIVER_DELIVERED, .key = issue->key,
		    .url = issue->url, .tracker = tracker_kind_name(kind),
		    .look_first = 0, .misses = -1, .note = note }) && !r->store_failed) {
		char *what = xasprintf("%s %s here", issue->adopted ? "found" : "created",
				       issue->key);

		free(note);
		rc = lost(r, oc, what);
		free(what);
		tracker_issue_release(issue);
		return rc;
	}
	oc->key = xstrdup(issue->key);
	oc->url = xstrdup_or_null(issue->url);
	tracker_issue_release(issue);
	return finish(r, oc, TRACKER_OK, note);
}

static int
stop(struct run *r, struct tracker_outcome *oc, enum deliver_state to, enum tracker_result result,
     const char *why, const char *next)
{
	if (!move(r, (struct store_outbox_move){
		    .guard = STORE_OUTBOX_HELD, .to = to, .error = why, .next_attempt_at = next,
		    .look_first = -1, .misses = -1, .note = why }) && !r->store_failed)
		return lost(r, oc, why);
	return finish(r, oc, result, xstrdup(why));
}

int
outbox_run_item(struct store *st, struct tracker_set *set, const struct store_outbox_item *it,
		const char *owner, struct tracker_outcome *oc, char **err)
{
	const struct tracker_options *o = set->opts;
	struct run r = {
		.st = st, .it = it, .owner = owner, .err = err,
		.clock = o != NULL ? o->clock : NULL,
		.longest_ms = tracker_longest_request_ms(set->cfg, o),
	};
	struct tracker_input in = {
		.marker = it->marker, .title = it->title, .owner = it->owner, .due = it->due,
		.week = it->week, .pm_id = it->pm_id, .pm_title = it->pm_title,
		.pm_source = it->pm_source, .pm_severity = it->pm_severity,
	};
	bool postmortem = it->kind != NULL && strcmp(it->kind, "postmortem") == 0;
	struct tracker_issue issue = { 0 };
	enum tracker_kind kind = TRACKER_GITHUB;
	bool has_kind;
	struct tracker *t;
	const char *why = NULL;
	char *msg = NULL;
	int attempt = 0;
	long wait = 0;
	enum tracker_call c;

	r.lease_ms = o != NULL && o->lease_ms > 0 ? o->lease_ms : deliver_lease_ms(r.longest_ms);
	/* the wait before a lookup covers the search lag of the tracker the
	 * row goes to (the longer one while it has none) */
	has_kind = tracker_for_row(set->cfg, it->tracker, &kind);
	r.recheck_ms = tracker_recheck_ms(set->cfg, o, has_kind ? kind : TRACKER_JIRA);
	if (!has_kind && r.recheck_ms < tracker_recheck_ms(set->cfg, o, TRACKER_GITHUB))
		r.recheck_ms = tracker_recheck_ms(set->cfg, o, TRACKER_GITHUB);
	memset(oc, 0, sizeof(*oc));
	oc->measure_id = it->measure_id;
	oc->outbox_id = it->id;
	if (postmortem) {
		/* a new postmortem as an issue: its filled template is the body */
		in.body = it->body != NULL ? it->body : "";
		in.label = set->cfg != NULL && set->cfg->postmortems_label != NULL
			   ? set->cfg->postmortems_label : "postmortem";
		in.owner = NULL;
	}
	if (it->state == DELIVER_CLAIMED) {
		char *now = deliver_time_in(r.clock, 0);
		struct deliver_row_times times = outbox_row_times(it);
		bool due = deliver_due(&times, now);
		/* due before its lease ran out: its owner is gone */
		bool gone = due && it->lease_until != NULL && strcmp(it->lease_until, now) > 0;

		free(now);
		if (!due)
			return finish(&r, oc, TRACKER_BUSY,
				      xasprintf("being filed by another furikaeri (%s, until %s)",
						it->claimed_by ? it->claimed_by : "?",
						it->lease_until ? it->lease_until : "?"));
		{
			/* its create may still be on its way to the tracker: the
			 * first lookup waits out the longest request (its holder's
			 * settings are not known here; ours are taken for them) */
			char *when = deliver_time_in(r.clock, r.longest_ms > r.recheck_ms
							      ? r.longest_ms : r.recheck_ms);
			char *note = gone
				? xasprintf("found claimed by %s, a process of this machine that is "
					    "gone: the outcome of its create is unknown; the marker is "
					    "looked up after %s", it->claimed_by, when)
				: xasprintf("found claimed by %s, whose lease ran out at %s: the "
					    "outcome of its create is unknown; the marker is looked up "
					    "after %s", it->claimed_by ? it->claimed_by
					    : "another process", it->lease_until ? it->lease_until : "?",
					    when);
			bool changed = move(&r, (struct store_outbox_move){
				.guard = gone ? STORE_OUTBOX_ORPHANED : STORE_OUTBOX_EXPIRED,
				.owner = gone ? it->claimed_by : NULL, .to = DELIVER_UNKNOWN,
				.next_attempt_at = when, .error = note, .look_first = 1,
				.misses = 0, .note = note });

			free(when);
			if (!changed) {
				free(note);
				return finish(&r, oc, TRACKER_BUSY,
					      xstrdup("taken over by another furikaeri"));
			}
			return finish(&r, oc, TRACKER_UNKNOWN, note);
		}
	}
	if (!move(&r, (struct store_outbox_move){
		    .guard = STORE_OUTBOX_DUE, .to = DELIVER_CLAIMED, .look_first = -1, .misses = -1,
		    .error = it->last_error, .next_attempt_at = NULL,
		    .note = it->look_first ? "claimed to look up its marker" : "claimed to send" }))
		return finish(&r, oc, TRACKER_BUSY,
			      xstrdup(r.store_failed ? "the store failed"
				      : "claimed by another furikaeri first"));

	if (!has_kind)
		return stop(&r, oc, DELIVER_FAILED, TRACKER_WAITING,
			    "waiting for a tracker: set [tracker] default and a token, then "
			    "furikaeri tickets push", NULL);
	t = tracker_set_get(set, kind, &why);
	if (t == NULL) {
		char *w = xasprintf("waiting for %s: %s; then furikaeri tickets push",
				    strstr(why, "token") ? "a token" : "the tracker's settings", why);
		int rc = stop(&r, oc, DELIVER_FAILED, TRACKER_WAITING, w, NULL);

		free(w);
		return rc;
	}

	if (it->look_first) {
		bool found = false;
		int misses;
		char *note;

		c = t->ops->find(t, it->marker, it->sent_at, &found, &issue, &msg);
		if (c == TRACKER_CALL_OK && found) {
			issue.adopted = true;
			free(msg);
			return filed(&r, oc, &issue, "found by its marker, nothing sent:", kind);
		}
		tracker_issue_release(&issue);
		if (c != TRACKER_CALL_OK) {
			char *w = xasprintf("could not look up the marker (%s)", msg ? msg : "?");
			int rc = unknown_after(&r, oc, w, -1);

			free(w);
			free(msg);
			return rc;
		}
		free(msg);
		msg = NULL;
		misses = it->misses + 1;
		if (misses < t->ops->lookups_needed) {
			char *w = xasprintf("looked up by marker: not found (%d of %d lookups; %s's "
					    "search lags its writes)", misses,
					    t->ops->lookups_needed, t->ops->name);
			int rc = unknown_after(&r, oc, w, -2);

			free(w);
			return rc;
		}
		note = xasprintf("looked up by marker: not found by any means (%d lookup%s); "
				 "sending the create again", misses, misses == 1 ? "" : "s");
		if (!move(&r, (struct store_outbox_move){
			    .guard = STORE_OUTBOX_MINE, .to = DELIVER_CLAIMED, .look_first = -1,
			    .misses = misses, .note = note })) {
			free(note);
			return finish(&r, oc, TRACKER_BUSY, xstrdup("lost the claim"));
		}
		free(note);
	}

	if (!move(&r, (struct store_outbox_move){
		    .guard = STORE_OUTBOX_MINE, .to = DELIVER_CLAIMED, .look_first = -1, .misses = -1,
		    .sent = true, .tracker = tracker_kind_name(kind),
		    .note = "sending the create" }))
		return finish(&r, oc, TRACKER_BUSY,
			      xstrdup(r.store_failed ? "the store failed" : "lost the claim"));
	t->may_send = renew_claim;
	t->may_send_ctx = &r;
	c = t->ops->create(t, &in, &attempt, &issue, &wait, &msg);
	t->may_send = NULL;
	t->may_send_ctx = NULL;
	switch (c) {
	case TRACKER_CALL_OK: {
		free(msg);
		return filed(&r, oc, &issue, "filed", kind);
	}
	case TRACKER_CALL_REFUSED: {
		int rc = stop(&r, oc, DELIVER_REFUSED, TRACKER_REFUSED, msg ? msg : "refused", NULL);

		free(msg);
		return rc;
	}
	case TRACKER_CALL_LATER: {
		char *when = deliver_time_in(r.clock, wait);
		int rc = stop(&r, oc, DELIVER_QUEUED, TRACKER_LATER, msg ? msg : "try later", when);

		free(when);
		free(msg);
		return rc;
	}
	default: {
		char *w = xasprintf("outcome unknown: %s", msg ? msg : "no answer");
		int rc = unknown_after(&r, oc, w, 0);

		free(w);
		free(msg);
		return rc;
	}
	}
}
