#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chat_private.h"
#include "furikaeri/chat_flush.h"
#include "furikaeri/chat_queue.h"
#include "furikaeri/deliver.h"
#include "furikaeri/deliver_run.h"
#include "furikaeri/log.h"
#include "furikaeri/store_chat.h"
#include "furikaeri/xalloc.h"

/* Looks for a post's marker where it would be: 1 found (*ref), 0 not, -1
 * the lookup failed. */
static int
find_marker(struct chat *c, const struct store_chat_post *p, const char *channel, char **ref,
	    char **err)
{
	struct chat_msgs msgs = { 0 };
	long wait;
	long long since = 0;
	enum chat_call r;
	struct tm tm = { 0 };

	/* a root is looked for among the posts since it was queued (a minute's
	 * slack for clocks), however busy the channel has been since */
	if (p->queued_at != NULL && strptime(p->queued_at, "%Y-%m-%dT%H:%M:%SZ", &tm) != NULL)
		since = (long long)timegm(&tm) - 60;
	r = p->parent_ref != NULL
		? c->ops->thread(c, channel, p->parent_ref, NULL, &msgs, &wait, err)
		: c->ops->recent(c, channel, since > 0 ? since : 0, &msgs, &wait, err);
	int found = 0;

	*ref = NULL;
	if (r != CHAT_CALL_OK)
		return -1;
	for (size_t i = 0; i < msgs.n && !found; i++)
		if (msgs.rows[i].marker != NULL && strcmp(msgs.rows[i].marker, p->marker) == 0) {
			*ref = xstrdup(msgs.rows[i].ref);
			found = 1;
		}
	chat_msgs_free(&msgs);
	return found;
}

/* One move of a post through store_chat_move: guarded by the row as seen
 * (a claim, a takeover) or, seen NULL, by this chat's claim. 1 done, 0 the
 * guard did not hold (another process has the post: logged, and nothing is
 * recorded here), -1 the store failed. */
static int
move(struct chat *c, const struct store_chat_post *p, const struct store_chat_post *seen,
     enum deliver_state to, long wait_ms, const char *error, bool sent, const char *channel,
     const char *ref, const char *note, char **err)
{
	char *now = deliver_time_in(c->clock, 0);
	char *next = wait_ms > 0 ? deliver_time_in(c->clock, wait_ms) : NULL;
	char *lease = to == DELIVER_CLAIMED ? deliver_time_in(c->clock, c->lease_ms) : NULL;
	struct store_chat_move mv = {
		.id = p->id, .seen = seen, .owner = c->owner, .to = to, .lease_until = lease,
		.now = now, .next_attempt_at = next, .error = error, .sent = sent,
		.channel = channel, .post_ref = ref, .note = note ? note : error,
	};
	bool changed = false;
	int rc = store_chat_move(c->st, &mv, &changed, err);

	if (rc == 0 && !changed)
		log_info("chat post %lld: not moved to %s: %s", p->id, deliver_state_name(to),
			 seen != NULL ? "another furikaeri took it first"
				      : "its claim was taken over by another furikaeri, which "
					"records its outcome");
	free(now);
	free(next);
	free(lease);
	return rc < 0 ? -1 : changed ? 1 : 0;
}

/* The wall clock in ms, as rate_until_ms counts. */
static long long
http_clock_now_ms_wall(const struct chat *c)
{
	return (long long)http_clock_now(c->clock) * 1000;
}

/* A post went through: a refusal of an earlier one no longer says what the
 * chat is doing (the refused post keeps its reason in the store). */
static void
delivered(struct chat *c)
{
	if (c->state == CHAT_REFUSED)
		chat_remember_error(c, CHAT_CONNECTED, NULL);
}

static void
pace(struct chat *c)
{
	long long now = http_clock_now_ms(c->clock);

	if (c->posted && now - c->last_post_ms < CHAT_POST_GAP_MS)
		http_clock_sleep_ms(c->clock, (long)(CHAT_POST_GAP_MS - (now - c->last_post_ms)));
	c->posted = true;
	c->last_post_ms = http_clock_now_ms(c->clock);
}

/* One post's run (deliver_run): the chat as its backend and chat_posts as
 * its table. */
struct post_run {
	struct chat *c;
	struct store_chat_post *p;	/* as read; a takeover updates it */
	const char *channel;
	bool edit;
	bool ephemeral;		/* shown to p->recipient alone: nothing can find it */
};

/* A post claimed by another process that deliver_due gave up on: its
 * outcome is unknown. Its marker is looked up before any resend, at once
 * when the lease ran out (the holder's longest request is over), after
 * recheck when the holder is gone before its lease ran out (its request may
 * still be on its way). */
static int
take_over(struct post_run *pr, struct deliver_move *mv, bool *changed, char **err)
{
	struct chat *c = pr->c;
	struct store_chat_post *p = pr->p;
	char *note = mv->ran_out
		? xasprintf("taken over from %s, whose lease ran out at %s: it may have been "
			    "posted, so its marker is looked up before posting again",
			    p->claimed_by ? p->claimed_by : "a process", p->lease_until
			    ? p->lease_until : "once")
		: xasprintf("taken over from %s, a process of this machine that is gone: it may "
			    "have been posted, so its marker is looked up before posting again",
			    p->claimed_by ? p->claimed_by : "?");
	/* A lease that ran out outlived the holder's longest request. A holder
	 * that is gone makes no more requests, but its last one may still be
	 * on its way to Slack: its lookup waits out one request's time. */
	long wait = mv->ran_out ? 0 : c->one_request_ms > c->recheck_ms ? c->one_request_ms
				       : c->recheck_ms;
	int rc = move(c, p, p, DELIVER_UNKNOWN, wait, note, false, NULL, NULL, note, err);

	free(note);
	*changed = rc == 1;
	if (rc == 1) {
		p->state = DELIVER_UNKNOWN;
		free(p->claimed_by);
		free(p->lease_until);
		free(p->next_attempt_at);
		p->claimed_by = p->lease_until = NULL;
		p->next_attempt_at = wait > 0 ? deliver_time_in(c->clock, wait) : NULL;
		/* looked up now, or after recheck */
		mv->look_now = wait == 0;
	}
	return rc < 0 ? -1 : 0;
}

/* chat_posts as deliver_run's table: each step one move of store_chat_move. */
static int
post_move(void *ctx, struct deliver_move *mv, bool *changed, char **err)
{
	struct post_run *pr = ctx;
	struct chat *c = pr->c;
	struct store_chat_post *p = pr->p;
	int rc = 1;

	if (mv->why != NULL && mv->step != DELIVER_STEP_LOST)
		log_info("chat post %lld: %s", p->id, mv->why);
	switch (mv->step) {
	case DELIVER_STEP_BUSY:
	case DELIVER_STEP_LOST:
		/* another process has the post (move logged it) */
		rc = 0;
		break;
	case DELIVER_STEP_TAKEOVER:
		return take_over(pr, mv, changed, err);
	case DELIVER_STEP_CLAIM:
		/* a post's send is counted with its claim unless it is looked up */
		rc = move(c, p, p, DELIVER_CLAIMED, 0, NULL, !mv->lookup, NULL, NULL,
			  mv->lookup ? "claimed to look up its marker"
			  : pr->edit ? "claimed to edit" : "claimed to post", err);
		break;
	case DELIVER_STEP_FOUND:
		rc = move(c, p, NULL, DELIVER_DELIVERED, 0, NULL, false, pr->channel, mv->ref,
			  "found by its marker", err);
		delivered(c);
		break;
	case DELIVER_STEP_RESEND:
		/* not there: posted again under a renewed claim */
		rc = move(c, p, NULL, DELIVER_CLAIMED, 0, NULL, true, NULL, NULL,
			  "not found by its marker: posting again", err);
		break;
	case DELIVER_STEP_SENT:
		rc = move(c, p, NULL, DELIVER_DELIVERED, 0, NULL, false, pr->channel,
			  pr->edit ? p->parent_ref : mv->ref, pr->edit ? "edited" : "posted", err);
		delivered(c);
		break;
	case DELIVER_STEP_LATER:
		rc = move(c, p, NULL, DELIVER_QUEUED, pr->edit && mv->wait_ms <= 0 ? c->recheck_ms
			  : mv->wait_ms, mv->why, false, NULL, NULL, NULL, err);
		break;
	case DELIVER_STEP_REFUSED:
		rc = move(c, p, NULL, DELIVER_REFUSED, 0, mv->why, false, NULL, NULL, NULL, err);
		chat_remember_error(c, CHAT_REFUSED, mv->why);
		break;
	case DELIVER_STEP_UNKNOWN:
		if (mv->final) {
			char *note = xasprintf("%s; an ephemeral reply cannot be looked up, so it is "
					       "not sent again", mv->why ? mv->why : "no answer");

			rc = move(c, p, NULL, DELIVER_UNKNOWN, 0, note, false, NULL, NULL, NULL, err);
			free(note);
			break;
		}
		rc = move(c, p, NULL, DELIVER_UNKNOWN, c->recheck_ms, mv->why, false, NULL, NULL,
			  NULL, err);
		break;
	case DELIVER_STEP_LOOKUP_FAILED:
	case DELIVER_STEP_MISSED:
		rc = move(c, p, NULL, DELIVER_UNKNOWN, c->recheck_ms,
			  "cannot look for it yet; it may have been posted", false, NULL, NULL,
			  NULL, err);
		break;
	default:
		/* no other step is met: no readiness check, the claim counts the
		 * send, the chat has no inline resend hook */
		break;
	}
	*changed = rc == 1;
	return rc < 0 ? -1 : 0;
}

static enum deliver_find
post_find(void *ctx, char **ref, char **why)
{
	struct post_run *pr = ctx;
	int found = find_marker(pr->c, pr->p, pr->channel, ref, why);

	return found < 0 ? DELIVER_FIND_FAILED : found ? DELIVER_FIND_FOUND : DELIVER_FIND_MISSED;
}

static enum deliver_send
post_send(void *ctx, const struct deliver_renew *renew, char **ref, long *wait_ms, char **why)
{
	struct post_run *pr = ctx;
	struct chat *c = pr->c;
	struct store_chat_post *p = pr->p;
	enum chat_call r;

	(void)renew;
	pace(c);
	if (pr->ephemeral)
		r = c->ops->ephemeral(c, pr->channel, p->parent_ref, p->recipient, p->body, wait_ms,
				      why);
	else if (pr->edit)
		r = c->ops->update(c, pr->channel, p->parent_ref, p->body, wait_ms, why);
	else
		r = c->ops->post(c, pr->channel, p->parent_ref, p->body, p->marker, ref, wait_ms,
				 why);
	switch (r) {
	case CHAT_CALL_OK:
		return DELIVER_SEND_OK;
	case CHAT_CALL_REFUSED:
		return DELIVER_SEND_REFUSED;
	case CHAT_CALL_UNKNOWN:
		return DELIVER_SEND_UNKNOWN;
	default:
		return DELIVER_SEND_LATER;
	}
}

/* One due post through the state machine: claimed by this chat (or left
 * to the process that claimed it first), then sent, or looked up and sent;
 * an edit is idempotent: sent again whatever the last outcome. -1 only
 * when the store fails. */
static int
flush_one(struct chat *c, struct store_chat_post *p, bool *sent, char **err)
{
	struct post_run pr = {
		.c = c, .p = p, .channel = p->parent_channel ? p->parent_channel : c->channel_id,
		.edit = strcmp(p->kind, "edit") == 0, .ephemeral = strcmp(p->kind, "ephemeral") == 0,
	};
	/* an ephemeral reply is in no history: no lookup can tell whether it
	 * was shown, so an unknown outcome is final and it is never sent
	 * again (a reply missed is better than the same reply twice) */
	struct deliver_backend be = {
		.find = pr.ephemeral ? NULL : post_find, .send = post_send,
		.lookups_needed = pr.ephemeral ? 0 : 1, .resend_safe = pr.edit, .ctx = &pr,
	};
	enum deliver_outcome out;
	int rc = deliver_run(&(struct deliver_run_row){
		.times = store_chat_row_times(p), .look_first = p->state == DELIVER_UNKNOWN,
	}, &be, &(struct deliver_table){ .move = post_move, .claim_counts_send = true,
					 .ctx = &pr }, c->clock, &out, err);

	*sent = rc == 0 && out == DELIVER_OUT_DELIVERED;
	return rc;
}

int
chat_flush(struct chat *c, size_t *sent, char **err)
{
	size_t n = 0;
	int rc = 0;

	if (sent != NULL)
		*sent = 0;
	/* a rate limit holds every post until its Retry-After is over, a new
	 * entry as much as the one that met it */
	if (c->rate_until_ms > http_clock_now_ms_wall(c))
		return 0;
	if (chat_queue_owed_keys(c->queue, err) < 0)
		return -1;
	/* nothing goes out on a token that is refused or not yet known good */
	if (chat_verify(c, NULL) != 1)
		return 0;
	/* rounds: a reply becomes due once the round before posted its root */
	for (int round = 0; round < 8 && rc == 0; round++) {
		struct store_chat_posts due;
		char *now = deliver_time_in(c->clock, 0);
		size_t before = n;
		bool stop = false;

		rc = store_chat_due(c->st, now, &due, err);
		free(now);
		if (rc < 0)
			break;
		if (due.n > 0 && chat_ensure_channel(c, NULL) < 0)
			stop = true;
		for (size_t i = 0; i < due.n && rc == 0 && !stop; i++) {
			bool one;

			rc = flush_one(c, &due.rows[i], &one, err);
			n += one;
			/* a rate limit or an outage holds every later post too */
			stop = c->state == CHAT_RATE_LIMITED || c->state == CHAT_UNREACHABLE;
		}
		store_chat_posts_free(&due);
		if (stop || n == before)
			break;
	}
	if (sent != NULL)
		*sent = n;
	return rc;
}
